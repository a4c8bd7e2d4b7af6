"""Public pages: thin views over published material only. Editors may preview drafts.

Every statement listing (a country's, a speaker's, a topic's, a day's ...) is one ``BrowseView``:
a scope (the published statements the page is about) narrowed by the whitelisted filters of
``archive/filters.py``, sorted, paginated, with facet panels counted by the database - and the
same queryset, unpaginated, is what ``?format=csv`` and ``?format=jsonl`` download.
"""

import calendar
import datetime

from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_safe

from archive import charts, citations, exports, reading
from archive.filters import (
    FACET_LIMIT,
    FACET_LOOKUPS,
    FILTERS,
    SORT_LABELS,
    SORTS,
    combined_facets,
    filter_quotations,
    filter_speeches,
    parse_filters,
    parse_sort,
    speech_facets,
    year_of,
)
from archive.models import (
    Body,
    Country,
    Event,
    Quotation,
    Source,
    Speaker,
    SpeakerRedirect,
    Speech,
    Topic,
    TopicAssignment,
)

PAGE_SIZE = 20
LIST_DEFERRED = ("text", "notes")
# What a statement row (templates/archive/includes/speech_row.html) reads, and nothing else.
ROW_FIELDS = (
    "title",
    "date",
    "date_precision",
    "status",
    "position",
    "speaker__slug",
    "speaker__name",
    "country__slug",
    "country__name",
    "event__title",
    "event__slug",
    "event__body__slug",
    "event__body__name",
)


def can_preview(user):
    return user.is_authenticated and user.is_staff and user.has_perm("archive.view_speech")


def visible_speeches(request):
    """Everything public readers may see; editors previewing see drafts too."""
    return Speech.objects.all() if can_preview(request.user) else Speech.objects.published()


def paginate(request, queryset, per_page=PAGE_SIZE):
    return paginate_with_message(request, queryset, per_page)[0]


def paginate_with_message(request, queryset, per_page=PAGE_SIZE):
    """The requested page, or the nearest real one with a message saying why."""
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "").strip()
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


def paginate_ids(request, ordered, per_page=PAGE_SIZE):
    """Sort and slice statement ids only, then read the page's twenty rows.

    Sorting whole statement rows makes the database read every long text; the ids and sort keys
    come from indexes, and only the rows shown are read (one more query, whatever the page).
    """
    page, message = paginate_with_message(request, ordered.values_list("pk", flat=True), per_page)
    ids = list(page.object_list)
    rows = Speech.objects.with_related().defer(*LIST_DEFERRED).in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids]
    return page, message


def _query_without(request, *drop):
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params


def facet_request(request):
    """Which panel the "more" link opened (a whitelisted key) and the text of its filter box."""
    more = request.GET.get("more", "").strip()
    more = more if more in FACET_LOOKUPS else None
    return more, (request.GET.get("facet_filter", "").strip()[:100] if more else "")


def browse_facets(request, scope, state, keys):
    """Facet panels that combine (archive.filters.combined_facets), with "more" and a year strip."""
    more, label_contains = facet_request(request)
    facets = combined_facets(scope, state, keys, limit=FACET_LIMIT + 1, more=more, label_contains=label_contains)
    return facet_panels(request, facets, state, more=more, label_contains=label_contains)


def facet_panels(request, facets, state, more=None, label_contains=""):
    """Facet counts as panels of links: each link toggles one value, keeping every other parameter.

    A panel shows its top values and a "more" link to all of them (with a filter box); the year
    panel is in year order, drawn as a strip of bars, its latest years listed.
    """
    panels = []
    for key, options in facets.items():
        selected = state.values.get(key, [])
        expanded = key == more
        strip = None
        if key == "year":
            strip = charts.year_strip(
                [
                    (value, count, _facet_item(request, key, value, label, count, value in selected)["href"])
                    for value, label, count in options
                ]
            )
            has_more = len(options) > FACET_LIMIT and not expanded
            options = options if expanded else options[-FACET_LIMIT:]
        else:
            has_more = len(options) > FACET_LIMIT and not expanded
            options = options if expanded else options[:FACET_LIMIT]
        items = []
        shown = set()
        for value, label, count in options:
            items.append(_facet_item(request, key, value, label, count, value in selected))
            shown.add(value)
        for value in selected:
            if value not in shown:
                items.insert(0, _facet_item(request, key, value, value, None, True))
        if items or expanded:
            panel = {"key": key, "label": FILTERS[key].label, "items": items, "strip": strip, "expanded": expanded}
            if has_more:
                panel["more_href"] = _with_params(request, more=key, facet_filter=None)
            if expanded:
                panel["fewer_href"] = _with_params(request, more=None, facet_filter=None)
                panel["filter_text"] = label_contains
                panel["hidden"] = [
                    (k, v)
                    for k, values in request.GET.lists()
                    for v in values
                    if k not in ("facet_filter", "page", "format")
                ]
            panels.append(panel)
    return panels


