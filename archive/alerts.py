"""Email alerts: follow a search (a speaker, a country, a body and a topic are searches with one
filter) and get the statements published since in a daily or weekly digest.

- ``alert_subscribe`` asks for an alert and mails a confirmation link (double opt-in): nothing is
  sent before ``alert_confirm``. Whatever the address's state, the requester sees the same answer.
- ``send_digests`` sends each confirmed address one email per frequency. What an alert matches is
  decided by the search layer (``archive.search.search_objects`` over ``Speech.objects.published()``),
  never by a query of its own. The statements sent are recorded in the transaction that advances the
  alerts, after the SMTP server accepted the mail, so a crash or a re-run never sends a statement to
  an address twice (``AlertDelivery`` is unique per address and statement) nor skips one.
- Links are signed (``django.core.signing``): confirmation links expire, unsubscribe links do not.
  Every link is built from ``settings.SITE_URL``, never from a request's Host header.
"""

import hashlib
import html
import logging
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Max, Min, Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from archive.filters import filter_speeches, parse_filters
from archive.models import Alert, AlertDelivery, AlertSubscriber, IndexTask, Speech
from archive.search import outbox, run_search, search_objects

log = logging.getLogger("archive.alerts")

PERIODS = {Alert.Frequency.DAILY: timedelta(days=1), Alert.Frequency.WEEKLY: timedelta(days=7)}
# A daily run started a little earlier than yesterday's still finds yesterday's alerts due.
DUE_SLACK = timedelta(hours=2)
# A statement whose publishing transaction committed after a run read the database, with a
# publication time before that run, is still found by the next run (deliveries prevent repeats).
LOOKBACK = timedelta(minutes=10)
# Parameters of a search URL that do not change which statements an alert follows.
IGNORED_KEYS = {"page", "format", "sort", "type", "kind"}
CONFIRM_SALT = "archive.alerts.confirm"
UNSUBSCRIBE_SALT = "archive.alerts.unsubscribe"
MANAGE_SALT = "archive.alerts.manage"
BACKOFF_FIRST = timedelta(minutes=15)
BACKOFF_MAX = timedelta(days=1)
SUBSCRIBER_CHUNK = 200
MATCH_CACHE_SIZE = 512  # distinct searches kept per run
# Index work queued this long after a statement's publication time still holds the run back.
INDEX_MARGIN = timedelta(seconds=5)


class AlertLinkError(Exception):
    """A link that is not ours, was altered, has expired or points at an alert that is gone."""


def normalize_email(email):
    return (email or "").strip().lower()


def address_key(email):
    """What rate limits count per address: a hash, so addresses never sit in cache file names."""
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


# --- what an alert follows ------------------------------------------------------------------------


def alert_search(params):
    """``(query, label)`` for the search URL ``params`` (a QueryDict or mapping) describes, read by
    the search layer itself: the query string the search page would build (without page, sort and
    type: an alert is about which statements, not how they are listed) and a label a person reads."""
    if isinstance(params, QueryDict):
        cleaned = {key: params.getlist(key) for key in params if key not in IGNORED_KEYS}
    else:
        cleaned = {key: value for key, value in params.items() if key not in IGNORED_KEYS}
    result = run_search(cleaned, page_size=1, highlight=False, facets=False)
    pairs = [(key, value) for key, value in result.params if key not in IGNORED_KEYS]
    parts = [f"“{result.q}”"] if result.q else []
    parts += [f"{item['label']}: {item['value']}" for item in result.active_filters]
    # One line: the label goes into email subjects, where a line break would be a header injection.
    label = " ".join((", ".join(parts) or "All new statements").split())
    return urlencode(pairs), label[:500]


def query_params(query):
    return QueryDict(query)


# --- signed links -----------------------------------------------------------------------------------


def _absolute(path):
    return settings.SITE_URL + path


def confirm_url(alert):
    token = signing.dumps({"a": alert.pk, "e": alert.subscriber.email}, salt=CONFIRM_SALT, compress=True)
    return _absolute(reverse("alert-confirm", args=[token]))


def unsubscribe_url(subscriber, alerts):
    token = signing.dumps(
        {"s": subscriber.pk, "e": subscriber.email, "a": sorted(a.pk for a in alerts)},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )
    return _absolute(reverse("alert-unsubscribe", args=[token]))


def manage_url(subscriber):
    token = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=MANAGE_SALT, compress=True)
    return _absolute(reverse("alert-manage", args=[token]))


