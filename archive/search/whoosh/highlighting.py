"""Highlights for a page of Whoosh hits, made from the page's texts as the database has them now.

The index stores no text and no character positions (they made it 3.6 times the size of SQLite
FTS5's on the full UNGDC): the backend reads the document text of the page's hits (20 at most) from
the database through each model's search index, and this module finds in it what the query searched:

- words of the stemmed text fields (the English one, and the French, Spanish and Russian copies):
  every word of the text whose stem is one of the query's terms (prefixes and fuzzy terms expanded
  against the index first);
- words and phrases of the exact field: the words as written, a phrase where its words stand in
  order (never each common word on its own);

then ranks the passages and escapes them, adding only ``<mark>``. The text is never analysed token
by token in Python: the surface forms of each query stem are read once per query from the exact
field's lexicon (only words that start like the stem are stemmed), and one regular expression per
query finds them, and the phrases, in each page text.
"""

import html
import re
from functools import lru_cache

from whoosh import query as wq
from whoosh.analysis import Token
from whoosh.highlight import PinpointFragmenter
from whoosh.lang import stemmer_for_language

from archive.search.whoosh.schema import EXACT_FIELD, WORD_PATTERN

CJK = re.compile(WORD_PATTERN.split("|")[0])
# A match starts and ends where the tokenizer's words do: not inside a word, nor inside "u.s.a".
BEFORE, AFTER = r"(?<!\w)(?<!\w\.)", r"(?!\.?\w)"


class EscapingFormatter:
    """Wraps matches in <mark>; every other character is HTML-escaped first, so stored text never
    becomes markup."""

    between = " … "

    def format(self, fragments):
        pieces = []
        for fragment in fragments:
            text, index, out = fragment.text, fragment.startchar, []
            for token in fragment.matches:
                if token.startchar < index:
                    continue
                out.append(html.escape(text[index : token.startchar], quote=False))
                out.append("<mark>" + html.escape(text[token.startchar : token.endchar], quote=False) + "</mark>")
                index = token.endchar
            out.append(html.escape(text[index : fragment.endchar], quote=False))
            pieces.append("".join(out).strip())
        return self.between.join(pieces)


@lru_cache(maxsize=8)
def stemmer(language):
    return lru_cache(maxsize=100_000)(stemmer_for_language(language))


class QueryWords:
    """What a query searched, in the terms of each text field: stemmed terms per language, exact
    words, and phrases (a field's words in order). Read once per page from the query and the index."""

    def __init__(self, query, reader, languages, query_string="", content_field=None):
        self.languages = languages  # text field -> stemmer language (EXACT_FIELD: no stemming)
        self.query_string, self.content_field = query_string, content_field
        self.stems = {}  # language -> set of stems
        self.exact = set()
        self.phrases = []  # [(language or None, [word, ...])]
        if query is not None:
            self._collect(query, reader)
        self.pattern = self._pattern(reader)

    def _collect(self, query, reader):
        if isinstance(query, wq.Not):
            return  # what a hit must not hold is not in it
        if isinstance(query, wq.AndNot):
            self._collect(query.a, reader)
            return
        if isinstance(query, wq.Phrase):
            if query.fieldname == self.content_field and query.char_ranges and self.query_string:
                # Quoted words are searched as written (the backend's exact query): so are they marked.
                words = [self.query_string[start:end].lower() for start, end in query.char_ranges]
                if len(words) > 1:
                    self.phrases.append((None, words))
                else:
                    self.exact.add(words[0])
            elif query.fieldname != self.content_field and self.content_field:
                pass  # phrases over the language copies are not searched (the content field has every text)
            elif query.fieldname in self.languages and len(query.words) > 1:
                self.phrases.append((self.languages[query.fieldname], list(query.words)))
            elif query.fieldname in self.languages:
                self._add(query.fieldname, query.words[0])
            return
        if not query.is_leaf():
            for sub in query.children():
                self._collect(sub, reader)
            return
        for fieldname, btext in query.existing_terms(reader, expand=True):
            if fieldname in self.languages:
                self._add(fieldname, btext.decode("utf-8"))

    def _add(self, fieldname, term):
        language = self.languages[fieldname]
        if language is None and " " in term:
            self.phrases.append((None, term.split(" ")))  # a common-gram pair is a two-word phrase
        elif language is None:
            self.exact.add(term)
        else:
            self.stems.setdefault(language, set()).add(term)

    def _pattern(self, reader):
        """One regular expression for every page text: the exact words, the words of the index that
        have a query stem (read from the exact field's lexicon once per query), and the phrases."""
        cache = {}

        def words_for(language, term):
            if language is None:
                return {term}
            if (language, term) not in cache:
                cache[(language, term)] = surface_forms(reader, language, term)
            return cache[(language, term)]

        marked = set(self.exact)
        for language, stems in self.stems.items():
            for term in stems:
                marked |= words_for(language, term)
        # Longest words first, then in alphabetical order: of two words matching at one place
        # ("peace-keeping", "peace") the regular expression takes the first, so the order must not
        # depend on how a set is hashed (the same page's passages differed from one process to the next).
        sequences = [[word] for word in sorted(marked, key=lambda word: (-len(word), word))]
        for language, words in self.phrases:
            each = [words_for(language, word) for word in words]
            if all(each):
                sequences.append(each)
        if not sequences:
            return None
        sequences.sort(key=len, reverse=True)  # a phrase is marked as one, before its words
        self.sequences = sequences
        # Searched in the lowercased text without a leading look-behind, which lets the regular
        # expression engine skip ahead to the possible first letters (twice as fast); the start of
        # each match is checked after.
        return re.compile("|".join(_sequence_pattern(s, before="") for s in sequences))

    def spans(self, text):
        """[(startchar, endchar)] of what the query searched, in ``text``."""
        if not text or self.pattern is None:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # lowercasing moved characters ("İ"): search the text as it is
            pattern = "|".join(_sequence_pattern(s) for s in self.sequences)
            return [match.span() for match in re.finditer(pattern, text, re.IGNORECASE)]
        return [match.span() for match in self.pattern.finditer(lowered) if _starts_a_word(lowered, match.start())]