def _with_params(request, **changes):
    params = _query_without(request, "page", "format", *changes)
    for key, value in changes.items():
        if value is not None:
            params[key] = value
    return "?" + params.urlencode()


def _facet_item(request, key, value, label, count, selected):
    params = _query_without(request, "page", "format")
    values = [v for v in params.getlist(key) if v.strip() and FILTERS[key].normalize(v.strip()) != value]
    if not selected:
        values.append(value)
    params.setlist(key, values)
    return {"value": value, "label": label, "count": count, "selected": selected, "href": "?" + params.urlencode()}


def active_filters(request, state):
    """The filters in force, each with a link that removes it."""
    active = []
    for key, values in state.values.items():
        for value in values:
            params = _query_without(request, "page", "format")
            params.setlist(key, [v for v in params.getlist(key) if FILTERS[key].normalize(v.strip()) != value])
            active.append({"label": FILTERS[key].label, "value": value, "href": "?" + params.urlencode()})
    for key in ("date_from", "date_to"):
        value = getattr(state, key)
        if value:
            params = _query_without(request, "page", "format", key)
            label = "From" if key == "date_from" else "To"
            active.append({"label": label, "value": value.isoformat(), "href": "?" + params.urlencode()})
    return active


@method_decorator(require_safe, name="dispatch")
class BrowseView(View):
    """A page listing published statements: scope + filters + sort + pages + facets + exports."""

    template_name = "archive/speech_list.html"
    sorts = ("newest", "oldest", "speaker")
    facet_keys = tuple(FACET_LOOKUPS)
    export_name = "statements"
    heading = "All statements"

    def get_object(self):
        return None

    def get_scope(self):
        return Speech.objects.published()

    def get_extra_context(self):
        return {}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.state = parse_filters(request.GET)
        sort, sort_error = parse_sort(request.GET, self.sorts)
        filtered = filter_speeches(self.get_scope(), self.state)
        ordered = filtered.with_related().order_by(*SORTS[sort])
        fmt = request.GET.get("format", "").strip()
        if fmt:
            if fmt not in exports.FORMATS:
                messages = [f"Ignored the format {fmt[:20]!r}: downloads are csv or jsonl."]
            else:
                return exports.speech_download(request, ordered, fmt, self.get_export_name())
        else:
            messages = []
        page, page_error = paginate_ids(request, ordered)
        messages += [m for m in [*self.state.errors, sort_error, page_error] if m]
        context = {
            "object": self.object,
            "heading": self.heading,
            "page": page,
            "messages_list": messages,
            "facet_panels": browse_facets(
                request, self.get_scope(), self.state, [k for k in self.facet_keys if k in FACET_LOOKUPS]
            ),
            "active_filters": active_filters(request, self.state),
            "state": self.state,
            "sort": sort,
            "sort_options": [(key, SORT_LABELS[key]) for key in self.sorts],
            "export_links": self.export_links(request),
            "feed_url": self.get_feed_url(),
            **self.get_extra_context(),
        }
        return render(request, self.template_name, context, status=200)

    def get_export_name(self):
        slug = getattr(self.object, "slug", None)
        return f"{self.export_name}-{slug}" if slug else self.export_name

    def export_links(self, request):
        links = []
        for fmt, label in (("csv", "CSV"), ("jsonl", "JSON Lines")):
            params = _query_without(request, "page", "format")
            params["format"] = fmt
            links.append({"format": fmt, "label": label, "href": "?" + params.urlencode()})
        return links

    def get_feed_url(self):
        return reverse("feed-latest")


