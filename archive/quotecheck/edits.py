"""Word-level edit operations between a quotation and a record, and their clean-up: gaps moved to
one side, stray edges dropped, swapped edges paired, so that each change reads as a reader sees it."""

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from archive.quotecheck.words import normal_word, qword


@dataclass
class _Op:
    tag: str  # equal / quote (quotation only) / record (record only)
    q0: int
    q1: int
    r0: int
    r1: int


def word_ops(segment, record, r_from, r_to):
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
    return min((forward, backward), key=lambda ops: ops_cost(ops, segment))


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


def ops_cost(ops, segment):
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
        quote = "".join(qword(segment[i]) for i in range(lead.q0, lead.q1))
        for k in range(1, min(n + 3, r1) + 1):
            joined = "".join(normal_word(text[s:e]) for s, e in spans[r1 - k : r1])
            if joined == quote:
                ops = [lead, _Op("record", lead.q1, lead.q1, r1 - k, r1)] + ops[1:]
                break
    if ops[-1].tag == "quote":
        tail = ops[-1]
        n = tail.q1 - tail.q0
        r0 = max(op.r1 for op in ops if op.tag == "equal")  # where the last match ends
        quote = "".join(qword(segment[i]) for i in range(tail.q0, tail.q1))
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
