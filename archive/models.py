"""The archive's domain model (Popolo-inspired): who said what, where, when, and from which source."""

import hashlib
import re
import unicodedata

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language
from simple_history.models import HistoricalRecords

from archive import sanitize
from archive.querysets import (
    CountryQuerySet,
    EventQuerySet,
    QuotationQuerySet,
    SpeakerQuerySet,
    SpeechQuerySet,
    Subtree,  # noqa: F401 - part of the models' interface (SpeechQuerySet.for_body takes one)
    TreeQuerySet,
    published_q,  # noqa: F401 - the one definition of "published", importable with the models
)

# Permalinks are built for every row of every list (four or five per statement row, ~1,000 on a
# general debate's meeting page), and Django's reverse() costs far more than the string it returns.
# Each detail URL has one argument, so reverse it once per URL name (and script prefix, language,
# URLconf) with a placeholder and fill the placeholder in; anything not plainly an int or an ASCII
# slug still goes through reverse() itself.
_URL_PLACEHOLDER = "918273645546372819"  # digits: valid for both <int:> and <slug:>
_URL_TEMPLATES = {}
_PLAIN_ARGUMENT = re.compile(r"[-a-zA-Z0-9_]+")


def detail_url(name, value):
    value = str(value)
    if not _PLAIN_ARGUMENT.fullmatch(value):
        return reverse(name, args=[value])
    key = (name, get_script_prefix(), get_language(), get_urlconf())
    template = _URL_TEMPLATES.get(key)
    if template is None:
        template = _URL_TEMPLATES[key] = reverse(name, args=[_URL_PLACEHOLDER]).split(_URL_PLACEHOLDER)
    if len(template) != 2:
        return reverse(name, args=[value])
    return template[0] + value + template[1]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class NaturalKeyManager(models.Manager):
    """Fixtures refer to reference data by a stable key, not by a database id."""

    natural_key_field = "slug"

    def get_by_natural_key(self, key):
        return self.get(**{self.natural_key_field: key})

    def free_slug(self, text, fallback="item"):
        """A slug made from ``text`` that no row has yet ("zhang-jun", else "zhang-jun-2" ...)."""
        from archive.ingest.names import free_slug

        return free_slug(
            text,
            taken=lambda slug: self.filter(slug=slug).exists(),
            fallback=fallback,
            max_length=self.model._meta.get_field("slug").max_length,
        )


class CodeManager(NaturalKeyManager):
    natural_key_field = "code"


class CountryManager(CodeManager.from_queryset(CountryQuerySet)):
    pass


class TreeManager(NaturalKeyManager.from_queryset(TreeQuerySet)):
    pass


class Country(models.Model):
    class Status(models.TextChoices):
        MEMBER = "member", "UN member state"
        OBSERVER = "observer", "Observer state"
        ORGANIZATION = "organization", "Intergovernmental organization"
        FORMER = "former", "Former member state"

    code = models.CharField(
        max_length=3, unique=True, help_text="ISO 3166-1 alpha-3, or EU, PSE, VAT as the UN corpora use"
    )
    alpha2 = models.CharField(max_length=2, blank=True)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    demonym = models.CharField(max_length=100, blank=True, help_text='"Chinese" in "a Chinese envoy"')
    aliases = models.JSONField(default=list, blank=True, help_text="Other names the country goes by")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.MEMBER)

    objects = CountryManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return detail_url("country-detail", self.slug)


class Body(models.Model):
    """A UN organ, hierarchical: Security Council > Counter-Terrorism Committee."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(blank=True)

    objects = TreeManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return detail_url("body-detail", self.slug)


class Topic(models.Model):
    """A controlled, hierarchical vocabulary: Counter-terrorism > Terrorism financing."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True, help_text="Words and phrases that suggest this topic")

    objects = TreeManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return detail_url("topic-detail", self.slug)


