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


NGINX_PARAMS = ROOT / "deploy" / "nginx" / "archive-proxy-params.conf"
PROXY_BIND = "127.0.0.2"  # nginx connects to gunicorn from here: set TRUSTED_PROXIES to it


def start_nginx(directory, listen_port, upstream_port):
    """Debian's nginx on 127.0.0.1:listen_port (plain HTTP) in front of gunicorn, with the repository's
    proxy parameters (deploy/nginx/), connecting from PROXY_BIND. Returns the process (stop it with
    terminate())."""
    import shutil

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    directory = Path(directory)
    temp = directory / "nginx-temp"
    temp.mkdir(parents=True, exist_ok=True)
    temp.chmod(0o777)
    conf = directory / "nginx.conf"
    conf.write_text(
        f"""pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream archive_app {{ server 127.0.0.1:{upstream_port}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{listen_port};
        location / {{
            proxy_pass http://archive_app;
            proxy_bind {PROXY_BIND};
            include {NGINX_PARAMS};
        }}
    }}
}}
"""
    )
    return subprocess.Popen(
        [nginx, "-e", str(directory / "nginx-error.log"), "-p", str(directory), "-c", str(conf), "-g", "daemon off;"]
    )
