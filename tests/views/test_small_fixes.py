"""What a new user ran into (issue 14): dates that make no sense, pages past the end, the home page,
number formats, speaker names, empty headings, the API root, q on lists, API docs and feed ids."""

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from archive.models import Speech
from tests.browse_helpers import corpus_fixture  # noqa: F401 - a fixture
from tests.factories import EventFactory, SpeakerFactory, SpeechFactory, existing_body

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


# --- Dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query,message",
    [
        ("date_to=2021-13", "months run from 01 to 12"),
        ("date_from=2021-00", "months run from 01 to 12"),
        ("date_from=2021-02-30", "there is no such day"),
        ("date_from=2020&date_to=2015", "The date range runs backwards"),
    ],
)
def test_impossible_dates_get_a_message_on_pages_and_a_400_in_the_api(client, corpus, query, message):
    assert message in client.get(f"/statements/?{query}").content.decode()
    response = client.get(f"/api/speeches/?{query}")
    assert response.status_code == 400
    assert message in str(response.json())


def test_a_backwards_range_shows_what_lies_between_the_two_dates(client, corpus):
    html = client.get("/statements/?date_from=2021&date_to=2017").content.decode()
    shown = {int(pk) for pk in re.findall(r'href="/statements/(\d+)/"', html)}
    assert shown == {corpus[k].pk for k in ("wang2019", "wang2021", "alice2017", "alice2021")}


def test_search_page_explains_a_backwards_range(client, corpus, search_index):
    html = client.get(reverse("search"), {"date_from": "2020", "date_to": "2015"}).content.decode()
    assert "The date range runs backwards (from 2020 to 2015): showing 2015-01-01 to 2020-12-31." in html


def test_api_search_refuses_a_month_that_does_not_exist(client, corpus, search_index):
    response = client.get("/api/search/", {"q": "peace", "date_to": "2021-13"})
    assert response.status_code == 400 and "months run from 01 to 12" in str(response.json())


# --- Pages past the end -------------------------------------------------------------------------


def test_search_page_past_the_end_says_so_and_links_to_the_last_page(client, reference_data, search_index):
    from django.core.management import call_command

    for _ in range(25):
        SpeechFactory(text="Peace everywhere.")
    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)
    html = client.get(reverse("search"), {"q": "peace", "page": "999"}).content.decode()
    assert "0–0" not in html
    assert "25 statements, none on page 999" in html
    assert 'href="?q=peace&amp;page=2">Go to the last page, 2</a>' in html


# --- Home page ----------------------------------------------------------------------------------


def test_home_has_a_search_box_and_lists_latest_by_statement_date(client, reference_data):
    earlier = timezone.now() - datetime.timedelta(days=3)
    dated = SpeechFactory(title="Dated statement", date=datetime.date(2020, 8, 6))
    Speech.objects.filter(pk=dated.pk).update(published_at=earlier)
    year_only = SpeechFactory(
        title="Year-only statement", date=datetime.date(2020, 1, 1), date_precision=Speech.DatePrecision.YEAR
    )
    html = client.get("/").content.decode()
    assert re.search(r'<form class="search-form home-search" method="get" action="/search/"', html)
    assert 'name="q"' in html
    latest = html[html.index('id="latest"') : html.index('id="added"')]
    added = html[html.index('id="added"') :]
    # By when it was said: 6 August 2020 above "2020" (which was added later).
    assert latest.index("Dated statement") < latest.index("Year-only statement")
    assert added.index("Year-only statement") < added.index("Dated statement")
    assert year_only.pk


def test_counts_use_one_number_format(client, reference_data):
    event = EventFactory(body=existing_body("security-council"))
    speaker = SpeakerFactory()
    now = timezone.now()
    Speech.objects.bulk_create(
        Speech(speaker=speaker, event=event, date=datetime.date(2020, 1, 2), status="published", published_at=now)
        for _ in range(1001)
    )
    assert "<strong>1,001</strong> statements" in client.get("/").content.decode()
    assert "1,001 statements" in client.get("/bodies/").content.decode()
    assert ">1,001</td>" in client.get("/speakers/").content.decode()


# --- Lists --------------------------------------------------------------------------------------


def test_speakers_can_be_found_by_name(client, corpus):
    html = client.get("/speakers/", {"name": "wang"}).content.decode()
    assert "Wang Yi" in html and "Alice Martin" not in html
    assert 'name="name" value="wang"' in html
    assert "No speakers match “nobody”" in client.get("/speakers/", {"name": "nobody"}).content.decode()


def test_a_year_of_year_only_statements_has_no_empty_months_heading(client, corpus):
    html = client.get("/dates/1970/").content.decode()
    assert "1 statement dated only to the year" in html
    assert ">Months</h2>" not in html
    assert ">Months</h2>" in client.get("/dates/2021/").content.decode()


# --- API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/speeches/", "/api/quotations/", "/api/speakers/", "/api/events/"])
def test_q_on_a_list_endpoint_is_a_400_pointing_to_the_search(client, corpus, url):
    response = client.get(url, {"q": "climate"})
    assert response.status_code == 400
    assert "/api/search/?q=" in str(response.json())


def test_api_docs_are_served_from_static_without_a_cdn(client, reference_data):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Statements Archive API</title>" in html
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/") and not src.startswith("//") for src in sources), sources
    assert any("swagger-ui-bundle.js" in src and src.startswith("/static/") for src in sources)
    assert "<script>" not in html and "<style>" not in html  # nothing inline: the CSP stays strict
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    script = client.get("/api/docs/?script")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


# --- Feeds --------------------------------------------------------------------------------------


def test_feed_ids_are_absolute_and_entries_carry_the_statement_date(client, corpus):
    feed = ET.fromstring(client.get("/feeds/statements/").content)  # noqa: S314 - our own response
    entries = {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}
    speech = corpus["wang2019"]
    entry = entries[f"http://testserver/statements/{speech.pk}/"]
    assert entry.findtext(f"{ATOM}published").startswith("2019-09-24")
    updated = datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert abs(updated - speech.updated_at) < datetime.timedelta(seconds=1)
    assert all(key.startswith("http://testserver/") for key in entries)


def test_country_chart_labels_are_few_and_large_enough_for_a_phone(client, reference_data):
    from archive.models import Country

    china = Country.objects.get(code="CHN")
    for year in (1970, 1995, 2021):
        SpeechFactory(country=china, date=datetime.date(year, 5, 1))
    html = client.get("/countries/china/").content.decode()
    labels = re.findall(r'text-anchor="middle">(\d{4})</text>', html)
    assert labels == ["1970", "1980", "1990", "2000", "2010", "2020"]
    assert "<title>1995: 1</title>" in html  # every bar still has its value
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "archive.css").read_text()
    assert ".year-chart text { font-size: 20px;" in css  # 640-unit viewBox: about 11 px at 360 px wide
