"""A real reverse proxy: Debian's nginx, with deploy/nginx/archive-proxy-params.conf, in front of gunicorn.

gunicorn runs with production settings (DEBUG off, SSL redirect on, TRUSTED_PROXIES=127.0.0.2) on
the test database; nginx terminates TLS (a throw-away certificate) and connects to gunicorn from
127.0.0.2 (``proxy_bind``). Clients connect from other loopback addresses (127.0.0.3, 127.0.0.4),
so each has an address of its own, and a "direct" client talks to gunicorn from 127.0.0.1.

Skipped with the reason when nginx (apt-get install nginx) or openssl is missing; REQUIRE_NGINX=1
(as .ci/run sets) makes that a failure.
"""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings as django_settings

# slow: nginx and gunicorn in processes of their own
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "deploy" / "nginx" / "archive-proxy-params.conf"
SAMPLE = ROOT / "deploy" / "nginx" / "archive.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PROXY_ADDRESS = "127.0.0.2"
EXPORT_LIMIT = 3


def _missing_reason():
    if not Path(NGINX).exists():
        return "nginx not found (apt-get install nginx)"
    if not shutil.which("openssl"):
        return "openssl not found (apt-get install openssl)"
    return None


def _require_nginx():
    reason = _missing_reason()
    if reason:
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail(f"REQUIRE_NGINX=1 but {reason}")
        pytest.skip(reason)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


