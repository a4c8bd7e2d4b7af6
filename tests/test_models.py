import datetime

import pytest
from django.db import IntegrityError, transaction

from archive.models import Country, Quotation, Source, Speech, Topic
from tests.factories import EventFactory, QuotationFactory, SourceFactory, SpeakerFactory, SpeechFactory

pytestmark = pytest.mark.django_db


def test_reference_data_covers_every_un_member_and_the_corpus_codes():
    assert Country.objects.filter(status=Country.Status.MEMBER).count() == 193
    for code in ["EU", "PSE", "VAT", "CHN", "CIV", "GNB", "YUG", "CSK", "DDR", "YMD"]:
        assert Country.objects.filter(code=code).exists(), code
    assert Country.objects.get(code="CIV").name == "Côte d'Ivoire"


def test_topic_vocabulary_is_a_tree_covering_the_seed_article():
    financing = Topic.objects.get(slug="terrorism-financing")
    assert financing.parent.slug == "counter-terrorism"
    for slug in ["transnational-organized-crime", "trafficking", "multilateralism", "capacity-building", "covid-19"]:
        assert Topic.objects.filter(slug=slug).exists()


def test_published_speech_needs_published_at():
    speech = SpeechFactory(draft=True)
    speech.status = Speech.Status.PUBLISHED
    with pytest.raises(IntegrityError), transaction.atomic():
        speech.save()


def test_slugs_are_unique():
    SpeakerFactory(name="Ana Example", slug="ana-example")
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerFactory(name="Ana Example", slug="ana-example")


def test_meeting_symbols_are_unique_but_may_be_blank():
    EventFactory(meeting_symbol="S/PV.8700")
    EventFactory(meeting_symbol="")
    EventFactory(meeting_symbol="")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(meeting_symbol="S/PV.8700")


def test_quotation_end_before_start_is_refused():
    speech = SpeechFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quotation.objects.create(speech=speech, speaker=speech.speaker, text="", start=5, end=4)


def test_quotation_must_slice_its_text_out_of_its_source():
    source = SourceFactory()
    speech = SpeechFactory()
    text = "We will never give up."
    start = source.original_text.index(text)
    Quotation.objects.create(
        speech=speech, speaker=speech.speaker, source=source, text=text, start=start, end=start + len(text)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Quotation.objects.create(
            speech=speech, speaker=speech.speaker, source=source, text=text, start=start + 1, end=start + 1 + len(text)
        )


def test_quotation_offsets_outside_the_source_are_refused():
    source = SourceFactory(original_text="Short.")
    speech = SpeechFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quotation.objects.create(
            speech=speech, speaker=speech.speaker, source=source, text="Longer text", start=2, end=13
        )


def test_quotation_without_source_points_into_the_speech_text():
    quotation = QuotationFactory()
    assert quotation.context_text[quotation.start : quotation.end] == quotation.text
    quotation.start, quotation.end = 1, 1 + len(quotation.text)
    with pytest.raises(IntegrityError), transaction.atomic():
        quotation.save()


def test_source_original_text_is_never_edited():
    source = SourceFactory()
    source.title = "A title may change"
    source.save()
    source.original_text = "Rewritten"
    with pytest.raises(IntegrityError), transaction.atomic():
        source.save()
    assert Source.objects.get(pk=source.pk).original_text.startswith("The minister said")


def test_queryset_filters():
    china, france = Country.objects.get(code="CHN"), Country.objects.get(code="FRA")
    topic = Topic.objects.get(slug="terrorism-financing")
    early = SpeechFactory(country=china, date=datetime.date(2019, 5, 1))
    late = SpeechFactory(country=france, date=datetime.date(2021, 5, 1))
    late.topics.add(topic)
    draft = SpeechFactory(country=china, draft=True)

    assert set(Speech.objects.published()) == {early, late}
    assert draft not in Speech.objects.published()
    assert list(Speech.objects.published().for_country(china)) == [early]
    assert list(Speech.objects.published().for_speaker(late.speaker)) == [late]
    assert list(Speech.objects.for_topic(Topic.objects.get(slug="counter-terrorism"))) == [late]
    assert set(Speech.objects.published().for_body(early.event.body)) == {early, late}


def test_for_body_includes_subsidiary_bodies():
    from archive.models import Body

    committee = Body.objects.get(slug="counter-terrorism-committee")
    speech = SpeechFactory(event=EventFactory(body=committee))
    assert list(Speech.objects.for_body(Body.objects.get(slug="security-council"))) == [speech]
    assert list(Speech.objects.for_body(committee)) == [speech]
    assert list(Speech.objects.for_body("general-assembly")) == []


def test_display_date_follows_its_precision():
    speech = SpeechFactory(date=datetime.date(1970, 1, 1), date_precision=Speech.DatePrecision.YEAR)
    assert speech.display_date == "1970"
    speech.date_precision = Speech.DatePrecision.DAY
    assert speech.display_date == "1 January 1970"


def test_rich_text_is_sanitized_on_save():
    speech = SpeechFactory(notes='<p onclick="x()">Hi<script>alert(1)</script></p>')
    speech.refresh_from_db()
    assert "script" not in speech.notes and "onclick" not in speech.notes
    assert speech.notes.startswith("<p>Hi")


def test_history_records_who_changed_what():
    speech = SpeechFactory()
    speech.title = "Changed title"
    speech.save()
    assert [h.title for h in speech.history.all()][:2] == ["Changed title", speech.history.earliest().title]
    assert speech.history.count() == 2


def test_publish_and_unpublish_record_index_work_in_the_same_transaction():
    from archive import services
    from archive.models import IndexTask

    speech = SpeechFactory(draft=True)
    QuotationFactory(speech=speech)
    services.speech_publish(speech=speech)
    assert set(IndexTask.objects.values_list("model", "action")) == {
        ("archive.speech", "update"),
        ("archive.quotation", "update"),
    }
    IndexTask.objects.all().delete()
    services.speech_unpublish(speech=speech)
    assert IndexTask.objects.filter(model="archive.speech", object_id=str(speech.pk)).exists()
