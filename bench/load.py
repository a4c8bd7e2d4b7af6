"""Load and soak test: public traffic and editors at once, against gunicorn on PostgreSQL.

    python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/archive_load \
        --corpus ../shared/data/ungdc [--duration 60 --clients 50 --editors 4]

Loopback only, bounded in time. It sets up the database once (migrate, import the UN General Debate
Corpus and the seed, build the index), starts gunicorn and the index worker, runs the traffic, then
checks that every editor change is in the database and in the index (index_check finds no drift).
Writes bench/results/load.json and load.md (``--results-name``). Issue 10's variant, on the search
bench's SQLite data directory, 2 workers, 75% searches, private memory per worker after the load:

    python bench/load.py --skip-setup --database-url sqlite:////path/archive.sqlite3 --data-dir /path \
        --workers 2 --editors 0 --search-share 0.75 --results-name load_search_issue10
"""

import argparse
import http.client
import http.cookiejar
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loopback import PROXY_BIND, manage, production_env, start_nginx  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
EDITOR_PASSWORD = "load-test-editor-password-1"  # noqa: S105 - a throwaway account in a throwaway database

WORDS = [
    "peace",
    "terrorism",
    "climate",
    "development",
    "security",
    "nuclear",
    "refugees",
    "human rights",
    "sovereignty",
    "cooperation",
    "poverty",
    "disarmament",
    "pandemic",
    "trade",
    "children",
]
COUNTRIES = ["CHN", "USA", "FRA", "BRA", "IND", "NGA", "RUS", "GBR", "ZAF", "JPN"]


SEARCHES = ("search", "search+facets", "search quotations")


def public_requests(speech_ids, country_slugs, search_share=None):
    """One request of the public mix: (endpoint name, path). With ``search_share`` (0.75: issue 10's
    mix) that fraction of requests are searches and the rest browsing, each in the mix's proportions."""
    word = random.choice(WORDS)
    country = random.choice(COUNTRIES)
    year = random.randint(1971, 2024)
    choices = [
        (20, "search", f"/search/?q={urllib.parse.quote(word)}"),
        (10, "search+facets", f"/search/?q={urllib.parse.quote(word)}&country={country}&year={year}"),
        (5, "search quotations", f"/search/?q={urllib.parse.quote(word)}&type=quotations"),
        (15, "statement", f"/statements/{random.choice(speech_ids)}/"),
        (8, "country page", f"/countries/{random.choice(country_slugs)}/"),
        (5, "countries", "/countries/"),
        (5, "speakers", f"/speakers/?page={random.randint(1, 20)}"),
        (4, "topics", "/topics/"),
        (4, "body page", "/bodies/general-assembly/"),
        (4, "date archive", f"/dates/{year}/"),
        (4, "home", "/"),
        (3, "export csv", f"/countries/{random.choice(country_slugs)}/?format=csv"),
        (2, "export jsonl", f"/dates/{year}/?format=jsonl"),
        (6, "api speeches", f"/api/speeches/?country={country}"),
        (3, "api speakers", "/api/speakers/"),
        (2, "feed", "/feeds/statements/"),
    ]
    if search_share is not None:
        searching = random.random() < search_share
        choices = [choice for choice in choices if (choice[1] in SEARCHES) == searching]
    weights = [w for w, _, _ in choices]
    _, name, path = random.choices(choices, weights=weights)[0]
    return name, path


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)  # endpoint -> [(status, seconds)]

    def add(self, endpoint, status, seconds):
        with self.lock:
            self.samples[endpoint].append((status, seconds))


def public_client(port, deadline, recorder, speech_ids, country_slugs, seed, source=None, search_share=None):
    """One public reader; with ``source`` (a loopback address) it connects from an address of its own."""
    random.seed(seed)
    source_address = (source, 0) if source else None
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=source_address)
    while time.monotonic() < deadline:
        name, path = public_requests(speech_ids, country_slugs, search_share)
        started = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0  # connection error
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=source_address)
        recorder.add(name, status, time.perf_counter() - started)
    connection.close()


