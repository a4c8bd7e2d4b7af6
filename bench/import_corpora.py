"""Time the corpus imports on SQLite and PostgreSQL; write bench/results/import_corpora.{json,md}.

    .venv/bin/python bench/import_corpora.py [--shared /work/shared] [--postgres postgres://postgres@127.0.0.1:5432/corpora_bench]

Each database starts empty (a scratch SQLite file; the PostgreSQL database is dropped and created),
runs the migrations, then: the full UN General Debate Corpus, the same again (the idempotent
re-run), and the UNSC sample meetings. Debug is off, as in production.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(
    r"(?P<read>\d+) speeches read in [\d.]+ s \((?P<rate>\d+)/s\): (?P<created>\d+) created, (?P<updated>\d+) updated, "
    r"(?P<unchanged>\d+) unchanged, (?P<failed>\d+) failed; (?P<speakers>\d+) speakers created, "
    r"(?P<aliases>\d+) aliases added, (?P<events>\d+) events created"
)


def manage(env, *args):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    match = SUMMARY.search(result.stdout)
    if result.returncode != 0 and not match:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    row = {k: int(v) for k, v in match.groupdict().items()} if match else {}
    row["wall_seconds"] = round(seconds, 1)
    return row


def reset_postgres(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def run_database(label, database_url, shared):
    data_dir = Path(tempfile.mkdtemp(prefix=f"corpora-bench-{label}-"))
    env = dict(os.environ, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(32), ALLOWED_HOSTS="localhost")
    env["ARCHIVE_DATA_DIR"] = str(data_dir)
    env.pop("DATABASE_URL", None)
    if database_url:
        reset_postgres(database_url)
        env["DATABASE_URL"] = database_url
    try:
        manage(env, "migrate", "-v0")
        ungdc = [str(shared / "data/ungdc/UNGDC_1946-2024.tgz"), "--speakers"]
        ungdc.append(str(shared / "data/ungdc/Speakers_by_session.xlsx"))
        rows = {
            "UNGDC full, first run": manage(env, "import_ungdc", *ungdc, "--no-progress"),
            "UNGDC full, re-run": manage(env, "import_ungdc", *ungdc, "--no-progress"),
            "UNSC sample (3 meetings)": manage(
                env, "import_unsc", str(shared / "data/unsc-2020-sample"), "--no-progress"
            ),
        }
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=os.environ.get("ARCHIVE_SHARED_DIR", str(ROOT.parent / "shared")))
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/corpora_bench")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    shared = Path(args.shared)
    results = {
        "machine": f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}",
        "databases": {"sqlite": run_database("sqlite", None, shared)},
    }
    if not args.skip_postgres:
        results["databases"]["postgresql"] = run_database("postgresql", args.postgres, shared)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "import_corpora.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = [
        f"Machine: {results['machine']}",
        "",
        "| database | run | speeches | created | unchanged | failed | speakers created | aliases added "
        "| import s | speeches/s | wall s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for database, rows in results["databases"].items():
        for run, r in rows.items():
            seconds = r["read"] / r["rate"] if r.get("rate") else 0
            lines.append(
                f"| {database} | {run} | {r['read']} | {r['created']} | {r['unchanged']} | {r['failed']} "
                f"| {r['speakers']} | {r['aliases']} | {seconds:.1f} | {r['rate']} | {r['wall_seconds']} |"
            )
    (out / "import_corpora.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
