"""Quotation marks, paragraphs and sentences: which marks open and close which spans of the text."""

import bisect
import re
from dataclasses import dataclass

from archive.ingest.quotes.patterns import ABBREVIATIONS


@dataclass
class Mark:
    pos: int
    kind: str  # "curly" or "straight"
    opening: bool | None  # None: cannot tell from context


def paragraph_spans(text):
    """(start, end) of each paragraph; a line break ends a paragraph."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


# No real sentence is longer; the bounds keep pathological pastes (no full stops) linear.
MAX_SENTENCE = 1500


def sentence_start(text, pos, floor=0):
    """Where the sentence holding ``pos`` begins (not before ``floor``, nor MAX_SENTENCE back)."""
    floor = max(floor, pos - MAX_SENTENCE)
    i = pos
    while i > floor:
        i -= 1
        ch = text[i]
        if ch in ".!?" and i + 1 < len(text) and text[i + 1] in ' \n"”’' and not _is_abbreviation(text, i):
            j = i + 1
            while j < pos and text[j] in '"”’ \n':
                j += 1
            if j < len(text) and (text[j].isupper() or text[j] in '"“'):
                return j
    return floor


def sentence_end(text, pos, ceiling=None):
    """Where the sentence holding ``pos`` ends: just after its full stop (or at ``ceiling``, nor more
    than MAX_SENTENCE on: unbounded, a paste without full stops made every quotation read to its end)."""
    ceiling = min(len(text) if ceiling is None else ceiling, pos + MAX_SENTENCE)
    i = pos
    while i < ceiling:
        ch = text[i]
        if ch in ".!?" and not _is_abbreviation(text, i):
            nxt = text[i + 1 : i + 3]
            if not nxt or nxt[0] in " \n" or nxt[0] in '"”’':
                return i + 1
        i += 1
    return ceiling


def _is_abbreviation(text, i):
    if text[i] != ".":
        return False
    m = re.search(r"([A-Za-z.]+)$", text[max(0, i - 12) : i])
    if not m:
        return False
    word = m.group(1).lower().strip(".")
    return word in ABBREVIATIONS or (len(word) == 1 and text[i - 1].isupper())


# A markup tag left in pasted text (<tweet author="@x" date="...">): its attribute values are not quotations.
_MARKUP_TAG = re.compile(r"<[A-Za-z/][\w:-]*(?:\s[^<>]{0,400})?>")


def find_marks(text):
    marks = []
    tags = [(m.start(), m.end()) for m in _MARKUP_TAG.finditer(text)] if "<" in text else []
    tag_starts = [start for start, _ in tags]
    for m in re.finditer(r"[\"“”]", text):
        ch, pos = m.group(), m.start()
        index = bisect.bisect_left(tag_starts, pos) - 1
        if index >= 0 and pos < tags[index][1]:
            continue
        if ch in "“”":
            # An opening mark typed where a closing one belongs reads by its place: after a word and
            # before a space it closes ("a fascist?“ he asked"). (The reverse, ” opening a paragraph,
            # was tried: on PolNeAR train it found no quotation the annotators marked.)
            before = text[pos - 1] if pos else "\n"
            after = text[pos + 1] if pos + 1 < len(text) else "\n"
            opening = ch == "“"
            if opening and not before.isspace() and before not in "([{—–-/" and (after.isspace() or after in ".,;:"):
                opening = False
            marks.append(Mark(pos, "curly", opening))
        else:
            before = text[pos - 1] if pos else "\n"
            after = text[pos + 1] if pos + 1 < len(text) else "\n"
            if before in "—–-" and after.isspace():
                opening = False  # a cut-off word ends the quotation: "shoot any n------" who ...
            elif before.isspace() or before in "([{—–-/" or pos == 0:
                opening = None if after.isspace() else True
            else:
                opening = False
            marks.append(Mark(pos, "straight", opening))
    return marks


def pair_quotes(text, warnings):
    """Spans (open_pos, close_pos, confidence) between matching marks, across paragraphs when the
    convention says so (a paragraph left open and the next one opening with the same mark).

    A quotation left open at the end of a paragraph that the next one does not continue ends there
    (lower confidence), so it never swallows the next paragraph's quotation. Marks of the other
    type inside an open quotation ("He told me 'never'" in curly marks) are nested: the outer
    quotation is kept whole."""
    # One pass over the marks with three pieces of state (the open mark, the paragraph it has reached,
    # a nested quotation): kept in one loop on purpose, since split up the state would be passed around.
    paragraphs = paragraph_spans(text)
    para_of = {}
    for index, (start, end) in enumerate(paragraphs):
        for pos in range(start, end):
            para_of[pos] = index
    marks = [m for m in find_marks(text) if m.opening is not None]
    spans = []
    open_mark = None
    open_para = -1  # the paragraph the open quotation has reached
    nested = False  # the kind of mark of a quotation open inside the outer one, else False

    def end_at_paragraph():
        para_end = paragraphs[open_para][1]
        warnings.append(
            f"Quotation mark at character {open_mark.pos} is not closed before the end of its paragraph; "
            "the quotation was ended there, with lower confidence."
        )
        if para_end - open_mark.pos > 1:
            spans.append((open_mark.pos, para_end, 0.5))

    # Curly closing minus opening marks after each mark in its paragraph, counted once from the end.
    curly_balance_after = [0] * len(marks)
    balance, balance_para = 0, None
    for index in range(len(marks) - 1, -1, -1):
        para = para_of.get(marks[index].pos, -1)
        if para != balance_para:
            balance, balance_para = 0, para
        curly_balance_after[index] = balance
        if marks[index].kind == "curly":
            balance += -1 if marks[index].opening else 1

    for index, mark in enumerate(marks):
        para = para_of.get(mark.pos, -1)
        if open_mark is not None and open_para != para:
            # The quotation left open at the end of a paragraph continues only if the next paragraph opens with it.
            first = paragraphs[para][0] if para >= 0 else mark.pos
            continued = mark.opening and mark.kind == open_mark.kind and mark.pos == first and para == open_para + 1
            nested = False
            if continued:
                open_para = para
                continue
            end_at_paragraph()
            open_mark = None
        if open_mark is not None and nested == mark.kind and not mark.opening:
            nested = False
            continue
        if open_mark is not None and mark.kind != open_mark.kind and mark.opening and not nested:
            nested = mark.kind
            continue
        if mark.opening:
            # “A “B” C”: a quotation inside a quotation with the same curly marks, when the
            # paragraph closes both.
            same_curly = open_mark is not None and mark.kind == open_mark.kind == "curly"
            if same_curly and not nested and curly_balance_after[index] > 1:
                nested = "curly"
                continue
            if open_mark is not None:
                warnings.append(
                    f"Quotation mark at character {open_mark.pos} opens a quotation that is not closed before "
                    f"the next one opens at {mark.pos}; it was not proposed."
                )
            open_mark, open_para, nested = mark, para, False
            continue
        # A closing mark.
        if open_mark is None:
            warnings.append(f"Closing quotation mark at character {mark.pos} has no opening mark; ignored.")
            continue
        if mark.kind != open_mark.kind:
            warnings.append(
                f"Mixed quotation marks: {text[open_mark.pos]} at character {open_mark.pos} is closed by "
                f"{text[mark.pos]} at {mark.pos}; proposed with lower confidence."
            )
            spans.append((open_mark.pos, mark.pos, 0.5))
        else:
            spans.append((open_mark.pos, mark.pos, 1.0))
        open_mark = None
    if open_mark is not None:
        end_at_paragraph()
    return spans


def _clean_span(text, start, end):
    """Trim the span inside the marks: whitespace, and the comma that belongs to the reporting clause."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _word_count(s):
    return len(re.findall(r"\w+", s))


def _paragraph_bounds(paragraphs, pos):
    index = bisect.bisect_right(paragraphs, (pos, float("inf"))) - 1
    if index >= 0:
        start, end = paragraphs[index]
        if start <= pos <= end:
            return start, end
    return 0, 0
