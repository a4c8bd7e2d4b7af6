"""The read-only JSON API: endpoints, the site's filters, pages, published material only, rate limit."""

import json

import pytest
from django.core.cache import cache

from tests.browse_helpers import corpus_fixture, screen_ids  # noqa: F401 - corpus_fixture is a fixture
from tests.factories import QuotationFactory, SpeechFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_api_root_lists_every_endpoint(client, reference_data):
    data = client.get("/api/").json()
    assert set(data) == {
        "statements",
        "quotations",
        "speakers",
        "countries",
        "bodies",
        "meetings",
        "topics",
        "search",
        "schema",
        "docs",
    }
    assert data["search"] == "http://testserver/api/search/"
    assert data["docs"] == "http://testserver/api/docs/"


def test_speech_fields_are_stable(client, seed):
    row = client.get("/api/speeches/").json()["results"][0]
    assert list(row) == [
        "id",
        "url",
        "title",
        "date",
        "date_precision",
        "display_date",
        "speaker",
        "role",
        "country",
        "on_behalf_of",
        "event",
        "position",
        "language",
        "topics",
        "sources",
        "text",
        "published_at",
    ]
    assert row["url"] == "http://testserver/statements/1/" and row["speaker"] == {
        "slug": "zhang-jun",
        "name": "Zhang Jun",
    }
    assert row["country"] == {"code": "CHN", "name": "China"} and row["event"]["body"]["slug"] == "security-council"
    assert "counter-terrorism" in row["topics"] and row["sources"][0]["publisher"] == "Xinhua"


def test_detail_endpoints(client, seed):
    assert client.get("/api/speeches/1/").json()["display_date"] == "6 August 2020"
    quotation = seed.quotations.first()
    data = client.get(f"/api/quotations/{quotation.pk}/").json()
    assert data["text"] == quotation.text and data["statement"] == 1 and data["source"]["publisher"] == "Xinhua"
    assert client.get("/api/speakers/zhang-jun/").json()["statement_count"] == 1
    assert client.get("/api/countries/CHN/").json()["statement_count"] == 1
    assert client.get("/api/bodies/cted/").json()["parent"] == "counter-terrorism-committee"
    assert client.get("/api/topics/terrorism-financing/").json()["parent"] == "counter-terrorism"
    event = client.get("/api/events/2020-08-06-security-council-linkages-terrorism-organized-crime/").json()
    assert event["statement_count"] == 1 and event["body"]["slug"] == "security-council"


@pytest.mark.parametrize(
    "query",
    [
        "country=CHN",
        "country=CHN&country=FRA",
        "topic=terrorism-financing&year=2021",
        "body=counter-terrorism-committee&speaker=alice-martin",
        "date_from=2019&date_to=2020",
        "language=en&year=1970",
    ],
)
def test_speech_filters_match_the_site(client, corpus, query):
    api = ids(client.get(f"/api/speeches/?{query}&page_size=200"))
    site = screen_ids(client, f"/statements/?{query}")
    assert sorted(api) == sorted(site) and api


def test_filters_on_the_other_endpoints(client, corpus):
    speakers = [row["slug"] for row in client.get("/api/speakers/?country=FRA").json()["results"]]
    assert speakers == ["alice-martin"]
    events = [row["slug"] for row in client.get("/api/events/?body=counter-terrorism-committee").json()["results"]]
    assert events == ["ctc-2021"]
    QuotationFactory(speech=corpus["wang2021"])
    quotations = client.get("/api/quotations/?country=CHN&kind=direct").json()["results"]
    assert len(quotations) == 1 and quotations[0]["speaker"]["slug"] == "wang-yi"
    assert client.get("/api/quotations/?kind=indirect&country=CHN").json()["count"] == 0


@pytest.mark.parametrize("query", ["year=20x1", "country=%3Cscript%3E", "date_from=2020-13", "kind=maybe"])
def test_malformed_filters_are_a_400_with_the_reason(client, corpus, query):
    endpoint = "/api/quotations/" if query.startswith("kind") else "/api/speeches/"
    response = client.get(f"{endpoint}?{query}")
    assert response.status_code == 400
    assert "Ignored" in response.json()["filters"][0]


def test_pagination(client, reference_data):
    for _ in range(7):
        SpeechFactory()
    first = client.get("/api/speeches/?page_size=5").json()
    assert first["count"] == 7 and len(first["results"]) == 5 and "page=2" in first["next"]
    second = client.get("/api/speeches/?page_size=5&page=2").json()
    assert len(second["results"]) == 2 and not set(ids_of(first)) & set(ids_of(second))
    assert client.get("/api/speeches/?page=99").status_code == 404
    assert client.get("/api/speeches/?page=abc").status_code == 404


def ids_of(data):
    return [row["id"] for row in data["results"]]


def test_only_published_material(client, corpus):
    draft = corpus["draft"]
    assert draft.pk not in ids(client.get("/api/speeches/?page_size=200"))
    assert client.get(f"/api/speeches/{draft.pk}/").status_code == 404
    draft_quotation = draft.quotations.get()
    assert client.get(f"/api/quotations/{draft_quotation.pk}/").status_code == 404
    assert draft_quotation.pk not in ids(client.get("/api/quotations/?page_size=200"))
    assert client.get("/api/speakers/secret-draftperson/").status_code == 404
    assert "secret-draftperson" not in client.get("/api/speakers/?page_size=200").content.decode()
    assert client.get("/api/events/unannounced/").status_code == 404
    assert client.get("/api/countries/CHN/").json()["statement_count"] == 2


def test_read_only(client, seed):
    assert client.post("/api/speeches/", {}).status_code == 405
    assert client.delete("/api/speeches/1/").status_code == 405
    assert client.put("/api/speakers/zhang-jun/", {}).status_code == 405


def test_rate_limit_answers_429_with_retry_after(client, reference_data, settings, frozen_rate_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "3/minute"}
    statuses = [client.get("/api/countries/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/countries/")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def test_openapi_schema_describes_every_endpoint_and_the_filters(client, reference_data):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for name in ["statements", "quotations", "speakers", "countries", "bodies", "meetings", "topics"]:
        assert f"/api/{name}/" in paths
    # The first paths still answer (tests/test_vocabulary.py) but the schema names each thing once.
    assert not paths & {"/api/speeches/", "/api/events/"}
    parameters = {p["name"] for p in schema["paths"]["/api/statements/"]["get"]["parameters"]}
    assert {"country", "speaker", "topic", "year", "date_from", "date_to", "page", "page_size"} <= parameters


@pytest.mark.parametrize(
    "url,limit",
    [
        ("/api/speeches/", 6),
        ("/api/quotations/", 4),
        ("/api/speakers/", 4),
        ("/api/events/", 4),
        ("/api/countries/", 4),
    ],
)
def test_api_lists_use_a_fixed_number_of_queries(client, corpus, django_assert_max_num_queries, url, limit):
    for _ in range(20):
        QuotationFactory(speech=SpeechFactory(speaker=corpus["wang2021"].speaker, event=corpus["wang2021"].event))
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_api_rate_limit_zero_turns_it_off(client, reference_data, settings, frozen_rate_window):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "0"}
    assert {client.get("/api/countries/").status_code for _ in range(5)} == {200}
