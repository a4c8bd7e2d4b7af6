"""What every search engine behind the archive must do, asserted the same way on each (see conftest).

Searches go through ``run_search`` and the public pages and API, index changes through the outbox and
the index worker, checks through ``index_check``: the archive's own paths, never an engine's API. The
texts are invented for these tests.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive import services
from archive.models import Body, Country, Speaker, Speech, Topic
from archive.search import check, run_search, worker
from archive.search.engine import index_engine
from tests.factories import EventFactory, QuotationFactory, SpeechFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "charter": (
        "FRA",
        "general-assembly",
        2019,
        "We the peoples of the United Nations are resolved to act on climate change together.",
    ),
    "peoples": ("CHN", "security-council", 2020, "The peoples of the world want peace; we remember the peoples."),
    "hamlet": ("BRA", "general-assembly", 2021, "To be or not to be a member is not the question; finance is."),
    "okapi": ("KEN", "general-assembly", 2022, "Each delegation brought an okapi carving. Our people love forests."),
    "ampersand": ("NOR", "security-council", 2022, "Peace needs each of us: x < y & z, said nobody in <this> room."),
}


def search(q="", **params):
    params = {key: value if isinstance(value, list) else [value] for key, value in params.items()}
    return run_search({"q": [q], **params})


def titles(result):
    return {hit.title for hit in result.hits}


@pytest.fixture
def statements(reference_data, reindex):
    """Five published statements in different countries, bodies and years, a quotation and a draft."""
    climate = Topic.objects.get(slug="climate-change")
    made = {}
    for title, (country, body, year, text) in TEXTS.items():
        day = datetime.date(year, 9, 20)
        made[title] = SpeechFactory(
            title=title,
            text=text,
            country=Country.objects.get(code=country),
            event=EventFactory(body=Body.objects.get(slug=body), date=day),
            date=day,
        )
    made["charter"].topics.add(climate)
    made["hamlet"].topics.add(climate)
    QuotationFactory(speech=made["charter"], text="We the peoples of the United Nations")
    made["draft"] = SpeechFactory(title="draft", draft=True, text="We the peoples secretly drafted this zebrafinch.")
    reindex()
    return made


# -- every word, phrases, stems ----------------------------------------------------------------------


def test_a_phrase_with_common_words_matches_exactly_those_words_in_order(engine, statements):
    assert titles(search('"we the peoples"')) == {"charter"}
    assert search('"we the peoples"').total == 1
    assert titles(search('"to be or not to be"')) == {"hamlet"}


def test_a_query_of_common_words_only_finds_its_documents(engine, statements):
    assert titles(search("each")) == {"okapi", "ampersand"}
    assert search("the").total == 3  # charter, peoples, hamlet


def test_a_common_word_in_an_and_query_narrows_it_and_never_empties_it(engine, statements):
    assert titles(search("okapi each")) == {"okapi"}
    assert titles(search("okapi AND each")) == {"okapi"}
    assert titles(search("peace OR okapi")) == {"peoples", "okapi", "ampersand"}


def test_single_words_are_stemmed_and_quoted_words_are_exact(engine, statements):
    assert titles(search("peoples")) == {"charter", "peoples", "okapi"}  # "people" too
    assert titles(search('"peoples"')) == {"charter", "peoples"}
    assert titles(search("=peoples")) == {"charter", "peoples"}


def test_drafts_are_never_found(engine, statements):
    assert search("zebrafinch").total == 0
    assert "draft" not in titles(search('"we the peoples"'))


# -- filters, facets, sorting, counts ---------------------------------------------------------------


def test_filters_narrow_by_country_body_and_dates(engine, statements):
    assert titles(search("peace", country="CHN")) == {"peoples"}
    assert titles(search("", body="general-assembly")) == {"charter", "hamlet", "okapi"}
    assert titles(search("", country=["FRA", "KEN"])) == {"charter", "okapi"}
    assert titles(search("", date_from="2021-01-01", date_to="2021-12-31")) == {"hamlet"}
    assert titles(search("", topic="climate-change")) == {"charter", "hamlet"}


def test_facets_count_the_hits_of_the_search(engine, statements):
    result = search("each OR peace")
    panels = {panel.key: {value.value: value.count for value in panel.values} for panel in result.facets}
    assert panels["country"] == {"CHN": 1, "KEN": 1, "NOR": 1}
    assert panels["body"] == {"security-council": 2, "general-assembly": 1}
    assert panels["year"] == {"2020": 1, "2022": 2}
    topics = {panel.key: panel for panel in search("").facets}["topic"]
    assert {value.value: value.count for value in topics.values} == {"climate-change": 2}


def test_sorting_by_date(engine, statements):
    newest = [hit.title for hit in search("", sort="newest").hits]
    assert newest.index("charter") > newest.index("peoples") > newest.index("hamlet")
    assert [hit.title for hit in search("", sort="oldest").hits][0] == "charter"


def test_counts_are_exact_beyond_the_first_page(engine, reference_data, reindex):
    for number in range(23):
        SpeechFactory(title=f"fisheries {number}", text=f"Statement {number} on fisheries and the ocean.")
    reindex()
    first = search("fisheries")
    assert first.total == 23 and len(first.hits) == 20 and first.num_pages == 2
    second = search("fisheries", page="2")
    assert len(second.hits) == 3
    assert not titles(first) & titles(second)


def test_quotations_are_searched_as_their_own_type(engine, statements):
    result = search('"we the peoples"', type="quotations")
    assert result.total == 1 and result.hits[0].title == "charter"


# -- highlights and suggestions ---------------------------------------------------------------------


def test_highlights_mark_the_match_and_escape_the_text(engine, statements):
    hit = search('"we the peoples"').hits[0]
    assert "<mark>We the peoples</mark>" in hit.snippet
    other = search("nobody").hits[0]
    assert "<mark>nobody</mark>" in other.snippet
    assert "x &lt; y &amp; z" in other.snippet and "&lt;this&gt;" in other.snippet
    assert "<this>" not in other.snippet


def test_the_search_page_and_api_show_the_same_hits(engine, statements, client):
    page = client.get(reverse("search"), {"q": '"we the peoples"'})
    assert page.status_code == 200
    assert "<mark>We the peoples</mark>" in page.content.decode()
    api = client.get("/api/search/", {"q": '"we the peoples"'}).json()
    assert api["count"] == 1 and [hit["title"] for hit in api["hits"]] == ["charter"]


def test_did_you_mean_offers_words_of_the_index(engine, statements):
    result = search("forsts")
    assert result.total == 0
    assert result.suggestion == "forests"


# -- changes: unpublish, delete, rename --------------------------------------------------------------


def test_an_unpublished_statement_leaves_the_index_through_the_worker(engine, statements):
    services.speech_unpublish(speech=statements["okapi"])
    # Before the worker runs the page already hides it (checked against the database) ...
    assert "okapi" not in titles(search("each"))
    worker.drain()
    # ... and once the worker has run, the engine no longer has it: counts and facets agree.
    result = search("each")
    assert titles(result) == {"ampersand"} and result.total == 1
    assert str(statements["okapi"].pk) not in index_engine().indexed_hashes(Speech)


def test_a_deleted_statement_leaves_the_index(engine, statements):
    services.speech_delete(speech=statements["hamlet"])
    worker.drain()
    assert search('"to be or not to be"').total == 0


def test_a_published_statement_enters_the_index_through_the_worker(engine, statements):
    services.speech_publish(speech=statements["draft"])
    worker.drain()
    assert titles(search("zebrafinch")) == {"draft"}


def test_a_renamed_speaker_is_reindexed_and_found_by_the_new_name(engine, statements):
    speaker = statements["peoples"].speaker
    speaker.name = "Quillon Marsh"
    speaker.save()
    worker.drain()
    assert titles(search("quillon")) == {"peoples"}


def test_index_check_finds_a_stale_document_and_fix_repairs_it(engine, statements):
    # A change that queued no index work (as a lost outbox row would leave it).
    Speaker.objects.filter(pk=statements["okapi"].speaker_id).update(name="Vesper Tolland")
    drift = check.find_drift()
    assert drift["archive.speech"][2] == [str(statements["okapi"].pk)]
    with pytest.raises(Exception, match="difference"):
        call_command("index_check", verbosity=0)
    call_command("index_check", "--fix", verbosity=0)
    assert all(not any(parts) for parts in check.find_drift().values())
    assert titles(search("vesper")) == {"okapi"}


def test_the_engine_reports_a_sound_index_and_moves_its_stamp_on_a_change(engine, statements):
    engine_ = index_engine()
    assert engine_.problem(thorough=True) is None
    before = engine_.stamp()
    assert before is not None
    services.speech_publish(speech=SpeechFactory(title="new", draft=True, text="A brand new quokka statement."))
    worker.drain()
    assert engine_.stamp() != before
    assert titles(search("quokka")) == {"new"}
