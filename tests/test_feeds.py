"""Atom feeds: latest statements and per speaker, country, body and topic; filters apply; no drafts."""

import xml.etree.ElementTree as ET

import pytest

from tests.browse_helpers import corpus_fixture  # noqa: F401 - a fixture
from tests.factories import SpeechFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert feed.tag == f"{ATOM}feed"
    return [
        (entry.findtext(f"{ATOM}title"), entry.find(f"{ATOM}link").get("href"))
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_latest_statements_feed_lists_published_statements_newest_first(client, seed, corpus):
    items = entries(client, "/feeds/statements/")
    assert len(items) == 6
    assert items[0][1] == "http://testserver" + corpus["pse1970"].get_absolute_url()  # published last
    assert all("DRAFT" not in title for title, _ in items)


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/feeds/speakers/wang-yi/", {"wang2019", "wang2021"}),
        ("/feeds/countries/france/", {"alice2017", "alice2021"}),
        ("/feeds/bodies/security-council/", {"wang2021", "alice2021"}),
        ("/feeds/topics/counter-terrorism/", {"wang2019", "wang2021", "alice2021"}),
        ("/feeds/statements/?country=CHN&year=2021", {"wang2021"}),
        ("/feeds/topics/counter-terrorism/?country=FRA", {"alice2021"}),
    ],
)
def test_scoped_and_filtered_feeds(client, corpus, url, expected):
    links = {link for _, link in entries(client, url)}
    assert links == {"http://testserver" + corpus[name].get_absolute_url() for name in expected}


def test_feeds_of_unknown_things_are_not_found(client, reference_data):
    assert client.get("/feeds/speakers/nobody/").status_code == 404
    assert client.get("/feeds/countries/atlantis/").status_code == 404


def test_feed_escapes_titles(client, reference_data):
    SpeechFactory(title="Peace & <security>")
    response = client.get("/feeds/statements/")
    assert b"Peace &amp; &lt;security&gt;" in response.content
    assert entries(client, "/feeds/statements/")[0][0] == "Peace & <security>"


def test_pages_advertise_their_feed(client, corpus):
    html = client.get("/countries/china/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html and "/feeds/countries/china/" in html


def _summaries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    return [
        (entry.find(f"{ATOM}summary").get("type"), entry.findtext(f"{ATOM}summary"))
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_feed_summaries_are_html_that_shows_the_plain_text(client, reference_data):
    """A feed reader renders a type="html" summary: a speaker's name must show as typed, not run."""
    import html

    from tests.factories import EventFactory, SpeakerFactory

    name = '<script>alert("name")</script> Ann & Co'
    speech = SpeechFactory(
        speaker=SpeakerFactory(name=name, slug="ann"),
        role="<img src=x onerror=alert(1)>",
        event=EventFactory(title="<b>Debate</b>", slug="debate"),
    )
    for url in ("/feeds/statements/", "/feeds/speakers/ann/"):
        [(kind, summary)] = _summaries(client, url)
        assert kind == "html"
        assert "<" not in summary and ">" not in summary  # no markup at all once the XML is read
        shown = html.unescape(summary)  # what the reader displays
        assert shown.startswith(f"{name} - <img src=x onerror=alert(1)> - China - <b>Debate</b> - ")
        assert speech.display_date in shown
