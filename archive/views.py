"""Public pages: thin views over published material only. Editors may preview drafts."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from archive.models import Body, Country, Event, Quotation, Speaker, Speech, Topic

PAGE_SIZE = 20


def can_preview(user):
    return user.is_authenticated and user.is_staff and user.has_perm("archive.view_speech")


def visible_speeches(request):
    """Everything public readers may see; editors previewing see drafts too."""
    return Speech.objects.all() if can_preview(request.user) else Speech.objects.published()


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_safe
def home(request):
    published = Speech.objects.published()
    context = {
        "speech_count": published.count(),
        "quotation_count": Quotation.objects.published().count(),
        "speaker_count": Speaker.objects.filter(speeches__in=published).distinct().count(),
        "country_count": Country.objects.filter(speeches__in=published).distinct().count(),
        "latest": published.with_related().order_by("-published_at", "-id")[:10],
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
            Prefetch("quotations", queryset=Quotation.objects.accepted().select_related("speaker").order_by("start")),
        ),
        pk=pk,
    )
    siblings = []
    if speech.event_id:
        siblings = (
            Speech.objects.published()
            .filter(event_id=speech.event_id)
            .exclude(pk=speech.pk)
            .select_related("speaker", "country")
            .order_by("position", "id")[:50]
        )
    response = render(request, "archive/speech_detail.html", {"speech": speech, "siblings": siblings})
    if not speech.is_published:
        add_never_cache_headers(response)
    return response


@require_safe
def quotation_detail(request, pk):
    quotations = Quotation.objects.all() if can_preview(request.user) else Quotation.objects.published()
    quotation = get_object_or_404(quotations.with_related().select_related("source"), pk=pk)
    context_text = quotation.context_text
    window = 600
    before_start = max(0, quotation.start - window)
    after_end = min(len(context_text), quotation.end + window)
    context = {
        "quotation": quotation,
        "speech": quotation.speech,
        "before": context_text[before_start : quotation.start],
        "after": context_text[quotation.end : after_end],
        "truncated_before": before_start > 0,
        "truncated_after": after_end < len(context_text),
    }
    response = render(request, "archive/quotation_detail.html", context)
    if not quotation.speech.is_published:
        add_never_cache_headers(response)
    return response


@require_safe
def speaker_detail(request, slug):
    speaker = get_object_or_404(Speaker, slug=slug)
    speeches = Speech.objects.published().for_speaker(speaker).with_related().order_by("-date", "-id")
    quotations = (
        Quotation.objects.published().for_speaker(speaker).with_related().order_by("-speech__date", "start")[:20]
    )
    roles = (
        speeches.exclude(role="")
        .values("role", "country__name")
        .annotate(count=Count("id"))
        .order_by("role", "country__name")
    )
    context = {"speaker": speaker, "page": paginate(request, speeches), "quotations": quotations, "roles": roles}
    return render(request, "archive/speaker_detail.html", context)


def _listing(request, template, obj, speeches, **extra):
    speeches = speeches.with_related().order_by("-date", "position", "-id")
    return render(request, template, {"object": obj, "page": paginate(request, speeches), **extra})


@require_safe
def country_detail(request, slug):
    country = get_object_or_404(Country, slug=slug)
    return _listing(request, "archive/country_detail.html", country, Speech.objects.published().for_country(country))


@require_safe
def body_detail(request, slug):
    body = get_object_or_404(Body, slug=slug)
    events = Event.objects.filter(body=body).annotate(
        statement_count=Count("speeches", filter=Q(speeches__status=Speech.Status.PUBLISHED))
    )
    return _listing(
        request,
        "archive/body_detail.html",
        body,
        Speech.objects.published().for_body(body),
        events=events.filter(statement_count__gt=0).order_by("-date")[:20],
    )


@require_safe
def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return _listing(request, "archive/topic_detail.html", topic, Speech.objects.published().for_topic(topic))


@require_safe
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.select_related("body"), slug=slug)
    speeches = Speech.objects.published().filter(event=event).with_related().order_by("position", "id")
    return render(request, "archive/event_detail.html", {"event": event, "speeches": speeches})
