"""Faults: the index deleted or corrupted while the site runs, the worker killed in the middle of a batch.

Real Whoosh indexes on disk and real worker processes; nothing queued may be lost, and afterwards
the index holds exactly the published statements and quotations.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from haystack import connections
from whoosh.filedb.filestore import FileStorage

from archive import services
from archive.models import IndexTask, Quotation, Speech
from archive.search import check, outbox, worker
from archive.search.whoosh.state import forget_shared_state
from tests.factories import QuotationFactory, SpeechFactory
from tests.search.test_index_sync import ROOT, _eventually, _subprocess_env, found, indexed_speeches, published_speeches


def indexed_quotations():
    return {int(pk) for pk in connections["default"].get_backend().indexed_ids().get("archive.quotation", set())}


def published_quotations():
    return set(Quotation.objects.filter(speech__in=Speech.objects.published()).values_list("pk", flat=True))


def no_drift():
    return not any(missing or extra or stale for missing, extra, stale in check.find_drift().values())


def corrupt(path, what):
    """Garbage over the table of contents or over every segment file, in place (same inodes)."""
    names = [name for name in os.listdir(path) if name.endswith(".toc" if what == "toc" else ".seg")]
    assert names, os.listdir(path)
    for name in names:
        target = os.path.join(path, name)
        size = os.path.getsize(target)
        with open(target, "r+b") as handle:
            handle.write(os.urandom(max(size, 64)))


def publish_with_quotation(text):
    speech = SpeechFactory(draft=True, text=text)
    QuotationFactory(speech=speech, text=text)
    services.speech_publish(speech=speech)
    return speech


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["deleted", "toc", "segments"])
def test_the_worker_rebuilds_a_deleted_or_corrupted_index_and_keeps_queued_work(reference_data, reindex, fault):
    for n in range(5):
        SpeechFactory(text=f"Standing statement number {n}.")
    SpeechFactory(draft=True, text="A draft that must stay out.")
    reindex()
    queued = publish_with_quotation("The narwhal statement.")  # queued, not yet applied
    backend = connections["default"].get_backend()
    if fault == "deleted":
        shutil.rmtree(backend.path)
    else:
        corrupt(backend.path, fault)
    assert backend.index_problem(thorough=True)
    assert IndexTask.objects.exists()

    call_command("index_worker", once=True, verbosity=0)  # what the loop does at its next iteration

    assert backend.index_problem(thorough=True) is None
    assert not IndexTask.objects.exists()
    assert indexed_speeches() == published_speeches() and queued.pk in indexed_speeches()
    assert indexed_quotations() == published_quotations()
    assert found("narwhal") == 1 and found("standing") == 5
    assert no_drift()
    call_command("index_check")


@pytest.mark.django_db
def test_a_healthy_index_is_not_rebuilt(reference_data, reindex):
    SpeechFactory(text="Healthy statement.")
    reindex()
    backend = connections["default"].get_backend()
    before = os.stat(backend.path).st_ino
    assert worker.ensure_index(thorough=True) is None
    assert os.stat(backend.path).st_ino == before


@pytest.mark.django_db
def test_an_index_created_empty_is_built_from_the_database(reference_data, search_index):
    SpeechFactory(text="Published before any index existed.")
    connections["default"].get_backend().setup()  # what a query does: an empty index, never committed
    assert worker.ensure_index() is not None
    assert indexed_speeches() == published_speeches() != set()


@pytest.mark.slow  # a subprocess
@pytest.mark.django_db(transaction=True)
def test_the_running_worker_repairs_the_index_deleted_then_corrupted_beside_the_site(
    reference_data, search_index, reindex
):
    for n in range(20):
        SpeechFactory(text=f"Standing statement number {n}.")
    reindex()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "index_worker", "--interval", "0.1", "--check-interval", "0.2"],
        env=_subprocess_env(search_index),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    backend = connections["default"].get_backend()
    try:
        for round_number, fault in enumerate(["deleted", "segments", "toc"]):
            inode = os.stat(search_index).st_ino
            if fault == "deleted":
                shutil.rmtree(search_index)
            else:
                corrupt(search_index, fault)
            publish_with_quotation(f"The okapi{round_number} statement.")
            assert _eventually(lambda inode=inode: _repaired(backend, search_index, inode), limit=60), (
                f"{fault}: never rebuilt"
            )
            assert _eventually(lambda: not IndexTask.objects.exists(), limit=30), f"{fault}: outbox not drained"
            assert found(f"okapi{round_number}") == 1
            assert indexed_speeches() == published_speeches()
            assert indexed_quotations() == published_quotations()
            assert no_drift()
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    assert errors.count("SEARCH INDEX REBUILT") == 3, errors[-3000:]


def _repaired(backend, path, old_inode):
    try:
        replaced = os.stat(path).st_ino != old_inode
    except FileNotFoundError:
        return False
    return replaced and backend.index_problem(thorough=True) is None


@pytest.mark.slow  # a subprocess
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_batch_loses_nothing(reference_data, search_index, reindex):
    reindex()
    speeches = [SpeechFactory(text=f"Batch statement {n} about the ocean and peace. " * 20) for n in range(300)]
    outbox.enqueue(outbox.SPEECH, [speech.pk for speech in speeches])
    assert not indexed_speeches()
    env = _subprocess_env(search_index)
    command = [sys.executable, "manage.py", "index_worker", "--once", "--batch-size", "1000"]
    victim = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lock = FileStorage(str(search_index)).lock("MAIN_WRITELOCK")
    # The worker holds the writer lock while it applies a batch: kill it once it has taken it.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and victim.poll() is None:
        if not lock.acquire(blocking=False):
            break
        lock.release()
        time.sleep(0.01)
    else:
        pytest.fail("the worker never started its batch")
    time.sleep(0.3)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    assert victim.returncode == -signal.SIGKILL
    assert IndexTask.objects.count() == 300, "outbox rows went before the index commit"
    assert os.path.exists(search_index / "MAIN_WRITELOCK")  # the lock file stays; its flock died with the process

    started = time.monotonic()
    restarted = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert restarted.returncode == 0, restarted.stderr[-3000:]
    assert time.monotonic() - started < 60
    assert not IndexTask.objects.exists()
    assert indexed_speeches() == published_speeches() == {speech.pk for speech in speeches}
    assert no_drift()


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["deleted", "toc", "segments"])
def test_searching_a_broken_index_answers_503_never_500(reference_data, reindex, client, fault):
    for n in range(3):
        SpeechFactory(text=f"Standing statement number {n}.")
    reindex()
    assert client.get("/search/?q=standing").status_code == 200  # the process now holds a searcher
    backend = connections["default"].get_backend()
    if fault == "deleted":
        shutil.rmtree(backend.path)
    else:
        corrupt(backend.path, fault)
    cached = client.get("/search/?q=standing")
    assert cached.status_code in (200, 503), cached.content.decode()[:2000]  # a stale searcher may still answer
    # A process that opens the index now, as a gunicorn worker started meanwhile does.
    forget_shared_state(backend.path)
    connections.reload("default")
    # Another query: answers already given may be served from the shared result cache, whose key is
    # the index's file stamp, and garbage written over a file in place can keep its size and time.
    response = client.get("/search/?q=number")
    if fault == "deleted":
        # Setting the backend up creates an empty index in the missing directory (no hits, no error);
        # it was never committed, so the worker sees it as never built and rebuilds it.
        assert response.status_code in (200, 503)
        assert connections["default"].get_backend().index_problem() is not None
    else:
        assert response.status_code == 503, response.content.decode()[:2000]
        assert "search index" in response.content.decode() and response["Retry-After"]
    call_command("index_worker", once=True, verbosity=0)
    assert client.get("/search/?q=standing").status_code == 200 and found("standing") == 3
    assert connections["default"].get_backend().index_problem(thorough=True) is None


def test_only_errors_from_inside_the_search_engine_count_as_the_index_being_down():
    from whoosh.filedb.structfile import StructFile

    from archive.middleware import unavailable_part

    def whoosh_error():
        try:
            StructFile(__import__("io").BytesIO(b"")).read_int()  # struct.error inside Whoosh
        except Exception as error:  # noqa: BLE001
            return error

    def page_bug():
        try:
            {}["missing"]
        except KeyError as error:
            return error

    assert unavailable_part(whoosh_error()) == "The search index"
    assert unavailable_part(page_bug()) is None


@pytest.mark.django_db
def test_an_index_built_by_an_earlier_release_is_rebuilt_by_the_worker(reference_data, search_index):
    """An index built with stopwords dropped (no exact-words field) would answer "we the peoples"
    wrongly: the worker rebuilds it from the database instead of writing to it."""
    from archive.search.engine import HASH_FIELD
    from archive.search.whoosh.schema import EXACT_FIELD

    backend = connections["default"].get_backend()
    backend.setup()
    old_schema = backend.schema.copy()
    old_schema.remove(EXACT_FIELD)
    old_schema.remove(HASH_FIELD)
    shutil.rmtree(search_index)
    search_index.mkdir()
    old_index = FileStorage(str(search_index)).create_index(old_schema)
    earlier = SpeechFactory(text="We the peoples of the United Nations.")
    unified = connections["default"].get_unified_index()
    document = backend.prepare_document(unified.get_index(Speech), earlier)
    writer = old_index.writer()
    writer.add_document(**{key: value for key, value in document.items() if key not in (EXACT_FIELD, HASH_FIELD)})
    writer.commit()
    forget_shared_state(str(search_index))
    connections.reload("default")

    problem = connections["default"].get_backend().index_problem()
    assert problem and "earlier release" in problem
    speech = SpeechFactory(text="The okapi statement.")
    outbox.enqueue_speech(speech)
    assert worker.ensure_index() == problem  # rebuilt from the database
    worker.drain()
    backend = connections["default"].get_backend()
    assert backend.exact_ready() and backend.index_problem() is None
    assert {str(earlier.pk), str(speech.pk)} <= backend.indexed_ids().get("archive.speech", set())


@pytest.mark.django_db
def test_a_rebuild_absorbs_the_outbox_it_covers(reference_data, search_index):
    """After a bulk import and a rebuild, the worker must not redo every imported statement."""
    speeches = [SpeechFactory(text=f"Imported statement {n}.") for n in range(5)]
    outbox.enqueue(outbox.SPEECH, [s.pk for s in speeches])
    call_command("rebuild_index", "--noinput", verbosity=0)
    assert not IndexTask.objects.exists()
    assert indexed_speeches() == published_speeches() == {s.pk for s in speeches}