class Instrument(models.Model):
    """A resolution, strategy or treaty that statements refer to."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", "Resolution"
        STRATEGY = "strategy", "Strategy"
        TREATY = "treaty", "Treaty or convention"
        CHARTER = "charter", "Charter"
        OTHER = "other", "Other"

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    symbol = models.CharField(max_length=60, blank=True, help_text="Document symbol, e.g. S/RES/2482 (2019)")
    url = models.URLField(blank=True)
    aliases = models.JSONField(default=list, blank=True)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class Speaker(TimeStampedModel):
    name = models.CharField(max_length=200)
    sort_name = models.CharField(
        max_length=200, blank=True, help_text="Family name first, for A-Z lists; made from the name parts on save"
    )
    given_name = models.CharField(max_length=100, blank=True, help_text='"Emmanuel" in "Emmanuel Macron"')
    family_name = models.CharField(
        max_length=100,
        blank=True,
        help_text='"Macron"; "Zhang" in "Zhang Jun" (family name first). Used by the A-Z list and citations.',
    )
    slug = models.SlugField(max_length=200, unique=True)
    honorific = models.CharField(max_length=40, blank=True)
    aliases = models.JSONField(default=list, blank=True, help_text='Other spellings: "Zhang", "Jun Zhang"')
    biography = models.TextField(blank=True, help_text="Rich text, sanitized on save")

    objects = NaturalKeyManager.from_queryset(SpeakerQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_name", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def save(self, *args, **kwargs):
        from archive.ingest import names

        self.biography = sanitize.clean_html(self.biography)
        if not (self.family_name or self.given_name):
            if "," in (self.sort_name or ""):
                self.family_name, self.given_name = (part.strip() for part in self.sort_name.split(",", 1))
            else:
                self.given_name, self.family_name = names.name_parts(self.name)
        max_given = Speaker._meta.get_field("given_name").max_length
        max_family = Speaker._meta.get_field("family_name").max_length
        self.given_name, self.family_name = self.given_name[:max_given], self.family_name[:max_family]
        # The sort name follows the parts, which editors correct.
        self.sort_name = names.sort_name(self.name, self.given_name, self.family_name)[
            : Speaker._meta.get_field("sort_name").max_length
        ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return detail_url("speaker-detail", self.slug)


class SpeakerRedirect(models.Model):
    """The address of a speaker merged into another: /speakers/<old_slug>/ answers 301 to the kept one."""

    old_slug = models.SlugField(max_length=200, unique=True)
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} -> {self.speaker.slug}"


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


class Quotation(TimeStampedModel):
    """A span of a source text attributed to a speaker.

    start/end are character offsets into ``source.original_text`` when the quotation has a source,
    otherwise into ``speech.text``; the database refuses spans that fall outside that text.
    """

    class Kind(models.TextChoices):
        DIRECT = "direct", "Direct"
        INDIRECT = "indirect", "Indirect (reported speech)"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="quotations")
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="quotations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="quotations", null=True, blank=True)
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIRECT)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    cue = models.CharField(max_length=60, blank=True, help_text='The attributing verb: "said", "added"')
    confidence = models.FloatField(default=1.0, help_text="0-1; 1 for quotations an editor entered")
    reviewed = models.BooleanField(default=False)
    # Editors cannot delete (evidence is kept), so a rejected proposal stays, marked, out of public view.
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.ACCEPTED,
        db_index=True,
        help_text="Proposals from automatic extraction wait for review; only accepted quotations are public",
    )

    objects = QuotationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["speech", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="quotation_end_after_start"),
            models.CheckConstraint(
                condition=Q(end=models.F("start") + Length("text")), name="quotation_span_matches_text_length"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="quotation_confidence_0_1"
            ),
            models.CheckConstraint(condition=Q(kind__in=["direct", "indirect"]), name="quotation_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "accepted", "rejected"]), name="quotation_status_valid"
            ),
        ]

    def __str__(self):
        short = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        return f"{self.speaker.name}: \u201c{short}\u201d"

    def get_absolute_url(self):
        return reverse("quotation-detail", kwargs={"pk": self.pk})

    @staticmethod
    def text_of(*, source=None, speech=None):
        """The text a quotation's offsets point into: its source's original text, else its statement's."""
        if source is not None:
            return source.original_text
        return speech.text if speech is not None else ""

    @property
    def context_text(self):
        return Quotation.text_of(source=self.source if self.source_id else None, speech=self.speech)


class IndexTask(models.Model):
    """Outbox of search-index work, written in the same transaction as the change it reflects."""

    class Action(models.TextChoices):
        UPDATE = "update", "Update"
        DELETE = "delete", "Delete"

    model = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    action = models.CharField(max_length=10, choices=Action.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self):
        return f"{self.action} {self.model}#{self.object_id}"


class RateLimitCounter(models.Model):
    """One client's requests in one rate-limit window (``archive/ratelimit.py``) when Redis is not configured.

    Incremented with one atomic upsert, so concurrent requests are all counted, and never evicted
    before its window has passed (expired rows are purged as new windows start).
    """

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"


class AlertSubscriber(TimeStampedModel):
    """An email address that asked for alerts. No account: every link it gets is signed."""

    email = models.EmailField(max_length=254, unique=True, help_text="Stored lower-cased")
    # Delivery trouble (bounces, SMTP errors): retried with backoff, never a crashed run.
    send_failures = models.PositiveIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return self.email


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)


