"""OWASP XSS vectors through every editor field, then every public page opened in a real browser.

A page passes when no script ran (no dialog, no call to alert/confirm/prompt) and no event-handler
attribute or javascript: URL survived into the document.
"""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from archive.models import Body, Country, Event, Quotation, Source, Speaker, Speech

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VECTORS = [
    line for line in (Path(__file__).parent.parent / "data" / "xss_vectors.txt").read_text().splitlines() if line
]

TRAP = """
window.__xss = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__xss.push(name + ":" + args.join(",")); };
}
"""

SURVIVORS = """
() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase(), value = (attr.value || "").replace(/\\s/g, "").toLowerCase();
      if (name.startsWith("on")) bad.push(el.tagName + "[" + name + "]");
      const urlAttribute = ["href", "src", "action", "formaction", "data", "background", "dynsrc"].includes(name);
      const scriptUrl = value.startsWith("javascript:") || value.startsWith("data:text/html");
      if (urlAttribute && scriptUrl) bad.push(el.tagName + "[" + name + "]");
    }
  }
  const injected = "main script, main iframe, main object, main embed, main base, main meta";
  for (const el of document.querySelectorAll(injected)) {
    bad.push(el.tagName);
  }
  return bad;
}
"""


def vector(i):
    return VECTORS[i % len(VECTORS)]


def post(client, url, data):
    response = client.post(url, data)
    if response.status_code != 302:
        errors = response.context["adminform"].form.errors if response.context else response.content[:300]
        raise AssertionError(f"{url} refused the editor's input: {errors}")
    return response


def create_through_the_admin(client, i, country):
    """One speaker, event, source and speech, each field carrying another vector, as an editor types them."""
    prefix = f"X{i:03d} "
    post(
        client,
        reverse("admin:archive_speaker_add"),
        {
            "name": (prefix + vector(i))[:200],
            "slug": f"xss-speaker-{i}",
            "sort_name": vector(i + 1)[:200],
            "honorific": vector(i + 2)[:40],
            "aliases": "[]",
            "biography": vector(i + 3),
        },
    )
    speaker = Speaker.objects.get(slug=f"xss-speaker-{i}")
    post(
        client,
        reverse("admin:archive_event_add"),
        {
            "title": (prefix + vector(i + 4))[:400],
            "slug": f"xss-event-{i}",
            "body": Body.objects.get(slug="security-council").pk,
            "date": "2021-01-02",
            "date_precision": "day",
            "kind": "meeting",
            "meeting_symbol": f"{i}{vector(i + 5)}"[:40],
            "agenda_item": vector(i + 6)[:400],
            "description": vector(i + 7),
        },
    )
    event = Event.objects.get(slug=f"xss-event-{i}")
    source_text = f"Report {i}: {vector(i + 8)} and then {vector(i + 9)}."
    post(
        client,
        reverse("admin:archive_source_add"),
        {
            "kind": "news",
            "publisher": prefix + vector(i + 10)[:180],
            "url": "",
            "title": vector(i + 11)[:400],
            "published_on": "2021-01-02",
            "original_text": source_text,
            "retrieved_at_0": "2021-01-02",
            "retrieved_at_1": "10:00:00",
        },
    )
    source = Source.objects.get(original_text=source_text)
    text = f"{vector(i + 12)}\n\n{vector(i + 13)}"
    response = client.post(
        reverse("admin:archive_speech_add"),
        {
            "speaker": speaker.pk,
            "role": vector(i + 14)[:300],
            "country": country.pk,
            "on_behalf_of": vector(i + 15)[:300],
            "event": event.pk,
            "position": "",
            "title": (prefix + vector(i + 16))[:400],
            "date": "2021-01-02",
            "date_precision": "day",
            "language": "en",
            "original_language": "",
            "text": text,
            "notes": vector(i + 17),
            "external_id": "",
            "sources": [source.pk],
            "quotations-TOTAL_FORMS": "2",
            "quotations-INITIAL_FORMS": "0",
            "quotations-MIN_NUM_FORMS": "0",
            "quotations-MAX_NUM_FORMS": "1000",
            "quotations-0-text": vector(i + 12),
            "quotations-0-kind": "direct",
            "quotations-0-confidence": "1",
            "quotations-0-cue": vector(i + 18)[:60],
            "quotations-1-text": vector(i + 9),
            "quotations-1-source": source.pk,
            "quotations-1-kind": "indirect",
            "quotations-1-confidence": "1",
        },
    )
    if response.status_code != 302:
        inline = response.context["inline_admin_formsets"][0].formset
        raise AssertionError((response.context["adminform"].form.errors, [f.errors for f in inline]))
    speech = Speech.objects.get(title=(prefix + vector(i + 16))[:400])
    client.post(reverse("admin:archive_speech_changelist"), {"action": "publish", "_selected_action": [speech.pk]})
    return speech


def test_no_vector_runs_or_survives_on_any_public_page(page, live_server, editor, seed):
    client = Client()
    client.force_login(editor)
    china = Country.objects.get(code="CHN")
    speeches = [create_through_the_admin(client, i, china) for i in range(0, len(VECTORS), 1)]
    assert all(speech.status == "draft" for speech in speeches)
    assert Speech.objects.published().count() == len(VECTORS) + 1

    urls = ["/", reverse("country-detail", kwargs={"slug": "china"})]
    for speech in Speech.objects.published().select_related("speaker", "event"):
        urls += [speech.get_absolute_url(), speech.speaker.get_absolute_url()]
        if speech.event:
            urls.append(speech.event.get_absolute_url())
    urls += [q.get_absolute_url() for q in Quotation.objects.published()]

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(TRAP)
    failures = {}
    for url in dict.fromkeys(urls):
        page.goto(live_server.url + url)
        page.mouse.move(5, 5)
        page.mouse.move(300, 300)
        ran = page.evaluate("window.__xss")
        survived = page.evaluate(SURVIVORS)
        if ran or survived:
            failures[url] = {"ran": ran, "survived": survived}
    assert not dialogs
    assert not failures
