"""Checking a reported quotation against the official record: pure functions, no database.

A quotation is compared word by word with its best passage in each official record it may come
from. What never counts as a change: punctuation and quote marks, case, accents, hyphenation and
run-together words ("counter-terrorism" / "counterterrorism"), British and American spelling, and
whitespace. An ellipsis ("..." or "…") in the quotation allows an omission there; words in square
brackets are the reporter's editorial insertions and may stand in for record words or add to them.

The search for the passage and the alignment are done by ``rapidfuzz`` on sequences of words (each
distinct word is mapped to one code point, so its C++ string algorithms compare words, not letters):
``fuzz.partial_ratio_alignment`` finds the window of a long record that best matches the quotation,
``Indel.opcodes`` aligns the quotation with that window. ``bench/quote_check.py`` measures it
(and, for comparison, difflib's SequenceMatcher over the whole record: see bench/results/).

Verdicts:
- ``verbatim``: every word of the quotation is in the record, in order (allowances as above);
- ``altered``: found, with words substituted, inserted, omitted or reordered (listed, with a score);
- ``translation-differs``: the only record is a translation of a speech delivered in another
  language (a UN verbatim record of a speech given in Chinese), and the wording differs;
- ``not-found``: no passage is close enough (the nearest one and its score are kept);
- ``no-record``: there is no official record of the speech to check against;
- ``other-language``: the records are not in the quotation's language.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

METHOD = "quotecheck-v1"

VERBATIM = "verbatim"
ALTERED = "altered"
TRANSLATION_DIFFERS = "translation-differs"
NOT_FOUND = "not-found"
NO_RECORD = "no-record"
OTHER_LANGUAGE = "other-language"

VERDICTS = [
    (VERBATIM, "Verbatim"),
    (ALTERED, "Altered"),
    (TRANSLATION_DIFFERS, "Translation differs"),
    (NOT_FOUND, "Not in the record"),
    (NO_RECORD, "No official record to check against"),
    (OTHER_LANGUAGE, "Record in another language"),
]
VERDICT_LABELS = dict(VERDICTS)

# A passage this similar (0-1, word level) to the quotation is where it came from, altered;
# below it, the quotation is not in the record. A record that is a translation is compared with
# another translation of the same words, which shares fewer of them.
FOUND_AT = 0.6
FOUND_IN_TRANSLATION_AT = 0.35

DIFFERENCE_KINDS = ("substituted", "inserted", "omitted", "reordered")


def primary_language(code):
    return (code or "").split("-")[0].lower()


@dataclass(frozen=True)
class Record:
    """One official text a quotation may come from."""

    key: str  # stable within the archive: "speech:12" (a corpus record), "source:5" (a transcript)
    label: str  # what the page says was used: "UN verbatim record S/PV.8700"
    text: str
    language: str = "en"
    delivered_in: str = ""  # the language spoken, when it is not the record's language
    own_text: bool = False  # the speaker's own published text (a mission's statement)
    same_statement: bool = True  # a record of the quoted statement itself (else: same speaker, days apart)

    @property
    def is_translation(self):
        """A record in another language than the one spoken, not published by the speaker."""
        spoken = primary_language(self.delivered_in)
        return bool(spoken) and spoken != primary_language(self.language) and not self.own_text


@dataclass
class Difference:
    kind: str  # substituted / inserted / omitted / reordered
    quote: str = ""  # the quotation's words (as written in it)
    record: str = ""  # the record's words (as written in it)
    quote_start: int = 0  # character offsets into the quotation
    quote_end: int = 0
    record_start: int = 0  # character offsets into the record
    record_end: int = 0

    def key(self):
        """A comparable form: kind, then the normalised words of each side."""
        return f"{self.kind}:{' '.join(normal_words(self.quote))}>{' '.join(normal_words(self.record))}"

    def as_dict(self):
        return {
            "kind": self.kind,
            "quote": self.quote,
            "record": self.record,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
            "record_start": self.record_start,
            "record_end": self.record_end,
        }


@dataclass
class Alignment:
    """A quotation against one record: its best passage and the differences."""

    score: float  # 0-1, word-level similarity of quotation and passage
    start: int  # the passage's character offsets in the record
    end: int
    differences: list = field(default_factory=list)
    segments: list = field(default_factory=list)  # [(quote_start, quote_end, record_start, record_end)] matched

    @property
    def verbatim(self):
        return not self.differences


@dataclass
class Result:
    verdict: str
    score: float = 0.0
    record: Record | None = None
    start: int | None = None
    end: int | None = None
    differences: list = field(default_factory=list)
    segments: list = field(default_factory=list)
    records_checked: int = 0

    @property
    def passage(self):
        if self.record is None or self.start is None:
            return ""
        return self.record.text[self.start : self.end]

    @property
    def label(self):
        return VERDICT_LABELS[self.verdict]


# --- words ---------------------------------------------------------------------------------------

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
            _record_words.cache_clear()
        code = _CODES[word] = chr(0x10000 + len(_CODES))
    return code


@dataclass(frozen=True)
class _Words:
    codes: str  # one code point per word
    spans: tuple  # (start, end) of each word in the text
    text: str = ""


@functools.lru_cache(maxsize=64)
def _record_words(text):
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


def _quote_segments(text):
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


def _split_sentences(segment, text):
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


# --- aligning ------------------------------------------------------------------------------------


@dataclass
class _Op:
    tag: str  # equal / quote (quotation only) / record (record only)
    q0: int
    q1: int
    r0: int
    r1: int


def _ops(segment, record, r_from, r_to):
    """Indel (longest common subsequence) alignment of a segment with record words r_from:r_to.

    A longest common subsequence is not unique ("the ... the United Nations"): both the forward
    and the backward alignment are tried, and the one with fewer changed words kept.
    """
    quote = "".join(word.code for word in segment)
    window = record.codes[r_from:r_to]
    forward = _compact(_indel(quote, window, r_from), segment, record)
    n, m = len(quote), len(window)
    backward = []
    for op in reversed(_indel(quote[::-1], window[::-1], 0)):
        backward.append(_Op(op.tag, n - op.q1, n - op.q0, r_from + m - op.r1, r_from + m - op.r0))
    backward = _compact(backward, segment, record)
    return min((forward, backward), key=lambda ops: _ops_cost(ops, segment))


def _indel(quote, window, r_from):
    out = []
    for op in Indel.opcodes(quote, window):
        r0, r1 = op.dest_start + r_from, op.dest_end + r_from
        if op.tag == "equal":
            out.append(_Op("equal", op.src_start, op.src_end, r0, r1))
        elif op.tag == "delete":
            out.append(_Op("quote", op.src_start, op.src_end, r0, r0))
        elif op.tag == "insert":
            out.append(_Op("record", op.src_start, op.src_start, r0, r1))
        else:  # rapidfuzz's Indel has no replace, but be safe
            out.append(_Op("quote", op.src_start, op.src_end, r0, r0))
            out.append(_Op("record", op.src_end, op.src_end, r0, r1))
    return out


def _ops_cost(ops, segment):
    changed = 0
    for op in ops:
        if op.tag == "quote":
            changed += sum(1 for w in segment[op.q0 : op.q1] if not w.editorial)
        elif op.tag == "record":
            changed += op.r1 - op.r0
    # Fewer separate changes read better: "UN" for "United Nations", not two scattered edits.
    runs = sum(1 for a, b in zip(ops, ops[1:], strict=False) if a.tag == "equal" and b.tag != "equal")
    return (changed, runs)


def _compact(ops, segment, record):
    """Trim record words outside the quotation, moving an edge match next to the rest when the
    record repeats its words ("the ... the Council"): a record-only gap at the edge is no omission."""
    equal = [i for i, op in enumerate(ops) if op.tag == "equal"]
    if not equal:
        return [op for op in ops if op.tag == "quote"]
    while ops[0].tag == "record":
        ops.pop(0)
    while ops[-1].tag == "record":
        ops.pop()
    equal = [i for i, op in enumerate(ops) if op.tag == "equal"]
    codes = record.codes
    # Leading: a first match A, changes, then B, where A's words also stand among the changed
    # record words: match A at the last such place (nearest B), the record words before it go.
    first = equal[0]
    nxt = next((i for i in range(first + 1, len(ops)) if ops[i].tag == "equal"), None)
    if nxt is not None and any(op.tag == "record" for op in ops[first + 1 : nxt]):
        a, b = ops[first], ops[nxt]
        n, want = a.r1 - a.r0, codes[a.r0 : a.r1]
        p = codes.rfind(want, a.r1, b.r0)
        if p >= 0:
            mid = [_Op("equal", a.q0, a.q1, p, p + n)]
            if b.q0 > a.q1:
                mid.append(_Op("quote", a.q1, b.q0, p + n, p + n))
            if b.r0 > p + n:
                mid.append(_Op("record", b.q0, b.q0, p + n, b.r0))
            ops[first:nxt] = mid
    # Trailing, symmetrically: the last match B placed at the first such place after A.
    equal = [i for i, op in enumerate(ops) if op.tag == "equal"]
    last = equal[-1]
    prv = equal[-2] if len(equal) > 1 else None
    if prv is not None and any(op.tag == "record" for op in ops[prv + 1 : last]):
        a, b = ops[prv], ops[last]
        n, want = b.r1 - b.r0, codes[b.r0 : b.r1]
        p = codes.find(want, a.r1, b.r0)
        if p >= 0:
            mid = []
            if p > a.r1:
                mid.append(_Op("record", a.q1, a.q1, a.r1, p))
            if b.q0 > a.q1:
                mid.append(_Op("quote", a.q1, b.q0, p, p))
            mid.append(_Op("equal", b.q0, b.q1, p, p + n))
            ops[prv + 1 : last + 1] = mid
    ops = _shift_gaps_left(ops, codes)
    ops = _drop_stray_edges(ops, record)
    # Record words before the first and after the last quotation word are not part of the passage.
    while ops and ops[0].tag == "record":
        ops.pop(0)
    while ops and ops[-1].tag == "record":
        ops.pop()
    ops = _pair_edges(ops, segment, record)
    merged = []
    for op in ops:  # adjacent matches are one match
        if merged and op.tag == "equal" and merged[-1].tag == "equal" and merged[-1].r1 == op.r0:
            merged[-1] = _Op("equal", merged[-1].q0, op.q1, merged[-1].r0, op.r1)
        else:
            merged.append(op)
    return merged


def _shift_gaps_left(ops, codes):
    """An omission that could sit one word earlier or later ("we [also ... we] urge" / "[we also
    ... ] we urge") is put as early as it goes: a reporter joins sentences at a sentence start."""
    for k in range(1, len(ops) - 1):
        a, gap, b = ops[k - 1], ops[k], ops[k + 1]
        if a.tag != "equal" or gap.tag != "record" or b.tag != "equal":
            continue
        while a.r1 - a.r0 > 0 and gap.r1 > gap.r0 and codes[gap.r1 - 1] == codes[a.r1 - 1]:
            a = _Op("equal", a.q0, a.q1 - 1, a.r0, a.r1 - 1)
            gap = _Op("record", a.q1, a.q1, gap.r0 - 1, gap.r1 - 1)
            b = _Op("equal", b.q0 - 1, b.q1, b.r0 - 1, b.r1)
        ops[k - 1 : k + 2] = [a, gap, b]
    return [op for op in ops if not (op.tag == "equal" and op.r1 == op.r0)]


