"""The review screen: publish only when nothing is pending, accept all above a confidence, an error
summary, a body field, quotations added by offsets, a compact page (archive/editor/views.py)."""

import re

import pytest
from django.urls import reverse

from archive.models import Body, Quotation, Speech
from tests.editor.test_news_screens import ADD, form, main_speech, review_data


@pytest.fixture
def draft(editor_client):
    editor_client.post(ADD, form())
    return main_speech()


def review(client, speech, **changes):
    return client.post(reverse("editor-news-review", args=[speech.pk]), review_data(speech, **changes))


def undecided(speech):
    data = review_data(speech)
    for q in speech.quotations.all():
        data[f"q{q.pk}-decision"] = "proposed"
    return data


@pytest.mark.django_db
def test_publish_is_disabled_with_the_reason_while_proposals_are_pending(editor_client, draft):
    html = editor_client.get(reverse("editor-news-review", args=[draft.pk])).content.decode()
    assert '<button type="submit" disabled aria-describedby="publish-reason">Publish</button>' in html
    assert "2 quotation(s) still await a decision" in html
    assert review(editor_client, draft).status_code == 302  # accepts both
    html = editor_client.get(reverse("editor-news-review", args=[draft.pk])).content.decode()
    assert '<button type="submit" aria-describedby="publish-reason">Publish</button>' in html


@pytest.mark.django_db
def test_accept_all_above_a_confidence(editor_client, draft):
    quotations = list(draft.quotations.order_by("confidence"))
    low, high = quotations[0], quotations[-1]
    assert low.confidence < high.confidence
    threshold = (low.confidence + high.confidence) / 2
    data = undecided(draft)
    data.update({"action": "accept-above", "accept-threshold": str(threshold)})
    response = editor_client.post(reverse("editor-news-review", args=[draft.pk]), data)
    assert response.status_code == 302
    low.refresh_from_db()
    high.refresh_from_db()
    assert (low.status, high.status) == ("proposed", "accepted")
    assert high.history.first().history_user.username == "editor"


@pytest.mark.django_db
def test_a_refused_save_lists_every_problem_at_the_top_with_links(editor_client, draft):
    first, second = draft.quotations.order_by("start")
    response = review(editor_client, draft, **{"meta-date": "not a date", f"q{second.pk}-end": 10**6})
    html = response.content.decode()
    assert response.status_code == 400
    summary = html[html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))]
    assert "Nothing was saved: 2 problems to fix" in summary
    assert 'href="#id_meta-date">Statement: Date - Enter a valid date.' in summary
    assert f'href="#quotation-{second.pk}">Quotation 2 - The span must satisfy' in summary
    # The summary comes before the form it points into.
    assert html.index('id="error-summary"') < html.index('id="review-form"')


@pytest.mark.django_db
def test_the_body_found_in_the_text_is_offered_and_files_the_statement(editor_client, draft):
    assert draft.event is None
    council = Body.objects.get(slug="security-council")
    html = editor_client.get(reverse("editor-news-review", args=[draft.pk])).content.decode()
    assert re.search(rf'<option value="{council.pk}" selected>', html)
    assert review(editor_client, draft, **{"meta-body": council.pk}).status_code == 302
    draft.refresh_from_db()
    assert (draft.event.body, draft.event.date) == (council, draft.date)
    assert draft.event.title == "Security Council meeting"


@pytest.mark.django_db
def test_an_editor_adds_a_missed_quotation_by_its_offsets(editor_client, draft):
    text = draft.sources.get().original_text
    start = text.index("the Security Council must act")
    end = start + len("the Security Council must act")
    response = review(editor_client, draft, **{"new-start": start, "new-end": end, "new-kind": "indirect"})
    assert response.status_code == 302
    added = draft.quotations.get(text="the Security Council must act")
    assert (added.status, added.reviewed, added.kind, added.speaker) == ("accepted", True, "indirect", draft.speaker)


@pytest.mark.django_db
def test_the_page_is_compact_and_its_script_comes_from_static(editor_client, draft):
    response = editor_client.get(reverse("editor-news-review", args=[draft.pk]))
    html = response.content.decode()
    assert '<details class="source" id="source-details">' in html  # closed until wanted
    assert '<script src="/static/js/review.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    # Each quotation is shown in its context.
    assert "<mark>We cannot wait another year for this</mark>" in html
    assert Speech.objects.count() == 2 and Quotation.objects.count() == 3
