"""Haystack's Elasticsearch 7 backend, made to answer as the Whoosh one does (``SEARCH_URL=elasticsearch://``).

What the stock backend does and why this subclass does otherwise:

- Its text fields use the ``snowball`` analyzer, which drops English stopwords: ``"we the peoples"``
  would match every speech with *peoples*. Here no analyzer has a stopword list: the document text
  is stemmed (Snowball English; French, Spanish and Russian copies with their own stemmers) and
  has an ``exact`` sub-field of every word as written; quoted words and phrases are matched on it
  (``quote_field_suffix``), like Whoosh's exact field. Words are searched in the text and the
  language copies together, so a word only one language field holds never empties an AND.
- It fails silently (logs, returns no hits). Here a query the engine cannot read raises
  ``QuerySyntaxError`` (the page says so and searches plain words), a server that cannot be reached
  or an index that is missing raises ``IndexUnreadable`` (a 503 page), never an empty page.
- It counts at most 10,000 hits; here totals are exact (``track_total_hits``).
- Facet sizes: Haystack's ``facet(limit=N)`` becomes the terms aggregation's ``size``.
- Highlights: ``<mark>``, the best three passages joined as Whoosh joins them; a hit whose match is
  not in the text shows the text's first words. ``archive/search/results.py`` escapes them.
- Suggestions come from the ``exact`` sub-field: surface words, never stems.
- Every document stores ``content_hash`` (not indexed) for ``index_check``.

Writes, rebuilds and checks go through ``archive.search.elasticsearch.engine`` (the archive's index
interface), never through Haystack's ``update_index``.
"""

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)

from archive.search.elasticsearch.engine import ElasticsearchIndex
from archive.search.engine import HASH_FIELD, IndexUnreadable, QuerySyntaxError, document_hash, prepared_fields
from archive.search.engine import LANGUAGE_FIELDS as LANGUAGE_CODES

# The language copies of the document text (archive/search_indexes.py) and their stemmers.
_STEMMER_LANGUAGES = {"fr": "French", "es": "Spanish", "ru": "Russian"}
LANGUAGE_FIELDS = {field: _STEMMER_LANGUAGES[code] for field, code in LANGUAGE_CODES.items()}
EXACT = "exact"  # the sub-field of every text field holding its words as written
# What the archive's mapping is; an index whose _meta says otherwise is rebuilt by the index worker.
SCHEMA_VERSION = "es-2: every word, stems, exact sub-fields, content hashes, verification facet"

_STEMMERS = {"archive_stem_en": "English", **{f"archive_stem_{f[-2:]}": lang for f, lang in LANGUAGE_FIELDS.items()}}


