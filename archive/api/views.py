"""The read-only JSON API: published material only, the site's filters, pages, and a rate limit."""

from django.db.models import Count, Prefetch, Q
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import PageNumberPagination

from archive.api import serializers
from archive.filters import DATE_KEYS, FILTERS, filter_quotations, filter_speeches, parse_filters
from archive.models import Body, Country, Event, Quotation, Source, Speaker, Speech, Topic


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _published_q(prefix):
    return Q(**{f"{prefix}status": Speech.Status.PUBLISHED, f"{prefix}published_at__isnull": False})


class WhitelistFilterBackend(BaseFilterBackend):
    """The site's filters (archive/filters.py); a malformed value is a 400 with the reason, not a 500."""

    def filter_queryset(self, request, queryset, view):
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
            .select_related("speaker", "speech", "source")
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
        # Membership by subqueries, not joins: the count below then needs no DISTINCT over a join.
        speaking = Q(pk__in=Speech.objects.published().values("speaker_id"))
        quoted = Q(pk__in=Quotation.objects.published().values("speaker_id"))
        return (
            Speaker.objects.filter(speaking | quoted)
            .annotate(statement_count=Count("speeches", filter=_published_q("speeches__")))
            .order_by("sort_name", "name", "pk")
        )

    def apply_filters(self, queryset, state):
        return queryset.filter(pk__in=filter_speeches(Speech.objects.published(), state).values("speaker_id"))


class CountryViewSet(_ReadOnly):
    """Every delegation the archive knows, with its number of published statements."""

    serializer_class = serializers.CountrySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2,3}"

    def get_queryset(self):
        return Country.objects.annotate(statement_count=Count("speeches", filter=_published_q("speeches__"))).order_by(
            "name", "pk"
        )


class BodyViewSet(_ReadOnly):
    serializer_class = serializers.BodySerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Body.objects.select_related("parent").order_by("name", "pk")


class TopicViewSet(_ReadOnly):
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Topic.objects.select_related("parent").order_by("name", "pk")


class EventViewSet(_ReadOnly):
    """Meetings with published statements, newest first."""

    serializer_class = serializers.EventSerializer
    lookup_field = "slug"
    filter_keys = ["speaker", "country", "body", "topic", "year", "language"]
    date_filters = True

    def get_queryset(self):
        return (
            Event.objects.filter(pk__in=Speech.objects.published().values("event_id"))
            .select_related("body")
            .annotate(statement_count=Count("speeches", filter=_published_q("speeches__")))
            .order_by("-date", "title", "pk")
        )

    def apply_filters(self, queryset, state):
        return queryset.filter(pk__in=filter_speeches(Speech.objects.published(), state).values("event_id"))
