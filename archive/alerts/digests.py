"""Sending digests: each confirmed address gets one email per frequency with the statements published
since. What an alert matches is decided by the search layer, never by a query of its own; deliveries
are recorded in the transaction that advances the alerts, so nothing is sent twice nor skipped."""

import html
import logging
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Max, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from archive.alerts.subscriptions import (
    PERIODS,
    absolute_url,
    manage_url,
    purge_unconfirmed,
    query_params,
    unsubscribe_url,
)
from archive.filters import filter_speeches, parse_filters
from archive.models import Alert, AlertDelivery, AlertSubscriber, IndexTask, Speech
from archive.search import outbox, search_objects

log = logging.getLogger("archive.alerts")

# A daily run started a little earlier than yesterday's still finds yesterday's alerts due.
DUE_SLACK = timedelta(hours=2)
# A statement whose publishing transaction committed after a run read the database, with a
# publication time before that run, is still found by the next run (deliveries prevent repeats).
LOOKBACK = timedelta(minutes=10)
BACKOFF_FIRST = timedelta(minutes=15)
BACKOFF_MAX = timedelta(days=1)
SUBSCRIBER_CHUNK = 200
MATCH_CACHE_SIZE = 512  # distinct searches kept per run
# Index work queued this long after a statement's publication time still holds the run back.
INDEX_MARGIN = timedelta(seconds=5)

_FIELD_OPERATOR = re.compile(r"\b\w+:(?:\"[^\"]*\"|\S+)")
_OPERATORS = {"AND", "OR", "NOT", "TO"}


def _query_words(q):
    words = re.findall(r"\w{3,}", _FIELD_OPERATOR.sub(" ", q or ""))
    return [w for w in words if w.upper() not in _OPERATORS]


def snippet(text, q, length=280):
    """(plain, html) of the passage of ``text`` where the search's words first appear, the words
    marked in the HTML; the opening of the text when the alert has no words."""
    text = re.sub(r"\s+", " ", text or "").strip()
    words = _query_words(q)
    pattern = (
        re.compile(r"\b(?:" + "|".join(re.escape(w[: max(4, len(w) - 2)]) for w in words) + r")\w*", re.I)
        if words
        else None
    )
    start = 0
    if pattern:
        match = pattern.search(text)
        if match:
            start = max(0, match.start() - length // 3)
            space = text.rfind(" ", 0, start)
            start = space + 1 if start and space >= 0 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    passage = text[start:end]
    prefix, suffix = ("… " if start else ""), (" …" if end < len(text) else "")
    if not pattern:
        marked = html.escape(passage)
    else:
        pieces, position = [], 0
        for match in pattern.finditer(passage):
            pieces += [html.escape(passage[position : match.start()]), f"<mark>{html.escape(match.group())}</mark>"]
            position = match.end()
        pieces.append(html.escape(passage[position:]))
        marked = "".join(pieces)
    return prefix + passage + suffix, mark_safe(prefix + marked + suffix)  # noqa: S308 - escaped above


@dataclass
class DigestStats:
    frequency: str = ""
    due_alerts: int = 0
    subscribers: int = 0
    emails: int = 0
    statements: int = 0
    nothing_new: int = 0
    failed: int = 0
    deferred: int = 0  # in backoff after an earlier failure
    searches: int = 0
    skipped_searches: int = 0  # no new statement passes the alert's filters
    covered_until: object = None
    held_back: bool = False
    failures: list = field(default_factory=list)


class _Matcher:
    """Statements published in the run's window that each search matches, asked of the search layer
    once per distinct search per run (10,000 alerts on a few hundred searches make a few hundred)."""

    def __init__(self, *, since, now, stats):
        self.since, self.now, self.stats = since, now, stats
        latest = Speech.objects.published().filter(published_at__lte=now).aggregate(m=Max("published_at"))["m"]
        self.latest = latest
        self.cache = OrderedDict()

    def match(self, alert):
        """Ids of the statements ``alert`` matches that were published after its cursor (less the
        lookback) and up to the run's time, in the search page's order."""
        # Never a statement published before the alert was confirmed.
        start = max(alert.covered_until - LOOKBACK, alert.confirmed_at)
        if self.latest is None or self.latest <= start:
            return []  # nothing published since: no search needed
        hits = self.cache.get(alert.query)
        if hits is None:
            params = query_params(alert.query)
            window = Speech.objects.filter(published_at__gt=self.since, published_at__lte=self.now)
            # The search applies the URL filters of archive/filters.py and then its words: when the
            # filters alone leave no new statement (most alerts, most days), the search is not run.
            if filter_speeches(window.published(), parse_filters(params)).exists():
                _result, objects = search_objects(params, queryset=window.only("id", "published_at"))
                hits = [(speech.pk, speech.published_at) for speech in objects]
                self.stats.searches += 1
            else:
                hits = []
                self.stats.skipped_searches += 1
            self.cache[alert.query] = hits
            if len(self.cache) > MATCH_CACHE_SIZE:
                self.cache.popitem(last=False)
        else:
            self.cache.move_to_end(alert.query)
        return [pk for pk, published_at in hits if published_at > start]


def _index_settled_until(now):
    """The publication time up to which the search index has every statement: just before the
    oldest queued index work, or ``now`` when the outbox is empty."""
    oldest = IndexTask.objects.filter(model=outbox.SPEECH).aggregate(m=Min("created_at"))["m"]
    return oldest - INDEX_MARGIN if oldest else now


def due_alerts(*, frequency, now):
    period = PERIODS[frequency]
    return (
        Alert.objects.confirmed()
        .filter(frequency=frequency)
        .filter(Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - period + DUE_SLACK))
    )


