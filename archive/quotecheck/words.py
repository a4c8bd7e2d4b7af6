"""Words as a quote check compares them: normalised (case, accents, spelling), coded one code
point per distinct word for rapidfuzz, and a quotation's segments (between ellipses) and sentences."""

import functools
import re
import unicodedata
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")


# Quotation markup: an ellipsis, an opening or closing square bracket, or a word.
_QUOTE_PARTS = re.compile(r"(?P<ellipsis>\.\s*\.\s*\.|…)|(?P<open>\[)|(?P<close>\])|(?P<word>[^\W_]+)")


# British spellings and their American forms (both sides are normalised, so the direction is moot).
_SPELLING = {
    "centre": "center",
    "centres": "centers",
    "centred": "centered",
    "theatre": "theater",
    "metre": "meter",
    "metres": "meters",
    "litre": "liter",
    "fibre": "fiber",
    "calibre": "caliber",
    "spectre": "specter",
    "sombre": "somber",
    "defence": "defense",
    "offence": "offense",
    "offences": "offenses",
    "licence": "license",
    "pretence": "pretense",
    "programme": "program",
    "programmes": "programs",
    "judgement": "judgment",
    "acknowledgement": "acknowledgment",
    "ageing": "aging",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "fulfils": "fulfills",
    "fulfilment": "fulfillment",
    "skilful": "skillful",
    "wilful": "willful",
    "travelled": "traveled",
    "travelling": "traveling",
    "cancelled": "canceled",
    "cancelling": "canceling",
    "labelled": "labeled",
    "labelling": "labeling",
    "modelled": "modeled",
    "modelling": "modeling",
    "fuelled": "fueled",
    "fuelling": "fueling",
    "counselling": "counseling",
    "signalled": "signaled",
    "signalling": "signaling",
    "channelled": "channeled",
    "marshalled": "marshaled",
    "levelled": "leveled",
    "grey": "gray",
    "artefact": "artifact",
    "artefacts": "artifacts",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "dialogues": "dialogs",
    "analogue": "analog",
    "manoeuvre": "maneuver",
    "paediatric": "pediatric",
    "encyclopaedia": "encyclopedia",
    "aluminium": "aluminum",
    "sceptical": "skeptical",
    "cheque": "check",
    "plough": "plow",
    "storey": "story",
    "tyre": "tire",
    "kerb": "curb",
}
_OUR = re.compile(r"(?<=[a-z]{2})our(s|ed|ing|able|ably|ite|ites|hood|hoods|less)?$")
_ISE = re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations|er|ers)$")
_YSE = re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing)$")


@functools.lru_cache(maxsize=200_000)
def normal_word(word):
    """A word as compared: case-folded, without accents, American spelling."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    if word in _SPELLING:
        return _SPELLING[word]
    if len(word) > 5:
        word = _OUR.sub(r"or\1", word)
        word = _ISE.sub(r"iz\1", word)
        word = _YSE.sub(r"yz\1", word)
    return word


def normal_words(text):
    return [normal_word(m.group()) for m in _WORD.finditer(text)]


# Each distinct normalised word gets one code point (in the supplementary planes, past any real
# text), so that rapidfuzz's string algorithms compare sequences of words.
_CODES = {}


def _code(word):
    code = _CODES.get(word)
    if code is None:
        if len(_CODES) >= 0xEFFFF:
            _CODES.clear()  # never in practice; keeps the table bounded
            record_words.cache_clear()
        code = _CODES[word] = chr(0x10000 + len(_CODES))
    return code


@dataclass(frozen=True)
class _Words:
    codes: str  # one code point per word
    spans: tuple  # (start, end) of each word in the text
    text: str = ""


@functools.lru_cache(maxsize=64)
def record_words(text):
    spans, codes = [], []
    for match in _WORD.finditer(text):
        spans.append(match.span())
        codes.append(_code(normal_word(match.group())))
    return _Words("".join(codes), tuple(spans), text)


@dataclass
class _QuoteWord:
    code: str
    start: int
    end: int
    editorial: bool  # inside [square brackets]
    norm: str = ""


def quote_segments(text):
    """The quotation's words in segments split at each ellipsis; words in brackets are editorial."""
    segments, current, depth = [], [], 0
    for match in _QUOTE_PARTS.finditer(text):
        kind = match.lastgroup
        if kind == "ellipsis":
            if current:
                segments.append(current)
            current = []
        elif kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        else:
            editorial = depth > 0
            # Words in brackets are the reporter's: they never match a record word.
            code = "\u0000" if editorial else _code(normal_word(match.group()))
            current.append(_QuoteWord(code, match.start(), match.end(), editorial, normal_word(match.group())))
    if current:
        segments.append(current)
    return segments


_SENTENCE_END = re.compile(r"[.!?;:][\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9])")


def split_sentences(segment, text):
    """A segment cut where a sentence ends in the quotation text (for sentences merged by a reporter)."""
    parts, current = [], []
    for i, word in enumerate(segment):
        current.append(word)
        if i + 1 < len(segment):
            between = text[word.end : segment[i + 1].start + 1]
            if _SENTENCE_END.search(between) and len(current) >= 3:
                parts.append(current)
                current = []
    if current:
        if parts and len(current) < 3:
            parts[-1].extend(current)
        else:
            parts.append(current)
    return parts


def qword(word):
    return word.norm
