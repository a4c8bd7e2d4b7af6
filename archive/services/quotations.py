"""Quotations: their spans checked, reviewed, corrected, added and moved between speakers."""

from django.core.exceptions import ValidationError
from django.db import transaction

from archive.models import Quotation, Source, Speech
from archive.quotecheck import outbox as quotecheck_outbox
from archive.search import outbox
from archive.services.history import NoHistory, record_speech_history
from archive.services.speakers import speaker_for_name


def quotation_check_span(*, quotation):
    """Raise ValidationError unless start/end slice exactly the quotation's text out of its context."""
    context = quotation.context_text
    if quotation.start is None or quotation.end is None:
        raise ValidationError({"start": "A quotation needs its character offsets."})
    if not (0 <= quotation.start <= quotation.end <= len(context)):
        raise ValidationError(
            {"start": f"Offsets {quotation.start}-{quotation.end} fall outside the text ({len(context)} characters)."}
        )
    if context[quotation.start : quotation.end] != quotation.text:
        raise ValidationError({"text": f"The text at {quotation.start}-{quotation.end} is not the quotation's text."})


def quotation_locate(*, text, context, start=None):
    """Offsets of ``text`` in ``context``: the occurrence at ``start`` if given, else the first one."""
    if start is not None and context[start : start + len(text)] == text:
        return start, start + len(text)
    found = context.find(text)
    if found < 0:
        raise ValidationError({"text": "This quotation does not appear word for word in its source text."})
    return found, found + len(text)


def _after_quotation_change(quotation):
    quotecheck_outbox.enqueue_quotations(Quotation.objects.filter(pk=quotation.pk))  # issue 13
    if quotation.speech.is_published:
        outbox.enqueue_speech(quotation.speech)


@transaction.atomic
def quotation_review(*, quotation, accept, editor=None):
    """Accept or reject a proposed quotation. Rejected ones stay on record, out of public view."""
    quotation = Quotation.objects.select_for_update(of=("self",)).select_related("speech").get(pk=quotation.pk)
    quotation.status = Quotation.Status.ACCEPTED if accept else Quotation.Status.REJECTED
    quotation.reviewed = True
    quotation._history_user = editor
    quotation.save(update_fields=["status", "reviewed", "updated_at"])
    _after_quotation_change(quotation)
    return quotation


@transaction.atomic
def quotation_edit_span(*, quotation, start, end, editor=None):
    """Move a quotation's span within its source; its text becomes exactly what the new offsets slice."""
    quotation = (
        Quotation.objects.select_for_update(of=("self",)).select_related("speech", "source").get(pk=quotation.pk)
    )
    context = quotation.context_text
    if start is None or end is None or not (0 <= start < end <= len(context)):
        raise ValidationError(
            {"start": f"Offsets {start}-{end} must satisfy 0 <= start < end <= {len(context)} (the text's length)."}
        )
    text = context[start:end]
    if not text.strip():
        raise ValidationError({"start": "The new span holds only spaces."})
    if (quotation.start, quotation.end) == (start, end):
        return quotation
    quotation.start, quotation.end, quotation.text = start, end, text
    quotation._history_user = editor
    quotation.save(update_fields=["start", "end", "text", "updated_at"])
    _after_quotation_change(quotation)
    return quotation


@transaction.atomic
def quotation_change_speaker(*, quotation, speaker_name, editor=None):
    quotation = (
        Quotation.objects.select_for_update(of=("self",)).select_related("speech", "speaker").get(pk=quotation.pk)
    )
    speaker = speaker_for_name(name=speaker_name, editor=editor)
    if speaker.pk == quotation.speaker_id:
        return quotation
    quotation.speaker = speaker
    quotation._history_user = editor
    quotation.save(update_fields=["speaker", "updated_at"])
    _after_quotation_change(quotation)
    return quotation


@transaction.atomic
def quotation_add(*, speech, start, end, speaker_name="", kind=Quotation.Kind.DIRECT, editor=None):
    """A quotation the editor marked in the report: accepted, with the exact text at start-end.
    Said by someone else, it goes to that speaker's statement from the same report."""
    source = speech.sources.filter(kind=Source.Kind.NEWS).order_by("pk").first()
    context = Quotation.text_of(source=source, speech=speech)
    if start is None or end is None or not (0 <= start < end <= len(context)):
        raise ValidationError({"start": f"A new quotation needs 0 <= start < end <= {len(context)}."})
    text = context[start:end]
    if not text.strip():
        raise ValidationError({"start": "The new span holds only spaces."})
    quotation = Quotation(
        speech=speech,
        speaker=speech.speaker,
        source=source,
        text=text,
        kind=kind,
        start=start,
        end=end,
        confidence=1.0,
        reviewed=True,
        status=Quotation.Status.ACCEPTED,
    )
    quotation_check_span(quotation=quotation)
    quotation._history_user = editor
    quotation._change_reason = "Marked by the editor on the review screen"
    quotation.save()
    if speaker_name.strip() and speaker_name.strip() != speech.speaker.name:
        quotation = quotation_move(quotation=quotation, speaker_name=speaker_name, editor=editor)
    _after_quotation_change(quotation)
    return quotation


@transaction.atomic
def quotations_accept_above(*, speech, threshold, editor=None):
    """Accept every proposed quotation of a statement whose confidence is at least ``threshold``."""
    accepted = 0
    for quotation in speech.quotations.filter(status=Quotation.Status.PROPOSED, confidence__gte=threshold):
        quotation_review(quotation=quotation, accept=True, editor=editor)
        accepted += 1
    return accepted


@transaction.atomic
def quotation_move(*, quotation, speaker_name, editor=None):
    """Give a quotation to another speaker. A quotation from a news report moves to that speaker's
    statement from the same report (a new draft when there is none yet): one statement per speaker."""
    quotation = (
        Quotation.objects.select_for_update(of=("self",))
        .select_related("speech", "speaker", "source")
        .get(pk=quotation.pk)
    )
    speaker = speaker_for_name(name=speaker_name, editor=editor)
    if speaker.pk == quotation.speaker_id:
        return quotation
    old_speech = quotation.speech
    target = old_speech
    if quotation.source_id and quotation.source.kind == Source.Kind.NEWS and speaker.pk != old_speech.speaker_id:
        target = Speech.objects.filter(sources=quotation.source, speaker=speaker).order_by("status", "pk").first()
        if target is None:
            target = Speech(
                speaker=speaker,
                event=old_speech.event,
                date=old_speech.date,
                date_precision=old_speech.date_precision,
                status=Speech.Status.DRAFT,
            )
            with NoHistory(target):
                target.save()
                target.sources.add(quotation.source)
                target.topics.set(old_speech.topics.all())
                target.instruments.set(old_speech.instruments.all())
            record_speech_history(
                target,
                editor=editor,
                reason=f"Draft for a quotation moved from statement #{old_speech.pk}",
                created=True,
            )
    quotation.speaker = speaker
    quotation.speech = target
    quotation._history_user = editor
    quotation._change_reason = (
        f"Moved to {speaker.name}'s statement #{target.pk}" if target.pk != old_speech.pk else "Speaker changed"
    )
    quotation.save(update_fields=["speaker", "speech", "updated_at"])
    for affected in {old_speech.pk: old_speech, target.pk: target}.values():
        if affected.is_published:
            outbox.enqueue_speech(affected)
    return quotation
