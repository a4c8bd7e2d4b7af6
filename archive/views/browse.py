"""Pages listing published statements: all of them, a speaker's, a country's, a body's, a topic's,
a year's, a month's, a day's. Each is a ``BrowseView`` with its own scope (a QuerySet method the
page's feed uses too) and a few extra facts."""

import calendar
import datetime

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from archive import charts, exports
from archive.filters import FACET_LOOKUPS, SORT_LABELS, SORTS, filter_speeches, speech_facets
from archive.models import Body, Country, Event, Quotation, Speaker, SpeakerRedirect, Speech, Topic
from archive.querystring import paginate
from archive.views.base import LIST_DEFERRED, ListPage, can_preview


def paginate_ids(params, ordered, per_page):
    """Sort and slice statement ids only, then read the page's twenty rows.

    Sorting whole statement rows makes the database read every long text; the ids and sort keys
    come from indexes, and only the rows shown are read (one more query, whatever the page).
    """
    page, message = paginate(params, ordered.values_list("pk", flat=True), per_page)
    ids = list(page.object_list)
    rows = Speech.objects.with_related().defer(*LIST_DEFERRED).in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids]
    return page, message


class BrowseView(ListPage):
    """A page listing published statements: scope + filters + sort + pages + facets + exports."""

    template_name = "archive/speech_list.html"
    sorts = {key: SORT_LABELS[key] for key in ("newest", "oldest", "speaker")}
    facet_keys = tuple(FACET_LOOKUPS)
    downloads = True
    export_name = "statements"
    heading = "All statements"

    def get_scope(self):
        """The published statements the page is about."""
        return Speech.objects.published()

    def get_statements(self):
        return self.get_scope()

    def get_rows(self):
        return filter_speeches(self.get_scope(), self.state).with_related().order_by(*SORTS[self.sort])

    def paginate(self, rows):
        return paginate_ids(self.request.GET, rows, self.per_page)

    def download(self, rows, fmt):
        return exports.speech_download(self.request, rows, fmt, self.get_export_name())

    def get_export_name(self):
        slug = getattr(self.object, "slug", None)
        return f"{self.export_name}-{slug}" if slug else self.export_name

    feed_name = None  # the URL name of the feed of this page's scope (archive/feeds.py), by slug

    def get_feed_url(self):
        return reverse(self.feed_name, kwargs={"slug": self.object.slug}) if self.feed_name else reverse("feed-latest")

    def get_extra_context(self):
        return {"heading": self.heading, "feed_url": self.get_feed_url()}


class SpeechListView(BrowseView):
    heading = "All statements"


class SpeakerDetailView(BrowseView):
    template_name = "archive/speaker_detail.html"
    feed_name = "feed-speaker"
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

    def get_extra_context(self):
        scope = self.get_scope()
        quotations = Quotation.objects.published().for_speaker(self.object)
        return {
            **super().get_extra_context(),
            "speaker": self.object,
            "roles": scope.roles(),
            "quotations": quotations.with_related().order_by("-speech__date", "-speech_id", "start")[:20],
            "topics": speech_facets(scope, ["topic"], limit=30)["topic"],
            "quotation_count": quotations.count(),
        }


class CountryDetailView(BrowseView):
    template_name = "archive/country_detail.html"
    feed_name = "feed-country"
    facet_keys = ("speaker", "body", "topic", "year", "language")

    def get_object(self):
        return get_object_or_404(Country.objects.public(), slug=self.kwargs["slug"])

    def get_scope(self):
        return Speech.objects.published().for_country(self.object)

    def get_extra_context(self):
        return {**super().get_extra_context(), "chart": charts.year_chart(self.get_scope().count_by_year())}


class _SubtreeView(BrowseView):
    """A body's or a topic's page: its statements and its narrower ones' (``Subtree``)."""

    model = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        name = self.model._meta.model_name
        self.template_name, self.feed_name = f"archive/{name}_detail.html", f"feed-{name}"

    def get_object(self):
        try:
            self.tree = self.model.objects.public().subtree(self.kwargs["slug"])
        except self.model.DoesNotExist as error:
            raise Http404(str(error)) from None
        return self.tree.root

    def get_extra_context(self):
        return {**super().get_extra_context(), "children": self.tree.children}


class BodyDetailView(_SubtreeView):
    """A body's meetings and statements, its subsidiary bodies' included."""

    facet_keys = ("speaker", "country", "topic", "year", "language")
    model = Body

    def get_scope(self):
        return Speech.objects.published().for_body(self.tree)

    def get_extra_context(self):
        events = (
            Event.objects.filter(body__in=self.tree.pks)
            .with_statement_counts()
            .filter(statement_count__gt=0)
            .select_related("body")
            .order_by("-date", "title")[:20]
        )
        return {**super().get_extra_context(), "events": events}


class TopicDetailView(_SubtreeView):
    """Statements on a topic or any narrower one."""

    facet_keys = ("speaker", "country", "body", "year", "language")
    model = Topic

    def get_scope(self):
        return Speech.objects.published().for_topic(self.tree)


# --- Date archive -------------------------------------------------------------------------------


def _valid_date(year, month=1, day=1):
    try:
        return datetime.date(year, month, day)
    except (ValueError, OverflowError):
        raise Http404("No such date.") from None


class _DateView(BrowseView):
    facet_keys = ("speaker", "country", "body", "topic", "language")

    def get_object(self):
        self.date = _valid_date(*(self.kwargs[key] for key in ("year", "month", "day") if key in self.kwargs))
        return None

    def get_export_name(self):
        return f"statements-{self.date_label()}"


class YearArchiveView(_DateView):
    template_name = "archive/date_year.html"

    def date_label(self):
        return str(self.date.year)

    def get_scope(self):
        return Speech.objects.published().filter(date__year=self.date.year)

    def get_extra_context(self):
        year, scope = self.date.year, self.get_scope()
        # Statements dated only to the year have no month to be counted under.
        months = scope.exclude(date_precision=Speech.DatePrecision.YEAR).count_by("date__month")
        return {
            **super().get_extra_context(),
            "year": year,
            "heading": f"Statements in {year}",
            "months": [(m, calendar.month_name[m], months[m]) for m in sorted(months)],
            "year_only": scope.filter(date_precision=Speech.DatePrecision.YEAR).count(),
        }


class MonthArchiveView(_DateView):
    template_name = "archive/date_month.html"

    def date_label(self):
        return f"{self.date.year}-{self.date.month:02d}"

    def get_scope(self):
        return Speech.objects.published().filter(
            date__year=self.date.year, date__month=self.date.month, date_precision__in=["day", "month"]
        )

    def get_extra_context(self):
        year, month = self.date.year, self.date.month
        days = self.get_scope().filter(date_precision=Speech.DatePrecision.DAY).count_by("date__day")
        return {
            **super().get_extra_context(),
            "year": year,
            "month": month,
            "month_name": calendar.month_name[month],
            "heading": f"Statements in {calendar.month_name[month]} {year}",
            "days": [(d, days[d]) for d in sorted(days)],
        }


class DayArchiveView(_DateView):
    template_name = "archive/date_day.html"

    def date_label(self):
        return self.date.isoformat()

    def get_scope(self):
        return Speech.objects.published().filter(date=self.date, date_precision=Speech.DatePrecision.DAY)

    def get_extra_context(self):
        month_name = calendar.month_name[self.date.month]
        return {
            **super().get_extra_context(),
            "date": self.date,
            "month_name": month_name,
            "heading": f"Statements on {self.date.day} {month_name} {self.date.year}",
        }
