"""Tables the running site keeps for itself: the search-index outbox and rate-limit counters."""

from django.db import models


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
