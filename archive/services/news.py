"""Statements from news reports: ``archive/ingest/news.py`` proposes, these functions save what an
editor accepts (drafts, another source for a statement, the review screen's decisions)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from archive.ingest.names import same_person
from archive.ingest.news import ProposedStatement
from archive.ingest.news_duplicates import quote_key
from archive.models import Event, Quotation, Source, Speech, source_text_hash
from archive.quotecheck import outbox as quotecheck_outbox
from archive.search import outbox
from archive.services.history import NoHistory, record_speech_history
from archive.services.quotations import (
    quotation_add,
    quotation_check_span,
    quotation_edit_span,
    quotation_move,
    quotation_review,
    quotations_accept_above,
)
from archive.services.speakers import speaker_for_name
from archive.services.statements import event_for_body, speech_update_metadata


def _news_event(*, proposal, date):
    event = proposal.event
    if event is None and proposal.body is not None and proposal.event_title:
        event = Event.objects.create(
            title=proposal.event_title[:400],
            slug=Event.objects.free_slug(f"{date.isoformat()} {proposal.body.slug} {proposal.event_title}"),
            body=proposal.body,
            date=date,
            kind=proposal.event_kind,
        )
    return event


def _statements_of(proposal, speaker_name=""):
    """The proposal's statements, the main one renamed when the editor named the speaker."""
    statements = list(proposal.statements)
    name = speaker_name.strip()
    if name:
        if statements and statements[0].speaker_name == proposal.speaker_name and proposal.speaker_name:
            first = statements[0]
            statements[0] = ProposedStatement(name, None, first.role, first.country, first.quotations)
        else:
            statements.insert(0, ProposedStatement(name, None, proposal.role, proposal.country, []))
    return statements


def _save_news_quotation(*, speech, speaker, source, proposed, editor):
    quote = proposed.quote
    quotation = Quotation(
        speech=speech,
        speaker=speaker,
        source=source,
        text=quote.text,
        kind=quote.kind,
        start=quote.start,
        end=quote.end,
        cue=quote.cue[:60],
        confidence=max(0.0, min(1.0, quote.confidence)),
        reviewed=False,
        status=Quotation.Status.PROPOSED,
    )
    quotation_check_span(quotation=quotation)
    quotation._history_user = editor
    quotation.save()
    quotecheck_outbox.enqueue_quotations(Quotation.objects.filter(pk=quotation.pk))  # issue 13
    return quotation


def news_source_create(*, text, publisher, url="", title="", published_on=None, editor=None):
    publisher = (publisher or "").strip()
    if not publisher:
        raise ValidationError({"publisher": "Give the publisher of the report."})
    source = Source(
        kind=Source.Kind.NEWS,
        publisher=publisher,
        url=url,
        title=title,
        published_on=published_on,
        original_text=text,
    )
    source._history_user = editor
    source.save()
    return source


@transaction.atomic
def news_drafts_create(*, proposal, publisher, url="", title="", published_on=None, speaker_name="", editor=None):
    """Save a proposal as draft statements, one per speaker quoted: the source verbatim (one row,
    shared), and each statement with its own speaker, delegation and proposed quotations.

    All or nothing: a quotation whose offsets do not slice its text out of the source aborts the
    whole article (the database refuses it too). Returns the statements, the main speaker's first.
    """
    publisher = (publisher or "").strip()
    if not publisher:
        raise ValidationError({"publisher": "Give the publisher of the report."})
    statements = _statements_of(proposal, speaker_name)
    if not statements:
        raise ValidationError(
            {"speaker": "The archive could not tell who is speaking: give the speaker's name and try again."}
        )
    date = proposal.date.date if proposal.date else published_on
    if date is None:
        raise ValidationError({"published_on": "Give the publication date so the statement can be dated."})

    source = news_source_create(
        text=proposal.text, publisher=publisher, url=url, title=title, published_on=published_on, editor=editor
    )
    event = _news_event(proposal=proposal, date=date)
    speeches = []
    for number, statement in enumerate(statements):
        speaker = statement.speaker or speaker_for_name(name=statement.speaker_name, editor=editor)
        speech = Speech(
            speaker=speaker,
            event=event,
            country=statement.country,
            role=statement.role[:300],
            date=date,
            date_precision=proposal.date.precision if proposal.date else Speech.DatePrecision.DAY,
            title=title[:400] if number == 0 else "",
            status=Speech.Status.DRAFT,
        )
        with NoHistory(speech):
            speech.save()
            speech.sources.add(source)
            speech.topics.set(proposal.topics)
            speech.instruments.set(proposal.instruments)
        record_speech_history(speech, editor=editor, reason=f"Draft from a news report ({publisher})", created=True)
        for proposed in statement.quotations:
            _save_news_quotation(speech=speech, speaker=speaker, source=source, proposed=proposed, editor=editor)
        speeches.append(speech)
    return speeches


def news_draft_create(*, proposal, publisher, url="", title="", published_on=None, speaker_name="", editor=None):
    """The main speaker's draft statement of ``news_drafts_create`` (the others are saved too)."""
    return news_drafts_create(
        proposal=proposal,
        publisher=publisher,
        url=url,
        title=title,
        published_on=published_on,
        speaker_name=speaker_name,
        editor=editor,
    )[0]


def _already_quoted(speech, proposed, source):
    """Whether the statement already holds this quotation (from any source) or a span overlapping it
    in the same source: the same words are merged, never proposed twice."""
    key = quote_key(proposed.quote.text)
    for quotation in speech.quotations.exclude(status=Quotation.Status.REJECTED):
        other = quote_key(quotation.text)
        if other and key and (key in other or other in key):
            return True
        if (
            quotation.source_id == source.pk
            and quotation.start < proposed.quote.end
            and proposed.quote.start < quotation.end
        ):
            return True
    return False


