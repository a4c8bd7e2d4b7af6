"""Before a news report becomes drafts: is it already in the archive (the same report, or the same
speech reported by another outlet)? Reads only; `services.news_source_attach` does the attaching."""

import datetime
import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Q

from archive.ingest import quotes


@dataclass
class Existing:
    """A statement already in the archive that a new report may duplicate, and why we think so."""

    speech: object
    reason: str
    same_source: object = None  # the Source when the very same report is already stored


def quote_key(text):
    """A quotation's words, for telling two outlets' cuts of one quotation apart from two quotations."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def find_existing(proposal, *, url=""):
    """Statements a new report would duplicate: the same report (URL or normalised text), the same
    speech (speaker, event and date) or one whose quotations the report largely repeats. Reads only."""
    from archive.models import Quotation, Source, Speech, source_text_hash

    found = {}

    def add(speech, reason, same_source=None):
        if speech.pk not in found:
            found[speech.pk] = Existing(speech, reason, same_source)

    speeches = Speech.objects.select_related("speaker", "country", "event")
    text_hash = source_text_hash(proposal.text)
    same = Q(text_hash=text_hash, kind=Source.Kind.NEWS)
    if url:
        same |= Q(url=url)
    for source in Source.objects.filter(same).order_by("pk")[:5]:
        why = "the same URL" if url and source.url == url else "the same text"
        for speech in speeches.filter(sources=source).order_by("pk"):
            add(speech, f"This report is already in the archive ({why}: {source})", source)

    date = proposal.date.date if proposal.date else proposal.published
    for statement in proposal.statements:
        if statement.speaker is None or date is None:
            continue
        same_speech = Q(event=proposal.event) if proposal.event is not None else Q(date=date)
        for speech in speeches.filter(same_speech, speaker=statement.speaker).order_by("pk")[:5]:
            add(speech, f"{statement.speaker.name} already has a statement {speech.display_date}")

    direct = [q for q in proposal.quotations if q.quote.kind == quotes.DIRECT]
    if direct:
        keys = {quote_key(q.quote.text) for q in direct}
        texts = {q.quote.text for q in direct}
        nearby = Q(text__in=texts)
        if date is not None:
            # Another outlet may cut a quotation differently: compare every quotation of that week.
            week = datetime.timedelta(days=7)
            nearby |= Q(speech__date__range=(date - week, date + week))
        hits = Counter()
        candidates = (
            Quotation.objects.filter(nearby, kind=quotes.DIRECT)
            .exclude(status=Quotation.Status.REJECTED)
            .values_list("speech_id", "text")[:5000]
        )
        for speech_id, text in candidates:
            key = quote_key(text)
            if len(key.split()) >= quotes.MIN_WORDS and any(key in k or k in key for k in keys):
                hits[speech_id] += 1
        for speech in speeches.filter(pk__in=list(hits)).order_by("pk"):
            n = hits[speech.pk]
            if n >= 2 or n * 2 >= len(direct):
                add(speech, f"{n} of the report's {len(direct)} quotations are already in this statement")
    return list(found.values())
