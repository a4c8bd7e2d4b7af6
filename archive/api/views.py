"""The read-only JSON API: published material only, the site's filters, pages, and a rate limit."""

import datetime

from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from archive.api import serializers
from archive.filters import DATE_KEYS, FILTERS, filter_quotations, filter_speeches, parse_filters
from archive.models import Body, Country, Event, Quotation, Source, Speaker, Speech, Topic
from archive.ratelimit import ApiRateThrottle, ScopedRateThrottle
from archive.search import run_search
from archive.search.results import MAX_PAGE
from archive.search.results import SORTS as SEARCH_SORTS
from archive.search.results import TYPES as SEARCH_TYPES


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class WhitelistFilterBackend(BaseFilterBackend):
    """The site's filters (archive/filters.py); a malformed value is a 400 with the reason, not a 500."""

    def filter_queryset(self, request, queryset, view):
        if "q" in request.query_params:
            # Lists filter; they do not search. Saying so beats silently ignoring the words.
            raise ValidationError(
                {"q": ["Lists do not take a query: search with /api/search/?q=... (the same filters apply)."]}
            )
        keys = getattr(view, "filter_keys", None)
        if keys is None:
            return queryset
        state = parse_filters(request.query_params, allowed=keys)
        if state.errors:
            raise ValidationError({"filters": state.errors})
        return view.apply_filters(queryset, state)

    def get_schema_operation_parameters(self, view):
        keys = getattr(view, "filter_keys", None) or []
        params = [
            {
                "name": key,
                "in": "query",
                "required": False,
                "description": f"{FILTERS[key].label}; repeat for any of several values",
                "schema": {"type": "array", "items": {"type": "string", "pattern": f"^(?:{FILTERS[key].pattern})$"}},
                "style": "form",
                "explode": True,
            }
            for key in keys
        ]
        if getattr(view, "date_filters", False):
            params += [
                {
                    "name": key,
                    "in": "query",
                    "required": False,
                    "description": "YYYY, YYYY-MM or YYYY-MM-DD",
                    "schema": {"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"},
                }
                for key in DATE_KEYS
            ]
        return params


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    filter_backends = [WhitelistFilterBackend]
    pagination_class = Pages
    filter_keys = None
    date_filters = False


SPEECH_KEYS = [key for key in FILTERS if key != "kind"]


class SpeechViewSet(_ReadOnly):
    """Published statements, newest first."""

    serializer_class = serializers.SpeechSerializer
    filter_keys = SPEECH_KEYS
    date_filters = True

    def get_queryset(self):
        return (
            Speech.objects.published()
            .with_related()
            .prefetch_related(
                Prefetch("topics", queryset=Topic.objects.only("slug")),
                Prefetch("sources", queryset=Source.objects.order_by("pk")),
            )
            .order_by("-date", "position", "-id")
        )

    def apply_filters(self, queryset, state):
        return filter_speeches(queryset, state)


class QuotationViewSet(_ReadOnly):
    """Quotations from published statements, newest first."""

    serializer_class = serializers.QuotationSerializer
    filter_keys = list(FILTERS)
    date_filters = True

    def get_queryset(self):
        return (
            Quotation.objects.published()
            .select_related("speaker", "speech", "source", "quote_check")
            .order_by("-speech__date", "-speech_id", "start")
        )

    def apply_filters(self, queryset, state):
        return filter_quotations(queryset, state)


class SpeakerViewSet(_ReadOnly):
    """Speakers with published statements or quotations, A-Z; filters narrow by their statements."""

    serializer_class = serializers.SpeakerSerializer
    lookup_field = "slug"
    filter_keys = ["country", "body", "topic", "year", "language"]

    def get_queryset(self):
        return Speaker.objects.public().with_statement_counts().order_by("sort_name", "name", "pk")

    def apply_filters(self, queryset, state):
        return queryset.filter(pk__in=filter_speeches(Speech.objects.published(), state).values("speaker_id"))


class CountryViewSet(_ReadOnly):
    """Every delegation the archive knows, with its number of published statements."""

    serializer_class = serializers.CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2,3}"

    def get_queryset(self):
        return Country.objects.public().with_statement_counts().order_by("name", "pk")


class BodyViewSet(_ReadOnly):
    serializer_class = serializers.BodySerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Body.objects.public().select_related("parent").order_by("name", "pk")


class TopicViewSet(_ReadOnly):
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Topic.objects.public().select_related("parent").order_by("name", "pk")


class EventViewSet(_ReadOnly):
    """Meetings with published statements, newest first."""

    serializer_class = serializers.EventSerializer
    lookup_field = "slug"
    filter_keys = ["speaker", "country", "body", "topic", "year", "language"]
    date_filters = True

    def get_queryset(self):
        return Event.objects.public().select_related("body").with_statement_counts().order_by("-date", "title", "pk")

    def apply_filters(self, queryset, state):
        return queryset.filter(pk__in=filter_speeches(Speech.objects.published(), state).values("event_id"))