@require_safe
def home(request):
    published = Speech.objects.published()
    context = {
        "speech_count": published.count(),
        "quotation_count": Quotation.objects.published().count(),
        "speaker_count": published.values("speaker_id").distinct().count(),
        "country_count": published.exclude(country=None).values("country_id").distinct().count(),
        # Latest by when the statement was made (a statement known only to the year counts from
        # 1 January: it sorts below the dated statements of that year); then what was added last.
        "latest": published.with_related().defer(*LIST_DEFERRED).order_by(*SORTS["newest"])[:10],
        "recently_added": published.with_related().defer(*LIST_DEFERRED).order_by("-published_at", "-id")[:5],
    }
    return render(request, "archive/home.html", context)


@require_safe
def speech_detail(request, pk):
    speech = get_object_or_404(
        visible_speeches(request)
        .with_related()
        .prefetch_related(
            "topics",
            "sources",
            "instruments",
            "topic_assignments",
            Prefetch("quotations", queryset=Quotation.objects.accepted().select_related("speaker").order_by("start")),
        ),
        pk=pk,
    )
    # Topics the keyword rules gave (and no editor confirmed yet) are shown as the rules'.
    by_rules = {a.topic_id: a for a in speech.topic_assignments.all() if a.status == TopicAssignment.Status.MACHINE}
    topics = [(topic, by_rules.get(topic.pk)) for topic in speech.topics.all()]
    siblings = []
    if speech.event_id:
        siblings = (
            Speech.objects.published()
            .filter(event_id=speech.event_id)
            .exclude(pk=speech.pk)
            .select_related("speaker", "country")
            .order_by("position", "id")[:50]
        )
    url = request.build_absolute_uri(speech.get_absolute_url())
    q = request.GET.get("q", "").strip()[:500]
    paragraphs = reading.paragraphs(speech.text, q)
    # "Cite this paragraph": ?cite=p12 cites the paragraph's own permalink.
    cite = request.GET.get("cite", "")
    cited = next((p for p in paragraphs if p.anchor == cite), None)
    if cited:
        url += f"#{cited.anchor}"
    context = {
        "speech": speech,
        "siblings": siblings,
        "citations": citations.all_formats(speech, url),
        "paragraphs": paragraphs,
        "q": q,
        "first_match": next((p for p in paragraphs if p.matches), None),
        "match_count": sum(p.matches for p in paragraphs),
        "back_url": reading.back_to_results(request),
        "cited_paragraph": cited,
        "official_document": reading.official_document(speech),
        "topics": topics,
        "topics_by_rules": any(assignment for _, assignment in topics),
    }
    if request.user.is_staff:
        context["news_source"] = any(s.kind == Source.Kind.NEWS for s in speech.sources.all())
    response = render(request, "archive/speech_detail.html", context)
    if not speech.is_published or request.user.is_authenticated:
        # Drafts and pages carrying an editor's links are never kept by a shared cache.
        add_never_cache_headers(response)
    return response


@require_safe
def quotation_detail(request, pk):
    quotations = Quotation.objects.all() if can_preview(request.user) else Quotation.objects.published()
    quotation = get_object_or_404(
        quotations.with_related().select_related("source").prefetch_related("speech__sources"), pk=pk
    )
    context_text = quotation.context_text
    window = 600
    before_start = max(0, quotation.start - window)
    after_end = min(len(context_text), quotation.end + window)
    url = request.build_absolute_uri(quotation.get_absolute_url())
    context = {
        "quotation": quotation,
        "speech": quotation.speech,
        "before": context_text[before_start : quotation.start],
        "after": context_text[quotation.end : after_end],
        "truncated_before": before_start > 0,
        "truncated_after": after_end < len(context_text),
        "citations": citations.all_formats(quotation.speech, url, quotation),
    }
    response = render(request, "archive/quotation_detail.html", context)
    if not quotation.speech.is_published:
        add_never_cache_headers(response)
    return response


# --- Statements: all of them, and the scoped pages ---------------------------------------------


class SpeechListView(BrowseView):
    heading = "All statements"


