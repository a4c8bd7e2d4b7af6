"""Which official records a quotation is checked against (issue 13): the speaker's own text first,
the UN's record of the meeting (a translation when the speech was delivered in another language),
the speaker's records of the days around (ranked by the search engine when there are many), and
the checks that imports and the worker run."""

import datetime
from io import StringIO

from django.core.management import call_command

from archive import services
from archive.models import Quotation, QuotationCheck, QuotationCheckTask, Speech
from tests.factories import SpeechFactory
from tests.ingest.corpora import unsc_folder

# Invented record texts (not the UN's): the meeting's record, translated from Chinese, words the
# sentence otherwise than the wire report does.
UN_RECORD = (
    "Terrorism is a threat to us all. China will always stand on the side of multilateralism and "
    "international fairness and justice. We will continue our cooperation."
)
OWN_TEXT = "China will always side with multilateralism and international justice. We thank the presidency."


def quotation():
    return Quotation.objects.select_related("speech", "speaker").get(text__startswith="China will always side")


def corpus_record(seed, text, *, days=0, external_id="UNSC:test", language="en", spoken="zh", event=True):
    return SpeechFactory(
        speaker=seed.speaker,
        event=seed.event if event else None,
        date=seed.date + datetime.timedelta(days=days),
        text=text,
        external_id=external_id,
        language=language,
        original_language=spoken,
    )


def test_un_translation_worded_otherwise_is_translation_differs_then_own_text_is_verbatim(seed):
    corpus_record(seed, UN_RECORD)
    check = services.quotation_check(quotation=quotation())
    assert check.verdict == "translation-differs"
    assert check.record_label.startswith("UN verbatim record") or check.record_label.startswith("Official record")
    assert {d["kind"] for d in check.differences} >= {"substituted"}

    services.official_transcript_add(speech=seed, text=OWN_TEXT, publisher="Mission of China", language="en")
    check = services.quotation_check(quotation=quotation())
    assert check.verdict == "verbatim"
    assert check.record_label == "Mission of China (the speaker's own text)"
    assert OWN_TEXT[check.record_start : check.record_end] == (
        "China will always side with multilateralism and international justice"
    )


def test_a_record_in_another_language_only(seed):
    corpus_record(seed, "La Chine sera toujours du côté du multilatéralisme.", language="fr", spoken="")
    assert services.quotation_check(quotation=quotation()).verdict == "other-language"


def test_records_of_another_speaker_do_not_count(seed):
    SpeechFactory(date=seed.date, text=OWN_TEXT, external_id="UNSC:other")
    assert services.quotation_check(quotation=quotation()).verdict == "no-record"


def test_many_records_of_the_days_around_are_ranked_by_the_search_engine(seed, search_index):
    for n, days in enumerate([-3, -3, -2, -2, -1, 1, 2, 3]):
        text = f"Statement number {n} on fisheries, oceans and the law of the sea."
        if n == 7:  # three days later: not among the five nearest in date
            text = "On another day the ambassador said: " + OWN_TEXT
        corpus_record(seed, text, days=days, external_id=f"UNSC:test-{n}", spoken="", event=False)
    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)
    check = services.quotation_check(quotation=quotation())
    assert check.verdict == "verbatim"
    assert check.record_speech.external_id == "UNSC:test-7"


def test_an_imported_record_queues_checks_of_that_speakers_quotations(seed, tmp_path):
    folder = unsc_folder(
        tmp_path / "unsc",
        {"UNSC_2020_SPV.8999_spch001.txt": "Mr. Zhang Jun (China) (spoke in Chinese): " + UN_RECORD},
    )
    meetings = tmp_path / "meetings.csv"
    meetings.write_text("symbol,date\nS/PV.8999,2020-08-07\n")
    QuotationCheckTask.objects.all().delete()
    call_command("import_unsc", str(folder), meetings=str(meetings), no_progress=True, stdout=StringIO())
    assert Speech.objects.filter(external_id__startswith="UNSC").exists()
    queued = set(QuotationCheckTask.objects.values_list("quotation_id", flat=True))
    direct = set(Quotation.objects.filter(kind="direct").values_list("pk", flat=True))
    assert queued == direct

    # The worker runs them (index_worker --once drains the quote checks too).
    call_command("index_worker", once=True, verbosity=0)
    assert not QuotationCheckTask.objects.exists()
    assert QuotationCheck.objects.get(quotation=quotation()).verdict == "translation-differs"


def test_rejected_and_indirect_quotations_are_not_checked(seed):
    indirect = Quotation.objects.filter(kind="indirect").first()
    services.quotations_check(quotation_ids=[indirect.pk])
    assert not QuotationCheck.objects.filter(quotation=indirect).exists()


def test_publishing_a_statement_queues_checks_of_its_quotations(seed):
    source = seed.sources.first()
    draft = SpeechFactory(draft=True, speaker=seed.speaker)
    start = source.original_text.index("China will always side")
    text = "China will always side with multilateralism and international justice"
    q = Quotation.objects.create(
        speech=draft, speaker=seed.speaker, source=source, text=text, start=start, end=start + len(text)
    )
    QuotationCheckTask.objects.all().delete()
    services.speech_publish(speech=draft)
    assert list(QuotationCheckTask.objects.values_list("quotation_id", flat=True)) == [q.pk]


def test_records_imported_for_many_speakers_and_days_queue_their_checks_in_bounded_queries(db):
    """An import batch names hundreds of (speaker, day) pairs: SQLite refuses one OR of them all."""
    from archive.quotecheck.outbox import enqueue_around

    start = datetime.date(2020, 1, 1)
    pairs = [(speaker_id, start + datetime.timedelta(days=day)) for speaker_id in range(1, 40) for day in range(30)]
    assert enqueue_around(pairs) == 0  # no quotations yet: nothing to queue, and no error
