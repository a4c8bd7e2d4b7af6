import pytest
from django.urls import reverse

from tests.factories import QuotationFactory, SpeechFactory

pytestmark = pytest.mark.django_db


def test_home_shows_counts_and_latest_statements(client, seed):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Statement at the Security Council high-level open debate" in html
    assert "<strong>1</strong> statements" in html and "<strong>20</strong> quotations" in html


def test_statement_page_shows_text_quotations_source_speaker_event(client, seed):
    html = client.get(seed.get_absolute_url()).content.decode()
    assert "Zhang Jun" in html and "Permanent Representative of China to the United Nations" in html
    assert "High-level open debate on addressing the issue of linkages between terrorism and organized crime" in html
    assert "6 August 2020" in html and "Xinhua" in html and "Security Council" in html
    assert html.count('class="quotation quotation-direct"') == 13
    assert "we must stand united with solidarity." in html
    assert "Security Council resolution 2482" in html


def test_speaker_page_lists_statements_and_roles(client, seed):
    html = client.get(reverse("speaker-detail", kwargs={"slug": "zhang-jun"})).content.decode()
    assert seed.get_absolute_url() in html
    assert "Permanent Representative of China to the United Nations (China)" in html


def test_quotation_permalink_shows_it_in_context(client, seed):
    quotation = seed.quotations.get(text__startswith="we must stand united")
    html = client.get(quotation.get_absolute_url()).content.decode()
    assert "<mark>we must stand united with solidarity.</mark>" in html
    assert "Zhang said that facing the threat of terrorism" in html


@pytest.mark.parametrize(
    "url_name,slug",
    [
        ("country-detail", "china"),
        ("body-detail", "security-council"),
        ("topic-detail", "counter-terrorism"),
        ("event-detail", "2020-08-06-security-council-linkages-terrorism-organized-crime"),
    ],
)
def test_listing_pages_show_the_seed_statement(client, seed, url_name, slug):
    response = client.get(reverse(url_name, kwargs={"slug": slug}))
    assert response.status_code == 200
    assert seed.get_absolute_url() in response.content.decode()


def test_statement_text_is_escaped(client):
    speech = SpeechFactory(text='<script>alert("x")</script>\n\nSecond')
    html = client.get(speech.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_pages_use_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        QuotationFactory()
    speech = SpeechFactory()
    for url in [
        "/",
        speech.get_absolute_url(),
        reverse("country-detail", kwargs={"slug": "china"}),
        reverse("body-detail", kwargs={"slug": "security-council"}),
    ]:
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
    for _ in range(15):
        SpeechFactory()
    with django_assert_max_num_queries(10):
        client.get(reverse("country-detail", kwargs={"slug": "china"}))


def test_listing_is_paginated(client):
    for _ in range(25):
        SpeechFactory()
    first = client.get(reverse("country-detail", kwargs={"slug": "china"})).content.decode()
    second = client.get(reverse("country-detail", kwargs={"slug": "china"}) + "?page=2").content.decode()
    assert first.count('class="speech-row"') == 20
    assert second.count('class="speech-row"') == 5


def test_year_precise_statements_never_show_an_invented_day(client):
    import datetime

    from archive.models import Speech

    first = SpeechFactory(date=datetime.date(1994, 1, 1), date_precision=Speech.DatePrecision.YEAR, role="Minister")
    SpeechFactory(
        speaker=first.speaker, date=datetime.date(2004, 1, 1), date_precision=Speech.DatePrecision.YEAR, role="Minister"
    )
    for url in [first.speaker.get_absolute_url(), first.get_absolute_url(), "/meetings/", "/countries/china/"]:
        html = client.get(url).content.decode()
        assert "1 January" not in html, url
    assert "1994</time>–<time" in client.get(first.speaker.get_absolute_url()).content.decode()
