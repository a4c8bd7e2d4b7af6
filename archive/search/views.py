"""The search page, its downloads and its help page: thin views over archive.search."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from archive import exports
from archive.models import Quotation, Speech
from archive.ratelimit import rate_limited
from archive.search import run_search, search_objects


@require_safe
@rate_limited("search")
def search(request):
    fmt = request.GET.get("format", "").strip()
    if fmt in exports.FORMATS:
        return search_download(request, fmt)
    result = run_search(request.GET)
    if fmt:
        result.messages.append(f"Ignored the format {fmt[:20]!r}: downloads are csv or jsonl.")
    query = urlencode(result.params)
    context = {
        "search": result,
        "export_links": [
            {"format": f, "label": label, "href": "?" + urlencode([*result.params, ("format", f)])}
            for f, label in (("csv", "CSV"), ("jsonl", "JSON Lines"))
        ],
        "feed_url": reverse("search-feed") + (f"?{query}" if query else ""),
        "alert_query": query or "q=",
    }
    return render(request, "search/search.html", context)


def search_download(request, fmt):
    """Every hit of the search (all pages, in the page's order) as CSV or JSON Lines, streamed."""
    quotations = request.GET.get("type") == "quotations"
    model, download = (Quotation, exports.quotation_download) if quotations else (Speech, exports.speech_download)
    prepare = exports.quotation_export_queryset if quotations else exports.speech_export_queryset

    def hits():  # searched only once the export rate limit has let the request through
        return search_objects(request.GET, queryset=prepare(model.objects.published()))[1]

    return download(request, hits, fmt, "search-quotations" if quotations else "search-statements")


@require_safe
def search_help(request):
    return render(request, "search/help.html")
