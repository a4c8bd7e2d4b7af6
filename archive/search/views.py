"""The search page and its help page: thin views over archive.search.run_search."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from archive.search import run_search


@require_safe
def search(request):
    return render(request, "search/search.html", {"search": run_search(request.GET)})


@require_safe
def search_help(request):
    return render(request, "search/help.html")
