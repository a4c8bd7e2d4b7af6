"""Highlights for a page of Whoosh hits: the query's matches found from the stored character
positions of the page's documents only, then the best passages, HTML-escaped with <mark> added."""

import html

from whoosh import query as wq
from whoosh.analysis import Token
from whoosh.highlight import PinpointFragmenter, top_fragments


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


def char_maps(searcher, schema, content_field_name, text_fields, page, query):
    """docnum -> [(startchar, endchar)] of the query's matches, read from the stored positions of
    the page's documents only: a phrase is marked where its words stand in order (never each
    common word on its own), other terms wherever they occur (prefixes and fuzzy terms expanded)."""
    wanted = sorted(hit.docnum for hit in page)
    spans = {docnum: [] for docnum in wanted}
    if not wanted or query is None:
        return spans
    reader = searcher.reader()
    phrases = []

    def without_phrases(sub):
        if isinstance(sub, wq.Phrase):
            if sub.fieldname == content_field_name and len(sub.words) > 1:
                phrases.append(sub)
            return wq.NullQuery
        return sub if sub.is_leaf() else sub.apply(without_phrases)

    terms = without_phrases(query)
    for fieldname, btext in terms.existing_terms(reader, expand=True):
        if fieldname not in text_fields:
            continue
        for docnum, characters in term_characters(searcher, fieldname, btext, wanted):
            spans[docnum].extend((s, e) for _pos, s, e in characters)
    for phrase in phrases:
        fieldobj = schema[phrase.fieldname]
        per_word = []
        for word in phrase.words:
            btext = fieldobj.to_bytes(word)
            found = dict(term_characters(searcher, phrase.fieldname, btext, wanted))
            per_word.append(found)
        for docnum in wanted:
            if not all(docnum in found for found in per_word):
                continue
            by_position = [{pos: (s, e) for pos, s, e in found[docnum]} for found in per_word]
            for pos, (start, _end) in by_position[0].items():
                if all(pos + offset in by_position[offset] for offset in range(1, len(by_position))):
                    spans[docnum].append((start, by_position[-1][pos + len(by_position) - 1][1]))
    return spans


def term_characters(searcher, fieldname, btext, wanted):
    """(docnum, [(position, startchar, endchar)]) for the wanted documents that hold a term."""
    if (fieldname, btext) not in searcher.reader():
        return
    matcher = searcher.postings(fieldname, btext)
    for docnum in wanted:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            yield docnum, list(matcher.value_as("characters"))


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
    fragments = top_fragments(
        fragmenter.fragment_matches(text, tokens), top, fragment_score, lambda f: f.startchar, minscore=1
    )
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
