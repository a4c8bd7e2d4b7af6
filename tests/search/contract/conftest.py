"""The engines the contract suite runs on: Whoosh always, Elasticsearch 7 when TEST_ELASTICSEARCH_URL
names a server (``http://127.0.0.1:9200``); each test runs once per engine, with the same assertions.

Each Elasticsearch test gets its own index (``archive-contract-<random>``), deleted afterwards.
"""

import os
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

ENGINES = ["whoosh", "elasticsearch"]
NO_ELASTICSEARCH = (
    "TEST_ELASTICSEARCH_URL is not set: no Elasticsearch 7 server to run the contract against "
    "(e.g. TEST_ELASTICSEARCH_URL=http://127.0.0.1:9200)"
)


@pytest.fixture(params=ENGINES)
def engine(request, tmp_path, settings):
    """The name of the engine this test runs on, configured as the default search connection."""
    from haystack import connections

    from archive.settings import haystack_connections

    if request.param == "whoosh":
        url = f"whoosh://{tmp_path / 'whoosh'}"
    else:
        server = os.environ.get("TEST_ELASTICSEARCH_URL", "")
        if not server:
            pytest.skip(NO_ELASTICSEARCH)
        parts = urlsplit(server)
        scheme = "https" if parts.scheme == "https" else "elasticsearch"
        url = f"{scheme}://{parts.netloc}/archive-contract-{uuid.uuid4().hex[:12]}"
    original = settings.HAYSTACK_CONNECTIONS
    settings.HAYSTACK_CONNECTIONS = haystack_connections(url)
    # Haystack keeps the ENGINE it was started with unless told, and reads the options from settings.
    before, connections.connections_info = connections.connections_info, settings.HAYSTACK_CONNECTIONS
    connections.reload("default")
    yield request.param
    if request.param == "elasticsearch":
        backend = connections["default"].get_backend()
        name = backend.index_name
        if backend.conn.indices.exists_alias(name=name):
            for index in backend.conn.indices.get_alias(name=name):
                backend.conn.indices.delete(index=index, ignore=404)
        backend.conn.indices.delete(index=name, ignore=404)
    settings.HAYSTACK_CONNECTIONS, connections.connections_info = original, before
    connections.reload("default")


@pytest.fixture
def reindex(engine):
    """Rebuild the engine's index from the database, as `manage.py rebuild_index` does."""

    def run():
        call_command("rebuild_index", interactive=False, workers=1, verbosity=0)

    return run
