"""One search, from GET parameters to a page of results with facets: the search page, and any other
caller that has "a search URL" (exports, feeds, the API), use ``run_search``.

Only Haystack's backend-neutral API is used here (raw_search, narrow, facet, order_by, highlight,
models), so the same code serves Whoosh and Elasticsearch.
"""

import hashlib
import html
import logging
import math
import re
import time
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import transaction
from django.http import QueryDict
from django.utils.safestring import mark_safe
from haystack.exceptions import SearchBackendError
from haystack.query import SearchQuerySet

from archive.filters import FACET_LIMIT, FILTERS, MORE_LIMIT, FilterState, parse_filters
from archive.models import Body, Country, Quotation, QuotationCheck, Speaker, Speech, Topic
from archive.querystring import Pager, Query, active_filters, facet_panels, facet_request
from archive.search.engine import FEW_HITS, SearchUnavailable, index_engine
from archive.search.query import date_clause, narrow_clause, parse_user_query, plain_words

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
CHUNK_SIZE = 500  # hits per search-engine round trip when every hit is read (exports, feeds)
MAX_PAGE = 500  # deeper pages cost a top-10,000 sort; nobody reads that far
TYPES = {"statements": Speech, "quotations": Quotation}
SORTS = {"relevance": None, "newest": "-date", "oldest": "date"}
# Facet panels in the order shown: (URL key, index field).
FACET_PANELS = [("speaker", "speaker"), ("country", "country"), ("body", "body"), ("topic", "topics"), ("year", "year")]
QUOTATION_PANELS = [("kind", "kind"), ("verification", "verification")]  # verification: issue 13


@dataclass
class SearchResults:
    q: str = ""
    type: str = "statements"
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    total: int = 0
    hits: list = field(default_factory=list)
    facets: list = field(default_factory=list)
    active_filters: list = field(default_factory=list)
    suggestion: str | None = None
    suggestion_url: str | None = None
    messages: list = field(default_factory=list)
    params: list = field(default_factory=list)  # the state as (key, value) pairs
    date_from: object = None
    date_to: object = None
    more: str | None = None  # the facet panel listing all its values
    facet_filter: str = ""  # that panel's filter box
    requested_page: int = 1  # the page asked for, when it is past the last one
    last_page_url: str | None = None  # set when the page asked for is past the last one

    @property
    def num_pages(self):
        return max(1, min(MAX_PAGE, math.ceil(self.total / self.page_size)))

    @property
    def start_index(self):
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    @property
    def end_index(self):
        return self.start_index + len(self.hits) - 1 if self.hits else 0

    @property
    def query(self):
        """This search's links (archive.querystring): every one is "?" + its parameters, changed."""
        return Query(self.params)

    def url(self, **changes):
        """This search's URL with some parameters changed (None removes one); back to page 1."""
        return self.query.href(**changes)

    def page_url(self, number):
        return self.query.page_href(number)

    @property
    def previous_url(self):
        return self.page_url(self.page - 1) if self.page > 1 else None

    @property
    def next_url(self):
        return self.page_url(self.page + 1) if self.page < self.num_pages else None

    @property
    def pager(self):
        return Pager(self.page, self.num_pages, self.total, self.previous_url, self.next_url)

    @property
    def type_urls(self):
        # The kind filter belongs to quotations only.
        return {"statements": self.url(type=None, kind=None), "quotations": self.url(type="quotations")}

    @property
    def sort_urls(self):
        return {name: self.url(sort=name) for name in SORTS}


def run_search(params, *, page_size=PAGE_SIZE, highlight=True, facets=True, using="default"):
    """Run the search a query string describes.

    ``params`` is a QueryDict (request.GET) or a plain mapping whose values are strings or lists of
    strings: ``run_search({"q": "climate", "country": ["FRA", "DEU"], "page": "2"})``.
    """
    result, sqs, parsed, state, panels = _prepare(params, page_size, highlight, facets, using)
    key = _cache_key(using, result, highlight, facets)
    answer = _cache_get(key)
    if answer is None:
        answer = _engine_answer(sqs, parsed, result, state, panels, facets, using)
        _cache_set(key, answer)
    result.messages.extend(answer["messages"])
    result.total = answer["total"]
    result.hits = _published_now(answer["hits"], TYPES[result.type], result)
    if result.total and not answer["hits"] and result.page > 1:
        last = result.num_pages
        result.messages.append(
            f"There is no page {result.requested_page}: this search has {last} page{'s' if last != 1 else ''}."
        )
        result.last_page_url = result.page_url(last)
    if facets:
        result.facets = _panels(answer["facet_counts"], panels, state, result)
    result.active_filters = active_filters(result.query, state, labels=_labels)
    suggestion = answer["suggestion"]
    if suggestion and suggestion.lower() != result.q.lower():
        result.suggestion = suggestion
        result.suggestion_url = result.url(q=suggestion)
    return result