class SpeakerDetailView(BrowseView):
    template_name = "archive/speaker_detail.html"
    facet_keys = ("country", "body", "topic", "year", "language")

    def get(self, request, *args, **kwargs):
        slug = self.kwargs["slug"]
        if not Speaker.objects.filter(slug=slug).exists():
            # A speaker merged into another: their old address leads to the kept one, permanently.
            redirect_to = SpeakerRedirect.objects.filter(old_slug=slug).select_related("speaker").first()
            if redirect_to is not None:
                query = request.META.get("QUERY_STRING", "")
                url = redirect_to.speaker.get_absolute_url() + (f"?{query}" if query else "")
                return HttpResponsePermanentRedirect(url)
        return super().get(request, *args, **kwargs)

    def get_object(self):
        # A speaker known only from drafts is not public yet (editors may preview).
        speakers = Speaker.objects.all() if can_preview(self.request.user) else Speaker.objects.public()
        return get_object_or_404(speakers, slug=self.kwargs["slug"])

    def get_scope(self):
        return Speech.objects.published().for_speaker(self.object)

    def get_feed_url(self):
        return reverse("feed-speaker", kwargs={"slug": self.object.slug})

    def get_extra_context(self):
        scope = self.get_scope()
        # Roles and delegations over time: one row per (role, delegation) with its first and last date.
        roles = (
            scope.order_by()
            .values("role", "country__name", "country__slug")
            .annotate(count=Count("pk"), first=Min("date"), last=Max("date"))
            .order_by("first", "role")
        )
        quotations = (
            Quotation.objects.published()
            .for_speaker(self.object)
            .with_related()
            .order_by("-speech__date", "-speech_id", "start")[:20]
        )
        topics = speech_facets(scope, ["topic"], limit=30)["topic"]
        return {
            "speaker": self.object,
            "roles": roles,
            "quotations": quotations,
            "topics": topics,
            "quotation_count": Quotation.objects.published().for_speaker(self.object).count(),
        }


class CountryDetailView(BrowseView):
    template_name = "archive/country_detail.html"
    facet_keys = ("speaker", "body", "topic", "year", "language")

    def get_object(self):
        return get_object_or_404(Country, slug=self.kwargs["slug"])

    def get_scope(self):
        return Speech.objects.published().for_country(self.object)

    def get_feed_url(self):
        return reverse("feed-country", kwargs={"slug": self.object.slug})

    def get_extra_context(self):
        per_year = self.get_scope().order_by().values("date__year").annotate(count=Count("pk")).order_by("date__year")
        return {"chart": year_chart([(row["date__year"], row["count"]) for row in per_year])}


def _subtree(model, slug):
    """(the node, every node at or below it, its direct children) from one query over a small tree."""
    nodes = list(model.objects.only("pk", "parent_id", "name", "slug", "description"))
    by_pk = {node.pk: node for node in nodes}
    root = next((node for node in nodes if node.slug == slug), None)
    if root is None:
        raise Http404(f"No {model._meta.verbose_name} {slug!r}.")
    children = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    # The template shows the parent; it is in hand already.
    root.parent = by_pk.get(root.parent_id)
    found, frontier = [root], [root]
    while frontier:
        frontier = [child for node in frontier for child in children.get(node.pk, [])]
        found += frontier
    return root, found, sorted(children.get(root.pk, []), key=lambda node: node.name)


class BodyDetailView(BrowseView):
    """A body's meetings and statements, its subsidiary bodies' included."""

    template_name = "archive/body_detail.html"
    facet_keys = ("speaker", "country", "topic", "year", "language")

    def get_object(self):
        body, self.bodies, self.children = _subtree(Body, self.kwargs["slug"])
        return body

    def get_scope(self):
        return Speech.objects.published().filter(event__body__in=self.bodies)

    def get_feed_url(self):
        return reverse("feed-body", kwargs={"slug": self.object.slug})

    def get_extra_context(self):
        events = (
            Event.objects.filter(body__in=self.bodies)
            .annotate(statement_count=Count("speeches", filter=_published_speeches_q("speeches__")))
            .filter(statement_count__gt=0)
            .select_related("body")
            .order_by("-date", "title")[:20]
        )
        return {"events": events, "children": self.children}


class TopicDetailView(BrowseView):
    """Statements on a topic or any narrower one."""

    template_name = "archive/topic_detail.html"
    facet_keys = ("speaker", "country", "body", "year", "language")

    def get_object(self):
        topic, self.topics, self.children = _subtree(Topic, self.kwargs["slug"])
        return topic

    def get_scope(self):
        # A subquery rather than a join: a statement on two of these topics is still one row, so
        # neither the list nor the facet counts need DISTINCT over whole statements.
        tagged = Speech.topics.through.objects.filter(topic__in=self.topics).values("speech_id")
        return Speech.objects.published().filter(pk__in=tagged)

    def get_feed_url(self):
        return reverse("feed-topic", kwargs={"slug": self.object.slug})

    def get_extra_context(self):
        return {"children": self.children}