def _starts_a_word(text, start):
    """What the look-behind BEFORE says, for a match found without it (a CJK character always does)."""
    if start == 0 or CJK.match(text, start):
        return True
    previous = text[start - 1]
    if previous.isalnum() or previous == "_":
        return False
    return not (previous == "." and start >= 2 and (text[start - 2].isalnum() or text[start - 2] == "_"))


def surface_forms(reader, language, term):
    """The words of the index (the exact field: words as written) whose stem is ``term``: only those
    that start like it are stemmed (a stem is its word's beginning, give or take its last letter:
    "countri" for "country")."""
    stem = stemmer(language)
    prefix = term[: max(1, len(term) - 1)]
    forms = set()
    for btext in reader.expand_prefix(EXACT_FIELD, prefix):
        if b" " not in btext:
            word = btext.decode("utf-8")
            if stem(word) == term:
                forms.add(word)
    return forms


def _sequence_pattern(sequence, before=BEFORE):
    """A regular expression for consecutive words, each one of a set of forms: words are separated
    by what is not a word, except CJK characters (each a word), which may stand side by side."""
    cjk = [all(CJK.fullmatch(form) for form in forms) for forms in sequence]
    pieces = [before if not cjk[0] else ""]
    for index, forms in enumerate(sequence):
        if index:
            pieces.append(r"\W*" if cjk[index - 1] or cjk[index] else r"\W+")
        pieces.append(_alternatives(forms))
    pieces.append(AFTER if not cjk[-1] else "")
    return "(?:" + "".join(pieces) + ")"


def _alternatives(words):
    """Any of the words, as a trie ("peace", "peaceful" -> "peace(?:ful)?"): a prefix expanded to
    hundreds of words is then matched about four times faster than by a flat list of them."""
    if isinstance(words, str):
        words = [words]
    root = {}
    for word in words:
        node = root
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}  # a word ends here

    def build(node):
        branches = [re.escape(character) + build(node[character]) for character in sorted(node) if character]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longest word first

    return "(?:" + build(root) + ")"


def highlight(text, spans, top=3):
    if not text:
        return ""
    if not spans:
        return html.escape(first_words(text), quote=False)
    spans = sorted(set(spans))
    tokens = []
    for start, end in spans:
        # Adjacent matches ("terrorism financing") become one mark.
        if tokens and (tokens[-1].endchar >= start or not text[tokens[-1].endchar : start].strip()):
            tokens[-1].endchar = max(tokens[-1].endchar, end)
            continue
        tokens.append(Token(startchar=start, endchar=end, matched=True))
    fragmenter = PinpointFragmenter(maxchars=240, surround=70, autotrim=True, charlimit=None)
    # The best passages, the earliest first among equals (Whoosh's top_fragments breaks ties by the
    # fragments' memory addresses, so a page's passages changed from one process to the next).
    scored = [(fragment_score(f), f) for f in fragmenter.fragment_matches(text, tokens)]
    best = sorted((pair for pair in scored if pair[0] >= 1), key=lambda pair: (-pair[0], pair[1].startchar))[:top]
    fragments = sorted((fragment for _, fragment in best), key=lambda fragment: fragment.startchar)
    if not fragments:
        return html.escape(first_words(text), quote=False)
    return EscapingFormatter().format(fragments)


# -- suggestions --------------------------------------------------------------------------


def fragment_score(fragment):
    """Passages with more of the query's different words first: a phrase beats a repeated word."""
    words = set()
    for token in fragment.matches:
        words.update(fragment.text[token.startchar : token.endchar].lower().split())
    return len(words) * 10 + len(fragment.matches)


def first_words(text, limit=240):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
