"""Backups round-trip the archive onto an empty machine with nothing lost, on SQLite and PostgreSQL."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from archive.backup import fingerprint
from archive.models import Event, Quotation, Speaker, Speech

ROOT = Path(__file__).resolve().parent.parent
# slow: each test backs up and restores in other processes
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def generate_archive(count):
    """``count`` statements with quotations, drafts and non-ASCII text, the way an archive grows."""
    speakers = Speaker.objects.bulk_create(
        [Speaker(name=f"Délégué Número {i}", slug=f"delegue-{i}", sort_name=f"Número {i}") for i in range(40)]
    )
    event = Event.objects.create(title="General debate", slug="gd", body_id=1, date="2020-09-22")
    now = timezone.now()
    speeches = Speech.objects.bulk_create(
        [
            Speech(
                speaker=speakers[i % 40],
                event=event,
                country_id=(i % 150) + 1,
                date="2020-09-22",
                text=f"Paragraph {i} on peace – «paix» 和平 سلام.\n\nSecond paragraph {i}.",
                status="published" if i % 10 else "draft",
                published_at=now if i % 10 else None,
                external_id=f"GEN:{i}",
            )
            for i in range(count)
        ]
    )
    Quotation.objects.bulk_create(
        [Quotation(speech=s, speaker=s.speaker, text=s.text[:12], start=0, end=12) for s in speeches[::3]]
    )


def restore_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(DJANGO_DEBUG="1", ARCHIVE_DATA_DIR=str(tmp_path / "restored-data"))
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        import psycopg

        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        name = f"restore_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{base}/{name}"
        return env, name
    return env, None


def drop_database(name):
    if name:
        import psycopg

        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.parametrize("size", [0, 1000])
def test_backup_restores_on_an_empty_machine_with_nothing_lost(seed, tmp_path, size):
    generate_archive(size)
    seed.title = "Edited after import"
    seed.save()  # a history row too
    expected = fingerprint()
    call_command("backup", str(tmp_path / "snapshot"), verbosity=0)

    env, database = restore_env(tmp_path)
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(tmp_path / "snapshot"), "--json", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        drop_database(database)
    assert result.returncode == 0, result.stderr[-3000:]
    restored = json.loads(result.stdout.strip().splitlines()[-1])
    assert restored == expected
    assert restored["counts"]["archive.speech"] == size + 1
    assert restored["counts"]["archive.historicalspeech"] >= 2


def test_restore_refuses_a_database_that_already_holds_statements(seed, tmp_path):
    call_command("backup", str(tmp_path / "snapshot"), verbosity=0)
    with pytest.raises(CommandError, match="already holds statements"):
        call_command("restore", str(tmp_path / "snapshot"), "--no-index", verbosity=0)
    assert Speech.objects.count() == 1


def test_a_tampered_backup_is_refused_and_nothing_is_restored(seed, tmp_path):
    import gzip

    call_command("backup", str(tmp_path / "snapshot"), verbosity=0)
    data = tmp_path / "snapshot" / "data.jsonl.gz"
    with gzip.open(data, "rt", encoding="utf-8") as handle:
        content = handle.read()
    with gzip.open(data, "wt", encoding="utf-8") as handle:
        handle.write(content.replace("common enemy", "common friend"))
    env, database = restore_env(tmp_path)
    try:
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(tmp_path / "snapshot"), "--no-index", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode != 0
        assert "nothing was restored" in result.stderr and "Traceback" not in result.stderr
        check = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "from archive.models import Speech; print(Speech.objects.count())",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert check.stdout.strip().splitlines()[-1] == "0"
    finally:
        drop_database(database)


def test_backup_refuses_to_overwrite_an_existing_backup(seed, tmp_path):
    call_command("backup", str(tmp_path / "snapshot"), verbosity=0)
    with pytest.raises(CommandError, match="already holds a backup"):
        call_command("backup", str(tmp_path / "snapshot"), verbosity=0)
