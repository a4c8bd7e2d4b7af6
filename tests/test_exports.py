"""Downloads: every listed statement (all pages), in screen order, streamed, in CSV and JSON Lines."""

import datetime

import pytest

from archive import exports
from archive.models import Quotation
from tests.browse_helpers import QUOTATION_LINK, corpus_fixture, csv_rows, jsonl_rows, screen_ids  # noqa: F401
from tests.factories import QuotationFactory, SourceFactory, SpeakerFactory, SpeechFactory, existing_topic

pytestmark = pytest.mark.django_db

EXPORTED_LISTINGS = [
    "/statements/",
    "/statements/?sort=oldest",
    "/statements/?sort=speaker",
    "/statements/?country=CHN&country=FRA",
    "/statements/?topic=terrorism-financing&year=2021",
    "/statements/?date_from=2019&sort=oldest",
    "/countries/china/",
    "/countries/france/?year=2021",
    "/speakers/wang-yi/",
    "/bodies/security-council/",
    "/topics/counter-terrorism/",
    "/dates/2021/",
    "/dates/2021/3/2/",
    "/meetings/ctc-2021/",
]


@pytest.fixture
def many(corpus):
    """Enough statements that lists have several pages (exports must hold all of them)."""
    wang = corpus["wang2021"]
    for day in range(1, 46):
        speech = SpeechFactory(
            speaker=wang.speaker, country=wang.country, event=wang.event, date=datetime.date(2021, 3, 2), position=day
        )
        speech.topics.set([existing_topic("terrorism-financing")])
    return corpus


def _with(url, fmt):
    return url + ("&" if "?" in url else "?") + f"format={fmt}"


@pytest.mark.parametrize("url", EXPORTED_LISTINGS)
def test_csv_and_jsonl_rows_equal_what_the_screen_lists(client, many, url):
    on_screen = screen_ids(client, url)
    assert on_screen, "the listing should not be empty"
    csv_response = client.get(_with(url, "csv"))
    assert csv_response.streaming and csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    assert [int(row["id"]) for row in csv_rows(csv_response)] == on_screen
    jsonl_response = client.get(_with(url, "jsonl"))
    assert jsonl_response.streaming and jsonl_response["Content-Type"].startswith("application/x-ndjson")
    assert [row["id"] for row in jsonl_rows(jsonl_response)] == on_screen


def test_export_holds_every_row_not_just_the_first_page(client, many):
    on_screen_first_page = client.get("/countries/china/").content.decode().count('class="speech-row"')
    rows = csv_rows(client.get("/countries/china/?format=csv"))
    assert on_screen_first_page == 20 and len(rows) == 47


def test_quotation_export_equals_the_quotation_list(client, seed):
    on_screen = screen_ids(client, "/quotations/?speaker=zhang-jun", QUOTATION_LINK)
    assert len(on_screen) == 20
    rows = csv_rows(client.get("/quotations/?speaker=zhang-jun&format=csv"))
    assert [int(row["id"]) for row in rows] == on_screen
    first = Quotation.objects.get(pk=rows[0]["id"])
    assert rows[0]["text"] == first.text and rows[0]["speaker"] == "Zhang Jun"
    assert rows[0]["source"] == "Xinhua" and rows[0]["kind"] in {"direct", "indirect"}
    assert [row["id"] for row in jsonl_rows(client.get("/quotations/?speaker=zhang-jun&format=jsonl"))] == on_screen


def test_columns_are_the_documented_ones_with_the_seed_values(client, seed):
    rows = csv_rows(client.get("/statements/?format=csv"))
    assert list(rows[0]) == [name for name, _, _ in exports.SPEECH_COLUMNS]
    row = rows[0]
    assert row["url"] == "http://testserver/statements/1/"
    assert row["date"] == "2020-08-06" and row["display_date"] == "6 August 2020"
    assert row["speaker"] == "Zhang Jun" and row["country_code"] == "CHN" and row["body"] == "Security Council"
    assert "counter-terrorism" in row["topics"].split("; ")
    help_page = client.get("/data/").content.decode()
    for name, _, _ in exports.SPEECH_COLUMNS + exports.QUOTATION_COLUMNS:
        assert f"<code>{name}</code>" in help_page


def test_jsonl_keeps_types_and_unicode(client, reference_data):
    SpeechFactory(title="Déclaration — «paix»", position=3)
    row = jsonl_rows(client.get("/statements/?format=jsonl"))[0]
    assert row["title"] == "Déclaration — «paix»" and row["position"] == 3 and row["date"] == "2020-08-06"


def test_csv_cells_that_look_like_formulas_stay_text(client, reference_data):
    SpeechFactory(title='=HYPERLINK("http://evil.example","x")')
    row = csv_rows(client.get("/statements/?format=csv"))[0]
    assert row["title"].startswith("'=HYPERLINK")


def test_drafts_never_reach_a_download(client, seed):
    SpeechFactory(draft=True, title="DRAFT export leak", speaker=SpeakerFactory(name="Hidden"))
    draft = SpeechFactory(draft=True)
    QuotationFactory(speech=draft, text=draft.paragraphs[0])
    for url in ["/statements/?format=csv", "/countries/china/?format=jsonl", "/quotations/?format=csv"]:
        text = b"".join(client.get(url).streaming_content).decode()
        assert "DRAFT export leak" not in text and "Hidden" not in text
        assert f"/statements/{draft.pk}/" not in text


def test_export_queries_do_not_grow_with_rows(client, reference_data, django_assert_max_num_queries):
    source = SourceFactory()
    for _ in range(30):
        speech = SpeechFactory()
        speech.topics.set([existing_topic()])
        speech.sources.set([source])
        QuotationFactory(speech=speech)
    with django_assert_max_num_queries(6):
        assert len(csv_rows(client.get("/statements/?format=csv"))) == 30
    with django_assert_max_num_queries(4):
        assert len(csv_rows(client.get("/quotations/?format=csv"))) == 30


def test_row_builder_takes_any_iterable_of_speeches(reference_data):
    """Search results will hand the exporter a list of objects instead of a queryset."""
    speeches = [SpeechFactory(), SpeechFactory()]
    lines = list(exports.csv_lines(exports.rows(speeches, exports.SPEECH_COLUMNS, "https://x"), exports.SPEECH_COLUMNS))
    assert len(lines) == 4 and lines[2].startswith(f"{speeches[0].pk},https://x/statements/{speeches[0].pk}/")


def test_an_editor_previewing_a_meeting_still_downloads_only_published_statements(client, corpus, editor):
    client.force_login(editor)
    event = corpus["wang2021"].event
    SpeechFactory(draft=True, event=event, title="DRAFT at the meeting")
    assert "DRAFT at the meeting" in client.get(event.get_absolute_url()).content.decode()
    rows = csv_rows(client.get(event.get_absolute_url() + "?format=csv"))
    assert {int(row["id"]) for row in rows} == {corpus["wang2021"].pk, corpus["alice2021"].pk}


@pytest.mark.parametrize(
    "url",
    [
        "/statements/?format=csv",
        "/quotations/?format=jsonl",
        "/countries/china/?format=csv",
        "/meetings/ctc-2021/?format=jsonl",
    ],
)
def test_every_download_is_rate_limited(client, corpus, url, settings, frozen_rate_window):
    settings.RATE_LIMITS = {"search": 120, "export": 2}
    statuses = [client.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.get(url)
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    # Reading the pages is not a download: only ?format= counts.
    assert client.get(url.split("?")[0]).status_code == 200
