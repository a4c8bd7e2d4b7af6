"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# slow: every test runs manage.py in a subprocess
pytestmark = pytest.mark.slow


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = manage("check", DJANGO_DEBUG="0", ARCHIVE_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        ARCHIVE_DATA_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="x" * 20 + "-production-secret-" + "y" * 30,
        ALLOWED_HOSTS="archive.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_search_url_selects_the_backend():
    from archive.settings import haystack_connections

    whoosh = haystack_connections("whoosh:///var/archive/index")["default"]
    assert whoosh["ENGINE"].endswith("WhooshEngine") and whoosh["PATH"] == "/var/archive/index"
    elastic = haystack_connections("elasticsearch://search.internal:9200/statements")["default"]
    assert "elasticsearch" in elastic["ENGINE"] and elastic["INDEX_NAME"] == "statements"
    assert elastic["URL"] == "http://search.internal:9200/"


def _production_setting(name, **env):
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        f"from django.conf import settings; print(repr(getattr(settings, {name!r}, None)))",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="archive.example.org",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_hsts_preload_is_opt_in(tmp_path):
    assert _production_setting("SECURE_HSTS_PRELOAD", ARCHIVE_DATA_DIR=str(tmp_path)) == "False"
    assert _production_setting("SECURE_HSTS_PRELOAD", ARCHIVE_DATA_DIR=str(tmp_path), DJANGO_HSTS_PRELOAD="1") == "True"


def test_trusted_proxies_and_the_session_idle_timeout_come_from_the_environment(tmp_path):
    assert _production_setting("TRUSTED_PROXIES", ARCHIVE_DATA_DIR=str(tmp_path)) == "[]"
    proxies = _production_setting("TRUSTED_PROXIES", ARCHIVE_DATA_DIR=str(tmp_path), TRUSTED_PROXIES="10.0.0.2, ::1")
    assert proxies == "['10.0.0.2', '::1']"
    assert _production_setting("SESSION_COOKIE_AGE", ARCHIVE_DATA_DIR=str(tmp_path), SESSION_IDLE_HOURS="2") == "7200"


def test_every_cache_is_what_the_readme_says(tmp_path):
    """Counters never live in a file cache (they would be evicted): the default cache is local memory,
    Redis with REDIS_URL; search answers (a cache whose eviction only costs a search) use files."""
    default = _production_setting("CACHES", ARCHIVE_DATA_DIR=str(tmp_path))
    assert "'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}" in default
    assert "'search': {'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache'" in default
    redis = _production_setting("CACHES", ARCHIVE_DATA_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/15")
    assert "RedisCache" in redis
