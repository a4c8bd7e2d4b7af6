"""The search page, its downloads, its trend chart and its help page: thin views over archive.search."""

import csv
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from archive import charts, exports, querystring, reading
from archive.filters import FILTERS
from archive.models import Quotation, Speech
from archive.ratelimit import rate_limited
from archive.search import run_search, search_objects
from archive.search.results import COMPARE_KEYS, run_trend


@require_safe
@rate_limited("search")
def search(request):
    fmt = request.GET.get("format", "").strip()
    if fmt in exports.FORMATS:
        return search_download(request, fmt)
    result = run_search(request.GET)
    if fmt:
        result.messages.append(f"Ignored the format {fmt[:20]!r}: downloads are csv or jsonl.")
    return render(request, "search/search.html", search_page_context(result))


def search_page_context(result):
    """The search page's template context for a search's results (bench/fts5_site.py renders its
    FTS5 page with it too)."""
    query = urlencode(result.params)
    return {
        "search": result,
        "export_links": result.query.export_links(),
        "pager": result.pager,
        "noun": result.type,
        "facet_panels": result.facets,
        "active_filters": result.active_filters,
        "feed_url": result.query.link(reverse("search-feed")),
        "trend_url": result.query.link(reverse("search-trend"), *TREND_DROP),
        # A result's link carries the words to mark and the way back to this page of results.
        "from_search": reading.from_search([*result.params, *([("page", result.page)] if result.page > 1 else [])]),
        "alert_query": query or "q=",
    }


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


TREND_DROP = ("page", "sort", "format", "more", "facet_filter", "compare")


@require_safe
@rate_limited("search")
def trend(request):
    """How often a search matches, per year: an SVG chart, its table and a CSV of the numbers."""
    result = run_trend(request.GET)
    search = result.search
    state = [(k, v) for k, v in search.params if k not in TREND_DROP]
    if request.GET.get("format", "").strip() == "csv":
        return trend_csv(result)
    query = querystring.Query(state + ([("compare", result.compare)] if result.compare else []))
    context = {
        "trend": result,
        "search": search,
        "chart": charts.trend_chart(result.years, result.series),
        "rows": [
            {
                "year": year,
                "cells": [
                    (s.counts.get(year, 0), s.totals.get(year, 0), f"{s.share(year) * 100:.1f}") for s in result.series
                ],
            }
            for year in result.years
        ],
        "messages": [*search.messages, *result.messages],
        "state": state,
        "compare_options": [(key, FILTERS[key].label) for key in COMPARE_KEYS],
        "search_url": querystring.Query(state).link(reverse("search")),
        "csv_url": query.href(format="csv"),
    }
    return render(request, "search/trend.html", context)


def trend_csv(result):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="trend.csv"'
    writer = csv.writer(response)
    writer.writerow(["year", "series", "value", "matching", "statements", "share"])
    for series in result.series:
        for year in result.years:
            writer.writerow(
                [
                    year,
                    series.label,
                    series.value,
                    series.counts.get(year, 0),
                    series.totals.get(year, 0),
                    f"{series.share(year):.4f}",
                ]
            )
    return response
