"""What every public page shares: who may preview drafts, and the one list page base class.

A list page (statements, speakers, meetings, quotations) is a ``ListPage``: its rows, narrowed by
the whitelisted filters of ``archive/filters.py``, sorted, paginated, with facet panels counted by
the database over the statements the filters allow - and, where it offers downloads, the same rows
unpaginated are what ``?format=csv`` and ``?format=jsonl`` send. Links come from
``archive.querystring``.
"""

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_safe

from archive import exports, querystring
from archive.filters import FACET_LIMIT, FACET_LOOKUPS, combined_facets, parse_filters, parse_sort
from archive.models import Speech

PAGE_SIZE = 20
LIST_DEFERRED = ("text", "notes")
# What a statement row (templates/archive/includes/speech_row.html) reads, and nothing else.
ROW_FIELDS = (
    "title",
    "date",
    "date_precision",
    "status",
    "published_at",
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


@method_decorator(require_safe, name="dispatch")
class ListPage(View):
    """Rows + filters + sort + pages + facet panels (+ downloads), all from the GET parameters."""

    template_name = None
    sorts = {"newest": "Newest first", "oldest": "Oldest first"}  # the first is the default
    per_page = PAGE_SIZE
    facet_keys = ()  # panels counted over the statements the filters allow
    downloads = False  # whether ?format=csv|jsonl sends the rows (see download())
    noun = "statements"  # what the pagination counts

    def get_object(self):
        return None

    def get_statements(self):
        """The published statements the page is about: what its facets count over."""
        return Speech.objects.published()

    def get_rows(self):
        """The rows listed, filtered by ``self.state`` and ordered by ``self.sort``."""
        raise NotImplementedError

    def paginate(self, rows):
        page, message = querystring.paginate(self.request.GET, rows, self.per_page)
        return page, message

    def download(self, rows, fmt):
        raise NotImplementedError

    def get_extra_context(self):
        return {}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.query = querystring.Query(request.GET)
        self.state = parse_filters(request.GET)
        self.sort, sort_error = parse_sort(request.GET, tuple(self.sorts))
        self.messages = [m for m in [*self.state.errors, sort_error] if m]
        rows = self.get_rows()
        fmt = request.GET.get("format", "").strip()
        if fmt and self.downloads:
            if fmt in exports.FORMATS:
                return self.download(rows, fmt)
            self.messages.append(f"Ignored the format {fmt[:20]!r}: downloads are csv or jsonl.")
        page, page_error = self.paginate(rows)
        if page_error:
            self.messages.append(page_error)
        context = {
            "object": self.object,
            "page": page,
            "pager": querystring.pager(self.query, page),
            "noun": self.noun,
            "facet_panels": self.facet_panels(),
            "active_filters": querystring.active_filters(self.query, self.state),
            "state": self.state,
            "sort": self.sort,
            "sort_options": list(self.sorts.items()),
            "export_links": self.query.export_links() if self.downloads else [],
            **self.get_extra_context(),
        }
        context["messages_list"] = self.messages  # after get_extra_context, which may add some
        return render(request, self.template_name, context)

    def facet_panels(self):
        keys = [key for key in self.facet_keys if key in FACET_LOOKUPS]
        if not keys:
            return []
        more, label_contains = querystring.facet_request(self.request.GET, FACET_LOOKUPS)
        facets = combined_facets(
            self.get_statements(), self.state, keys, limit=FACET_LIMIT + 1, more=more, label_contains=label_contains
        )
        return querystring.facet_panels(self.query, facets, self.state, more=more, label_contains=label_contains)
