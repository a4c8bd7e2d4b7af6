"""One notion of the client's address: X-Forwarded-For counts only when a trusted proxy sends it.

The requests go through the whole middleware stack (Django's test client) and the real rate-limit
counters in the database; the reverse proxy itself (nginx) is in tests/test_reverse_proxy.py.
"""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from archive.clientip import client_address, resolve

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    "remote,forwarded,expected",
    [
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not a proxy: its header is ignored
        (PROXY, "198.51.100.1", "198.51.100.1"),
        (PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # a spoofed entry left of the real one
        (PROXY, "198.51.100.1, 10.0.0.3", "198.51.100.1"),  # two trusted proxies in a row
        (PROXY, "", PROXY),  # the proxy's own request
        (PROXY, "not-an-address", PROXY),
        (PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (PROXY, "198.51.100.1:5678", "198.51.100.1"),
    ],
)
def test_the_client_is_the_rightmost_untrusted_address(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.3/32"]
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert resolve(meta)[0] == expected


def test_without_trusted_proxies_forwarded_headers_mean_nothing(settings):
    settings.TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == PROXY


def test_a_request_without_an_address_has_no_client_address(client, editor):
    """force_login and other requests made in code have no REMOTE_ADDR: axes must get None, which
    PostgreSQL's inet column accepts, not a made-up word."""
    from axes.models import AccessLog

    assert client_address(RequestFactory().get("/", REMOTE_ADDR="")) is None
    client.force_login(editor)
    assert AccessLog.objects.get().ip_address is None


def test_a_bad_trusted_proxies_setting_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        resolve({"REMOTE_ADDR": PROXY})


def test_clients_behind_one_proxy_each_get_their_own_search_limit(client, reference_data, settings, frozen_rate_window):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": 2}

    def search(forwarded):
        return client.get("/search/", {"q": "peace"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [search("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert search("198.51.100.2") == 200  # another client through the same proxy
    # A client cannot escape its limit by naming someone else in front of the proxy's entry.
    assert search("1.2.3.4, 198.51.100.1") == 429


def test_a_direct_client_cannot_spoof_x_forwarded_for(client, reference_data, settings, frozen_rate_window):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": 2}
    statuses = [
        client.get(
            "/search/", {"q": "peace"}, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_api_throttle_counts_the_client_behind_the_proxy(client, reference_data, settings, frozen_rate_window):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "2/minute"}

    def get(forwarded):
        return client.get("/api/countries/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [get("198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert get("198.51.100.2") == 200


def test_a_lockout_through_the_proxy_locks_only_that_client(client, editor, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    url = reverse("admin:login")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "6.6.6.6"}
    for _ in range(5):
        client.post(url, {"username": "editor", "password": "wrong"}, **attacker)
    locked = client.post(url, {"username": "editor", "password": "correct-horse-battery"}, **attacker)
    assert locked.status_code == 429
    # The editor, elsewhere, through the same proxy, signs in.
    response = client.post(
        url,
        {"username": "editor", "password": "correct-horse-battery", "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_https_is_detected_only_from_a_trusted_proxy(client, reference_data, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_SSL_REDIRECT = True
    direct = client.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    proxied = client.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


def test_the_log_names_the_client_behind_the_proxy(settings, caplog):
    """A part that is down is logged with the client's address, not the proxy's."""
    from django.db import OperationalError

    from archive.clientip import ClientAddressMiddleware
    from archive.middleware import ServiceUnavailableMiddleware

    settings.TRUSTED_PROXIES = [PROXY]
    request = RequestFactory().get("/search/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.23")

    def view(request):
        return ServiceUnavailableMiddleware(None).process_exception(request, OperationalError("server closed"))

    response = ClientAddressMiddleware(view)(request)
    assert response.status_code == 503
    [record] = [r for r in caplog.records if "unavailable while serving" in r.getMessage()]
    assert "/search/ to 198.51.100.23: server closed" in record.getMessage()
