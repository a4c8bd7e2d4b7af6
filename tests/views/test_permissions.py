"""The public reads published material only; editors do what the Editors group allows and no more."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from archive.models import Speech
from tests.factories import QuotationFactory, SpeechFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return SpeechFactory(draft=True, title="Secret draft statement")


def test_anonymous_users_never_see_drafts(client, draft):
    quotation = QuotationFactory(speech=draft)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(quotation.get_absolute_url()).status_code == 404
    for url in [
        "/",
        reverse("speaker-detail", kwargs={"slug": draft.speaker.slug}),
        reverse("country-detail", kwargs={"slug": "china"}),
        reverse("event-detail", kwargs={"slug": draft.event.slug}),
    ]:
        assert "Secret draft statement" not in client.get(url).content.decode(), url


def test_unpublished_statement_disappears_from_public_pages(client):
    speech = SpeechFactory(title="Soon withdrawn")
    assert client.get(speech.get_absolute_url()).status_code == 200
    from archive import services

    services.speech_unpublish(speech=speech)
    assert client.get(speech.get_absolute_url()).status_code == 404


def test_editors_can_preview_drafts_uncached(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft - not visible to the public" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_anonymous_users_cannot_reach_any_write(client, draft):
    for url in [
        reverse("admin:archive_speech_add"),
        reverse("admin:archive_speech_change", args=[draft.pk]),
        reverse("admin:archive_speech_changelist"),
        reverse("admin:auth_user_changelist"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    response = client.post(
        reverse("admin:archive_speech_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Speech.Status.DRAFT


def test_public_pages_refuse_writes(client, seed):
    for url in ["/", seed.get_absolute_url()]:
        assert client.post(url, {}).status_code == 405


def test_editors_group_has_exactly_add_change_view_on_archive_models():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert "add_speech" in codenames and "change_quotation" in codenames and "view_source" in codenames
    assert not {c for c in codenames if c.startswith("delete_")}
    assert not Permission.objects.filter(group__name="Editors").exclude(content_type__app_label="archive").exists()


def test_editors_cannot_manage_users_or_delete_speeches(editor_client, seed):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:archive_speech_delete", args=[seed.pk])).status_code == 403


def test_published_speeches_cannot_be_deleted_even_by_superusers(admin_client, seed):
    assert admin_client.get(reverse("admin:archive_speech_delete", args=[seed.pk])).status_code == 403
