"""Saving a news proposal as a draft, reviewing it and publishing it (archive/services/)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from archive import services
from archive.ingest import news
from archive.models import IndexTask, Quotation, Source, Speaker, Speech

REPORT = (
    "Maria Lopez, Spain's permanent representative to the United Nations, said on Monday that the Security "
    "Council must act before the end of the year.\n\n"
    '"We cannot wait another year for this," Lopez said.\n\n'
    '"This resolution goes much too far for us," said Peter Brown, the British envoy.'
)
MONDAY = datetime.date(2021, 3, 1)


def draft(editor, text=REPORT, **kwargs):
    proposal = news.propose(text, published=MONDAY + datetime.timedelta(days=1))
    return services.news_draft_create(
        proposal=proposal, publisher="Example News", published_on=MONDAY, editor=editor, **kwargs
    )


@pytest.mark.django_db
def test_draft_keeps_the_source_verbatim_and_proposes_quotations(editor):
    speech = draft(editor)
    source = speech.sources.get()
    assert source.original_text == REPORT
    assert speech.status == Speech.Status.DRAFT
    assert speech.speaker.name == "Maria Lopez"
    assert speech.role == "Permanent Representative of Spain to the United Nations"
    assert speech.country.code == "ESP"
    assert speech.date == MONDAY
    quotations = list(source.quotations.order_by("start"))
    assert [(q.kind, q.speaker.name, q.status, q.reviewed) for q in quotations] == [
        ("indirect", "Maria Lopez", "proposed", False),
        ("direct", "Maria Lopez", "proposed", False),
        ("direct", "Peter Brown", "proposed", False),
    ]
    for q in quotations:
        assert source.original_text[q.start : q.end] == q.text
    assert speech.history.first().history_user == editor
    assert quotations[0].history.first().history_user == editor


@pytest.mark.django_db
def test_each_speaker_quoted_gets_a_statement_of_their_own(editor):
    """One article, two speakers: two draft statements sharing the one source, each with only its
    own quotations and its own delegation."""
    proposal = news.propose(REPORT, published=MONDAY + datetime.timedelta(days=1))
    lopez, brown = services.news_drafts_create(
        proposal=proposal, publisher="Example News", published_on=MONDAY, editor=editor
    )
    assert Source.objects.count() == 1
    assert lopez.sources.get() == brown.sources.get()
    assert (lopez.speaker.name, lopez.country.code) == ("Maria Lopez", "ESP")
    assert (brown.speaker.name, brown.country.code) == ("Peter Brown", "GBR")
    assert {q.speaker.name for q in lopez.quotations.all()} == {"Maria Lopez"}
    assert [q.text for q in brown.quotations.all()] == ["This resolution goes much too far for us"]
    assert (lopez.date, brown.date) == (MONDAY, MONDAY)
    # Creating a statement is one history row, not one per field set.
    assert lopez.history.count() == 1
    assert brown.history.count() == 1


@pytest.mark.django_db
def test_existing_speaker_is_reused(editor):
    existing = Speaker.objects.create(name="Maria Lopez", slug="maria-lopez", aliases=["Lopez"])
    speech = draft(editor)
    assert speech.speaker == existing
    assert Speaker.objects.filter(name="Maria Lopez").count() == 1


@pytest.mark.django_db
def test_a_bad_quotation_saves_nothing(editor):
    proposal = news.propose(REPORT, published=MONDAY)
    proposal.quotations[1].quote.start += 1  # offsets no longer slice the text out of the source
    counts = (Source.objects.count(), Speech.objects.count(), Quotation.objects.count())
    with pytest.raises(ValidationError):
        services.news_draft_create(proposal=proposal, publisher="Example News", published_on=MONDAY, editor=editor)
    assert (Source.objects.count(), Speech.objects.count(), Quotation.objects.count()) == counts


@pytest.mark.django_db
def test_no_speaker_is_a_clear_error(editor):
    proposal = news.propose("The weather was fine and nobody said anything at all.", published=MONDAY)
    with pytest.raises(ValidationError, match="could not tell who is speaking"):
        services.news_draft_create(proposal=proposal, publisher="Example News", published_on=MONDAY)
    speech = services.news_draft_create(
        proposal=proposal, publisher="Example News", published_on=MONDAY, speaker_name="Maria Lopez"
    )
    assert speech.speaker.name == "Maria Lopez"


@pytest.mark.django_db
def test_review_accept_reject_edit_and_speaker_are_in_the_history(editor):
    draft(editor)
    indirect, mine, theirs = Quotation.objects.order_by("start")
    services.quotation_review(quotation=mine, accept=True, editor=editor)
    services.quotation_review(quotation=theirs, accept=False, editor=editor)
    services.quotation_edit_span(quotation=indirect, start=indirect.start + 4, end=indirect.end, editor=editor)
    services.quotation_change_speaker(quotation=indirect, speaker_name="Peter Brown", editor=editor)
    indirect.refresh_from_db()
    assert indirect.text == REPORT[indirect.start : indirect.end]
    assert indirect.speaker.name == "Peter Brown"
    assert indirect.history.count() == 3  # proposed, span edited, speaker changed
    assert {h.history_user for h in indirect.history.all()} == {editor}
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.reviewed) == ("accepted", True)
    assert (theirs.status, theirs.reviewed) == ("rejected", True)
    assert theirs.history.filter(status="proposed").exists()  # what the extractor proposed stays on record


@pytest.mark.django_db
def test_span_outside_the_source_is_refused(editor):
    speech = draft(editor)
    q = speech.quotations.first()
    with pytest.raises(ValidationError):
        services.quotation_edit_span(quotation=q, start=10, end=len(REPORT) + 5, editor=editor)


@pytest.mark.django_db
def test_source_text_cannot_be_edited(editor):
    speech = draft(editor)
    source = speech.sources.get()
    source.original_text = source.original_text.replace("Lopez", "Lopes")
    with pytest.raises(IntegrityError), transaction.atomic():
        source.save()


@pytest.mark.django_db
def test_publishing_waits_for_review_and_shows_only_accepted_quotations(editor):
    speech = draft(editor)
    indirect, mine, theirs = Quotation.objects.order_by("start")
    with pytest.raises(ValidationError, match="not reviewed"):
        services.speech_publish(speech=speech, editor=editor)
    services.quotation_review(quotation=indirect, accept=True, editor=editor)
    services.quotation_review(quotation=mine, accept=True, editor=editor)
    services.quotation_review(quotation=theirs, accept=False, editor=editor)
    services.speech_publish(speech=speech, editor=editor)
    assert set(Quotation.objects.published()) == {indirect, mine}
    # A later correction to a published statement is queued for the search index.
    IndexTask.objects.all().delete()
    services.quotation_review(quotation=mine, accept=False, editor=editor)
    assert IndexTask.objects.filter(model="archive.speech", object_id=str(speech.pk)).exists()
