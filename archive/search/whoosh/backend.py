"""Haystack's Whoosh backend, made to scale. Only ``archive/search/whoosh/`` knows about Whoosh; the rest
of the archive reaches this backend through Haystack's query API and ``archive.search.engine``.

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
  records every hit (``RankedHits``), with each segment's field lengths read once (the scores are
  unchanged); a search's total, ranked hits and facets are kept per searcher (LRU) for its next
  pages and facet clicks; phrases of the document text are answered from a field of word pairs.
"""

import os
import re
import shutil
from bisect import bisect_left
from collections import Counter
from copy import deepcopy
from datetime import date, datetime, time
from itertools import chain
from time import sleep

from django.utils.encoding import force_str
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from haystack.models import SearchResult
from haystack.utils import get_model_ct
from rapidfuzz import process as rapidfuzz_process
from rapidfuzz.distance import DamerauLevenshtein
from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser, PlusMinusPlugin, QueryParser
from whoosh.searching import Results
from whoosh.sorting import Count, DateRangeFacet, FieldFacet
from whoosh.support.relativedelta import relativedelta

from archive.search.engine import (
    FEW_HITS,
    HASH_FIELD,
    IndexLocked,
    IndexUnreadable,
    QuerySyntaxError,
    prepared_fields,
)
from archive.search.whoosh.collectors import RankedHits, Recorder
from archive.search.whoosh.engine import WhooshIndex
from archive.search.whoosh.highlighting import QueryWords
from archive.search.whoosh.highlighting import highlight as highlight_passages
from archive.search.whoosh.phrases import ExactPhrase
from archive.search.whoosh.schema import (
    COMMON_WORDS,
    EXACT_FIELD,
    LANGUAGE_FIELDS,
    PAIRS_FIELD,
    SCHEMA_VERSION,
    build_schema,
    create_index,
    document_hash,
    schema_version,
)
from archive.search.whoosh.state import (
    RESULT_CACHE_SIZE,
    CachedLengthsBM25F,
    forget_shared_state,
    index_stamp,
    segment_values,
    shared_state,
    surface_words,
)
from archive.search.whoosh.state import inode as directory_inode
from archive.search.whoosh.storage import read_segments_in_place

read_segments_in_place()

LOCK_TIMEOUT = float(os.environ.get("SEARCH_LOCK_TIMEOUT", "30"))
LOCK_DELAY = 0.05


