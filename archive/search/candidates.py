"""Candidate official records for a quotation, found by the search engine (issue 13).

When a speaker has more records in the days around a quotation than the check should read, the
search engine ranks them by the quotation's words; the check then aligns only the best few.
"""

from haystack.query import SearchQuerySet

from archive.models import Speech
from archive.search.query import date_clause, narrow_clause, plain_words


def record_candidates(*, speaker_slug, date_from, date_to, text, limit=5, using="default"):
    """Ids of published statements by one speaker between two dates, best match for ``text`` first."""
    words = plain_words(text)
    sqs = (
        SearchQuerySet(using=using)
        .models(Speech)
        .narrow(narrow_clause("speaker", [speaker_slug]))
        .narrow(date_clause("date", date_from, date_to))
    )
    if words:
        sqs = sqs.raw_search(words)
    return [int(result.pk) for result in sqs[:limit]]
