"""The Cite block: Chicago, APA and BibTeX built from the statement's data."""

import datetime
import html as html_lib
import re

import pytest

from archive import citations
from archive.models import Speech
from tests.factories import EventFactory, SpeakerFactory, SpeechFactory

pytestmark = pytest.mark.django_db
URL = "https://archive.example.org/statements/1/"


def test_chicago_for_the_seed_statement(seed):
    text = citations.chicago(seed, URL)
    assert text == (
        "Zhang Jun. \u201cStatement at the Security Council high-level open debate on linkages between terrorism "
        "and organized crime.\u201d Statement by the Permanent Representative of China to the United Nations at the "
        "High-level open debate on addressing the issue of linkages between terrorism and organized crime, "
        "Security Council, August 6, 2020. Reported by Xinhua, August 6, 2020. Statements Archive. "
        "https://archive.example.org/statements/1/."
    )


def test_apa_for_the_seed_statement(seed):
    text = citations.apa(seed, URL)
    assert text.startswith("Zhang, J. (2020, August 6). Statement at the Security Council high-level open debate")
    assert "[Speech]." in text and "Security Council." in text and "Xinhua." in text and text.endswith(URL)


def test_bibtex_for_the_seed_statement(seed):
    text = citations.bibtex(seed, URL)
    assert text.startswith("@misc{zhang2020statement1,\n")
    assert "  author = {Zhang, Jun},\n" in text
    assert "  year = {2020},\n  month = aug,\n  day = {6},\n" in text
    assert "  note = {Reported by Xinhua},\n" in text
    assert text.endswith(f"  url = {{{URL}}}\n}}")
    assert text.count("{") == text.count("}")


def test_symbol_western_name_and_year_precision(reference_data):
    speech = SpeechFactory(
        speaker=SpeakerFactory(name="Alice Martin", sort_name="Martin, Alice Jane"),
        event=EventFactory(title="Open debate", meeting_symbol="S/PV.8700"),
        date=datetime.date(1970, 1, 1),
        date_precision=Speech.DatePrecision.YEAR,
        role="",
        title="On 100% of the budget & more_{x}",
    )
    assert citations.chicago(speech, URL).startswith("Martin, Alice Jane. \u201cOn 100% of the budget")
    assert "Open debate, Security Council, S/PV.8700, 1970." in citations.chicago(speech, URL)
    assert citations.apa(speech, URL).startswith("Martin, A. J. (1970). On 100% of the budget")
    bib = citations.bibtex(speech, URL)
    assert "month" not in bib and "  year = {1970}" in bib and "  number = {S/PV.8700}" in bib
    assert r"title = {{On 100\% of the budget \& more\_\{x\}}}" in bib


def test_quotation_citation_names_the_quotation(seed):
    quotation = seed.quotations.get(text__startswith="we must stand united")
    url = "https://archive.example.org/quotations/5/"
    assert citations.chicago(seed, url, quotation).startswith(
        "Zhang Jun. \u201cwe must stand united with solidarity.\u201d Quoted from a statement by the Permanent"
    )
    assert "[Quotation from a statement]" in citations.apa(seed, url, quotation)
    assert citations.bibtex(seed, url, quotation).startswith(f"@misc{{zhang2020quotation{quotation.pk},")


def test_cite_block_on_statement_and_quotation_pages(client, seed):
    for url in [seed.get_absolute_url(), seed.quotations.first().get_absolute_url()]:
        page = client.get(url).content.decode()
        block = re.search(r'<section class="cite".*?</section>', page, re.S).group(0)
        assert "<summary>Chicago</summary>" in block and "<summary>APA</summary>" in block
        assert "<summary>BibTeX</summary>" in block
        assert "http://testserver" + url in html_lib.unescape(block)


def test_cite_block_escapes_the_data(client, reference_data):
    speech = SpeechFactory(title="<script>alert(1)</script>")
    page = client.get(speech.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
