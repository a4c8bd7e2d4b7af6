"""/api/search/: the search page's parameters as JSON, with facets, documented in the schema."""

import pytest
from django.test import override_settings

from archive.models import Quotation
from archive.search import run_search

pytestmark = pytest.mark.django_db
URL = "/api/search/"


def test_search_returns_count_page_hits_and_facets(client, corpus):
    response = client.get(URL, {"q": "terrorism financing"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1 and data["page"] == 1 and data["num_pages"] == 1
    assert data["next"] is None and data["previous"] is None
    speech = corpus["chn"]
    hit = data["hits"][0]
    assert hit == {
        "id": speech.pk,
        "type": "statement",
        "title": speech.display_title,
        "url": "http://testserver" + speech.get_absolute_url(),
        "speaker": {"slug": "zhang-jun", "name": "Zhang Jun"},
        "country": {"code": "CHN", "name": "China"},
        "body": {"slug": "security-council", "name": "Security Council"},
        "date": "2020-08-06",
        "display_date": speech.display_date,
        "snippet": hit["snippet"],
    }
    assert "<mark>terrorism financing</mark>" in hit["snippet"]
    facets = {facet["key"]: {v["value"]: v["count"] for v in facet["values"]} for facet in data["facets"]}
    assert facets["country"] == {"CHN": 1} and facets["topic"] == {"terrorism-financing": 1}


def test_hits_and_order_match_the_search_page(client, corpus):
    params = {"q": "climate OR crime", "sort": "oldest", "body": "general-assembly"}
    data = client.get(URL, params).json()
    assert [hit["id"] for hit in data["hits"]] == [int(h.pk) for h in run_search(params).hits]
    assert data["sort"] == "oldest" and data["count"] == 3


def test_quotations_type_and_kind(client, corpus):
    data = client.get(URL, {"q": "financing", "type": "quotations", "kind": "direct"}).json()
    quotation = Quotation.objects.get(speech=corpus["chn"])
    assert [(h["id"], h["type"]) for h in data["hits"]] == [(quotation.pk, "quotation")]
    assert {facet["key"] for facet in data["facets"]} >= {"kind", "speaker"}


def test_pages_link_to_each_other(client, reference_data, reindex):
    from tests.factories import SpeechFactory

    SpeechFactory.create_batch(25, text="A statement on fisheries.")
    reindex()
    first = client.get(URL, {"q": "fisheries"}).json()
    assert first["count"] == 25 and len(first["hits"]) == 20 and first["num_pages"] == 2
    second = client.get(first["next"]).json()
    assert len(second["hits"]) == 5 and second["previous"] and second["next"] is None
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}


def test_snippets_are_escaped(client, reference_data, reindex):
    from tests.factories import SpeechFactory

    SpeechFactory(text="<script>alert(1)</script> on sanctions & more")
    reindex()
    snippet = client.get(URL, {"q": "sanctions"}).json()["hits"][0]["snippet"]
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet and "<mark>sanctions</mark>" in snippet


def test_drafts_never_appear(client, corpus):
    for params in ({"q": "zebrafinch"}, {"q": "zebrafinch", "type": "quotations"}, {"speaker": "zhang-jun"}):
        data = client.get(URL, params).json()
        assert corpus["draft"].pk not in {h["id"] for h in data["hits"] if h["type"] == "statement"}
        assert "zebrafinch" not in str(data["hits"]) and "Draft" not in str(data["hits"])


@pytest.mark.parametrize(
    "params",
    [{"type": "speeches"}, {"sort": "best"}, {"page": "0"}, {"page": "x"}, {"country": "Fr;ance"}, {"kind": "direct"}],
)
def test_bad_parameters_are_400_with_the_reason(client, corpus, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["parameters"]


def test_a_query_the_engine_cannot_read_runs_as_plain_words(client, corpus):
    data = client.get(URL, {"q": "climate AND (crime"}).json()
    assert data["count"] >= 1 or data["messages"]


def test_documented_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/search/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names >= {"q", "type", "sort", "page", "speaker", "country", "body", "topic", "year", "kind", "date_from"}
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    hit = schema["components"]["schemas"]["SearchHit"]["properties"]
    assert set(hit) >= {"id", "type", "title", "url", "speaker", "country", "body", "date", "display_date", "snippet"}
    assert set(schema["components"]["schemas"][response]["properties"]) >= {"count", "page", "hits", "facets"}


@override_settings(RATE_LIMITS={"search": 2, "export": 20})
def test_rate_limited_like_the_search_page(client, corpus, frozen_rate_window):
    statuses = [client.get(URL, {"q": "climate"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert 1 <= int(client.get(URL, {"q": "climate"})["Retry-After"]) <= 60
    # One budget for both: the page is limited too now.
    assert client.get("/search/", {"q": "climate"}).status_code == 429
