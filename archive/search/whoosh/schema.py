"""The Whoosh index's schema: analysers (every word, stems, common grams), fields and the marker.

The index schema is what the index on disk was built with: changing a field here needs a new
``SCHEMA_VERSION`` (an index with another marker is rebuilt by the index worker).
"""

import os
import re
import sys
import types
from array import array
from collections import Counter, defaultdict
from itertools import accumulate

from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError
from whoosh.analysis import STOP_WORDS, Filter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import DATETIME, KEYWORD, STORED, TEXT, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.formats import Existence, Frequency, Positions
from whoosh.lang import stemmer_for_language
from whoosh.system import pack_uint

from archive.search.engine import HASH_FIELD, LANGUAGE_FIELDS
from archive.search.engine import document_hash as engine_document_hash

# CJK ideographs, kana and hangul become one token per character (Chinese has no spaces; a word is
# then found as a phrase of characters); everything else is split into words as Whoosh does.
WORD_PATTERN = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|\w+(?:\.?\w+)*"

# Every word of the document text as written (lowercased, never stemmed) with its positions, and in
# a field of their own the adjacent pairs that hold a very common word ("we the", "the peoples",
# "to be"), without positions: Lucene's "common grams". A quoted word is one term of the exact field;
# a phrase needs its common pairs, then its words as written in order (positions of the exact
# field), checked only in the documents that hold those pairs. So a phrase of common words ("to be
# or not to be") costs a few posting lists, never a position check in every speech, and the fields
# stay small: pairs of two rarer words ("climate change") are not stored, since the rarer words
# already narrow the check.
# "Did you mean" proposes this field's single words: surface words, never stems.
COMMON_WORDS = STOP_WORDS  # Whoosh's English list: the words that used to be dropped
EXACT_FIELD = "text_exact"
PAIRS_FIELD = "text_pairs"  # the common-gram pairs of the exact words, apart: they need no positions
# What an index was built with; an index without this marker (or with an older version) was built
# by an earlier release (stopwords dropped, no exact field) and is rebuilt by the index worker.
SCHEMA_VERSION = (
    "8: every word, exact words with positions, common-gram pairs in their own field without positions,"
    " content hashes, verification facet, stemmed fields without positions, no stored text,"
    " positions as byte arrays"
)
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
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


class OnlyPairs(Filter):
    def __call__(self, tokens):
        for token in tokens:
            if " " in token.text:
                yield token


def make_pairs_analyzer():
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CommonGramsFilter() | OnlyPairs()


# -- indexing without a token stream ---------------------------------------------------------------
# Whoosh indexes a text by running its analyser token by token in Python (a Token object through a
# chain of generators), twice per document here (stems, exact words). The formats below index the
# same terms as the fields' analysers give (tests/search/test_index_formats.py compares them) from
# the list of the text's words, found by one regular expression: each distinct word is stemmed once,
# counting is done by Counter. Queries still go through the analysers.
WORDS = re.compile(WORD_PATTERN)
_STEMS = {}  # language -> {word: stem}


def text_words(value):
    """The text's words as the analysers' tokenizer and lowercase filter give them."""
    return [word.lower() for word in WORDS.findall(value)]


class StemmedWords(Frequency):
    """A stemmed field's terms with their frequencies (no positions), from the text's distinct words."""

    def __init__(self, language="en", field_boost=1.0):
        super().__init__(field_boost=field_boost)
        self.language = language

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        stems = _STEMS.setdefault(self.language, {})
        if len(stems) > 500_000:
            stems.clear()
        stem = stemmer_for_language(self.language)
        counts = Counter()
        for word, count in Counter(text_words(value)).items():
            found = stems.get(word)
            if found is None:
                found = stems[word] = stem(word)
            counts[found] += count
        boost = self.field_boost
        for term, count in counts.items():
            yield term, count, count * boost, pack_uint(count)


class ExactWords(Positions):
    """The exact field: each word as written with its positions.

    Positions are kept as byte arrays of the gaps between them (one byte each when every gap is under
    256), decoded by ``array`` and ``accumulate`` in C: about a third of Whoosh's pickled lists.
    """

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        positions = defaultdict(list)
        for position, word in enumerate(text_words(value)):
            positions[word].append(position)
        boost = self.field_boost
        for word, found in positions.items():
            yield word, len(found), len(found) * boost, self.encode(found)

    def encode(self, poslist):
        gaps = [b - a for a, b in zip([0, *poslist], poslist)]  # noqa: B905
        largest = max(gaps) if gaps else 0
        typecode = "B" if largest < 256 else "H" if largest < 65536 else "I"
        return typecode.encode() + array(typecode, gaps).tobytes()

    def decode_positions(self, valuestring):
        return list(accumulate(array(chr(valuestring[0]), valuestring[1:])))

    def decode_frequency(self, valuestring):
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize


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
            # Stemmed words with their frequencies only: phrases are answered from EXACT_FIELD, and
            # highlights are made from the page's texts read from the database (not stored here).
            schema[name] = stemmed_field("en")
        elif name in LANGUAGE_FIELDS:
            schema[name] = stemmed_field(LANGUAGE_FIELDS[name])
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
    schema[EXACT_FIELD].format = ExactWords()
    # Not stored; no positions, no values: each common-gram pair and its count.
    schema[PAIRS_FIELD] = TEXT(analyzer=make_pairs_analyzer(), phrase=False)
    schema[PAIRS_FIELD].format = CommonPairs()
    schema[HASH_FIELD] = STORED()
    return content_field_name, Schema(**schema)


class CommonPairs(Existence):
    """The pairs field: each common-gram pair with its count as its weight, no positions and no
    value at all (a pair is searched as a term; phrases check the exact field's positions)."""

    def __init__(self, common=COMMON_WORDS, field_boost=1.0):
        super().__init__(field_boost=field_boost)
        self.common = frozenset(common)

    def word_values(self, value, analyzer, **kwargs):
        if not isinstance(value, str):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        words, common, boost = text_words(value), self.common, self.field_boost
        pairs = Counter(f"{a} {b}" for a, b in zip(words, words[1:]) if a in common or b in common)  # noqa: B905
        for pair, count in pairs.items():
            yield pair, count, count * boost, b""


def stemmed_field(language):
    field = TEXT(analyzer=make_analyzer(language), phrase=False, multitoken_query="phrase")
    field.format = StemmedWords(language)
    return field


def document_hash(document):
    """The content hash of a Whoosh document (EXACT_FIELD is a copy of the document text)."""
    return engine_document_hash(document, ignore=(EXACT_FIELD, PAIRS_FIELD))
