"""Browse-page latency (p50/p95 through Django's test client) and CSV-export memory.

Runs against whatever database the environment names (DATABASE_URL, or SQLite under
ARCHIVE_DATA_DIR). With --generate N it first tops the database up to N published statements with
a bench-local generator (countries, speakers, meetings, years, topics, quotations), so the figures
mean something before the corpus importers land:

    ARCHIVE_DATA_DIR=/tmp/browse-bench .venv/bin/python bench/browse_bench.py --generate 10000

Writes bench/results/browse.json and bench/results/browse.md.
"""

import argparse
import datetime
import gc
import json
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Production-like settings: no debug query log, no SSL redirect for the in-process client.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("API_RATE_LIMIT", "1000000/minute")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from archive.models import Body, Country, Event, Quotation, Speaker, Speech, Topic  # noqa: E402

WORDS = [
    "peace",
    "security",
    "development",
    "cooperation",
    "international",
    "community",
    "terrorism",
    "climate",
    "sustainable",
    "human",
    "rights",
    "united",
    "nations",
    "resolution",
    "council",
    "assembly",
    "delegation",
    "support",
    "dialogue",
    "multilateralism",
    "sovereignty",
    "region",
    "crisis",
    "humanitarian",
    "assistance",
    "reform",
    "economic",
    "growth",
    "poverty",
    "women",
    "youth",
    "health",
    "pandemic",
    "nuclear",
    "disarmament",
]