def _drop_stray_edges(ops, record):
    """A first (or last) match of a word or two, cut off from the rest by record words only (more
    of them than it has, or a sentence end), is a stray match ("And" matched to an earlier "and"):
    it becomes a quotation-only word."""
    equal = [i for i, op in enumerate(ops) if op.tag == "equal"]
    if len(equal) < 2:
        return ops
    first, second = equal[0], equal[1]
    a, b = ops[first], ops[second]
    between = ops[first + 1 : second]
    if a.q1 - a.q0 <= 2 and between and all(op.tag == "record" for op in between):
        gap = sum(op.r1 - op.r0 for op in between)
        if gap > a.q1 - a.q0 or _BOUNDARY.search(_between(record, a.r1, b.r0)):
            q0 = ops[0].q0 if ops[0].tag == "quote" else a.q0
            ops = [_Op("quote", q0, b.q0, b.r0, b.r0)] + ops[second:]
    equal = [i for i, op in enumerate(ops) if op.tag == "equal"]
    if len(equal) < 2:
        return ops
    before, last = equal[-2], equal[-1]
    a, b = ops[before], ops[last]
    between = ops[before + 1 : last]
    if b.q1 - b.q0 <= 2 and between and all(op.tag == "record" for op in between):
        gap = sum(op.r1 - op.r0 for op in between)
        if gap > b.q1 - b.q0 or _BOUNDARY.search(_between(record, a.r1, b.r0)):
            q1 = ops[-1].q1 if ops[-1].tag == "quote" else b.q1
            ops = ops[: before + 1] + [_Op("quote", a.q1, q1, a.r1, a.r1)]
    return ops


