"""Statements: published, withdrawn, corrected and deleted; the meeting a statement belongs to."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from archive.models import Event, Quotation, Speech
from archive.quotecheck import outbox as quotecheck_outbox
from archive.search import outbox
from archive.services.history import NoHistory, record_speech_history
from archive.services.quotations import quotation_check_span
from archive.services.speakers import speaker_for_name
from archive.services.topics import speeches_assign_topics


@transaction.atomic
def speech_publish(*, speech, editor=None):
    """Make a statement public. Its quotations must point at real spans of their text."""
    speech = Speech.objects.select_for_update().get(pk=speech.pk)
    if speech.is_published:
        return speech
    for quotation in speech.quotations.select_related("source"):
        quotation_check_span(quotation=quotation)
    pending = speech.quotations.filter(status=Quotation.Status.PROPOSED).count()
    if pending:
        raise ValidationError(
            f"{pending} proposed quotation(s) are not reviewed yet: accept or reject each one before publishing."
        )
    speech.status = Speech.Status.PUBLISHED
    speech.published_at = timezone.now()
    speech._history_user = editor
    speech.save(update_fields=["status", "published_at", "updated_at"])
    # On publish the rules propose topics (shown as the rules'; editors confirm or remove them).
    speeches_assign_topics(speeches=Speech.objects.filter(pk=speech.pk))
    outbox.enqueue_speech(speech)
    quotecheck_outbox.enqueue_quotations(speech.quotations.all())  # issue 13: check on publish
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


@transaction.atomic
def speech_update_metadata(*, speech, editor=None, reason="", **fields):
    """Correct a statement's metadata (role, country, date, title, event, speaker, topics, instruments)
    from the review screen: one save and one history row, with the editor and what changed."""
    allowed = {"role", "country", "date", "date_precision", "title", "event"}
    speech = Speech.objects.select_for_update().get(pk=speech.pk)
    speaker_name = fields.pop("speaker_name", "")
    topics = fields.pop("topics", None)
    instruments = fields.pop("instruments", None)
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))} here.")
    changed = [name for name, value in fields.items() if getattr(speech, name) != value]
    for name in changed:
        setattr(speech, name, fields[name])
    new_speaker = None
    if speaker_name and speaker_name.strip() != speech.speaker.name:
        new_speaker = speaker_for_name(name=speaker_name, editor=editor)
    if new_speaker is not None and new_speaker.pk != speech.speaker_id:
        old = speech.speaker
        speech.speaker = new_speaker
        changed.append("speaker")
        # Quotations proposed for the old main speaker follow the correction.
        for quotation in speech.quotations.filter(speaker=old, status=Quotation.Status.PROPOSED):
            quotation.speaker = speech.speaker
            quotation._history_user = editor
            quotation.save(update_fields=["speaker", "updated_at"])
    topics_changed = topics is not None and set(topics) != set(speech.topics.all())
    instruments_changed = instruments is not None and set(instruments) != set(speech.instruments.all())
    if topics_changed:
        changed.append("topics")
    if instruments_changed:
        changed.append("instruments")
    if not changed:
        return speech
    speech.full_clean(exclude=["speaker", "event", "country"])
    with NoHistory(speech):
        speech.save()
        if topics_changed:
            speech.topics.set(topics)
        if instruments_changed:
            speech.instruments.set(instruments)
    labels = [Speech._meta.get_field(name).verbose_name for name in changed]
    record_speech_history(speech, editor=editor, reason=(reason or "Changed") + ": " + ", ".join(labels))
    if speech.is_published:
        outbox.enqueue_speech(speech)
    return speech


def event_for_body(*, body, date, editor=None):
    """The body's meeting on that date: an existing event, or a new one named after the body."""
    event = Event.objects.filter(body=body, date=date).order_by("pk").first()
    if event is None:
        title = f"{body.name} meeting"
        event = Event.objects.create(
            title=title, slug=Event.objects.free_slug(f"{date.isoformat()} {body.slug} meeting"), body=body, date=date
        )
    return event


@transaction.atomic
def speech_delete(*, speech, editor=None):
    """Delete a statement and its quotations; the search index drops them in the same transaction."""
    speech = Speech.objects.select_for_update().get(pk=speech.pk)
    quotation_ids = list(speech.quotations.values_list("pk", flat=True))
    outbox.enqueue(outbox.SPEECH, [speech.pk], action="delete")
    outbox.enqueue(outbox.QUOTATION, quotation_ids, action="delete")
    speech._history_user = editor
    speech.delete()
