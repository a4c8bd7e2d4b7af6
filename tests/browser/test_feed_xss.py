"""Feed summaries rendered as a feed reader renders them: every stored XSS vector, in Chromium.

Atom summaries are ``type="html"``: a reader that shows them puts the HTML into its page. Every
vector of tests/data/xss_vectors.txt is stored as a speaker's name, a role, a meeting title and a
quotation; the feeds (latest, per speaker, a search feed of quotations) are parsed and each
summary is rendered as the body of a page with no Content-Security-Policy. No script may run and
no handler attribute, script URL or injected element may survive; the text must read as typed.
"""

import html
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from tests.browser.test_xss import SURVIVORS, TRAP, VECTORS
from tests.factories import EventFactory, QuotationFactory, SpeakerFactory, SpeechFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
ATOM = "{http://www.w3.org/2005/Atom}"

INJECTED = """
() => Array.from(document.querySelectorAll("body *")).map((el) => el.tagName)
"""


def summaries(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    return [entry.findtext(f"{ATOM}summary") for entry in feed.findall(f"{ATOM}entry")]


def test_no_vector_runs_in_a_rendered_feed_summary(page, client, reference_data, search_index):
    for i, vector in enumerate(VECTORS):
        speech = SpeechFactory(
            speaker=SpeakerFactory(name=f"S{i} {vector}"[:200], slug=f"vector-{i}"),
            role=vector[:300],
            event=EventFactory(title=f"E{i} {vector}"[:400], slug=f"event-{i}"),
            text=f"Quoted {i}: {vector}",
        )
        QuotationFactory(speech=speech)
    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)

    rendered = summaries(client, "/feeds/statements/?year=2020")
    rendered += summaries(client, "/search/feed/?q=quoted&type=quotations")
    for i in range(0, len(VECTORS), 7):
        rendered += summaries(client, f"/feeds/speakers/vector-{i}/")
    assert len(rendered) >= 50 + 50

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(TRAP)
    failures = {}
    for summary in rendered:
        page.set_content(f"<!doctype html><html><body>{summary}</body></html>")
        page.mouse.move(5, 5)
        page.mouse.move(300, 300)
        ran = page.evaluate("window.__xss")
        survived = page.evaluate(SURVIVORS)
        elements = page.evaluate(INJECTED)
        if ran or survived or elements:
            failures[summary[:120]] = {"ran": ran, "survived": survived, "elements": elements}
        # The reader shows the text as it was typed (HTML collapses runs of white space).
        assert page.inner_text("body").split() == html.unescape(summary).split()
    assert not dialogs
    assert not failures, failures
