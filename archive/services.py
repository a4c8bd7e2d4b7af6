"""Writes that span models. Keyword-only, atomic, and the only place business rules live."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from archive.models import Speech
from archive.search import outbox


@transaction.atomic
def speech_publish(*, speech, editor=None):
    """Make a statement public. Its quotations must point at real spans of their text."""
    speech = Speech.objects.select_for_update().get(pk=speech.pk)
    if speech.is_published:
        return speech
    for quotation in speech.quotations.select_related("source"):
        quotation_check_span(quotation=quotation)
    speech.status = Speech.Status.PUBLISHED
    speech.published_at = timezone.now()
    speech._history_user = editor
    speech.save(update_fields=["status", "published_at", "updated_at"])
    outbox.enqueue_speech(speech)
    return speech


@transaction.atomic
def speech_unpublish(*, speech, editor=None):
    """Withdraw a statement from the public site; it becomes a draft again."""
    speech = Speech.objects.select_for_update().get(pk=speech.pk)
    if speech.status == Speech.Status.DRAFT:
        return speech
    speech.status = Speech.Status.DRAFT
    speech.published_at = None
    speech._history_user = editor
    speech.save(update_fields=["status", "published_at", "updated_at"])
    outbox.enqueue_speech(speech)
    return speech


def quotation_check_span(*, quotation):
    """Raise ValidationError unless start/end slice exactly the quotation's text out of its context."""
    context = quotation.source.original_text if quotation.source_id else quotation.speech.text
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


@transaction.atomic
def quotation_set_span(*, quotation):
    """Fill in or correct a quotation's offsets from its text before it is saved."""
    context = quotation.source.original_text if quotation.source_id else quotation.speech.text
    quotation.start, quotation.end = quotation_locate(text=quotation.text, context=context, start=quotation.start)
    return quotation


@transaction.atomic
def speech_delete(*, speech, editor=None):
    """Delete a statement and its quotations; the search index drops them in the same transaction."""
    speech = Speech.objects.select_for_update().get(pk=speech.pk)
    quotation_ids = list(speech.quotations.values_list("pk", flat=True))
    outbox.enqueue(outbox.SPEECH, [speech.pk], action="delete")
    outbox.enqueue(outbox.QUOTATION, quotation_ids, action="delete")
    speech._history_user = editor
    speech.delete()