def _between(record, r_end, r_start):
    """The record's text from the end of word r_end - 1 to the start of word r_start."""
    if r_end <= 0 or r_start >= len(record.spans) or r_start < r_end:
        return ""
    return record.text[record.spans[r_end - 1][1] : record.spans[r_start][0]]


_BOUNDARY = re.compile(r"[.!?;:]")


def _pair_edges(ops, segment, record):
    """Quotation words before the first match (or after the last) stand for the record words next
    to it when they are those words split differently ("farmer-herder"), or, within the sentence,
    when a word was swapped for another ("million citizens" for "million people")."""
    if not ops or not any(op.tag == "equal" for op in ops):
        return ops
    spans, text, codes = record.spans, record.text, record.codes
    ops = _edge_swaps(ops, segment, codes)
    if ops[0].tag == "quote":
        lead = ops[0]
        n = lead.q1 - lead.q0
        r1 = next(op.r0 for op in ops if op.tag == "equal")  # where the first match starts
        quote = "".join(_qword(segment[i]) for i in range(lead.q0, lead.q1))
        for k in range(1, min(n + 3, r1) + 1):
            joined = "".join(normal_word(text[s:e]) for s, e in spans[r1 - k : r1])
            if joined == quote:
                ops = [lead, _Op("record", lead.q1, lead.q1, r1 - k, r1)] + ops[1:]
                break
    if ops[-1].tag == "quote":
        tail = ops[-1]
        n = tail.q1 - tail.q0
        r0 = max(op.r1 for op in ops if op.tag == "equal")  # where the last match ends
        quote = "".join(_qword(segment[i]) for i in range(tail.q0, tail.q1))
        for k in range(1, min(n + 3, len(codes) - r0) + 1):
            joined = "".join(normal_word(text[s:e]) for s, e in spans[r0 : r0 + k])
            if joined == quote:
                ops = ops[:-1] + [_Op("record", tail.q0, tail.q0, r0, r0 + k), tail]
                break
        else:
            k = n
            if (
                k > 0
                and r0 + k <= len(codes)
                and r0 > 0
                and not _BOUNDARY.search(text[spans[r0 - 1][1] : spans[r0 + k - 1][1]].rstrip(".!?;:\"'”’) "))
                and not all(w.editorial for w in segment[tail.q0 : tail.q1])
            ):
                ops = ops[:-1] + [_Op("record", tail.q0, tail.q0, r0, r0 + k), tail]
    return ops


