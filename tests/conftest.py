import os
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def seed(db):
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
def editor(db, django_user_model):
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