class Editor:
    """An editor working through the admin with a real session, CSRF tokens and forms."""

    CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, port, username, recorder):
        self.base = f"http://127.0.0.1:{port}"
        self.username = username
        self.recorder = recorder
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, endpoint, path, data=None):
        started = time.perf_counter()
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text, url = response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:
            status, text, url = error.code, error.read().decode(errors="replace"), path
        except OSError:
            status, text, url = 0, "", path
        self.recorder.add(endpoint, status, time.perf_counter() - started)
        return status, text, url

    def token(self, text):
        match = self.CSRF.search(text)
        return match.group(1) if match else ""

    def login(self):
        _, page, _ = self.request("editor login", "/admin/login/")
        status, _, _ = self.request(
            "editor login",
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": self.token(page), "username": self.username, "password": EDITOR_PASSWORD},
        )
        return status == 200

    def create_edit_publish(self, serial, speaker_id, event_id, country_id):
        title = f"Load test statement {self.username} #{serial}"
        text = f"Opening words {serial} on cooperation.\n\nWe call for peace number {serial}."
        _, page, _ = self.request("editor add form", "/admin/archive/speech/add/")
        form = {
            "csrfmiddlewaretoken": self.token(page),
            "speaker": speaker_id,
            "country": country_id,
            "event": event_id,
            "role": "Delegate",
            "title": title,
            "date": "2024-09-24",
            "date_precision": "day",
            "language": "en",
            "text": text,
            "quotations-TOTAL_FORMS": "1",
            "quotations-INITIAL_FORMS": "0",
            "quotations-MIN_NUM_FORMS": "0",
            "quotations-MAX_NUM_FORMS": "1000",
            "quotations-0-text": f"We call for peace number {serial}.",
            "quotations-0-kind": "direct",
            "quotations-0-confidence": "1",
        }
        status, _, url = self.request("editor create", "/admin/archive/speech/add/", form)
        match = re.search(r"/admin/archive/speech/(\d+)/change/", url)
        if status != 200 or not match:
            _, listing, _ = self.request("editor find", "/admin/archive/speech/?q=" + urllib.parse.quote(title))
            found = re.search(r'name="_selected_action" value="(\d+)"', listing)
            if not found:
                return None
            speech_id = found.group(1)
        else:
            speech_id = match.group(1)
        _, page, _ = self.request("editor change form", f"/admin/archive/speech/{speech_id}/change/")
        edited = dict(form, csrfmiddlewaretoken=self.token(page), title=title + " (edited)")
        edited.update({"quotations-TOTAL_FORMS": "0", "quotations-INITIAL_FORMS": "0"})
        # Keep the existing quotation: resend it as the formset's initial form.
        quotation_id = re.search(r'name="quotations-0-id" value="(\d+)"', page)
        if quotation_id:
            edited.update(
                {
                    "quotations-TOTAL_FORMS": "1",
                    "quotations-INITIAL_FORMS": "1",
                    "quotations-0-id": quotation_id.group(1),
                    "quotations-0-speech": speech_id,
                }
            )
        self.request("editor edit", f"/admin/archive/speech/{speech_id}/change/", edited)
        _, listing, _ = self.request("editor changelist", "/admin/archive/speech/")
        self.request(
            "editor publish",
            "/admin/archive/speech/",
            {
                "csrfmiddlewaretoken": self.token(listing),
                "action": "publish",
                "_selected_action": speech_id,
                "index": "0",
            },
        )
        return int(speech_id), title + " (edited)"


def editor_client(port, deadline, recorder, username, fixtures, results):
    editor = Editor(port, username, recorder)
    if not editor.login():
        results.append(("login failed", username))
        return
    serial = 0
    while time.monotonic() < deadline:
        serial += 1
        done = editor.create_edit_publish(serial, *fixtures)
        results.append(done or ("failed", username, serial))


