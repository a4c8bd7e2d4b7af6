"""One read side: a page and its feed cover the same statements (one scope method each), old
addresses of meetings and of the API keep working, and the search page and the browse pages make
their links and pagination the same way."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from archive.models import Body, Topic
from tests.browse_helpers import corpus_fixture, screen_ids  # noqa: F401 - a fixture
from tests.factories import EventFactory, SpeakerFactory, SpeechFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_ids(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.findall(f"{ATOM}entry")]
    return sorted(int(re.search(r"/statements/(\d+)/", link).group(1)) for link in links)


def _deep_tree(model, depth, **fields):
    """A chain of ``depth`` nodes below the first one of ``model``, each a child of the last."""
    parent = model.objects.get(**fields)
    chain = []
    for level in range(depth):
        parent = model.objects.create(name=f"Level {level} under {parent.name}", slug=f"level-{level}", parent=parent)
        chain.append(parent)
    return chain


def test_a_body_page_and_its_feed_list_the_same_statements_subsidiary_bodies_included(client, reference_data):
    chain = _deep_tree(Body, 4, slug="security-council")
    speeches = [SpeechFactory(event=EventFactory(body=body, title=f"Meeting of {body.slug}")) for body in chain]
    SpeechFactory(event=EventFactory(body=chain[-1], title="Unannounced"), draft=True)
    SpeechFactory(event=EventFactory(body=Body.objects.get(slug="general-assembly"), title="Elsewhere"))
    expected = sorted(speech.pk for speech in speeches)
    assert sorted(screen_ids(client, "/bodies/security-council/")) == expected
    assert feed_ids(client, "/feeds/bodies/security-council/") == expected
    # A narrower body's page and feed: itself and what is below it.
    assert sorted(screen_ids(client, "/bodies/level-2/")) == expected[2:]
    assert feed_ids(client, "/feeds/bodies/level-2/") == expected[2:]


def test_a_topic_page_and_its_feed_list_the_same_statements_once_each(client, reference_data):
    top = Topic.objects.get(slug="counter-terrorism")
    chain = _deep_tree(Topic, 3, slug="counter-terrorism")
    on_two = SpeechFactory()
    on_two.topics.set([top, chain[-1]])  # tagged twice within the subtree: still one statement
    deep = SpeechFactory()
    deep.topics.set([chain[1]])
    expected = sorted([on_two.pk, deep.pk])
    assert sorted(screen_ids(client, "/topics/counter-terrorism/")) == expected
    assert feed_ids(client, "/feeds/topics/counter-terrorism/") == expected


@pytest.mark.parametrize("kind", ["bodies", "topics"])
def test_feeds_of_a_tree_use_the_same_queries_however_deep_it_is(
    client, reference_data, django_assert_max_num_queries, kind
):
    """The subtree is read in one query: a deeper tree costs no query per level."""
    model, slug = (Body, "security-council") if kind == "bodies" else (Topic, "counter-terrorism")
    with django_assert_max_num_queries(4):
        assert client.get(f"/feeds/{kind}/{slug}/").status_code == 200
    _deep_tree(model, 6, slug=slug)
    with django_assert_max_num_queries(4):
        assert client.get(f"/feeds/{kind}/{slug}/").status_code == 200


def test_a_speaker_known_only_from_drafts_has_no_page_and_no_feed(client, reference_data):
    speaker = SpeakerFactory(name="Only In Drafts", slug="only-in-drafts")
    SpeechFactory(speaker=speaker, draft=True)
    assert client.get("/speakers/only-in-drafts/").status_code == 404
    assert client.get("/feeds/speakers/only-in-drafts/").status_code == 404
    assert client.get("/api/speakers/only-in-drafts/").status_code == 404
    SpeechFactory(speaker=speaker)
    assert client.get("/feeds/speakers/only-in-drafts/").status_code == 200


def test_the_draft_badge_shows_to_previewing_editors_only(editor_client, reference_data):
    event = EventFactory(title="Mixed meeting", slug="mixed")
    SpeechFactory(event=event, title="Said in public", position=1)
    SpeechFactory(event=event, title="Not yet said", position=2, draft=True)
    public = Client().get("/meetings/mixed/").content.decode()
    assert "badge-draft" not in public and "Said in public" in public
    html = editor_client.get("/meetings/mixed/").content.decode()
    assert html.count("badge-draft") == 1 and "Not yet said" in html


# --- One vocabulary: statements and meetings, the old addresses kept -----------------------------


def test_meetings_have_their_own_address_and_the_old_one_redirects(client, corpus):
    assert client.get("/meetings/").status_code == 200
    assert client.get("/meetings/ctc-2021/").status_code == 200
    old = client.get("/events/?body=counter-terrorism-committee&page=1")
    assert old.status_code == 301 and old["Location"] == "/meetings/?body=counter-terrorism-committee&page=1"
    old = client.get("/events/ctc-2021/?format=csv")
    assert old.status_code == 301 and old["Location"] == "/meetings/ctc-2021/?format=csv"
    assert client.get("/events/no-such-meeting/", follow=True).status_code == 404
    html = client.get("/statements/").content.decode()
    assert 'href="/meetings/"' in html and 'href="/events/' not in html


@pytest.mark.parametrize(
    "new,old",
    [
        ("/api/statements/?country=CHN", "/api/speeches/?country=CHN"),
        ("/api/meetings/", "/api/events/"),
        ("/api/meetings/ctc-2021/", "/api/events/ctc-2021/"),
    ],
)
def test_the_api_answers_at_the_new_paths_and_the_old_ones_alike(client, corpus, new, old):
    first, second = client.get(new), client.get(old)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()


def test_the_old_statements_path_lists_the_same_published_statements(client, corpus):
    listed = sorted(item["id"] for item in client.get("/api/statements/").json()["results"])
    assert listed == sorted(item["id"] for item in client.get("/api/speeches/").json()["results"])
    assert corpus["draft"].pk not in listed


# --- One way to make links -------------------------------------------------------------------------


def test_browse_pages_paginate_with_one_link_shape(client, reference_data):
    speaker = SpeakerFactory(name="Many Statements", slug="many")
    for day in range(25):
        SpeechFactory(speaker=speaker, date=datetime.date(2020, 1, day + 1))
    html = client.get("/speakers/many/?sort=oldest&format=nonsense").content.decode()
    assert '<a rel="next" href="?sort=oldest&amp;page=2">Next</a>' in html
    assert "Page 1 of 2 (25 statements)" in html
    second = client.get("/speakers/many/?sort=oldest&page=2").content.decode()
    assert '<a rel="prev" href="?sort=oldest&amp;page=1">Previous</a>' in second
    speakers = client.get("/speakers/?letter=s").content.decode()
    assert 'href="?letter=Z"' in speakers and 'href="?"' in speakers  # the letters keep no page
