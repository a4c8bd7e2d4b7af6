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
def speaker_merge(*, keep, duplicate, editor=None):
    """Make two Speakers one: every speech and quotation of ``duplicate`` moves to ``keep``.

    ``keep`` gains the duplicate's name and aliases as aliases, so later imports match them; both
    speakers' history records the change and who made it; published speeches are re-indexed.
    """
    from archive.models import Quotation, Speaker

    if keep.pk == duplicate.pk:
        raise ValidationError("A speaker cannot be merged into itself.")
    keep = Speaker.objects.select_for_update().get(pk=keep.pk)
    duplicate = Speaker.objects.select_for_update().get(pk=duplicate.pk)
    moved_speeches = list(Speech.objects.filter(speaker=duplicate).values_list("pk", flat=True))
    # Saved one by one (not .update()) so that each change lands in the history with its editor.
    for speech in Speech.objects.filter(pk__in=moved_speeches):
        speech.speaker = keep
        speech._history_user = editor
        speech.save(update_fields=["speaker", "updated_at"])
    moved_quotations = list(Quotation.objects.filter(speaker=duplicate).values_list("pk", flat=True))
    for quotation in Quotation.objects.filter(pk__in=moved_quotations):
        quotation.speaker = keep
        quotation._history_user = editor
        quotation.save(update_fields=["speaker", "updated_at"])
    known = {name.casefold() for name in [keep.name, *keep.aliases]}
    for name in [duplicate.name, *duplicate.aliases]:
        if name and name.casefold() not in known:
            keep.aliases.append(name)
            known.add(name.casefold())
    if not keep.biography and duplicate.biography:
        keep.biography = duplicate.biography
    keep._history_user = editor
    keep._change_reason = f"Merged speaker #{duplicate.pk} ({duplicate.name}, {duplicate.slug}) into this one"
    keep.save()
    duplicate._history_user = editor
    duplicate._change_reason = f"Merged into speaker #{keep.pk} ({keep.name})"
    duplicate.delete()
    outbox.enqueue(outbox.SPEECH, moved_speeches)
    outbox.enqueue(outbox.QUOTATION, moved_quotations)
    return keep
