"""Research pages' latency (p50/p95 through Django's test client): trend and compare charts, search
with combined facets, the "more" panel, a statement from a search, and the browse pages.

Runs against whatever database and index the environment names (DATABASE_URL, or SQLite and Whoosh
under ARCHIVE_DATA_DIR) - load a corpus first (`make demo`, or import_ungdc + rebuild_index):

    ARCHIVE_DATA_DIR=/tmp/demo .venv/bin/python bench/trend_bench.py --label ungdc-2015-2020

Writes bench/results/research-<label>.json and .md.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("RATE_LIMIT_SEARCH", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from archive.models import Speech  # noqa: E402

PAGES = [
    ("trend", "/search/trend/?q=climate+change"),
    ("trend, common word", "/search/trend/?q=peace"),
    ("compare 3 countries", "/search/trend/?q=climate+change&compare=country&country=CHN&country=USA&country=IND"),
    ("compare top 5", "/search/trend/?q=climate+change&compare=country"),
    ("search, 2 countries ticked", "/search/?q=climate+change&country=CHN&country=USA"),
    ("search, more countries", "/search/?q=climate+change&more=country"),
    ("statements, 2 countries ticked", "/statements/?country=CHN&country=USA"),
    ("statements, more speakers", "/statements/?more=speaker&facet_filter=ab"),
    ("topic page", "/topics/climate-change/"),
    ("topics", "/topics/"),
    ("home", "/"),
    ("speakers by name", "/speakers/?name=john"),
    ("country page", "/countries/china/"),
    ("year page", "/dates/2019/"),
]


def measure(client, url, runs):
    client.get(url)  # warm: caches, searcher
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {
        "p50": round(statistics.median(times), 1),
        "p95": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--label", default="local")
    args = parser.parse_args()
    client = Client()
    results = {name: {"url": url, **measure(client, url, args.runs)} for name, url in PAGES}
    meta = {
        "statements": Speech.objects.published().count(),
        "database": connection.vendor,
        "runs": args.runs,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    out = ROOT / "bench" / "results" / f"research-{args.label}"
    out.with_suffix(".json").write_text(json.dumps({"meta": meta, "pages": results}, indent=2) + "\n")
    lines = [
        f"Research pages, {meta['statements']} published statements, {meta['database']}, {args.runs} runs each, "
        f"{meta['cpus']} CPUs, {meta['when']}",
        "",
        "| page | URL | p50 ms | p95 ms |",
        "| --- | --- | ---: | ---: |",
    ]
    lines += [f"| {name} | `{r['url']}` | {r['p50']} | {r['p95']} |" for name, r in results.items()]
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