def _load(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise AlertLinkError("This link has expired.") from error
    except signing.BadSignature as error:
        raise AlertLinkError("This link is not valid: it may have been cut short when it was copied.") from error


def subscriber_for_manage_token(token):
    data = _load(token, MANAGE_SALT, settings.ALERTS["MANAGE_MAX_AGE"])
    subscriber = AlertSubscriber.objects.filter(pk=data.get("s"), email=data.get("e")).first()
    if subscriber is None:
        raise AlertLinkError("There are no alerts for this address any more.")
    return subscriber


def alerts_for_unsubscribe_token(token):
    """The alerts an unsubscribe link stops (those still there) and the subscriber."""
    data = _load(token, UNSUBSCRIBE_SALT)
    subscriber = AlertSubscriber.objects.filter(pk=data.get("s"), email=data.get("e")).first()
    if subscriber is None:
        return None, []
    return subscriber, list(subscriber.alerts.filter(pk__in=data.get("a", [])))


# --- services: subscribe, confirm, change, unsubscribe ------------------------------------------------


@dataclass
class SubscribeOutcome:
    kind: str  # "confirm" (a confirmation link was sent), "already" (confirmed before), "limit" (K reached)
    alert: Alert | None
    subscriber: AlertSubscriber


@transaction.atomic
def alert_request(*, email, query, label, frequency):
    """Record a request for an alert (unconfirmed) and say which email answers it."""
    email = normalize_email(email)
    subscriber, _ = AlertSubscriber.objects.get_or_create(email=email)
    subscriber = AlertSubscriber.objects.select_for_update().get(pk=subscriber.pk)
    existing = subscriber.alerts.filter(query=query).first()
    if existing and existing.confirmed_at:
        return SubscribeOutcome("already", existing, subscriber)
    # K counts confirmed alerts (checked again on confirming): requests nobody confirmed cannot lock
    # an address out, and how many can pile up is bounded by the per-address rate limit.
    if existing is None and subscriber.alerts.confirmed().count() >= settings.ALERTS["MAX_PER_ADDRESS"]:
        return SubscribeOutcome("limit", None, subscriber)
    if existing is None:
        existing = Alert.objects.create(subscriber=subscriber, query=query, label=label, frequency=frequency)
    else:  # asked again before confirming: the latest choice counts, and a fresh link goes out
        existing.label, existing.frequency = label, frequency
        existing.save(update_fields=["label", "frequency", "updated_at"])
    return SubscribeOutcome("confirm", existing, subscriber)


def alert_subscribe(*, email, query, label, frequency):
    """Ask for an alert and mail the answer: a confirmation link, or (without telling the requester)
    a note to the address's owner that the alert exists already or that the limit is reached.
    An SMTP failure is logged, not raised: the requester's answer must not depend on the address."""
    outcome = alert_request(email=email, query=query, label=label, frequency=frequency)
    context = {
        "outcome": outcome,
        "alert": outcome.alert,
        "label": label,
        "manage_url": manage_url(outcome.subscriber),
        "limit": settings.ALERTS["MAX_PER_ADDRESS"],
        "site_url": settings.SITE_URL,
    }
    if outcome.kind == "confirm":
        context["confirm_url"] = confirm_url(outcome.alert)
        context["expires_days"] = max(1, settings.ALERTS["CONFIRM_MAX_AGE"] // 86400)
        subject = f"Confirm your alert: {label}"
    elif outcome.kind == "already":
        subject = f"You already follow: {label}"
    else:
        subject = "Your alerts: the limit is reached"
    message = EmailMultiAlternatives(
        subject[:200],
        render_to_string("alerts/email/request.txt", context),
        to=[outcome.subscriber.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string("alerts/email/request.html", context), "text/html")
    try:
        message.send()
    except Exception:  # noqa: BLE001 - any mail failure: logged, and the page answers the same
        log.exception(
            "ALERT MAIL FAILED: the %s email for alert request to subscriber %s", outcome.kind, outcome.subscriber.pk
        )
    return outcome


def alert_confirm(*, token):
    """Confirm the alert a confirmation link names; its digests cover statements published from now."""
    data = _load(token, CONFIRM_SALT, settings.ALERTS["CONFIRM_MAX_AGE"])
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update()
            .select_related("subscriber")
            .filter(pk=data.get("a"), subscriber__email=data.get("e"))
            .first()
        )
        if alert is None:
            raise AlertLinkError("This alert does not exist any more: it was cancelled or never confirmed in time.")
        if alert.confirmed_at is None:
            limit = settings.ALERTS["MAX_PER_ADDRESS"]
            if alert.subscriber.alerts.confirmed().count() >= limit:
                raise AlertLinkError(f"This address already follows {limit} searches: stop one to make room.")
            now = timezone.now()
            alert.confirmed_at = now
            alert.covered_until = now
            alert.save(update_fields=["confirmed_at", "covered_until", "updated_at"])
    return alert


@transaction.atomic
def alert_unsubscribe(*, subscriber, alerts):
    """Stop these alerts; an address left with none is forgotten (with the record of what it got)."""
    labels = [alert.label for alert in alerts]
    Alert.objects.filter(subscriber=subscriber, pk__in=[alert.pk for alert in alerts]).delete()
    if not subscriber.alerts.exists():
        subscriber.delete()
    return labels


@transaction.atomic
def alert_set_frequency(*, subscriber, alert_id, frequency):
    if frequency not in Alert.Frequency.values:
        raise ValueError(f"Unknown frequency {frequency!r}")
    return subscriber.alerts.filter(pk=alert_id).update(frequency=frequency, updated_at=timezone.now())


def purge_unconfirmed(*, now=None):
    """Forget requests never confirmed while their link was valid, and addresses left without alerts."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.ALERTS["CONFIRM_MAX_AGE"])
    deleted, _ = Alert.objects.filter(confirmed_at__isnull=True, updated_at__lt=cutoff).delete()
    AlertSubscriber.objects.filter(alerts__isnull=True, created_at__lt=cutoff).delete()
    return deleted


# --- snippets -------------------------------------------------------------------------------------------


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


# --- digests ----------------------------------------------------------------------------------------------


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
                {"speech": speech, "url": _absolute(speech.get_absolute_url()), "plain": plain, "html": marked}
            )
        section["items"] = items
        section["more"] = section["total"] - len(section["ids"])
        section["search_url"] = _absolute(alert.search_url)
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
