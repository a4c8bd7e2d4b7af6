"""Elasticsearch 7, the archive's search engine at scale (``SEARCH_URL=elasticsearch://host:9200/index``).

- ``backend``: Haystack's Elasticsearch 7 backend, made to answer as the Whoosh one does (every word,
  exact phrases, exact counts, errors instead of empty pages);
- ``engine``: the archive's index interface (``archive.search.engine.IndexEngine``) on it: bulk
  changes under a lock, rebuilds behind an alias, a generation for result caches, checks.

Needs the ``elasticsearch`` client 7.x (pinned in requirements.txt) and a server of the 7 series.
"""
