"""Reported speech ("Zhang said that ...") and its speaker."""

import re

from archive.ingest.quotes.marks import MAX_SENTENCE, _word_count, sentence_end
from archive.ingest.quotes.patterns import _ADVERB, _CUE_WORD, APPOSITIVE, CUE, SPEAKER
from archive.ingest.quotes.people import _mention_of
from archive.ingest.quotes.quote import INDIRECT, MIN_WORDS, Quote

_INDIRECT_THAT = re.compile(rf"{SPEAKER}{APPOSITIVE}\s+{_ADVERB}{CUE}(?:\s+on\s+\w+)?(?:\s+\w+){{0,4}}?\s+that\s+")
_INDIRECT_AFTER = (
    re.compile(rf",\s+{CUE}\s+{SPEAKER}{APPOSITIVE}\s*\.\s*$"),
    re.compile(rf",\s+{SPEAKER}\s+{_ADVERB}{CUE}\s*\.\s*$"),
)


def _reported_speech(text, paragraphs, direct):
    """`NAME said that CLAUSE.` and `CLAUSE, said NAME.` as indirect quotations (not yet attributed)."""
    quoted = [(q.open_pos, q.close_pos + 1) for q in direct]
    found = []
    for para_start, para_end in paragraphs:
        sentence_pos = para_start
        while sentence_pos < para_end:
            end = sentence_end(text, sentence_pos, min(para_end, sentence_pos + MAX_SENTENCE))
            sentence = text[sentence_pos:end]
            if not re.search(r"[\"“”]", sentence):
                quote = _indirect_in_sentence(text, sentence_pos, end, sentence)
                if quote is not None and not any(s < quote.end and quote.start < e for s, e in quoted):
                    found.append(quote)
            next_pos = end
            while next_pos < para_end and text[next_pos].isspace():
                next_pos += 1
            if next_pos <= sentence_pos:
                break
            sentence_pos = next_pos
    return found


def _indirect_in_sentence(text, offset, end, sentence):
    # Cheap checks first: the patterns below are costly on long sentences that cannot match.
    if not _CUE_WORD.search(sentence):
        return None
    m = _INDIRECT_THAT.search(sentence) if re.search(r"\bthat\s", sentence) else None
    if m:
        start, stop = offset + m.end(), end
    else:
        # The reporting clause closes the sentence, so only its tail needs reading.
        tail_at = max(0, len(sentence) - 300)
        tail = sentence[tail_at:]
        m = _INDIRECT_AFTER[0].search(tail) or _INDIRECT_AFTER[1].search(tail)
        if not m:
            return None
        start, stop = offset, offset + tail_at + m.start()
    while stop > start and text[stop - 1] in ".!? \n":
        stop -= 1
    if _word_count(text[start:stop]) < MIN_WORDS:
        return None
    who, role, appositive = _mention_of(m)
    quote = Quote(start=start, end=stop, text=text[start:stop], kind=INDIRECT, mention=who, appositive=appositive)
    quote.cue = (m.group("cue") or "").lower()
    quote.role = role
    quote.sentence_pos = offset
    return quote


def _attribute_indirect(quote, attributor):
    person, pattern, confidence = attributor.resolve(quote.mention, quote.role, quote.appositive, quote.sentence_pos)
    if person is None and quote.role and attributor.last_speaker is None:
        pattern, confidence = "role-pending", 0.5
    quote.pattern = pattern
    quote.confidence = round(confidence * 0.9, 2)
    if person is not None:
        quote.speaker = person.name
        attributor.attributed(person)
