"""The one interface the archive's own search code uses to change and check an index, whatever engine.

Haystack gives every engine the same *query* API (``SearchQuerySet``: raw_search, narrow, facet,
order_by, highlight); ``archive/search/results.py`` uses only that. What Haystack does not give is
what a durable archive needs around it, so each engine implements this small interface instead, and
the index worker (``worker.py``), ``rebuild_index`` (``rebuild.py``), ``index_check`` (``check.py``)
and the error middleware call only this:

- ``changes()``: a batch of updates and removals applied all together or not at all (the worker
  applies the outbox through it and deletes the outbox rows only after it commits);
- ``remove(identifiers)``: remove documents now;
- ``rebuilding()``: a whole new index filled from the database, put in place at the end;
- ``problem()``: why the index cannot serve (missing, never built, unreadable), or None;
- ``stamp()``: a value that changes whenever the index content changes (result cache keys);
- ``indexed_hashes(model)`` / ``content_hash(search_index, obj)``: what ``index_check`` compares;
- ``is_unavailable(exception)``: the engine is down or unreadable (a 503), not a bug in a page.

``index_engine(using)`` returns the implementation for a Haystack connection: the Whoosh one
(``archive/search/whoosh/``) or the Elasticsearch 7 one (``archive/search/elasticsearch/``),
chosen by ``SEARCH_URL`` in the settings. Errors every engine raises are defined here.
"""

import hashlib
from contextlib import AbstractContextManager

from haystack.exceptions import SearchBackendError

# A hash of each document's indexed fields, stored in the index: index_check compares content.
HASH_FIELD = "content_hash"
# Extra copies of a statement's text, one per language of delivery (filled only for statements in that
# language, by archive/search_indexes.py); every engine analyses each with that language's stemmer.
LANGUAGE_FIELDS = {"text_fr": "fr", "text_es": "es", "text_ru": "ru"}
# Below this many hits a search also gets a "Did you mean".
FEW_HITS = 5


class SearchUnavailable(SearchBackendError):
    """The search index cannot be used right now (missing, unreadable, locked, unreachable): not a
    bug in a query. ``ServiceUnavailableMiddleware`` answers these with a 503 page naming the part
    that is down."""

    unavailable_part = "The search index"


class IndexLocked(SearchUnavailable):
    """Another process held the index writer lock for longer than the timeout."""


class IndexUnreadable(SearchUnavailable):
    """The index is missing or cannot be read at query time (or its server cannot be reached)."""


class QuerySyntaxError(SearchBackendError):
    """The search engine could not make sense of a query."""


def document_hash(document, ignore=()):
    """A digest of what a document says in the index: every field but the hash and ``ignore``
    (copies of other fields an engine adds)."""
    digest = hashlib.blake2b(digest_size=16)
    for key in sorted(document):
        if key == HASH_FIELD or key in ignore:
            continue
        digest.update(f"{key}\x1f{document[key]!r}\x1e".encode())
    return digest.hexdigest()


def prepared_fields(search_index, obj, to_engine):
    """The fields of ``obj``'s document as ``search_index`` prepares them, each converted for the engine
    by ``to_engine``, or None when the index skips the object. An empty value is no field (never the
    string "None"); Haystack's boost is not a field. The caller adds its hash and any engine extras."""
    from haystack.exceptions import SkipDocument

    try:
        prepared = search_index.full_prepare(obj)
    except SkipDocument:
        return None
    prepared.pop("boost", None)
    return {key: to_engine(value) for key, value in prepared.items() if value is not None and value not in ("", [])}


class Changes:
    """Documents to write and to remove, collected by ``IndexEngine.changes()``; an engine says how it
    holds a prepared document (``write``) and a removal (``remove``)."""

    def __init__(self, backend):
        self.backend = backend

    def update(self, search_index, objects):
        """Index these objects (each as ``search_index`` prepares it); return the pks written as strings."""
        written = set()
        for obj in objects:
            document = self.backend.prepare_document(search_index, obj)
            if document is not None:
                self.write(document)
                written.add(str(obj.pk))
        return written

    def write(self, document):
        raise NotImplementedError

    def remove(self, identifiers):
        """Remove the documents with these Haystack identifiers ("archive.speech.12")."""
        raise NotImplementedError


class IndexEngine:
    """What the archive needs from a search engine beyond Haystack's query API (see the module)."""

    name = ""
    escapes_highlights = False  # True when the engine's highlights are already safe HTML

    def __init__(self, backend):
        self.backend = backend

    def changes(self) -> AbstractContextManager[Changes]:
        """A batch, committed when the ``with`` block ends normally and discarded if it raises.

        The engine's write lock (if it has one) is held from the start of the block to the commit, so
        a caller that reads the database inside the block cannot write an older state over a newer one.
        """
        raise NotImplementedError

    def remove(self, identifiers):
        with self.changes() as changes:
            changes.remove(identifiers)

    def rebuilding(self, *, procs=None, lock_timeout=600):
        """A context whose ``add(search_index, objects)`` fills a new index; on a normal exit the new
        index replaces the live one (which answers searches meanwhile where the engine allows)."""
        raise NotImplementedError

    def problem(self, thorough=False):
        """Why the index cannot serve searches, as a sentence, or None."""
        raise NotImplementedError

    def stamp(self):
        """A hashable value that changes whenever the index content changes, or None when unknown
        (no result is cached then)."""
        return None

    def indexed_hashes(self, model):
        """{pk as string: stored content hash (None for a document without one)} of every indexed
        document of ``model``."""
        raise NotImplementedError

    def content_hash(self, search_index, obj):
        """The hash ``obj``'s document would have if it were indexed now (None: it would be skipped)."""
        raise NotImplementedError

    @classmethod
    def is_unavailable(cls, exception):
        """True when ``exception`` means this engine is down or its index unreadable (a 503)."""
        return isinstance(exception, SearchUnavailable)

    @classmethod
    def raised_by_engine(cls, exception):
        """True when the engine's own code raised ``exception`` (its traceback is logged)."""
        return False


def index_engine(using="default"):
    """The ``IndexEngine`` of a Haystack connection, from its backend's ``index_engine`` class."""
    from haystack import connections

    backend = connections[using].get_backend()
    engine_class = getattr(backend, "index_engine", None)
    if engine_class is None:
        raise SearchBackendError(
            f"The search backend {type(backend).__name__} has no archive index engine: "
            "use SEARCH_URL=whoosh://... or elasticsearch://..."
        )
    return engine_class(backend)


def _engine_class(using="default"):
    from haystack import connections

    try:
        # The backend's class, not an instance: nothing is opened or connected to classify an error.
        return getattr(connections[using].backend, "index_engine", None)
    except Exception:  # noqa: BLE001 - a broken search configuration is not the page's error to classify
        return None


def unavailable(exception, using="default"):
    """True when an exception means the configured search engine is down or its index unreadable."""
    engine_class = _engine_class(using)
    return engine_class.is_unavailable(exception) if engine_class else isinstance(exception, SearchUnavailable)


def raised_by_search_engine(exception, using="default"):
    """True when the configured search engine's own code raised ``exception``."""
    engine_class = _engine_class(using)
    return bool(engine_class and engine_class.raised_by_engine(exception))