def send_digests(*, frequency, now=None, dry_run=False, progress=None, out=None):
    """Send every due alert of ``frequency``: one email per address. Returns DigestStats.

    ``progress`` is a progress bar (tqdm's ``reset(total=)`` and ``update(n)``) over the addresses;
    ``out`` receives a line per email in a dry run. Delivery errors are logged and retried on a
    later run with backoff; they never stop the run. One SMTP connection serves the whole run (a
    new one after an error).
    """
    now = now or timezone.now()
    stats = DigestStats(frequency=frequency)
    if not dry_run:
        purge_unconfirmed(now=now)
    # Alerts are matched by the search index: a statement whose index work is still queued (the
    # worker is behind or down) is not covered by this run, so the cursor stops before it.
    stats.covered_until = covered = min(now, _index_settled_until(now))
    stats.held_back = covered < now
    due = due_alerts(frequency=frequency, now=now)
    ready = due.filter(Q(subscriber__retry_at__isnull=True) | Q(subscriber__retry_at__lte=now))
    stats.due_alerts = due.count()
    stats.deferred = due.exclude(pk__in=ready.values("pk")).values("subscriber").distinct().count()
    since = ready.aggregate(m=Min("covered_until"))["m"]
    if since is None:
        return stats
    matcher = _Matcher(since=since - LOOKBACK, now=covered, stats=stats)
    subscriber_ids = list(ready.order_by("subscriber_id").values_list("subscriber_id", flat=True).distinct())
    if progress is not None:
        progress.reset(total=len(subscriber_ids))
    connection = None if dry_run else get_connection()
    try:
        for offset in range(0, len(subscriber_ids), SUBSCRIBER_CHUNK):
            chunk = subscriber_ids[offset : offset + SUBSCRIBER_CHUNK]
            alerts_by_subscriber = {}
            for alert in ready.filter(subscriber_id__in=chunk).select_related("subscriber").order_by("id"):
                alerts_by_subscriber.setdefault(alert.subscriber_id, []).append(alert)
            quiet = []  # alerts of addresses with nothing new: advanced together at the chunk's end
            for subscriber_id in chunk:
                alerts = alerts_by_subscriber.get(subscriber_id)
                if alerts:
                    quiet += _digest_one(alerts, frequency, now, covered, matcher, stats, connection, dry_run, out)
                stats.subscribers += 1
                if progress is not None:
                    progress.update(1)
            if quiet and not dry_run:
                _advance_cursors(quiet, now, covered)
    finally:
        if connection is not None:
            _close_quietly(connection)
    return stats