@transaction.atomic
def news_source_attach(*, proposal, speech, publisher, url="", title="", published_on=None, editor=None):
    """Add a report as another source of an existing statement instead of creating a duplicate.

    The very same report (same normalised text) is not stored twice. Quotations of the statement's
    speaker that it does not already hold are added as proposals; those it holds are merged (kept
    once). Other speakers quoted in the report go to their statements from the same event and date,
    or to new drafts. Returns (statement, number of quotations added).
    """
    speech = Speech.objects.select_for_update().select_related("speaker").get(pk=speech.pk)
    text_hash = source_text_hash(proposal.text)
    source = Source.objects.filter(kind=Source.Kind.NEWS, text_hash=text_hash).order_by("pk").first()
    if source is None:
        source = news_source_create(
            text=proposal.text, publisher=publisher, url=url, title=title, published_on=published_on, editor=editor
        )
    statements = _statements_of(proposal)
    mine = next((st for st in statements if st.speaker is not None and st.speaker.pk == speech.speaker_id), None)
    if mine is None and statements:
        mine = next((st for st in statements if same_person(st.speaker_name, speech.speaker.name)), None)
    added = 0
    if not speech.sources.filter(pk=source.pk).exists():
        with NoHistory(speech):
            speech.sources.add(source)
        record_speech_history(speech, editor=editor, reason=f"Another source: {source}")
    for proposed in mine.quotations if mine else []:
        if not _already_quoted(speech, proposed, source):
            _save_news_quotation(speech=speech, speaker=speech.speaker, source=source, proposed=proposed, editor=editor)
            added += 1
    for statement in statements:
        if statement is not mine:
            _attach_other_speaker(statement=statement, speech=speech, source=source, editor=editor)
    if speech.is_published:
        outbox.enqueue_speech(speech)
    return speech, added


def _attach_other_speaker(*, statement, speech, source, editor):
    """Another speaker quoted in a report attached to ``speech``: their statement from the same event
    and date (or the one holding this source) gets the source and their quotations; else a new draft."""
    speaker = statement.speaker or speaker_for_name(name=statement.speaker_name, editor=editor)
    same_speech = Q(event=speech.event, date=speech.date) if speech.event_id else Q(date=speech.date)
    other = Speech.objects.filter(Q(sources=source) | same_speech, speaker=speaker).order_by("pk").first()
    if other is None:
        other = Speech(
            speaker=speaker,
            event=speech.event,
            country=statement.country,
            role=statement.role[:300],
            date=speech.date,
            date_precision=speech.date_precision,
            status=Speech.Status.DRAFT,
        )
        with NoHistory(other):
            other.save()
            other.sources.add(source)
            other.topics.set(speech.topics.all())
            other.instruments.set(speech.instruments.all())
        record_speech_history(other, editor=editor, reason=f"Draft from a news report ({source})", created=True)
    elif not other.sources.filter(pk=source.pk).exists():
        with NoHistory(other):
            other.sources.add(source)
        record_speech_history(other, editor=editor, reason=f"Another source: {source}")
    for proposed in statement.quotations:
        if not _already_quoted(other, proposed, source):
            _save_news_quotation(speech=other, speaker=speaker, source=source, proposed=proposed, editor=editor)
    if other.is_published:
        outbox.enqueue_speech(other)


@transaction.atomic
def news_review_save(*, speech, metadata, decisions, editor=None, accept_above=None, new_quotation=None):
    """Everything an editor decided on the review screen, in one transaction: all of it or none.

    The statement gets one history row (reason "Review: ..." naming what changed); each quotation
    that changed gets its own. With ``accept_above``, every quotation still undecided after the
    editor's own decisions whose confidence is at least that is accepted too.
    """
    event = metadata.get("event", speech.event)
    if event is None and metadata.get("body") is not None:
        event = event_for_body(body=metadata["body"], date=metadata["date"], editor=editor)
    metadata = {**metadata, "event": event}
    update = {
        "speaker_name": metadata["speaker_name"],
        "role": metadata["role"],
        "country": metadata["country"],
        "date": metadata["date"],
        "date_precision": metadata["date_precision"],
        "title": metadata["title"],
        "event": metadata.get("event", speech.event),
    }
    for name in ("topics", "instruments"):
        if name in metadata:
            update[name] = metadata[name]
    speech = speech_update_metadata(speech=speech, editor=editor, reason="Review", **update)
    moved = []
    for quotation, decision in decisions:
        quotation.refresh_from_db()
        if (decision["start"], decision["end"]) != (quotation.start, quotation.end):
            quotation = quotation_edit_span(
                quotation=quotation, start=decision["start"], end=decision["end"], editor=editor
            )
        if decision["speaker_name"].strip() and decision["speaker_name"].strip() != quotation.speaker.name:
            quotation = quotation_move(quotation=quotation, speaker_name=decision["speaker_name"], editor=editor)
            if quotation.speech_id != speech.pk:
                moved.append(quotation)
        if decision["decision"] != quotation.status and decision["decision"] in (
            Quotation.Status.ACCEPTED,
            Quotation.Status.REJECTED,
        ):
            quotation_review(
                quotation=quotation, accept=decision["decision"] == Quotation.Status.ACCEPTED, editor=editor
            )
    if new_quotation:
        added = quotation_add(speech=speech, editor=editor, **new_quotation)
        if added.speech_id != speech.pk:
            moved.append(added)
    if accept_above is not None:
        quotations_accept_above(speech=speech, threshold=accept_above, editor=editor)
    return moved
