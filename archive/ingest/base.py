"""The base corpus importer: parse records, then get-or-create them idempotently, one savepoint each.

A format module (``ungdc.py``, ``unsc.py``) only turns files into ``SpeechRecord``s (or ``Failure``s);
this module owns the writes. Records are saved in batches: one transaction per batch (fast on
SQLite), one savepoint per record inside it, so a bad record is rolled back whole and reported
while its neighbours are kept. Countries, events and speakers are cached in dicts for the run;
anything a rolled-back record added to a cache is forgotten with it.

Imported statements are published and their index work goes into the outbox in the same
transaction, the same durable path as editors' changes.
"""

import contextlib
import dataclasses
import sys
import time
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from archive.ingest import names
from archive.ingest.countries import CountryResolver
from archive.ingest.records import COMPARED_FIELDS, COUNTERS, Failure, RecordError, SpeechRecord, Stats
from archive.ingest.speaker_matcher import SpeakerMatcher
from archive.models import Body, Country, Event, Speaker, Speech
from archive.search import outbox


def _recheck_quotations(speech_ids):
    """Issue 13: an imported record is an official record: quotations of its speaker from those days
    are queued for a new check (archive/quotecheck/outbox.py)."""
    from archive.quotecheck import outbox as quotecheck_outbox

    if speech_ids:
        pairs = Speech.objects.filter(pk__in=speech_ids).values_list("speaker_id", "date")
        quotecheck_outbox.enqueue_around(list(pairs))


