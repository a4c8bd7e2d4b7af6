"""Meetings (``Event``), statements (``Speech``), their sources and their topics."""

import hashlib
import unicodedata

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from archive import sanitize
from archive.models.base import NaturalKeyManager, TimeStampedModel, detail_url
from archive.models.people import Speaker
from archive.models.reference import Body, Country, Instrument, Topic
from archive.querysets import EventQuerySet, SpeechQuerySet


class DatePrecision(models.TextChoices):
    """How much of a date is known: UN General Debate sessions give only a year."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        GENERAL_DEBATE = "general-debate", "General debate"
        OPEN_DEBATE = "open-debate", "Open debate"
        DEBATE = "debate", "Debate"
        BRIEFING = "briefing", "Briefing"
        MEETING = "meeting", "Meeting"
        PRESS = "press", "Press conference or interview"
        OTHER = "other", "Other"

    title = models.CharField(max_length=400)
    slug = models.SlugField(max_length=200, unique=True)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="events")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEETING)
    meeting_symbol = models.CharField(max_length=40, blank=True, help_text="e.g. S/PV.8700")
    agenda_item = models.CharField(max_length=400, blank=True)
    description = models.TextField(blank=True, help_text="Rich text, sanitized on save")
    # Corpora give some meetings only a year (UN General Debate sessions): say so rather than show 1 January.
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)

    objects = NaturalKeyManager.from_queryset(EventQuerySet)()

    class Meta:
        ordering = ["-date", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting_symbol"], condition=~Q(meeting_symbol=""), name="event_unique_meeting_symbol"
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def save(self, *args, **kwargs):
        self.description = sanitize.clean_html(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return detail_url("event-detail", self.slug)

    @property
    def display_date(self):
        return format_precise_date(self.date, self.date_precision)


def source_text_hash(text):
    """SHA-256 of a report's text normalised for comparison: the same article pasted again or
    saved from another page (case, spacing, curly or straight quotes, dashes) hashes the same."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = text.translate(_SAME_MARKS)
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


_SAME_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


class Source(TimeStampedModel):
    """Where a text came from. The original text is evidence: kept verbatim, never edited."""

    class Kind(models.TextChoices):
        NEWS = "news", "News report"
        RECORD = "record", "Official record"
        CORPUS = "corpus", "Research corpus"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=400, blank=True)
    published_on = models.DateField(null=True, blank=True)
    original_text = models.TextField(help_text="The source text verbatim; quotation offsets point into it")
    retrieved_at = models.DateTimeField(default=timezone.now)
    # Nullable so that SQLite adds the column in place (a rebuilt table would break the triggers).
    text_hash = models.CharField(
        max_length=64, null=True, blank=True, db_index=True, editable=False, help_text="source_text_hash(original_text)"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "publisher"]

    def save(self, *args, **kwargs):
        self.text_hash = source_text_hash(self.original_text)
        super().save(*args, **kwargs)

    def __str__(self):
        parts = [self.publisher, self.title or self.url]
        if self.published_on:
            parts.append(self.published_on.isoformat())
        return ", ".join(p for p in parts if p)


# Kept by name so that services can write one history row after several changes (a save and its
# many-to-many fields), instead of one row per change.
SPEECH_HISTORY = HistoricalRecords(m2m_fields=["topics", "sources"])


