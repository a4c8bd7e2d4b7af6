"""A search's result set as a download and a feed, its rate limits, and a lost index answering 503."""

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from django.test import override_settings
from django.urls import reverse

from archive.models import Quotation, Speech
from archive.search import run_search, search_objects
from tests.factories import QuotationFactory, SpeechFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def screen_ids(client, **params):
    """The hits the search page lists, page after page, in order."""
    found, page = [], 1
    while True:
        response = client.get(reverse("search"), {**params, "page": page})
        assert response.status_code == 200
        search = response.context["search"]
        found += [int(hit.pk) for hit in search.hits]
        if page >= search.num_pages:
            return found, search.total
        page += 1


def download(client, fmt, **params):
    response = client.get(reverse("search"), {**params, "format": fmt})
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    if fmt == "csv":
        return response, list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    return response, [json.loads(line) for line in body.splitlines()]


@pytest.fixture
def many(reference_data, reindex):
    """45 published statements that mention fisheries (three pages), each with a quotation, and drafts."""
    speeches = SpeechFactory.create_batch(45, text="A statement on fisheries and the sea.")
    for speech in speeches:
        QuotationFactory(speech=speech, text="A statement on fisheries")
    draft = SpeechFactory(draft=True, title="Draft remarks", text="Draft fisheries statement, not public.")
    QuotationFactory(speech=draft, text="Draft fisheries statement")
    reindex()
    return {"speeches": speeches, "draft": draft}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_statement_download_equals_every_page_of_the_screen(client, many, fmt, sort):
    listed, total = screen_ids(client, q="fisheries", sort=sort)
    assert total == 45 and len(listed) == 45
    response, rows = download(client, fmt, q="fisheries", sort=sort, page="2")  # the page is ignored
    assert [int(row["id"]) for row in rows] == listed
    assert many["draft"].pk not in {int(row["id"]) for row in rows}
    assert response["Content-Disposition"] == f'attachment; filename="search-statements.{fmt}"'
    assert rows[0]["url"].startswith("http://testserver/statements/")


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_quotation_download_equals_the_screen(client, many, fmt):
    listed, total = screen_ids(client, q="fisheries", type="quotations")
    assert total == 45
    response, rows = download(client, fmt, q="fisheries", type="quotations")
    assert [int(row["id"]) for row in rows] == listed
    assert set(rows[0]) >= {"statement_id", "speaker", "kind", "text", "start", "end"}
    draft_quotations = set(Quotation.objects.filter(speech=many["draft"]).values_list("pk", flat=True))
    assert not draft_quotations & {int(row["id"]) for row in rows}
    assert response["Content-Disposition"] == f'attachment; filename="search-quotations.{fmt}"'


def test_filters_narrow_the_download(client, corpus):
    _, rows = download(client, "jsonl", q="climate", country="CIV")
    assert [row["id"] for row in rows] == [corpus["civ"].pk]


def test_hits_are_read_in_chunks_with_a_bounded_number_of_queries(many, django_assert_max_num_queries):
    params = {"q": "fisheries", "sort": "oldest"}
    expected = [int(hit.pk) for page in (1, 2, 3) for hit in run_search({**params, "page": str(page)}).hits]
    from archive.exports import speech_export_queryset

    # 45 hits in chunks of 10: one in_bulk query plus two prefetches per chunk, nothing per row.
    with django_assert_max_num_queries(5 * 3):
        _, objects = search_objects(params, queryset=speech_export_queryset(Speech.objects.all()), chunk_size=10)
        read = [(obj.pk, obj.speaker.name, [t.slug for t in obj.topics.all()]) for obj in objects]
    assert [pk for pk, _, _ in read] == expected


def test_a_hit_unpublished_since_indexing_is_left_out(client, many):
    withdrawn = many["speeches"][0]
    Speech.objects.filter(pk=withdrawn.pk).update(status=Speech.Status.DRAFT, published_at=None)
    _, rows = download(client, "jsonl", q="fisheries")
    assert len(rows) == 44 and withdrawn.pk not in {row["id"] for row in rows}


def test_search_page_links_its_downloads_and_feed(client, corpus):
    html = client.get(reverse("search"), {"q": "climate", "country": "CIV"}).content.decode()
    assert 'href="?q=climate&amp;country=CIV&amp;format=csv"' in html
    assert 'href="?q=climate&amp;country=CIV&amp;format=jsonl"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/search/feed/?q=climate&amp;country=CIV"' in html


