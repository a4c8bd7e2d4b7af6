"""Consistent, portable snapshots of the archive, and their restoration on an empty machine.

A backup is a directory with
- ``data.jsonl.gz``: every archive row (history included) and the users and groups, as Django's
  portable JSON Lines, read inside one transaction so that the snapshot is consistent;
- ``manifest.json``: format version, when and from which database, row counts and a fingerprint
  (SHA-256 over every statement text, source text and quotation span) to verify a restore.
The search index is not copied: it is rebuilt from the restored rows.
"""

import datetime
import gzip
import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import override_settings

from archive.models import Body, Country, Instrument, Quotation, Source, Speaker, Speech, Topic

FORMAT_VERSION = 1
DATA_FILE = "data.jsonl.gz"
MANIFEST_FILE = "manifest.json"
CHUNK = 2000

# Users and groups refer to permissions by natural key: permission ids differ between machines.
NATURAL_KEY_MODELS = ["auth.group", "auth.user"]
# Parents before children, so that foreign keys and the span triggers find their rows.
ARCHIVE_MODELS = [
    "archive.country",
    "archive.body",
    "archive.topic",
    "archive.instrument",
    "archive.speaker",
    "archive.event",
    "archive.source",
    "archive.speech",
    "archive.quotation",
    "archive.topicassignment",
]
# Rows the migrations create; a restore replaces them with the backup's, ids included.
MIGRATION_ROWS = [Instrument, Topic, Body, Country]


class BackupError(Exception):
    pass


def history_models():
    return [m for m in apps.get_app_config("archive").get_models() if m.__name__.startswith("Historical")]


def fingerprint():
    """Row counts and a digest of every text the archive keeps as evidence."""
    digest = hashlib.sha256()
    for model, fields in [
        (Speech, ["text", "status"]),
        (Source, ["original_text"]),
        (Quotation, ["text", "start", "end", "speaker_id"]),
    ]:
        for row in model.objects.order_by("pk").values_list("pk", *fields).iterator(chunk_size=CHUNK):
            digest.update(json.dumps([model.__name__, *row], default=str).encode())
    counts = {label: apps.get_model(label).objects.count() for label in NATURAL_KEY_MODELS + ARCHIVE_MODELS}
    counts.update({m._meta.label_lower: m.objects.count() for m in history_models()})
    return {"counts": counts, "sha256": digest.hexdigest()}


def _models_to_dump():
    for label in NATURAL_KEY_MODELS:
        yield apps.get_model(label), True
    for label in ARCHIVE_MODELS:
        yield apps.get_model(label), False
    for model in history_models():
        yield model, False


def write_backup(path, progress=None):
    """Write a consistent snapshot into the directory ``path`` (created; must not hold a backup)."""
    target = Path(path)
    target.mkdir(parents=True, exist_ok=True)
    if (target / MANIFEST_FILE).exists():
        raise BackupError(f"{target} already holds a backup; choose a new directory.")
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table: later commits by editors do not leak into the backup.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with gzip.open(target / DATA_FILE, "wt", encoding="utf-8") as out:
            for model, natural in _models_to_dump():
                queryset = model._default_manager.order_by("pk")
                chunk = []
                for obj in queryset.iterator(chunk_size=CHUNK):
                    chunk.append(obj)
                    if len(chunk) >= CHUNK:
                        out.write(_serialize(chunk, natural))
                        chunk = []
                    if progress is not None:
                        progress.update(1)
                if chunk:
                    out.write(_serialize(chunk, natural))
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": connection.vendor,
            **fingerprint(),
        }
    (target / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _serialize(objects, natural):
    return serializers.serialize("jsonl", objects, use_natural_foreign_keys=natural)


def read_manifest(path):
    manifest_file = Path(path) / MANIFEST_FILE
    if not manifest_file.exists() or not (Path(path) / DATA_FILE).exists():
        raise BackupError(f"{path} is not a backup: it needs {MANIFEST_FILE} and {DATA_FILE}.")
    manifest = json.loads(manifest_file.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not supported (expected {FORMAT_VERSION}).")
    return manifest


def restore_backup(path, progress=None):
    """Load a backup into an empty, migrated database in one transaction, then verify it."""
    manifest = read_manifest(path)
    if Speech.objects.exists() or Speaker.objects.exists() or Source.objects.exists():
        raise BackupError("The database already holds statements; restore only into an empty archive.")
    try:
        return _restore(path, manifest, progress)
    except (DatabaseError, DeserializationError) as error:
        raise BackupError(f"The backup is damaged and nothing was restored: {error}") from error


def _restore(path, manifest, progress):
    loaded_models = set()
    # The history comes from the backup; loading rows must not write history of its own.
    with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
        for model in MIGRATION_ROWS:
            # Raw deletes: the trees protect their parents, and the backup brings every row back.
            model.objects.all()._raw_delete(connection.alias)
        Group.objects.all().delete()
        with gzip.open(Path(path) / DATA_FILE, "rt", encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                for deserialized in serializers.deserialize("jsonl", line, handle_forward_references=False):
                    deserialized.save()
                    loaded_models.add(type(deserialized.object))
                if progress is not None:
                    progress.update(1)
        _reset_sequences(loaded_models)
        restored = fingerprint()
        if restored != {"counts": manifest["counts"], "sha256": manifest["sha256"]}:
            raise BackupError(
                "The restored data does not match the backup's manifest, so nothing was restored. "
                f"Expected {manifest['counts']}, got {restored['counts']}."
            )
    return restored


def _reset_sequences(models):
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
