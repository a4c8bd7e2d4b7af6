"""Search: query handling, results, the index outbox and worker, rebuilds and checks, behind one engine
interface (``engine.py``) with two engines: ``whoosh/`` (embedded, the default) and ``elasticsearch/``."""


def run_search(params, **options):
    """Run the search a set of GET parameters describes; see archive.search.results.run_search."""
    from archive.search.results import run_search as _run_search

    return _run_search(params, **options)


def search_objects(params, **options):
    """Every hit of a search as published model objects, read in chunks; see
    archive.search.results.search_objects."""
    from archive.search.results import search_objects as _search_objects

    return _search_objects(params, **options)
