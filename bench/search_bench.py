"""Search benchmark: import a corpus, build the index, time searches; JSON + Markdown in bench/results/.

    python bench/search_bench.py --corpus ../shared/data/ungdc/UNGDC_1946-2024.tgz [--limit N]

Imports with ``manage.py import_ungdc`` when that command exists, otherwise with the small loader
below (published Speech rows straight from the tarball). Runs against its own data directory
(SQLite and a Whoosh index; DATABASE_URL selects PostgreSQL), never the development data.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def setup_django(data_dir):
    os.environ["ARCHIVE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# -- import ---------------------------------------------------------------------------------------
NAME = re.compile(r"(?:^|/)([A-Z]{2,3})_(\d+)_(\d{4})\.txt$")


def load_ungdc_tarball(path, limit=None):
    """Bench-local loader: one published statement per speech file, topics from their keywords."""
    from django.db import transaction
    from django.utils import timezone
    from tqdm import tqdm

    from archive.models import Body, Country, Event, Speaker, Speech, Topic
    from archive.search import outbox

    assembly = Body.objects.get(slug="general-assembly")
    countries = {c.code: c for c in Country.objects.all()}
    topics = [(t, [k.lower() for k in t.keywords if k]) for t in Topic.objects.all() if t.keywords]
    events, speakers, rows, topic_rows = {}, {}, [], []
    now = timezone.now()
    # Streamed in archive order: seeking backwards in a gzip stream would decompress it again.
    with tarfile.open(path, "r|gz") as archive:
        for member in tqdm(archive, desc="Reading speeches", total=limit or 10952):
            if not (member.isfile() and NAME.search(member.name)):
                continue
            code, session, year = NAME.search(member.name).groups()
            text = archive.extractfile(member).read().decode("utf-8", errors="replace").replace("\r\n", "\n")
            # Lines are wrapped in the corpus; a line starting with a space opens a paragraph.
            text = re.sub(r"\n(?=\s)", "\n\n", text.strip())
            text = re.sub(r"[ \t]*\n(?!\n)", " ", text)
            text = re.sub(r"\n{2,}\s*", "\n\n", text)
            rows.append((code, int(session), int(year), text, member.name))
            if limit and len(rows) >= limit:
                break
    rows.sort(key=lambda row: (row[2], row[0]))
    with transaction.atomic():
        for code, session, year, _text, _name in rows:
            if session not in events:
                events[session] = Event.objects.get_or_create(
                    slug=f"ungdc-session-{session}",
                    defaults={
                        "title": f"General Assembly general debate, session {session} ({year})",
                        "body": assembly,
                        "date": datetime.date(year, 9, 20),
                        "kind": Event.Kind.GENERAL_DEBATE,
                    },
                )[0]
            if code not in speakers:
                country = countries.get(code)
                name = f"Representative of {country.name if country else code}"
                speakers[code] = Speaker.objects.get_or_create(slug=f"ungdc-{code.lower()}", defaults={"name": name})[0]
        speeches = [
            Speech(
                speaker=speakers[code],
                event=events[session],
                country=countries.get(code),
                date=datetime.date(year, 9, 20),
                date_precision=Speech.DatePrecision.YEAR,
                language="en",
                title=f"{countries[code].name if code in countries else code} at the general debate, {year}",
                text=text,
                status=Speech.Status.PUBLISHED,
                published_at=now,
                external_id=f"UNGDC:{code}_{session}_{year}",
            )
            for code, session, year, text, _name in rows
        ]
        created = Speech.objects.bulk_create(speeches, batch_size=500)
        if not created or created[0].pk is None:
            created = list(Speech.objects.filter(external_id__startswith="UNGDC:").order_by("pk"))
        Through = Speech.topics.through
        for speech in created:
            lowered = speech.text.lower()
            topic_rows += [
                Through(speech_id=speech.pk, topic_id=t.pk) for t, words in topics if any(w in lowered for w in words)
            ]
        Through.objects.bulk_create(topic_rows, batch_size=2000)
        outbox.enqueue(outbox.SPEECH, [s.pk for s in created])
    return len(created)


def import_corpus(corpus, limit):
    from django.core.management import call_command, get_commands

    if "import_ungdc" in get_commands() and not limit:
        call_command("import_ungdc", str(corpus))
        return "manage.py import_ungdc"
    load_ungdc_tarball(corpus, limit)
    return "bench-local loader"


# -- queries --------------------------------------------------------------------------------------
TERMS = [
    "peace",
    "security",
    "development",
    "climate",
    "terrorism",
    "nuclear",
    "women",
    "children",
    "poverty",
    "trade",
    "refugees",
    "sanctions",
    "disarmament",
    "apartheid",
    "colonialism",
    "independence",
    "democracy",
    "sovereignty",
    "cooperation",
    "debt",
    "health",
    "pandemic",
    "oceans",
    "energy",
    "migration",
    "famine",
    "drought",
    "hunger",
    "education",
    "environment",
]
PHRASES = [
    "climate change",
    "human rights",
    "sustainable development",
    "nuclear weapons",
    "united nations",
    "security council",
    "international community",
    "developing countries",
    "cold war",
    "middle east",
    "south africa",
    "arms race",
    "rule of law",
    "small island",
    "self-determination",
    "weapons of mass destruction",
    "millennium development goals",
    "international law",
    "peacekeeping operations",
    "global warming",
    "economic crisis",
    "least developed countries",
    "organized crime",
    "terrorist attacks",
    "food security",
    "official development assistance",
    "general assembly",
    "regional cooperation",
    "territorial integrity",
    "nuclear test",
]
BOOLEANS = [
    "(peace OR security) AND NOT war",
    "climate -coal",
    "terrorism AND financing",
    "nuclear OR atomic",
    "refugees AND (Syria OR Iraq)",
    "women AND NOT children",
    "(debt OR loans) AND poverty",
    "ocean* AND fish*",
    "sanction* -Iran",
    "disarm* AND treaty",
    "pandemic OR epidemic",
    "(apartheid OR racism) AND Africa",
    "democracy AND NOT communism",
    "energy AND (oil OR gas)",
    "colon* AND independence",
    "trade -tariffs",
    "drought OR famine OR hunger",
    "migration AND Europe",
    "Palestine AND Israel",
    "Korea AND (nuclear OR missile)",
    "terorism~",
    "climat~",
    "develop* AND sustain*",
    "islands AND (sea OR ocean)",
    "(AIDS OR HIV) AND Africa",
    "education AND girls",
    "cyber*",
    "weapon* AND chemical",
    "peacekeep* -Congo",
    "Cuba AND embargo",
]
FILTERED = [
    ({"q": "peace", "country": "USA"}),
    ({"q": "nuclear", "country": "FRA"}),
    ({"q": "climate", "year": "2019"}),
    ({"q": "apartheid", "year": "1985"}),
    ({"q": "terrorism", "date_from": "2001", "date_to": "2005"}),
    ({"q": "country:China development"}),
    ({"q": "country:India poverty"}),
    ({"q": "date:1990..2000 refugees"}),
    ({"q": "date:2020 pandemic"}),
    ({"q": 'body:"General Assembly" oceans'}),
    ({"q": "women", "country": "SWE"}),
    ({"q": "debt", "country": "ARG"}),
    ({"q": "independence", "year": "1960"}),
    ({"q": "sanctions", "country": "CUB"}),
    ({"q": "security", "country": "ISR"}),
    ({"q": "trade", "country": "JPN"}),
    ({"q": "war", "year": "1991"}),
    ({"q": "energy", "country": "NOR"}),
    ({"q": "drought", "country": "ETH"}),
    ({"q": "islands", "country": "FJI"}),
    ({"q": "cooperation", "date_from": "1970", "date_to": "1979"}),
    ({"q": "democracy", "country": "BRA"}),
    ({"q": "migration", "country": "MEX"}),
    ({"q": "human rights", "country": "GBR"}),
    ({"q": "oil", "country": "SAU"}),
    ({"q": "nuclear", "country": "PRK"}),
    ({"q": "country:Germany reunification"}),
    ({"q": "peace", "year": "2023"}),
    ({"q": "climate", "country": "TUV"}),
    ({"q": "Guinea-Bissau independence"}),
]


def timed(function, repeat_keys):
    samples = []
    for item in repeat_keys:
        started = time.perf_counter()
        function(item)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {
        "n": len(samples),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(ordered[-1], 1),
    }


def measure_searches():
    from django.test import Client

    from archive.search import run_search
    from archive.search.whoosh.state import clear_result_caches

    def params(query):
        return {k: [v] for k, v in (query if isinstance(query, dict) else {"q": query}).items()}

    def quiet(query, **options):
        return lambda q: run_search(params(q), **options)

    run_search(params("peace"))  # opens the searcher once, as the first request of a server process would
    categories = {
        "single term": (quiet(None, facets=False, highlight=False), TERMS),
        "phrase": (quiet(None, facets=False, highlight=False), [f'"{p}"' for p in PHRASES]),
        "boolean, fuzzy, prefix": (quiet(None, facets=False, highlight=False), BOOLEANS),
        "field-filtered": (quiet(None, facets=False, highlight=False), FILTERED),
        "all facets (5 panels)": (quiet(None, facets=True, highlight=False), TERMS),
        "20 highlighted results": (quiet(None, facets=False, highlight=True), PHRASES),
        "deep page 50": (lambda q: run_search({"q": [q], "page": ["50"]}, facets=False, highlight=False), TERMS[:30]),
    }
    results = {name: summary(timed(fn, items)) for name, (fn, items) in categories.items()}
    client = Client()
    pages = (
        [f"/search/?q={t}" for t in TERMS]
        + [f'/search/?q="{p}"' for p in PHRASES]
        + ["/search/?" + "&".join(f"{k}={v}" for k, v in q.items()) for q in FILTERED]
        + [f"/search/?q={t}&type=statements&sort=newest" for t in TERMS[:10]]
    )

    def page(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    results["search page (query + all facets + 20 highlighted, test client)"] = summary(timed(page, pages))

    def cold_page(url):
        clear_result_caches()  # each page as if nobody had asked for it (or its facets) before
        page(url)

    results["search page, result cache emptied before each page"] = summary(timed(cold_page, pages))
    results["_total_queries"] = sum(r["n"] for r in results.values() if isinstance(r, dict))
    return results


def measure_publish_latency(data_dir, rounds=5):
    """Draft -> speech_publish -> visible in search, with index_worker running beside us."""
    from archive.models import Speaker, Speech
    from archive.search import run_search
    from archive.services import speech_publish

    env = dict(os.environ)
    worker = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "index_worker", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    samples = []
    try:
        time.sleep(2)  # the worker's start-up is not part of publishing
        speaker = Speaker.objects.first()
        for round_number in range(rounds):
            word = f"zqxbenchword{round_number}{int(time.time())}"
            speech = Speech.objects.create(
                speaker=speaker, date=datetime.date(2024, 9, 24), text=f"A statement about {word}.", language="en"
            )
            started = time.perf_counter()
            speech_publish(speech=speech)
            while run_search({"q": [word]}, facets=False, highlight=False).total == 0:
                if time.perf_counter() - started > 60:
                    raise RuntimeError("published speech not searchable after 60 s")
                time.sleep(0.05)
            samples.append((time.perf_counter() - started) * 1000)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    return summary(samples)


def dir_size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True, help="UNGDC tarball (UNGDC_1946-2024.tgz)")
    parser.add_argument("--data-dir", default=str(ROOT / "data" / "search-bench"))
    parser.add_argument("--limit", type=int, default=None, help="Only the first N speeches (smoke runs)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="Reuse an existing imported database")
    parser.add_argument("--skip-build", action="store_true", help="With --keep: reuse the index too")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        sys.exit(f"No corpus at {corpus}")
    data_dir = Path(args.data_dir)
    if data_dir.exists() and not args.keep:
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    setup_django(data_dir)

    from django.conf import settings
    from django.core.management import call_command

    from archive.models import IndexTask, Speech

    report = {
        "corpus": str(corpus),
        "machine": f"{os.cpu_count()} cores, {_memory()}, Python {platform.python_version()}, {platform.system()}",
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    call_command("migrate", verbosity=0)
    if not (args.keep and Speech.objects.exists()):
        started = time.perf_counter()
        report["importer"] = import_corpus(corpus, args.limit)
        seconds = time.perf_counter() - started
        count = Speech.objects.published().count()
        report["import"] = {"speeches": count, "seconds": round(seconds, 1), "per_second": round(count / seconds, 1)}
    IndexTask.objects.all().delete()  # the rebuild below covers everything the import queued
    report["speeches"] = Speech.objects.published().count()

    started = time.perf_counter()
    index_path = settings.HAYSTACK_CONNECTIONS["default"]["PATH"]
    if not (args.keep and args.skip_build):
        call_command("rebuild_index", interactive=False, workers=args.workers)
    report["index_build"] = {
        "seconds": round(time.perf_counter() - started, 1) if not args.skip_build else None,
        "size_mb": round(dir_size(index_path) / 1e6, 1),
    }
    report["load_average_before_queries"] = round(os.getloadavg()[0], 2)
    report["search"] = measure_searches()
    report["load_average_after_queries"] = round(os.getloadavg()[0], 2)
    report["publish_to_searchable"] = measure_publish_latency(data_dir)
    report["workers"] = args.workers or os.cpu_count()
    write_report(report, corpus, args.limit, args.workers)


def _memory():
    try:
        with open("/proc/meminfo") as handle:
            kb = int(handle.readline().split()[1])
        return f"{kb / 1024 / 1024:.0f} GiB"
    except OSError:
        return "unknown memory"


def write_report(report, corpus, limit, workers=None):
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"search_bench_{corpus.stem.split('.')[0]}{'_' + str(limit) if limit else ''}"
    name += f"_workers{workers}" if workers else ""
    name += "_queries" if report["index_build"]["seconds"] is None else ""
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    search = report["search"]
    page = search["search page (query + all facets + 20 highlighted, test client)"]
    lines = [
        f"Corpus: {corpus.name}, {report['speeches']} published speeches; {report['machine']}; {report['database']}.",
        "",
        "| measure | result | target |",
        "| --- | --- | --- |",
    ]
    if "import" in report:
        imp = report["import"]
        rate = f"{imp['speeches']} speeches in {imp['seconds']} s ({imp['per_second']}/s)"
        lines.append(f"| import ({report['importer']}) | {rate} | |")
    build = report["index_build"]
    built = f"{build['seconds']} s, {build['size_mb']} MB" if build["seconds"] is not None else "not rebuilt"
    lines.append(f"| index build (rebuild_index, {report['workers']} processes) | {built} | < 600 s |")
    for key, value in search.items():
        if key.startswith("_"):
            continue
        target = "p50 < 60 ms, p95 < 250 ms" if key.startswith("search page") else ""
        lines.append(
            f"| {key} ({value['n']} queries) | p50 {value['p50_ms']} ms, p95 {value['p95_ms']} ms | {target} |"
        )
    pub = report["publish_to_searchable"]
    lines.append(
        f"| publish to searchable ({pub['n']} runs) | p50 {pub['p50_ms']} ms, max {pub['max_ms']} ms | < 5 s |"
    )
    met = {
        "build": build["seconds"] is not None and build["seconds"] < 600,
        "page p50": page["p50_ms"] < 60,
        "page p95": page["p95_ms"] < 250,
        "publish": pub["max_ms"] < 5000,
    }
    lines += [
        "",
        f"Load average (1 min) before/after the queries: {report.get('load_average_before_queries')} / "
        f"{report.get('load_average_after_queries')}.",
    ]
    lines += ["", "Targets met: " + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in met.items()) + "."]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
