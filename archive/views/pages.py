"""Pages about one thing: the home page, a statement, a quotation, a meeting, the data help."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from archive import citations, exports, querystring, reading
from archive.filters import FILTERS, SORTS
from archive.models import Event, Quotation, Source, Speech, TopicAssignment
from archive.views.base import LIST_DEFERRED, ROW_FIELDS, can_preview, visible_speeches

# A general debate has ~190 statements: the meeting page lists them in speaking order, 50 a page.
MEETING_PAGE_SIZE = 50
QUOTATION_CONTEXT = 600  # characters of the source shown either side of a quotation


@require_safe
def home(request):
    published = Speech.objects.published()
    listed = published.with_related().defer(*LIST_DEFERRED)
    context = {
        "speech_count": published.count(),
        "quotation_count": Quotation.objects.published().count(),
        "speaker_count": published.values("speaker_id").distinct().count(),
        "country_count": published.exclude(country=None).values("country_id").distinct().count(),
        # Latest by when the statement was made (a statement known only to the year counts from
        # 1 January: it sorts below the dated statements of that year); then what was added last.
        "latest": listed.order_by(*SORTS["newest"])[:10],
        "recently_added": listed.order_by("-published_at", "-id")[:5],
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
    before_start = max(0, quotation.start - QUOTATION_CONTEXT)
    after_end = min(len(context_text), quotation.end + QUOTATION_CONTEXT)
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


@require_safe
def event_detail(request, slug):
    """A meeting's statements in speaking order, 50 a page, and their downloads."""
    event = get_object_or_404(Event.objects.select_related("body"), slug=slug)
    speeches = visible_speeches(request).filter(event=event).with_related().order_by("position", "id")
    if not can_preview(request.user) and not speeches.exists():
        raise Http404("No published statements at this meeting.")
    fmt = request.GET.get("format", "").strip()
    if fmt in exports.FORMATS:
        # Downloads are public material only, even for an editor previewing the meeting.
        return exports.speech_download(request, speeches.published(), fmt, f"statements-{event.slug}")
    query = querystring.Query(request.GET)
    # The rows show titles, names and dates only: a general debate's ~190 full texts (and every
    # column the rows do not show) stay unread.
    page = Paginator(speeches.only(*ROW_FIELDS), MEETING_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "speeches": page.object_list,
        "page": page,
        "pager": querystring.pager(query, page),
        "export_links": query.export_links(),
    }
    return render(request, "archive/event_detail.html", context)


@require_safe
def data_help(request):
    """What the downloads, feeds and API contain: generated from the column definitions."""
    context = {
        "speech_columns": [(name, doc) for name, doc, _ in exports.SPEECH_COLUMNS],
        "quotation_columns": [(name, doc) for name, doc, _ in exports.QUOTATION_COLUMNS],
        "filters": [(f.key, f.label) for f in FILTERS.values()],
    }
    return render(request, "archive/data_help.html", context)
