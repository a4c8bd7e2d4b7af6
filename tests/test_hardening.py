"""Security headers, login brute-force protection and rate limits."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse

from archive.ratelimit import rate_limited

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client, seed):
    for url in ["/", seed.get_absolute_url(), reverse("admin:login")]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


def test_repeated_failed_logins_lock_the_account_out(client, editor):
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "editor", "password": "wrong"})
        assert response.status_code in (200, 429)
    response = client.post(url, {"username": "editor", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_still_works_below_the_limit(client, editor):
    url = reverse("admin:login")
    client.post(url, {"username": "editor", "password": "wrong"})
    response = client.post(url, {"username": "editor", "password": "correct-horse-battery", "next": "/admin/"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


@override_settings(RATE_LIMITS={"search": 3})
def test_rate_limit_answers_429_with_retry_after(frozen_rate_window):
    view = rate_limited("search")(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    statuses = [view(factory.get("/search/", REMOTE_ADDR="10.9.8.7")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = view(factory.get("/search/", REMOTE_ADDR="10.9.8.7"))
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert view(factory.get("/search/", REMOTE_ADDR="10.9.8.8")).status_code == 200


@pytest.mark.slow  # a subprocess
def test_database_down_gives_a_clear_503_not_a_traceback(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "from django.test import Client\n"
        "response = Client().get('/', HTTP_HOST='127.0.0.1')\n"
        "print(response.status_code, response['Retry-After'])\n"
        "print(response.content.decode())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # A real PostgreSQL client pointed at a port where nothing listens: the database is down.
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="s" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        ARCHIVE_DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://postgres@127.0.0.1:9/archive",
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=root,
        env=env,
        check=True,
        timeout=120,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    first_line, _, page = result.stdout.partition("\n")
    assert first_line == "503 10", result.stdout + result.stderr
    assert "The database is not answering right now" in page
    assert "Traceback" not in page


def test_a_login_with_an_unsafe_next_lands_on_the_editors_home(client, editor):
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "correct-horse-battery", "next": "https://evil.example.org/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_editor_sessions_end_after_eight_idle_hours_and_activity_renews_them(client, editor):
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.post(reverse("admin:login"), {"username": "editor", "password": "correct-horse-battery"})
    assert client.cookies["sessionid"]["max-age"] == 8 * 3600
    # Seven idle hours later the editor is still signed in, and working renews the eight hours.
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    assert client.get(reverse("admin:index")).status_code == 200
    renewed = Session.objects.get().expire_date - timezone.now()
    assert datetime.timedelta(hours=7, minutes=59) < renewed <= datetime.timedelta(hours=8)
    # Eight idle hours: signed out.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
