"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
