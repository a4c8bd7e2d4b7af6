import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_collection_modifyitems(items):
    """Browser tests and the real-corpus tests are slow too: `make test-fast` leaves out `slow` alone."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("corpus"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """One fast hasher in-process (Django's advice for tests): the production hasher costs a second
    of CPU per account or login. Slow tests keep it: their subprocesses (gunicorn behind nginx, the
    restore command) read the production settings and must verify the same hashes."""
    if request.node.get_closest_marker("slow") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and lockouts live in the cache; each test starts without any."""
    from django.core.cache import caches

    from archive.search import results

    for alias in ("default", "search"):
        caches[alias].clear()
    results._names["generation"] = None  # the facet names a process keeps (rolled-back renames too)
    yield


@pytest.fixture
def reference_data(db):
    """Countries, bodies, topics and the Editors group, as the data migration loads them.

    Transactional tests (live server, browser) empty every table after each test, so the data the
    migrations loaded is put back here when it is missing.
    """
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from archive.data import reference
    from archive.models import Country

    if not Country.objects.exists():
        reference.load_countries(apps, None)
        reference.load_vocabularies(apps, None)
    group, created = Group.objects.get_or_create(name=reference.EDITOR_GROUP)
    if created:
        codenames = reference.EDITOR_PERMISSIONS
        group.permissions.set(Permission.objects.filter(content_type__app_label="archive", codename__in=codenames))


@pytest.fixture
def seed(reference_data):
    """The seed statement (Zhang Jun, Security Council, 6 August 2020) loaded from fixtures/."""
    call_command("loaddata", "fixtures/seed.json", verbosity=0)
    from archive.models import Speech

    return Speech.objects.get(pk=1)


@pytest.fixture
def search_index(tmp_path, settings):
    """A fresh Whoosh index on disk for one test."""
    from haystack import connections

    path = tmp_path / "whoosh"
    settings.HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": settings.HAYSTACK_CONNECTIONS["default"]["ENGINE"], "PATH": str(path)}
    }
    connections.reload("default")
    yield path
    connections.reload("default")
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def editor(reference_data, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", "editor@example.org", "correct-horse-battery", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def database_vendor():
    return settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]


@pytest.fixture
def frozen_rate_window(monkeypatch):
    """Rate-limit windows are whole minutes: keep a test's requests inside one, wherever the clock is."""
    import types

    from archive import ratelimit

    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0))


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) in this process; Django's SMTP backend sends to it."""
    from tests.mailserver import SMTPServer

    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.hostname
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.SITE_URL = "http://testserver"
    yield server
    server.stop()
