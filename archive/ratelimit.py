"""A fixed-window rate limit per client address, with atomic counters that are never evicted early.

Used on search, exports and alert subscriptions (``rate_limited`` / ``over_limit``) and on the API (``ApiRateThrottle``,
a DRF throttle over the same counters). Over the limit the client gets HTTP 429 with Retry-After.

The client is ``archive.clientip.client_address`` (the proxy-aware one). Counters live in Redis
when ``REDIS_URL`` is set (``INCR`` and ``EXPIRE`` in one MULTI/EXEC), otherwise in the database
table ``RateLimitCounter`` (one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, the same SQL on
SQLite and PostgreSQL). Both count every concurrent request exactly once and keep a counter until
its window has passed; a cache (file or memory) may drop a counter whenever it is full.
"""

import datetime
import functools
import hashlib
import logging
import re
import time

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from rest_framework.throttling import BaseThrottle

from archive.clientip import client_address

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60
PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400}


def parse_rate(rate):
    """``"120/minute"`` -> (120, 60); ``"30"`` -> (30, 60); ``None``, ``""``, ``"0"`` -> (0, 60): no limit."""
    if not rate:
        return 0, WINDOW_SECONDS
    if str(rate).strip().isdigit():  # a bare number: per minute, like RATE_LIMIT_SEARCH ("0": off)
        return int(rate), WINDOW_SECONDS
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*", str(rate).lower())
    if not match or match.group(3) not in PERIODS:
        raise ValueError(f"rate {rate!r}: use e.g. 120/minute")
    return int(match.group(1)), int(match.group(2) or 1) * PERIODS[match.group(3)]


class DatabaseCounters:
    """Counters in the ``archive_ratelimitcounter`` table."""

    def hit(self, key, window_seconds, window_end):
        from archive.models import RateLimitCounter

        table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
        expires = datetime.datetime.fromtimestamp(window_end + window_seconds, tz=datetime.UTC)
        if not settings.USE_TZ:  # pragma: no cover - the archive runs with USE_TZ
            expires = expires.replace(tzinfo=None)
        expires = connection.ops.adapt_datetimefield_value(expires)  # as the ORM stores it
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({connection.ops.quote_name('key')}, count, expires_at) "  # noqa: S608 - names
                f"VALUES (%s, 1, %s) ON CONFLICT ({connection.ops.quote_name('key')}) "
                f"DO UPDATE SET count = {table}.count + 1 RETURNING count",
                [key, expires],
            )
            count = cursor.fetchone()[0]
        if count == 1:  # a new window: forget the windows that have passed
            RateLimitCounter.objects.filter(expires_at__lt=datetime.datetime.now(tz=datetime.UTC)).delete()
        return count


class RedisCounters:
    def __init__(self, url):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def hit(self, key, window_seconds, window_end):
        import redis

        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.incr(key)
                pipe.expireat(key, int(window_end + window_seconds))
                count, _ = pipe.execute()
        except redis.RedisError as error:
            # Redis down must not take the site down with it: the request is let through, and logged.
            logger.error("Rate-limit counters unavailable (Redis): %s; request not counted", error)
            return 0
        return int(count)


@functools.lru_cache(maxsize=4)
def _redis(url):
    return RedisCounters(url)


def counters():
    url = getattr(settings, "RATE_LIMIT_REDIS_URL", None)
    return _redis(url) if url else DatabaseCounters()


def limit_for(scope):
    """(requests, window seconds) for a scope of ``settings.RATE_LIMITS`` (an int per minute or "N/period")."""
    value = settings.RATE_LIMITS.get(scope)
    if isinstance(value, int):
        return value, WINDOW_SECONDS
    return parse_rate(value)


def over_limit(request, scope, *, key=None, window_seconds=None):
    """Count this request; return the seconds to wait if the client is over its limit, else 0.

    ``key`` counts something other than the client address (an email address, say) under ``scope``,
    kept only as a digest; ``window_seconds`` overrides the scope's window (an hour, say).
    """
    limit, scope_window = limit_for(scope)
    if not limit:
        return 0
    window_seconds = window_seconds or scope_window
    now = time.time()
    window = int(now // window_seconds)
    window_end = (window + 1) * window_seconds
    prefix = getattr(settings, "RATE_LIMIT_KEY_PREFIX", "archive")
    who = hashlib.sha256(key.encode()).hexdigest()[:32] if key is not None else client_address(request) or "unknown"
    counter = f"{prefix}:ratelimit:{scope}:{who}:{window}"[:200]
    count = counters().hit(counter, window_seconds, window_end)
    if count > limit:
        return max(1, int(window_end - now))
    return 0


def too_many_requests(retry_after):
    response = HttpResponse(
        f"Too many requests: please wait {retry_after} seconds and try again.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            retry_after = over_limit(request, scope)
            if retry_after:
                return too_many_requests(retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class ScopedRateThrottle(BaseThrottle):
    """A DRF throttle over the site's counters; subclasses name the scope of ``settings.RATE_LIMITS``."""

    scope = None

    def allow_request(self, request, view):
        self.retry_after = over_limit(request, self.scope)
        return not self.retry_after

    def wait(self):
        return self.retry_after


class ApiRateThrottle(ScopedRateThrottle):
    """Every API request (``API_RATE_LIMIT``, default 120/minute per client address)."""

    scope = "api"
