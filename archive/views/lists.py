"""Lists of things: speakers, meetings and quotations (``ListPage``s, narrowed by the statement
filters), and the fixed reference lists of countries, bodies, topics and years."""

from django.db.models import Count, Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from archive import exports
from archive.filters import filter_quotations, filter_speeches
from archive.models import Body, Country, Event, Quotation, Speech, Topic
from archive.views.base import LIST_DEFERRED, ListPage


class SpeakerListView(ListPage):
    """Speakers A-Z with their numbers of published statements, narrowed by any statement filter."""

    template_name = "archive/speaker_list.html"
    sorts = {"name": "Name A-Z", "count": "Most statements"}
    per_page = 50
    facet_keys = ("country", "body", "year")
    noun = "speakers"

    def get_rows(self):
        self.letter = self.request.GET.get("letter", "").strip().upper()
        if self.letter and not (len(self.letter) == 1 and self.letter.isalpha()):
            self.messages.append(f"Ignored the letter {self.letter[:10]!r}: choose one letter A-Z.")
            self.letter = ""
        self.name = self.request.GET.get("name", "").strip()[:100]
        filtered = filter_speeches(Speech.objects.published(), self.state)
        rows = filtered.order_by().values("speaker__slug", "speaker__name", "speaker__sort_name")
        if self.letter:
            rows = rows.filter(speaker__sort_name__istartswith=self.letter)
        if self.name:
            rows = rows.filter(Q(speaker__name__icontains=self.name) | Q(speaker__sort_name__icontains=self.name))
        rows = rows.annotate(count=Count("pk", distinct=True))
        return (
            rows.order_by("-count", "speaker__sort_name")
            if self.sort == "count"
            else rows.order_by("speaker__sort_name")
        )

    def get_extra_context(self):
        letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
        return {
            "letters": [(letter, self.query.href(letter=letter)) for letter in letters],
            "all_letters_href": self.query.href(letter=None),
            "show_all_href": self.query.href(name=None),
            "letter": self.letter,
            "name": self.name,
        }


class EventListView(ListPage):
    """Meetings and debates with published statements, narrowed by the statement filters."""

    template_name = "archive/event_list.html"
    facet_keys = ("body", "country", "year", "topic")
    noun = "meetings"

    def get_rows(self):
        self.filtered = filter_speeches(Speech.objects.published(), self.state)
        order = ("-date", "title") if self.sort == "newest" else ("date", "title")
        events = Event.objects.filter(pk__in=self.filtered.order_by().values("event_id"))
        return events.select_related("body").defer("description").order_by(*order)

    def paginate(self, rows):
        page, message = super().paginate(rows)
        # Counted for the page's meetings only, in one query, rather than for every one before paging.
        counts = self.filtered.filter(event__in=[event.pk for event in page.object_list]).count_by("event_id")
        for event in page.object_list:
            event.statement_count = counts.get(event.pk, 0)
        return page, message


class QuotationListView(ListPage):
    template_name = "archive/quotation_list.html"
    downloads = True
    noun = "quotations"

    def get_rows(self):
        order = ("-speech__date", "-speech_id", "start")
        if self.sort == "oldest":
            order = ("speech__date", "speech_id", "start")
        return filter_quotations(Quotation.objects.published(), self.state).with_related().order_by(*order)

    def paginate(self, rows):
        return super().paginate(rows.defer(*(f"speech__{name}" for name in LIST_DEFERRED)))

    def download(self, rows, fmt):
        return exports.quotation_download(self.request, rows, fmt)


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
    countries = Country.objects.public().with_statement_counts()
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


@require_safe
def body_list(request):
    counts = Speech.objects.published().count_by("event__body_id")
    return render(request, "archive/body_list.html", {"roots": Body.objects.public().nested(counts)})


@require_safe
def topic_list(request):
    counts = Speech.objects.published().count_by("topics")
    return render(request, "archive/topic_list.html", {"roots": Topic.objects.public().nested(counts)})


@require_safe
def date_archive(request):
    years = [{"year": year, "count": count} for year, count in reversed(Speech.objects.published().count_by_year())]
    return render(request, "archive/date_archive.html", {"years": years})