def _engine_answer(sqs, parsed, result, state, panels, facets, using):
    """What the search engine says about a page: its hits, total, facet counts and suggestion."""
    messages = []
    text = parsed.text
    try:
        searched, hits = _execute(sqs, text, result)
    except SearchUnavailable:
        raise
    except SearchBackendError as error:
        messages.append(f"The search engine could not read this query ({error}); it was searched as plain words.")
        text = plain_words(parsed.raw)
        searched, hits = _execute(sqs, text, result)
    total = searched.count()
    counts = {}
    if facets:
        counts = searched.facet_counts().get("fields", {})
        # Panels combine: a panel with a ticked value counts over what every *other* filter allows,
        # so its other values stay to be added ("any of" within a panel). One search per such panel.
        for key, index_field in panels:
            if key in state.values:
                other = _narrowed(SearchQuerySet(using=using).models(TYPES[result.type]), state, result, skip=key)
                other = other.facet(index_field, limit=facet_limit(key, result))
                counts[index_field] = (
                    (other.raw_search(text) if text else other).facet_counts().get("fields", {}).get(index_field, [])
                )
    suggestion = None
    if total < FEW_HITS and parsed.text:
        suggestion = searched.query.get_spelling_suggestion()
    return {"hits": hits, "total": total, "facet_counts": counts, "suggestion": suggestion, "messages": messages}


# Engine answers are kept in Django's "search" cache (Redis when REDIS_URL is set, else files), so
# every gunicorn worker shares them, under a key that holds the index's stamp: any commit to the
# index changes the key, so an answer is never older than the index. The database is still asked
# about each page's hits (_published_now) and the facet labels, every time.
RESULT_CACHE_SECONDS = 600


def _cache_key(using, result, highlight, facets):
    stamp = index_engine(using).stamp()
    if stamp is None:
        return None
    state = (stamp, result.type, result.params, result.page, result.page_size, result.more, highlight, facets)
    return "search-answer:" + hashlib.blake2b(repr(state).encode(), digest_size=20).hexdigest()


def _cache_get(key):
    if key is None:
        return None
    try:
        return caches["search"].get(key)
    except Exception as error:  # noqa: BLE001 - a cache that is down costs speed, never the page
        logger.warning("Search result cache unavailable: %s", error)
        return None


def _cache_set(key, answer):
    if key is None:
        return
    try:
        caches["search"].set(key, answer, timeout=RESULT_CACHE_SECONDS)
    except Exception as error:  # noqa: BLE001
        logger.warning("Search result cache unavailable: %s", error)


def _published_now(hits, model, result):
    """The page's hits that are published in the database now, in one query.

    The index learns of an unpublished or deleted statement from the outbox, a moment later (or
    later still if the index worker is down): until then its hit must not show, and the page says
    the counts may still include it.
    """
    if not hits:
        return hits
    published = set(model.objects.published().filter(pk__in=[int(hit.pk) for hit in hits]).values_list("pk", flat=True))
    shown = [hit for hit in hits if int(hit.pk) in published]
    withdrawn = len(hits) - len(shown)
    if withdrawn:
        result.total = max(len(shown), result.total - withdrawn)
        result.messages.append(
            f"{withdrawn} result(s) on this page were withdrawn from publication and are not shown; "
            "the counts may still include withdrawn items while the search index is being updated."
        )
    return shown


