"""Checking a reported quotation against the official record.

The check itself is pure functions, no database (words, edits, align, verdicts; the types in
results); records finds the official records in the database, outbox queues checks.

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