def private_memory_mb(pid):
    """A process's private memory (Private_Clean + Private_Dirty of /proc/PID/smaps_rollup), in MB:
    what it holds that no other process shares (the mapped index files count once, as shared)."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as handle:
        for line in handle:
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                fields[name] = int(rest.split()[0])
    private = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return {"private_mb": round(private / 1024, 1), "rss_mb": round(fields.get("Rss", 0) / 1024, 1)}


def worker_memory(master_pid):
    """{worker pid: private and resident memory} of gunicorn's workers (the master's children)."""
    children = []
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        children += (task / "children").read_text().split()
    return {int(pid): private_memory_mb(pid) for pid in children}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else 0.0


def server_env(args):
    return production_env(args.database_url, args.data_dir, "load-test-" + "k" * 40)


def setup(args, env):
    import psycopg

    base, name = args.database_url.rsplit("/", 1)
    with psycopg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    count = (
        manage(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            "from archive.models import Speech; print(Speech.objects.count())",
            capture=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    if int(count) < 1000:
        corpus = Path(args.corpus)
        speakers = corpus / "Speakers_by_session.xlsx"
        manage(
            env,
            "import_ungdc",
            str(corpus / "UNGDC_1946-2024.tgz"),
            *(["--speakers", str(speakers)] if speakers.exists() else []),
        )
        manage(env, "loaddata", "fixtures/seed.json")
        manage(env, "rebuild_index", "--noinput")
    script = (
        "from django.contrib.auth.models import Group, User\n"
        f"for n in range({args.editors}):\n"
        f"    u, _ = User.objects.get_or_create(username=f'load-editor-{{n}}', defaults={{'is_staff': True}})\n"
        f"    u.set_password({EDITOR_PASSWORD!r}); u.is_staff = True; u.save(); u.groups.add(Group.objects.get(name='Editors'))\n"
    )
    manage(env, "shell", "-v", "0", "-c", script)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/archive_load")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "data" / "ungdc"))
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/archive-load"))
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--editors", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--results-name", default="load", help="bench/results/NAME.json and .md")
    parser.add_argument(
        "--search-share", type=float, default=None, help="fraction of public requests that search (issue 10: 0.75)"
    )
    parser.add_argument("--setup-only", action="store_true", help="prepare the database and index, then stop")
    parser.add_argument(
        "--nginx",
        action="store_true",
        help="put Debian's nginx (deploy/nginx/ parameters) on --port + 1 in front of gunicorn; every public "
        "client connects to it from a loopback address of its own (TRUSTED_PROXIES is nginx's address)",
    )
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(args)
    if args.nginx:
        env["TRUSTED_PROXIES"] = PROXY_BIND
    if not args.skip_setup:
        setup(args, env)
    if args.setup_only:
        return 0

    sys.path.insert(0, str(ROOT))
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from archive.models import Country, Event, IndexTask, Speaker, Speech

    speech_ids = list(Speech.objects.published().values_list("pk", flat=True))
    country_slugs = list(Country.objects.filter(speeches__isnull=False).distinct().values_list("slug", flat=True))
    fixtures = (
        (
            Speaker.objects.get(slug="zhang-jun").pk,
            Event.objects.order_by("-date").first().pk,
            Country.objects.get(code="CHN").pk,
        )
        if args.editors
        else None
    )
    before = Speech.objects.count()

    server = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "archive.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = subprocess.Popen([PYTHON, "manage.py", "index_worker"], cwd=ROOT, env=env)
    processes = [server, worker]
    port = args.port
    if args.nginx:
        port = args.port + 1
        processes.append(start_nginx(args.data_dir / "nginx", port, args.port))
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                probe.request("GET", "/")
                if probe.getresponse().status < 500:
                    break
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        recorder = Recorder()
        edits = []
        deadline = time.monotonic() + args.duration
        threads = [
            threading.Thread(
                target=public_client,
                args=(port, deadline, recorder, speech_ids, country_slugs, n),
                kwargs={"source": f"127.0.1.{n + 1}" if args.nginx else None, "search_share": args.search_share},
            )
            for n in range(args.clients)
        ] + [
            threading.Thread(target=editor_client, args=(port, deadline, recorder, f"load-editor-{n}", fixtures, edits))
            for n in range(args.editors)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        memory = worker_memory(server.pid)  # after the load, before anything stops

        # Every editor change must be in the database, published, and (once the worker drained) in the index.
        done = [e for e in edits if isinstance(e[0], int)]
        failed = [e for e in edits if not isinstance(e[0], int)]
        stored = dict(Speech.objects.filter(pk__in=[pk for pk, _ in done]).values_list("pk", "title"))
        missing = [(pk, title) for pk, title in done if stored.get(pk) != title]
        unpublished = Speech.objects.filter(pk__in=[pk for pk, _ in done]).exclude(status="published").count()
        drain_started = time.monotonic()
        while IndexTask.objects.exists() and time.monotonic() - drain_started < 120:
            time.sleep(0.5)
        drained_in = time.monotonic() - drain_started
        check = (
            manage(env, "index_check", check=False, capture=True)
            if args.editors
            else subprocess.CompletedProcess([], 0, "no editors: nothing changed, no index_check", "")
        )
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    rows = []
    total = 0
    server_errors = 0
    for endpoint, samples in sorted(recorder.samples.items()):
        latencies = [s for _, s in samples]
        errors_5xx = sum(1 for status, _ in samples if status >= 500)
        other = sum(1 for status, _ in samples if status == 0 or 400 <= status < 500)
        total += len(samples)
        server_errors += errors_5xx
        rows.append(
            {
                "endpoint": endpoint,
                "requests": len(samples),
                "per_second": round(len(samples) / elapsed, 1),
                "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
                "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
                "5xx": errors_5xx,
                "other_errors": other,
            }
        )
    everything = [s for v in recorder.samples.values() for _, s in v]
    searches = [s for name, v in recorder.samples.items() if name in SEARCHES for _, s in v]
    report = {
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, gunicorn {args.workers} workers",
        "duration_s": round(elapsed, 1),
        "clients": args.clients,
        "through_nginx": args.nginx,
        "editors": args.editors,
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "server_errors": server_errors,
        "editor_statements_created": len(done),
        "editor_failures": len(failed),
        "statements_before": before,
        "missing_or_stale_in_database": len(missing),
        "not_published": unpublished,
        "index_drained_in_s": round(drained_in, 1),
        "index_check_exit": check.returncode,
        "index_check_output": check.stdout.strip()[-500:],
        "search_share": args.search_share,
        "worker_memory_after_load": memory,
        "search_p50_ms": round(percentile(searches, 0.5) * 1000, 1),
        "search_p95_ms": round(percentile(searches, 0.95) * 1000, 1),
        "p50_ms_overall": round(percentile(everything, 0.5) * 1000, 1),
        "p95_ms_overall": round(percentile(everything, 0.95) * 1000, 1),
        "p99_ms_overall": round(percentile(everything, 0.99) * 1000, 1),
        "median_ms_overall": round(statistics.median([s for v in recorder.samples.values() for _, s in v]) * 1000, 1),
        "endpoints": rows,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.results_name}.json").write_text(json.dumps(report, indent=2))
    lines = [
        f"Load test: {args.clients} public clients + {args.editors} editors for {report['duration_s']} s "
        f"against {'nginx and ' if args.nginx else ''}gunicorn ({args.workers} workers) on "
        f"{'SQLite' if args.database_url.startswith('sqlite') else 'PostgreSQL'}; "
        f"{report['machine']}.",
        "",
        f"{total} requests ({report['requests_per_second']}/s), {server_errors} server errors (5xx); editors created, "
        f"edited and published {len(done)} statements ({len(failed)} failed); database missing/stale: {len(missing)}; "
        f"unpublished: {unpublished}; index drained {report['index_drained_in_s']} s after the load; "
        f"index_check exit {check.returncode}.",
        "",
        f"Overall p50 / p95 / p99: {report['p50_ms_overall']} / {report['p95_ms_overall']} / "
        f"{report['p99_ms_overall']} ms; searches p50 / p95: {report['search_p50_ms']} / {report['search_p95_ms']} ms"
        + (f" ({args.search_share:.0%} of requests search)." if args.search_share is not None else "."),
        "",
        "Private memory per gunicorn worker after the load (smaps_rollup Private_Clean + Private_Dirty; RSS "
        "includes the shared, mapped index): "
        + ", ".join(f"{m['private_mb']} MB (RSS {m['rss_mb']} MB)" for m in memory.values())
        + ".",
        "",
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | 5xx | other errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {r['endpoint']} | {r['requests']} | {r['per_second']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} "
        f"| {r['5xx']} | {r['other_errors']} |"
        for r in rows
    ]
    (RESULTS / f"{args.results_name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    ok = server_errors == 0 and not missing and not unpublished and check.returncode == 0 and not failed
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
