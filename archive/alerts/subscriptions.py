"""Subscribing to alerts: double opt-in by email, signed links (confirm, unsubscribe, manage), and
the search an alert follows. Whatever the address's state, the requester sees the same answer."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from archive.models import Alert, AlertSubscriber
from archive.search import run_search

log = logging.getLogger("archive.alerts")
PERIODS = {Alert.Frequency.DAILY: timedelta(days=1), Alert.Frequency.WEEKLY: timedelta(days=7)}


# Parameters of a search URL that do not change which statements an alert follows.
IGNORED_KEYS = {"page", "format", "sort", "type", "kind"}
CONFIRM_SALT = "archive.alerts.confirm"
UNSUBSCRIBE_SALT = "archive.alerts.unsubscribe"
MANAGE_SALT = "archive.alerts.manage"


class AlertLinkError(Exception):
    """A link that is not ours, was altered, has expired or points at an alert that is gone."""


def normalize_email(email):
    return (email or "").strip().lower()


def address_key(email):
    """What rate limits count per address: a hash, so addresses never sit in cache file names."""
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


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


def absolute_url(path):
    return settings.SITE_URL + path


def confirm_url(alert):
    token = signing.dumps({"a": alert.pk, "e": alert.subscriber.email}, salt=CONFIRM_SALT, compress=True)
    return absolute_url(reverse("alert-confirm", args=[token]))


def unsubscribe_url(subscriber, alerts):
    token = signing.dumps(
        {"s": subscriber.pk, "e": subscriber.email, "a": sorted(a.pk for a in alerts)},
        salt=UNSUBSCRIBE_SALT,
        compress=True,
    )
    return absolute_url(reverse("alert-unsubscribe", args=[token]))


def manage_url(subscriber):
    token = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=MANAGE_SALT, compress=True)
    return absolute_url(reverse("alert-manage", args=[token]))


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
