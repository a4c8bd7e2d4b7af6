"""The search page against a naive SQLite FTS5 index of the same speeches, interleaved per query.

    python bench/search_vs_fts5.py --corpus ../shared/data/ungdc/UNGDC_1946-2024.tgz [--limit N]

Loads the UNGDC speeches (bench-local loader of bench/search_bench.py), builds the archive's Whoosh
index with ``rebuild_index`` and an FTS5 table of the same texts (unicode61 tokenizer: every word,
no stemming), then generates a query set from the corpus itself (fixed seed, so a re-run asks the
same queries of the same data) in these kinds: rare term, common term, stopword-only, 2-4 word
phrases with and without stopwords, AND pairs, term + country + 10-year range, fuzzy/prefix.

Each query is timed twice, both times interleaved with FTS5 (alternating which goes first):

- **pages over HTTP** (what the targets of issue 10 are checked against): one gunicorn (2 workers)
  serves the archive's ``/search/?q=...`` (query, total, 20 highlighted hits, five facet panels)
  and a bench-only FTS5 page, ``/fts5/?q=...`` (``bench/fts5_site.py``: top 20 by rank with
  snippets, the total, the country and year counts by GROUP BY, the hits' display fields from the
  database, the same template): both pay for HTTP, Django and rendering;
- **in-process**: the archive's search layer (``run_search``: engine, highlights, facets, the check
  of the page's hits against the database) against FTS5's queries alone (``fts5_page``).

It also compares the counts where both engines mean the same thing (phrases and stopword-only
queries: exact words in order) and reports every disagreement. Results: bench/results/search_vs_fts5.{json,md}.
The result caches of the archive are emptied before each query (a first asking, not a repeat).
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results"
STOPWORDS = ["the", "of", "and", "to", "in", "a", "is", "that", "for", "we", "this", "be", "on", "with", "as", "it"]
WORD = re.compile(r"[a-z]+")


def build_fts5(path, rows, facets=()):
    """The FTS5 table (text, country, year) and, in a file of its own so the FTS5 file's size stays
    comparable, each speech's speaker, body and topics for the facet counts a search page shows."""
    if path.exists():
        path.unlink()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE speech USING fts5(text, country UNINDEXED, year UNINDEXED)")
    db.executemany("INSERT INTO speech(rowid, text, country, year) VALUES (?, ?, ?, ?)", rows)
    db.commit()
    side = facets_path(path)
    if side.exists():
        side.unlink()
    extra = sqlite3.connect(side)
    extra.execute("CREATE TABLE meta (id INTEGER PRIMARY KEY, speaker TEXT, body TEXT)")
    extra.execute("CREATE TABLE topic (id INTEGER, topic TEXT)")
    extra.execute("CREATE INDEX topic_id ON topic (id)")
    extra.executemany("INSERT INTO meta VALUES (?, ?, ?)", [(pk, speaker, body) for pk, speaker, body, _ in facets])
    extra.executemany("INSERT INTO topic VALUES (?, ?)", [(pk, t) for pk, _s, _b, topics in facets for t in topics])
    extra.commit()
    extra.close()
    return connect_fts5(path)


def facets_path(path):
    return path.with_name(path.stem + "-facets.sqlite3")


def connect_fts5(path, **options):
    db = sqlite3.connect(path, **options)
    if facets_path(path).exists():
        db.execute("ATTACH DATABASE ? AS f", [str(facets_path(path))])
    return db


