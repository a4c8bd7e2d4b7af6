"""The verdict for a quotation against the official records it may come from."""

from archive.quotecheck.align import align
from archive.quotecheck.results import (
    ALTERED,
    NO_RECORD,
    NOT_FOUND,
    OTHER_LANGUAGE,
    TRANSLATION_DIFFERS,
    VERBATIM,
    Result,
    primary_language,
)
from archive.quotecheck.words import quote_segments

# A passage this similar (0-1, word level) to the quotation is where it came from, altered;
# below it, the quotation is not in the record. A record that is a translation is compared with
# another translation of the same words, which shares fewer of them.
FOUND_AT = 0.6
FOUND_IN_TRANSLATION_AT = 0.35


def check(quote_text, records, *, language="en"):
    """The verdict for a quotation against the official records it may come from.

    ``records`` in order of preference: the speaker's own texts of the statement, the statement's
    record, then the speaker's other records of those days. The one used is the first verbatim one,
    else the first where the quotation is found, else the nearest.
    """
    records = list(records)
    if not records:
        return Result(NO_RECORD)
    if not quote_segments(quote_text):
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
