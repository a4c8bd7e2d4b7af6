"""The query language's field operators find speakers and countries in the database, not in Python
(archive/search/query.py with Speaker.objects.named and Country.objects.named)."""

import pytest

from archive.models import Speaker
from archive.search.query import parse_user_query
from tests.factories import SpeakerFactory, SpeechFactory

pytestmark = pytest.mark.django_db


def test_a_speaker_is_found_by_name_in_either_word_order(reference_data):
    SpeechFactory(speaker=SpeakerFactory(name="Zhang Jun", slug="zhang-jun"))
    for typed in ("zhang-jun", '"Zhang Jun"', '"Jun Zhang"', '"Ambassador Zhang Jun"'):
        parsed = parse_user_query(f"speaker:{typed} terrorism")
        assert parsed.text == 'speaker:"zhang-jun" terrorism', typed
        assert parsed.messages == [], typed


def test_a_speaker_known_only_from_drafts_is_not_found(reference_data):
    SpeechFactory(speaker=SpeakerFactory(name="Hidden Person", slug="hidden-person"), draft=True)
    parsed = parse_user_query('speaker:"Person Hidden"')
    assert parsed.messages == ["No speaker matches 'Person Hidden'."]


def test_operators_cost_a_few_queries_however_many_speakers_there_are(reference_data, django_assert_max_num_queries):
    Speaker.objects.bulk_create(Speaker(name=f"Person Number{n}", slug=f"person-{n}") for n in range(500))
    SpeechFactory(speaker=SpeakerFactory(name="Zhang Jun", slug="zhang-jun"))
    # At most four narrow queries per operator (exact, contains, alias, name key): never a table read.
    with django_assert_max_num_queries(9):
        parsed = parse_user_query('speaker:"Jun Zhang" country:"ivory coast" country:nowhere')
    assert 'speaker:"zhang-jun"' in parsed.text and 'country:"CIV"' in parsed.text
    assert parsed.messages == ["No country matches 'nowhere'."]
