"""Haystack's Whoosh backend, made to scale: the only module that knows about Whoosh.

What the stock backend does and why this subclass does otherwise (measured in issue 3):

- It opens two or three searchers per query, and opening one copies the whole terms file. Here one
  searcher per index directory is kept for the process and refreshed only when a commit changed
  the index, so a query costs what its hits and its page cost.
- It stores every text field, makes it sortable and adds a spelling field. Here only the document
  text is stored (for highlighting), with character positions; display fields are stored but not
  indexed; facet fields are untokenized columns; there is no spelling field.
- It counts facets from the stemmed tokens of the ``_exact`` fields, through ``groupedby``, which
  also makes Whoosh score and sort every hit. Here facet fields are untokenized; the hits are
  recorded as they are scored and counted against each segment's facet values, read once per
  segment and cached. Filters (the model filter matches the whole index) become document sets once
  per searcher. Date facets still use ``whoosh.sorting.DateRangeFacet``.
- It drops index writes it cannot lock (only logs them). Here every write waits for the lock with a
  timeout and raises ``IndexLocked`` if it cannot get it, so the caller (the index worker) keeps
  the work and retries.
- A missing or unreadable index directory at query time raises ``IndexUnreadable``; it and
  ``IndexLocked`` are ``SearchUnavailable``, which the site answers with a 503 page, not a 500.
- Suggestions run for every query. Here only a query with no hits asks for one, from the lexicon.
- Whoosh's top-N collector replaces its matcher by the current N-th score, which turns ``a OR b``
  into ``a AND b`` and so miscounts hits and facets. Here one loop scores, ranks, counts and
  records every hit (``_RankedHits``), with each segment's field lengths read once (the scores are
  unchanged); a search's total, ranked hits and facets are kept per searcher (LRU) for its next
  pages and facet clicks; phrases of the document text are answered from a field of word pairs.
"""

import hashlib
import html
import os
import re
import shutil
import threading
from bisect import bisect_left
from collections import Counter, OrderedDict
from copy import deepcopy
from datetime import date, datetime, time
from heapq import heappush, heapreplace
from itertools import chain
from time import sleep

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_model_ct
from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS, Filter, LowercaseFilter, RegexTokenizer, StemFilter, Token
from whoosh.fields import DATETIME, KEYWORD, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.highlight import PinpointFragmenter, top_fragments
from whoosh.index import LockError
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser, PlusMinusPlugin, QueryParser
from whoosh.scoring import BM25F
from whoosh.searching import Results
from whoosh.sorting import Count, DateRangeFacet, FieldFacet
from whoosh.support.relativedelta import relativedelta

# CJK ideographs, kana and hangul become one token per character (Chinese has no spaces; a word is
# then found as a phrase of characters); everything else is split into words as Whoosh does.
WORD_PATTERN = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|\w+(?:\.?\w+)*"

# Extra copies of the document text, filled only for speeches in that language, analysed with its
# stemmer. The names are the index's; the analysers are Whoosh's, so they live here.
LANGUAGE_FIELDS = {"text_fr": "fr", "text_es": "es", "text_ru": "ru"}

# Every word of the document text as written (lowercased, never stemmed), plus the adjacent pairs
# that hold a very common word ("we the", "the peoples", "to be"), without positions: Lucene's
# "common grams", with positions. A quoted word is one term of this field; a phrase needs its common
# pairs here, then its words as written in order (positions of this field), checked only in the
# documents that hold those pairs. So a phrase of common words ("to be or not to be") costs a few
# posting lists, never a position check in every speech, and the field stays small: pairs of two
# rarer words ("climate change") are not stored, since the rarer words already narrow the check.
# "Did you mean" proposes this field's single words: surface words, never stems.
COMMON_WORDS = STOP_WORDS  # Whoosh's English list: the words that used to be dropped
EXACT_FIELD = "text_exact"
# What an index was built with; an index without this marker (or with an older version) was built
# by an earlier release (stopwords dropped, no exact field) and is rebuilt by the index worker.
SCHEMA_VERSION = "5: every word, exact words with positions and common grams, content hashes"
SCHEMA_MARKER = "archive-schema.marker"
# A hash of each document's indexed fields, stored in the index: index_check compares content.
HASH_FIELD = "content_hash"
RESULT_CACHE_SIZE = 64

LOCK_TIMEOUT = float(os.environ.get("SEARCH_LOCK_TIMEOUT", "30"))
LOCK_DELAY = 0.05


class SearchUnavailable(SearchBackendError):
    """The search index cannot be used right now (missing, unreadable, locked): not a bug in a query.

    ``ServiceUnavailableMiddleware`` answers these with a 503 page naming the part that is down.
    """

    unavailable_part = "The search index"


class IndexLocked(SearchUnavailable):
    """Another process held the index writer lock for longer than the timeout."""


class IndexUnreadable(SearchUnavailable):
    """The index directory is missing or cannot be read at query time."""


