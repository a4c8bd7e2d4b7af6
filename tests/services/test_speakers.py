import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse

from archive import services
from archive.models import IndexTask, Quotation, Speaker, Speech
from tests.factories import QuotationFactory, SpeakerFactory, SpeechFactory, existing_country


@pytest.fixture
def duplicates(reference_data):
    keep = SpeakerFactory(name="Vassily Nebenzia", aliases=["V. Nebenzia"])
    duplicate = SpeakerFactory(name="Nebenzia", slug="nebenzia", aliases=["Mr. Nebenzia"])
    russia = existing_country("RUS")
    speeches = SpeechFactory.create_batch(2, speaker=duplicate, country=russia)
    quotation = QuotationFactory(speech=speeches[0], speaker=duplicate)
    SpeechFactory(speaker=keep, country=russia)
    return keep, duplicate, speeches, quotation


@pytest.mark.django_db
def test_merge_moves_every_statement_and_quotation_and_keeps_the_names(duplicates, editor):
    keep, duplicate, speeches, quotation = duplicates

    services.speaker_merge(keep=keep, duplicate=duplicate, editor=editor)

    assert not Speaker.objects.filter(pk=duplicate.pk).exists()
    assert Speech.objects.filter(speaker=keep).count() == 3
    assert Quotation.objects.get(pk=quotation.pk).speaker == keep
    keep.refresh_from_db()
    assert keep.aliases == ["V. Nebenzia", "Nebenzia", "Mr. Nebenzia"]
    # Moved statements are re-read by the search index.
    queued = set(IndexTask.objects.filter(model="archive.speech").values_list("object_id", flat=True))
    assert {str(s.pk) for s in speeches} <= queued
    assert IndexTask.objects.filter(model="archive.quotation", object_id=str(quotation.pk)).exists()


@pytest.mark.django_db
def test_merge_is_in_the_history_with_the_editor(duplicates, editor):
    keep, duplicate, speeches, _quotation = duplicates

    services.speaker_merge(keep=keep, duplicate=duplicate, editor=editor)

    latest = keep.history.first()
    assert latest.history_user == editor
    assert f"Merged speaker #{duplicate.pk}" in latest.history_change_reason
    gone = Speaker.history.filter(id=duplicate.pk).first()
    assert gone.history_type == "-" and gone.history_user == editor
    moved = Speech.history.filter(id=speeches[0].pk).first()
    assert moved.speaker_id == keep.pk and moved.history_user == editor
    # The earlier version still says who gave the statement before the merge.
    assert Speech.history.filter(id=speeches[0].pk, speaker_id=duplicate.pk).exists()


@pytest.mark.django_db
def test_a_speaker_cannot_be_merged_into_itself(duplicates):
    keep, *_ = duplicates
    with pytest.raises(ValidationError):
        services.speaker_merge(keep=keep, duplicate=keep)


@pytest.mark.django_db
def test_an_imported_alias_after_a_merge_finds_the_kept_speaker(duplicates, tmp_path):
    from django.core.management import call_command

    keep, duplicate, *_ = duplicates
    services.speaker_merge(keep=keep, duplicate=duplicate)
    folder = tmp_path / "unsc"
    folder.mkdir()
    (folder / "UNSC_2020_SPV.8700_spch002.txt").write_text(
        "Mr. Nebenzia (Russian Federation) (spoke in Russian): We abstained."
    )
    call_command("import_unsc", str(folder), no_progress=True, stdout=None)
    assert Speech.objects.get(external_id="UNSC:S/PV.8700:2").speaker == keep


@pytest.mark.django_db
def test_editors_merge_in_the_admin_after_choosing_whom_to_keep(duplicates, editor_client):
    keep, duplicate, *_ = duplicates
    url = reverse("admin:archive_speaker_changelist")
    selected = {"action": "merge", ACTION_CHECKBOX_NAME: [keep.pk, duplicate.pk]}

    confirm = editor_client.post(url, selected)
    assert confirm.status_code == 200
    assert b"Keep this speaker" in confirm.content
    assert Speaker.objects.filter(pk=duplicate.pk).exists()  # nothing happens before confirming

    done = editor_client.post(url, {**selected, "confirm": "1", "keep": str(keep.pk)}, follow=True)
    assert done.status_code == 200
    assert b"Merged 1 speaker(s) into Vassily Nebenzia" in done.content
    assert not Speaker.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.django_db
def test_merging_needs_the_change_permission(duplicates, client, django_user_model):
    from django.contrib.auth.models import Permission

    keep, duplicate, *_ = duplicates
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_speaker"))
    client.force_login(viewer)
    url = reverse("admin:archive_speaker_changelist")
    client.post(
        url, {"action": "merge", ACTION_CHECKBOX_NAME: [keep.pk, duplicate.pk], "confirm": "1", "keep": keep.pk}
    )
    assert Speaker.objects.filter(pk=duplicate.pk).exists()
