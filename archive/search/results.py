"""One search, from GET parameters to a page of results with facets: the search page, and any other
caller that has "a search URL" (exports, feeds, the API), use ``run_search``.

Only Haystack's backend-neutral API is used here (raw_search, narrow, facet, order_by, highlight,
models), so the same code serves Whoosh and Elasticsearch.
"""

import html
import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.safestring import mark_safe
from haystack.exceptions import SearchBackendError
from haystack.query import SearchQuerySet

from archive.filters import FILTERS, parse_filters
from archive.models import Body, Country, Quotation, Speaker, Speech, Topic
from archive.search.backend import ArchiveWhooshBackend, SearchUnavailable
from archive.search.query import date_clause, narrow_clause, parse_user_query, plain_words

PAGE_SIZE = 20
CHUNK_SIZE = 500  # hits per search-engine round trip when every hit is read (exports, feeds)
MAX_PAGE = 500  # deeper pages cost a top-10,000 sort; nobody reads that far
FACET_LIMIT = 12
TYPES = {"statements": Speech, "quotations": Quotation}
SORTS = {"relevance": None, "newest": "-date", "oldest": "date"}
# Facet panels in the order shown: (URL key, index field).
FACET_PANELS = [("speaker", "speaker"), ("country", "country"), ("body", "body"), ("topic", "topics"), ("year", "year")]
QUOTATION_PANELS = [("kind", "kind")]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class FacetPanel:
    key: str
    label: str
    values: list


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

    @property
    def num_pages(self):
        return max(1, min(MAX_PAGE, math.ceil(self.total / self.page_size)))

    @property
    def start_index(self):
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    @property
    def end_index(self):
        return self.start_index + len(self.hits) - 1 if self.hits else 0

    def url(self, **changes):
        """This search's URL with some parameters changed (None removes one); back to page 1."""
        return "?" + urlencode(_change(self.params, changes))

    def page_url(self, number):
        return "?" + urlencode([*_change(self.params, {}), ("page", number)])

    @property
    def previous_url(self):
        return self.page_url(self.page - 1) if self.page > 1 else None

    @property
    def next_url(self):
        return self.page_url(self.page + 1) if self.page < self.num_pages else None

    @property
    def type_urls(self):
        # The kind filter belongs to quotations only.
        return {"statements": self.url(type=None, kind=None), "quotations": self.url(type="quotations")}

    @property
    def sort_urls(self):
        return {name: self.url(sort=name) for name in SORTS}


def _change(params, changes):
    kept = [(k, v) for k, v in params if k not in changes]
    for key, value in changes.items():
        if value is not None:
            kept.append((key, value))
    return kept


def _toggle(params, key, value):
    if (key, value) in params:
        return "?" + urlencode([p for p in params if p != (key, value)])
    return "?" + urlencode([*params, (key, value)])


