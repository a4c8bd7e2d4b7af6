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