class Speech(TimeStampedModel):
    """One statement by one speaker at one event."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    DatePrecision = DatePrecision

    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="speeches")
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="speeches", null=True, blank=True)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="speeches", null=True, blank=True, verbose_name="delegation"
    )
    role = models.CharField(max_length=300, blank=True, help_text="The speaker's role at the time")
    on_behalf_of = models.CharField(max_length=300, blank=True, help_text='e.g. "the Group of 77 and China"')
    date = models.DateField()
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    position = models.PositiveIntegerField(null=True, blank=True, help_text="Speaking order within the event")
    language = models.CharField(max_length=12, default="en", help_text="Language of the text (BCP 47)")
    original_language = models.CharField(max_length=12, blank=True, help_text="Language spoken, if different")
    title = models.CharField(max_length=400, blank=True)
    text = models.TextField(blank=True, help_text="The statement as plain text, paragraphs separated by blank lines")
    notes = models.TextField(blank=True, help_text="Editor's notes (rich text, sanitized on save)")
    topics = models.ManyToManyField(Topic, blank=True, related_name="speeches")
    sources = models.ManyToManyField(Source, blank=True, related_name="speeches")
    instruments = models.ManyToManyField(Instrument, blank=True, related_name="speeches")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(
        max_length=120, blank=True, help_text="Identifier in an imported corpus, e.g. UNGDC:CHN_75_2020"
    )

    objects = SpeechQuerySet.as_manager()
    history = SPEECH_HISTORY

    class Meta:
        # Editors and the public call them statements ("Speechs" was Django's guess).
        verbose_name = "statement"
        verbose_name_plural = "statements"
        ordering = ["-date", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="speech_published_has_published_at",
            ),
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="speech_status_valid"),
            models.CheckConstraint(
                condition=Q(date_precision__in=["day", "month", "year"]), name="speech_date_precision_valid"
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="speech_unique_external_id"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-date"]),
            models.Index(fields=["speaker", "-date"]),
            models.Index(fields=["country", "-date"]),
            models.Index(fields=["event", "position"]),
            # Browse pages count facets over published statements, scoped by delegation, speaker or
            # meeting (or not at all): these covering indexes hold every column those counts read, so
            # the database never reads the long statement rows (on SQLite, status and published_at
            # sit after the text in the row).
            models.Index(
                fields=["country", "status", "published_at", "date", "speaker", "event", "language"],
                name="speech_browse_country",
            ),
            models.Index(
                fields=["speaker", "status", "published_at", "date", "country", "event", "language"],
                name="speech_browse_speaker",
            ),
            models.Index(
                fields=["event", "status", "published_at", "date", "speaker", "country", "language"],
                name="speech_browse_event",
            ),
            models.Index(
                fields=["status", "published_at", "date", "date_precision", "speaker", "country", "event", "language"],
                name="speech_browse_date",
            ),
            # Statements picked by id (a topic's, through the tags table) are counted from here too.
            models.Index(
                fields=["id", "status", "published_at", "date", "speaker", "country", "event", "language"],
                name="speech_browse_id",
            ),
        ]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        self.notes = sanitize.clean_html(self.notes)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return detail_url("speech-detail", self.pk)

    @property
    def is_published(self):
        """``published_q()`` for one statement in hand (a row the template shows, a page's cache headers)."""
        return self.status == self.Status.PUBLISHED and self.published_at is not None

    @property
    def display_title(self):
        if self.title:
            return self.title
        where = self.event.title if self.event_id else ""
        return f"{self.speaker.name}: {where}" if where else f"Statement by {self.speaker.name}"

    @property
    def display_date(self):
        """The date only as precisely as it is known: "1970", "August 1970", "6 August 2020"."""
        return format_precise_date(self.date, self.date_precision)

    @property
    def paragraphs(self):
        return [p for p in self.text.split("\n\n") if p.strip()]


def format_precise_date(date, precision):
    if date is None:
        return ""
    if precision == Speech.DatePrecision.YEAR:
        return str(date.year)
    if precision == Speech.DatePrecision.MONTH:
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"


class TopicAssignment(TimeStampedModel):
    """A topic the keyword rules gave a statement (archive/topic_rules.py), kept apart from editors'.

    The topic itself is also in ``Speech.topics`` (so pages, facets and the index need nothing else)
    unless an editor removed it. An editor confirms or removes it; ``assign_topics`` never changes a
    confirmed or removed assignment, nor a topic an editor gave without the rules.
    """

    class Status(models.TextChoices):
        MACHINE = "machine", "Assigned by the rules"
        CONFIRMED = "confirmed", "Confirmed by an editor"
        REMOVED = "removed", "Removed by an editor"

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="topic_assignments")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="assignments")
    method = models.CharField(max_length=40, default="rules-v1", help_text="Which rules, and their version")
    score = models.FloatField(help_text="The rules' weighted count of the topic's phrases in the text")
    evidence = models.JSONField(default=dict, blank=True, help_text="The phrases found and how often")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MACHINE, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["speech", "topic"], name="topic_assignment_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["machine", "confirmed", "removed"]), name="topic_assignment_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.topic} ({self.get_status_display().lower()}, score {self.score:g})"
