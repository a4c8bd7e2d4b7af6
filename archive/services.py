"""Writes that span models. Keyword-only, atomic, and the only place business rules live."""

import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from archive import quotecheck_outbox
from archive.ingest.names import same_person
from archive.ingest.news import quote_key
from archive.models import SPEECH_HISTORY, Event, Quotation, Source, Speaker, Speech, source_text_hash
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
    from archive.ingest.news import ProposedStatement

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


def _record_speech_history(speech, *, editor, reason, created=False):
    """One history row for a statement, with its many-to-many fields as they now are."""
    speech._history_user = editor
    speech._change_reason = reason
    SPEECH_HISTORY.create_historical_record(speech, "+" if created else "~")


class _NoHistory:
    """Saves and many-to-many changes inside write no history row; the caller writes one at the end."""

    def __init__(self, *instances):
        self.instances = instances

    def __enter__(self):
        for instance in self.instances:
            instance.skip_history_when_saving = True

    def __exit__(self, *exc):
        for instance in self.instances:
            instance.__dict__.pop("skip_history_when_saving", None)


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
        with _NoHistory(speech):
            speech.save()
            speech.sources.add(source)
            speech.topics.set(proposal.topics)
            speech.instruments.set(proposal.instruments)
        _record_speech_history(speech, editor=editor, reason=f"Draft from a news report ({publisher})", created=True)
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
        with _NoHistory(speech):
            speech.sources.add(source)
        _record_speech_history(speech, editor=editor, reason=f"Another source: {source}")
    for proposed in mine.quotations if mine else []:
        if not _already_quoted(speech, proposed, source):
            _save_news_quotation(speech=speech, speaker=speech.speaker, source=source, proposed=proposed, editor=editor)
            added += 1
    for statement in statements:
        if statement is mine:
            continue
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
            with _NoHistory(other):
                other.save()
                other.sources.add(source)
                other.topics.set(speech.topics.all())
                other.instruments.set(speech.instruments.all())
            _record_speech_history(other, editor=editor, reason=f"Draft from a news report ({source})", created=True)
        elif not other.sources.filter(pk=source.pk).exists():
            with _NoHistory(other):
                other.sources.add(source)
            _record_speech_history(other, editor=editor, reason=f"Another source: {source}")
        for proposed in statement.quotations:
            if not _already_quoted(other, proposed, source):
                _save_news_quotation(speech=other, speaker=speaker, source=source, proposed=proposed, editor=editor)
        if other.is_published:
            outbox.enqueue_speech(other)
    if speech.is_published:
        outbox.enqueue_speech(speech)
    return speech, added


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
    with _NoHistory(speech):
        speech.save()
        if topics_changed:
            speech.topics.set(topics)
        if instruments_changed:
            speech.instruments.set(instruments)
    labels = [Speech._meta.get_field(name).verbose_name for name in changed]
    _record_speech_history(speech, editor=editor, reason=(reason or "Changed") + ": " + ", ".join(labels))
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
            with _NoHistory(target):
                target.save()
                target.sources.add(quotation.source)
                target.topics.set(old_speech.topics.all())
                target.instruments.set(old_speech.instruments.all())
            _record_speech_history(
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


@transaction.atomic
def speech_delete(*, speech, editor=None):
    """Delete a statement and its quotations; the search index drops them in the same transaction."""
    speech = Speech.objects.select_for_update().get(pk=speech.pk)
    quotation_ids = list(speech.quotations.values_list("pk", flat=True))
    outbox.enqueue(outbox.SPEECH, [speech.pk], action="delete")
    outbox.enqueue(outbox.QUOTATION, quotation_ids, action="delete")
    speech._history_user = editor
    speech.delete()


# --- Topics the rules assign --------------------------------------------------------------------


def speeches_assign_topics(*, speeches, batch_size=500, progress=None):
    """Tag statements with the topics their text reaches under the keyword rules (archive/topic_rules.py).

    Deterministic and idempotent. Per statement and topic:
    - a topic an editor gave (in ``Speech.topics`` with no assignment row) is left alone;
    - an assignment an editor confirmed or removed is never changed;
    - a rules' topic an editor took out of ``Speech.topics`` is recorded as removed (and stays out);
    - otherwise the rules decide: new topics are added (an assignment row plus the tag), scores are
      refreshed, topics the rules no longer reach are taken away again.
    Changed published statements go to the search index through the outbox. Each batch is one
    transaction. Returns {"speeches": n, "added": n, "updated": n, "dropped": n, "kept_by_editors": n}.
    """
    from archive import topic_rules
    from archive.models import Topic, TopicAssignment

    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    stats = {"speeches": 0, "added": 0, "updated": 0, "dropped": 0, "kept_by_editors": 0}
    ids = list(speeches.order_by("pk").values_list("pk", flat=True))
    Tag = Speech.topics.through
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            texts = dict(Speech.objects.filter(pk__in=chunk).values_list("pk", "text"))
            tags = set(Tag.objects.filter(speech_id__in=chunk).values_list("speech_id", "topic_id"))
            assignments, by_speech = {}, {}
            for a in TopicAssignment.objects.filter(speech_id__in=chunk):
                assignments[(a.speech_id, a.topic_id)] = a
                by_speech.setdefault(a.speech_id, []).append(a)
            new_rows, new_tags, updated, removed_ids, untag, changed = [], [], [], [], [], set()
            for pk in chunk:
                found = {
                    topic_ids[slug]: hit
                    for slug, hit in topic_rules.score(texts.get(pk, "")).items()
                    if slug in topic_ids
                }
                for topic_id, (score, evidence) in found.items():
                    key = (pk, topic_id)
                    assignment = assignments.get(key)
                    if assignment is None:
                        if key in tags:
                            stats["kept_by_editors"] += 1  # an editor's own topic: not the rules'
                            continue
                        new_rows.append(
                            TopicAssignment(
                                speech_id=pk,
                                topic_id=topic_id,
                                score=score,
                                evidence=evidence,
                                method=topic_rules.METHOD,
                            )
                        )
                        new_tags.append(Tag(speech_id=pk, topic_id=topic_id))
                        changed.add(pk)
                    elif assignment.status == TopicAssignment.Status.MACHINE:
                        if key not in tags:  # an editor took it out of the statement's topics
                            assignment.status = TopicAssignment.Status.REMOVED
                            updated.append(assignment)
                        elif (assignment.score, assignment.evidence, assignment.method) != (
                            score,
                            evidence,
                            topic_rules.METHOD,
                        ):
                            assignment.score, assignment.evidence = score, evidence
                            assignment.method = topic_rules.METHOD
                            updated.append(assignment)
                    else:
                        stats["kept_by_editors"] += 1
                for assignment in by_speech.get(pk, ()):
                    if assignment.topic_id in found or assignment.status != TopicAssignment.Status.MACHINE:
                        continue
                    # The rules no longer reach it: the rules' own topic goes.
                    removed_ids.append(assignment.pk)
                    if (pk, assignment.topic_id) in tags:
                        untag.append(Q(speech_id=pk, topic_id=assignment.topic_id))
                        changed.add(pk)
            TopicAssignment.objects.bulk_create(new_rows, batch_size=1000)
            Tag.objects.bulk_create(new_tags, batch_size=1000, ignore_conflicts=True)
            now = timezone.now()
            for assignment in updated:
                assignment.updated_at = now
            TopicAssignment.objects.bulk_update(updated, ["status", "score", "evidence", "method", "updated_at"])
            TopicAssignment.objects.filter(pk__in=removed_ids).delete()
            if untag:
                Tag.objects.filter(reduce(operator.or_, untag)).delete()
            published = list(Speech.objects.published().filter(pk__in=changed).values_list("pk", flat=True))
            if published:
                outbox.enqueue(outbox.SPEECH, published)
                outbox.enqueue(
                    outbox.QUOTATION,
                    list(Quotation.objects.filter(speech_id__in=published).values_list("pk", flat=True)),
                )
            stats["speeches"] += len(chunk)
            stats["added"] += len(new_rows)
            stats["updated"] += len(updated)
            stats["dropped"] += len(removed_ids)
        if progress:
            progress(len(chunk))
    return stats


def topic_assignment_confirm(*, assignment, editor=None):
    """An editor agrees with the rules: the topic stays, and the rules never take it away."""
    return _topic_assignment_decide(assignment=assignment, editor=editor, keep=True)


def topic_assignment_remove(*, assignment, editor=None):
    """An editor disagrees: the topic leaves the statement, and the rules never put it back."""
    return _topic_assignment_decide(assignment=assignment, editor=editor, keep=False)


@transaction.atomic
def _topic_assignment_decide(*, assignment, editor, keep):
    from archive.models import TopicAssignment

    assignment = TopicAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.status = TopicAssignment.Status.CONFIRMED if keep else TopicAssignment.Status.REMOVED
    assignment.save(update_fields=["status", "updated_at"])
    speech = assignment.speech
    speech._history_user = editor
    # The topics relation queues the statement's index work itself (archive/search/outbox.py).
    (speech.topics.add if keep else speech.topics.remove)(assignment.topic_id)
    return assignment


# --- Quote check (issue 13): official transcripts, and checking quotations against the records ---


MAX_OTHER_RECORDS = 5  # the speaker's records of other days a check reads, at most


def _same_statement(s, speech):
    """A record of the quoted statement itself: the same speech, meeting or day."""
    return s.pk == speech.pk or bool(s.event_id and s.event_id == speech.event_id) or s.date == speech.date


def _searched_records(quotation, speech, others):
    """The ids of the speaker's other records the search engine ranks best for the quotation (or,
    if the search engine fails, the nearest in date)."""
    import datetime
    import logging

    from archive.quotecheck_outbox import DAYS_AROUND
    from archive.search.candidates import record_candidates

    try:
        return set(
            record_candidates(
                speaker_slug=quotation.speaker.slug,
                date_from=speech.date - datetime.timedelta(days=DAYS_AROUND),
                date_to=speech.date + datetime.timedelta(days=DAYS_AROUND),
                text=quotation.text,
                limit=MAX_OTHER_RECORDS,
            )
        )
    except Exception:  # noqa: BLE001 - the search engine is an aid here, never a failure
        logging.getLogger(__name__).exception("Search for candidate records failed; using the nearest dates")
        nearest = sorted(others, key=lambda s: abs((s.date - speech.date).days))[:MAX_OTHER_RECORDS]
        return {s.pk for s in nearest}


def _official_records(quotation):
    """The official records a quotation may come from, in order of preference (archive.quotecheck.Record):
    the speaker's own published texts of the statement, the statement's record (a corpus import), then
    the speaker's records of the days around."""
    import datetime

    from archive import quotecheck
    from archive.models import OfficialTranscript
    from archive.quotecheck_outbox import DAYS_AROUND

    speech = quotation.speech
    around = (
        Speech.objects.filter(speaker_id=quotation.speaker_id)
        .filter(
            date__gte=speech.date - datetime.timedelta(days=DAYS_AROUND),
            date__lte=speech.date + datetime.timedelta(days=DAYS_AROUND),
        )
        .select_related("event")
    )
    candidates = [s for s in around if s.pk == speech.pk or s.external_id or s.is_published]
    others = [s for s in candidates if s.pk != speech.pk and not _same_statement(s, speech)]
    if len(others) > MAX_OTHER_RECORDS:
        # Many records of the speaker in those days: the search engine picks the likeliest.
        keep = _searched_records(quotation, speech, others)
        candidates = [s for s in candidates if s not in others or s.pk in keep]
    transcripts = {}
    for transcript in OfficialTranscript.objects.for_speeches([s.pk for s in candidates]):
        transcripts.setdefault(transcript.speech_id, []).append(transcript)

    def same(s):
        return _same_statement(s, speech)

    candidates.sort(key=lambda s: (not same(s), abs((s.date - speech.date).days), s.pk != speech.pk, s.pk))
    records, own, others = [], [], []
    for s in candidates:
        for transcript in transcripts.get(s.pk, []):
            record = quotecheck.Record(
                key=f"source:{transcript.source_id}",
                label=f"{transcript.source.publisher}"
                + (" (the speaker's own text)" if transcript.speakers_own else " (official transcript)"),
                text=transcript.source.original_text,
                language=transcript.language,
                delivered_in=transcript.delivered_in,
                own_text=transcript.speakers_own,
                same_statement=bool(same(s)),
            )
            (own if transcript.speakers_own and same(s) else others).append((s, transcript.source, record))
        if s.external_id and s.text.strip():
            symbol = s.event.meeting_symbol if s.event_id else ""
            record = quotecheck.Record(
                key=f"speech:{s.pk}",
                label=f"UN verbatim record {symbol}".strip() if symbol else f"Official record ({s.external_id})",
                text=s.text,
                language=s.language,
                delivered_in=s.original_language,
                same_statement=bool(same(s)),
            )
            others.append((s, None, record))
    records = own + [r for r in others if r[2].same_statement] + [r for r in others if not r[2].same_statement]
    return records


def quotation_check(*, quotation):
    """Check one quotation against the official records and save the verdict (QuotationCheck)."""
    from archive import quotecheck
    from archive.models import QuotationCheck

    found = _official_records(quotation)
    result = quotecheck.check(quotation.text, [r for _s, _src, r in found], language=quotation.speech.language)
    used = next(((s, src) for s, src, r in found if result.record is not None and r.key == result.record.key), None)
    check, _ = QuotationCheck.objects.update_or_create(
        quotation=quotation,
        defaults={
            "verdict": result.verdict,
            "score": result.score,
            "record_speech": used[0] if used else None,
            "record_source": used[1] if used else None,
            "record_label": result.record.label[:300] if result.record else "",
            "record_start": result.start,
            "record_end": result.end,
            "passage": result.passage,
            "differences": [d.as_dict() for d in result.differences],
            "quotation_text": quotation.text,
            "method": quotecheck.METHOD,
            "checked_at": timezone.now(),
        },
    )
    return check


def quotations_check(*, quotation_ids, progress=None):
    """Check these quotations (ids), each in its own transaction; returns {verdict: count}.

    Published ones are re-indexed (the search's ``verification`` facet reads the verdict)."""
    summary = {}
    ids = list(quotation_ids)
    for start in range(0, len(ids), 100):
        chunk = ids[start : start + 100]
        quotations = Quotation.objects.checkable().filter(pk__in=chunk).select_related("speech", "speaker")
        for quotation in quotations:
            with transaction.atomic():
                check = quotation_check(quotation=quotation)
                if quotation.speech.is_published:
                    outbox.enqueue(outbox.QUOTATION, [quotation.pk])
            summary[check.verdict] = summary.get(check.verdict, 0) + 1
        if progress:
            progress(len(chunk))
    return summary


def quotation_checks_drain(*, batch_size=50):
    """Run the queued checks (archive/quotecheck_outbox.py), up to ``batch_size``; returns how many
    queued rows were done. A failing check stays queued with its error."""
    from django.db.models import F

    from archive.models import QuotationCheckTask

    tasks = list(QuotationCheckTask.objects.order_by("id")[:batch_size])
    if not tasks:
        return 0
    ids = {task.quotation_id for task in tasks}
    try:
        quotations_check(quotation_ids=sorted(ids))
    except Exception as error:
        QuotationCheckTask.objects.filter(id__in=[t.id for t in tasks]).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    QuotationCheckTask.objects.filter(id__in=[t.id for t in tasks]).delete()
    return len(tasks)


@transaction.atomic
def official_transcript_add(
    *,
    speech,
    text,
    publisher,
    url="",
    title="",
    published_on=None,
    language="en",
    delivered_in="",
    speakers_own=True,
    editor=None,
):
    """Add an official transcript (a mission's published remarks...) to a statement, kept verbatim
    as a source; the quotations of that speaker around that date are queued for a new check."""
    from archive import quotecheck_outbox
    from archive.models import OfficialTranscript

    publisher = (publisher or "").strip()
    if not publisher:
        raise ValidationError({"publisher": "Give the publisher of the transcript."})
    if not (text or "").strip():
        raise ValidationError({"text": "Paste or upload the transcript's text."})
    language = (language or "en").strip() or "en"
    source = Source(
        kind=Source.Kind.RECORD,
        publisher=publisher[:200],
        url=url,
        title=title[:400],
        published_on=published_on,
        original_text=text,
    )
    source._history_user = editor
    source.save()
    transcript = OfficialTranscript.objects.create(
        speech=speech,
        source=source,
        language=language[:12],
        delivered_in=(delivered_in or "").strip()[:12],
        speakers_own=speakers_own,
    )
    with _NoHistory(speech):
        speech.sources.add(source)
    _record_speech_history(speech, editor=editor, reason=f"Official transcript: {source}")
    quotecheck_outbox.enqueue_around([(speech.speaker_id, speech.date)])
    if speech.is_published:
        outbox.enqueue_speech(speech)
    return transcript
