"""A quotation aligned with one record: the best passage, and the differences a reader would name."""

from dataclasses import dataclass

from rapidfuzz import fuzz

from archive.quotecheck.edits import ops_cost, word_ops
from archive.quotecheck.results import Alignment, Difference
from archive.quotecheck.words import normal_word, normal_words, quote_segments, record_words, split_sentences


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
    ops = word_ops(segment, record, lo, hi)
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
    return sum(ops_cost(piece.ops, piece.words)[0] for piece in pieces)


def _align_pieces(segment, record, text):
    """A segment as one piece, or as its sentences each aligned on its own when that explains it
    with fewer changes (sentences a reporter merged or put in another order)."""
    whole = [_Piece(segment, _align_segment(segment, record))]
    sentences = split_sentences(segment, text)
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


class _Tally:
    """What an alignment has found so far: the differences, matched segments, and the word counts
    the score is made of."""

    def __init__(self, quote_text, record, rwords):
        self.quote_text, self.record, self.rwords = quote_text, record, rwords
        self.differences, self.segments = [], []
        self.matched = 0  # quotation words found in the record
        self.r_total = 0  # record words the passage spans (compared against)

    def surface(self, r0, r1):
        return _surface(self.record.text, self.rwords.spans, r0, r1)


def align(quote_text, record):
    """The best passage of one record for a quotation, and the differences; None if nothing matches."""
    rwords = record_words(record.text)
    segments = quote_segments(quote_text)
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
    tally = _Tally(quote_text, record, rwords)
    for piece in pieces:
        _piece_differences(piece, tally)
    _between_pieces(found, tally)
    differences = _reordered(tally.differences)
    rspans = rwords.spans
    start = rspans[min(p.r0 for p in found)][0]
    end = rspans[max(p.r1 for p in found) - 1][1]
    q_total = sum(1 for piece in pieces for w in piece.words if not w.editorial)
    total = q_total + tally.r_total
    score = min(1.0, (2 * tally.matched / total) if total else 0.0)
    differences.sort(key=lambda d: (d.quote_start, d.record_start))
    return Alignment(round(score, 4), start, end, differences, tally.segments)


def _change_runs(ops):
    """The operations of a piece as matches (an "equal" op) and runs of changes between two matches,
    each run as (q0, q1, r0, r1): its quotation-only and record-only words (None when it has none)."""
    i = 0
    while i < len(ops):
        if ops[i].tag == "equal":
            yield ops[i], None
            i += 1
            continue
        q0 = q1 = r0 = r1 = None
        while i < len(ops) and ops[i].tag != "equal":
            o = ops[i]
            if o.tag == "quote":
                q0 = o.q0 if q0 is None else q0
                q1 = o.q1
            else:
                r0 = o.r0 if r0 is None else r0
                r1 = o.r1
            i += 1
        yield None, (q0, q1, r0, r1)


def _piece_differences(piece, tally):
    """Count one aligned piece's matches and record its differences (moved words count as matched)."""
    rspans = tally.rwords.spans
    first_difference = len(tally.differences)
    for op, run in _change_runs(piece.ops):
        if op is not None:
            tally.matched += op.q1 - op.q0
            tally.r_total += op.r1 - op.r0
            q0, q1 = piece.words[op.q0].start, piece.words[op.q1 - 1].end
            tally.segments.append((q0, q1, rspans[op.r0][0], rspans[op.r1 - 1][1]))
        else:
            _run_difference(piece, run, tally)
    quote_text, record_text = tally.quote_text, tally.record.text
    tally.differences[first_difference:] = _swaps(tally.differences[first_difference:], quote_text, record_text)
    for d in tally.differences[first_difference:]:
        if d.kind == "reordered":  # moved words are the record's words: they count as matched
            inside = [w for w in piece.words if d.quote_start <= w.start < d.quote_end and not w.editorial]
            already = sum(
                1
                for op in piece.ops
                if op.tag == "equal"
                for w in piece.words[op.q0 : op.q1]
                if d.quote_start <= w.start < d.quote_end
            )
            tally.matched += len(inside) - already


def _run_difference(piece, run, tally):
    """One run of changes between two matches: substituted, inserted or omitted words, unless it is
    the same letters split differently or an editorial insertion."""
    q0, q1, r0, r1 = run
    quote_text, record_text, rspans = tally.quote_text, tally.record.text, tally.rwords.spans
    qwords = piece.words[q0:q1] if q0 is not None else []
    rcount = (r1 - r0) if r0 is not None else 0
    plain = [w for w in qwords if not w.editorial]
    if plain or not qwords:
        tally.r_total += rcount
    if qwords and rcount and _joined_same(qwords, tally.rwords, r0, r1, quote_text, record_text):
        tally.matched += len(qwords)
        return  # the same letters split differently: "counter-terrorism" / "counterterrorism"
    if not plain:
        if qwords:
            return  # [an editorial insertion], in place of record words or in addition
        qs, qa, qb = "", 0, 0
    else:
        qs, qa, qb = quote_text[qwords[0].start : qwords[-1].end], qwords[0].start, qwords[-1].end
    rs, ra, rb = tally.surface(r0, r1) if rcount else ("", 0, 0)
    if plain and rcount:
        kind = "substituted"
    elif plain:
        kind = "inserted"
        # Where in the record: just after the previous match.
        ra = rb = _record_point(piece.ops, q0, rspans)
    else:
        kind = "omitted"
        qa = qb = _quote_point(piece, piece.ops, r0)
    tally.differences.append(Difference(kind, qs, rs, qa, qb, ra, rb))


def _between_pieces(found, tally):
    """Between pieces: an ellipsis allows an omission; pieces out of the record's order are reordered."""
    for a, b in zip(found, found[1:], strict=False):
        if b.r0 >= a.r1:
            gap = (a.r1, b.r0)
            if gap[1] > gap[0] and not getattr(b, "after_ellipsis", False):
                rs, ra, rb = tally.surface(gap[0], gap[1])
                qa = qb = b.words[0].start
                tally.differences.append(Difference("omitted", "", rs, qa, qb, ra, rb))
                tally.r_total += min(gap[1] - gap[0], len(b.words))
    order = sorted(range(len(found)), key=lambda k: found[k].r0)
    for k, piece in enumerate(found):
        if order[k] != k:
            words = piece.words
            qs = tally.quote_text[words[0].start : words[-1].end]
            rs, ra, rb = tally.surface(piece.r0, piece.r1)
            tally.differences.append(Difference("reordered", qs, rs, words[0].start, words[-1].end, ra, rb))
            break


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
