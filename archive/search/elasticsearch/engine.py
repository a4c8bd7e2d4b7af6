"""The archive's index interface (``archive.search.engine.IndexEngine``) on Elasticsearch 7.

- ``changes()``: one bulk request (index and delete actions) and a refresh, so the next search sees
  them; a lock in Django's ``search`` cache (Redis, or files) keeps two writers - or a writer and a
  rebuild - from interleaving, as Whoosh's writer lock does.
- ``rebuilding()``: a new concrete index (``<name>-<time>``) is filled, refreshed, then put behind the
  alias ``<name>`` in one atomic alias change; the old index answers searches until then and is
  deleted after.
- ``stamp()``: a generation number kept in the ``search`` cache, moved on by every write through this
  interface (writes never go around it), so cached answers are keyed by it across workers.
- ``problem()``: the server cannot be reached, the index is missing, or it was not built by this
  release (``_meta.archive_schema``).
"""

import time
import uuid
from contextlib import contextmanager

from haystack.utils import get_model_ct

from archive.search.engine import HASH_FIELD, Changes, IndexEngine, IndexLocked, SearchUnavailable

LOCK_TIMEOUT = 30  # seconds a writer waits for another one
LOCK_EXPIRY = 3600  # a crashed writer's lock is gone after this (a rebuild renews nothing: keep it long)


def _cache():
    from django.core.cache import caches

    return caches["search"]


class ElasticsearchChanges(Changes):
    def __init__(self, backend):
        super().__init__(backend)
        self.actions = []

    def write(self, document):
        self.actions.append(document)

    def remove(self, identifiers):
        self.actions.extend({"_op_type": "delete", "_id": identifier} for identifier in identifiers)


class ElasticsearchRebuild:
    def __init__(self, engine, lock_timeout):
        self.engine = engine
        self.backend = engine.backend
        self.lock_timeout = lock_timeout

    def __enter__(self):
        self.lock = self.engine.lock(self.lock_timeout)
        self.lock.__enter__()
        try:
            backend = self.backend
            self.new = f"{backend.index_name}-{time.time_ns()}"
            body = backend.index_body()
            backend.conn.indices.create(index=self.new, settings=body["settings"], mappings=body["mappings"])
        except BaseException as error:
            self.lock.__exit__(type(error), error, error.__traceback__)
            raise
        return self

    def add(self, search_index, objects):
        from elasticsearch.helpers import bulk

        documents = [d for d in (self.backend.prepare_document(search_index, obj) for obj in objects) if d]
        if documents:
            bulk(self.backend.conn, documents, index=self.new, refresh=False)
        return len(documents)

    def __exit__(self, exc_type, exc, traceback):
        conn, name = self.backend.conn, self.backend.index_name
        try:
            if exc_type is not None:
                conn.indices.delete(index=self.new, ignore=404)
                return False
            conn.indices.refresh(index=self.new)
            actions = [{"add": {"index": self.new, "alias": name}}]
            old = []
            if conn.indices.exists_alias(name=name):
                old = list(conn.indices.get_alias(name=name))
                actions = [{"remove": {"index": index, "alias": name}} for index in old] + actions
            elif conn.indices.exists(index=name):
                actions.insert(0, {"remove_index": {"index": name}})  # a concrete index of that name
            conn.indices.update_aliases(body={"actions": actions})
            for index in old:
                conn.indices.delete(index=index, ignore=404)
            self.engine.advance()
        finally:
            self.lock.__exit__(exc_type, exc, traceback)
        self.backend.setup_complete = False
        return False


class ElasticsearchIndex(IndexEngine):
    name = "elasticsearch"
    escapes_highlights = False  # results.py escapes them, keeping only the <mark> tags

    def _key(self, what):
        return f"search-engine-{what}:{self.backend.index_name}"

    @contextmanager
    def lock(self, timeout=LOCK_TIMEOUT):
        token = uuid.uuid4().hex
        key = self._key("lock")
        deadline = time.monotonic() + timeout
        while not _cache().add(key, token, timeout=LOCK_EXPIRY):
            if time.monotonic() > deadline:
                name = self.backend.index_name
                raise IndexLocked(f"The search index {name} stayed locked for {timeout:.0f} s; nothing was written.")
            time.sleep(0.05)
        try:
            yield
        finally:
            if _cache().get(key) == token:
                _cache().delete(key)

    def advance(self):
        """Move the generation on: every cached answer of the old one is no longer used."""
        key = self._key("generation")
        _cache().add(key, time.time_ns(), timeout=None)
        try:
            _cache().incr(key)
        except ValueError:  # evicted between add and incr
            _cache().set(key, time.time_ns(), timeout=None)

    @contextmanager
    def changes(self):
        from elasticsearch.helpers import bulk

        with self.lock():
            changes = ElasticsearchChanges(self.backend)
            yield changes
            if changes.actions:
                if not self.backend.setup_complete:
                    self.backend.setup()
                bulk(
                    self.backend.conn,
                    changes.actions,
                    index=self.backend.index_name,
                    refresh=True,
                    ignore_status=(404,),  # removing what is not there is done
                )
            self.advance()

    def rebuilding(self, *, procs=None, lock_timeout=600):
        return ElasticsearchRebuild(self, lock_timeout)

    def problem(self, thorough=False):
        from archive.search.elasticsearch.backend import SCHEMA_VERSION

        name = self.backend.index_name
        try:
            if not self.backend.conn.indices.exists(index=name):
                return f"there is no index {name} on the search server"
            mappings = self.backend.conn.indices.get_mapping(index=name)
            meta = [body.get("mappings", {}).get("_meta", {}) for body in mappings.values()]
            if not meta or any(m.get("archive_schema") != SCHEMA_VERSION for m in meta):
                return f"the index {name} was not built by this release (needs {SCHEMA_VERSION!r})"
            if thorough:
                self.backend.conn.count(index=name)
        except Exception as error:  # noqa: BLE001 - unreachable, refused, timed out ...
            return f"the search server cannot be asked about {name}: {type(error).__name__}: {error}"
        return None

    def stamp(self):
        key = self._key("generation")
        try:
            # A generation that was never set (or was evicted) starts anew: no earlier answer matches it.
            _cache().add(key, time.time_ns(), timeout=None)
            generation = _cache().get(key)
        except Exception:  # noqa: BLE001 - no cache: no cached answers
            return None
        return None if generation is None else ("elasticsearch", self.backend.index_name, generation)

    def indexed_hashes(self, model):
        from elasticsearch.helpers import scan

        query = {"query": {"term": {"django_ct": get_model_ct(model)}}, "_source": ["django_id", HASH_FIELD]}
        return {
            str(hit["_source"]["django_id"]): hit["_source"].get(HASH_FIELD)
            for hit in scan(self.backend.conn, query=query, index=self.backend.index_name)
        }

    def content_hash(self, search_index, obj):
        document = self.backend.prepare_document(search_index, obj)
        return None if document is None else document[HASH_FIELD]

    @classmethod
    def is_unavailable(cls, exception):
        if isinstance(exception, SearchUnavailable):
            return True
        try:
            import elasticsearch
        except ImportError:
            return False
        if isinstance(exception, elasticsearch.ConnectionError):
            return True
        status = getattr(exception, "status_code", None)
        return isinstance(exception, elasticsearch.TransportError) and isinstance(status, int) and status >= 500

    @classmethod
    def raised_by_engine(cls, exception):
        try:
            import elasticsearch
        except ImportError:
            return False
        return isinstance(exception, elasticsearch.ElasticsearchException)
