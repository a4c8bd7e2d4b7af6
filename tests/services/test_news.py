"""Articles quoting several people: one draft statement per speaker, moving quotations between
them, and one history row per save (archive/services/news.py, archive/ingest/news.py)."""

import datetime

import pytest

from archive import services
from archive.ingest import news
from archive.models import Quotation, Source, Speech, Topic
from tests.golden import news_article


def article(name):
    return news_article(name)


def drafts(editor, name, published):
    proposal = news.propose(article(name), published=published)
    return services.news_drafts_create(
        proposal=proposal, publisher="Wire", published_on=published, title="Council split", editor=editor
    )


def summary(speech):
    return (
        speech.speaker.name,
        speech.country.code if speech.country else None,
        [q.text[:30] for q in speech.quotations.filter(kind="direct").order_by("start")],
    )


@pytest.mark.django_db
def test_two_ambassadors_give_two_statements_with_their_delegations(editor):
    diallo, halvorsen = drafts(editor, "wire-2021-03-12-two-ambassadors", datetime.date(2021, 3, 12))
    assert summary(diallo) == (
        "Amina Diallo",
        "SEN",
        ["Every day that the crossings s", "We are asking for nothing more"],  # "she added" is hers
    )
    assert summary(halvorsen) == (
        "Viktor Halvorsen",  # "Halvorsen said" is the Viktor Halvorsen the article introduced
        "NOR",
        ["A resolution that nobody can v", "Monitoring is not a luxury; it"],
    )
    assert halvorsen.role == "Deputy Permanent Representative of Norway"
    assert Source.objects.count() == 1
    assert set(diallo.sources.all()) == set(halvorsen.sources.all())
    assert diallo.title == "Council split" and halvorsen.title == ""


@pytest.mark.django_db
def test_two_ministers_pronouns_follow_the_paragraph_subject_and_gender(editor):
    mendez, otieno = drafts(editor, "wire-2021-10-05-two-ministers", datetime.date(2021, 10, 5))
    assert summary(mendez) == (
        "Carla Mendez",
        "CHL",
        ["Winter does not wait for budge", "We expect others to follow, an"],
    )
    assert summary(otieno) == (
        "Joseph Otieno",  # introduced as "Kenya's foreign minister, Joseph Otieno,"
        "KEN",
        ["Our schools and clinics are st", "This is the kind of solidarity"],  # "Otieno welcomed ... he said"
    )


@pytest.mark.django_db
def test_publishing_one_statement_shows_only_its_quotations_under_its_delegation(editor, client):
    diallo, halvorsen = drafts(editor, "wire-2021-03-12-two-ambassadors", datetime.date(2021, 3, 12))
    for speech in (diallo, halvorsen):
        for quotation in speech.quotations.all():
            services.quotation_review(quotation=quotation, accept=True, editor=editor)
        services.speech_publish(speech=speech, editor=editor)
    page = client.get(halvorsen.get_absolute_url()).content.decode()
    assert "Norway" in page and "Senegal" not in page
    assert "A resolution that nobody can verify" in page
    assert "children go without clean water" not in page


@pytest.mark.django_db
def test_changing_a_quotations_speaker_moves_it_to_that_speakers_statement(editor):
    diallo, halvorsen = drafts(editor, "wire-2021-03-12-two-ambassadors", datetime.date(2021, 3, 12))
    quotation = diallo.quotations.filter(kind="direct").order_by("start").last()
    services.quotation_move(quotation=quotation, speaker_name="Viktor Halvorsen", editor=editor)
    quotation.refresh_from_db()
    assert (quotation.speech, quotation.speaker) == (halvorsen, halvorsen.speaker)
    # A speaker the report has no statement for yet gets a new draft from the same report.
    services.quotation_move(quotation=quotation, speaker_name="Ines Moreau", editor=editor)
    quotation.refresh_from_db()
    moreau = quotation.speech
    assert moreau.speaker.name == "Ines Moreau"
    assert moreau.status == Speech.Status.DRAFT
    assert list(moreau.sources.all()) == list(diallo.sources.all())
    assert moreau.date == diallo.date
    assert quotation.history.first().history_change_reason == f"Moved to Ines Moreau's statement #{moreau.pk}"


@pytest.mark.django_db
def test_one_review_save_is_one_history_row_with_the_editor_and_a_reason(editor, editor_client):
    speech, _ = drafts(editor, "wire-2021-03-12-two-ambassadors", datetime.date(2021, 3, 12))
    topic = Topic.objects.exclude(pk__in=speech.topics.all()).first()
    before = speech.history.count()
    metadata = {
        "speaker_name": "Fatou Sow",
        "role": speech.role,
        "country": speech.country,
        "date": speech.date,
        "date_precision": speech.date_precision,
        "title": speech.title,
        "event": speech.event,
        "topics": [*speech.topics.all(), topic],
        "instruments": list(speech.instruments.all()),
    }
    services.news_review_save(speech=speech, metadata=metadata, decisions=[], editor=editor)
    assert speech.history.count() == before + 1
    row = speech.history.first()
    assert row.history_user == editor
    assert row.history_change_reason == "Review: speaker, topics"
    assert row.speaker.name == "Fatou Sow"
    assert topic in [t.topic for t in row.topics.all()]  # the row is the state after the save
    # Saving again with nothing changed writes nothing.
    metadata["speaker_name"] = "Fatou Sow"
    services.news_review_save(speech=speech, metadata=metadata, decisions=[], editor=editor)
    assert speech.history.count() == before + 1
    # The admin's history page shows the reason, never "None".
    page = editor_client.get(f"/admin/archive/speech/{speech.pk}/history/").content.decode()
    assert "Review: speaker, topics" in page
    assert Quotation.objects.filter(speech=speech).exists()


@pytest.mark.django_db
def test_a_quotation_by_an_unnamed_speaker_makes_no_speaker_and_is_reported():
    from archive.ingest.news import propose

    text = (
        "DES MOINES, March 3 (Wire) -- Senator Ada Whitcombe said on Tuesday that the bill would pass. "
        '"We have the votes and we will use them," Whitcombe said.\n\n'
        '"Nobody here believes a word of it," said an Iowa Democrat who asked not to be named.'
    )
    proposal = propose(text)
    names = [statement.speaker_name for statement in proposal.statements]
    assert not any("Democrat" in name for name in names), names
    assert any("unnamed speakers (an Iowa Democrat" in warning for warning in proposal.warnings), proposal.warnings
