"""Direct and reported quotations in news text, attributed by surface patterns (no downloaded model).

Everything works on the verbatim text: offsets are character offsets into exactly the string the
caller passed, so a proposal can be saved against ``Source.original_text`` unchanged.

The package: ``marks`` pairs quotation marks into spans, ``patterns`` holds the reporting verbs and
speaker patterns, ``people`` resolves mentions to the people of the article, ``direct`` and
``reported`` attribute direct and reported speech; ``extract`` below runs them in reading order.
"""

from archive.ingest.quotes.direct import MAX_TITLE_WORDS, _attribute_direct, _reads_as_title, _utterance_fragment
from archive.ingest.quotes.marks import _clean_span, _word_count, pair_quotes, paragraph_spans
from archive.ingest.quotes.patterns import CUE, ROLE_NOUNS
from archive.ingest.quotes.people import Attributor
from archive.ingest.quotes.quote import (
    DIRECT,
    FRAGMENT,
    FRAGMENT_CONFIDENCE,
    INDIRECT,
    MIN_FRAGMENT_WORDS,
    MIN_WORDS,
    Extraction,
    Quote,
)
from archive.ingest.quotes.reported import _attribute_indirect, _reported_speech


def extract(text):
    """All direct and reported quotations in ``text``, attributed where the patterns allow."""
    result = Extraction()
    paragraphs = paragraph_spans(text)
    attributor = Attributor(text)
    spans = pair_quotes(text, result.warnings)
    direct = []
    for open_pos, close_pos, base_confidence in spans:
        start, end = _clean_span(text, open_pos + 1, close_pos)
        quote = Quote(start=start, end=end, text=text[start:end])
        quote.open_pos, quote.close_pos, quote.base = open_pos, close_pos, base_confidence
        direct.append(quote)

    indirect = _reported_speech(text, paragraphs, direct)
    # Attribution runs in reading order: "he" and "the ambassador" refer back to what came before.
    previous = None
    position = {id(q): i for i, q in enumerate(direct)}
    for quote in sorted(direct + indirect, key=lambda q: q.start):
        if quote.kind == DIRECT:
            _attribute_direct(text, quote, attributor, paragraphs, direct, position[id(quote)], previous)
            quote.confidence = round(min(quote.confidence, quote.base), 2)
            previous = quote
        else:
            _attribute_indirect(quote, attributor)
            if quote.speaker and previous is not None and previous.kind == DIRECT:
                # "Carter said that ..." after a quotation by someone else: a quotation opening the next
                # paragraph continues Carter, not the earlier quotation.
                previous = quote
    # A role noun met before the article names anyone ("A Chinese envoy said ...") is resolved at the end.
    for quote in indirect:
        if quote.pattern == "role-pending":
            person = attributor.person_with_role(quote.role) or attributor.last_speaker
            if person is not None:
                quote.speaker, quote.pattern, quote.confidence = person.name, "role", 0.65
    # Short quoted phrases are attributed (a quotation after them may continue them); only those that
    # read as something a person said are proposed, as fragments.
    kept = []
    for quote in direct:
        words = _word_count(quote.text)
        if words >= MIN_WORDS:
            if not (words <= MAX_TITLE_WORDS and _reads_as_title(quote.text)):
                kept.append(quote)
        elif words >= MIN_FRAGMENT_WORDS and _utterance_fragment(text, quote, paragraphs):
            quote.label = FRAGMENT
            quote.confidence = min(quote.confidence, FRAGMENT_CONFIDENCE)
            kept.append(quote)
    direct = kept
    quotes = sorted(direct + indirect, key=lambda q: q.start)
    for quote in quotes:
        for attr in ("open_pos", "close_pos", "base", "role", "sentence_pos"):
            quote.__dict__.pop(attr, None)
    result.quotes = quotes
    for person in attributor.people:
        person.quote_count = sum(1 for q in quotes if q.speaker == person.name)
    result.people = attributor.people
    return result


__all__ = [
    "CUE",
    "DIRECT",
    "FRAGMENT",
    "FRAGMENT_CONFIDENCE",
    "INDIRECT",
    "MIN_WORDS",
    "ROLE_NOUNS",
    "Extraction",
    "Quote",
    "extract",
]
