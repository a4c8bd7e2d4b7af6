"""The official records a quotation may come from, found in the database (the check itself is pure:
archive/quotecheck/verdicts.py)."""

import datetime
import logging

from archive.models import OfficialTranscript, Speech
from archive.quotecheck.outbox import DAYS_AROUND
from archive.quotecheck.results import Record

MAX_OTHER_RECORDS = 5  # the speaker's records of other days a check reads, at most


def _same_statement(s, speech):
    """A record of the quoted statement itself: the same speech, meeting or day."""
    return s.pk == speech.pk or bool(s.event_id and s.event_id == speech.event_id) or s.date == speech.date


def _searched_records(quotation, speech, others):
    """The ids of the speaker's other records the search engine ranks best for the quotation (or,
    if the search engine fails, the nearest in date)."""

    from archive.search.candidates import record_candidates  # the search engine loads after the models

    try:
        return set(
            record_candidates(
                speaker_slug=quotation.speaker.slug,
                date_from=speech.date - datetime.timedelta(days=DAYS_AROUND),
                date_to=speech.date + datetime.timedelta(days=DAYS_AROUND),
                text=quotation.text,
                limit=MAX_OTHER_RECORDS,
            )
        )
    except Exception:  # noqa: BLE001 - the search engine is an aid here, never a failure
        logging.getLogger(__name__).exception("Search for candidate records failed; using the nearest dates")
        nearest = sorted(others, key=lambda s: abs((s.date - speech.date).days))[:MAX_OTHER_RECORDS]
        return {s.pk for s in nearest}


def official_records(quotation):
    """The official records a quotation may come from, in order of preference (``Record``):
    the speaker's own published texts of the statement, the statement's record (a corpus import), then
    the speaker's records of the days around."""

    speech = quotation.speech
    around = (
        Speech.objects.filter(speaker_id=quotation.speaker_id)
        .filter(
            date__gte=speech.date - datetime.timedelta(days=DAYS_AROUND),
            date__lte=speech.date + datetime.timedelta(days=DAYS_AROUND),
        )
        .select_related("event")
    )
    candidates = [s for s in around if s.pk == speech.pk or s.external_id or s.is_published]
    others = [s for s in candidates if s.pk != speech.pk and not _same_statement(s, speech)]
    if len(others) > MAX_OTHER_RECORDS:
        # Many records of the speaker in those days: the search engine picks the likeliest.
        keep = _searched_records(quotation, speech, others)
        candidates = [s for s in candidates if s not in others or s.pk in keep]
    transcripts = {}
    for transcript in OfficialTranscript.objects.for_speeches([s.pk for s in candidates]):
        transcripts.setdefault(transcript.speech_id, []).append(transcript)

    def same(s):
        return _same_statement(s, speech)

    candidates.sort(key=lambda s: (not same(s), abs((s.date - speech.date).days), s.pk != speech.pk, s.pk))
    records, own, others = [], [], []
    for s in candidates:
        for transcript in transcripts.get(s.pk, []):
            record = Record(
                key=f"source:{transcript.source_id}",
                label=f"{transcript.source.publisher}"
                + (" (the speaker's own text)" if transcript.speakers_own else " (official transcript)"),
                text=transcript.source.original_text,
                language=transcript.language,
                delivered_in=transcript.delivered_in,
                own_text=transcript.speakers_own,
                same_statement=bool(same(s)),
            )
            (own if transcript.speakers_own and same(s) else others).append((s, transcript.source, record))
        if s.external_id and s.text.strip():
            symbol = s.event.meeting_symbol if s.event_id else ""
            record = Record(
                key=f"speech:{s.pk}",
                label=f"UN verbatim record {symbol}".strip() if symbol else f"Official record ({s.external_id})",
                text=s.text,
                language=s.language,
                delivered_in=s.original_language,
                same_statement=bool(same(s)),
            )
            others.append((s, None, record))
    records = own + [r for r in others if r[2].same_statement] + [r for r in others if not r[2].same_statement]
    return records
