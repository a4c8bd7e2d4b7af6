"""Search: the Whoosh backend, query handling, the index outbox and the search page."""


def run_search(params, **options):
    """Run the search a set of GET parameters describes; see archive.search.results.run_search."""
    from archive.search.results import run_search as _run_search

    return _run_search(params, **options)