@extend_schema(exclude=True)
class OldSpeechViewSet(SpeechViewSet):
    """/api/speeches/, the statements' first address: the same answers, left out of the schema."""


@extend_schema(exclude=True)
class OldEventViewSet(EventViewSet):
    """/api/events/, the meetings' first address: the same answers, left out of the schema."""


# --- Search -------------------------------------------------------------------------------------


class ApiDocsView(SpectacularSwaggerSplitView):
    """Human-readable API docs from the OpenAPI schema: Swagger UI from static/ (drf-spectacular-sidecar),
    its settings script served from this URL, no inline script or style (the CSP stays intact)."""

    template_name = "api/docs.html"
    title = "Statements Archive API"


class SearchRateLimit(ScopedRateThrottle):
    """The search page's limit (settings.RATE_LIMITS["search"]), shared with /search/: both cost a search."""

    scope = "search"


def _search_parameters():
    params = [
        OpenApiParameter("q", str, description="The query, in the search page's language (see /search/help/)"),
        OpenApiParameter("type", str, enum=list(SEARCH_TYPES), description="statements (default) or quotations"),
        OpenApiParameter(
            "sort", str, enum=list(SEARCH_SORTS), description="relevance (default with a query) or newest or oldest"
        ),
        OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, description="From 1"),
    ]
    for key, spec in FILTERS.items():
        params.append(
            OpenApiParameter(
                key,
                {"type": "array", "items": {"type": "string", "pattern": f"^(?:{spec.pattern})$"}},
                description=f"{spec.label}; repeat for any of several values"
                + ("; quotations only" if key == "kind" else ""),
                style="form",
                explode=True,
            )
        )
    for key in DATE_KEYS:
        params.append(
            OpenApiParameter(
                key,
                {"type": "string", "pattern": r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"},
                description="YYYY, YYYY-MM or YYYY-MM-DD",
            )
        )
    return params


class SearchView(APIView):
    """Search published statements or quotations: the search page's parameters, results and facets."""

    throttle_classes = [ApiRateThrottle, SearchRateLimit]

    @extend_schema(
        operation_id="search",
        parameters=_search_parameters(),
        responses={200: serializers.SearchResponseSerializer},
    )
    def get(self, request):
        params = request.query_params
        errors = []
        for key, allowed in (("type", SEARCH_TYPES), ("sort", SEARCH_SORTS)):
            value = params.get(key)
            if value is not None and value not in allowed:
                errors.append(f"{key} must be one of {', '.join(allowed)}.")
        page = params.get("page")
        if page is not None and not (page.isdigit() and 1 <= int(page) <= MAX_PAGE):
            errors.append(f"page must be a whole number from 1 to {MAX_PAGE}.")
        quotations = params.get("type") == "quotations"
        state = parse_filters(params, allowed=[key for key in FILTERS if quotations or key != "kind"])
        errors += state.errors
        if not quotations and params.getlist("kind"):
            errors.append("The kind filter applies to quotations only (type=quotations).")
        if errors:
            raise ValidationError({"parameters": errors})
        result = run_search(params)
        base = request.build_absolute_uri(reverse("api-search"))
        data = {
            "q": result.q,
            "type": result.type,
            "sort": result.sort,
            "count": result.total,
            "page": result.page,
            "page_size": result.page_size,
            "num_pages": result.num_pages,
            "next": base + result.next_url if result.next_url else None,
            "previous": base + result.previous_url if result.previous_url else None,
            "hits": [_hit(request, hit) for hit in result.hits],
            "facets": [
                {
                    "key": panel.key,
                    "label": panel.label,
                    "values": [
                        {"value": v.value, "label": v.label, "count": v.count or 0, "selected": v.selected}
                        for v in panel.values
                    ],
                }
                for panel in result.facets
            ],
            "messages": result.messages,
        }
        return Response(serializers.SearchResponseSerializer(data).data)


def _hit(request, hit):
    date = getattr(hit, "date", None)
    if isinstance(date, datetime.datetime):
        date = date.date()
    country, body = getattr(hit, "country", None), getattr(hit, "body", None)
    return {
        "id": int(hit.pk),
        "type": "quotation" if hit.model_name == "quotation" else "statement",
        "title": getattr(hit, "title", None) or "",
        "url": request.build_absolute_uri(hit.url),
        "speaker": {"slug": getattr(hit, "speaker", "") or "", "name": getattr(hit, "speaker_name", "") or ""},
        "country": {"code": country, "name": getattr(hit, "country_name", None) or country} if country else None,
        "body": {"slug": body, "name": getattr(hit, "body_name", None) or body} if body else None,
        "date": date,
        "display_date": getattr(hit, "display_date", None) or "",
        "snippet": str(getattr(hit, "snippet", "") or ""),
    }