class QuerySyntaxError(SearchBackendError):
    """The search engine could not make sense of a query."""


def make_analyzer(language="en"):
    # Every word is kept (no stopword list): "we the peoples" and "to be or not to be" are what
    # researchers search for. minsize=1 keeps single CJK characters.
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StemFilter(lang=language, cachesize=50000)


class CommonGramsFilter(Filter):
    """Each word, then the pair it makes with the word before it when either is a common word."""

    def __init__(self, common=COMMON_WORDS):
        self.common = common

    def __call__(self, tokens):
        previous, common = None, self.common
        for token in tokens:
            word = token.text
            if previous is not None and (previous in common or word in common):
                token.text = previous + " " + word
                yield token
                token.text = word
            yield token
            previous = word


def make_exact_analyzer():
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CommonGramsFilter()


def create_index(storage, schema):
    """A new, empty index whose every document will carry EXACT_FIELD (the marker says so)."""
    index = storage.create_index(schema)
    if EXACT_FIELD in schema:
        with open(os.path.join(storage.folder, SCHEMA_MARKER), "w") as handle:
            handle.write(SCHEMA_VERSION + "\n")
    return index


def schema_version(path):
    try:
        with open(os.path.join(path, SCHEMA_MARKER)) as handle:
            return handle.read().strip()
    except OSError:
        return None