def _published_speeches_q(prefix):
    return Q(**{f"{prefix}status": Speech.Status.PUBLISHED, f"{prefix}published_at__isnull": False})


# --- Chart --------------------------------------------------------------------------------------


def year_chart(counts, width=640, height=160):
    """Bars for (year, count) pairs, every year in the range shown (gaps are real zeros).

    Geometry only: the template draws it as inline SVG, so the page needs no script or library.
    """
    if not counts:
        return None
    by_year = dict(counts)
    years = list(range(min(by_year), max(by_year) + 1))
    top = max(by_year.values())
    plot_height = height - 30
    step = width / len(years)
    bar_width = min(max(step * 0.8, 1), 48)  # one year alone should not fill the chart
    label_step = charts.label_step(len(years))
    bars = []
    for index, year in enumerate(years):
        count = by_year.get(year, 0)
        bar_height = round(plot_height * count / top, 1) if top else 0
        bars.append(
            {
                "year": year,
                "count": count,
                "x": round(index * step + (step - bar_width) / 2, 1),
                "y": round(plot_height - bar_height, 1),
                "width": round(bar_width, 1),
                "height": bar_height,
                "label_x": round(index * step + step / 2, 1),
                # At most about seven labels, large in the viewBox: readable on a 390 px phone.
                "show_label": year % label_step == 0 if len(years) > 1 else True,
            }
        )
    return {
        "width": width,
        "height": height,
        "plot_height": plot_height,
        "bars": bars,
        "max": top,
        "first_year": years[0],
        "last_year": years[-1],
    }


# --- Lists of things ----------------------------------------------------------------------------


@require_safe
def speaker_list(request):
    """Speakers A-Z with their numbers of published statements, narrowed by any statement filter."""
    state = parse_filters(request.GET)
    sort, sort_error = parse_sort(request.GET, ("name", "count")) if request.GET.get("sort") else ("name", None)
    letter = request.GET.get("letter", "").strip().upper()
    messages = [*state.errors, *([sort_error] if sort_error else [])]
    if letter and not (len(letter) == 1 and letter.isalpha()):
        messages.append(f"Ignored the letter {letter[:10]!r}: choose one letter A-Z.")
        letter = ""
    name = request.GET.get("name", "").strip()[:100]
    filtered = filter_speeches(Speech.objects.published(), state)
    rows = filtered.order_by().values("speaker__slug", "speaker__name", "speaker__sort_name")
    if letter:
        rows = rows.filter(speaker__sort_name__istartswith=letter)
    if name:
        rows = rows.filter(Q(speaker__name__icontains=name) | Q(speaker__sort_name__icontains=name))
    rows = rows.annotate(count=Count("pk", distinct=True))
    rows = rows.order_by("-count", "speaker__sort_name") if sort == "count" else rows.order_by("speaker__sort_name")
    page, page_error = paginate_with_message(request, rows, 50)
    if page_error:
        messages.append(page_error)
    context = {
        "page": page,
        "messages_list": messages,
        "facet_panels": browse_facets(request, Speech.objects.published(), state, ["country", "body", "year"]),
        "active_filters": active_filters(request, state),
        "letters": [chr(c) for c in range(ord("A"), ord("Z") + 1)],
        "letter": letter,
        "name": name,
        "sort": sort,
        "sort_options": [("name", "Name A-Z"), ("count", "Most statements")],
        "state": state,
    }
    return render(request, "archive/speaker_list.html", context)


@require_safe
def country_list(request):
    """Every UN member and observer (and the other delegations the corpora use), with counts.

    Not paginated: it is a fixed reference list of about two hundred rows, read in one query.
    """
    sort = request.GET.get("sort", "name")
    messages = []
    if sort not in ("name", "count"):
        messages.append(f"Ignored the sort order {sort[:40]!r}: choose name or count.")
        sort = "name"
    countries = Country.objects.annotate(statement_count=Count("speeches", filter=_published_speeches_q("speeches__")))
    countries = countries.order_by("-statement_count", "name") if sort == "count" else countries.order_by("name")
    groups = {}
    for country in countries:
        groups.setdefault(country.status, []).append(country)
    sections = [
        {"status": status, "label": label, "countries": groups[status]}
        for status, label in Country.Status.choices
        if status in groups
    ]
    context = {"sections": sections, "sort": sort, "messages_list": messages}
    return render(request, "archive/country_list.html", context)