class BaseImporter:
    label = "Import"
    batch_size = 500

    def __init__(self, *, dry_run=False, progress=True, stream=None):
        self.dry_run = dry_run
        self.progress = progress
        self.stream = stream or sys.stderr
        self.stats = Stats(dry_run=dry_run)

    # -- what a format module provides -------------------------------------------------------

    def records(self) -> Iterable[SpeechRecord | Failure]:
        raise NotImplementedError

    def expected_total(self):
        """How many records ``records()`` will yield, for the progress bar; None if unknown."""
        return None

    # -- the run ------------------------------------------------------------------------------

    def run(self):
        started = time.monotonic()
        self._load_caches()
        bar = tqdm(
            total=self.expected_total() if self.progress else None,
            unit="speech",
            desc=self.label,
            disable=not self.progress,
            file=self.stream,
            mininterval=0.5,
        )
        # Each batch commits on its own, so an interrupted import keeps what it saved (a re-run
        # finishes it); a dry run wraps everything in one transaction that is rolled back.
        try:
            with transaction.atomic() if self.dry_run else contextlib.nullcontext():
                batch = []
                for item in self.records():
                    bar.update(1)
                    self.stats.read += 1
                    if isinstance(item, Failure):
                        self.stats.failures.append(item)
                        continue
                    batch.append(item)
                    if len(batch) >= self.batch_size:
                        self._save_batch(batch)
                        batch = []
                if batch:
                    self._save_batch(batch)
                if self.dry_run:
                    transaction.set_rollback(True)
        finally:
            bar.close()
        self.stats.seconds = time.monotonic() - started
        return self.stats

    def _load_caches(self):
        self.bodies = dict(Body.objects.values_list("slug", "pk"))
        self.countries_by_code = {}
        self.country_names = {}
        self.country_codes = {}
        for pk, code, name in Country.objects.values_list("pk", "code", "name"):
            self.countries_by_code[code.upper()] = pk
            self.country_names[code.upper()] = name
            self.country_codes[pk] = code.upper()
        self.countries = CountryResolver.load()
        self.events_by_slug = {}
        self.events_by_symbol = {}
        for pk, slug, symbol in Event.objects.values_list("pk", "slug", "meeting_symbol"):
            self.events_by_slug[slug] = pk
            if symbol:
                self.events_by_symbol[symbol] = pk
        self.speaker_slugs = set(Speaker.objects.values_list("slug", flat=True))
        self.matcher = SpeakerMatcher.load()
        self.now = timezone.now()

    def _save_batch(self, batch):
        existing = {
            row["external_id"]: row
            for row in Speech.objects.filter(external_id__in=[r.external_id for r in batch]).values(
                "pk", "external_id", *COMPARED_FIELDS
            )
        }
        counters = {name: getattr(self.stats, name) for name in COUNTERS}
        undo = []
        try:
            with transaction.atomic():
                self._save_batch_at_once(batch, existing, undo)
            return
        except Exception:  # noqa: BLE001, S110 - redone record by record below, where the error is reported
            for step in reversed(undo):
                step()
            for name, value in counters.items():
                setattr(self.stats, name, value)
        self._save_batch_one_by_one(batch, existing)

    def _save_batch_at_once(self, batch, existing, undo):
        """The fast path: new speeches in one INSERT. Any error rolls the whole batch back."""
        pending, changed, new = [], [], []
        for record in batch:
            result = self._save_record(record, existing.get(record.external_id), undo, pending, defer_create=True)
            if isinstance(result, Speech):
                new.append(result)
            elif result is not None:
                changed.append(result)
        Speech.objects.bulk_create(new, batch_size=250)
        pending.extend((Speech, False, speech) for speech in new)
        self._write_history(pending)
        outbox.enqueue(outbox.SPEECH, changed + [speech.pk for speech in new])
        _recheck_quotations(changed + [speech.pk for speech in new])

    def _save_batch_one_by_one(self, batch, existing):
        """The careful path, after a batch failed: one savepoint per record, failures reported."""
        changed = []
        saved = []  # (model, is_update, instance) whose history rows are still to be written
        with transaction.atomic():
            for record in batch:
                undo, pending = [], []
                try:
                    with transaction.atomic():
                        pk = self._save_record(record, existing.get(record.external_id), undo, pending)
                except Exception as error:  # noqa: BLE001 - any error fails this record only
                    for step in reversed(undo):
                        step()
                    reason = str(error) if isinstance(error, RecordError) else f"{type(error).__name__}: {error}"
                    self.stats.failures.append(Failure(record.file_name, reason))
                    continue
                saved.extend(pending)
                if pk is not None:
                    changed.append(pk)
            self._write_history(saved)
            outbox.enqueue(outbox.SPEECH, changed)
            _recheck_quotations(changed)

    def _save(self, instance, pending, **kwargs):
        """Save without the per-row history signal; ``_write_history`` adds the rows in bulk.

        The history signal costs four queries per speech (two for empty many-to-many tables);
        written per batch, inside the same transaction, the history says the same for a fraction.
        """
        is_update = instance.pk is not None
        instance.skip_history_when_saving = True
        try:
            instance.save(**kwargs)
        finally:
            del instance.skip_history_when_saving
        pending.append((type(instance), is_update, instance))

    def _write_history(self, saved):
        groups = {}
        for model, is_update, instance in saved:
            groups.setdefault((model, is_update), []).append(instance)
        for (model, is_update), instances in groups.items():
            model.history.bulk_history_create(
                instances, update=is_update, default_change_reason=f"{self.label} import", batch_size=500
            )

    def _save_record(self, record, existing, undo, pending, defer_create=False):
        """Create or update one speech; returns its pk when the index must re-read it.

        With ``defer_create`` a new speech is returned unsaved, for the caller to bulk-create.
        """
        if not record.text.strip():
            raise RecordError("no statement text")
        country_id = self._country_id(record)
        event_id = self._event_id(record.event, undo)
        speaker_id = self._speaker_id(record, country_id, existing, undo, pending)
        values = {
            "speaker_id": speaker_id,
            "event_id": event_id,
            "country_id": country_id,
            "role": record.role[:300],
            "date": record.date,
            "date_precision": record.date_precision,
            "position": record.position,
            "language": record.language,
            "original_language": record.original_language,
            "title": record.title[:400],
            "text": record.text,
        }
        if existing is not None:
            if all(existing[name] == values[name] for name in COMPARED_FIELDS):
                self.stats.unchanged += 1
                return None
            speech = Speech.objects.get(pk=existing["pk"])
            for name, value in values.items():
                setattr(speech, name, value)
            self._save(speech, pending)
            self.stats.updated += 1
            undo.append(lambda: setattr(self.stats, "updated", self.stats.updated - 1))
            return speech.pk
        speech = Speech(
            external_id=record.external_id,
            status=Speech.Status.PUBLISHED,
            published_at=self.now,
            **values,
        )
        if defer_create:
            self.stats.created += 1
            return speech
        self._save(speech, pending)
        self.stats.created += 1
        undo.append(lambda: setattr(self.stats, "created", self.stats.created - 1))
        return speech.pk

    def _country_id(self, record):
        if record.country_code:
            pk = self.countries_by_code.get(record.country_code.upper())
            if pk is None:
                raise RecordError(f"unknown country code {record.country_code!r}")
            return pk
        if record.country_name:
            pk = self.countries.resolve(record.country_name)
            if pk is None:
                raise RecordError(f"unknown country {record.country_name!r}")
            return pk
        return None

    def _event_id(self, spec, undo):
        pk = self.events_by_symbol.get(spec.meeting_symbol) if spec.meeting_symbol else None
        if pk is None:
            pk = self.events_by_slug.get(spec.slug)
        if pk is not None:
            return pk
        body_id = self.bodies.get(spec.body_slug)
        if body_id is None:
            raise RecordError(f"unknown body {spec.body_slug!r}")
        fields = {f.name: getattr(spec, f.name) for f in dataclasses.fields(spec) if f.name != "body_slug"}
        event = Event(body_id=body_id, **fields)
        event.save()
        self.events_by_slug[spec.slug] = event.pk
        if spec.meeting_symbol:
            self.events_by_symbol[spec.meeting_symbol] = event.pk
        self.stats.events_created += 1

        def forget():
            self.events_by_slug.pop(spec.slug, None)
            self.events_by_symbol.pop(spec.meeting_symbol, None)
            self.stats.events_created -= 1

        undo.append(forget)
        return event.pk

    def _speaker_id(self, record, country_id, existing, undo, pending):
        clean = names.clean_name(record.speaker_name)
        if not clean.name:
            raise RecordError("no speaker name")
        key = names.name_key(clean.name)
        # A re-run keeps the speaker the speech already has (perhaps chosen by an editor's merge).
        if existing is not None and key in self.matcher.keys_of(existing["speaker_id"]):
            return existing["speaker_id"]
        pk = self.matcher.match(clean.name, country_id)
        written = clean.name
        folded = names.fold_lookalikes(written)
        if pk is not None:
            if key not in self.matcher.keys_of(pk) or (folded != written and written not in self._aliases(pk)):
                self._add_alias(pk, key, folded, written, pending, undo)
            self._note_country(pk, country_id, undo)
            return pk
        given, family = names.name_parts(
            folded, country_code=self._code_of_pk(country_id), surname_only=record.surname_only
        )
        speaker = Speaker(
            name=folded[:200],
            honorific=clean.honorific[:40],
            slug=names.free_slug(folded, taken=self.speaker_slugs.__contains__, fallback="speaker"),
            given_name=given[:100],
            family_name=family[:100],
            aliases=[written] if folded != written else [],
        )
        self._save(speaker, pending)
        self.speaker_slugs.add(speaker.slug)
        self.matcher.add(speaker.pk, [folded], [country_id])
        self.stats.speakers_created += 1

        def forget_speaker():
            self.speaker_slugs.discard(speaker.slug)
            self.matcher.forget(speaker.pk)
            self.stats.speakers_created -= 1

        undo.append(forget_speaker)
        return speaker.pk

    def _aliases(self, pk):
        return Speaker.objects.filter(pk=pk).values_list("aliases", flat=True).first() or []

    def _code_of_pk(self, country_id):
        return self.country_codes.get(country_id, "") if country_id else ""

    def _add_alias(self, pk, key, folded, written, pending, undo):
        """Keep a new spelling as an alias; a speaker known only by a surname takes the full name."""
        speaker = Speaker.objects.get(pk=pk)
        aliases = list(speaker.aliases or [])
        fields = ["aliases", "updated_at"]
        if names.is_surname_only(names.name_key(speaker.name)) and not names.is_surname_only(key):
            # "Lowcock" was all we knew; "Mark Lowcock" is who it is.
            aliases.append(speaker.name)
            speaker.name = folded[:200]
            speaker.given_name, speaker.family_name = names.name_parts(folded)
            fields += ["name", "given_name", "family_name", "sort_name"]
        for form in (folded, written):
            if form != speaker.name and form not in aliases:
                aliases.append(form)
        speaker.aliases = aliases
        self._save(speaker, pending, update_fields=fields)
        self.stats.aliases_added += 1
        added = key not in self.matcher.keys_of(pk)
        self.matcher.add(pk, [folded])

        def forget_alias():
            entry = self.matcher.entries.get(pk)
            if entry and added:
                entry.keys.discard(key)
                self.matcher.by_key[key].discard(pk)
            self.stats.aliases_added -= 1

        undo.append(forget_alias)

    def _note_country(self, pk, country_id, undo):
        entry = self.matcher.entries.get(pk)
        if country_id and entry is not None and country_id not in entry.countries:
            entry.countries.add(country_id)
            undo.append(lambda: entry.countries.discard(country_id))


def run_for_command(command, make_importer):
    """What both import commands do: run, print the summary, fail loudly (exit non-zero) on any failure."""
    from django.core.management.base import CommandError

    try:
        importer = make_importer()
        stats = importer.run()
    except (OSError, RecordError) as error:
        raise CommandError(str(error)) from error
    command.stdout.write(stats.summary(importer.label))
    if not importer.dry_run:
        # The imported statements get the rules' topics (idempotent: a re-run changes nothing).
        from archive.services import speeches_assign_topics

        imported = Speech.objects.published().exclude(external_id="")
        with tqdm(
            total=imported.count(), unit="speech", desc="topics", disable=not importer.progress, file=importer.stream
        ) as bar:
            topics = speeches_assign_topics(speeches=imported, progress=bar.update)
        command.stdout.write(
            f"Topics: {topics['added']} added, {topics['updated']} re-scored, {topics['dropped']} dropped."
        )
    if stats.failed:
        raise CommandError(f"{stats.failed} speech(es) failed; the others were imported.")
    return stats
