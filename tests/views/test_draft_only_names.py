"""Draft-only existence is invisible: a speaker, meeting, country or topic known only from drafts
answers on every public page, feed and API exactly as a slug that does not exist (or, for the
reference data every reader sees, as an entry that has no statements)."""

import re

import pytest
from django.core.management import call_command

from archive.models import Country, Topic
from tests.factories import EventFactory, QuotationFactory, SpeakerFactory, SpeechFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "Wilhelmina Secretspeaker"
SECRET_EVENT = "Closed consultations on Zanzibarian matters"


@pytest.fixture
def drafts(seed, search_index):
    speaker = SpeakerFactory(name=SECRET_NAME, slug="wilhelmina-secretspeaker")
    event = EventFactory(title=SECRET_EVENT, slug="closed-consultations")
    speech = SpeechFactory(draft=True, speaker=speaker, event=event, country=Country.objects.get(code="NRU"))
    speech.topics.add(Topic.objects.get(slug="counter-terrorism"))
    QuotationFactory(speech=speech)
    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)
    return speaker, event


def _unstamped(text):
    return re.sub(r"<updated>[^<]*</updated>", "<updated/>", text)


def _text(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _same_answer(client, url, secret, unknown, names=()):
    """The page for the draft-only slug, and for a slug that does not exist, with the slugs (and
    for reference data, the names) swapped."""
    first = client.get(url.format(secret))
    second = client.get(url.format(unknown))
    assert first.status_code == second.status_code, url
    body = _text(first)
    assert SECRET_NAME not in body and SECRET_EVENT not in body, url
    for old, new in [(secret, unknown), *names]:
        body = body.replace(old, new)
    # An empty feed is "updated" when it is made: the one difference allowed.
    assert _unstamped(body) == _unstamped(_text(second)), url
    return first.status_code


@pytest.mark.parametrize(
    "url",
    [
        "/speakers/{}/",
        "/feeds/speakers/{}/",
        "/api/speakers/{}/",
        "/search/?speaker={}",
        "/search/?q=terrorism&speaker={}",
        "/search/?q=terrorism&speaker={}&type=quotations",
        "/search/feed/?speaker={}",
        "/api/search/?speaker={}",
        "/statements/?speaker={}",
        "/quotations/?speaker={}",
        "/feeds/statements/?speaker={}",
        "/api/speeches/?speaker={}",
        "/statements/?speaker={}&format=csv",
    ],
)
def test_a_speaker_known_only_from_drafts_answers_as_an_unknown_slug(client, drafts, url):
    _same_answer(client, url, "wilhelmina-secretspeaker", "nobody-at-all-xyzzy")


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/{}/",
        "/api/events/{}/",
        "/search/?event={}",
        "/statements/?event={}",
        "/feeds/statements/?event={}",
        "/api/speeches/?event={}",
    ],
)
def test_a_meeting_known_only_from_drafts_answers_as_an_unknown_slug(client, drafts, url):
    _same_answer(client, url, "closed-consultations", "no-such-meeting-xyzzy")


@pytest.mark.parametrize("url", ["/search/?q=speaker:{}", "/search/?q=peace+speaker:{}", "/api/search/?q=speaker:{}"])
def test_the_speaker_operator_does_not_know_draft_only_speakers(client, drafts, url):
    """`speaker:` resolves names and aliases; for a draft-only one it must say "No speaker matches"."""
    _same_answer(client, url, "Secretspeaker", "Nobodyxyzzy")
    _same_answer(client, url, "wilhelmina-secretspeaker", "nobody-at-all-xyzzy")


def test_lists_and_facets_do_not_name_draft_only_speakers_or_meetings(client, drafts):
    for url in ["/speakers/", "/meetings/", "/api/speakers/", "/api/events/", "/search/?q=terrorism", "/statements/"]:
        body = client.get(url).content.decode()
        assert SECRET_NAME not in body and SECRET_EVENT not in body, url


def test_a_country_or_topic_with_only_drafts_looks_like_one_without_statements(client, drafts):
    # Nauru's only statement is a draft; Tuvalu has none: every public answer is the same.
    assert _same_answer(client, "/feeds/countries/{}/", "nauru", "tuvalu", [("Nauru", "Tuvalu")]) == 200
    assert client.get("/api/countries/NRU/").json()["statement_count"] == 0
    swap = [("Nauru", "Tuvalu"), ("NRU", "TUV")]
    assert _same_answer(client, "/countries/{}/", "nauru", "tuvalu", swap) == 200
    # The draft is on counter-terrorism, and only the seed statement is published there.
    assert client.get("/api/speeches/?topic=counter-terrorism").json()["count"] == 1
    feed = client.get("/feeds/topics/counter-terrorism/").content.decode()
    assert feed.count("<entry>") == 1
