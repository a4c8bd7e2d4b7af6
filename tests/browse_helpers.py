"""What a reader sees on a listing, read back out of the HTML: the statements' ids in screen order."""

import csv
import datetime
import io
import json
import re

import pytest

from archive.models import Country, Speech, Topic
from tests.factories import EventFactory, QuotationFactory, SpeakerFactory, SpeechFactory, existing_body

STATEMENT_LINK = re.compile(r'class="speech-title" href="/statements/(\d+)/"')
QUOTATION_LINK = re.compile(r'<a href="/quotations/(\d+)/">Permalink</a>')


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def screen_ids(client, url, pattern=STATEMENT_LINK):
    """Every id a reader sees, following the Next links through all pages."""
    ids = []
    while url:
        html = client.get(url).content.decode()
        ids += [int(i) for i in pattern.findall(html)]
        match = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not match:
            break
        next_href = match.group(1).replace("&amp;", "&")
        url = url.split("?")[0] + next_href if next_href.startswith("?") else next_href
    return ids


def csv_rows(response):
    text = body(response).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def jsonl_rows(response):
    return [json.loads(line) for line in body(response).decode("utf-8").splitlines() if line.strip()]


@pytest.fixture(name="corpus")
def corpus_fixture(reference_data):
    """A small mixed corpus: three delegations, two bodies, several years, topics and one draft."""
    china, france, palestine = (Country.objects.get(code=c) for c in ("CHN", "FRA", "PSE"))
    terrorism, financing, climate = (
        Topic.objects.get(slug=s) for s in ("counter-terrorism", "terrorism-financing", "multilateralism")
    )
    alice = SpeakerFactory(name="Alice Martin", sort_name="Martin, Alice", slug="alice-martin")
    wang = SpeakerFactory(name="Wang Yi", sort_name="Wang Yi", slug="wang-yi")
    ga_event = EventFactory(title="General debate 2019", slug="ga-2019", body=existing_body("general-assembly"))
    ctc_event = EventFactory(
        title="CTC briefing", slug="ctc-2021", body=existing_body("counter-terrorism-committee"), date="2021-03-02"
    )
    speeches = {
        "wang2019": SpeechFactory(speaker=wang, country=china, event=ga_event, date=datetime.date(2019, 9, 24)),
        "wang2021": SpeechFactory(speaker=wang, country=china, event=ctc_event, date=datetime.date(2021, 3, 2)),
        "alice2017": SpeechFactory(speaker=alice, country=france, event=ga_event, date=datetime.date(2017, 9, 20)),
        "alice2021": SpeechFactory(speaker=alice, country=france, event=ctc_event, date=datetime.date(2021, 3, 2)),
        "pse1970": SpeechFactory(
            speaker=SpeakerFactory(name="Year Only", slug="year-only"),
            country=palestine,
            event=ga_event,
            date=datetime.date(1970, 1, 1),
            date_precision=Speech.DatePrecision.YEAR,
        ),
    }
    speeches["wang2019"].topics.set([terrorism])
    speeches["wang2021"].topics.set([financing])
    speeches["alice2021"].topics.set([financing, climate])
    draft_speaker = SpeakerFactory(name="Secret Draftperson", slug="secret-draftperson")
    draft_event = EventFactory(title="Unannounced meeting", slug="unannounced")
    speeches["draft"] = SpeechFactory(
        draft=True, speaker=draft_speaker, country=china, event=draft_event, title="DRAFT must not leak"
    )
    QuotationFactory(speech=speeches["draft"])
    return speeches
