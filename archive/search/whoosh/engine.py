"""The archive's index interface (``archive.search.engine.IndexEngine``) on Whoosh."""

import sys
from contextlib import contextmanager

from haystack.utils import get_model_ct

from archive.search.engine import HASH_FIELD, Changes, IndexEngine, SearchUnavailable


class WhooshChanges(Changes):
    def __init__(self, backend):
        super().__init__(backend)
        self.documents, self.removals = [], []

    def write(self, document):
        self.documents.append(document)

    def remove(self, identifiers):
        self.removals.extend(identifiers)


class WhooshIndex(IndexEngine):
    name = "whoosh"
    escapes_highlights = True  # archive.search.whoosh.highlighting escapes the text, adds only <mark>

    @contextmanager
    def changes(self):
        # The writer lock first: whatever the block reads from the database is written before any
        # other process can write (IndexLocked if another one holds it past the timeout).
        writer = self.backend.writer()
        changes = WhooshChanges(self.backend)
        try:
            yield changes
            self.backend.write_batch(writer, changes.documents, changes.removals)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def rebuilding(self, *, procs=None, lock_timeout=600):
        from archive.search.whoosh.rebuild import WhooshRebuild

        return WhooshRebuild(self.backend, procs=procs, lock_timeout=lock_timeout)

    def problem(self, thorough=False):
        return self.backend.index_problem(thorough=thorough)

    def stamp(self):
        stamp = self.backend.index_stamp()
        return None if stamp is None else ("whoosh", stamp)

    def indexed_hashes(self, model):
        return self.backend.indexed_hashes().get(get_model_ct(model), {})

    def content_hash(self, search_index, obj):
        if not self.backend.setup_complete:
            self.backend.setup()
        document = self.backend.prepare_document(search_index, obj)
        return None if document is None else document.get(HASH_FIELD)

    @classmethod
    def is_unavailable(cls, exception):
        return isinstance(exception, SearchUnavailable) or cls.raised_by_engine(exception)

    @classmethod
    def raised_by_engine(cls, exception):
        """True when the innermost frame outside the standard library is Whoosh's own code.

        An index deleted or corrupted under a running site makes Whoosh raise whatever reading garbage
        gives (struct.error, OSError, EOFError, UnpicklingError ...) until the index worker has rebuilt
        it; the fault drill (bench/fault_drill.py) saw these as 500s. They mean the index is
        unreadable, not a bug in a page, so they answer 503 like any part that is down (and are logged).
        """
        frames = []
        traceback = exception.__traceback__
        while traceback is not None:
            frames.append(traceback.tb_frame.f_globals.get("__name__", ""))
            traceback = traceback.tb_next
        for module in reversed(frames):
            top = module.partition(".")[0]
            if top in sys.stdlib_module_names:
                continue
            return top == "whoosh"
        return False
