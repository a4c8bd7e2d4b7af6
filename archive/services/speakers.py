"""Speakers: found or created by name, and merged when two are one person."""

from django.core.exceptions import ValidationError
from django.db import transaction

from archive.models import Quotation, Speaker, SpeakerRedirect, Speech
from archive.search import outbox


def speaker_for_name(*, name, editor=None):
    """The existing speaker a name refers to (by name or alias), or a new one."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"speaker": "A speaker needs a name."})
    speaker = Speaker.objects.get_by_name(name)
    if speaker is None:
        speaker = Speaker(name=name, slug=Speaker.objects.free_slug(name))
        speaker._history_user = editor
        speaker.save()
    return speaker


@transaction.atomic
def speaker_merge(*, keep, duplicate, editor=None):
    """Make two Speakers one: every speech and quotation of ``duplicate`` moves to ``keep``.

    ``keep`` gains the duplicate's name and aliases as aliases, so later imports match them; both
    speakers' history records the change and who made it; published speeches are re-indexed.
    """
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
    # The duplicate's address, and any address that already led to it, now lead to the kept speaker.
    SpeakerRedirect.objects.filter(speaker=duplicate).update(speaker=keep)
    duplicate_slug = duplicate.slug
    duplicate.delete()
    SpeakerRedirect.objects.update_or_create(old_slug=duplicate_slug, defaults={"speaker": keep})
    outbox.enqueue(outbox.SPEECH, moved_speeches)
    outbox.enqueue(outbox.QUOTATION, moved_quotations)
    return keep
