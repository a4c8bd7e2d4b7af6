"""The whole proposal for the seed article (Xinhua, 6 August 2020), against fixtures/seed.json."""

import datetime
import json
from pathlib import Path

import pytest

from archive.ingest import news
from archive.models import Quotation, Speaker
from tests.golden import seed_text

REPO = Path(__file__).resolve().parents[2]


def expected_quotations():
    rows = json.loads((REPO / "fixtures" / "seed.json").read_text(encoding="utf-8"))
    return [r["fields"] for r in rows if r["model"] == "archive.quotation"]


@pytest.mark.django_db
@pytest.mark.parametrize("published", [datetime.date(2020, 8, 6), datetime.date(2020, 8, 7)])
def test_seed_article_proposal_matches_the_expected_answer(seed, published):
    text = seed_text()
    proposal = news.propose(text, published=published)

    expected_direct = sorted((q["start"], q["end"], q["text"]) for q in expected_quotations() if q["kind"] == "direct")
    found_direct = sorted((q.quote.start, q.quote.end, q.quote.text) for q in proposal.direct)
    assert len(expected_direct) == 13
    assert found_direct == expected_direct
    for start, end, quoted in found_direct:
        assert text[start:end] == quoted
    assert {q.speaker_name for q in proposal.direct} == {"Zhang Jun"}
    assert {q.quote.cue for q in proposal.direct} <= {"told", "said", "added", "noted"}

    expected_indirect = sorted((q["start"], q["end"]) for q in expected_quotations() if q["kind"] == "indirect")
    assert sorted((q.quote.start, q.quote.end) for q in proposal.indirect) == expected_indirect
    assert {q.speaker_name for q in proposal.indirect} == {"Zhang Jun"}

    assert proposal.date.date == datetime.date(2020, 8, 6)
    assert proposal.date.precision == "day"
    assert proposal.speaker == seed.speaker  # matched by name, not proposed again
    assert proposal.role == "Permanent Representative of China to the United Nations"
    assert proposal.country.code == "CHN"
    assert proposal.body.slug == "security-council"
    assert proposal.event == seed.event
    assert {"unsc-resolution-2482", "global-counter-terrorism-strategy", "untoc"} <= {
        i.slug for i in proposal.instruments
    }
    topics = {t.slug for t in proposal.topics}
    assert {"counter-terrorism", "transnational-organized-crime", "terrorism-financing"} <= topics
    assert proposal.warnings == []


@pytest.mark.django_db
def test_seed_article_without_the_seed_proposes_a_new_speaker_and_event(reference_data):
    proposal = news.propose(seed_text(), published=datetime.date(2020, 8, 7))
    assert proposal.speaker is None
    assert proposal.speaker_name == "Zhang Jun"
    assert proposal.event is None
    assert proposal.event_title == (
        "High-level open debate on addressing the issue of linkages between terrorism and organized crime"
    )
    assert proposal.event_kind == "open-debate"
    assert proposal.country.code == "CHN"


@pytest.mark.django_db
def test_speaker_matched_by_alias(seed):
    seed.speaker.aliases = ["Zhang", "Jun Zhang", "Ambassador Zhang Jun"]
    seed.speaker.save()
    assert Speaker.objects.get_by_name("Jun Zhang") == seed.speaker
    assert Speaker.objects.get_by_name("Mr. Zhang Jun") == seed.speaker
    assert Speaker.objects.get_by_name("Zhang Wei") is None


@pytest.mark.django_db
def test_countries_by_name_demonym_code_and_alias(reference_data):
    assert news.find_country("a Chinese envoy").code == "CHN"
    assert news.find_country("the People's Republic of China").code == "CHN"
    assert news.find_country("delegation of FRA").code == "FRA"
    role, country = news.role_and_country("France's ambassador to the United Nations")
    assert (role, country.code) == ("Ambassador of France to the United Nations", "FRA")


@pytest.mark.django_db
def test_quotations_by_other_people_keep_their_speaker(reference_data):
    text = (
        "Zhang Jun, China's permanent representative to the United Nations, said on Monday that the council "
        'must act together against terrorism.\n\n"We must stand united against this common threat," Zhang said.'
        '\n\n"The council has failed the victims for too long now," said Linda Thomas-Greenfield, the U.S. '
        'ambassador.\n\n"We will continue to support the UN efforts," he added.'
    )
    proposal = news.propose(text, published=datetime.date(2021, 3, 3))
    speakers = [(q.quote.kind, q.speaker_name) for q in proposal.quotations]
    assert speakers == [
        ("indirect", "Zhang Jun"),
        ("direct", "Zhang Jun"),
        ("direct", "Linda Thomas-Greenfield"),
        ("direct", "Linda Thomas-Greenfield"),
    ]
    assert proposal.speaker_name == "Zhang Jun"
    assert proposal.date.date == datetime.date(2021, 3, 1)


def test_refuses_empty_huge_and_binary_text():
    with pytest.raises(news.ProposalError, match="empty"):
        news.propose("   \n ")
    with pytest.raises(news.ProposalError, match="limit"):
        news.propose("x" * (5 * 1024 * 1024))
    with pytest.raises(news.ProposalError, match="binary"):
        news.propose("abc\x00def")


def test_quotation_status_default_keeps_existing_quotations_public():
    assert Quotation._meta.get_field("status").default == Quotation.Status.ACCEPTED


@pytest.mark.django_db
def test_an_absurd_number_of_quotations_is_capped_with_a_warning(reference_data):
    text = '"We will never give up on this," said Maria Lopez.\n\n' * 600
    proposal = news.propose(text, published=datetime.date(2021, 3, 3))
    assert len(proposal.quotations) == news.MAX_PROPOSALS
    assert any("only the first 500 are proposed" in w for w in proposal.warnings)


def test_uploaded_bytes_become_text_or_a_clear_error():
    assert news.text_from_file("Plain “text”.\r\n".encode(), "a.txt") == ("Plain “text”.\n", False)
    text, was_html = news.text_from_file(b"<p onclick='x()'>Hi <script>alert(1)</script>there</p>", "a.html")
    assert (text, was_html) == ("Hi there", True)
    with pytest.raises(news.ProposalError, match="binary"):
        news.text_from_file(b"PK\x03\x04\x00\x00", "a.txt")
    with pytest.raises(news.ProposalError, match="not UTF-8"):
        news.text_from_file("caf\u00e9".encode("latin-1"), "a.txt")