class ArchiveWhooshBackend(WhooshSearchBackend):
    index_engine = WhooshIndex  # what the worker, rebuilds, index_check and the middleware use

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
        # The stemmer of each text field, for highlighting; the exact field is words as written.
        self.text_languages = {self.content_field_name: "en", EXACT_FIELD: None, PAIRS_FIELD: None}
        self.text_languages.update({name: lang for name, lang in LANGUAGE_FIELDS.items() if name in self.schema})
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
                    # An index built by an earlier release is read with the schema it was built with
                    # (its fields' formats) until the index worker has rebuilt it.
                    current = schema_version(self.path) == SCHEMA_VERSION
                    return self.storage.open_index(schema=self.schema if current else None)
                return create_index(self.storage, self.schema)
            except FileNotFoundError:
                # Another process committed between listing the index's files and opening its
                # table of contents, and cleaned the old one away: read the new one.
                if attempt == 9:
                    raise
                sleep(0.02)

    def exact_ready(self):
        """True when every document of the index on disk has EXACT_FIELD (built by this release)."""
        return PAIRS_FIELD in self.schema and schema_version(self.path) == SCHEMA_VERSION

    def build_schema(self, fields):
        return build_schema(fields)

    # -- the shared searcher ------------------------------------------------------------------
    def _searcher(self):
        """The process's searcher for this index, refreshed only when a commit changed it.

        Call with ``self.shared.lock`` held: Whoosh searchers are not safe across threads.
        """
        shared = self.shared
        inode = directory_inode(self.path)
        if shared.searcher is None or inode != shared.inode:
            # First use, or the directory was replaced by a rebuild.
            self.index = self._open_index()
            shared.index, shared.inode = self.index, inode
            shared.searcher = self.index.searcher(weighting=CachedLengthsBM25F(shared))
        elif not shared.searcher.up_to_date():
            shared.searcher = shared.searcher.refresh()
        return shared.searcher

    # -- writing ------------------------------------------------------------------------------
    def writer(self, **kwargs):
        """A writer that waits for the lock and fails loudly instead of dropping the work."""
        if not self.setup_complete:
            self.setup()
        for _attempt in range(5):
            inode = directory_inode(self.path)
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
            if directory_inode(self.path) == inode:
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
        return index_stamp(self.path)

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
        clean = prepared_fields(index, obj, self._from_python)
        if clean is None:
            return None
        clean[HASH_FIELD] = document_hash(clean)
        if clean.get(self.content_field_name):
            clean[EXACT_FIELD] = clean[PAIRS_FIELD] = clean[self.content_field_name]
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
            # An index built before the exact field answers phrases from its content field's positions.
            content_format = searcher.schema[self.content_field_name].format
            by_content = not self.exact_ready() and content_format.supports("positions")
            run = query.normalize() if by_content else self._exact_query(query, query_string).normalize()
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
                    collector = RankedHits(end, allowed, self._allowed_list(searcher, filter_query, allowed))
                else:
                    collector = collectors.TopCollector(end, usequality=False, replace=0)
                if date_groups:
                    collector = collectors.FacetCollector(collector, date_groups, maptype=Count)
                if isinstance(collector, RankedHits):
                    recorder = collector
                else:
                    recorder = collector = Recorder(collector) if field_facets else collector
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
            documents = self._documents(page, results, highlight, result_class, query, query_string)
            suggestion = None
            if hits < self.FEW_HITS and self.include_spelling:
                suggestion = self.create_spelling_suggestion(spelling_query or query_string, searcher)
        return {"results": documents, "hits": hits, "facets": facet_counts, "spelling_suggestion": suggestion}

    narrow_phrases_by_pairs = True  # off: phrases by the exact field's positions alone (tests compare)
    phrase_class = ExactPhrase  # wq.Phrase: Whoosh's span matcher (tests compare)

    def _exact_query(self, query, query_string):
        """The query with every quoted word and phrase answered exactly, from EXACT_FIELD.

        The parser gives each phrase its words as the content field's analyser made them (stemmed)
        and where each word stands in the query string; the words as typed are read back from there.
        A quoted word is its exact term; a two-word phrase with a common word is exactly its pair
        (PAIRS_FIELD); any other phrase needs its common pairs, then its words as written in order
        (positions of EXACT_FIELD, checked in the documents that hold those pairs). Phrases over
        the language copies of the text are dropped: the content field holds every speech's text,
        and a quoted phrase means these words, not their stems.
        """
        if isinstance(query, wq.Phrase):
            if query.fieldname in LANGUAGE_FIELDS:
                return wq.NullQuery
            if query.fieldname != self.content_field_name:
                return query
            # The content field has no positions: every phrase runs on the exact field's.
            words = (
                [query_string[start:end].lower() for start, end in query.char_ranges]
                if query.char_ranges
                else list(query.words)
            )
            if query.slop != 1 or not query.char_ranges:
                return self.phrase_class(EXACT_FIELD, words, slop=query.slop, boost=query.boost)
            if len(words) == 1:
                return wq.Term(EXACT_FIELD, words[0], boost=query.boost)
            pairs = [f"{a} {b}" for a, b in zip(words, words[1:])]  # noqa: B905
            common_pairs = [
                p
                for p, (a, b) in zip(pairs, zip(words, words[1:]))  # noqa: B905
                if a in COMMON_WORDS or b in COMMON_WORDS
            ]
            if not self.narrow_phrases_by_pairs:
                return self.phrase_class(EXACT_FIELD, words, boost=query.boost)
            if len(words) == 2 and common_pairs:
                return wq.Term(PAIRS_FIELD, common_pairs[0], boost=query.boost)  # exactly the phrase
            if self.phrase_class is not ExactPhrase:
                narrowing = [wq.Term(PAIRS_FIELD, pair, boost=query.boost) for pair in sorted(set(common_pairs))]
                return wq.And([*narrowing, self.phrase_class(EXACT_FIELD, words, boost=query.boost)])
            pairs = [(PAIRS_FIELD, pair) for pair in sorted(set(common_pairs))]
            return ExactPhrase(EXACT_FIELD, words, boost=query.boost, narrowing=pairs)
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
                values = segment_values(self.shared, leaf.reader(), self.schema[name], name)
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

    def _allowed_list(self, searcher, filter_query, allowed):
        """The allowed documents in order when there are few of them (RankedHits.FEW_ALLOWED), else
        None; kept with the filter's document set until the searcher changes."""
        if allowed is None:
            return None
        key = ("list", repr(filter_query))
        cache = self.shared.filters
        if key not in cache:
            cache[key] = sorted(allowed) if len(allowed) < RankedHits.FEW_ALLOWED else None
        return cache[key]

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

    def _documents(self, page, results, highlight, result_class, query=None, query_string=""):
        from haystack import connections

        result_class = result_class or SearchResult
        multivalued = {
            name
            for name, field in connections[self.connection_alias].get_unified_index().all_searchfields().items()
            if field.is_multivalued
        }
        stored_hits = [(hit, hit.fields()) for hit in page]
        if highlight:
            reader = results.searcher.reader()
            words = QueryWords(query, reader, self.text_languages, query_string, self.content_field_name)
            texts = self._page_texts(stored for _hit, stored in stored_hits)
        documents = []
        for hit, stored in stored_hits:
            app_label, model_name = stored.pop(DJANGO_CT).split(".")
            pk = stored.pop(DJANGO_ID)
            for name in multivalued & stored.keys():
                stored[name] = stored[name].split(",") if stored[name] else []
            if highlight:
                text = texts.get((app_label, model_name, str(pk)), "")
                stored["highlighted"] = {self.content_field_name: [highlight_passages(text, words.spans(text))]}
            documents.append(result_class(app_label, model_name, pk, hit.score or 0, **stored))
        return documents

    def _page_texts(self, stored_hits):
        """{(app label, model name, pk): document text} of a page's hits, as the database has them now.

        The index stores no text: one query per model (the search index's own queryset, without its
        prefetches) and the document template of each hit, the same text the index analysed.
        """
        from django.apps import apps
        from haystack import connections

        unified = connections[self.connection_alias].get_unified_index()
        wanted = {}
        for stored in stored_hits:
            wanted.setdefault(stored[DJANGO_CT], []).append(stored[DJANGO_ID])
        texts = {}
        for label, pks in wanted.items():
            app_label, model_name = label.split(".")
            search_index = unified.get_index(apps.get_model(app_label, model_name))
            field = search_index.fields[self.content_field_name]
            queryset = search_index.read_queryset(using=self.connection_alias).prefetch_related(None)
            for obj in queryset.filter(pk__in=pks):
                texts[(app_label, model_name, str(obj.pk))] = field.prepare(obj) or ""
        return texts

    FEW_HITS = FEW_HITS  # below this many hits a search also gets a "Did you mean"

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
            best = self._closest_word(searcher, lowered)
            if best and (frequency == 0 or reader.doc_frequency(EXACT_FIELD, best) >= 10 * frequency):
                pieces[index] = best
                changed = True
        return "".join(pieces) if changed else None

    def _closest_word(self, searcher, word):
        """The most common surface word one edit away, else two (Damerau-Levenshtein, as Whoosh's
        own ``terms_within``), sharing the word's first letter as Lucene's spell checker does."""
        reader = searcher.reader()
        candidates = surface_words(self.shared, searcher, EXACT_FIELD, word[0])
        matches = rapidfuzz_process.extract(
            word, candidates, scorer=DamerauLevenshtein.distance, score_cutoff=2, limit=None
        )
        matches = [(distance, found) for found, distance, _ in matches if found != word]
        if not matches:
            return None
        nearest = min(distance for distance, _found in matches)  # one edit away always beats two
        return min(
            (-reader.doc_frequency(EXACT_FIELD, found), found) for distance, found in matches if distance == nearest
        )[1]


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


class ArchiveWhooshQuery(WhooshSearchQuery):
    """Stock query building; the differences are all in the backend."""


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
    query = ArchiveWhooshQuery