def _edge_swaps(ops, segment, codes):
    """Words moved at the edge of a quotation ("with resolve and unity" for "with unity and
    resolve"): a short last (or first) match after (before) quotation-only words, when those words
    and the record's next ones are the same words, is one run of changed words (then a reordering)."""
    if len(ops) >= 2 and ops[-1].tag == "equal" and ops[-2].tag == "quote" and ops[-1].q1 - ops[-1].q0 <= 2:
        q, e = ops[-2], ops[-1]
        k = e.q1 - q.q0
        words = sorted(w.code for w in segment[q.q0 : e.q1])
        if e.r0 + k <= len(codes) and sorted(codes[e.r0 : e.r0 + k]) == words:
            ops = ops[:-2] + [_Op("record", q.q0, q.q0, e.r0, e.r0 + k), _Op("quote", q.q0, e.q1, e.r0 + k, e.r0 + k)]
    tags = [op.tag for op in ops[-3:]]
    if tags == ["record", "equal", "quote"] and ops[-2].q1 - ops[-2].q0 <= 2:
        r, e, q = ops[-3:]
        if sorted(w.code for w in segment[e.q0 : q.q1]) == sorted(codes[r.r0 : e.r1]):
            ops = ops[:-3] + [_Op("record", e.q0, e.q0, r.r0, e.r1), _Op("quote", e.q0, q.q1, e.r1, e.r1)]
    tags = [op.tag for op in ops[:3]]
    if tags == ["quote", "equal", "record"] and ops[1].q1 - ops[1].q0 <= 2:
        q, e, r = ops[:3]
        if sorted(w.code for w in segment[q.q0 : e.q1]) == sorted(codes[e.r0 : r.r1]):
            ops = [_Op("quote", q.q0, e.q1, e.r0, e.r0), _Op("record", e.q1, e.q1, e.r0, r.r1)] + ops[3:]
    if len(ops) >= 2 and ops[0].tag == "equal" and ops[1].tag == "quote" and ops[0].q1 - ops[0].q0 <= 2:
        e, q = ops[0], ops[1]
        k = q.q1 - e.q0
        words = sorted(w.code for w in segment[e.q0 : q.q1])
        if e.r1 - k >= 0 and sorted(codes[e.r1 - k : e.r1]) == words:
            ops = [_Op("quote", e.q0, q.q1, e.r1 - k, e.r1 - k), _Op("record", q.q1, q.q1, e.r1 - k, e.r1)] + ops[2:]
    return ops


