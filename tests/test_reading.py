"""The statement page as a reader arriving from a search sees it: numbered paragraphs with their own
links, the searched words marked, the way back to the results, the official record, citing a paragraph."""

import re

import pytest
from django.urls import reverse

from archive.reading import search_terms
from tests.factories import EventFactory, SpeechFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Mr. President, thank you.\n\n"
    "We must combat the financing of terrorism <script>alert(1)</script>.\n\n"
    "Terrorists are financed through crime; financing must stop."
)


@pytest.fixture
def speech(reference_data):
    event = EventFactory(title="Threats to peace", meeting_symbol="S/PV.8700")
    return SpeechFactory(event=event, text=TEXT)


def test_every_paragraph_has_an_anchor_a_link_and_a_cite_link(client, speech):
    html = client.get(speech.get_absolute_url()).content.decode()
    for number in (1, 2, 3):
        assert f'<p id="p{number}"' in html
        assert f'<a class="para-link" href="#p{number}" aria-label="Link to paragraph {number}"' in html
        assert f'href="?cite=p{number}#cite"' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cite_this_paragraph_cites_its_permalink(client, speech):
    html = client.get(speech.get_absolute_url(), {"cite": "p2"}).content.decode()
    block = re.search(r'<section class="cite".*?</section>', html, re.S).group(0)
    assert "Cite paragraph 2" in block
    assert f"http://testserver/statements/{speech.pk}/#p2" in block
    assert "#p9" not in client.get(speech.get_absolute_url(), {"cite": "p9"}).content.decode()


def test_arriving_from_a_search_marks_the_words_and_links_back(client, speech):
    back = "/search/?q=financing+terrorism&country=CHN&page=2"
    html = client.get(speech.get_absolute_url(), {"q": "financing terrorism", "back": back}).content.decode()
    assert "<mark>financing</mark> of <mark>terrorism</mark>" in html
    assert "<mark>Terrorists</mark> are <mark>financed</mark>" in html  # word forms, as the search stems
    assert '<p id="p2" class="has-match">' in html and '<p id="p1">' in html
    assert 'first in <a href="#p2">paragraph 2</a>' in html
    assert f'<a href="{back.replace("&", "&amp;")}">← Back to the results</a>' in html
    # The marking never lets markup through.
    assert "<mark><script>" not in html and "<script>alert" not in html


@pytest.mark.parametrize(
    "back", ["https://evil.example/search/", "//evil.example/search/", "javascript:alert(1)", "/admin/"]
)
def test_back_link_is_only_ever_a_local_search(client, speech, back):
    html = client.get(speech.get_absolute_url(), {"back": back}).content.decode()
    assert "Back to the results" not in html


def test_search_results_link_to_the_statement_with_the_words_and_the_way_back(client, speech, search_index):
    from django.core.management import call_command

    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)
    html = client.get(reverse("search"), {"q": "financing"}).content.decode()
    link = re.search(r'class="speech-title" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert link == f"/statements/{speech.pk}/?q=financing&back=%2Fsearch%2F%3Fq%3Dfinancing"
    page = client.get(link).content.decode()
    assert "<mark>financing</mark>" in page and 'href="/search/?q=financing">← Back to the results' in page


def test_search_terms_leave_out_operators_fields_and_exclusions():
    # Stems: "climate" also marks "climatic", as the search's stemming would match it.
    terms = search_terms('"climate change" AND country:CHN -coal speaker:"Zhang Jun" peace*')
    assert terms == ["climat", "chang", "peac"]


def test_official_record_of_a_security_council_meeting(client, speech):
    html = client.get(speech.get_absolute_url()).content.decode()
    assert '<a class="official-document" href="https://undocs.org/en/S/PV.8700"' in html


def test_official_records_of_a_general_debate_session(client, reference_data):
    speech = SpeechFactory(event=EventFactory(meeting_symbol=""), external_id="UNGDC:CHN_75_2020")
    html = client.get(speech.get_absolute_url()).content.decode()
    assert "https://digitallibrary.un.org/search?ln=en&amp;p=A%2F75%2FPV." in html
    assert "75th session of the General Assembly" in html
    plain = SpeechFactory(event=EventFactory(meeting_symbol=""))
    assert "Official record" not in client.get(plain.get_absolute_url()).content.decode()
