"""What search shows is true now (issue 10): never a withdrawn statement, renames and topic edits
reach the index, index_check compares content, the search feed costs a search."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from archive import services
from archive.models import IndexTask, Speech, Topic
from archive.search import run_search, worker
from tests.factories import QuotationFactory, SpeechFactory

pytestmark = pytest.mark.django_db


def search(**params):
    return run_search({key: [value] for key, value in params.items()})


def test_an_unpublished_statement_leaves_search_at_once_even_with_the_worker_stopped(reference_data, reindex, client):
    withdrawn = SpeechFactory(title="Okapi remarks", text="The okapi statement, withdrawn.")
    QuotationFactory(speech=withdrawn, text="The okapi statement, withdrawn.")
    SpeechFactory(title="Okapi report", text="Another okapi statement.")
    reindex()
    services.speech_unpublish(speech=withdrawn)
    assert IndexTask.objects.exists()  # the worker has not run: the index still holds it

    result = search(q="okapi")
    assert [hit.title for hit in result.hits] == ["Okapi report"]
    assert result.total == 1
    assert any("withdrawn" in message for message in result.messages)
    assert search(q="okapi", type="quotations").hits == []

    page = client.get(reverse("search"), {"q": "okapi"}).content.decode()
    assert "Okapi remarks" not in page and "Okapi report" in page
    api = client.get(reverse("api-search"), {"q": "okapi"}).json()
    assert [hit["title"] for hit in api["hits"]] == ["Okapi report"] and api["count"] == 1
    feed = client.get(reverse("search-feed"), {"q": "okapi"}).content.decode()
    assert "Okapi remarks" not in feed


def test_renaming_a_topic_in_the_admin_reaches_search_filters_and_names(reference_data, reindex, admin_client):
    topic = Topic.objects.get(slug="climate-change")
    speech = SpeechFactory(text="Sea levels rise.")
    speech.topics.add(topic)
    reindex()
    response = admin_client.post(
        f"/admin/archive/topic/{topic.pk}/change/",
        {"name": "Climate crisis", "slug": "climate-crisis", "parent": topic.parent_id or "", "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert IndexTask.objects.filter(object_id=str(speech.pk)).exists()  # queued in the same transaction
    worker.drain()
    assert [hit.pk for hit in search(q="sea", topic="climate-crisis").hits] == [str(speech.pk)]
    assert search(q="sea", topic="climate-change").hits == []
    panel = next(panel for panel in search(q="sea").facets if panel.key == "topic")
    assert [value.label for value in panel.values] == ["Climate crisis"]


def test_a_topic_only_edit_is_queued_for_the_index(reference_data, reindex):
    speech = SpeechFactory(text="Sea levels rise.")
    reindex()
    speech.topics.add(Topic.objects.get(slug="climate-change"))
    worker.drain()
    assert [hit.pk for hit in search(q="sea", topic="climate-change").hits] == [str(speech.pk)]
    speech.topics.clear()
    worker.drain()
    assert search(q="sea", topic="climate-change").hits == []


def test_index_check_finds_a_stale_document_and_fix_repairs_it(reference_data, reindex):
    speech = SpeechFactory(title="Original title", text="Sea levels rise.")
    reindex()
    call_command("index_check")  # matches
    Speech.objects.filter(pk=speech.pk).update(title="Corrected title")  # behind the index's back
    with pytest.raises(CommandError, match="1 difference"):
        call_command("index_check")
    call_command("index_check", fix=True)
    call_command("index_check")
    assert [hit.title for hit in search(q="sea").hits] == ["Corrected title"]


@override_settings(RATE_LIMITS={"search": 2, "export": 20})
def test_the_search_feed_is_rate_limited_like_the_search_page(client, reference_data, reindex, frozen_rate_window):
    reindex()
    statuses = [client.get(reverse("search-feed"), {"q": "climate"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(reverse("search"), {"q": "climate"}).status_code == 429


def test_search_answers_are_shared_through_the_cache_until_the_index_changes(reference_data, reindex, monkeypatch):
    from archive.search import outbox
    from archive.search.whoosh.backend import ArchiveWhooshBackend
    from archive.search.whoosh.state import clear_result_caches

    SpeechFactory(text="The okapi statement.")
    reindex()
    first = search(q="okapi")
    clear_result_caches()  # as another gunicorn worker: nothing kept in this process
    asked = []
    engine_search = ArchiveWhooshBackend.search
    monkeypatch.setattr(
        ArchiveWhooshBackend,
        "search",
        lambda self, *args, **kwargs: asked.append(1) or engine_search(self, *args, **kwargs),
    )
    again = search(q="okapi")
    assert asked == [] and again.total == first.total == 1
    outbox.enqueue_speech(SpeechFactory(text="Another okapi statement."))
    worker.drain()  # an index commit: the cached answer no longer applies
    assert search(q="okapi").total == 2 and asked


def test_an_editor_removing_a_rules_topic_reaches_the_search_filter(reference_data, reindex, editor):
    from archive.models import TopicAssignment

    speech = SpeechFactory(text="Climate change and global warming threaten sea levels and emissions rise.")
    services.speeches_assign_topics(speeches=Speech.objects.filter(pk=speech.pk))
    reindex()
    assert [hit.pk for hit in search(q="sea", topic="climate-change").hits] == [str(speech.pk)]
    services.topic_assignment_remove(assignment=TopicAssignment.objects.get(speech=speech), editor=editor)
    worker.drain()
    assert search(q="sea", topic="climate-change").hits == []