def _qword(word):
    return word.norm


def _window(segment, record):
    """The record words (from, to) around the best match for a segment."""
    n = len(segment)
    quote = "".join(word.code for word in segment)
    if len(record.codes) <= 3 * n + 10:
        return 0, len(record.codes), None
    found = fuzz.partial_ratio_alignment(quote, record.codes)
    pad = max(5, n // 2)
    return max(0, found.dest_start - pad), min(len(record.codes), found.dest_end + pad), found.score / 100


def _align_segment(segment, record):
    lo, hi, _ = _window(segment, record)
    ops = _ops(segment, record, lo, hi)
    return ops


@dataclass
class _Piece:
    """One aligned run of quotation words."""

    words: list
    ops: list

    @property
    def r0(self):
        """Where the piece's passage starts in the record (None when nothing matched)."""
        if not any(op.tag == "equal" for op in self.ops):
            return None
        return min(op.r0 for op in self.ops if op.tag in ("equal", "record"))

    @property
    def r1(self):
        if not any(op.tag == "equal" for op in self.ops):
            return None
        return max(op.r1 for op in self.ops if op.tag in ("equal", "record"))


def _cost(pieces):
    return sum(_ops_cost(piece.ops, piece.words)[0] for piece in pieces)


def _align_pieces(segment, record, text):
    """A segment as one piece, or as its sentences each aligned on its own when that explains it
    with fewer changes (sentences a reporter merged or put in another order)."""
    whole = [_Piece(segment, _align_segment(segment, record))]
    sentences = _split_sentences(segment, text)
    if len(sentences) < 2 or _cost(whole) == 0:
        return whole
    split = [_Piece(words, _align_segment(words, record)) for words in sentences]
    # Joining the sentences costs the record words between them (omitted), counted once below.
    if all(piece.r0 is not None for piece in split):
        # An omission between two sentences is one change, however long.
        gaps = sum(1 for a, b in zip(split, split[1:], strict=False) if b.r0 != a.r1)
        if _cost(split) + gaps < _cost(whole):
            return split
    return whole


def _surface(text, spans, i0, i1):
    if i1 <= i0:
        return "", 0, 0
    start, end = spans[i0][0], spans[i1 - 1][1]
    return text[start:end], start, end


def align(quote_text, record):
    """The best passage of one record for a quotation, and the differences; None if nothing matches."""
    rwords = _record_words(record.text)
    segments = _quote_segments(quote_text)
    if not segments or not rwords.codes:
        return None
    pieces = []
    for number, segment in enumerate(segments):
        for k, piece in enumerate(_align_pieces(segment, rwords, quote_text)):
            piece.after_ellipsis = number > 0 and k == 0
            pieces.append(piece)
    found = [piece for piece in pieces if piece.r0 is not None]
    if not found:
        return None
    differences, matched, segments_out = [], 0, []
    q_total = sum(1 for piece in pieces for w in piece.words if not w.editorial)
    r_total = 0
    rspans = rwords.spans

    def quote_side(piece, q0, q1):
        words = piece.words[q0:q1]
        if not words:
            return "", 0, 0
        return quote_text[words[0].start : words[-1].end], words[0].start, words[-1].end

    for piece in pieces:
        ops = piece.ops
        first_difference = len(differences)
        i = 0
        while i < len(ops):
            op = ops[i]
            if op.tag == "equal":
                matched += op.q1 - op.q0
                r_total += op.r1 - op.r0
                q0 = piece.words[op.q0].start
                q1 = piece.words[op.q1 - 1].end
                segments_out.append((q0, q1, rspans[op.r0][0], rspans[op.r1 - 1][1]))
                i += 1
                continue
            # A run of changes between two matches: quotation-only and record-only words.
            j = i
            q0 = q1 = None
            r0 = r1 = None
            while j < len(ops) and ops[j].tag != "equal":
                o = ops[j]
                if o.tag == "quote":
                    q0 = o.q0 if q0 is None else q0
                    q1 = o.q1
                else:
                    r0 = o.r0 if r0 is None else r0
                    r1 = o.r1
                j += 1
            i = j
            qwords = piece.words[q0:q1] if q0 is not None else []
            rcount = (r1 - r0) if r0 is not None else 0
            plain = [w for w in qwords if not w.editorial]
            if plain or not qwords:
                r_total += rcount
            if qwords and rcount and _joined_same(qwords, rwords, r0, r1, quote_text, record.text):
                matched += len(qwords)
                continue  # the same letters split differently: "counter-terrorism" / "counterterrorism"
            if not plain and qwords:
                continue  # [an editorial insertion], in place of record words or in addition
            qs, qa, qb = quote_side(piece, q0, q1) if qwords else ("", 0, 0)
            if qwords and not plain:
                qs = ""
            rs, ra, rb = _surface(record.text, rspans, r0, r1) if rcount else ("", 0, 0)
            if plain and rcount:
                kind = "substituted"
            elif plain:
                kind = "inserted"
                # Where in the record: just after the previous match.
                ra = rb = _record_point(ops, q0, rspans)
            else:
                kind = "omitted"
                qa = qb = _quote_point(piece, ops, r0)
            differences.append(Difference(kind, qs if plain else "", rs, qa, qb, ra, rb))
        differences[first_difference:] = _swaps(differences[first_difference:], quote_text, record.text)
        for d in differences[first_difference:]:
            if d.kind == "reordered":  # moved words are the record's words: they count as matched
                inside = [w for w in piece.words if d.quote_start <= w.start < d.quote_end and not w.editorial]
                already = sum(
                    1
                    for op in ops
                    if op.tag == "equal"
                    for w in piece.words[op.q0 : op.q1]
                    if d.quote_start <= w.start < d.quote_end
                )
                matched += len(inside) - already
    # Between pieces: an ellipsis allows an omission; pieces out of the record's order are reordered.
    order = sorted(range(len(found)), key=lambda k: found[k].r0)
    for a, b in zip(found, found[1:], strict=False):
        if b.r0 >= a.r1:
            gap = (a.r1, b.r0)
            if gap[1] > gap[0] and not getattr(b, "after_ellipsis", False):
                rs, ra, rb = _surface(record.text, rspans, gap[0], gap[1])
                qa = qb = b.words[0].start
                differences.append(Difference("omitted", "", rs, qa, qb, ra, rb))
                r_total += min(gap[1] - gap[0], len(b.words))
    if order != list(range(len(found))):
        for k, piece in enumerate(found):
            if order[k] != k:
                words = piece.words
                qs = quote_text[words[0].start : words[-1].end]
                rs, ra, rb = _surface(record.text, rspans, piece.r0, piece.r1)
                differences.append(Difference("reordered", qs, rs, words[0].start, words[-1].end, ra, rb))
                break
    differences = _reordered(differences)
    start = rspans[min(p.r0 for p in found)][0]
    end = rspans[max(p.r1 for p in found) - 1][1]
    score = (2 * matched / (q_total + r_total)) if (q_total + r_total) else 0.0
    score = min(1.0, score)
    differences.sort(key=lambda d: (d.quote_start, d.record_start))
    return Alignment(round(score, 4), start, end, differences, segments_out)


def _joined_same(qwords, rwords, r0, r1, quote_text, record_text):
    """Whether two runs of words are the same letters split differently (hyphenation, spacing)."""
    q = "".join(normal_word(quote_text[w.start : w.end]) for w in qwords)
    r = "".join(normal_word(record_text[s:e]) for s, e in rwords.spans[r0:r1])
    return q == r


def _record_point(ops, q0, rspans):
    point = None
    for op in ops:
        if op.tag == "equal" and op.q1 <= q0:
            point = rspans[op.r1 - 1][1]
    if point is None:  # before the first match: where that match starts
        point = next(rspans[op.r0][0] for op in ops if op.tag == "equal")
    return point


def _quote_point(piece, ops, r0):
    point = piece.words[0].start
    for op in ops:
        if op.tag == "equal" and op.r1 <= r0:
            point = piece.words[op.q1 - 1].end
    return point


def _swaps(differences, quote_text, record_text):
    """Consecutive changes that only move words ("unity and resolve" / "resolve and unity") are one
    reordering: the same words on both sides over the span they cover."""
    out, i = [], 0
    while i < len(differences):
        merged = None
        for j in range(i, min(i + 4, len(differences))):
            run = differences[i : j + 1]
            qa, qb = min(d.quote_start for d in run), max(d.quote_end for d in run)
            ra, rb = min(d.record_start for d in run), max(d.record_end for d in run)
            quote, record = quote_text[qa:qb], record_text[ra:rb]
            words = normal_words(quote)
            if words and sorted(words) == sorted(normal_words(record)):
                merged = (j, Difference("reordered", quote, record, qa, qb, ra, rb))
                break
        if merged:
            out.append(merged[1])
            i = merged[0] + 1
        else:
            out.append(differences[i])
            i += 1
    return out


def _reordered(differences):
    """An inserted run whose words are an omitted run's (elsewhere in the passage) is one move."""
    out = list(differences)
    for ins in [d for d in out if d.kind == "inserted"]:
        for om in [d for d in out if d.kind == "omitted"]:
            if ins in out and om in out and normal_words(ins.quote) == normal_words(om.record):
                out.remove(om)
                ins.kind = "reordered"
                ins.record, ins.record_start, ins.record_end = om.record, om.record_start, om.record_end
                break
    for d in out:
        if d.kind == "substituted" and sorted(normal_words(d.quote)) == sorted(normal_words(d.record)):
            d.kind = "reordered"
    return out


# --- verdicts ------------------------------------------------------------------------------------


def check(quote_text, records, *, language="en"):
    """The verdict for a quotation against the official records it may come from.

    ``records`` in order of preference: the speaker's own texts of the statement, the statement's
    record, then the speaker's other records of those days. The one used is the first verbatim one,
    else the first where the quotation is found, else the nearest.
    """
    records = list(records)
    if not records:
        return Result(NO_RECORD)
    if not _quote_segments(quote_text):
        return Result(NOT_FOUND, records_checked=0)
    same_language = [r for r in records if primary_language(r.language) == primary_language(language)]
    if not same_language:
        return Result(OTHER_LANGUAGE, record=records[0], records_checked=len(records))
    best, best_key = None, None
    for rank, record in enumerate(same_language):
        alignment = align(quote_text, record)
        if alignment is None:
            continue
        threshold = FOUND_IN_TRANSLATION_AT if record.is_translation else FOUND_AT
        found = alignment.score >= threshold
        key = (alignment.verbatim and found, found, -rank if found else 0, alignment.score)
        if best_key is None or key > best_key:
            best, best_key = (record, alignment), key
    if best is None:
        return Result(NOT_FOUND, record=same_language[0], records_checked=len(same_language))
    record, alignment = best
    verbatim, found = best_key[0], best_key[1]
    if verbatim:
        verdict = VERBATIM
    elif found:
        verdict = TRANSLATION_DIFFERS if record.is_translation else ALTERED
    else:
        verdict = NOT_FOUND
    return Result(
        verdict,
        score=alignment.score,
        record=record,
        start=alignment.start,
        end=alignment.end,
        differences=alignment.differences if verdict != NOT_FOUND else [],
        segments=alignment.segments,
        records_checked=len(same_language),
    )
