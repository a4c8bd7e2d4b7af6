"""Never out of sync: every change path records index work, the worker applies it, nothing is lost."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from haystack import connections

from archive import services
from archive.models import IndexTask, Speech
from archive.search import run_search, worker
from archive.search.engine import IndexLocked
from tests.factories import QuotationFactory, SpeakerFactory, SpeechFactory

ROOT = Path(__file__).resolve().parents[2]


def found(word, **params):
    return run_search({"q": [word], **{k: [v] for k, v in params.items()}}).total


def indexed_speeches():
    return {int(pk) for pk in connections["default"].get_backend().indexed_ids().get("archive.speech", set())}


def published_speeches():
    return set(Speech.objects.published().values_list("pk", flat=True))


@pytest.mark.django_db
def test_publish_unpublish_delete_reach_the_index_through_the_outbox(reference_data, reindex):
    reindex()
    speech = SpeechFactory(draft=True, text="The aardwolf statement.")
    QuotationFactory(speech=speech, text="The aardwolf statement.")
    services.speech_publish(speech=speech)
    assert IndexTask.objects.count() == 2  # the speech and its quotation, in the publishing transaction
    assert found("aardwolf") == 0  # nothing is written until the worker runs
    assert worker.drain() == 2 and not IndexTask.objects.exists()
    assert found("aardwolf") == 1 and found("aardwolf", type="quotations") == 1

    services.speech_unpublish(speech=speech)
    worker.drain()
    assert found("aardwolf") == 0 and found("aardwolf", type="quotations") == 0

    services.speech_publish(speech=speech)
    worker.drain()
    services.speech_delete(speech=speech)
    worker.drain()
    assert found("aardwolf") == 0 and found("aardwolf", type="quotations") == 0
    assert indexed_speeches() == published_speeches()


@pytest.mark.django_db
def test_editing_a_quotation_in_the_admin_reindexes_it(reference_data, reindex, editor_client):
    quotation = QuotationFactory()
    reindex()
    new_text = "Second paragraph about terrorism financing."
    start = quotation.speech.text.index(new_text)
    response = editor_client.post(
        f"/admin/archive/quotation/{quotation.pk}/change/",
        {
            "speech": quotation.speech_id,
            "speaker": quotation.speaker_id,
            "text": new_text,
            "kind": "direct",
            "start": start,
            "end": start + len(new_text),
            "cue": "said",
            "confidence": "1",
            "status": "accepted",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert IndexTask.objects.filter(model="archive.quotation", object_id=str(quotation.pk)).exists()
    worker.drain()
    assert found('"terrorism financing"', type="quotations") == 1


@pytest.mark.django_db
def test_renaming_a_speaker_reindexes_their_statements(reference_data, reindex, admin_client):
    speech = SpeechFactory(speaker=SpeakerFactory(name="Old Name", slug="old-name"))
    reindex()
    speaker = speech.speaker
    response = admin_client.post(
        f"/admin/archive/speaker/{speaker.pk}/change/",
        {"name": "Quetzalcoatl Newname", "sort_name": "Newname", "slug": "old-name", "aliases": "[]"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    worker.drain()
    assert found("Quetzalcoatl") == 1


@pytest.mark.django_db
def test_index_check_reports_and_repairs_drift(reference_data, reindex):
    kept = SpeechFactory(text="Kept statement.")
    reindex()
    SpeechFactory(text="Published behind the index's back.")  # no outbox row: drift
    Speech.objects.filter(pk=kept.pk).update(status="draft", published_at=None)  # likewise
    with pytest.raises(CommandError, match="2 difference"):
        call_command("index_check")
    call_command("index_check", fix=True)
    call_command("index_check")
    assert indexed_speeches() == published_speeches()


@pytest.mark.slow  # a subprocess
@pytest.mark.django_db
def test_a_locked_index_fails_loudly_and_keeps_the_work(reference_data, reindex):
    reindex()
    speech = SpeechFactory(draft=True, text="The okapi statement.")
    services.speech_publish(speech=speech)
    backend = connections["default"].get_backend()
    backend.lock_timeout = 0.3
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, backend.path], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLocked, match="stayed locked"):
            worker.process_batch()
    finally:
        holder.terminate()
        holder.wait()
    assert IndexTask.objects.filter(object_id=str(speech.pk)).exists()  # nothing dropped
    backend.lock_timeout = 30
    worker.drain()
    assert found("okapi") == 1


HOLD_LOCK = """
import sys, time
from whoosh.filedb.filestore import FileStorage
lock = FileStorage(sys.argv[1]).lock("MAIN_WRITELOCK")
assert lock.acquire(blocking=False)
print("locked", flush=True)
time.sleep(60)
"""


def _subprocess_env(search_path):
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{settings['NAME']}"
    else:
        database_url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return dict(os.environ, DATABASE_URL=database_url, SEARCH_URL=f"whoosh://{search_path}", DJANGO_DEBUG="1")


@pytest.mark.slow  # a subprocess
@pytest.mark.django_db(transaction=True)
def test_two_processes_saving_unpublishing_and_deleting_leave_exactly_the_published_speeches(
    reference_data, search_index, reindex
):
    SpeakerFactory(name="Churn Speaker", slug="churn-speaker")
    for _ in range(10):
        SpeechFactory(text="Starting statement.")
    reindex()
    env = _subprocess_env(search_index)
    for round_number in range(3):
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.search.churn", str(round_number * 10 + n), "40"],
                env=env,
                cwd=ROOT,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(2)
        ]
        for process in processes:
            _, errors = process.communicate(timeout=300)
            assert process.returncode == 0, errors[-3000:]
        assert not IndexTask.objects.exists()
        assert indexed_speeches() == published_speeches(), f"round {round_number}"
        assert Speech.objects.count() > 0


@pytest.mark.slow  # a subprocess
@pytest.mark.django_db(transaction=True)
def test_index_worker_loop_applies_changes_beside_the_site(reference_data, search_index, reindex):
    reindex()
    worker_process = subprocess.Popen(
        [sys.executable, "manage.py", "index_worker", "--interval", "0.1"],
        env=_subprocess_env(search_index),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        speech = SpeechFactory(draft=True, text="The pangolin statement.")
        services.speech_publish(speech=speech)
        assert _eventually(lambda: found("pangolin") == 1), "published statement never became searchable"
        services.speech_unpublish(speech=speech)
        assert _eventually(lambda: found("pangolin") == 0), "withdrawn statement stayed searchable"
    finally:
        worker_process.terminate()
        worker_process.wait(timeout=10)


def _eventually(condition, limit=30.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
