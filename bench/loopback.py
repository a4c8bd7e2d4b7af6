"""What the loopback benchmarks share: a production-like environment for gunicorn and manage.py."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def production_env(database_url, data_dir, secret):
    """DEBUG off, no TLS (loopback), no rate limits: the benchmark is the only client."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        RATE_LIMIT_SEARCH="0",
        RATE_LIMIT_EXPORT="0",
        API_RATE_LIMIT="1000000/minute",
        LOG_LEVEL="WARNING",
    )
    env.pop("SEARCH_URL", None)
    return env


def manage(env, *args, capture=False, check=True, timeout=3600):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, text=True, capture_output=capture, check=check, timeout=timeout
    )
