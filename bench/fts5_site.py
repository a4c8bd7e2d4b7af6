"""Bench only (never part of the product): the archive's site plus ``/fts5/``, a search page answered
by a naive SQLite FTS5 index of the same speeches, so both are timed the same way (HTTP, gunicorn).

    DJANGO_SETTINGS_MODULE=fts5_settings FTS5_BENCH_PATH=.../fts5.sqlite3 \
        gunicorn --pythonpath bench archive.wsgi:application

``/fts5/?q=...`` takes the search page's parameters (``match``: the FTS5 MATCH expression,
``country``, ``date_from``/``date_to`` as years), asks FTS5 for what a search page needs - the top
20 by rank with snippets, the total, and the counts of the five facet panels by GROUP BY
(``search_vs_fts5.fts5_page``) - reads the 20 hits' display fields from the database in one query, labels the facet values as the
archive does, and renders the archive's own ``search/search.html``. ``fts5_settings`` is the
archive's settings with this module's URLs.
"""

import html
import os
import threading
from pathlib import Path
from types import SimpleNamespace

from django.shortcuts import render
from django.urls import include, path
from django.utils.safestring import mark_safe
from search_vs_fts5 import connect_fts5, fts5_page

from archive.models import Speech
from archive.search.results import _panels, _prepare
from archive.views.search import search_page_context

_local = threading.local()


def _db():
    if not hasattr(_local, "db"):
        _local.db = connect_fts5(Path(os.environ["FTS5_BENCH_PATH"]), check_same_thread=False)
    return _local.db


def fts5_search(request):
    result, _sqs, _parsed, state, panels = _prepare(request.GET, 20, False, True, "default")
    match = request.GET.get("match") or result.q
    country = request.GET.get("country") or None
    years = None
    if result.date_from or result.date_to:
        years = (result.date_from.year if result.date_from else 0, result.date_to.year if result.date_to else 9999)
    total, top, by_country, by_year, others = fts5_page(_db(), match, country, years, marks=("\x01", "\x02"))
    rows = {
        row["pk"]: row
        for row in Speech.objects.published()
        .filter(pk__in=[pk for pk, _snippet in top])
        .values("pk", "title", "speaker__name", "country__name", "event__body__name", "date")
    }
    hits = []
    for pk, snippet in top:
        row = rows.get(pk)
        if row is None:
            continue
        escaped = html.escape(snippet, quote=False).replace("\x01", "<mark>").replace("\x02", "</mark>")
        hits.append(
            SimpleNamespace(
                model_name="speech",
                pk=pk,
                url=f"/statements/{pk}/",
                title=row["title"],
                speaker_name=row["speaker__name"],
                country_name=row["country__name"],
                body_name=row["event__body__name"],
                display_date=str(row["date"].year),
                snippet=mark_safe(escaped),  # noqa: S308 - escaped just above
            )
        )
    result.total, result.hits = total, hits
    counts = {"country": [(c, n) for c, n in by_country if c], "year": [(str(y), n) for y, n in by_year]}
    counts.update({"topics" if name == "topic" else name: rows for name, rows in others.items()})
    result.facets = _panels(counts, [p for p in panels if p[1] in counts], state, result)
    return render(request, "search/search.html", search_page_context(result))


urlpatterns = [path("fts5/", fts5_search), path("", include("archive.urls"))]