def _certificate(directory):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "2"]
        + ["-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return directory / "cert.pem", directory / "key.pem"


def _database_url():
    db = django_settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Stack:
    def __init__(self, tmp, static_root):
        self.tmp = tmp
        self.static_root = static_root
        self.processes = []
        self.gunicorn_port, self.https_port, self.http_port = _free_port(), _free_port(), _free_port()

    def start(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL", "SEARCH_URL"))}
        env.update(
            DATABASE_URL=_database_url(),
            ARCHIVE_DATA_DIR=str(self.tmp / "data"),
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="proxy-test-" + "s" * 50,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            TRUSTED_PROXIES=PROXY_ADDRESS,
            RATE_LIMIT_EXPORT=str(EXPORT_LIMIT),
            DATABASE_CONN_MAX_AGE="0",
            PYTHONUNBUFFERED="1",
            STATIC_ROOT=str(self.static_root),
        )
        self.gunicorn_log = open(self.tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed in stop()
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "archive.wsgi:application"]
            + ["--bind", f"127.0.0.1:{self.gunicorn_port}", "--workers", "2", "--access-logfile", "-"],
            cwd=ROOT,  # gunicorn.conf.py there: forwarded_allow_ips from TRUSTED_PROXIES
            env=env,
            stdout=self.gunicorn_log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(gunicorn)
        cert, key = _certificate(self.tmp)
        temp = self.tmp / "nginx-temp"
        temp.mkdir()
        temp.chmod(0o777)
        conf = self.tmp / "nginx.conf"
        conf.write_text(
            f"""
pid {self.tmp}/nginx.pid;
error_log {self.tmp}/nginx-error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream archive_app {{ server 127.0.0.1:{self.gunicorn_port}; keepalive 4; }}
    server {{
        listen 127.0.0.1:{self.https_port} ssl;
        listen 127.0.0.1:{self.http_port};
        server_name localhost;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{
            proxy_pass http://archive_app;
            proxy_bind {PROXY_ADDRESS};
            include {PARAMS};
        }}
    }}
}}
"""
        )
        nginx = subprocess.Popen(
            [NGINX, "-e", str(self.tmp / "nginx-error.log"), "-p", str(self.tmp), "-c", str(conf)]
            + ["-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.processes.append(nginx)
        _wait_for_port(self.gunicorn_port, gunicorn)
        _wait_for_port(self.https_port, nginx)

    def access_log(self):
        time.sleep(0.5)  # gunicorn writes the line after the response
        return (self.tmp / "gunicorn.log").read_text()

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.gunicorn_log.close()

    def request(self, path, *, client="127.0.0.3", via="https", method="GET", headers=None, body=None):
        """One request; returns (status, headers as a dict of lists, body text)."""
        if via == "https":
            context = ssl._create_unverified_context()  # noqa: S323 - the test's own throw-away certificate
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, source_address=(client, 0), context=context, timeout=60
            )
            host = f"localhost:{self.https_port}"
        elif via == "http":
            connection = http.client.HTTPConnection("127.0.0.1", self.http_port, source_address=(client, 0), timeout=60)
            host = f"localhost:{self.http_port}"
        else:  # straight to gunicorn, as a client that found its port
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.gunicorn_port, source_address=(client, 0), timeout=60
            )
            host = f"localhost:{self.gunicorn_port}"
        try:
            connection.request(method, path, body=body, headers={"Host": host, **(headers or {})})
            response = connection.getresponse()
            collected = {}
            for name, value in response.getheaders():
                collected.setdefault(name.lower(), []).append(value)
            return response.status, collected, response.read().decode("utf-8", "replace")
        finally:
            connection.close()


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production settings serve hashed static files (whitenoise's manifest): collected once."""
    _require_nginx()
    root = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="s" * 50, STATIC_ROOT=str(root))
    env.setdefault("ARCHIVE_DATA_DIR", str(root.parent))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    return root


@pytest.fixture
def stack(tmp_path, static_root, transactional_db, reference_data):
    _require_nginx()
    stack = Stack(tmp_path, static_root)
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in log, log[-3000:]


def _inside_one_rate_window():
    """Rate windows are whole minutes: start a counting sequence with time to spare in the current one."""
    if time.time() % 60 > 45:
        time.sleep(61 - time.time() % 60)


def test_each_client_behind_the_proxy_has_its_own_limit_and_cannot_spoof_another(stack):
    _inside_one_rate_window()
    path = "/statements/?format=csv"
    first = [stack.request(path, client="127.0.0.3")[0] for _ in range(EXPORT_LIMIT + 1)]
    assert first == [200] * EXPORT_LIMIT + [429]
    # Another client through the same proxy is not affected ...
    assert stack.request(path, client="127.0.0.4")[0] == 200
    # ... and the limited one cannot get out by naming someone else: nginx appends the real address.
    spoofed = stack.request(path, client="127.0.0.3", headers={"X-Forwarded-For": "198.51.100.99"})
    assert spoofed[0] == 429


def test_a_direct_client_cannot_spoof_forwarded_headers(stack):
    spoof = {"X-Forwarded-For": "198.51.100.66", "X-Forwarded-Proto": "https"}
    # Production settings redirect plain HTTP: X-Forwarded-Proto from a direct client means nothing.
    status, headers, _ = stack.request("/statements/?format=csv", client="127.0.0.5", via="direct", headers=spoof)
    assert status == 301 and headers["location"][0].startswith("https://")
    # Its X-Forwarded-For means nothing either: the log names the client as the archive sees it.
    stack.request("/statements/?format=csv", client="127.0.0.3", headers=spoof)  # through nginx
    log = stack.access_log()
    assert re.search(r"^127\.0\.0\.5 .*GET /statements/\?format=csv HTTP/1\.1\" 301", log, re.M), log
    assert re.search(r"^127\.0\.0\.3 .*GET /statements/\?format=csv HTTP/1\.1\" 200", log, re.M), log
    assert "198.51.100.66" not in log and not re.search(r"^127\.0\.0\.2 ", log, re.M)


def test_https_is_detected_only_through_the_proxy(stack):
    status, headers, _ = stack.request("/", via="https")
    assert status == 200
    assert "max-age=" in headers["strict-transport-security"][0]
    assert "preload" not in headers["strict-transport-security"][0]
    status, headers, _ = stack.request("/", via="http")  # nginx's plain listener says http
    assert status == 301 and headers["location"][0].startswith("https://")
    status, headers, _ = stack.request("/", via="direct", headers={"X-Forwarded-Proto": "https"})
    assert status == 301 and headers["location"][0].startswith("https://")


def _login(stack, client, password):
    status, headers, page = stack.request("/admin/login/", client=client)
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = next(c.split(";", 1)[0] for c in headers["set-cookie"] if c.startswith("csrftoken="))
    origin = f"https://localhost:{stack.https_port}"
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "editor", "password": password, "next": "/admin/"}
    )
    status, headers, _ = stack.request(
        "/admin/login/",
        client=client,
        method="POST",
        body=body,
        headers={
            "Cookie": cookie,
            "Origin": origin,
            "Referer": origin + "/admin/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    return status, headers


def test_a_lockout_through_the_proxy_locks_out_only_the_attacker(stack, editor):
    for _ in range(5):
        assert _login(stack, "127.0.0.3", "wrong")[0] in (200, 429)
    assert _login(stack, "127.0.0.3", "correct-horse-battery")[0] == 429  # the attacker is locked out
    status, headers = _login(stack, "127.0.0.4", "correct-horse-battery")  # the editor, elsewhere
    assert status == 302 and headers["location"][0] == "/admin/"


def test_the_sample_site_configuration_is_valid_nginx(tmp_path):
    _require_nginx()
    cert, key = _certificate(tmp_path)
    site = (
        SAMPLE.read_text()
        .replace("/etc/letsencrypt/live/archive.example.org/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/archive.example.org/privkey.pem", str(key))
        .replace("/etc/nginx/snippets/archive-proxy-params.conf", str(PARAMS))
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [NGINX, "-t", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