def _tree(nodes, counts):
    """Nest a small tree read in one query; each node gets its own count and its subtree's total."""
    children = {}
    for node in nodes:
        node.own_count = counts.get(node.pk, 0)
        node.child_nodes = []
        children.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        node.child_nodes = children.get(node.pk, [])

    def total(node):
        node.total_count = node.own_count + sum(total(child) for child in node.child_nodes)
        return node.total_count

    roots = children.get(None, [])
    for root in roots:
        total(root)
    return roots


@require_safe
def body_list(request):
    counts = dict(
        Speech.objects.published()
        .filter(event__isnull=False)
        .order_by()
        .values_list("event__body_id")
        .annotate(count=Count("pk"))
    )
    roots = _tree(list(Body.objects.order_by("name")), counts)
    return render(request, "archive/body_list.html", {"roots": roots})


@require_safe
def topic_list(request):
    counts = dict(
        Speech.objects.published()
        .filter(topics__isnull=False)
        .order_by()
        .values_list("topics")
        .annotate(count=Count("pk", distinct=True))
    )
    roots = _tree(list(Topic.objects.order_by("name")), counts)
    return render(request, "archive/topic_list.html", {"roots": roots})


@require_safe
def event_list(request):
    """Meetings and debates with published statements, narrowed by the statement filters."""
    state = parse_filters(request.GET)
    sort, sort_error = parse_sort(request.GET, ("newest", "oldest"))
    filtered = filter_speeches(Speech.objects.published(), state)
    events = (
        Event.objects.filter(pk__in=filtered.order_by().values("event_id"))
        .select_related("body")
        .defer("description")
        .order_by(*(("-date", "title") if sort == "newest" else ("date", "title")))
    )
    page, page_error = paginate_with_message(request, events)
    # Counted for the page's events only, in one query, rather than for every event before paging.
    counts = dict(
        filtered.filter(event__in=[event.pk for event in page.object_list])
        .order_by()
        .values_list("event_id")
        .annotate(count=Count("pk", distinct=True))
    )
    for event in page.object_list:
        event.statement_count = counts.get(event.pk, 0)
    context = {
        "page": page,
        "messages_list": [m for m in [*state.errors, sort_error, page_error] if m],
        "facet_panels": browse_facets(request, Speech.objects.published(), state, ["body", "country", "year", "topic"]),
        "active_filters": active_filters(request, state),
        "sort": sort,
        "sort_options": [("newest", "Newest first"), ("oldest", "Oldest first")],
        "state": state,
    }
    return render(request, "archive/event_list.html", context)


# A general debate has ~190 statements: the meeting page lists them in speaking order, 50 a page.
MEETING_PAGE_SIZE = 50


@require_safe
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.select_related("body"), slug=slug)
    speeches = visible_speeches(request).filter(event=event).with_related().order_by("position", "id")
    if not can_preview(request.user) and not speeches.exists():
        raise Http404("No published statements at this meeting.")
    fmt = request.GET.get("format", "").strip()
    if fmt in exports.FORMATS:
        # Downloads are public material only, even for an editor previewing the meeting.
        published = speeches.filter(status=Speech.Status.PUBLISHED, published_at__isnull=False)
        return exports.speech_download(request, published, fmt, f"statements-{event.slug}")
    export_links = [
        {"format": f, "label": label, "href": f"?format={f}"} for f, label in (("csv", "CSV"), ("jsonl", "JSON Lines"))
    ]
    # The rows show titles, names and dates only: a general debate's ~190 full texts (and every
    # column the rows do not show) stay unread.
    listed = speeches.only(*ROW_FIELDS)
    page = Paginator(listed, MEETING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"event": event, "speeches": page.object_list, "page": page, "export_links": export_links}
    return render(request, "archive/event_detail.html", context)


# --- Quotations ---------------------------------------------------------------------------------