class Alert(TimeStampedModel):
    """A followed search: the search page's query string is the alert (a speaker, a country, a body
    and a topic are searches with one filter). Nothing is sent before ``confirmed_at``."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    subscriber = models.ForeignKey(AlertSubscriber, on_delete=models.CASCADE, related_name="alerts")
    query = models.CharField(max_length=2000, help_text="The search's query string, as the search page builds it")
    label = models.CharField(max_length=500)
    frequency = models.CharField(max_length=6, choices=Frequency.choices, default=Frequency.DAILY)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Statements published up to ``covered_until`` have been considered (sent or not matching);
    # ``last_run_at`` is when a digest run last did so.
    covered_until = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["subscriber_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "query"], name="alert_unique_query_per_subscriber"),
            models.CheckConstraint(condition=Q(frequency__in=["daily", "weekly"]), name="alert_frequency_valid"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(covered_until__isnull=False),
                name="alert_confirmed_has_cursor",
            ),
        ]
        indexes = [models.Index(fields=["frequency", "confirmed_at", "subscriber"])]

    def __str__(self):
        return f"{self.label} ({self.frequency}) for {self.subscriber}"

    @property
    def search_url(self):
        return reverse("search") + (f"?{self.query}" if self.query else "")


class AlertDelivery(models.Model):
    """A statement sent to an address: written in the transaction that advances the alert, and
    unique per address, so no statement reaches an address twice whatever crashes or re-runs."""

    subscriber = models.ForeignKey(AlertSubscriber, on_delete=models.CASCADE, related_name="deliveries")
    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="+")
    alert = models.ForeignKey(Alert, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "speech"], name="alert_delivery_once_per_address"),
        ]

    def __str__(self):
        return f"{self.speech_id} to {self.subscriber_id}"


# --- Quote check (issue 13): official records, and each quotation checked against them ---------


class OfficialTranscriptQuerySet(models.QuerySet):
    def for_speeches(self, speech_ids):
        return self.filter(speech_id__in=speech_ids).select_related("source")


class OfficialTranscript(TimeStampedModel):
    """A source that is an official text of a statement, added by an editor: a mission's published
    remarks, a government's transcript. (A statement imported from a corpus, with ``external_id``,
    is the UN's verbatim record by construction: its own text is the official record.)"""

    speech = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="official_transcripts")
    source = models.OneToOneField(Source, on_delete=models.PROTECT, related_name="official_transcript")
    language = models.CharField(max_length=12, default="en", help_text="Language of the transcript (BCP 47)")
    delivered_in = models.CharField(
        max_length=12, blank=True, help_text="Language the speech was delivered in, if different"
    )
    speakers_own = models.BooleanField(
        default=True, help_text="Published by the speaker or their government or mission (their own words)"
    )

    objects = OfficialTranscriptQuerySet.as_manager()

    class Meta:
        ordering = ["speech", "-speakers_own", "pk"]

    def __str__(self):
        return f"Official transcript of statement #{self.speech_id} ({self.source.publisher})"


class QuotationCheck(models.Model):
    """The verdict of checking one quotation against the official records (archive/quotecheck.py)."""

    VERDICTS = [
        ("verbatim", "Verbatim"),
        ("altered", "Altered"),
        ("translation-differs", "Translation differs"),
        ("not-found", "Not in the record"),
        ("no-record", "No official record to check against"),
        ("other-language", "Record in another language"),
    ]

    quotation = models.OneToOneField(Quotation, on_delete=models.CASCADE, related_name="quote_check", primary_key=True)
    verdict = models.CharField(max_length=20, choices=VERDICTS, db_index=True)
    score = models.FloatField(default=0.0, help_text="0-1 word-level similarity with the record passage")
    record_speech = models.ForeignKey(
        Speech, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="Whose record was used"
    )
    record_source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text="The transcript used"
    )
    record_label = models.CharField(max_length=300, blank=True)
    record_start = models.PositiveIntegerField(null=True, blank=True, help_text="Passage offsets in the record")
    record_end = models.PositiveIntegerField(null=True, blank=True)
    passage = models.TextField(blank=True)
    differences = models.JSONField(default=list, blank=True)
    quotation_text = models.TextField(blank=True, help_text="The quotation's text when checked")
    method = models.CharField(max_length=40, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    verdict__in=[
                        "verbatim",
                        "altered",
                        "translation-differs",
                        "not-found",
                        "no-record",
                        "other-language",
                    ]
                ),
                name="quotation_check_verdict_valid",
            ),
        ]

    def __str__(self):
        return f"{self.quotation_id}: {self.verdict}"


def quote_check_of(quotation):
    """The quotation's QuotationCheck, or None when it has not been checked."""
    try:
        return quotation.quote_check
    except QuotationCheck.DoesNotExist:
        return None


class QuotationCheckTask(models.Model):
    """Outbox of quote checks, written in the same transaction as the change that calls for one."""

    quotation_id = models.PositiveIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"check quotation #{self.quotation_id}"