def fts5_page(db, match, country=None, years=None, marks=("<mark>", "</mark>")):
    """What a search page needs from FTS5: total, top 20 with snippets, and the counts of the five
    facet panels the archive's page shows (country, year, speaker, body, topic) by GROUP BY."""
    # ``where`` is built from constants only; every value is a bound parameter.
    where, args = "speech MATCH ?", [match]
    if country:
        where += " AND country = ?"
        args.append(country)
    if years:
        where += " AND year BETWEEN ? AND ?"
        args += list(years)
    top_sql = f"SELECT rowid, snippet(speech, 0, ?, ?, '…', 24) FROM speech WHERE {where} "  # noqa: S608
    top = db.execute(top_sql + "ORDER BY rank LIMIT 20", [*marks, *args]).fetchall()
    total = db.execute(f"SELECT count(*) FROM speech WHERE {where}", args).fetchone()[0]  # noqa: S608
    by_country = db.execute(f"SELECT country, count(*) FROM speech WHERE {where} GROUP BY country", args).fetchall()  # noqa: S608
    by_year = db.execute(f"SELECT year, count(*) FROM speech WHERE {where} GROUP BY year", args).fetchall()  # noqa: S608
    others = {}
    if "f" in {row[1] for row in db.execute("PRAGMA database_list")}:
        for name, table in (("speaker", "f.meta"), ("body", "f.meta"), ("topic", "f.topic")):
            column = "x." + name
            sql = f"SELECT {column}, count(*) FROM speech JOIN {table} x ON x.id = speech.rowid WHERE {where} GROUP BY {column}"  # noqa: S608
            others[name] = db.execute(sql, args).fetchall()
    return total, top, by_country, by_year, others


