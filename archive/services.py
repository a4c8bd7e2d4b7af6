"""Writes that span models. Keyword-only, atomic, and the only place business rules live."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from archive.models import Event, Quotation, Source, Speaker, Speech
from archive.search import outbox


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
    from archive.models import Quotation, Speaker, SpeakerRedirect

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


# --- Statements from news reports (archive/ingest/news.py proposes, these functions save) ---


def _unique_slug(model, base, max_length=200):
    base = (slugify(base) or "item")[: max_length - 8]
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def speaker_for_name(*, name, editor=None):
    """The existing speaker a name refers to (by name or alias), or a new one."""
    from archive.ingest.news import match_speaker

    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"speaker": "A speaker needs a name."})
    speaker = match_speaker(name)
    if speaker is None:
        speaker = Speaker(name=name, slug=_unique_slug(Speaker, name))
        speaker._history_user = editor
        speaker.save()
    return speaker


@transaction.atomic
def news_draft_create(*, proposal, publisher, url="", title="", published_on=None, speaker_name="", editor=None):
    """Save a proposal as a draft statement: the source verbatim, the speech, the proposed quotations.

    All or nothing: a quotation whose offsets do not slice its text out of the source aborts the
    whole draft (the database refuses it too).
    """
    publisher = (publisher or "").strip()
    if not publisher:
        raise ValidationError({"publisher": "Give the publisher of the report."})
    name = speaker_name.strip() or proposal.speaker_name
    if not name:
        raise ValidationError(
            {"speaker": "The archive could not tell who is speaking: give the speaker's name and try again."}
        )
    date = proposal.date.date if proposal.date else published_on
    if date is None:
        raise ValidationError({"published_on": "Give the publication date so the statement can be dated."})

    source = Source(
        kind=Source.Kind.NEWS,
        publisher=publisher,
        url=url,
        title=title,
        published_on=published_on,
        original_text=proposal.text,
    )
    source._history_user = editor
    source.save()

    if speaker_name.strip() or proposal.speaker is None:
        speaker = speaker_for_name(name=name, editor=editor)
    else:
        speaker = proposal.speaker
    event = proposal.event
    if event is None and proposal.body is not None and proposal.event_title:
        event = Event.objects.create(
            title=proposal.event_title[:400],
            slug=_unique_slug(Event, f"{date.isoformat()} {proposal.body.slug} {proposal.event_title}"),
            body=proposal.body,
            date=date,
            kind=proposal.event_kind,
        )
    speech = Speech(
        speaker=speaker,
        event=event,
        country=proposal.country,
        role=proposal.role[:300],
        date=date,
        date_precision=proposal.date.precision if proposal.date else Speech.DatePrecision.DAY,
        title=title[:400],
        status=Speech.Status.DRAFT,
    )
    speech._history_user = editor
    speech.save()
    speech.sources.add(source)
    speech.topics.set(proposal.topics)
    speech.instruments.set(proposal.instruments)

    speakers = {proposal.speaker_name: speaker, speaker.name: speaker}
    for proposed in proposal.quotations:
        quote = proposed.quote
        who = speakers.get(proposed.speaker_name)
        if who is None:
            who = proposed.speaker or speaker_for_name(name=proposed.speaker_name, editor=editor)
            speakers[proposed.speaker_name] = who
        quotation = Quotation(
            speech=speech,
            speaker=who,
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
    return speech


def _after_quotation_change(quotation):
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
def speech_update_metadata(*, speech, editor=None, **fields):
    """Correct a statement's metadata (role, country, date, title, event, speaker) from the review screen."""
    allowed = {"role", "country", "date", "date_precision", "title", "event"}
    speech = Speech.objects.select_for_update().get(pk=speech.pk)
    speaker_name = fields.pop("speaker_name", "")
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))} here.")
    changed = [name for name, value in fields.items() if getattr(speech, name) != value]
    for name in changed:
        setattr(speech, name, fields[name])
    if speaker_name and speaker_name.strip() != speech.speaker.name:
        old = speech.speaker
        speech.speaker = speaker_for_name(name=speaker_name, editor=editor)
        changed.append("speaker")
        # Quotations proposed for the old main speaker follow the correction.
        for quotation in speech.quotations.filter(speaker=old, status=Quotation.Status.PROPOSED):
            quotation.speaker = speech.speaker
            quotation._history_user = editor
            quotation.save(update_fields=["speaker", "updated_at"])
    if not changed:
        return speech
    speech._history_user = editor
    speech.full_clean(exclude=["speaker", "event", "country"])
    speech.save()
    if speech.is_published:
        outbox.enqueue_speech(speech)
    return speech


@transaction.atomic
def news_review_save(*, speech, metadata, decisions, editor=None):
    """Everything an editor decided on the review screen, in one transaction: all of it or none."""
    speech_update_metadata(
        speech=speech,
        editor=editor,
        speaker_name=metadata["speaker_name"],
        role=metadata["role"],
        country=metadata["country"],
        date=metadata["date"],
        date_precision=metadata["date_precision"],
        title=metadata["title"],
        event=metadata.get("event", speech.event),
    )
    if "topics" in metadata and set(metadata["topics"]) != set(speech.topics.all()):
        speech._history_user = editor
        speech.topics.set(metadata["topics"])
    if "instruments" in metadata and set(metadata["instruments"]) != set(speech.instruments.all()):
        speech.instruments.set(metadata["instruments"])
    for quotation, decision in decisions:
        quotation.refresh_from_db()
        if (decision["start"], decision["end"]) != (quotation.start, quotation.end):
            quotation = quotation_edit_span(
                quotation=quotation, start=decision["start"], end=decision["end"], editor=editor
            )
        if decision["speaker_name"].strip() and decision["speaker_name"].strip() != quotation.speaker.name:
            quotation = quotation_change_speaker(
                quotation=quotation, speaker_name=decision["speaker_name"], editor=editor
            )
        if decision["decision"] != quotation.status and decision["decision"] in (
            Quotation.Status.ACCEPTED,
            Quotation.Status.REJECTED,
        ):
            quotation_review(
                quotation=quotation, accept=decision["decision"] == Quotation.Status.ACCEPTED, editor=editor
            )
    return speech


@transaction.atomic
def speech_delete(*, speech, editor=None):
    """Delete a statement and its quotations; the search index drops them in the same transaction."""
    speech = Speech.objects.select_for_update().get(pk=speech.pk)
    quotation_ids = list(speech.quotations.values_list("pk", flat=True))
    outbox.enqueue(outbox.SPEECH, [speech.pk], action="delete")
    outbox.enqueue(outbox.QUOTATION, quotation_ids, action="delete")
    speech._history_user = editor
    speech.delete()
