"""Property-based tests: the extractor and the date resolver never raise, and every offset they
give lies inside the text and slices out exactly the quotation's text."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.ingest import dates, quotes

# slow: hypothesis property tests
pytestmark = pytest.mark.slow

QUOTE_MARKS = ['"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\u00ab", "\u00bb"]
PIECES = st.sampled_from(
    QUOTE_MARKS
    + [
        " said ",
        " he added",
        ", the ambassador said.",
        " Zhang Jun",
        " told ",
        ": ",
        "\n\n",
        ". ",
        ", ",
        " according to ",
        " on Thursday",
        " last week",
        " on Aug. 6",
        " Mr. ",
        " that ",
        "U.N.",
        "\u00a0",
        "Dr.",
        " she",
        " \u6211\u4eec",
        " \u0633\u0644\u0627\u0645",
    ]
)
ARTICLES = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLES)
def test_extraction_never_raises_and_offsets_slice_the_text(text):
    result = quotes.extract(text)
    for quote in result.quotes:
        assert 0 <= quote.start <= quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        assert 0 <= quote.confidence <= 1
        assert quote.kind in (quotes.DIRECT, quotes.INDIRECT)


@settings(max_examples=300, deadline=None)
@given(ARTICLES, st.dates(min_value=datetime.date(1946, 1, 1), max_value=datetime.date(2100, 1, 1)))
def test_statement_dates_never_raise_and_never_follow_publication(text, published):
    resolved = dates.statement_date(text, published)
    if resolved is not None:
        assert resolved.date <= published + datetime.timedelta(days=1)
        assert resolved.precision in ("day", "month", "year")
        if resolved.phrase:
            assert text[resolved.start : resolved.start + len(resolved.phrase)] == resolved.phrase
