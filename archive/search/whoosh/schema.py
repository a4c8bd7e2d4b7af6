"""The Whoosh index's schema: analysers (every word, stems, common grams), fields and the marker.

The index schema is what the index on disk was built with: changing a field here needs a new
``SCHEMA_VERSION`` (an index with another marker is rebuilt by the index worker).
"""

import os
import sys
import types

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from whoosh.analysis import STOP_WORDS, Filter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import DATETIME, KEYWORD, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID

from archive.search.engine import HASH_FIELD, LANGUAGE_FIELDS
from archive.search.engine import document_hash as engine_document_hash

# CJK ideographs, kana and hangul become one token per character (Chinese has no spaces; a word is
# then found as a phrase of characters); everything else is split into words as Whoosh does.
WORD_PATTERN = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|\w+(?:\.?\w+)*"

# Every word of the document text as written (lowercased, never stemmed), plus the adjacent pairs
# that hold a very common word ("we the", "the peoples", "to be"), without positions: Lucene's
# "common grams", with positions. A quoted word is one term of this field; a phrase needs its common
# pairs here, then its words as written in order (positions of this field), checked only in the
# documents that hold those pairs. So a phrase of common words ("to be or not to be") costs a few
# posting lists, never a position check in every speech, and the field stays small: pairs of two
# rarer words ("climate change") are not stored, since the rarer words already narrow the check.
# "Did you mean" proposes this field's single words: surface words, never stems.
COMMON_WORDS = STOP_WORDS  # Whoosh's English list: the words that used to be dropped
EXACT_FIELD = "text_exact"
# What an index was built with; an index without this marker (or with an older version) was built
# by an earlier release (stopwords dropped, no exact field) and is rebuilt by the index worker.
SCHEMA_VERSION = "6: every word, exact words with positions and common grams, content hashes, verification facet"
SCHEMA_MARKER = "archive-schema.marker"


def make_analyzer(language="en"):
    # Every word is kept (no stopword list): "we the peoples" and "to be or not to be" are what
    # researchers search for. minsize=1 keeps single CJK characters.
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StemFilter(lang=language, cachesize=50000)


class CommonGramsFilter(Filter):
    """Each word, then the pair it makes with the word before it when either is a common word."""

    def __init__(self, common=COMMON_WORDS):
        self.common = common

    def __call__(self, tokens):
        previous, common = None, self.common
        for token in tokens:
            word = token.text
            if previous is not None and (previous in common or word in common):
                token.text = previous + " " + word
                yield token
                token.text = word
            yield token
            previous = word


# Whoosh keeps the schema pickled in the index's table of contents, and indexes written before this
# package existed name the filter by its old module: that name stays importable so those indexes
# open (and serve) while nothing needs rebuilding, instead of answering 503 until a full rebuild.
LEGACY_MODULE = "archive.search.backend"
sys.modules.setdefault(LEGACY_MODULE, types.ModuleType(LEGACY_MODULE)).CommonGramsFilter = CommonGramsFilter


def make_exact_analyzer():
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CommonGramsFilter()


def create_index(storage, schema):
    """A new, empty index whose every document will carry EXACT_FIELD (the marker says so)."""
    index = storage.create_index(schema)
    if EXACT_FIELD in schema:
        with open(os.path.join(storage.folder, SCHEMA_MARKER), "w") as handle:
            handle.write(SCHEMA_VERSION + "\n")
    return index


def schema_version(path):
    try:
        with open(os.path.join(path, SCHEMA_MARKER)) as handle:
            return handle.read().strip()
    except OSError:
        return None


def build_schema(fields):
    """(content field name, Whoosh Schema) for Haystack's search fields."""
    schema = {
        ID: WHOOSH_ID(stored=True, unique=True),
        DJANGO_CT: WHOOSH_ID(stored=True),
        DJANGO_ID: WHOOSH_ID(stored=True),
    }
    content_field_name = ""
    for field in fields.values():
        name = field.index_fieldname
        if field.document:
            content_field_name = name
            # Stored once, with character positions, for highlighting without re-analysis.
            schema[name] = TEXT(analyzer=make_analyzer("en"), stored=True, chars=True, multitoken_query="phrase")
        elif name in LANGUAGE_FIELDS:
            schema[name] = TEXT(analyzer=make_analyzer(LANGUAGE_FIELDS[name]), chars=True, multitoken_query="phrase")
        elif not field.indexed:
            schema[name] = STORED()
        elif hasattr(field, "facet_for") and field.is_multivalued:
            # Several values per document; counted from postings read once per segment.
            schema[name] = KEYWORD(commas=True, lowercase=False, stored=field.stored)
        elif hasattr(field, "facet_for"):
            # Untokenized: "Guinea-Bissau" and "côte-d-ivoire" are one value each, counted from a column.
            schema[name] = WHOOSH_ID(stored=field.stored, sortable=True)
        elif field.field_type in ("date", "datetime"):
            schema[name] = DATETIME(stored=field.stored, sortable=True)
        elif field.is_multivalued:
            schema[name] = KEYWORD(commas=True, lowercase=False, stored=field.stored)
        else:
            schema[name] = TEXT(analyzer=make_analyzer("en"), stored=field.stored)
    if not content_field_name:
        raise SearchBackendError("No document=True field found in the search indexes.")
    # Not stored; positions (no characters): a phrase is checked on the words as written.
    schema[EXACT_FIELD] = TEXT(analyzer=make_exact_analyzer(), phrase=True)
    schema[HASH_FIELD] = STORED()
    return content_field_name, Schema(**schema)


def document_hash(document):
    """The content hash of a Whoosh document (EXACT_FIELD is a copy of the document text)."""
    return engine_document_hash(document, ignore=(EXACT_FIELD,))
