"""Alerts: followed searches, the addresses that follow them, and what was sent."""

from django.db import models
from django.db.models import Q
from django.urls import reverse

from archive.models.base import TimeStampedModel
from archive.models.statements import Speech
from archive.querysets import AlertQuerySet


class AlertSubscriber(TimeStampedModel):
    """An email address that asked for alerts. No account: every link it gets is signed."""

    email = models.EmailField(max_length=254, unique=True, help_text="Stored lower-cased")
    # Delivery trouble (bounces, SMTP errors): retried with backoff, never a crashed run.
    send_failures = models.PositiveIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return self.email


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