class _Shared:
    """One opened index and one searcher per index directory, for the whole process."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.RLock()
        self.index = None
        self.searcher = None
        self.inode = None
        self.facet_values = {}
        self.filters = {}
        self.results = OrderedDict()  # (query, filters, sort, facets) -> hits, ranked page, facets


_SHARED = {}
_SHARED_LOCK = threading.Lock()


def shared_state(path):
    with _SHARED_LOCK:
        return _SHARED.setdefault(os.path.abspath(path), _Shared(path))


def clear_result_caches():
    """Forget every kept search result (the bench measures pages as if never asked before)."""
    with _SHARED_LOCK:
        for shared in _SHARED.values():
            shared.results.clear()


def forget_shared_state(path):
    with _SHARED_LOCK:
        _SHARED.pop(os.path.abspath(path), None)


class EscapingFormatter:
    """Wraps matches in <mark>; every other character is HTML-escaped first, so stored text never
    becomes markup."""

    between = " … "

    def format(self, fragments):
        pieces = []
        for fragment in fragments:
            text, index, out = fragment.text, fragment.startchar, []
            for token in fragment.matches:
                if token.startchar < index:
                    continue
                out.append(html.escape(text[index : token.startchar], quote=False))
                out.append("<mark>" + html.escape(text[token.startchar : token.endchar], quote=False) + "</mark>")
                index = token.endchar
            out.append(html.escape(text[index : fragment.endchar], quote=False))
            pieces.append("".join(out).strip())
        return self.between.join(pieces)


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        if not self.use_file_storage:
            raise SearchBackendError("The archive's Whoosh backend keeps its index on disk (STORAGE='file').")
        self.lock_timeout = float(connection_options.get("LOCK_TIMEOUT", LOCK_TIMEOUT))
        self.include_spelling = True  # cheap here: only queries with few hits ask

    # -- schema -----------------------------------------------------------------------------
    def setup(self):
        from haystack import connections

        os.makedirs(self.path, exist_ok=True)
        self.storage = FileStorage(self.path)
        fields = connections[self.connection_alias].get_unified_index().all_searchfields()
        self.content_field_name, self.schema = self.build_schema(fields)
        self.text_fields = [self.content_field_name] + [name for name in LANGUAGE_FIELDS if name in self.schema]
        self.parser = self.make_parser()
        self.shared = shared_state(self.path)
        self.index = self._open_index()
        self.setup_complete = True

    def make_parser(self):
        parser = MultifieldParser(self.text_fields, schema=self.schema)
        parser.add_plugins([FuzzyTermPlugin(), PlusMinusPlugin()])
        return parser

    def _open_index(self):
        for attempt in range(10):
            try:
                if whoosh_index.exists_in(self.path):
                    return self.storage.open_index(schema=self.schema)
                return create_index(self.storage, self.schema)
            except FileNotFoundError:
                # Another process committed between listing the index's files and opening its
                # table of contents, and cleaned the old one away: read the new one.
                if attempt == 9:
                    raise
                sleep(0.02)

    def exact_ready(self):
        """True when every document of the index on disk has EXACT_FIELD (built by this release)."""
        return EXACT_FIELD in self.schema and schema_version(self.path) == SCHEMA_VERSION

    def build_schema(self, fields):
        schema = {
            ID: WHOOSH_ID(stored=True, unique=True),
            DJANGO_CT: WHOOSH_ID(stored=True),
            DJANGO_ID: WHOOSH_ID(stored=True),
        }
        content_field_name = ""
        for field in fields.values():
            name = field.index_fieldname
            if field.document:
                content_field_name = name
                # Stored once, with character positions, for highlighting without re-analysis.
                schema[name] = TEXT(analyzer=make_analyzer("en"), stored=True, chars=True, multitoken_query="phrase")
            elif name in LANGUAGE_FIELDS:
                schema[name] = TEXT(
                    analyzer=make_analyzer(LANGUAGE_FIELDS[name]), chars=True, multitoken_query="phrase"
                )
            elif not field.indexed:
                schema[name] = STORED()
            elif hasattr(field, "facet_for") and field.is_multivalued:
                # Several values per document; counted from postings read once per segment.
                schema[name] = KEYWORD(commas=True, lowercase=False, stored=field.stored)
            elif hasattr(field, "facet_for"):
                # Untokenized: "Guinea-Bissau" and "côte-d-ivoire" are one value each, counted from a column.
                schema[name] = WHOOSH_ID(stored=field.stored, sortable=True)
            elif field.field_type in ("date", "datetime"):
                schema[name] = DATETIME(stored=field.stored, sortable=True)
            elif field.is_multivalued:
                schema[name] = KEYWORD(commas=True, lowercase=False, stored=field.stored)
            else:
                schema[name] = TEXT(analyzer=make_analyzer("en"), stored=field.stored)
        if not content_field_name:
            raise SearchBackendError("No document=True field found in the search indexes.")
        # Not stored; positions (no characters): a phrase is checked on the words as written.
        schema[EXACT_FIELD] = TEXT(analyzer=make_exact_analyzer(), phrase=True)
        schema[HASH_FIELD] = STORED()
        return content_field_name, Schema(**schema)

    # -- the shared searcher ------------------------------------------------------------------
    def _searcher(self):
        """The process's searcher for this index, refreshed only when a commit changed it.

        Call with ``self.shared.lock`` held: Whoosh searchers are not safe across threads.
        """
        shared = self.shared
        inode = _inode(self.path)
        if shared.searcher is None or inode != shared.inode:
            # First use, or the directory was replaced by a rebuild.
            self.index = self._open_index()
            shared.index, shared.inode = self.index, inode
            shared.searcher = self.index.searcher(weighting=_CachedLengthsBM25F(shared))
        elif not shared.searcher.up_to_date():
            shared.searcher = shared.searcher.refresh()
        return shared.searcher

    # -- writing ------------------------------------------------------------------------------
    def writer(self, **kwargs):
        """A writer that waits for the lock and fails loudly instead of dropping the work."""
        if not self.setup_complete:
            self.setup()
        for _attempt in range(5):
            inode = _inode(self.path)
            try:
                index = self._open_index()
            except FileNotFoundError:
                if inode is None:
                    raise  # the index directory is gone: the worker rebuilds it
                continue  # another process committed and removed the TOC we were about to read
            try:
                writer = index.writer(timeout=self.lock_timeout, delay=LOCK_DELAY, **kwargs)
            except LockError as error:
                raise IndexLocked(
                    f"The search index at {self.path} stayed locked for {self.lock_timeout:.0f} s; nothing was written."
                ) from error
            if _inode(self.path) == inode:
                return writer
            # A rebuild swapped the directory while we waited: write to the new index instead.
            writer.cancel()
        raise IndexLocked(f"The search index at {self.path} kept being replaced; nothing was written.")

    def swap_lock(self):
        """The live index's writer lock, held by a rebuild so no worker writes to an index it is replacing.

        Taken without opening the index, which may be missing or unreadable when a rebuild repairs it.
        """
        os.makedirs(self.path, exist_ok=True)
        return FileStorage(self.path).lock(f"{whoosh_index._DEF_INDEX_NAME}_WRITELOCK")

    def index_stamp(self):
        """What the index directory looks like, from file metadata only (no file is opened): the
        directory's inode and every file's name, size and modification time. Any commit, rebuild,
        deletion or overwrite changes it; an idle index keeps it, so checking it costs a few stats."""
        try:
            directory = os.stat(self.path)
            files = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(self.path))
        except FileNotFoundError:
            return None
        return directory.st_ino, directory.st_mtime_ns, tuple(files)

    def index_problem(self, thorough=False):
        """Why the index on disk cannot serve, or None: missing, never built, or unreadable.

        Opens the index afresh (never the process's shared searcher), reads its table of contents
        and opens every segment; ``thorough`` also reads every document id and a stored document.
        A rebuild commits at least once, so an index still at generation 0 was created empty and
        never built.
        """
        if not os.path.isdir(self.path):
            return f"the index directory {self.path} is missing"
        try:
            if not whoosh_index.exists_in(self.path):
                return f"there is no index in {self.path}"
            index = FileStorage(self.path).open_index()
            if index.latest_generation() < 1:
                return f"the index in {self.path} was never built (generation 0)"
            if schema_version(self.path) != SCHEMA_VERSION:
                return (
                    f"the index in {self.path} was built by an earlier release (schema "
                    f"{schema_version(self.path) or '1-2: stopwords dropped'}; this release needs {SCHEMA_VERSION!r})"
                )
            with index.reader() as reader:
                reader.doc_count_all()
                if thorough:
                    for _term in reader.lexicon(ID):
                        pass
                    if reader.doc_count_all():
                        reader.stored_fields(reader.doc_count_all() - 1)
        except Exception as error:  # Whoosh raises anything on garbage: OSError, struct.error, EOFError ...
            return f"the index in {self.path} cannot be read: {type(error).__name__}: {error}"
        return None

    def prepare_document(self, index, obj):
        try:
            doc = index.full_prepare(obj)
        except SkipDocument:
            return None
        doc.pop("boost", None)
        clean = {}
        for key, value in doc.items():
            if value is None or value == "" or value == []:
                continue  # an empty facet is no value, never the string "None"
            clean[key] = self._from_python(value)
        clean[HASH_FIELD] = document_hash(clean)
        if clean.get(self.content_field_name):
            clean[EXACT_FIELD] = clean[self.content_field_name]
        return clean

    def write_batch(self, writer, documents=(), remove_ids=()):
        """Replace and remove documents through one writer, sharing one searcher for the deletes."""
        with writer.searcher() as searcher:
            for identifier in remove_ids:
                writer.delete_by_term(ID, identifier, searcher=searcher)
            for doc in documents:
                writer.delete_by_term(ID, doc[ID], searcher=searcher)
        for doc in documents:
            writer.add_document(**doc)

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        documents = {}
        for obj in iterable:
            doc = self.prepare_document(index, obj)
            if doc is not None:
                documents[doc[ID]] = doc
        if not documents:
            return
        writer = self.writer()
        try:
            self.write_batch(writer, documents.values())
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def remove(self, obj_or_string, commit=True):
        from haystack.utils import get_identifier

        self.remove_many([get_identifier(obj_or_string)])

    def remove_many(self, identifiers):
        if not self.setup_complete:
            self.setup()
        writer = self.writer()
        try:
            self.write_batch(writer, remove_ids=identifiers)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        if models is None:
            self.delete_index()
            return
        writer = self.writer()
        try:
            for model in models:
                writer.delete_by_term(DJANGO_CT, get_model_ct(model))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def delete_index(self):
        if os.path.exists(self.path):
            shutil.rmtree(self.path)
        forget_shared_state(self.path)
        self.setup()

    def optimize(self):
        writer = self.writer()
        writer.commit(optimize=True)

    def indexed_ids(self):
        """{django_ct: set of django_id} for every live document: what index_check compares."""
        return {label: set(hashes) for label, hashes in self.indexed_hashes().items()}

    def indexed_hashes(self):
        """{django_ct: {django_id: content hash}} for every live document (the hash is None for a
        document written before hashes were stored)."""
        if not self.setup_complete:
            self.setup()
        found = {}
        with self.shared.lock:
            searcher = self._searcher()
            reader = searcher.reader()
            for _docnum, stored in reader.iter_docs():
                found.setdefault(stored[DJANGO_CT], {})[str(stored[DJANGO_ID])] = stored.get(HASH_FIELD)
        return found

    # -- searching ----------------------------------------------------------------------------
    def parse_query(self, query_string):
        if query_string in ("*", "*:*"):
            return wq.Every()
        try:
            # Not normalized yet: a quoted single word stays a phrase (exact), not a stemmed term.
            return self.parser.parse(query_string, normalize=False)
        except Exception as error:  # Whoosh raises many kinds; the caller shows the message
            raise QuerySyntaxError(str(error) or type(error).__name__) from error

    _VALUE = r'"(?:[^"\\]|\\.)*"|[^\s()"\[\]]+'
    _TERMS = re.compile(rf"^\s*(\w+):\(?\s*((?:{_VALUE})(?:\s+OR\s+(?:{_VALUE}))*)\s*\)?\s*$")
    _RANGE = re.compile(r"^\s*(\w+):\[\s*(\S+)\s+TO\s+(\S+)\s*\]\s*$", re.IGNORECASE)

    def parse_narrow(self, narrow):
        """Narrow queries as Haystack and Elasticsearch write them, turned into exact Whoosh queries.

        ``field:"value"``, ``field:("a" OR "b")`` and ``date:[2019-01-01 TO *]`` are read here
        without Whoosh's query parser, so hyphens, quotes and non-ASCII letters in values match
        exactly.
        """
        narrow = force_str(narrow)
        match = self._TERMS.match(narrow)
        if match and match.group(1) in self.schema:
            field = match.group(1)
            values = [_unquote(v) for v in re.findall(self._VALUE, match.group(2)) if v != "OR"]
            terms = [wq.Term(field, value) for value in values]
            return terms[0] if len(terms) == 1 else wq.Or(terms)
        match = self._RANGE.match(narrow)
        if match and match.group(1) in self.schema:
            field, start, end = match.groups()
            return wq.DateRange(field, _parse_bound(start), _parse_bound(end, end=True))
        return QueryParser(self.content_field_name, schema=self.schema).parse(narrow)

    def search(self, query_string, **kwargs):
        try:
            return self._search(query_string, **kwargs)
        # Missing or deleted files (OSError), an empty or foreign index (whoosh.index.IndexError,
        # EmptyIndexError among them), truncated files (EOFError).
        except (OSError, EOFError, whoosh_index.IndexError) as error:
            raise IndexUnreadable(f"The search index at {self.path} cannot be read: {error}") from error

    def _search(
        self,
        query_string,
        sort_by=None,
        start_offset=0,
        end_offset=None,
        fields="",
        highlight=False,
        facets=None,
        date_facets=None,
        query_facets=None,
        narrow_queries=None,
        spelling_query=None,
        within=None,
        dwithin=None,
        distance_point=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        if not self.setup_complete:
            self.setup()
        query_string = force_str(query_string).strip()
        if not query_string:
            return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
        query = self.parse_query(query_string)

        filters = [self.parse_narrow(narrow) for narrow in (narrow_queries or ())]
        model_choices = self._model_choices(models, limit_to_registered_models)
        if model_choices:
            filters.append(wq.Or([wq.Term(DJANGO_CT, ct) for ct in model_choices]))
        filter_query = wq.And(filters) if filters else None

        sortedby, reverse = None, False
        if sort_by:
            names = [name.lstrip("-") for name in sort_by]
            reverse = sort_by[0].startswith("-")
            if any(name.startswith("-") != reverse for name in sort_by):
                raise SearchBackendError("Whoosh sorts all fields in one direction.")
            sortedby = [FieldFacet(name) for name in names if name != "score"] or None

        groupedby, facet_types = self._facets(facets, date_facets)
        if query_facets:
            raise SearchBackendError("Query facets are not supported on Whoosh; use narrow() or date_facet().")

        start = start_offset or 0
        end = end_offset if end_offset is not None else start + 20
        end = max(end, start + 1)
        field_facets = [name for name, kind in facet_types.items() if kind == "fields"]
        date_groups = {name: groupedby[name] for name, kind in facet_types.items() if kind == "dates"}
        with self.shared.lock:
            searcher = self._searcher()
            allowed = None
            if filter_query is not None:
                allowed = self._allowed(searcher, filter_query)
                if not allowed:  # Whoosh treats an empty filter as no filter
                    return {"results": [], "hits": 0, "facets": {}, "spelling_suggestion": None}
            run = self._exact_query(query, query_string).normalize() if self.exact_ready() else query.normalize()
            # The same search comes back for every page and every facet click: its hits, its ranked
            # documents up to the page asked and its facet counts are kept until the index changes.
            key = None
            if not date_groups:
                sort_key = (tuple(name for name in sort_by or ()),)
                key = (repr(run), repr(filter_query), sort_key, tuple(sorted(field_facets)))
            cached = self._cached_results(searcher, key, end)
            if cached is not None:
                hits, items, facet_counts = cached
                results = Results(searcher, run, items[:end])
            else:
                # The collector chain Searcher.search would build, minus its UnlimitedCollector for
                # facets: hits are recorded as they are scored and the facets counted from them after.
                if sortedby:
                    collector = collectors.SortingCollector(sortedby, limit=end, reverse=reverse)
                elif not date_groups:
                    # Score every hit once, count them all and record them for the facets in one
                    # loop, instead of skipping blocks and running the query again to count.
                    collector = _RankedHits(end, allowed)
                else:
                    collector = collectors.TopCollector(end, usequality=False, replace=0)
                if date_groups:
                    collector = collectors.FacetCollector(collector, date_groups, maptype=Count)
                if isinstance(collector, _RankedHits):
                    recorder = collector
                else:
                    recorder = collector = _Recorder(collector) if field_facets else collector
                    if allowed is not None:
                        collector = collectors.FilterCollector(collector, allowed)
                searcher.search_with_collector(run, collector)
                results = collector.results()
                hits = len(results)
                facet_counts = self._facet_counts(results, {k: v for k, v in facet_types.items() if v == "dates"})
                if field_facets:
                    facet_counts.setdefault("fields", {}).update(
                        self._count_fields(searcher, recorder.docs, field_facets)
                    )
                    facet_counts.setdefault("dates", {})
                    facet_counts.setdefault("queries", {})
                if key is not None:
                    self._cache_results(key, end, hits, list(results.top_n), facet_counts)
                    facet_counts = deepcopy(facet_counts)
            page = results[start:end]
            # Highlights come from the query as typed (a phrase's words), not from its pairs.
            documents = self._documents(page, results, highlight, result_class, query)
            suggestion = None
            if hits < self.FEW_HITS and self.include_spelling:
                suggestion = self.create_spelling_suggestion(spelling_query or query_string, searcher)
        return {"results": documents, "hits": hits, "facets": facet_counts, "spelling_suggestion": suggestion}

    def _exact_query(self, query, query_string):
        """The query with every quoted word and phrase answered exactly, from EXACT_FIELD.

        The parser gives each phrase its words as the content field's analyser made them (stemmed)
        and where each word stands in the query string; the words as typed are read back from there.
        A quoted word is its exact term; a two-word phrase with a common word is exactly its pair;
        any other phrase needs its common pairs, then its words as written in order (positions of
        EXACT_FIELD, checked in the documents that hold those pairs). Phrases over
        the language copies of the text are dropped: the content field holds every speech's text,
        and a quoted phrase means these words, not their stems.
        """
        if isinstance(query, wq.Phrase):
            if query.fieldname in LANGUAGE_FIELDS:
                return wq.NullQuery
            if query.fieldname != self.content_field_name or query.slop != 1 or not query.char_ranges:
                return query
            words = [query_string[start:end].lower() for start, end in query.char_ranges]
            if len(words) == 1:
                return wq.Term(EXACT_FIELD, words[0], boost=query.boost)
            pairs = [f"{a} {b}" for a, b in zip(words, words[1:])]  # noqa: B905
            common_pairs = [
                p
                for p, (a, b) in zip(pairs, zip(words, words[1:]))  # noqa: B905
                if a in COMMON_WORDS or b in COMMON_WORDS
            ]
            if len(words) == 2 and common_pairs:
                return wq.Term(EXACT_FIELD, common_pairs[0], boost=query.boost)  # exactly the phrase
            narrowing = [wq.Term(EXACT_FIELD, pair, boost=query.boost) for pair in sorted(set(common_pairs))]
            return wq.And([*narrowing, wq.Phrase(EXACT_FIELD, words, boost=query.boost)])
        if query.is_leaf():
            return query
        return query.apply(lambda sub: self._exact_query(sub, query_string))

    def _cached_results(self, searcher, key, end):
        cache = self.shared.results
        if cache.get(None) is not searcher:
            cache.clear()
            cache[None] = searcher
        if key is None or key not in cache:
            return None
        limit, hits, items, facet_counts = cache[key]
        if limit < end and len(items) < hits:
            return None  # a deeper page than the one ranked
        cache.move_to_end(key)
        return hits, items, deepcopy(facet_counts)

    def _cache_results(self, key, limit, hits, items, facet_counts):
        cache = self.shared.results
        cache[key] = (limit, hits, items, facet_counts)
        cache.move_to_end(key)
        while len(cache) > RESULT_CACHE_SIZE + 1:  # + the searcher entry
            oldest = next(k for k in cache if k is not None)
            del cache[oldest]

    def _model_choices(self, models, limit_to_registered_models):
        from django.conf import settings

        if models:
            return sorted(get_model_ct(model) for model in models)
        if limit_to_registered_models is None:
            limit_to_registered_models = getattr(settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True)
        return self.build_models_list() if limit_to_registered_models else []

    def _facets(self, facets, date_facets):
        groupedby, facet_types = {}, {}
        for name in facets or ():
            if name not in self.schema:
                raise SearchBackendError(f"Cannot facet on {name!r}: not a field of the index.")
            groupedby[name] = None  # counted from the recorded hits (_count_fields)
            facet_types[name] = "fields"
        for name, spec in (date_facets or {}).items():
            gap = relativedelta(**{f"{spec['gap_by']}s": spec.get("gap_amount", 1)})
            groupedby[name] = DateRangeFacet(
                name, _as_datetime(spec["start_date"]), _as_datetime(spec["end_date"]), gap, maptype=Count
            )
            facet_types[name] = "dates"
        return groupedby, facet_types

    def _count_fields(self, searcher, docs, fieldnames):
        """Facet counts from the recorded hits: per segment, one lookup per hit in cached values."""
        counts = {name: Counter() for name in fieldnames}
        leaves = searcher.leaf_searchers()
        docs.sort()
        for index, (leaf, offset) in enumerate(leaves):
            stop = leaves[index + 1][1] if index + 1 < len(leaves) else None
            low = bisect_left(docs, offset)
            high = bisect_left(docs, stop) if stop is not None else len(docs)
            if low == high:
                continue
            local = [doc - offset for doc in docs[low:high]]
            for name in fieldnames:
                values = _segment_values(self.shared, leaf.reader(), self.schema[name], name)
                counts[name].update(chain.from_iterable(map(values.__getitem__, local)))
        return {
            name: sorted(((k, c) for k, c in counter.items() if k), key=lambda item: (-item[1], item[0]))
            for name, counter in counts.items()
        }

    def _facet_counts(self, results, facet_types):
        if not facet_types:
            return {}
        counts = {"fields": {}, "dates": {}, "queries": {}}
        for name, kind in facet_types.items():
            groups = results.groups(name)
            items = []
            for key, count in groups.items():
                if key in (None, "", b""):
                    continue
                if isinstance(key, bytes):
                    key = key.decode("utf-8")
                if kind == "dates" and isinstance(key, tuple):
                    key = key[0]
                items.append((key, count))
            if kind == "dates":
                items.sort(key=lambda item: item[0])
            else:
                items.sort(key=lambda item: (-item[1], str(item[0])))
            counts[kind][name] = items
        return counts

    def _allowed(self, searcher, filter_query):
        """The documents a filter allows, kept until the searcher changes.

        Turning a filter into a set of documents walks every document it matches: the model filter
        alone matches the whole index. The same filters come back on every page, so they are
        computed once per searcher.
        """
        cache = self.shared.filters
        if cache.get(None) is not searcher:
            cache.clear()
            cache[None] = searcher
        key = repr(filter_query)
        allowed = cache.get(key)
        if allowed is None:
            if len(cache) > 128:
                cache.clear()
                cache[None] = searcher
            allowed = cache[key] = searcher._filter_to_comb(filter_query)
        return allowed

    def _documents(self, page, results, highlight, result_class, query=None):
        from haystack import connections

        result_class = result_class or SearchResult
        multivalued = {
            name
            for name, field in connections[self.connection_alias].get_unified_index().all_searchfields().items()
            if field.is_multivalued
        }
        char_maps = self._char_maps(page, results, query) if highlight else {}
        documents = []
        for hit in page:
            stored = hit.fields()
            app_label, model_name = stored.pop(DJANGO_CT).split(".")
            pk = stored.pop(DJANGO_ID)
            text = stored.pop(self.content_field_name, "")
            for name in multivalued & stored.keys():
                stored[name] = stored[name].split(",") if stored[name] else []
            if highlight:
                stored["highlighted"] = {self.content_field_name: [self._highlight(text, char_maps.get(hit.docnum))]}
            documents.append(result_class(app_label, model_name, pk, hit.score or 0, **stored))
        return documents

    # -- highlighting -------------------------------------------------------------------------
    def _char_maps(self, page, results, query):
        """docnum -> [(startchar, endchar)] of the query's matches, read from the stored positions of
        the page's documents only: a phrase is marked where its words stand in order (never each
        common word on its own), other terms wherever they occur (prefixes and fuzzy terms expanded)."""
        wanted = sorted(hit.docnum for hit in page)
        spans = {docnum: [] for docnum in wanted}
        if not wanted or query is None:
            return spans
        searcher = results.searcher
        reader = searcher.reader()
        phrases = []

        def without_phrases(sub):
            if isinstance(sub, wq.Phrase):
                if sub.fieldname == self.content_field_name and len(sub.words) > 1:
                    phrases.append(sub)
                return wq.NullQuery
            return sub if sub.is_leaf() else sub.apply(without_phrases)

        terms = without_phrases(query)
        for fieldname, btext in terms.existing_terms(reader, expand=True):
            if fieldname not in self.text_fields:
                continue
            for docnum, characters in self._characters(searcher, fieldname, btext, wanted):
                spans[docnum].extend((s, e) for _pos, s, e in characters)
        for phrase in phrases:
            fieldobj = self.schema[phrase.fieldname]
            per_word = []
            for word in phrase.words:
                btext = fieldobj.to_bytes(word)
                found = dict(self._characters(searcher, phrase.fieldname, btext, wanted))
                per_word.append(found)
            for docnum in wanted:
                if not all(docnum in found for found in per_word):
                    continue
                by_position = [{pos: (s, e) for pos, s, e in found[docnum]} for found in per_word]
                for pos, (start, _end) in by_position[0].items():
                    if all(pos + offset in by_position[offset] for offset in range(1, len(by_position))):
                        spans[docnum].append((start, by_position[-1][pos + len(by_position) - 1][1]))
        return spans

    @staticmethod
    def _characters(searcher, fieldname, btext, wanted):
        """(docnum, [(position, startchar, endchar)]) for the wanted documents that hold a term."""
        if (fieldname, btext) not in searcher.reader():
            return
        matcher = searcher.postings(fieldname, btext)
        for docnum in wanted:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                yield docnum, list(matcher.value_as("characters"))

    def _highlight(self, text, spans, top=3):
        if not text:
            return ""
        if not spans:
            return html.escape(_first_words(text), quote=False)
        spans = sorted(set(spans))
        tokens = []
        for start, end in spans:
            # Adjacent matches ("terrorism financing") become one mark.
            if tokens and (tokens[-1].endchar >= start or not text[tokens[-1].endchar : start].strip()):
                tokens[-1].endchar = max(tokens[-1].endchar, end)
                continue
            tokens.append(Token(startchar=start, endchar=end, matched=True))
        fragmenter = PinpointFragmenter(maxchars=240, surround=70, autotrim=True, charlimit=None)
        fragments = top_fragments(
            fragmenter.fragment_matches(text, tokens), top, _fragment_score, lambda f: f.startchar, minscore=1
        )
        if not fragments:
            return html.escape(_first_words(text), quote=False)
        return EscapingFormatter().format(fragments)

    # -- suggestions --------------------------------------------------------------------------
    FEW_HITS = 5  # below this many hits a search also gets a "Did you mean"

    def create_spelling_suggestion(self, query_string, searcher=None):
        """The query with each unknown or rare word replaced by a word the index holds, or None.

        Candidates are surface words of EXACT_FIELD (as written, never stems) within two edits,
        ranked by edit distance, then by how many documents hold them. A word is replaced only when
        it is missing from the index or a candidate is at least ten times as common.
        """
        if searcher is None or not self.exact_ready():
            return None
        # Words and what lies between them (quotes, operators, field:values) alternate: only words
        # of three letters or more that are not operators or field names are corrected.
        pieces = re.split(r"([^\W\d_]{3,})", force_str(query_string))
        reader = searcher.reader()
        changed = False
        for index in range(1, len(pieces), 2):
            word = pieces[index]
            if word in self.RESERVED_WORDS or pieces[index + 1].startswith(":") or pieces[index - 1].endswith(":"):
                continue
            lowered = word.lower()
            frequency = reader.doc_frequency(EXACT_FIELD, lowered)
            best = self._closest_word(reader, lowered)
            if best and (frequency == 0 or reader.doc_frequency(EXACT_FIELD, best) >= 10 * frequency):
                pieces[index] = best
                changed = True
        return "".join(pieces) if changed else None

    @staticmethod
    def _closest_word(reader, word):
        candidates = []
        for distance in (1, 2):
            for found in reader.terms_within(EXACT_FIELD, word, distance, prefix=1):
                if found != word and " " not in found:
                    candidates.append((distance, -reader.doc_frequency(EXACT_FIELD, found), found))
            if candidates:
                break  # a word one edit away always beats one two edits away
        return min(candidates)[2] if candidates else None


def document_hash(document):
    """A digest of what a document says in the index (every field but the hash and its copies)."""
    digest = hashlib.blake2b(digest_size=16)
    for key in sorted(document):
        if key in (HASH_FIELD, EXACT_FIELD):
            continue
        digest.update(f"{key}\x1f{document[key]!r}\x1e".encode())
    return digest.hexdigest()


def _fragment_score(fragment):
    """Passages with more of the query's different words first: a phrase beats a repeated word."""
    words = set()
    for token in fragment.matches:
        words.update(fragment.text[token.startchar : token.endchar].lower().split())
    return len(words) * 10 + len(fragment.matches)