@require_safe
def quotation_list(request):
    state = parse_filters(request.GET)
    sort, sort_error = parse_sort(request.GET, ("newest", "oldest"))
    order = ("-speech__date", "-speech_id", "start") if sort == "newest" else ("speech__date", "speech_id", "start")
    quotations = filter_quotations(Quotation.objects.published(), state).with_related().order_by(*order)
    listed = quotations.defer(*(f"speech__{name}" for name in LIST_DEFERRED))
    fmt = request.GET.get("format", "").strip()
    messages = [m for m in [*state.errors, sort_error] if m]
    if fmt in exports.FORMATS:
        return exports.quotation_download(request, quotations, fmt)
    if fmt:
        messages.append(f"Ignored the format {fmt[:20]!r}: downloads are csv or jsonl.")
    page, page_error = paginate_with_message(request, listed)
    if page_error:
        messages.append(page_error)
    export_links = []
    for f, label in (("csv", "CSV"), ("jsonl", "JSON Lines")):
        params = _query_without(request, "page", "format")
        params["format"] = f
        export_links.append({"format": f, "label": label, "href": "?" + params.urlencode()})
    context = {
        "page": page,
        "messages_list": messages,
        "active_filters": active_filters(request, state),
        "sort": sort,
        "sort_options": [("newest", "Newest first"), ("oldest", "Oldest first")],
        "export_links": export_links,
        "state": state,
    }
    return render(request, "archive/quotation_list.html", context)


# --- Date archive -------------------------------------------------------------------------------


def _valid_date(year, month=1, day=1):
    try:
        return datetime.date(year, month, day)
    except (ValueError, OverflowError):
        raise Http404("No such date.") from None


@require_safe
def date_archive(request):
    years = (
        Speech.objects.published()
        .annotate(year=year_of("date"))
        .order_by()
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    return render(request, "archive/date_archive.html", {"years": years})


class YearArchiveView(BrowseView):
    template_name = "archive/date_year.html"
    facet_keys = ("speaker", "country", "body", "topic", "language")

    def get_object(self):
        _valid_date(self.kwargs["year"])
        return None

    def get_scope(self):
        return Speech.objects.published().filter(date__year=self.kwargs["year"])

    def get_export_name(self):
        return f"statements-{self.kwargs['year']}"

    def get_extra_context(self):
        year = self.kwargs["year"]
        scope = self.get_scope()
        # Statements dated only to the year have no month to be counted under.
        months = dict(
            scope.exclude(date_precision=Speech.DatePrecision.YEAR)
            .order_by()
            .values_list("date__month")
            .annotate(count=Count("pk"))
        )
        return {
            "year": year,
            "heading": f"Statements in {year}",
            "months": [(m, calendar.month_name[m], months[m]) for m in sorted(months)],
            "year_only": scope.filter(date_precision=Speech.DatePrecision.YEAR).count(),
        }


class MonthArchiveView(BrowseView):
    template_name = "archive/date_month.html"
    facet_keys = ("speaker", "country", "body", "topic", "language")

    def get_object(self):
        _valid_date(self.kwargs["year"], self.kwargs["month"])
        return None

    def get_scope(self):
        return Speech.objects.published().filter(
            date__year=self.kwargs["year"], date__month=self.kwargs["month"], date_precision__in=["day", "month"]
        )

    def get_export_name(self):
        return f"statements-{self.kwargs['year']}-{self.kwargs['month']:02d}"

    def get_extra_context(self):
        year, month = self.kwargs["year"], self.kwargs["month"]
        days = dict(
            self.get_scope()
            .filter(date_precision=Speech.DatePrecision.DAY)
            .order_by()
            .values_list("date__day")
            .annotate(count=Count("pk"))
        )
        return {
            "year": year,
            "month": month,
            "month_name": calendar.month_name[month],
            "heading": f"Statements in {calendar.month_name[month]} {year}",
            "days": [(d, days[d]) for d in sorted(days)],
        }


class DayArchiveView(BrowseView):
    template_name = "archive/date_day.html"
    facet_keys = ("speaker", "country", "body", "topic", "language")

    def get_object(self):
        self.date = _valid_date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        return None

    def get_scope(self):
        return Speech.objects.published().filter(date=self.date, date_precision=Speech.DatePrecision.DAY)

    def get_export_name(self):
        return f"statements-{self.date.isoformat()}"

    def get_extra_context(self):
        return {
            "date": self.date,
            "month_name": calendar.month_name[self.date.month],
            "heading": f"Statements on {self.date.day} {calendar.month_name[self.date.month]} {self.date.year}",
        }


@require_safe
def data_help(request):
    """What the downloads, feeds and API contain: generated from the column definitions."""
    context = {
        "speech_columns": [(name, doc) for name, doc, _ in exports.SPEECH_COLUMNS],
        "quotation_columns": [(name, doc) for name, doc, _ in exports.QUOTATION_COLUMNS],
        "filters": [(f.key, f.label) for f in FILTERS.values()],
    }
    return render(request, "archive/data_help.html", context)