def paragraph(rng, words=80):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def generate(target, seed=4):
    """Top the database up to ``target`` published statements; deterministic for a given seed."""
    have = Speech.objects.published().count()
    if have >= target:
        return 0
    rng = random.Random(seed + have)
    countries = list(Country.objects.filter(status__in=["member", "observer"]))
    bodies = list(Body.objects.all())
    topics = list(Topic.objects.all())
    now = timezone.now()
    missing = target - have
    with transaction.atomic():
        speakers = Speaker.objects.bulk_create(
            [
                Speaker(name=f"Bench Speaker {have + i}", sort_name=f"Speaker {have + i:06d}", slug=f"bench-{have + i}")
                for i in range(max(missing // 15, 1))
            ]
        )
        events = []
        for i in range(max(missing // 20, 1)):
            year = rng.randint(1970, 2020)
            events.append(
                Event(
                    title=f"Bench meeting {have + i}",
                    slug=f"bench-meeting-{have + i}",
                    body=rng.choice(bodies),
                    date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    kind=Event.Kind.DEBATE,
                    meeting_symbol=f"BENCH/PV.{have + i}",
                    agenda_item="General debate",
                )
            )
        events = Event.objects.bulk_create(events)
        speeches = []
        for i in range(missing):
            event = rng.choice(events)
            precision = rng.choices(["day", "month", "year"], weights=[90, 5, 5])[0]
            speeches.append(
                Speech(
                    speaker=rng.choice(speakers),
                    event=event,
                    country=rng.choice(countries),
                    role="Head of delegation",
                    date=event.date
                    if precision == "day"
                    else event.date.replace(day=1, **({"month": 1} if precision == "year" else {})),
                    date_precision=precision,
                    position=i % 40,
                    title=f"Statement {have + i}",
                    text="\n\n".join(paragraph(rng) for _ in range(12)),
                    status=Speech.Status.PUBLISHED,
                    published_at=now,
                    external_id=f"BENCH:{have + i}",
                )
            )
        speeches = Speech.objects.bulk_create(speeches, batch_size=500)
        through = Speech.topics.through
        links = [
            through(speech_id=s.pk, topic_id=t.pk) for s in speeches for t in rng.sample(topics, rng.randint(1, 3))
        ]
        through.objects.bulk_create(links, batch_size=2000)
        quotations = []
        for speech in speeches[::3]:
            first = speech.text.split("\n\n", 1)[0]
            quotations.append(
                Quotation(speech=speech, speaker_id=speech.speaker_id, text=first, start=0, end=len(first), cue="said")
            )
        Quotation.objects.bulk_create(quotations, batch_size=1000)
    return missing


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def pages():
    speech = Speech.objects.published().order_by("-date").first()
    busiest_speaker = (
        Speech.objects.published().values("speaker__slug").order_by("-speaker__speeches").first() or {}
    ).get("speaker__slug") or speech.speaker.slug
    event = speech.event
    quotation = Quotation.objects.published().first()
    year = speech.date.year
    return [
        "/",
        "/statements/",
        "/statements/?sort=speaker",
        "/statements/?country=CHN&country=USA&date_from=2000",
        "/statements/?topic=counter-terrorism&body=general-assembly",
        "/statements/?page=200",
        "/speakers/",
        "/speakers/?country=FRA&sort=count",
        f"/speakers/{busiest_speaker}/",
        "/countries/",
        "/countries/china/",
        "/countries/china/?topic=peace-and-security&year=2015",
        "/bodies/",
        "/bodies/security-council/",
        "/topics/",
        "/topics/peace-and-security/",
        "/events/",
        "/events/?body=security-council",
        f"/events/{event.slug}/",
        "/quotations/",
        "/dates/",
        f"/dates/{year}/",
        f"/dates/{year}/{speech.date.month}/",
        f"/dates/{year}/{speech.date.month}/{speech.date.day}/",
        speech.get_absolute_url(),
        quotation.get_absolute_url() if quotation else speech.get_absolute_url(),
        "/feeds/statements/",
        "/feeds/countries/china/",
        "/api/speeches/",
        "/api/speeches/?country=CHN&year=2015",
        "/api/speakers/",
        "/api/events/",
        "/api/quotations/",
    ]


def time_pages(client, urls, repeat):
    results = []
    for url in urls:
        for _ in range(2):  # warm caches and connections
            client.get(url, secure=True)
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url, secure=True)
            if response.streaming:
                b"".join(response.streaming_content)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results.append(
            {
                "url": url,
                "p50_ms": round(statistics.median(samples), 1),
                "p95_ms": round(percentile(samples, 0.95), 1),
                "max_ms": round(max(samples), 1),
            }
        )
        print(f"{results[-1]['p95_ms']:8.1f} ms p95  {url}", flush=True)
    return results


def export_memory(client, url):
    """Peak Python memory while streaming one download, and its size."""
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(url, secure=True)
    rows = 0
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n") if url.endswith("jsonl") else 0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "url": url,
        "bytes": size,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_mib": round(peak / 2**20, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate", type=int, default=0, help="top the database up to N published statements")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "browse"))
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if args.generate:
        started = time.perf_counter()
        added = generate(args.generate)
        print(f"generated {added} statements in {time.perf_counter() - started:.0f} s", flush=True)
    # As after any bulk import: fresh planner statistics (the importers should do the same).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Speech.objects.published().count()
    client = Client()
    results = time_pages(client, pages(), args.repeat)

    # Flat memory: the peak while streaming a tenth, half and all of the statements should be the
    # same, give or take a chunk of rows.
    years = sorted({d.year for d in Speech.objects.published().dates("date", "year")})
    memory = []
    for fraction in (0.9, 0.5, 0.0):
        since = years[int(len(years) * fraction)] if years else 1900
        rows = Speech.objects.published().filter(date__year__gte=since).count()
        memory.append({"rows": rows, **export_memory(client, f"/statements/?date_from={since}&format=csv")})
    for row in memory:
        print(f"export {row['rows']} rows: {row['bytes'] / 2**20:.1f} MiB streamed, peak {row['peak_mib']} MiB")

    machine = {
        "python": platform.python_version(),
        "database": connection.vendor,
        "cpus": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "published_statements": total,
        "repeat": args.repeat,
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps({"machine": machine, "pages": results, "export": memory}, indent=2))
    lines = [
        f"Browse pages on {machine['database']}, {total} published statements, Python {machine['python']}, "
        f"{machine['cpus']} cores, {machine['memory_gib']} GiB; {args.repeat} timed requests per page.",
        "",
        "| page | p50 ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: |",
        *[f"| `{r['url']}` | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |" for r in results],
        "",
        "| CSV export | rows | MiB streamed | seconds | peak Python MiB |",
        "| --- | ---: | ---: | ---: | ---: |",
        *[
            f"| `{m['url']}` | {m['rows']} | {m['bytes'] / 2**20:.1f} | {m['seconds']} | {m['peak_mib']} |"
            for m in memory
        ],
    ]
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out.with_suffix('.json')} and {out.with_suffix('.md')}")
    slow = [r for r in results if r["p95_ms"] >= 300]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
