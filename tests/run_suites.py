"""`make test`: the whole suite on SQLite, then again on PostgreSQL when it answers.

`make test-fast` (``--fast``): SQLite only, without the tests marked slow (browser and corpus tests are).

REQUIRE_POSTGRES=1 turns a missing PostgreSQL server into a failure (CI sets it); otherwise the
PostgreSQL pass is skipped with a clear message. Extra arguments go to pytest.
"""

import os
import subprocess
import sys
import tempfile
import time

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/archive")


def postgres_answers(url):
    try:
        import psycopg

        dsn = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(dsn.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return True, ""
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        return False, str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def run_pass(name, database_url, extra_args):
    with tempfile.TemporaryDirectory(prefix=f"archive-test-{name}-") as data_dir:
        env = dict(os.environ, ARCHIVE_DATA_DIR=data_dir, DJANGO_DEBUG="1", TEST_DATABASE_NAME=name)
        if database_url:
            env["DATABASE_URL"] = database_url
        else:
            env.pop("DATABASE_URL", None)
        print(f"\n=== test pass: {name} ===", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", "pytest", *extra_args], env=env)
        print(f"=== {name}: exit {code} in {time.monotonic() - started:.0f} s ===", flush=True)
        return code


FAST = ["-m", "not slow"]


def main(argv):
    if "--fast" in argv:
        # `make test-fast`: one SQLite pass without the slow tests.
        args = [a for a in argv if a != "--fast"]
        return run_pass("sqlite", None, [*FAST, *args])
    results = {"sqlite": run_pass("sqlite", None, argv)}
    available, reason = postgres_answers(POSTGRES_URL)
    if available:
        results["postgresql"] = run_pass("postgresql", POSTGRES_URL, argv)
    elif os.environ.get("REQUIRE_POSTGRES") == "1":
        print(f"\nFAIL: REQUIRE_POSTGRES=1 but PostgreSQL at {POSTGRES_URL} does not answer: {reason}")
        results["postgresql"] = 1
    else:
        print(f"\nSKIPPED the PostgreSQL pass: {POSTGRES_URL} does not answer ({reason}).")
    failed = [name for name, code in results.items() if code != 0]
    print("\nSummary: " + ", ".join(f"{name} {'ok' if code == 0 else 'FAILED'}" for name, code in results.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