def search_objects(params, *, queryset=None, limit=None, chunk_size=CHUNK_SIZE, using="default"):
    """Every hit of the search ``params`` describe, in the order the search page lists them (all
    pages; ``page`` is ignored), as published model objects: ``(SearchResults, iterator)``.

    The hit ids come from the search engine one chunk at a time and each chunk is read with one
    ``in_bulk`` (plus the prefetches of ``queryset``, a published queryset of the result type), so
    an export of any size holds one chunk in memory and makes a bounded number of queries per chunk.
    The first chunk is searched before this returns, so an index that is down fails here (a 503),
    not half-way through a streamed download. Hits no longer published in the database are skipped.
    """
    result, sqs, parsed, _state, _panels = _prepare(params, PAGE_SIZE, False, False, using)
    model = TYPES[result.type]
    queryset = (queryset if queryset is not None else model.objects.all()).published()
    chunk_size = min(chunk_size, limit) if limit else chunk_size
    searched = sqs.raw_search(parsed.text) if parsed.text else sqs
    try:
        first = _hit_ids(searched, 0, chunk_size)
    except SearchUnavailable:
        raise
    except SearchBackendError as error:
        result.messages.append(
            f"The search engine could not read this query ({error}); it was searched as plain words."
        )
        searched = sqs.raw_search(plain_words(parsed.raw))
        first = _hit_ids(searched, 0, chunk_size)

    def objects():
        ids, start = first, 0
        while ids:
            rows = queryset.in_bulk(ids)
            yield from (rows[pk] for pk in ids if pk in rows)
            start += chunk_size
            if len(ids) < chunk_size or (limit and start >= limit):
                return
            ids = _hit_ids(searched, start, min(chunk_size, limit - start) if limit else chunk_size)

    return result, objects()


def _hit_ids(searched, start, count):
    # A fresh clone per chunk: a SearchQuerySet keeps every result it has fetched.
    return [int(hit.pk) for hit in searched.all()[start : start + count]]


def _prepare(params, page_size, highlight, facets, using):
    """The state a query string asks for and the SearchQuerySet for it, not yet run."""
    params = _as_querydict(params)
    get = params.get
    result = SearchResults(page_size=page_size)
    result.q = (get("q", "") or "").strip()
    result.type = get("type", "statements") if get("type", "statements") in TYPES else "statements"
    model = TYPES[result.type]
    allowed = [k for k in FILTERS if k not in ("kind", "verification") or result.type == "quotations"]
    state = parse_filters(params, allowed=allowed)
    result.messages.extend(state.errors)
    parsed = parse_user_query(result.q)
    result.messages.extend(parsed.messages)
    default_sort = "relevance" if parsed.text else "newest"
    result.sort = get("sort", default_sort) if get("sort", default_sort) in SORTS else default_sort
    try:
        result.requested_page = int(get("page", "1") or 1)
        result.page = max(1, min(MAX_PAGE, result.requested_page))
    except ValueError:
        result.page = 1
    panel_keys = [key for key, _ in FACET_PANELS + (QUOTATION_PANELS if result.type == "quotations" else [])]
    result.more, result.facet_filter = facet_request(params, panel_keys)

    result.date_from = _later(state.date_from, parsed.date_from)
    result.date_to = _earlier(state.date_to, parsed.date_to)
    result.params = [(k, v) for k, v in [("q", result.q), ("type", result.type), ("sort", result.sort)] if v]
    if result.type == "statements":
        result.params.remove(("type", "statements"))
    if result.sort == default_sort:
        result.params.remove(("sort", result.sort))
    result.params += [(k, v) for k, v in state.as_params() if k not in ("date_from", "date_to")]
    if state.date_from:
        result.params.append(("date_from", state.date_from.isoformat()))
    if state.date_to:
        result.params.append(("date_to", state.date_to.isoformat()))
    if result.more:
        result.params.append(("more", result.more))
        if result.facet_filter:
            result.params.append(("facet_filter", result.facet_filter))

    sqs = _narrowed(SearchQuerySet(using=using).models(model), state, result)
    panels = FACET_PANELS + (QUOTATION_PANELS if result.type == "quotations" else [])
    if facets:
        for key, index_field in panels:
            sqs = sqs.facet(index_field, limit=facet_limit(key, result))
    if SORTS[result.sort]:
        sqs = sqs.order_by(SORTS[result.sort])
    if highlight and parsed.text:
        sqs = sqs.highlight()
    if parsed.text:
        sqs = sqs.set_spelling_query(result.q)  # suggestions keep what the user typed
    return result, sqs, parsed, state, panels


def facet_limit(key, result):
    """How many values of a facet to ask for: every year, the "more" panel's values, else one more
    than the panel shows (to know whether to offer "more")."""
    return MORE_LIMIT if key == "year" or key == result.more else FACET_LIMIT + 1


