"""`send_alerts` at scale: N confirmed alerts over an imported corpus, a batch of newly published
statements, one digest run into a real SMTP server (aiosmtpd, in this process), then a re-run.

Needs a database with the corpus imported and indexed (import_ungdc, rebuild_index) under the
environment's DATABASE_URL / ARCHIVE_DATA_DIR:

    ARCHIVE_DATA_DIR=/tmp/alerts-bench .venv/bin/python bench/alerts_bench.py --alerts 10000 --publish 50

Measures wall time, addresses per second, searches run, emails received and the process's resident
memory sampled every 250 addresses (flat = no growth with the number of addresses). Writes
bench/results/alerts.json and bench/results/alerts.md. Bench alerts use @bench.invalid addresses
and are removed first, so the script can be run again on the same database.
"""

import argparse
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from archive import services  # noqa: E402
from archive.alerts import digests  # noqa: E402
from archive.models import Alert, AlertSubscriber, Body, Country, Speaker, Speech, Topic  # noqa: E402
from archive.search import worker  # noqa: E402
from tests.mailserver import _free_port  # noqa: E402

# The SMTP server runs in its own process (aiosmtpd), as a real relay would: in this process it would
# compete with the run for the interpreter lock. It appends each recipient to a file.
SMTP_SINK = r"""
import sys
from aiosmtpd.controller import Controller

class Sink:
    async def handle_DATA(self, server, session, envelope):
        with open(sys.argv[2], "a") as received:
            received.write(envelope.rcpt_tos[0] + "\n")
        return "250 OK"

controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
"""


def received_count(path):
    return len(Path(path).read_text().splitlines()) if Path(path).exists() else 0


WORDS = ["peace", "climate", "terrorism", "nuclear", "development", "refugees", "sanctions", "women", "ocean", "debt"]


def rss_mib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Progress:
    """tqdm's reset/update, sampling memory as it goes."""

    def __init__(self, every=250):
        self.every, self.done, self.total, self.samples = every, 0, 0, []
        self.started = time.monotonic()

    def reset(self, total):
        self.total = total
        self.samples.append((0, round(rss_mib(), 1)))

    def update(self, n):
        self.done += n
        if self.done % self.every == 0 or self.done == self.total:
            self.samples.append((self.done, round(rss_mib(), 1)))
            rate = self.done / max(time.monotonic() - self.started, 1e-9)
            print(f"\r  {self.done}/{self.total} addresses, {rate:.0f}/s, RSS {rss_mib():.0f} MiB", end="", flush=True)


