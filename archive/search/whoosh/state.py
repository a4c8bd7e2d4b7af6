"""What a process keeps per Whoosh index directory: one opened index and searcher, and caches.

The searcher is refreshed only when a commit changed the index (or a rebuild replaced the directory);
facet values and field lengths are read once per segment (segments never change their documents);
filters and recent results are kept per searcher. ``index_stamp`` says whether the directory changed
from file metadata alone.
"""

import os
import threading
from collections import OrderedDict

from whoosh.scoring import BM25F

RESULT_CACHE_SIZE = 64


class Shared:
    """One opened index and one searcher per index directory, for the whole process."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.RLock()
        self.index = None
        self.searcher = None
        self.inode = None
        self.facet_values = {}
        self.words = {}  # (segment id, field, initial) -> the segment's single words with that initial
        self.filters = {}
        self.results = OrderedDict()  # (query, filters, sort, facets) -> hits, ranked page, facets


_SHARED = {}
_SHARED_LOCK = threading.Lock()


def shared_state(path):
    with _SHARED_LOCK:
        return _SHARED.setdefault(os.path.abspath(path), Shared(path))


def clear_result_caches():
    """Forget every kept search result (the bench measures pages as if never asked before)."""
    with _SHARED_LOCK:
        for shared in _SHARED.values():
            shared.results.clear()


def forget_shared_state(path):
    with _SHARED_LOCK:
        _SHARED.pop(os.path.abspath(path), None)


def index_stamp(path):
    """What the index directory looks like, from file metadata only (no file is opened): the
    directory's inode and every file's name, size and modification time. Any commit, rebuild,
    deletion or overwrite changes it; an idle index keeps it, so checking it costs a few stats."""
    try:
        directory = os.stat(path)
        files = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path))
    except FileNotFoundError:
        return None
    return directory.st_ino, directory.st_mtime_ns, tuple(files)


def inode(path):
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def segment_values(shared, reader, fieldobj, fieldname):
    """Facet values per document of one segment, read once and kept while the segment lives.

    Segments never change their documents (deletions are masked by the search), so the values read
    for a segment stay right until a merge removes it; new segments from the worker's commits are
    small and cheap to read.
    """
    segment = reader.segment() if hasattr(reader, "segment") else None
    key = (segment.segment_id() if segment is not None else id(reader), fieldname)
    cache = shared.facet_values
    values = cache.get(key)
    if values is None:
        if len(cache) > 256:
            cache.clear()  # merged-away segments
        values = [()] * reader.doc_count_all()
        from_bytes = fieldobj.from_bytes
        for btext in reader.lexicon(fieldname):
            text = from_bytes(btext)
            for docid in reader.postings(fieldname, btext).all_ids():
                values[docid] = (*values[docid], text)
        cache[key] = values
    return values


def surface_words(shared, searcher, fieldname, initial):
    """Every single word (not a common-gram pair) of a field that starts with ``initial``.

    Read per segment and kept while the segment lives, like facet values: "Did you mean" then
    compares a word with a few thousand candidates in memory instead of walking the field's whole
    lexicon (pairs included) through Whoosh's pure-Python edit distance on every query - 1.5 s per
    word on the full UNGDC.
    """
    words = set()
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        segment = reader.segment() if hasattr(reader, "segment") else None
        key = (segment.segment_id(), fieldname, initial) if segment is not None else None
        found = shared.words.get(key) if key else None
        if found is None:
            if len(shared.words) > 4096:
                shared.words.clear()  # merged-away segments
            found = tuple(term.decode("utf-8") for term in reader.expand_prefix(fieldname, initial) if b" " not in term)
            if key:
                shared.words[key] = found
        words.update(found)
    return words


class CachedLengthsBM25F(BM25F):
    """Whoosh's BM25F with each segment's document lengths read once into a list and kept.

    The scores are the same numbers: the stock scorer reads the same lengths, one column lookup
    (four Python calls) per hit.
    """

    def __init__(self, shared, **kwargs):
        super().__init__(**kwargs)
        self.shared = shared

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if hasattr(scorer, "dfl"):
            lengths = segment_lengths(self.shared, searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


def segment_lengths(shared, reader, fieldname):
    """Every document's length of one field in one segment (as ``doc_field_length`` reads it)."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is None:
        return None  # several segments (document numbers are not one segment's), or not on disk yet
    key = (segment.segment_id(), "length:" + fieldname)
    cache = shared.facet_values
    lengths = cache.get(key)
    if lengths is None:
        if len(cache) > 256:
            cache.clear()
        field_length = reader.doc_field_length
        lengths = cache[key] = [field_length(docnum, fieldname, 1) for docnum in range(reader.doc_count_all())]
    return lengths
