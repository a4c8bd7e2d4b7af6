"""Quotations, the official transcripts they are checked against, and the checks (issue 13)."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from archive.models.base import TimeStampedModel
from archive.models.people import Speaker
from archive.models.statements import Source, Speech
from archive.querysets import OfficialTranscriptQuerySet, QuotationQuerySet


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
    """The verdict of checking one quotation against the official records (archive/quotecheck/)."""

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