def _narrowed(sqs, state, result, skip=None):
    """The filters of a search as narrow() clauses; ``skip`` leaves out one facet's values."""
    for key, values in state.values.items():
        if key != skip:
            sqs = sqs.narrow(narrow_clause(FILTERS[key].index_field, values))
    if result.date_from or result.date_to:
        sqs = sqs.narrow(date_clause("date", result.date_from, result.date_to))
    return sqs


def _as_querydict(params):
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)])
    return query


def _execute(sqs, text, result):
    if text:
        sqs = sqs.raw_search(text)
    start = (result.page - 1) * result.page_size
    hits = list(sqs[start : start + result.page_size])
    engine = getattr(sqs.query.backend, "index_engine", None)
    escaped_by_backend = bool(engine and engine.escapes_highlights)
    for hit in hits:
        highlighted = getattr(hit, "highlighted", None) or {}
        snippets = highlighted.get("text") if isinstance(highlighted, dict) else highlighted
        hit.snippet = _safe_snippet(snippets[0], escaped_by_backend) if snippets else ""
    return sqs, hits


def _safe_snippet(snippet, escaped_by_backend):
    """The Whoosh engine escapes the text and adds only <mark>; any other engine's highlights
    (Elasticsearch's are not escaped by default) are escaped here, keeping only its match tags."""
    if not escaped_by_backend:
        snippet = re.sub(r"&lt;(/?)(?:em|mark)&gt;", r"<\1mark>", html.escape(snippet, quote=False))
    return mark_safe(snippet)  # noqa: S308 - escaped above or by the backend


def _later(a, b):
    return max(d for d in (a, b) if d) if (a or b) else None


def _earlier(a, b):
    return min(d for d in (a, b) if d) if (a or b) else None


# Countries, bodies and topics are small tables an editor rarely renames: each process keeps their
# names (a search page asked the database for them three times), and drops them when the shared
# `search` cache says one was saved or deleted since (`reference_names_changed`, connected in
# ArchiveConfig.ready()), so a rename shows on the next page in every gunicorn worker.
_REFERENCE_NAMES = {
    "country": lambda: Country.objects.values_list("code", "name"),
    "body": lambda: Body.objects.values_list("slug", "name"),
    "topic": lambda: Topic.objects.values_list("slug", "name"),
}
_NAMES_GENERATION_KEY = "facet-names-generation"
_names = {"generation": None, "by_key": {}}


def _names_generation():
    try:
        generation = caches["search"].get(_NAMES_GENERATION_KEY)
        if generation is None:
            generation = time.time_ns()
            caches["search"].add(_NAMES_GENERATION_KEY, generation, timeout=None)
            generation = caches["search"].get(_NAMES_GENERATION_KEY, generation)
        return generation
    except Exception as error:  # noqa: BLE001 - a cache that is down costs speed, never the page
        logger.warning("Search cache unavailable for facet names: %s", error)
        return object()  # never equal: read the database


def reference_names_changed(**kwargs):
    """A country, body or topic was saved or deleted: every process reads the names again. Now, for
    this process (the rest of its transaction sees the change), and once committed, for the others
    (which may have read the old names in between)."""

    def bump():
        try:
            caches["search"].set(_NAMES_GENERATION_KEY, time.time_ns(), timeout=None)
        except Exception as error:  # noqa: BLE001
            logger.warning("Search cache unavailable for facet names: %s", error)
        _names["generation"] = None

    bump()
    transaction.on_commit(bump)


def _reference_names(key, values):
    generation = _names_generation()
    if generation != _names["generation"]:
        _names["generation"], _names["by_key"] = generation, {}
    if key not in _names["by_key"]:
        _names["by_key"][key] = dict(_REFERENCE_NAMES[key]())
    names = _names["by_key"][key]
    if any(value not in names for value in values):  # added since, by a writer this process missed
        names.update(_REFERENCE_NAMES[key]())
    return names


def _labels(key, values):
    """Display names for facet values: one query per panel, never one per value."""
    if key == "speaker":  # a speaker known only from drafts is shown as an unknown slug is
        return dict(Speaker.objects.public().filter(slug__in=values).values_list("slug", "name"))
    if key in _REFERENCE_NAMES:
        names = _reference_names(key, values)
        return {value: names[value] for value in values if value in names}
    if key == "kind":
        return dict(Quotation.Kind.choices)
    if key == "verification":  # issue 13
        return dict(QuotationCheck.VERDICTS)
    return {}


