"""Whoosh, the archive's embedded search engine: the only package that imports ``whoosh``.

- ``schema``: analysers (every word, stems for single words, common grams) and the index fields;
- ``backend``: Haystack's Whoosh backend made to scale (searching, facets, writing, checking);
- ``collectors``: score, rank, count and record every hit in one pass;
- ``highlighting``: passages with the query's matches marked, escaped;
- ``state``: the process's opened index, searcher and caches per index directory;
- ``rebuild``: a new index built beside the live one and swapped in;
- ``engine``: the archive's index interface (``archive.search.engine.IndexEngine``) on Whoosh.

Haystack loads ``archive.search.whoosh.backend.ArchiveWhooshEngine`` (settings: ``SEARCH_URL=whoosh://``).
"""
