"""Fault drill: break parts of a running archive and measure what users see, recovery and data lost.

    python bench/fault_drill.py [--database-url postgres://postgres@127.0.0.1:5432/archive_drill]
                                [--speeches 400] [--skip-postgres-stop]

Loopback only, bounded in time (every wait has a limit). It creates a scratch PostgreSQL database
(dropped and made again), loads the seed and generated published statements, builds the index, then
starts gunicorn and the index worker with production settings. While a light public load runs (home,
a statement, search, a country page) and an editor-like writer keeps publishing and unpublishing
through the services, it:

  a. kills the index worker with SIGKILL in the middle of a batch and restarts it;
  b. deletes the index directory, then writes garbage over its segment files;
  c. stops PostgreSQL for 10 s (``pg_ctlcluster``; skipped with --skip-postgres-stop, because it
     disturbs everything else using that server).

After each drill the writer pauses, the outbox drains and ``index_check`` must find no drift; every
change the writer saw committed must still be in the database. Writes bench/results/fault_drill.json
and fault_drill.md and prints the Markdown.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loopback import manage, production_env  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
WAIT_LIMIT = 180.0  # no single wait in the drill lasts longer
TOTAL = re.compile(r"of (\d+) statements?")


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def server_env(args):
    return production_env(args.database_url, args.data_dir, "fault-drill-secret-" + "x" * 48)


GENERATE = """
import datetime, random
from django.utils import timezone
from archive.models import Country, Event, Speaker, Speech
random.seed(7)
speaker, country, event = Speaker.objects.get(slug="zhang-jun"), Country.objects.get(code="CHN"), Event.objects.first()
words = "peace security climate development terrorism cooperation sovereignty refugees trade children".split()
now = timezone.now()
Speech.objects.bulk_create([
    Speech(speaker=speaker, country=country, event=event, date=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
           title=f"Drill statement {n}", status="published", published_at=now,
           text="\\n\\n".join(" ".join(random.choices(words, k=60)) + "." for _ in range(12)))
    for n in range(COUNT)
], batch_size=200)
print(Speech.objects.count())
"""


def setup(args, env):
    import psycopg

    base, name = args.database_url.rsplit("/", 1)
    with psycopg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    shutil.rmtree(args.data_dir, ignore_errors=True)
    args.data_dir.mkdir(parents=True)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "loaddata", "fixtures/seed.json", "-v", "0")
    manage(env, "shell", "-v", "0", "-c", GENERATE.replace("COUNT", str(args.speeches)))
    manage(env, "rebuild_index", "--noinput", "-v", "0", "--workers", "1")


class Traffic:
    """Public load (a few threads) plus the drill's own probes; every answer is kept with its time."""

    def __init__(self, port, paths):
        self.port, self.paths = port, paths
        self.samples = []  # (monotonic time, endpoint, status)
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def get(self, endpoint, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read().decode(errors="replace")
            status = response.status
        except (OSError, http.client.HTTPException):
            status, body = 0, ""
        finally:
            connection.close()
        if endpoint == "search" and status == 200 and not TOTAL.search(body):
            status = "200 (no results)"  # an empty index answers, but finds nothing
        with self.lock:
            self.samples.append((time.monotonic(), endpoint, status))
        return status, body

    def client(self, seed):
        rng = random.Random(seed)
        while not self.stop.is_set():
            endpoint, path = rng.choice(self.paths)
            self.get(endpoint, path)
            time.sleep(0.05)

    def codes(self, start, end, endpoint=None):
        with self.lock:
            picked = [s for t, e, s in self.samples if start <= t <= end and (endpoint is None or e == endpoint)]
        return dict(sorted(Counter(picked).items(), key=lambda item: str(item[0])))

    def search_results(self):
        status, body = self.get("search", "/search/?q=peace")
        match = TOTAL.search(body)
        return status, int(match.group(1)) if match else 0


class Writer:
    """An editor-like writer: publish and unpublish generated statements through the services.

    Remembers the last state it saw committed for every statement it touched; at the end each of
    them must be in the database exactly so (a change acknowledged and then lost would show here).
    """

    def __init__(self, speech_ids):
        self.speech_ids = speech_ids
        self.committed = {}  # speech id -> status last committed
        self.changes = self.failures = 0
        self.running = threading.Event()
        self.stop = threading.Event()
        self.idle = threading.Event()

    def run(self):
        from django.db import connection

        from archive import services
        from archive.models import Speech

        rng = random.Random(11)
        while not self.stop.is_set():
            if not self.running.is_set():
                self.idle.set()
                time.sleep(0.05)
                continue
            self.idle.clear()
            pk = rng.choice(self.speech_ids)
            try:
                speech = Speech.objects.get(pk=pk)
                if speech.is_published:
                    services.speech_unpublish(speech=speech)
                    self.committed[pk] = Speech.Status.DRAFT
                else:
                    services.speech_publish(speech=speech)
                    self.committed[pk] = Speech.Status.PUBLISHED
                self.changes += 1
            except Exception:  # noqa: BLE001 - the database is down on purpose; nothing was acknowledged
                self.failures += 1
                connection.close()
                time.sleep(0.2)
            time.sleep(0.05)

    def pause(self):
        self.running.clear()
        self.idle.wait(timeout=30)
        time.sleep(0.1)

    def lost(self):
        from archive.models import Speech

        states = dict(Speech.objects.filter(pk__in=self.committed).values_list("pk", "status"))
        return sorted(pk for pk, status in self.committed.items() if states.get(pk) != status)


class Drill:
    def __init__(self, args, env):
        self.args, self.env = args, env
        self.index_path = args.data_dir / "whoosh_index"
        self.logs = args.data_dir / "logs"
        self.logs.mkdir(exist_ok=True)
        self.worker = None
        self.worker_starts = 0

    # -- processes ------------------------------------------------------------------------------
    def start_server(self):
        self.server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "archive.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.args.port}",
                "--workers",
                str(self.args.workers),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.logs / "gunicorn.out", "w"),  # noqa: SIM115
            stderr=open(self.logs / "gunicorn.err", "w"),  # noqa: SIM115
        )

    def start_worker(self):
        self.worker_starts += 1
        self.worker = subprocess.Popen(
            [PYTHON, "manage.py", "index_worker", "--interval", "0.2", "--check-interval", "1"],
            cwd=ROOT,
            env=self.env,
            stdout=open(self.logs / f"worker-{self.worker_starts}.out", "w"),  # noqa: SIM115
            stderr=open(self.logs / f"worker-{self.worker_starts}.err", "w"),  # noqa: SIM115
        )

    def stop_all(self):
        for process in (self.worker, getattr(self, "server", None)):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()

    # -- checks ---------------------------------------------------------------------------------
    def wait_for(self, condition, limit=WAIT_LIMIT, step=0.1):
        started = time.monotonic()
        while time.monotonic() - started < limit:
            if condition():
                return time.monotonic() - started
            time.sleep(step)
        return None

    def settle_and_check(self, writer):
        """Pause the writer, let the worker drain the outbox, then compare index and database."""
        from django.db import connection

        from archive.models import IndexTask

        writer.pause()
        connection.close()
        drained = self.wait_for(lambda: not IndexTask.objects.exists(), step=0.2)
        check = manage(self.env, "index_check", capture=True, check=False)
        lost = writer.lost()
        writer.running.set()
        return {
            "outbox_drained": drained is not None,
            "index_check_clean": check.returncode == 0,
            "index_check": check.stdout.strip().splitlines()[-1:] + check.stderr.strip().splitlines()[-1:],
            "lost_changes": lost,
        }

    def search_ok(self, traffic, expected_min=1):
        status, total = traffic.search_results()
        return status == 200 and total >= expected_min

    # -- drills ---------------------------------------------------------------------------------
    def kill_worker_mid_batch(self, traffic, writer):
        from whoosh.filedb.filestore import FileStorage

        from archive.models import IndexTask, Speech
        from archive.search import outbox

        ids = list(Speech.objects.published().values_list("pk", flat=True))
        outbox.enqueue(outbox.SPEECH, ids)  # a large batch: every published statement re-indexed
        last_task = IndexTask.objects.latest("id").id
        lock = FileStorage(str(self.index_path)).lock("MAIN_WRITELOCK")
        started = time.monotonic()
        in_batch = False
        while time.monotonic() - started < 60:
            if not lock.acquire(blocking=False):
                in_batch = True
                break
            lock.release()
            time.sleep(0.01)
        time.sleep(0.3)
        queued_at_kill = IndexTask.objects.filter(id__lte=last_task).count()
        os.kill(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=10)
        killed = time.monotonic()
        self.start_worker()
        drain = self.wait_for(lambda: not IndexTask.objects.filter(id__lte=last_task).exists(), step=0.1)
        end = time.monotonic()
        result = {
            "drill": "a. index worker killed (SIGKILL) mid-batch, restarted",
            "what_broke": f"worker killed while holding the index writer lock ({len(ids)} statements queued); "
            f"{queued_at_kill} outbox rows still queued at the kill",
            "killed_in_batch": in_batch,
            "recovery_seconds": round(drain, 1) if drain is not None else None,
            "recovery_what": "restart until the batch's outbox rows were applied",
            "codes_all": traffic.codes(killed, end),
            "codes_search": traffic.codes(killed, end, "search"),
        }
        result.update(self.settle_and_check(writer))
        return result

    def break_index(self, traffic, writer, how):
        from archive.models import Speech

        expected = Speech.objects.published().filter(text__icontains="peace").count()
        before = time.monotonic()
        if how == "deleted":
            shutil.rmtree(self.index_path)
            what = "index directory deleted while the site runs"
        else:
            for name in os.listdir(self.index_path):
                if name.endswith(".seg"):
                    target = self.index_path / name
                    with open(target, "r+b") as handle:
                        handle.write(os.urandom(target.stat().st_size))
            what = "garbage written over every segment file of the live index"
        # Probe search until it answers 200 with results again (the worker rebuilds the index).
        recovered = self.wait_for(lambda: self.search_ok(traffic, max(1, expected // 2)), step=0.2)
        end = time.monotonic()
        result = {
            "drill": f"b. index {how}",
            "what_broke": what,
            "recovery_seconds": round(recovered, 1) if recovered is not None else None,
            "recovery_what": "until /search/?q=peace answered 200 with results",
            "codes_all": traffic.codes(before, end),
            "codes_search": traffic.codes(before, end, "search"),
        }
        worker_log = (self.logs / f"worker-{self.worker_starts}.err").read_text()
        result["worker_said"] = [line for line in worker_log.splitlines() if "SEARCH INDEX" in line][-2:]
        result.update(self.settle_and_check(writer))
        return result

    def stop_postgres(self, traffic, writer, seconds):
        import psycopg

        def counts():
            dsn = self.args.database_url.replace("postgres://", "postgresql://", 1)
            with psycopg.connect(dsn) as conn:
                return {
                    table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                    for table in ("archive_speech", "archive_quotation", "archive_speaker", "auth_user")
                } | {
                    "published": conn.execute(
                        "SELECT count(*) FROM archive_speech WHERE status = 'published'"
                    ).fetchone()[0]
                }

        version = sorted(os.listdir("/etc/postgresql"))[-1]
        writer.pause()
        before_counts = counts()
        committed_before = dict(writer.committed)
        writer.running.set()
        started = time.monotonic()
        control = ["echo", "rehearsal:"] if self.args.rehearse_postgres_stop else []
        subprocess.run([*control, "pg_ctlcluster", version, "main", "stop", "-m", "fast"], check=True, timeout=60)
        stopped = time.monotonic()
        time.sleep(seconds)
        subprocess.run([*control, "pg_ctlcluster", version, "main", "start"], check=True, timeout=60)
        restarted = time.monotonic()
        home = self.wait_for(lambda: traffic.get("probe home", "/")[0] == 200, step=0.1)
        search = self.wait_for(lambda: self.search_ok(traffic), step=0.1)
        end = time.monotonic()
        writer.pause()
        after_counts = counts()
        from archive.models import Speech

        # Every published/unpublished change the writer saw committed during the outage window.
        published = Speech.Status.PUBLISHED
        published_delta = 0
        for pk, status in writer.committed.items():
            before = committed_before.get(pk, self.initial_status.get(pk))
            published_delta += (status == published) - (before == published)
        writer.running.set()
        result = {
            "drill": f"c. PostgreSQL stopped for {seconds} s",
            "what_broke": ("REHEARSAL, nothing stopped: " if control else "")
            + f"pg_ctlcluster {version} main stop -m fast; {seconds} s; start",
            "recovery_seconds": round(home, 1) if home is not None else None,
            "recovery_search_seconds": round(search, 1) if search is not None else None,
            "recovery_what": "from the restart until / (and /search/) answered 200",
            "outage_seconds": round(restarted - stopped, 1),
            "codes_all": traffic.codes(started, end),
            "codes_during_outage": traffic.codes(stopped, restarted),
            "codes_search": traffic.codes(started, end, "search"),
            "counts_before": before_counts,
            "counts_after": after_counts,
            "published_change_by_writer": published_delta,
            "rows_before_kept": all(after_counts[t] >= before_counts[t] for t in before_counts if t != "published")
            and after_counts["published"] == before_counts["published"] + published_delta,
        }
        result.update(self.settle_and_check(writer))
        return result


def markdown(results, meta):
    lines = [
        f"Fault drill, {meta['date']} - {meta['machine']}; gunicorn ({meta['workers']} workers) + index_worker on "
        f"PostgreSQL, {meta['speeches']} statements; light public load ({meta['clients']} threads) and a writer "
        f"publishing/unpublishing throughout ({meta['writer_changes']} changes committed, "
        f"{meta['writer_failures']} attempts refused while the database was down).",
        "",
        "| Drill | What broke | Status codes while broken (all requests) | /search/ codes | Recovery | "
        "Outbox drained, index_check | Changes lost |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        codes = r.get("codes_during_outage") or r["codes_all"]
        codes_text = ", ".join(f"{code}: {count}" for code, count in codes.items()) or "-"
        search_text = ", ".join(f"{code}: {count}" for code, count in r["codes_search"].items()) or "-"
        recovery = f"{r['recovery_seconds']} s" if r["recovery_seconds"] is not None else "NOT RECOVERED"
        if r.get("recovery_search_seconds") is not None:
            recovery += f" (search {r['recovery_search_seconds']} s)"
        check = ("yes" if r["outbox_drained"] else "NO") + ", " + ("clean" if r["index_check_clean"] else "DRIFT")
        lost = "none" if not r["lost_changes"] and r.get("rows_before_kept", True) else f"LOST: {r['lost_changes']}"
        lines.append(
            f"| {r['drill']} | {r['what_broke']} | {codes_text} | {search_text} | {recovery} "
            f"({r['recovery_what']}) | {check} | {lost} |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/archive_drill")
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/archive-drill"))
    parser.add_argument("--speeches", type=int, default=400)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--outage", type=int, default=10, help="Seconds PostgreSQL stays down in drill c.")
    parser.add_argument("--skip-postgres-stop", action="store_true", help="Run drills a and b only.")
    parser.add_argument(
        "--rehearse-postgres-stop",
        action="store_true",
        help="Run drill c without stopping PostgreSQL (checks the drill itself, not the site).",
    )
    parser.add_argument("--output", default="fault_drill")
    args = parser.parse_args()
    env = server_env(args)
    log("setting up the scratch database and index")
    setup(args, env)

    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from archive.models import Speech

    generated = list(Speech.objects.filter(title__startswith="Drill statement").values_list("pk", flat=True))
    seed_speech = Speech.objects.published().exclude(pk__in=generated).first()
    paths = [
        ("home", "/"),
        ("statement", f"/statements/{seed_speech.pk}/"),
        ("statement", f"/statements/{generated[0]}/"),
        ("search", "/search/?q=peace"),
        ("country page", "/countries/china/"),
    ]
    drill = Drill(args, env)
    drill.initial_status = dict(Speech.objects.filter(pk__in=generated).values_list("pk", "status"))
    traffic = Traffic(args.port, paths)
    writer = Writer(generated[1:])
    drill.start_server()
    drill.start_worker()
    threads = []
    results = []
    started = time.monotonic()
    try:
        if drill.wait_for(lambda: traffic.get("probe home", "/")[0] == 200, limit=60) is None:
            raise SystemExit("gunicorn did not answer within 60 s; see " + str(drill.logs))
        threads = [threading.Thread(target=traffic.client, args=(n,), daemon=True) for n in range(args.clients)]
        threads.append(threading.Thread(target=writer.run, daemon=True))
        for thread in threads:
            thread.start()
        writer.running.set()
        time.sleep(3)
        log("drill a: kill -9 the index worker mid-batch")
        results.append(drill.kill_worker_mid_batch(traffic, writer))
        log("drill b: delete the index directory")
        results.append(drill.break_index(traffic, writer, "deleted"))
        log("drill b: corrupt the segment files")
        results.append(drill.break_index(traffic, writer, "corrupted"))
        if not args.skip_postgres_stop:
            log(f"drill c: stop PostgreSQL for {args.outage} s")
            results.append(drill.stop_postgres(traffic, writer, args.outage))
    finally:
        writer.stop.set()
        traffic.stop.set()
        for thread in threads:
            thread.join(timeout=40)
        drill.stop_all()
    server_errors = (drill.logs / "gunicorn.err").read_text()
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, Python {sys.version.split()[0]}",
        "workers": args.workers,
        "clients": args.clients,
        "speeches": Speech.objects.count(),
        "writer_changes": writer.changes,
        "writer_failures": writer.failures,
        "seconds": round(time.monotonic() - started, 1),
        "requests": len(traffic.samples),
        "codes_total": traffic.codes(0, float("inf")),
        "tracebacks_in_gunicorn_log": server_errors.count("Traceback"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.output}.json").write_text(json.dumps({"meta": meta, "drills": results}, indent=2) + "\n")
    text = markdown(results, meta)
    (RESULTS / f"{args.output}.md").write_text(text)
    print(text)
    failed = [
        r["drill"]
        for r in results
        if r["recovery_seconds"] is None
        or not r["index_check_clean"]
        or r["lost_changes"]
        or not r.get("rows_before_kept", True)
        or 500 in r["codes_all"]
    ]
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
