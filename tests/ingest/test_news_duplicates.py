"""One statement, many sources: the same report is not saved twice, another outlet's report of the
same speech becomes another source (archive/ingest/news_duplicates.find_existing, services.news_source_attach)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from archive import services
from archive.ingest import news, news_duplicates
from archive.models import Quotation, Source, Speech, source_text_hash
from tests.golden import news_article, seed_text

ADD = reverse("editor-news-add")
SECOND = news_article("wire-2020-08-07-zhang-jun-second-outlet")


def counts():
    return Source.objects.count(), Speech.objects.count(), Quotation.objects.count()


def form(text, **overrides):
    data = {"text": text, "publisher": "Xinhua", "published_on": "2020-08-07", "url": "", "title": ""}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_seed_fixture_source_has_its_text_hash(seed):
    source = seed.sources.get()
    assert source.text_hash == source_text_hash(source.original_text)


@pytest.mark.django_db
def test_pasting_the_seed_again_offers_to_attach_and_saves_nothing(seed, editor_client):
    before = counts()
    response = editor_client.post(ADD, form(seed_text()))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This report may already be in the archive" in html
    assert "This report is already in the archive (the same text" in html
    assert f'value="attach-{seed.pk}" checked' in html
    assert counts() == before
    # Attaching the very same report adds nothing: no second source, statement or quotation.
    response = editor_client.post(ADD, form(seed_text(), on_duplicate=f"attach-{seed.pk}"))
    assert response.status_code == 302
    assert response["Location"] == reverse("editor-news-review", args=[seed.pk])
    assert counts() == before
    # Search finds every quotation once.
    assert Quotation.objects.filter(text__startswith="Terrorism is our common enemy").count() == 1


@pytest.mark.django_db
def test_same_text_with_other_spacing_and_quote_marks_is_the_same_report(seed):
    text = seed_text().replace('"', "\u201c", 1).replace("\n\n", "\n\n\n")
    proposal = news.propose(text, published=datetime.date(2020, 8, 7))
    found = news_duplicates.find_existing(proposal)
    assert [e.speech for e in found] == [seed]
    assert found[0].same_source == seed.sources.get()


@pytest.mark.django_db
def test_a_second_outlet_becomes_a_second_source_of_the_statement(seed, editor_client, editor):
    before_quotations = set(seed.quotations.values_list("pk", flat=True))
    response = editor_client.post(ADD, form(SECOND, publisher="Example Daily", url="https://example.org/zhang"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zhang Jun already has a statement 6 August 2020" in html
    response = editor_client.post(
        ADD, form(SECOND, publisher="Example Daily", url="https://example.org/zhang", on_duplicate=f"attach-{seed.pk}")
    )
    assert response.status_code == 302
    assert Speech.objects.count() == 1
    assert [s.publisher for s in seed.sources.order_by("pk")] == ["Xinhua", "Example Daily"]
    # Its three quotations are the seed's: merged, not repeated.
    assert set(seed.quotations.values_list("pk", flat=True)) == before_quotations
    assert seed.history.first().history_change_reason.startswith("Another source: Example Daily")
    # The public statement page lists both sources.
    page = Client().get(seed.get_absolute_url()).content.decode()
    assert "Xinhua" in page and "Example Daily" in page and "https://example.org/zhang" in page


@pytest.mark.django_db
def test_a_new_quotation_from_the_second_source_is_proposed_on_the_statement(seed, editor):
    text = SECOND + '\n\n"We will never accept double standards in the fight against terrorism," Zhang said.'
    proposal = news.propose(text, published=datetime.date(2020, 8, 7))
    speech, added = services.news_source_attach(
        proposal=proposal, speech=seed, publisher="Example Daily", published_on=datetime.date(2020, 8, 7), editor=editor
    )
    assert added == 1
    new = speech.quotations.get(status="proposed")
    assert new.text == "We will never accept double standards in the fight against terrorism"
    assert new.source.publisher == "Example Daily"
    assert new.source.original_text[new.start : new.end] == new.text
    # Still public, and the pending proposal is not.
    assert Client().get(seed.get_absolute_url()).status_code == 200
    assert new not in Quotation.objects.published()


@pytest.mark.django_db
def test_creating_anyway_makes_new_drafts(seed, editor_client):
    response = editor_client.post(ADD, form(SECOND, publisher="Example Daily", on_duplicate="new"))
    assert response.status_code == 302
    assert Speech.objects.count() == 2


@pytest.mark.django_db
def test_a_different_report_is_not_offered_as_a_duplicate(seed):
    text = news_article("wire-2021-03-12-two-ambassadors")
    proposal = news.propose(text, published=datetime.date(2021, 3, 12))
    assert news_duplicates.find_existing(proposal) == []