def test_unknown_format_is_explained_not_downloaded(client, corpus):
    response = client.get(reverse("search"), {"q": "climate", "format": "xlsx"})
    assert response.status_code == 200 and "Ignored the format" in response.content.decode()


def feed_entries(client, **params):
    response = client.get(reverse("search-feed"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    return feed, [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_feed_for_a_search_url(client, corpus):
    feed, items = feed_entries(client, q="climate")
    # Newest first by default: a feed is read for what is new.
    expected = [corpus[key] for key in ("civ", "twn", "gnb")]
    assert [link for _, link in items] == ["http://testserver" + s.get_absolute_url() for s in expected]
    assert [title for title, _ in items] == [s.display_title for s in expected]
    assert "climate" in feed.findtext(f"{ATOM}title")
    _, narrowed = feed_entries(client, q="climate", country="CIV", page="3")
    assert [link for _, link in narrowed] == ["http://testserver" + corpus["civ"].get_absolute_url()]
    _, oldest = feed_entries(client, q="climate", sort="oldest")
    assert [link for _, link in oldest] == [link for _, link in reversed(items)]


def test_feed_of_quotations_and_no_drafts(client, corpus):
    _, items = feed_entries(client, q="financing", type="quotations")
    quotation = Quotation.objects.get(speech=corpus["chn"])
    assert items == [
        (f"{quotation.speaker.name}: “{quotation.text}”", "http://testserver" + quotation.get_absolute_url())
    ]
    for params in ({"q": "zebrafinch"}, {"q": "zebrafinch", "type": "quotations"}, {"speaker": "zhang-jun"}):
        _, found = feed_entries(client, **params)
        assert all("zebrafinch" not in title and "Draft" not in title for title, _ in found)
        assert corpus["draft"].get_absolute_url() not in " ".join(link for _, link in found)


@override_settings(RATE_LIMITS={"search": 3, "export": 100})
def test_search_page_rate_limit(client, corpus, frozen_rate_window):
    statuses = [client.get(reverse("search"), {"q": "climate"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get(reverse("search"), {"q": "climate"})
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60


@override_settings(RATE_LIMITS={"search": 100, "export": 2})
def test_search_export_rate_limit(client, corpus, frozen_rate_window):
    statuses = [client.get(reverse("search"), {"q": "climate", "format": "csv"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert 1 <= int(client.get(reverse("search"), {"q": "climate", "format": "jsonl"})["Retry-After"]) <= 60
    # Searching on screen is not an export.
    assert client.get(reverse("search"), {"q": "climate"}).status_code == 200


def test_a_deleted_index_answers_503_with_a_clear_page(client, corpus, search_index):
    assert client.get(reverse("search"), {"q": "peace"}).status_code == 200
    shutil.rmtree(search_index)
    for url, params in [
        (reverse("search"), {"q": "peace"}),
        (reverse("search"), {"q": "peace", "format": "csv"}),
        (reverse("search-feed"), {"q": "peace"}),
        ("/api/search/", {"q": "peace"}),
    ]:
        response = client.get(url, params)
        page = response.content.decode()
        assert response.status_code == 503, (url, page[:300])
        assert response["Retry-After"] == "10"
        assert "The search index is not answering right now" in page
        assert "Traceback" not in page


def test_an_unreadable_index_answers_503(client, corpus, search_index):
    from archive.search.engine import SearchUnavailable

    client.get(reverse("search"), {"q": "peace"})
    for path in search_index.iterdir():
        if path.suffix == ".seg" or path.name.endswith(".toc"):
            path.write_bytes(b"not an index")
    from haystack import connections

    connections["default"].get_backend().shared.searcher = None  # as a fresh process would open it
    response = client.get(reverse("search"), {"q": "peace"})
    assert response.status_code == 503
    assert "The search index is not answering right now" in response.content.decode()
    from archive.search.engine import IndexLocked, IndexUnreadable

    assert issubclass(IndexUnreadable, SearchUnavailable) and issubclass(IndexLocked, SearchUnavailable)


def test_feed_title_drops_control_characters_xml_cannot_carry(client, corpus):
    feed, _ = feed_entries(client, q="climate\x00\x1f")
    assert feed.findtext(f"{ATOM}title").endswith("“climate”")
