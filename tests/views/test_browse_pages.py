"""Browse pages: lists, facets, filters, sorting, pagination, bad input and drafts."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from archive.models import Speech
from tests.browse_helpers import corpus_fixture, screen_ids  # noqa: F401 - corpus_fixture is a fixture
from tests.factories import QuotationFactory, SpeakerFactory, SpeechFactory

pytestmark = pytest.mark.django_db

SEED_EVENT = "2020-08-06-security-council-linkages-terrorism-organized-crime"


LIST_URLS = [
    "/statements/",
    "/speakers/",
    "/countries/",
    "/bodies/",
    "/topics/",
    "/meetings/",
    "/quotations/",
    "/dates/",
    "/dates/2021/",
    "/dates/2021/3/",
    "/dates/2021/3/2/",
    "/countries/china/",
    "/speakers/wang-yi/",
    "/bodies/security-council/",
    "/bodies/general-assembly/",
    "/topics/counter-terrorism/",
    "/data/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_browse_page_renders_and_hides_drafts(client, corpus, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "DRAFT must not leak" not in html and "Secret Draftperson" not in html
    assert "Unannounced meeting" not in html
    assert '<main id="main"' in html and 'aria-label="Main"' in html


def test_header_nav_links_every_browse_section(client, corpus):
    html = client.get("/").content.decode()
    for url in ["/statements/", "/speakers/", "/countries/", "/bodies/", "/topics/", "/meetings/", "/dates/"]:
        assert f'href="{url}"' in html


def test_speaker_and_meeting_known_only_from_drafts_are_not_public(client, corpus, editor):
    assert client.get("/speakers/secret-draftperson/").status_code == 404
    assert client.get("/meetings/unannounced/").status_code == 404
    editor_client = Client()
    editor_client.force_login(editor)
    # Editors previewing still reach them.
    assert editor_client.get("/meetings/unannounced/").status_code == 200


def test_statements_newest_oldest_and_by_speaker(client, corpus):
    c = corpus
    newest = screen_ids(client, "/statements/")
    assert newest[:2] == sorted([c["wang2021"].pk, c["alice2021"].pk], reverse=True)
    assert newest[-1] == c["pse1970"].pk
    assert screen_ids(client, "/statements/?sort=oldest")[0] == c["pse1970"].pk
    by_speaker = screen_ids(client, "/statements/?sort=speaker")
    # "Martin, Alice" sorts before "Wang Yi" and "Year Only".
    assert by_speaker[:2] == [c["alice2021"].pk, c["alice2017"].pk]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("country=CHN", {"wang2019", "wang2021"}),
        ("country=chn", {"wang2019", "wang2021"}),
        ("country=CHN&country=FRA", {"wang2019", "wang2021", "alice2017", "alice2021"}),
        ("country=FRA&year=2021", {"alice2021"}),
        ("topic=terrorism-financing", {"wang2021", "alice2021"}),
        ("topic=terrorism-financing&topic=multilateralism", {"wang2021", "alice2021"}),
        ("topic=terrorism-financing&country=CHN", {"wang2021"}),
        ("body=general-assembly", {"wang2019", "alice2017", "pse1970"}),
        ("body=general-assembly&speaker=alice-martin", {"alice2017"}),
        ("event=ctc-2021", {"wang2021", "alice2021"}),
        ("language=en&year=1970", {"pse1970"}),
        ("date_from=2019&date_to=2020", {"wang2019"}),
        ("date_from=2021-03&country=FRA", {"alice2021"}),
        ("date_to=2019-09-23", {"alice2017", "pse1970"}),
    ],
)
def test_filter_combinations(client, corpus, query, expected):
    ids = set(screen_ids(client, f"/statements/?{query}"))
    assert ids == {corpus[name].pk for name in expected}


@pytest.mark.parametrize(
    "query,message",
    [
        ("page=abc", "not a whole number"),
        ("page=0", "There is no page 0"),
        ("page=999", "There is no page 999: showing the last page"),
        ("year=20x1", "Ignored the year filter"),
        ("year=0000", "Ignored the year filter"),
        ("country=%3Cscript%3E", "Ignored the country filter"),
        ("date_from=2021-13-01", "Ignored date from"),
        ("date_to=yesterday", "Ignored date to"),
        ("sort=random", "Ignored the sort order"),
        ("format=xlsx", "Ignored the format"),
    ],
)
def test_bad_input_gets_a_message_not_an_error(client, corpus, query, message):
    response = client.get(f"/statements/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<script>" not in html


def test_facet_panels_count_and_link_to_narrowed_results(client, corpus):
    html = client.get("/statements/").content.decode()
    facet = re.search(r'<h3 id="facet-country">Country</h3>(.*?)</section>', html, re.S).group(1)
    assert re.search(r'href="\?country=CHN">China</a> <span class="count">2</span>', facet)
    assert re.search(r'href="\?country=FRA">France</a> <span class="count">2</span>', facet)
    # Following a facet link narrows the list and marks the facet as selected, with a way back.
    narrowed = client.get("/statements/?country=CHN").content.decode()
    assert 'aria-current="true"' in narrowed and "Remove the country filter CHN" in narrowed
    topic_facet = re.search(r'<h3 id="facet-topic">Topic</h3>(.*?)</section>', narrowed, re.S).group(1)
    assert "Terrorism financing" in topic_facet and "Multilateralism" not in topic_facet


def test_facet_links_keep_the_other_filters_and_drop_the_page(client, corpus):
    html = client.get("/statements/?year=2021&page=1&sort=oldest").content.decode()
    assert 'href="?year=2021&amp;sort=oldest&amp;country=CHN"' in html


def test_speakers_a_to_z_with_counts_filter_and_letters(client, seed, corpus):
    html = client.get("/speakers/").content.decode()
    names = re.findall(r'<td><a href="/speakers/[^"]+/">([^<]+)</a></td><td>(\d+)</td>', html)
    # By family name: Martin, Only, Wang, Zhang.
    assert names == [("Alice Martin", "2"), ("Year Only", "1"), ("Wang Yi", "2"), ("Zhang Jun", "1")]
    chinese = client.get("/speakers/?country=CHN").content.decode()
    assert "Wang Yi" in chinese and "Zhang Jun" in chinese and "Alice Martin" not in chinese
    letter = client.get("/speakers/?letter=W").content.decode()
    assert "Wang Yi" in letter and "Zhang Jun" not in letter
    by_count = client.get("/speakers/?sort=count").content.decode()
    assert by_count.index("Alice Martin") < by_count.index("Zhang Jun")
    assert "choose one letter" in client.get("/speakers/?letter=%25%25").content.decode()


def test_speaker_page_roles_over_time_topics_and_quotations(client, seed):
    html = client.get("/speakers/zhang-jun/").content.decode()
    assert "Permanent Representative of China to the United Nations (China)" in html
    assert '<time datetime="2020-08-06">6 August 2020</time>' in html
    topics = re.search(r'<h2 id="topics-heading">Topics</h2>(.*?)</section>', html, re.S).group(1)
    assert "Counter-terrorism" in topics and 'href="?topic=counter-terrorism"' in topics
    assert html.count('href="/quotations/') >= 20
    assert "/feeds/speakers/zhang-jun/" in html


def test_countries_lists_all_members_and_observers_with_counts(client, corpus):
    html = client.get("/countries/").content.decode()
    assert "UN member states <span" in html and "(193)" in html
    assert "Observer states <span" in html and "State of Palestine" in html and "Holy See" in html
    assert re.search(r'href="/countries/china/">China</a> <span class="count">2</span>', html)
    by_count = client.get("/countries/?sort=count").content.decode()
    assert by_count.index(">China<") < by_count.index(">Afghanistan<")


def test_country_page_draws_a_bar_per_year_and_lists_speakers_bodies_topics(client, corpus):
    html = client.get("/countries/china/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "<title>2019: 1</title>" in svg and "<title>2020: 0</title>" in svg and "<title>2021: 1</title>" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for heading in ("facet-speaker", "facet-body", "facet-topic"):
        assert f'id="{heading}"' in html
    assert "Wang Yi" in html and "General Assembly" in html and "Counter-Terrorism Committee" in html


def test_bodies_tree_counts_include_subsidiary_bodies(client, corpus):
    html = client.get("/bodies/").content.decode()
    security_council = re.search(r'href="/bodies/security-council/">Security Council</a> <span[^>]*>(\d+)', html)
    ctc = re.search(
        r'href="/bodies/counter-terrorism-committee/">Counter-Terrorism Committee</a> <span[^>]*>(\d+)', html
    )
    assert (int(security_council.group(1)), int(ctc.group(1))) == (2, 2)
    nested = html.index("security-council/") < html.index("counter-terrorism-committee/") < html.index("cted/")
    assert nested


def test_body_page_lists_events_newest_first_and_statements_of_subsidiaries(client, seed, corpus):
    html = client.get("/bodies/security-council/").content.decode()
    assert html.index("CTC briefing") < html.index("High-level open debate")
    ids = set(screen_ids(client, "/bodies/security-council/"))
    assert ids == {corpus["wang2021"].pk, corpus["alice2021"].pk, seed.pk}


def test_topics_tree_counts_and_topic_page_includes_narrower_topics(client, corpus):
    html = client.get("/topics/").content.decode()
    count = re.search(r'href="/topics/counter-terrorism/">Counter-terrorism</a> <span[^>]*>(\d+)', html)
    assert int(count.group(1)) == 3  # its own statement and two on terrorism financing
    ids = set(screen_ids(client, "/topics/counter-terrorism/"))
    assert ids == {corpus["wang2019"].pk, corpus["wang2021"].pk, corpus["alice2021"].pk}


def test_events_list_and_meeting_page_in_speaking_order(client, corpus):
    html = client.get("/meetings/").content.decode()
    assert html.index("CTC briefing") < html.index("General debate 2019")
    assert "CTC briefing" not in client.get("/meetings/?body=general-assembly").content.decode()
    first, second = corpus["alice2021"], corpus["wang2021"]
    Speech.objects.filter(pk=first.pk).update(position=1)
    Speech.objects.filter(pk=second.pk).update(position=2)
    meeting = client.get("/meetings/ctc-2021/").content.decode()
    assert meeting.index(first.get_absolute_url()) < meeting.index(second.get_absolute_url())
    assert "/dates/2021/3/2/" in meeting


def test_seed_meeting_page_shows_agenda_item(client, seed):
    html = client.get(reverse("event-detail", kwargs={"slug": SEED_EVENT})).content.decode()
    assert "Threats to international peace and security caused by terrorist acts" in html


def test_date_archive_counts_years_months_days_and_year_only_dates(client, corpus):
    years = client.get("/dates/").content.decode()
    assert re.search(r'href="/dates/2021/">2021</a> <span class="count">2</span>', years)
    assert re.search(r'href="/dates/1970/">1970</a> <span class="count">1</span>', years)
    year = client.get("/dates/2021/").content.decode()
    assert re.search(r'href="/dates/2021/3/">March</a> <span class="count">2</span>', year)
    month = client.get("/dates/2021/3/").content.decode()
    assert re.search(r'href="/dates/2021/3/2/">2 March</a> <span class="count">2</span>', month)
    # A statement known only to the year is not listed under January.
    assert "1 statement dated only to the year" in client.get("/dates/1970/").content.decode()
    assert corpus["pse1970"].get_absolute_url() not in client.get("/dates/1970/1/").content.decode()
    assert '<time datetime="1970-01-01">1970</time>' in client.get("/dates/1970/").content.decode()


@pytest.mark.parametrize("url", ["/dates/2021/13/", "/dates/2021/2/30/", "/dates/0/", "/dates/99999999999/"])
def test_impossible_dates_are_not_found(client, corpus, url):
    assert client.get(url).status_code == 404


def test_listing_pages_paginate(client, reference_data):
    for _ in range(25):
        SpeechFactory()
    assert len(screen_ids(client, "/statements/")) == 25
    first = client.get("/statements/").content.decode()
    assert first.count('class="speech-row"') == 20 and 'rel="next" href="?page=2"' in first


def test_user_text_is_escaped_in_lists_and_facets(client, reference_data):
    SpeechFactory(
        title="<img src=x onerror=alert(1)>",
        speaker=SpeakerFactory(name="<b>Bold</b>", slug="bold"),
    )
    for url in ["/statements/", "/speakers/", "/speakers/bold/"]:
        html = client.get(url).content.decode()
        assert "<img src=x" not in html and "<b>Bold</b>" not in html


LIST_PAGE_QUERY_LIMITS = {
    "/statements/": 12,
    "/statements/?country=CHN&topic=terrorism-financing": 12,
    "/speakers/": 8,
    "/speakers/wang-yi/": 16,
    "/countries/": 4,
    "/countries/china/": 13,
    "/bodies/": 4,
    "/bodies/security-council/": 16,
    "/topics/": 4,
    "/topics/counter-terrorism/": 16,
    "/meetings/": 10,
    "/meetings/ctc-2021/": 6,
    "/quotations/": 6,
    "/dates/": 4,
    "/dates/2021/": 13,
    "/dates/2021/3/": 13,
    "/dates/2021/3/2/": 12,
}


@pytest.mark.parametrize("url,limit", LIST_PAGE_QUERY_LIMITS.items())
def test_list_pages_use_a_fixed_number_of_queries(client, corpus, django_assert_max_num_queries, url, limit):
    """The same number of queries for a handful of rows and for a full page: no query per row."""
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
    wang = corpus["wang2021"]
    for _ in range(25):
        speech = SpeechFactory(speaker=wang.speaker, country=wang.country, event=wang.event, date=wang.date)
        speech.topics.set(wang.topics.all())
        QuotationFactory(speech=speech)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", LIST_URLS + ["/statements/1/", "/quotations/1/"])
def test_pages_load_nothing_from_outside_static_and_need_no_script(client, seed, corpus, url):
    html = client.get(url).content.decode()
    assert "<script" not in html
    for tag in re.findall(r"<(?:link|img|iframe)\b[^>]*>", html):
        assert re.search(r'(?:href|src)="(/|\?)', tag), tag


def test_a_long_meeting_is_listed_in_speaking_order_fifty_a_page(client, reference_data):
    from tests.factories import EventFactory, SpeechFactory

    meeting = EventFactory(title="General debate of a long session", slug="long-session")
    speeches = [SpeechFactory(event=meeting, position=n, title=f"Speaker turn {n:03d}") for n in range(1, 61)]
    first = client.get("/meetings/long-session/").content.decode()
    second = client.get("/meetings/long-session/?page=2").content.decode()
    assert first.count('class="speech-row"') == 50 and second.count('class="speech-row"') == 10
    assert first.index("Speaker turn 001") < first.index("Speaker turn 050")
    assert "Speaker turn 051" in second and 'start="51"' in second
    assert speeches[-1].title in second
