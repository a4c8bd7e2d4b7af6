"""Admin and editor access: light statement pages, "statements" by name, editor links on public
pages, a sign-in link, and a command that makes editor accounts (archive/admin.py, create_editor)."""

import io
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from archive.models import Speaker


@pytest.mark.django_db
def test_a_statement_change_page_stays_small_with_many_speakers(seed, editor_client):
    Speaker.objects.bulk_create(Speaker(name=f"Speaker Number {i}", slug=f"speaker-number-{i}") for i in range(700))
    url = reverse("admin:archive_speech_change", args=[seed.pk])
    response = editor_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 300_000, len(response.content)
    assert "Speaker Number 699" not in html  # speakers are looked up as the editor types
    # (Time is measured in bench/README.md, not asserted: the test machine is shared and its load varies.)
    # The inline speaker field still shows and keeps the current speaker.
    assert f'<option value="{seed.speaker.pk}" selected>' in html


@pytest.mark.django_db
def test_the_model_is_called_statements(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "Statements" in html
    assert "Speechs" not in html


@pytest.mark.django_db
def test_public_statement_page_links_editors_to_edit_review_and_history(seed, editor_client):
    html = editor_client.get(seed.get_absolute_url()).content.decode()
    assert f'href="{reverse("admin:archive_speech_change", args=[seed.pk])}">Edit</a>' in html
    assert f'href="{reverse("editor-news-review", args=[seed.pk])}">Review</a>' in html
    assert f'href="{reverse("admin:archive_speech_history", args=[seed.pk])}">History</a>' in html
    assert "Signed in as editor" in html

    public = Client().get(seed.get_absolute_url())
    html = public.content.decode()
    assert ">Edit</a>" not in html and ">History</a>" not in html
    assert f'href="/admin/login/?next={seed.get_absolute_url()}"' in html
    assert ">Sign in</a>" in html


@pytest.mark.django_db
def test_create_editor_makes_a_staff_account_in_the_editors_group(reference_data, monkeypatch, django_user_model):
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-long-enough-passphrase\n"))
    out = io.StringIO()
    call_command("create_editor", "ana", "--email", "ana@example.org", stdout=out)
    assert "Created editor 'ana'" in out.getvalue()
    user = django_user_model.objects.get(username="ana")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "ana", "password": "a-long-enough-passphrase", "next": "/admin/"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert client.get(reverse("editor-news-add")).status_code == 200
    assert client.get(reverse("admin:archive_speech_changelist")).status_code == 200
    # Running it again for an existing user keeps one account.
    call_command("create_editor", "ana", "--no-password", stdout=io.StringIO())
    assert django_user_model.objects.filter(username="ana").count() == 1


@pytest.mark.django_db
def test_create_editor_refuses_a_weak_password(reference_data, monkeypatch, django_user_model):
    monkeypatch.setattr(sys, "stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError):
        call_command("create_editor", "bob", stdout=io.StringIO())
    assert not django_user_model.objects.filter(username="bob").exists()
