"""Rate-limit counters hold: atomic under concurrency, never evicted early, in the database or in Redis.

Redis tests use TEST_REDIS_URL (default redis://127.0.0.1:6379/15) with a key prefix of their own;
they skip with the reason when Redis does not answer, or fail with REQUIRE_REDIS=1 (as CI sets).
"""

import os
import threading
import uuid

import pytest
from django.db import connection
from django.test import RequestFactory

from archive import ratelimit
from archive.models import RateLimitCounter

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
        return client
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        reason = f"Redis at {REDIS_URL} does not answer ({type(error).__name__}: {error})"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"REQUIRE_REDIS=1 but {reason}")
        pytest.skip(reason)


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """The counters' store: the database table, or Redis under a key prefix of this test's own."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.RATE_LIMIT_KEY_PREFIX = prefix
    if request.param == "redis":
        client = _redis_or_skip()
        settings.RATE_LIMIT_REDIS_URL = REDIS_URL
        yield request.param
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    else:
        settings.RATE_LIMIT_REDIS_URL = ""
        yield request.param


def _export_status(address):
    from archive.exports import _download

    request = RequestFactory().get("/statements/?format=csv", REMOTE_ADDR=address)
    return _download(request, [], "csv", "statements", [], lambda objects: objects).status_code


@pytest.mark.django_db(transaction=True)
def test_concurrent_exports_never_pass_the_limit(store, settings, frozen_rate_window):
    settings.RATE_LIMITS = {"export": 20}
    statuses = []
    lock = threading.Lock()
    start = threading.Barrier(16)

    def client():
        try:
            start.wait()
            for _ in range(3):
                status = _export_status("198.51.100.16")
                with lock:
                    statuses.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 48
    assert statuses.count(200) == 20, statuses
    assert statuses.count(429) == 28


@pytest.mark.django_db
def test_a_throttled_client_stays_throttled_whatever_other_clients_do(store, settings, frozen_rate_window):
    settings.RATE_LIMITS = {"export": 2}
    assert [_export_status("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    for n in range(400):  # the file cache kept 300 entries and then forgot a random third
        _export_status(f"10.1.{n // 250}.{n % 250}")
    assert _export_status("198.51.100.1") == 429


@pytest.mark.django_db
def test_a_new_window_starts_a_new_count(store, settings, monkeypatch):
    import types

    settings.RATE_LIMITS = {"export": 1}
    now = [1_800_000_030.0]
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: now[0]))
    assert [_export_status("198.51.100.1") for _ in range(2)] == [200, 429]
    now[0] += 60
    assert _export_status("198.51.100.1") == 200


@pytest.mark.django_db
def test_expired_database_counters_are_purged(settings, monkeypatch):
    import types

    settings.RATE_LIMIT_REDIS_URL = ""
    settings.RATE_LIMITS = {"export": 5}
    now = [1_800_000_030.0]
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: now[0]))
    _export_status("198.51.100.1")
    assert RateLimitCounter.objects.count() == 1
    # Counters of windows long past go when a new window's counter is created.
    RateLimitCounter.objects.update(expires_at="2000-01-01T00:00:00Z")
    _export_status("198.51.100.2")
    assert list(RateLimitCounter.objects.values_list("count", flat=True)) == [1]


def test_rates_are_read_like_drf_rates():
    assert ratelimit.parse_rate("120/minute") == (120, 60)
    assert ratelimit.parse_rate("5/10s") == (5, 10)
    assert ratelimit.parse_rate("1000/hour") == (1000, 3600)
    assert ratelimit.parse_rate("") == (0, 60)
    assert ratelimit.parse_rate("0") == (0, 60)  # API_RATE_LIMIT=0 turns the API limit off
    assert ratelimit.parse_rate("30") == (30, 60)
    with pytest.raises(ValueError, match="120/minute"):
        ratelimit.parse_rate("lots")


@pytest.mark.django_db
def test_redis_down_lets_requests_through_and_says_so(settings, frozen_rate_window, caplog):
    """A rate limiter whose Redis is down must not turn every search into an error page."""
    settings.RATE_LIMIT_REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    settings.RATE_LIMITS = {"export": 1}
    assert [_export_status("198.51.100.1") for _ in range(2)] == [200, 200]
    assert "Rate-limit counters unavailable (Redis)" in caplog.text


@pytest.mark.django_db
def test_a_database_counter_expires_when_its_window_has_passed(settings, monkeypatch):
    import datetime
    import types

    settings.RATE_LIMIT_REDIS_URL = ""
    settings.RATE_LIMITS = {"export": 5}
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0))
    _export_status("198.51.100.1")
    counter = RateLimitCounter.objects.get()
    # Kept through its own window and the next (the key names the window), never longer.
    assert counter.expires_at == datetime.datetime.fromtimestamp(1_800_000_060 + 60, tz=datetime.UTC)
