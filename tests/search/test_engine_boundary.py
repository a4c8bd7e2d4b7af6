"""The engine boundary is real (issue 10): only the engine packages know an engine, and the
Elasticsearch backend keeps the archive's promises - checked here without a server (its mapping and
its requests as built, and a server that refuses connections); the contract suite
(tests/search/contract/) runs every search behaviour against a live one when TEST_ELASTICSEARCH_URL is set.
"""

import ast
import json
import socket
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from archive.models import IndexTask
from archive.search import outbox, run_search, worker
from archive.search.engine import IndexUnreadable, index_engine
from tests.factories import SpeechFactory

ROOT = Path(__file__).resolve().parents[2]
ENGINE_PACKAGES = {"whoosh": "archive/search/whoosh", "elasticsearch": "archive/search/elasticsearch"}


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_only_the_engine_packages_import_an_engine():
    """The worker, rebuilds, index_check, the middleware, results and views reach an engine only
    through archive.search.engine (and Haystack's SearchQuerySet)."""
    engine_modules = ("whoosh", "elasticsearch", "archive.search.whoosh", "archive.search.elasticsearch")
    offenders = []
    for path in sorted((ROOT / "archive").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(tuple(package + "/" for package in ENGINE_PACKAGES.values())):
            continue
        for module in _imports(path):
            if module.startswith("haystack.backends") or any(
                module == name or module.startswith(name + ".") for name in engine_modules
            ):
                offenders.append(f"{relative} imports {module}")
    assert offenders == []


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def unreachable_elasticsearch(settings):
    """The default search connection on Elasticsearch, at an address that refuses connections."""
    from haystack import connections

    from archive.settings import haystack_connections

    original = settings.HAYSTACK_CONNECTIONS
    settings.HAYSTACK_CONNECTIONS = haystack_connections(f"elasticsearch://127.0.0.1:{_closed_port()}/statements")
    # Haystack keeps the ENGINE it was started with unless told, and reads the options from settings.
    before, connections.connections_info = connections.connections_info, settings.HAYSTACK_CONNECTIONS
    connections.reload("default")
    yield connections["default"].get_backend()
    settings.HAYSTACK_CONNECTIONS, connections.connections_info = original, before
    connections.reload("default")


def test_the_elasticsearch_mapping_keeps_every_word(unreachable_elasticsearch):
    body = unreachable_elasticsearch.index_body()
    analysis = body["settings"]["analysis"]
    used = {"archive_text_en", "archive_text_fr", "archive_text_es", "archive_text_ru", "archive_exact"}
    assert used <= set(analysis["analyzer"])
    for name in used:
        for token_filter in analysis["analyzer"][name]["filter"]:
            assert analysis.get("filter", {}).get(token_filter, {}).get("type") != "stop", name
            assert token_filter not in ("stop", "snowball"), name  # the stock filters drop stopwords
    properties = body["mappings"]["properties"]
    assert properties["text"]["analyzer"] == "archive_text_en"
    assert properties["text"]["fields"]["exact"]["analyzer"] == "archive_exact"
    assert properties["text_fr"]["analyzer"] == "archive_text_fr"
    assert {properties[name]["type"] for name in ("country", "body", "speaker", "topics", "year")} == {"keyword"}
    assert properties["content_hash"] == {"type": "keyword", "index": False}
    assert "snowball" not in json.dumps(properties)


def test_the_elasticsearch_request_matches_quotes_exactly_and_counts_every_hit(unreachable_elasticsearch):
    request = unreachable_elasticsearch.build_search_kwargs(
        '"we the peoples" AND climate',
        highlight=True,
        facets={"country": {"limit": 13}},
        narrow_queries={'country:"CHN"'},
        spelling_query="we the peoples",
    )
    query = request["query"]["bool"]["must"]["query_string"]
    assert query["quote_field_suffix"] == ".exact"
    assert query["fields"] == ["text", "text_fr", "text_es", "text_ru"]
    assert query["default_operator"] == "AND"
    assert request["track_total_hits"] is True
    assert request["aggs"]["country"]["terms"] == {"field": "country", "size": 13}
    assert request["highlight"]["fields"]["text"]["matched_fields"] == ["text", "text.exact"]
    assert request["suggest"]["suggest"]["term"]["field"] == "text.exact"


@pytest.mark.django_db
def test_an_unreachable_elasticsearch_answers_503_never_an_empty_page(
    unreachable_elasticsearch, client, reference_data
):
    response = client.get(reverse("search"), {"q": "peace"})
    assert response.status_code == 503
    assert "search index" in response.content.decode()
    assert client.get("/api/search/", {"q": "peace"}).status_code == 503
    with pytest.raises(IndexUnreadable):
        run_search({"q": "peace"})
    assert index_engine().is_unavailable(IndexUnreadable("x"))
    assert "cannot be asked" in index_engine().problem()


@pytest.mark.django_db
def test_index_work_for_an_unreachable_elasticsearch_stays_queued(unreachable_elasticsearch, reference_data):
    speech = SpeechFactory(text="A statement waiting for its index.")
    outbox.enqueue_speech(speech)
    with pytest.raises(Exception):  # noqa: B017 - the client's connection error, whatever its class
        worker.process_batch()
    task = IndexTask.objects.get(object_id=str(speech.pk), model="archive.speech")
    assert task.attempts == 1 and "Connection" in task.last_error
    with pytest.raises(CommandError, match="stays queued"):
        call_command("index_worker", "--once", verbosity=0)
    with pytest.raises(Exception):  # noqa: B017
        call_command("rebuild_index", interactive=False, verbosity=0)
    assert IndexTask.objects.filter(object_id=str(speech.pk)).exists()


def test_an_index_written_before_the_engine_package_still_opens():
    """The schema pickled by the previous release names archive.search.backend.CommonGramsFilter."""
    import pickle

    from whoosh.analysis import LowercaseFilter, RegexTokenizer

    from archive.search.whoosh.schema import WORD_PATTERN, CommonGramsFilter

    earlier_exact_analyzer = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CommonGramsFilter()
    written_before = pickle.dumps(earlier_exact_analyzer, protocol=0).replace(
        b"archive.search.whoosh.schema", b"archive.search.backend"
    )
    assert b"archive.search.backend" in written_before
    analyzer = pickle.loads(written_before)  # noqa: S301 - bytes made by this test
    assert any(isinstance(item, CommonGramsFilter) for item in analyzer.items)
    assert [token.text for token in analyzer("We the peoples")] == ["we", "we the", "the", "the peoples", "peoples"]