def _inode(path):
    try:
        return os.stat(path).st_ino
    except FileNotFoundError:
        return None


def _first_words(text, limit=240):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _unquote(value):
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _as_datetime(value):
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    raise ValueError(f"Not a date: {value!r}")


def _parse_bound(value, end=False):
    if value == "*":
        return None
    parsed = datetime.fromisoformat(value.rstrip("Z"))
    if end and len(value) <= 10:
        return datetime.combine(parsed.date(), time.max)
    return parsed


def _segment_values(shared, reader, fieldobj, fieldname):
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


class _CachedLengthsBM25F(BM25F):
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
            lengths = _segment_lengths(self.shared, searcher.reader(), fieldname)
            if lengths is not None:
                scorer.dfl = lengths.__getitem__
        return scorer


def _segment_lengths(shared, reader, fieldname):
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


class _RankedHits(collectors.TopCollector):
    """The top ``limit`` hits by score, every allowed hit recorded for the facets, in one loop.

    The same ranking as ``FilterCollector(TopCollector(limit, usequality=False), allowed)`` without
    its four Python calls per hit, and without its matcher replacement by the current minimum
    score, which turns ``a OR b`` into ``a AND b`` once the top ``limit`` is full and so stops
    counting the documents that hold only one of them.
    """

    def __init__(self, limit, allow=None):
        super().__init__(limit, usequality=False)
        self.allow = allow

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.docs = []

    def collect_matches(self):
        matcher = self.matcher = self.matcher.replace(0)  # drops finished sub-matchers only
        offset, allow, items, limit = self.offset, self.allow, self.items, self.limit
        record, final_fn, top_searcher = self.docs.append, self.final_fn, self.top_searcher
        total = self.total
        while matcher.is_active():
            docnum = offset + matcher.id()
            if allow is None or docnum in allow:
                record(docnum)
                total += 1
                score = matcher.score()
                if final_fn:
                    score = final_fn(top_searcher, docnum, score)
                if len(items) < limit:
                    heappush(items, (score, 0 - docnum))
                elif score > items[0][0]:
                    heapreplace(items, (score, 0 - docnum))
            matcher.next()
        self.total = total


class _Recorder(collectors.WrappingCollector):
    """Keeps the global numbers of the documents its child collects."""

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.docs = []

    def collect(self, sub_docnum):
        self.docs.append(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)

    def results(self):
        return self.child.results()


class ArchiveWhooshQuery(WhooshSearchQuery):
    """Stock query building; the differences are all in the backend."""


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
    query = ArchiveWhooshQuery
