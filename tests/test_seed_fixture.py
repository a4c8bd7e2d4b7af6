"""The seed fixture: the Xinhua report of Zhang Jun at the Security Council, 6 August 2020."""

import datetime
import re

from archive.models import Quotation
from tests.golden import SEED_ARTICLE


def test_every_quotation_slices_exactly_its_text_out_of_the_source(seed):
    quotations = list(seed.quotations.select_related("source"))
    assert quotations
    for quotation in quotations:
        assert quotation.source.original_text[quotation.start : quotation.end] == quotation.text, quotation.pk


def test_thirteen_direct_quotations_cover_every_quoted_passage(seed):
    source_text = seed.sources.get().original_text
    quoted = [m.group(1).rstrip(",") for m in re.finditer(r'"([^"]+)"', source_text)]
    direct = list(seed.quotations.filter(kind=Quotation.Kind.DIRECT).order_by("start"))
    assert len(quoted) == 13
    assert [q.text for q in direct] == quoted
    assert {q.speaker.name for q in direct} == {"Zhang Jun"}


def test_reported_speech_is_kept_as_indirect_quotations(seed):
    indirect = seed.quotations.filter(kind=Quotation.Kind.INDIRECT)
    assert indirect.count() >= 6
    assert indirect.filter(text__startswith="it is important to support domestic efforts").exists()


def test_statement_metadata(seed):
    assert seed.speaker.name == "Zhang Jun"
    assert seed.country.code == "CHN"
    assert seed.role == "Permanent Representative of China to the United Nations"
    assert seed.event.body.slug == "security-council"
    assert seed.event.date == seed.date == datetime.date(2020, 8, 6)
    assert seed.event.agenda_item == "Threats to international peace and security caused by terrorist acts"
    assert seed.is_published
    source = seed.sources.get()
    assert (source.publisher, source.published_on) == ("Xinhua", datetime.date(2020, 8, 6))
    topics = set(seed.topics.values_list("slug", flat=True))
    assert {"counter-terrorism", "terrorism-financing", "transnational-organized-crime", "multilateralism"} <= topics
    assert {"capacity-building", "covid-19", "de-radicalization", "trafficking"} <= topics


def test_source_text_is_the_article_verbatim(seed):
    assert seed.sources.get().original_text == SEED_ARTICLE.read_text(encoding="utf-8")
