"""Query-string work for every list page and the search page, in one place.

Every link a page makes to itself is one shape: ``"?" + the page's parameters``, changed, back to
the first page (``page`` and ``format`` dropped). ``Query`` makes them: the links of pagination,
facet panels, the filters in force, exports and toggles. Browse pages build a ``Query`` from the
request; the search page from its canonical parameters (``SearchResults.params``).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import QueryDict

from archive import charts
from archive.filters import FACET_LIMIT, FILTERS

DROPPED = ("page", "format")  # never carried from one page to the next
EXPORTS = (("csv", "CSV"), ("jsonl", "JSON Lines"))


class Query:
    """A page's parameters (a QueryDict or (key, value) pairs) and the links made from them."""

    def __init__(self, params=()):
        if isinstance(params, QueryDict):
            self.params = params.copy()
        else:
            self.params = QueryDict(mutable=True)
            for key, value in params:
                self.params.appendlist(key, str(value))

    def _kept(self, *drop):
        params = self.params.copy()
        for key in (*DROPPED, *drop):
            params.pop(key, None)
        return params

    def pairs(self, *drop):
        """The parameters as (key, value) pairs, without ``page``, ``format`` and ``drop``."""
        return [(key, value) for key, values in self._kept(*drop).lists() for value in values]

    def href(self, **changes):
        """This page's link with some parameters set (``None`` removes one), on its first page."""
        params = self._kept(*changes)
        for key, value in changes.items():
            if value is not None:
                params[key] = str(value)
        return "?" + params.urlencode()

    def link(self, path, *drop):
        """Another page's address with these parameters (without ``page``, ``format`` and ``drop``)."""
        params = self._kept(*drop)
        return path + ("?" + params.urlencode() if params else "")

    def page_href(self, number):
        params = self._kept()
        params["page"] = str(number)
        return "?" + params.urlencode()

    def toggle(self, key, value, selected):
        """The link that adds a filter value, or removes it when ``selected`` (values compared as
        the filter normalises them: ``country=chn`` is CHN)."""
        return self.toggler(key)(value, selected)

    def toggler(self, key):
        """``toggle`` for many values of one key: the other parameters are encoded once, not once per
        value (a year panel has a link per year: copying and encoding the whole query string each
        time was a tenth of a search page). The links are the same, parameter order included."""
        normalize = FILTERS[key].normalize if key in FILTERS else (lambda v: v)
        params = self._kept()
        existing = [v for v in params.getlist(key) if v.strip()]
        names = list(params)
        position = names.index(key) if key in params else len(names)

        def encoded(part):
            return "&".join(urlencode({name: value}) for name in part for value in params.getlist(name))

        before, after = encoded(names[:position]), encoded(names[position + 1 :])

        def href(value, selected):
            values = [v for v in existing if normalize(v.strip()) != value]
            if not selected:
                values.append(value)
            middle = "&".join(urlencode({key: v}) for v in values)
            return "?" + "&".join(part for part in (before, middle, after) if part)

        return href

    def export_links(self):
        return [{"format": fmt, "label": label, "href": self.href(format=fmt)} for fmt, label in EXPORTS]


def paginate(params, queryset, per_page):
    """The page ``params`` ask for, or the nearest real one with a message saying why: (page, message)."""
    paginator = Paginator(queryset, per_page)
    raw = (params.get("page") or "").strip()
    if not raw:
        return paginator.page(1), None
    try:
        number = int(raw)
    except ValueError:
        return paginator.page(1), f"Ignored the page number {raw[:20]!r}: not a whole number."
    if number < 1:
        return paginator.page(1), f"There is no page {number}: showing the first page."
    if number > paginator.num_pages:
        return paginator.page(paginator.num_pages), (
            f"There is no page {number}: showing the last page, {paginator.num_pages}."
        )
    return paginator.page(number), None


@dataclass
class Pager:
    """What the pagination partial shows (templates/archive/includes/pagination.html)."""

    number: int
    num_pages: int
    count: int
    previous_href: str | None = None
    next_href: str | None = None


def pager(query, page):
    """The Pager of a Django page."""
    return Pager(
        number=page.number,
        num_pages=page.paginator.num_pages,
        count=page.paginator.count,
        previous_href=query.page_href(page.previous_page_number()) if page.has_previous() else None,
        next_href=query.page_href(page.next_page_number()) if page.has_next() else None,
    )


@dataclass
class FacetItem:
    value: str
    label: str
    count: int | None
    selected: bool
    href: str


@dataclass
class FacetPanel:
    key: str
    label: str
    items: list
    strip: dict | None = None  # the year panel's bars (archive.charts.year_strip)
    more_href: str | None = None  # all values, when there are more than the top ones
    fewer_href: str | None = None
    expanded: bool = False
    filter_text: str = ""
    hidden: list = field(default_factory=list)  # the state, for the "more" panel's filter box

    @property
    def values(self):  # the API's name for the items
        return self.items


def facet_request(params, keys):
    """Which panel the "more" link opened (one of ``keys``) and the text of its filter box."""
    more = (params.get("more") or "").strip()
    more = more if more in keys else None
    return more, ((params.get("facet_filter") or "").strip()[:100] if more else "")


def facet_panels(query, facets, state, *, more=None, label_contains="", labels=None, keep_empty=False):
    """Facet counts as panels of links: each link toggles one value, keeping every other parameter.

    ``facets`` is {key: [(value, label, count), ...]}, most frequent first (years in year order).
    A panel shows its top values and a "more" link to all of them (with a filter box); the year
    panel is drawn as a strip of bars over every year, its latest years listed. A selected value
    missing from the counts stays listed, to be removed; ``labels(key, values)`` names it. Empty
    panels are left out unless ``keep_empty`` (the API lists every panel).
    """
    panels = []
    for key, options in facets.items():
        selected = state.values.get(key, [])
        expanded = key == more
        has_more = len(options) > FACET_LIMIT and not expanded
        strip = None
        toggle = query.toggler(key)
        if key == "year":
            strip = charts.year_strip([(value, count, toggle(value, value in selected)) for value, _, count in options])
            options = options if expanded else options[-FACET_LIMIT:]
        else:
            options = options if expanded else options[:FACET_LIMIT]
        items = [FacetItem(v, label, count, v in selected, toggle(v, v in selected)) for v, label, count in options]
        missing = [value for value in selected if value not in {item.value for item in items}]
        names = labels(key, missing) if labels and missing else {}
        for value in missing:
            items.insert(0, FacetItem(value, names.get(value, value), None, True, toggle(value, True)))
        if not (items or expanded or keep_empty):
            continue
        panel = FacetPanel(key=key, label=FILTERS[key].label, items=items, strip=strip, expanded=expanded)
        if has_more:
            panel.more_href = query.href(more=key, facet_filter=None)
        if expanded:
            panel.fewer_href = query.href(more=None, facet_filter=None)
            panel.filter_text = label_contains
            panel.hidden = query.pairs("facet_filter")
        panels.append(panel)
    return panels


def active_filters(query, state, labels=None):
    """The filters in force, each with a link that removes it; ``labels(key, values)`` names values."""
    active = []
    for key, values in state.values.items():
        names = labels(key, values) if labels else {}
        for value in values:
            active.append(
                {"label": FILTERS[key].label, "value": names.get(value, value), "href": query.toggle(key, value, True)}
            )
    for key, label in (("date_from", "From"), ("date_to", "To")):
        value = getattr(state, key)
        if value:
            active.append({"label": label, "value": value.isoformat(), "href": query.href(**{key: None})})
    return active
