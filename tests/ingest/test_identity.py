"""One person, one Speaker: a name from a UN corpus and the same name in a news report match."""

import pytest

from archive.models import Speaker

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "stored,in_the_news",
    [
        ("Zhang Jun", "Zhang Jun"),
        ("ZHANG Jun", "Zhang Jun"),  # UN records write family names in capitals
        ("Jun Zhang", "Zhang Jun"),  # word order differs between sources
        ("José Manuel Barroso", "Jose Manuel Barroso"),  # accents dropped by a wire service
        ("Vassily Nebenzia", "Mr. Vassily Nebenzia"),
    ],
)
def test_a_corpus_speaker_is_found_by_the_name_a_news_report_uses(stored, in_the_news):
    speaker = Speaker.objects.create(name=stored, slug="person")
    assert Speaker.objects.get_by_name(in_the_news) == speaker


def test_aliases_count_and_strangers_do_not_match():
    speaker = Speaker.objects.create(
        name="Vassily Alekseyevich Nebenzia", slug="nebenzia", aliases=["Vassily Nebenzia"]
    )
    assert Speaker.objects.get_by_name("Vassily Nebenzia") == speaker
    assert Speaker.objects.get_by_name("Vassily Ivanov") is None


def test_one_lookup_reads_only_the_speakers_sharing_a_word(django_assert_num_queries):
    Speaker.objects.bulk_create(Speaker(name=f"Person Number{n}", slug=f"person-{n}") for n in range(300))
    zhang = Speaker.objects.create(name="Zhang Jun", slug="zhang-jun")
    with django_assert_num_queries(1):
        assert Speaker.objects.get_by_name("Ambassador Jun Zhang") == zhang


def test_a_new_speaker_from_a_news_report_gets_a_free_slug(editor):
    from archive import services

    Speaker.objects.create(name="Someone Else", slug="maria-lopez")
    speaker = services.speaker_for_name(name="Maria  Lopez", editor=editor)
    assert (speaker.name, speaker.slug) == ("Maria Lopez", "maria-lopez-2")
    assert services.speaker_for_name(name="Lopez, Maria".replace(",", ""), editor=editor) == speaker