def run_search(params, *, page_size=PAGE_SIZE, highlight=True, facets=True, using="default"):
    """Run the search a query string describes.

    ``params`` is a QueryDict (request.GET) or a plain mapping whose values are strings or lists of
    strings: ``run_search({"q": "climate", "country": ["FRA", "DEU"], "page": "2"})``.
    """
    result, sqs, parsed, state, panels = _prepare(params, page_size, highlight, facets, using)
    try:
        searched, hits = _execute(sqs, parsed.text, result)
    except SearchUnavailable:
        raise
    except SearchBackendError as error:
        result.messages.append(
            f"The search engine could not read this query ({error}); it was searched as plain words."
        )
        searched, hits = _execute(sqs, plain_words(parsed.raw), result)
    result.hits = hits
    result.total = searched.count()
    if facets:
        result.facets = _panels(searched.facet_counts().get("fields", {}), panels, state, result.params)
    result.active_filters = _active(state, result)
    if result.total == 0 and parsed.text:
        suggestion = searched.query.get_spelling_suggestion()
        if suggestion and suggestion.lower() != result.q.lower():
            result.suggestion = suggestion
            result.suggestion_url = result.url(q=suggestion)
    return result


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
    allowed = [k for k in FILTERS if k != "kind" or result.type == "quotations"]
    state = parse_filters(params, allowed=allowed)
    result.messages.extend(state.errors)
    parsed = parse_user_query(result.q)
    result.messages.extend(parsed.messages)
    default_sort = "relevance" if parsed.text else "newest"
    result.sort = get("sort", default_sort) if get("sort", default_sort) in SORTS else default_sort
    try:
        result.page = max(1, min(MAX_PAGE, int(get("page", "1") or 1)))
    except ValueError:
        result.page = 1

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

    sqs = SearchQuerySet(using=using).models(model)
    for key, values in state.values.items():
        sqs = sqs.narrow(narrow_clause(FILTERS[key].index_field, values))
    if result.date_from or result.date_to:
        sqs = sqs.narrow(date_clause("date", result.date_from, result.date_to))
    panels = FACET_PANELS + (QUOTATION_PANELS if result.type == "quotations" else [])
    if facets:
        for _key, index_field in panels:
            sqs = sqs.facet(index_field, limit=FACET_LIMIT)
    if SORTS[result.sort]:
        sqs = sqs.order_by(SORTS[result.sort])
    if highlight and parsed.text:
        sqs = sqs.highlight()
    return result, sqs, parsed, state, panels


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
    escaped_by_backend = isinstance(sqs.query.backend, ArchiveWhooshBackend)
    for hit in hits:
        highlighted = getattr(hit, "highlighted", None) or {}
        snippets = highlighted.get("text") if isinstance(highlighted, dict) else highlighted
        hit.snippet = _safe_snippet(snippets[0], escaped_by_backend) if snippets else ""
    return sqs, hits


def _safe_snippet(snippet, escaped_by_backend):
    """Our Whoosh backend escapes the text and adds only <mark>; any other backend's highlights
    (Elasticsearch's are not escaped by default) are escaped here, keeping only its match tags."""
    if not escaped_by_backend:
        snippet = re.sub(r"&lt;(/?)(?:em|mark)&gt;", r"<\1mark>", html.escape(snippet, quote=False))
    return mark_safe(snippet)  # noqa: S308 - escaped above or by the backend


def _later(a, b):
    return max(d for d in (a, b) if d) if (a or b) else None


def _earlier(a, b):
    return min(d for d in (a, b) if d) if (a or b) else None


def _labels(key, values):
    """Display names for facet values: one query per panel, never one per value."""
    if key == "speaker":  # a speaker known only from drafts is shown as an unknown slug is
        return dict(Speaker.objects.public().filter(slug__in=values).values_list("slug", "name"))
    if key == "country":
        return dict(Country.objects.filter(code__in=values).values_list("code", "name"))
    if key == "body":
        return dict(Body.objects.filter(slug__in=values).values_list("slug", "name"))
    if key == "topic":
        return dict(Topic.objects.filter(slug__in=values).values_list("slug", "name"))
    if key == "kind":
        return dict(Quotation.Kind.choices)
    return {}


def _panels(counts, panels, state, params):
    result = []
    for key, index_field in panels:
        values = counts.get(index_field, [])
        selected = state.values.get(key, [])
        # Selected values stay visible (to be removed) even when they fell out of the top counts.
        shown = [(str(v), c) for v, c in values[:FACET_LIMIT]]
        shown += [(v, 0) for v in selected if v not in {s for s, _ in shown}]
        labels = _labels(key, [v for v, _ in shown])
        result.append(
            FacetPanel(
                key=key,
                label=FILTERS[key].label,
                values=[
                    FacetValue(value, labels.get(value, value), count, value in selected, _toggle(params, key, value))
                    for value, count in shown
                ],
            )
        )
    return result


def _active(state, result):
    active = []
    for key, values in state.values.items():
        labels = _labels(key, values)
        for value in values:
            active.append(
                {
                    "label": FILTERS[key].label,
                    "value": labels.get(value, value),
                    "url": _toggle(result.params, key, value),
                }
            )
    for key in ("date_from", "date_to"):
        value = getattr(state, key)
        if value:
            active.append(
                {"label": key.replace("_", " "), "value": value.isoformat(), "url": result.url(**{key: None})}
            )
    return active
