"""Editors in the admin: add a speech with quotations, publish, unpublish, see the history."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from archive.models import Country, Quotation, Speech
from tests.factories import EventFactory, SpeakerFactory, SpeechFactory

pytestmark = pytest.mark.django_db

TEXT = "We stand for peace.\n\nWe condemn terrorism in all its forms."


def form_errors(response):
    context = response.context
    inline = context["inline_admin_formsets"][0].formset
    return context["adminform"].form.errors, [f.errors for f in inline], inline.non_form_errors()


def speech_form(speaker, event, **overrides):
    data = {
        "speaker": speaker.pk,
        "role": "Ambassador",
        "country": Country.objects.get(code="FRA").pk,
        "on_behalf_of": "",
        "event": event.pk,
        "position": "",
        "title": "Admin-made statement",
        "date": "2021-03-04",
        "date_precision": "day",
        "language": "en",
        "original_language": "",
        "text": TEXT,
        "notes": "<p>ok<script>bad()</script></p>",
        "external_id": "",
        "quotations-TOTAL_FORMS": "2",
        "quotations-INITIAL_FORMS": "0",
        "quotations-MIN_NUM_FORMS": "0",
        "quotations-MAX_NUM_FORMS": "1000",
        "quotations-0-text": "We stand for peace.",
        "quotations-0-kind": "direct",
        "quotations-0-confidence": "1",
        "quotations-1-text": "We condemn terrorism in all its forms.",
        "quotations-1-kind": "direct",
        "quotations-1-confidence": "1",
        "quotations-1-cue": "said",
    }
    data.update(overrides)
    return data


def test_editor_adds_a_speech_with_two_quotations_and_publishes_it(editor_client):
    client = Client()
    speaker, event = SpeakerFactory(name="Nicolas Example"), EventFactory()
    response = editor_client.post(reverse("admin:archive_speech_add"), speech_form(speaker, event))
    assert response.status_code == 302, form_errors(response)
    speech = Speech.objects.get(title="Admin-made statement")
    assert speech.status == Speech.Status.DRAFT
    assert "script" not in speech.notes
    quotations = list(speech.quotations.order_by("start"))
    assert [(q.start, q.end, q.speaker) for q in quotations] == [(0, 19, speaker), (21, 59, speaker)]
    assert client.get(speech.get_absolute_url()).status_code == 404

    response = editor_client.post(
        reverse("admin:archive_speech_changelist"), {"action": "publish", "_selected_action": [speech.pk]}
    )
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.is_published
    assert "We condemn terrorism in all its forms." in client.get(speech.get_absolute_url()).content.decode()
    last = speech.history.first()
    assert last.history_user.username == "editor" and last.status == "published"


def test_quotation_not_in_the_text_is_refused_with_a_clear_message(editor_client):
    speaker, event = SpeakerFactory(), EventFactory()
    data = speech_form(speaker, event, **{"quotations-1-text": "Words nobody said."})
    response = editor_client.post(reverse("admin:archive_speech_add"), data)
    assert response.status_code == 200
    assert "does not appear word for word" in response.content.decode()
    assert not Speech.objects.filter(title="Admin-made statement").exists()
    assert not Quotation.objects.exists()


def test_unpublish_action_withdraws_the_statement(editor_client):
    client = Client()
    speech = SpeechFactory()
    editor_client.post(
        reverse("admin:archive_speech_changelist"), {"action": "unpublish", "_selected_action": [speech.pk]}
    )
    speech.refresh_from_db()
    assert speech.status == Speech.Status.DRAFT and speech.published_at is None
    assert client.get(speech.get_absolute_url()).status_code == 404


def test_publish_refuses_a_quotation_whose_span_no_longer_matches(editor_client):
    speech = SpeechFactory(draft=True)
    quotation = Quotation.objects.create(speech=speech, speaker=speech.speaker, text="First", start=0, end=5)
    Speech.objects.filter(pk=speech.pk).update(text="Changed text entirely")
    response = editor_client.post(
        reverse("admin:archive_speech_changelist"), {"action": "publish", "_selected_action": [speech.pk]}, follow=True
    )
    assert "is not the quotation" in response.content.decode()
    speech.refresh_from_db()
    assert speech.status == Speech.Status.DRAFT
    assert quotation.pk


def test_editors_see_the_change_history(editor_client):
    speech = SpeechFactory(title="Before")
    speech.title = "After"
    speech.save()
    response = editor_client.get(reverse("admin:archive_speech_history", args=[speech.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "After" in html and "Before" in html


def test_changelist_filters_and_autocomplete(editor_client, seed):
    url = reverse("admin:archive_speech_changelist")
    response = editor_client.get(
        url,
        {
            "status__exact": "published",
            "country__id__exact": seed.country_id,
            "date__gte": datetime.date(2020, 1, 1).isoformat(),
        },
    )
    assert response.status_code == 200 and "Zhang Jun" in response.content.decode()
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Zhang", "app_label": "archive", "model_name": "speech", "field_name": "speaker"},
    )
    assert response.json()["results"][0]["text"] == "Zhang Jun"


@pytest.mark.parametrize(
    "field,bad",
    [("speaker", "abc"), ("event", "1 OR 1=1"), ("country", "x"), ("topics", ["abc"]), ("sources", ["1", "zz"])],
)
def test_a_malformed_id_in_an_autocomplete_field_is_refused_with_the_form(editor_client, field, bad):
    """A non-numeric id posted to an autocomplete field was a 500 (ValueError while drawing the widget)."""
    data = speech_form(SpeakerFactory(), EventFactory())
    data[field] = bad
    response = editor_client.post(reverse("admin:archive_speech_add"), data)
    assert response.status_code == 200  # the form again, with the reason
    assert field in response.context["adminform"].form.errors
    assert not Speech.objects.filter(title="Admin-made statement").exists()


def test_a_malformed_id_in_a_quotation_autocomplete_field_is_refused(editor_client):
    speech = SpeechFactory()
    response = editor_client.post(
        reverse("admin:archive_quotation_add"),
        {"speech": "not-a-number", "speaker": speech.speaker.pk, "text": "x", "kind": "direct", "confidence": "1"},
    )
    assert response.status_code == 200
    assert "speech" in response.context["adminform"].form.errors
