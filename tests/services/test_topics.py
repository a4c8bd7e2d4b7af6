"""Topics by keyword rules (archive/data/topic_rules.py): deterministic, shown as the rules', never
overriding an editor; assigned by `assign_topics`, on publish and after a corpus import."""

import io

import pytest
from django.core.management import call_command

from archive import services, topic_rules
from archive.models import Speech, Topic, TopicAssignment
from tests.factories import SpeechFactory
from tests.ingest.corpora import ungdc_folder

pytestmark = pytest.mark.django_db

CLIMATE = (
    "Climate change is the defining issue of our time.\n\n"
    "We call on all States to implement the Paris Agreement and to cut greenhouse gas emissions, "
    "for sea-level rise threatens small islands. Climate finance must follow."
)
TERROR = "Terrorism and terrorists threaten us all. Counter-terrorism cooperation against terrorist groups. Terrorism!"


def topics_of(speech):
    return set(Speech.objects.get(pk=speech.pk).topics.values_list("slug", flat=True))


def test_scores_are_the_weighted_phrase_counts():
    found = topic_rules.score(CLIMATE)
    score, evidence = found["climate-change"]
    # climate change 1.5 + paris agreement 1.5 + greenhouse gas 1 + sea-level rise 1 + emissions 0.5
    # + "climate" alone once (in "climate finance") 0.5
    assert evidence == {
        "climate change": 1,
        "paris agreement": 1,
        "greenhouse gas": 1,
        "sea-level rise": 1,
        "emission": 1,
        "climate": 2,
    }
    assert score == 6.5
    assert topic_rules.score(CLIMATE) == found  # deterministic
    assert "climate-change" not in topic_rules.score("The climate of the talks was good.")
    # "counter-terrorism" is one word: "terrorism" is not counted inside it.
    assert topic_rules.score(TERROR)["counter-terrorism"][1] == {"terrorism": 2, "terrorist": 2, "counter-terrorism": 1}


def test_every_rule_names_a_topic_of_the_vocabulary(reference_data):
    assert set(topic_rules.RULES) <= set(Topic.objects.values_list("slug", flat=True))


def test_assign_topics_tags_published_statements_and_is_idempotent(reference_data):
    climate = SpeechFactory(text=CLIMATE)
    draft = SpeechFactory(text=CLIMATE, draft=True)
    out = io.StringIO()
    call_command("assign_topics", no_progress=True, stdout=out)
    assert "1 topics added" in out.getvalue()
    assert topics_of(climate) == {"climate-change"} and topics_of(draft) == set()
    assignment = TopicAssignment.objects.get(speech=climate)
    assert (assignment.status, assignment.method, assignment.score) == ("machine", topic_rules.METHOD, 6.5)
    out = io.StringIO()
    call_command("assign_topics", no_progress=True, stdout=out)
    assert "0 topics added, 0 re-scored, 0 dropped" in out.getvalue()


def test_editors_topics_confirmations_and_removals_are_never_overwritten(reference_data, editor):
    climate_topic = Topic.objects.get(slug="climate-change")
    given = SpeechFactory(text=CLIMATE)
    given.topics.add(climate_topic)  # an editor's own topic
    confirmed = SpeechFactory(text=CLIMATE)
    removed = SpeechFactory(text=CLIMATE)
    taken_out = SpeechFactory(text=CLIMATE)
    services.speeches_assign_topics(speeches=Speech.objects.all())
    assert not TopicAssignment.objects.filter(speech=given).exists()
    services.topic_assignment_confirm(assignment=TopicAssignment.objects.get(speech=confirmed), editor=editor)
    services.topic_assignment_remove(assignment=TopicAssignment.objects.get(speech=removed), editor=editor)
    taken_out.topics.remove(climate_topic)  # an editor unticked it on the statement itself
    # The text changes so that the rules no longer reach the topic at all.
    Speech.objects.filter(pk=confirmed.pk).update(text="Nothing about it.")
    services.speeches_assign_topics(speeches=Speech.objects.all())
    services.speeches_assign_topics(speeches=Speech.objects.all())
    assert topics_of(given) == {"climate-change"} and not TopicAssignment.objects.filter(speech=given).exists()
    assert topics_of(confirmed) == {"climate-change"}
    assert TopicAssignment.objects.get(speech=confirmed).status == "confirmed"
    assert topics_of(removed) == set() and TopicAssignment.objects.get(speech=removed).status == "removed"
    assert topics_of(taken_out) == set() and TopicAssignment.objects.get(speech=taken_out).status == "removed"


def test_rules_topic_goes_when_the_text_no_longer_reaches_it(reference_data):
    speech = SpeechFactory(text=CLIMATE)
    services.speeches_assign_topics(speeches=Speech.objects.all())
    Speech.objects.filter(pk=speech.pk).update(text=TERROR)
    stats = services.speeches_assign_topics(speeches=Speech.objects.all())
    assert stats["dropped"] == 1 and stats["added"] == 1
    assert topics_of(speech) == {"counter-terrorism"}


def test_publishing_assigns_topics(reference_data, editor):
    draft = SpeechFactory(text=CLIMATE, draft=True)
    services.speech_publish(speech=draft, editor=editor)
    assert topics_of(draft) == {"climate-change"}


def test_a_corpus_import_assigns_topics(reference_data, tmp_path):
    folder = ungdc_folder(tmp_path / "ungdc", {"FJI_75_2020.txt": CLIMATE, "FRA_75_2020.txt": TERROR})
    out = io.StringIO()
    call_command("import_ungdc", str(folder), no_progress=True, stdout=out)
    assert "Topics: 2 added" in out.getvalue()
    assert topics_of(Speech.objects.get(external_id="UNGDC:FJI_75_2020")) == {"climate-change"}


def test_topic_page_and_statement_page_show_the_rules_topics_as_such(client, reference_data):
    speech = SpeechFactory(text=CLIMATE)
    services.speeches_assign_topics(speeches=Speech.objects.all())
    assert speech.get_absolute_url() in client.get("/topics/climate-change/").content.decode()
    html = client.get(speech.get_absolute_url()).content.decode()
    assert 'Climate change</a> <span class="meta"' in html and "(keyword rules, score 6.5)" in html
    assert "climate change ×1" in html
    assert "1 statement" in client.get("/topics/").content.decode()