def _digest_one(alerts, frequency, now, covered, matcher, stats, connection, dry_run, out):
    subscriber = alerts[0].subscriber
    matched = {alert.pk: matcher.match(alert) for alert in alerts}
    candidates = {pk for ids in matched.values() for pk in ids}
    seen = (
        set(
            AlertDelivery.objects.filter(subscriber=subscriber, speech_id__in=candidates).values_list(
                "speech_id", flat=True
            )
        )
        if candidates
        else set()
    )
    limit = settings.ALERTS["DIGEST_ITEMS"]
    sections = []
    for alert in alerts:
        fresh = [pk for pk in matched[alert.pk] if pk not in seen]
        seen.update(fresh)
        if fresh:
            sections.append({"alert": alert, "ids": fresh[:limit], "total": len(fresh)})
    listed = [pk for section in sections for pk in section["ids"]]
    if not listed:
        stats.nothing_new += 1
        return alerts
    if dry_run:
        stats.emails += 1
        stats.statements += len(listed)
        if out:
            out(f"would send {subscriber.email}: {len(listed)} statement(s) for {len(sections)} alert(s)")
        return []
    message = digest_message(subscriber, alerts, sections, frequency, connection)
    try:
        if connection.connection is None:
            connection.open()
        connection.send_messages([message])
    except Exception as error:  # noqa: BLE001 - a bounce or SMTP error never stops the run
        _close_quietly(connection)
        _record_failure(subscriber, error, now)
        stats.failed += 1
        stats.failures.append(f"subscriber {subscriber.pk}: {type(error).__name__}: {error}"[:300])
        log.warning(
            "ALERT DIGEST FAILED for subscriber %s (attempt %s): %r", subscriber.pk, subscriber.send_failures, error
        )
        return []
    _advance(
        subscriber, alerts, [(section["alert"], pk) for section in sections for pk in section["ids"]], now, covered
    )
    stats.emails += 1
    stats.statements += len(listed)
    return []


@transaction.atomic
def _advance(subscriber, alerts, sent, now, covered):
    """Record what was sent and move the alerts' cursors, all or nothing."""
    AlertDelivery.objects.bulk_create(
        [AlertDelivery(subscriber=subscriber, speech_id=pk, alert=alert, sent_at=now) for alert, pk in sent],
        ignore_conflicts=True,
    )
    _advance_cursors(alerts, now, covered)
    if subscriber.send_failures or subscriber.retry_at:
        AlertSubscriber.objects.filter(pk=subscriber.pk).update(send_failures=0, retry_at=None, last_error="")


@transaction.atomic
def _advance_cursors(alerts, now, covered):
    pks = [alert.pk for alert in alerts]
    Alert.objects.filter(pk__in=pks).update(last_run_at=now)
    # A cursor never moves back (a run held back by queued index work covers less than an earlier one).
    Alert.objects.filter(pk__in=pks, covered_until__lt=covered).update(covered_until=covered)


def _record_failure(subscriber, error, now):
    failures = subscriber.send_failures + 1
    delay = min(BACKOFF_FIRST * 2 ** (failures - 1), BACKOFF_MAX)
    subscriber.send_failures = failures
    AlertSubscriber.objects.filter(pk=subscriber.pk).update(
        send_failures=failures, retry_at=now + delay, last_error=f"{type(error).__name__}: {error}"[:1000]
    )


def _close_quietly(connection):
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a broken connection is replaced at the next send
        connection.connection = None


def digest_message(subscriber, alerts, sections, frequency, connection=None):
    """The digest email: plain text and HTML, with one-click unsubscribe headers (RFC 8058)."""
    speeches = Speech.objects.published().with_related().in_bulk([pk for s in sections for pk in s["ids"]])
    for section in sections:
        alert = section["alert"]
        q = query_params(alert.query).get("q", "")
        items = []
        for pk in section["ids"]:
            speech = speeches.get(pk)
            if speech is None:
                continue
            plain, marked = snippet(speech.text, q)
            items.append(
                {"speech": speech, "url": absolute_url(speech.get_absolute_url()), "plain": plain, "html": marked}
            )
        section["items"] = items
        section["more"] = section["total"] - len(section["ids"])
        section["search_url"] = absolute_url(alert.search_url)
        section["unsubscribe_url"] = unsubscribe_url(subscriber, [alert])
    count = sum(len(section["items"]) for section in sections)
    unsubscribe_all = unsubscribe_url(subscriber, alerts)
    context = {
        "sections": sections,
        "frequency": frequency,
        "count": count,
        "manage_url": manage_url(subscriber),
        "unsubscribe_url": unsubscribe_all,
        "site_url": settings.SITE_URL,
    }
    subject = f"{count} new statement{'s' if count != 1 else ''}: " + ", ".join(s["alert"].label for s in sections)
    message = EmailMultiAlternatives(
        subject[:200],
        render_to_string("alerts/email/digest.txt", context),
        to=[subscriber.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_all}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"Statements Archive {frequency} alerts <{frequency}.alerts.{_site_host()}>",
            "Auto-Submitted": "auto-generated",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(render_to_string("alerts/email/digest.html", context), "text/html")
    return message


def _site_host():
    from urllib.parse import urlsplit

    return urlsplit(settings.SITE_URL).hostname or "localhost"
