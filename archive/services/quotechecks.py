"""Quote checks (issue 13): official transcripts added by editors, quotations checked against the
official records (archive/quotecheck/), and the queue of checks drained."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from archive.models import OfficialTranscript, Quotation, QuotationCheck, QuotationCheckTask, Source
from archive.quotecheck import outbox as quotecheck_outbox
from archive.quotecheck import verdicts
from archive.quotecheck.records import official_records
from archive.quotecheck.results import METHOD
from archive.search import outbox
from archive.services.history import NoHistory, record_speech_history


def quotation_check(*, quotation):
    """Check one quotation against the official records and save the verdict (QuotationCheck)."""
    found = official_records(quotation)
    result = verdicts.check(quotation.text, [r for _s, _src, r in found], language=quotation.speech.language)
    used = next(((s, src) for s, src, r in found if result.record is not None and r.key == result.record.key), None)
    check, _ = QuotationCheck.objects.update_or_create(
        quotation=quotation,
        defaults={
            "verdict": result.verdict,
            "score": result.score,
            "record_speech": used[0] if used else None,
            "record_source": used[1] if used else None,
            "record_label": result.record.label[:300] if result.record else "",
            "record_start": result.start,
            "record_end": result.end,
            "passage": result.passage,
            "differences": [d.as_dict() for d in result.differences],
            "quotation_text": quotation.text,
            "method": METHOD,
            "checked_at": timezone.now(),
        },
    )
    return check


def quotations_check(*, quotation_ids, progress=None):
    """Check these quotations (ids), each in its own transaction; returns {verdict: count}.

    Published ones are re-indexed (the search's ``verification`` facet reads the verdict)."""
    summary = {}
    ids = list(quotation_ids)
    for start in range(0, len(ids), 100):
        chunk = ids[start : start + 100]
        quotations = Quotation.objects.checkable().filter(pk__in=chunk).select_related("speech", "speaker")
        for quotation in quotations:
            with transaction.atomic():
                check = quotation_check(quotation=quotation)
                if quotation.speech.is_published:
                    outbox.enqueue(outbox.QUOTATION, [quotation.pk])
            summary[check.verdict] = summary.get(check.verdict, 0) + 1
        if progress:
            progress(len(chunk))
    return summary


def quotation_checks_drain(*, batch_size=50):
    """Run the queued checks (archive/quotecheck/outbox.py), up to ``batch_size``; returns how many
    queued rows were done. A failing check stays queued with its error."""
    tasks = list(QuotationCheckTask.objects.order_by("id")[:batch_size])
    if not tasks:
        return 0
    ids = {task.quotation_id for task in tasks}
    try:
        quotations_check(quotation_ids=sorted(ids))
    except Exception as error:
        QuotationCheckTask.objects.filter(id__in=[t.id for t in tasks]).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    QuotationCheckTask.objects.filter(id__in=[t.id for t in tasks]).delete()
    return len(tasks)


@transaction.atomic
def official_transcript_add(
    *,
    speech,
    text,
    publisher,
    url="",
    title="",
    published_on=None,
    language="en",
    delivered_in="",
    speakers_own=True,
    editor=None,
):
    """Add an official transcript (a mission's published remarks...) to a statement, kept verbatim
    as a source; the quotations of that speaker around that date are queued for a new check."""
    publisher = (publisher or "").strip()
    if not publisher:
        raise ValidationError({"publisher": "Give the publisher of the transcript."})
    if not (text or "").strip():
        raise ValidationError({"text": "Paste or upload the transcript's text."})
    language = (language or "en").strip() or "en"
    source = Source(
        kind=Source.Kind.RECORD,
        publisher=publisher[:200],
        url=url,
        title=title[:400],
        published_on=published_on,
        original_text=text,
    )
    source._history_user = editor
    source.save()
    transcript = OfficialTranscript.objects.create(
        speech=speech,
        source=source,
        language=language[:12],
        delivered_in=(delivered_in or "").strip()[:12],
        speakers_own=speakers_own,
    )
    with NoHistory(speech):
        speech.sources.add(source)
    record_speech_history(speech, editor=editor, reason=f"Official transcript: {source}")
    quotecheck_outbox.enqueue_around([(speech.speaker_id, speech.date)])
    if speech.is_published:
        outbox.enqueue_speech(speech)
    return transcript