def _panels(counts, panels, state, search):
    """Facet panels (archive.querystring.facet_panels) from the engine's counts, labelled from the
    database; the expanded panel's filter box keeps the values whose label contains its text."""
    facets = {}
    for key, index_field in panels:
        values = [(str(v), c) for v, c in counts.get(index_field, [])]
        if key == "year":
            facets[key] = [(v, v, c) for v, c in sorted(values)]
            continue
        labels = _labels(key, [v for v, _ in values])
        options = [(v, labels.get(v, v), c) for v, c in values]
        if key == search.more and search.facet_filter:
            needle = search.facet_filter.casefold()
            options = [option for option in options if needle in option[1].casefold()]
        facets[key] = options[:MORE_LIMIT]
    return facet_panels(
        search.query,
        facets,
        state,
        more=search.more,
        label_contains=search.facet_filter,
        labels=_labels,
        keep_empty=True,
    )


# --- Trends: how often a search matches, per year ------------------------------------------------

COMPARE_KEYS = ("country", "body", "speaker")
MAX_SERIES = 5


@dataclass
class Series:
    value: str  # the facet value ("CHN"), empty for the whole search
    label: str
    counts: dict  # {year: statements matching}
    totals: dict  # {year: statements under the same filters, matching or not}

    def share(self, year):
        total = self.totals.get(year, 0)
        return self.counts.get(year, 0) / total if total else 0.0


@dataclass
class Trend:
    search: SearchResults
    compare: str | None = None
    series: list = field(default_factory=list)
    years: list = field(default_factory=list)
    messages: list = field(default_factory=list)


def run_trend(params, *, using="default"):
    """Per year, how many statements the search ``params`` describe match, and how many there are
    under the same filters: one faceted search for the counts and one for the totals per line.

    With ``compare=country`` (or body, speaker) the ticked values of that facet (``country=CHN&
    country=USA``), or else the search's top five, are separate lines instead of one union.
    """
    result, _sqs, parsed, state, _panels = _prepare(params, 1, False, False, using)
    trend = Trend(search=result)
    get = _as_querydict(params).get
    compare = (get("compare", "") or "").strip()
    if compare and compare not in COMPARE_KEYS:
        trend.messages.append(f"Ignored compare={compare[:20]!r}: compare by {', '.join(COMPARE_KEYS)}.")
        compare = ""
    trend.compare = compare or None
    model = TYPES[result.type]
    text = parsed.text

    def year_facet(narrow_state, with_text, index_field="year"):
        nonlocal text
        sqs = _narrowed(SearchQuerySet(using=using).models(model), narrow_state, result)
        sqs = sqs.facet(index_field, limit=MORE_LIMIT)
        if with_text and text:
            try:
                return sqs.raw_search(text).facet_counts().get("fields", {}).get(index_field, [])
            except SearchUnavailable:
                raise
            except SearchBackendError as error:
                trend.messages.append(
                    f"The search engine could not read this query ({error}); it was searched as plain words."
                )
                text = plain_words(parsed.raw)
                return sqs.raw_search(text).facet_counts().get("fields", {}).get(index_field, [])
        return sqs.facet_counts().get("fields", {}).get(index_field, [])

    def by_year(rows):
        return {int(year): count for year, count in rows if str(year).isdigit()}

    if trend.compare:
        index_field = FILTERS[compare].index_field
        values = state.values.get(compare, [])
        if not values:
            values = [str(v) for v, _ in year_facet(state, True, index_field)[:MAX_SERIES]]
        if len(values) > MAX_SERIES:
            trend.messages.append(f"Compared the first {MAX_SERIES} of the {len(values)} values ticked.")
            values = values[:MAX_SERIES]
        labels = _labels(compare, values)
        others = {k: v for k, v in state.values.items() if k != compare}
        for value in values:
            one = FilterState(values={**others, compare: [value]})
            trend.series.append(
                Series(value, labels.get(value, value), by_year(year_facet(one, True)), by_year(year_facet(one, False)))
            )
    else:
        label = f"“{result.q}”" if result.q else "All statements"
        trend.series.append(Series("", label, by_year(year_facet(state, True)), by_year(year_facet(state, False))))
    years = {year for series in trend.series for year in series.totals}
    if years:
        trend.years = list(range(min(years), max(years) + 1))
    return trend