def _analysis():
    analysis = {
        "filter": {name: {"type": "snowball", "language": language} for name, language in _STEMMERS.items()},
        "analyzer": {
            # The standard tokenizer makes each CJK ideograph a token, as Whoosh's pattern does.
            "archive_exact": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
            **{
                name.replace("stem", "text"): {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", name]}
                for name in _STEMMERS
            },
        },
    }
    base = Elasticsearch7SearchBackend.DEFAULT_SETTINGS["settings"]["analysis"]
    for key, values in base.items():
        analysis.setdefault(key, {}).update(values)
    return analysis


class ArchiveElasticsearchBackend(Elasticsearch7SearchBackend):
    index_engine = ElasticsearchIndex  # what the worker, rebuilds, index_check and the middleware use

    DEFAULT_SETTINGS = {"settings": {"index": {"max_ngram_diff": 2}, "analysis": _analysis()}}

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # Never an empty page for an engine that is down: errors reach the caller (see the module).
        self.silently_fail = False
        self.include_spelling = True

    # -- mapping --------------------------------------------------------------------------------
    def build_schema(self, fields):
        content_field_name, mapping = super().build_schema(fields)
        exact = {"type": "text", "analyzer": "archive_exact", "term_vector": "with_positions_offsets"}
        for field in fields.values():
            name = field.index_fieldname
            if field.document:
                analyzer = "archive_text_en"
            elif name in LANGUAGE_FIELDS:
                analyzer = f"archive_text_{name[-2:]}"
            else:
                continue
            mapping[name] = {
                "type": "text",
                "analyzer": analyzer,
                "term_vector": "with_positions_offsets",  # highlights over the text and its exact words
                "fields": {EXACT: dict(exact)},
            }
        mapping[HASH_FIELD] = {"type": "keyword", "index": False}
        return content_field_name, mapping

    def index_body(self):
        """Settings and mappings of a new index, with the schema version in its ``_meta``."""
        from haystack import connections

        unified = connections[self.connection_alias].get_unified_index()
        self.content_field_name, mapping = self.build_schema(unified.all_searchfields())
        return {
            **self.DEFAULT_SETTINGS,
            "mappings": {"_meta": {"archive_schema": SCHEMA_VERSION}, "properties": mapping},
        }

    def text_fields(self):
        from haystack import connections

        unified = connections[self.connection_alias].get_unified_index()
        fields = unified.all_searchfields()
        return [unified.document_field] + [name for name in LANGUAGE_FIELDS if name in fields]

    # -- documents ------------------------------------------------------------------------------
    def prepare_document(self, index, obj):
        """The document as this engine stores it, with its content hash; None when skipped."""
        from haystack.constants import ID

        document = prepared_fields(index, obj, self._from_python)
        if document is None:
            return None
        document[HASH_FIELD] = document_hash(document)
        document["_id"] = document[ID]
        return document

    # -- searching ------------------------------------------------------------------------------
    def search(self, query_string, **kwargs):
        import elasticsearch

        if not self.setup_complete:
            try:
                self.setup()
            except Exception as error:
                problem = f"The search index {self.index_name} cannot be set up: {_reason(error)}"
                raise IndexUnreadable(problem) from error
        try:
            return super().search(query_string, **kwargs)
        except elasticsearch.RequestError as error:  # HTTP 400: a query the engine cannot parse
            raise QuerySyntaxError(_reason(error)) from error
        except (elasticsearch.TransportError, elasticsearch.ElasticsearchException) as error:
            raise IndexUnreadable(f"The search index {self.index_name} cannot be read: {_reason(error)}") from error

    def build_search_kwargs(self, query_string, **kwargs):
        facets = kwargs.get("facets")
        if facets:
            # Haystack's facet(limit=N) options go into the terms aggregation as they are.
            kwargs["facets"] = {
                name: {("size" if key == "limit" else key): value for key, value in options.items()}
                for name, options in facets.items()
            }
        spelling = kwargs.get("spelling_query")
        search = super().build_search_kwargs(query_string, **kwargs)
        search["track_total_hits"] = True
        query_string_query = _find(search.get("query"), "query_string")
        if query_string_query is not None:
            query_string_query.pop("default_field", None)
            query_string_query["fields"] = self.text_fields()
            query_string_query["quote_field_suffix"] = "." + EXACT
            query_string_query["fuzziness"] = 1  # word~ is one edit, as on Whoosh
        if "highlight" in search:
            content = self.content_field_name or "text"
            search["highlight"] = {
                "pre_tags": ["<mark>"],
                "post_tags": ["</mark>"],
                "fields": {
                    content: {
                        "type": "fvh",
                        "matched_fields": [content, f"{content}.{EXACT}"],
                        "fragment_size": 240,
                        "number_of_fragments": 3,
                        "no_match_size": 240,
                    }
                },
            }
        if "suggest" in search:
            content = self.content_field_name or "text"
            search["suggest"] = {
                "suggest": {
                    "text": spelling or query_string,
                    "term": {
                        "field": f"{content}.{EXACT}",  # surface words, never stems
                        "suggest_mode": "popular",
                        "sort": "score",
                        "max_edits": 2,
                        "prefix_length": 1,
                        "min_word_length": 3,
                    },
                }
            }
        return search

    def _process_results(self, raw_results, highlight=False, result_class=None, distance_point=None, geo_sort=False):
        results = super()._process_results(raw_results, highlight, result_class, distance_point, geo_sort)
        for result in results["results"]:
            passages = getattr(result, "highlighted", None)
            if isinstance(passages, list) and passages:
                # One snippet of the best passages, as Whoosh's highlighter joins them.
                result.highlighted = {self.content_field_name or "text": [" … ".join(passages)]}
        suggestion = results.get("spelling_suggestion")
        if suggestion and suggestion.lower() == " ".join(_words(raw_results)).lower():
            results["spelling_suggestion"] = None  # nothing was corrected
        return results


def _words(raw_results):
    return [word["text"] for word in raw_results.get("suggest", {}).get("suggest", [])]


def _find(node, key):
    """The first dict under ``key`` anywhere in a search body."""
    if isinstance(node, dict):
        if key in node:
            return node[key]
        for value in node.values():
            found = _find(value, key)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find(value, key)
            if found is not None:
                return found
    return None


def _reason(error):
    """The server's own reason for an error, else the error's text."""
    info = getattr(error, "info", None)
    if isinstance(info, dict):
        cause = (info.get("error") or {}).get("root_cause") or [{}]
        reason = cause[0].get("reason") if isinstance(cause[0], dict) else None
        if reason:
            return reason
    return str(error) or type(error).__name__


class ArchiveElasticsearchQuery(Elasticsearch7SearchQuery):
    """Stock query building; the differences are all in the backend."""


class ArchiveElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = ArchiveElasticsearchBackend
    query = ArchiveElasticsearchQuery