def make_queries(texts, countries, seed=10):
    """(kind, archive query params, FTS5 MATCH, country, years, counts comparable) from the corpus."""
    rng = random.Random(seed)
    frequency = Counter()
    tokenized = []
    for text in texts:
        words = WORD.findall(text.lower())
        tokenized.append(words)
        frequency.update(set(words))
    n = len(texts)
    rare = sorted(w for w, c in frequency.items() if 3 <= c <= max(5, n // 200) and len(w) > 5)
    common = sorted(w for w, c in frequency.items() if c >= n // 2 and w not in STOPWORDS and len(w) > 3)
    queries = []
    for word in rng.sample(rare, min(20, len(rare))):
        queries.append(("rare term", {"q": word}, word, None, None, False))
    for word in rng.sample(common, min(20, len(common))):
        queries.append(("common term", {"q": word}, word, None, None, False))
    for phrase in ["the", "of the", "each", "we the peoples", "to be or not to be", "this assembly", "in the", "and"]:
        match = '"' + phrase + '"'
        queries.append(("stopword-only", {"q": match if " " in phrase else phrase}, match, None, None, True))

    def phrases(with_stopwords, count):
        found = []
        while len(found) < count:
            words = rng.choice(tokenized)
            if len(words) < 10:
                continue
            length = rng.randint(2, 4)
            start = rng.randrange(len(words) - length)
            window = words[start : start + length]
            has_stop = any(w in STOPWORDS for w in window)
            if has_stop == with_stopwords and all(len(w) > 1 for w in window):
                found.append(" ".join(window))
        return found

    for phrase in phrases(True, 20):
        queries.append(("phrase with stopwords", {"q": f'"{phrase}"'}, f'"{phrase}"', None, None, True))
    for phrase in phrases(False, 20):
        queries.append(("phrase without stopwords", {"q": f'"{phrase}"'}, f'"{phrase}"', None, None, True))
    pool = rare + common
    for _ in range(20):
        a, b = rng.sample(pool, 2)
        queries.append(("AND pair", {"q": f"{a} {b}"}, f"{a} AND {b}", None, None, False))
    for _ in range(20):
        word = rng.choice(common)
        country = rng.choice(countries)
        start = rng.randrange(1950, 2015)
        params = {"q": word, "country": country, "date_from": str(start), "date_to": str(start + 9)}
        queries.append(("term + country + 10 years", params, word, country, (start, start + 9), False))
    for word in rng.sample(common, min(10, len(common))):
        queries.append(("fuzzy/prefix", {"q": word[:5] + "*"}, word[:5] + "*", None, None, False))
        queries.append(("fuzzy/prefix", {"q": word + "~1"}, word, None, None, False))  # FTS5 has no fuzzy
    return queries


def summary(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return {"n": len(samples), "p50_ms": round(statistics.median(samples), 1), "p95_ms": round(p95, 1)}


def start_server(data_dir, fts_path, port, workers):
    """gunicorn serving the archive and the bench's FTS5 page (bench/fts5_site.py), production settings."""
    from loopback import production_env

    env = production_env(f"sqlite:///{data_dir / 'archive.sqlite3'}", data_dir, "bench-" + "k" * 40)
    env.update(DJANGO_SETTINGS_MODULE="fts5_settings", FTS5_BENCH_PATH=str(fts_path))
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "archive.wsgi:application", "--pythonpath", str(ROOT / "bench"), "--bind"]
    command += [f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(300):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/fts5/?q=peace")
            if probe.getresponse().status == 200:
                return server
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not answer")


class Browser:
    """One keep-alive HTTP connection; get() returns the status (the body is read)."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path, params):
        self.connection.request("GET", path + "?" + urllib.parse.urlencode(params))
        response = self.connection.getresponse()
        response.read()
        return response.status


def main():
    from search_bench import dir_size, load_ungdc_tarball, setup_django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--limit", type=int, default=None, help="Only the first N speeches of the tarball")
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "fts5-bench"))
    parser.add_argument("--keep", action="store_true", help="Reuse the imported database and both indexes")
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    data_dir = Path(args.data_dir)
    if data_dir.exists() and not args.keep:
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("RATE_LIMIT_SEARCH", "0")  # 0 turns the limit off: the bench asks hundreds
    setup_django(data_dir)
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command

    from archive.models import IndexTask, Speech
    from archive.search import run_search
    from archive.search.whoosh.state import clear_result_caches

    report = {
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}",
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production settings serve hashed names
    if not (args.keep and Speech.objects.exists()):
        load_ungdc_tarball(Path(args.corpus), args.limit)
    IndexTask.objects.all().delete()
    speeches = list(
        Speech.objects.published().select_related("country").values_list("pk", "text", "country__code", "date")
    )
    report["speeches"] = len(speeches)
    index_path = Path(settings.HAYSTACK_CONNECTIONS["default"]["PATH"])
    fts_path = data_dir / "fts5.sqlite3"
    if not (args.keep and index_path.exists()):
        started = time.perf_counter()
        report["load_before_build"] = round(os.getloadavg()[0], 2)
        call_command("rebuild_index", interactive=False, verbosity=0)
        report["archive_build_s"] = round(time.perf_counter() - started, 1)
        report["load_after_build"] = round(os.getloadavg()[0], 2)
    if not (args.keep and fts_path.exists() and facets_path(fts_path).exists()):
        started = time.perf_counter()
        facets = [
            (
                speech.pk,
                speech.speaker.slug,
                speech.event.body.slug if speech.event else None,
                [t.slug for t in speech.topics.all()],
            )
            for speech in Speech.objects.published().select_related("speaker", "event__body").prefetch_related("topics")
        ]
        build_fts5(fts_path, [(pk, text, code or "", date.year) for pk, text, code, date in speeches], facets).close()
        report["fts5_build_s"] = round(time.perf_counter() - started, 1)
    report["archive_index_mb"] = round(dir_size(index_path) / 1e6, 1)
    report["fts5_file_mb"] = round(fts_path.stat().st_size / 1e6, 1)
    report["size_ratio"] = round(report["archive_index_mb"] / report["fts5_file_mb"], 2)
    db = connect_fts5(fts_path)
    countries = sorted({code for _pk, _text, code, _date in speeches if code})
    queries = make_queries([text for _pk, text, _code, _date in speeches], countries)
    server = start_server(data_dir, fts_path, args.port, args.workers)
    try:
        browser = Browser(args.port)
        for word in ("peace", "security", "development", "climate"):  # every worker opens its searcher
            for _ in range(args.workers * 2):
                browser.get("/search/", {"q": word})
                browser.get("/fts5/", {"q": word})
        times = {"http": {}, "in-process": {}}
        disagreements, compared = [], 0
        report["load_before"] = round(os.getloadavg()[0], 2)
        for number, (kind, params, match, country, years, comparable) in enumerate(queries):

            def forget():
                clear_result_caches()
                caches["search"].clear()  # the answer cache gunicorn's workers share too: as first asked

            def archive_page(params=params):
                forget()
                assert browser.get("/search/", params) == 200, params

            def fts5_page_http(params=params, match=match):
                assert browser.get("/fts5/", {**params, "match": match}) == 200, params

            def archive(params=params):
                forget()
                return run_search(params).total

            def fts5(match=match, country=country, years=years):
                return fts5_page(db, match, country, years)[0]

            totals = {}
            for mode, pair in (("http", (archive_page, fts5_page_http)), ("in-process", (archive, fts5))):
                order = list(zip(("archive", "fts5"), pair))  # noqa: B905
                if number % 2:
                    order.reverse()
                for engine, run in order:
                    started = time.perf_counter()
                    total = run()
                    elapsed = (time.perf_counter() - started) * 1000
                    times[mode].setdefault(kind, {}).setdefault(engine, []).append(elapsed)
                    if mode == "in-process":
                        totals[engine] = total
            if comparable:
                compared += 1
                if totals["archive"] != totals["fts5"]:
                    disagreements.append({"query": params["q"], "archive": totals["archive"], "fts5": totals["fts5"]})
        report["load_after"] = round(os.getloadavg()[0], 2)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for mode, kinds in times.items():
        report[mode] = {}
        for kind, engines in kinds.items():
            archive, fts = summary(engines["archive"]), summary(engines["fts5"])
            report[mode][kind] = {
                "archive": archive,
                "fts5": fts,
                "p50_ratio": round(archive["p50_ms"] / max(fts["p50_ms"], 0.01), 2),
                "p95_ratio": round(archive["p95_ms"] / max(fts["p95_ms"], 0.01), 2),
            }
    report["counts_compared"] = compared
    report["count_disagreements"] = disagreements
    write(report, args.limit)


def write(report, limit):
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "search_vs_fts5" + (f"_first{limit}" if limit else "")
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        f"# Search page vs naive SQLite FTS5, interleaved per query ({report['speeches']} UNGDC speeches)",
        "",
        f"{report['machine']}; {report['date']}; load average {report['load_before']} before, "
        f"{report['load_after']} after (a shared machine).",
        "",
        f"Index: archive {report['archive_index_mb']} MB (build {report.get('archive_build_s', '-')} s), "
        f"FTS5 {report['fts5_file_mb']} MB (build {report.get('fts5_build_s', '-')} s): {report['size_ratio']}x.",
        "",
    ]
    titles = {
        "http": "Search pages over HTTP, one gunicorn (2 workers) serving both (the targets are checked here)",
        "in-process": "In-process: the archive's search layer (run_search) against FTS5's queries alone",
    }
    for mode, title in titles.items():
        lines += [
            f"**{title}**",
            "",
            "| kind | n | archive p50 / p95 ms | FTS5 p50 / p95 ms | ratio p50 / p95 |",
            "| --- | --- | --- | --- | --- |",
        ]
        for kind, row in report[mode].items():
            a, f = row["archive"], row["fts5"]
            lines.append(
                f"| {kind} | {a['n']} | {a['p50_ms']} / {a['p95_ms']} | {f['p50_ms']} / {f['p95_ms']} | "
                f"{row['p50_ratio']} / {row['p95_ratio']} |"
            )
        lines.append("")
    lines += [
        "",
        f"Exact counts compared on {report['counts_compared']} phrase and stopword-only queries: "
        f"{len(report['count_disagreements'])} disagree.",
    ]
    lines += [f"- `{d['query']}`: archive {d['archive']}, FTS5 {d['fts5']}" for d in report["count_disagreements"]]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