def make_alerts(count, per_address, seed):
    rng = random.Random(seed)
    AlertSubscriber.objects.filter(email__endswith="@bench.invalid").delete()
    speakers = list(Speaker.objects.annotate(n=Count("speeches")).filter(n__gt=0).values_list("slug", flat=True))
    countries = list(Country.objects.annotate(n=Count("speeches")).filter(n__gt=0).values_list("code", flat=True))
    bodies = list(Body.objects.values_list("slug", flat=True))
    topics = list(Topic.objects.values_list("slug", flat=True))
    kinds = ["speaker"] * 40 + ["country"] * 25 + ["body"] * 5 + ["topic"] * 10 + ["search"] * 20
    start = timezone.now() - datetime.timedelta(minutes=1)
    addresses = max(1, count // per_address)
    with transaction.atomic():
        subscribers = AlertSubscriber.objects.bulk_create(
            [AlertSubscriber(email=f"reader{n}@bench.invalid") for n in range(addresses)], batch_size=1000
        )
        rows, seen = [], set()
        while len(rows) < count:
            kind = rng.choice(kinds)
            if kind == "speaker":
                params = [("speaker", rng.choice(speakers))]
            elif kind == "country":
                params = [("country", rng.choice(countries))]
            elif kind == "body":
                params = [("body", rng.choice(bodies))]
            elif kind == "topic":
                params = [("topic", rng.choice(topics))]
            else:
                params = [("q", rng.choice(WORDS))] + (
                    [("country", rng.choice(countries))] if rng.random() < 0.5 else []
                )
            subscriber = subscribers[len(rows) % addresses]
            query = urlencode(params)
            if (subscriber.pk, query) in seen:
                continue
            seen.add((subscriber.pk, query))
            rows.append(
                Alert(
                    subscriber=subscriber,
                    query=query,
                    label=query,
                    frequency=Alert.Frequency.DAILY,
                    confirmed_at=start,
                    covered_until=start,
                )
            )
        Alert.objects.bulk_create(rows, batch_size=1000)
    return addresses, len({row.query for row in rows})


def publish_batch(count, seed):
    """``count`` statements published now: existing ones withdrawn and published again by the
    services (new publication time, index work through the outbox), then the worker applies it."""
    rng = random.Random(seed)
    ids = list(Speech.objects.published().values_list("pk", flat=True))
    chosen = rng.sample(ids, count)
    for speech in Speech.objects.filter(pk__in=chosen):
        services.speech_unpublish(speech=speech)
        services.speech_publish(speech=speech)
    worker.drain()
    return chosen


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10000)
    parser.add_argument("--per-address", type=int, default=2, help="alerts per address on average")
    parser.add_argument("--publish", type=int, default=50, help="statements published before the run")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "alerts"))
    args = parser.parse_args(argv)

    statements = Speech.objects.published().count()
    print(f"{statements} published statements in {connection.vendor}")
    started = time.monotonic()
    addresses, distinct = make_alerts(args.alerts, args.per_address, args.seed)
    setup_s = time.monotonic() - started
    print(f"{args.alerts} alerts ({distinct} distinct searches) for {addresses} addresses in {setup_s:.1f} s")
    started = time.monotonic()
    publish_batch(args.publish, args.seed)
    publish_s = time.monotonic() - started
    print(f"{args.publish} statements published and indexed in {publish_s:.1f} s")

    port = _free_port("127.0.0.1")
    inbox = Path(args.out + ".received.txt")
    inbox.unlink(missing_ok=True)
    server = subprocess.Popen(
        [sys.executable, "-c", SMTP_SINK, str(port), str(inbox)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout.readline().strip() == "ready"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        progress = Progress()
        started = time.monotonic()
        stats = digests.send_digests(frequency="daily", progress=progress)
        run_s = time.monotonic() - started
        print()
        received = received_count(inbox)
        started = time.monotonic()
        rerun = digests.send_digests(frequency="daily")
        rerun_s = time.monotonic() - started
        received_after_rerun = received_count(inbox)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
        inbox.unlink(missing_ok=True)

    memory = [mib for _, mib in progress.samples]
    result = {
        "machine": f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}",
        "load_average": os.getloadavg(),
        "database": connection.vendor,
        "statements": statements,
        "alerts": args.alerts,
        "addresses": addresses,
        "distinct_searches": distinct,
        "published_before_run": args.publish,
        "run_s": round(run_s, 1),
        "addresses_per_s": round(stats.subscribers / run_s, 1) if run_s else None,
        "searches_run": stats.searches,
        "emails_sent": stats.emails,
        "statements_listed": stats.statements,
        "nothing_new": stats.nothing_new,
        "failed": stats.failed,
        "emails_received_by_smtp_server": received,
        "rerun_s": round(rerun_s, 2),
        "rerun_emails": rerun.emails,
        "emails_received_after_rerun": received_after_rerun,
        "rss_mib_first_last_max": [memory[0], memory[-1], max(memory)] if memory else None,
        "rss_samples": progress.samples,
        "setup_s": round(setup_s, 1),
        "publish_s": round(publish_s, 1),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out + ".json").write_text(json.dumps(result, indent=2) + "\n")
    rss = result["rss_mib_first_last_max"]
    table = [
        f"send_alerts bench - {result['machine']}, load average {', '.join(f'{x:.1f}' for x in result['load_average'])}",
        "",
        "| database | statements | alerts | addresses | distinct searches | new statements | run s | addresses/s "
        "| searches run | emails | SMTP received | re-run s | re-run emails | RSS MiB first / last / max |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {result['database']} | {statements} | {args.alerts} | {addresses} | {distinct} | {args.publish} "
        f"| {result['run_s']} | {result['addresses_per_s']} | {stats.searches} | {stats.emails} | {received} "
        f"| {result['rerun_s']} | {rerun.emails} | {rss[0]} / {rss[1]} / {rss[2]} |",
    ]
    Path(args.out + ".md").write_text("\n".join(table) + "\n")
    print("\n".join(table))
    return 0 if received == stats.emails and rerun.emails == 0 and not stats.failed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
