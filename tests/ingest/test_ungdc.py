import datetime

import pytest
from django.core.management import CommandError, call_command

from archive.ingest.ungdc import UNGDCImporter
from archive.models import Country, Event, IndexTask, Speaker, Speech
from tests.ingest.corpora import speakers_xlsx, ungdc_folder, ungdc_tgz

CHINA_2020 = (
    "Mr. President,\n"
    "This year marks the 75th anniversary of the founding of the United Nations.  \n"
    "\n"
    "We humans are battling COVID-19.\n"
)
FILES = {
    "CHN_75_2020.txt": CHINA_2020,
    "USA_75_2020.txt": "The United States stands ready.\nThank you.\n",
    "CHN_48_1993.txt": "China in 1993.\n",
    "CHN_47_1992.txt": "China in 1992.\n",
    "CSK_43_1988.txt": "Czechoslovakia speaks.\n",
    "PSE_75_2020.txt": "Palestine speaks.\n",
}
SPEAKERS = [
    (2020, 75, "CHN", "People\u2019s Republic of China", "Mr. Xi Jinping", "President"),
    (2020, 75, "USA", "United States of America", " Mr. Donald  TRUMP ", "President "),
    (1993, 48, "CHN", "China", "Mr. QIAN Qichen", None),
    (1992, 47, "CHN", "China", "QIAN QICHEN ", None),
    (1988, 43, "CSK", "Czechoslovakia", "CHNOUPEK", None),
]


@pytest.fixture
def corpus(tmp_path):
    return {
        "tgz": ungdc_tgz(tmp_path / "UNGDC.tgz", FILES),
        "xlsx": speakers_xlsx(tmp_path / "Speakers_by_session.xlsx", SPEAKERS),
        "root": tmp_path,
    }


def run(path, *args, **options):
    from io import StringIO

    out = StringIO()
    call_command("import_ungdc", str(path), *args, no_progress=True, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_imports_a_tgz_as_published_year_dated_general_debate_statements(reference_data, corpus):
    output = run(corpus["tgz"], speakers=str(corpus["xlsx"]))

    assert "6 created, 0 updated, 0 unchanged, 0 failed" in output
    speech = Speech.objects.select_related("speaker", "country", "event__body").get(external_id="UNGDC:CHN_75_2020")
    assert speech.is_published
    assert speech.country.code == "CHN"
    assert speech.speaker.name == "Xi Jinping" and speech.speaker.honorific == "Mr."
    assert speech.role == "President"
    assert speech.event.body.slug == "general-assembly"
    assert speech.event.kind == Event.Kind.GENERAL_DEBATE
    assert speech.event.title == "General debate of the 75th session of the General Assembly (2020)"
    assert (speech.date, speech.date_precision, speech.display_date) == (datetime.date(2020, 1, 1), "year", "2020")
    assert speech.language == "en"
    assert speech.paragraphs == [
        "Mr. President,",
        "This year marks the 75th anniversary of the founding of the United Nations.",
        "We humans are battling COVID-19.",
    ]
    # Former members and observers come from the reference table, not invented.
    assert Speech.objects.get(external_id="UNGDC:CSK_43_1988").country.name == "Czechoslovakia"
    assert Speech.objects.get(external_id="UNGDC:PSE_75_2020").country.code == "PSE"
    # Index work goes through the outbox, like an editor's change.
    indexed = set(IndexTask.objects.filter(model="archive.speech").values_list("object_id", flat=True))
    assert {str(pk) for pk in Speech.objects.values_list("pk", flat=True)} <= indexed


@pytest.mark.django_db
def test_one_speaker_across_years_despite_titles_case_and_spaces(reference_data, corpus):
    run(corpus["tgz"], speakers=str(corpus["xlsx"]))

    qian = Speaker.objects.get(speeches__external_id="UNGDC:CHN_48_1993")
    assert qian.name == "Qian Qichen"
    assert set(qian.speeches.values_list("external_id", flat=True)) == {"UNGDC:CHN_48_1993", "UNGDC:CHN_47_1992"}
    assert Speaker.objects.get(speeches__external_id="UNGDC:USA_75_2020").name == "Donald Trump"
    # Before 1994 the records give no post: the role stays empty rather than guessed.
    assert Speech.objects.get(external_id="UNGDC:CHN_48_1993").role == ""


@pytest.mark.django_db
def test_the_unpacked_folder_imports_the_same(reference_data, corpus, tmp_path):
    folder = ungdc_folder(tmp_path / "unpacked", FILES)
    output = run(folder, speakers=str(corpus["xlsx"]))
    assert "6 created" in output
    assert Speech.objects.get(external_id="UNGDC:CHN_75_2020").speaker.name == "Xi Jinping"


@pytest.mark.django_db
def test_without_the_speakers_file_the_delegation_is_kept_and_the_speaker_marked_unidentified(reference_data, corpus):
    run(corpus["tgz"])
    speech = Speech.objects.select_related("speaker").get(external_id="UNGDC:CHN_75_2020")
    assert speech.country.code == "CHN"
    assert speech.speaker.name == "Unidentified speaker (China)"


@pytest.mark.django_db
def test_year_range_imports_only_those_sessions(reference_data, corpus):
    output = run(corpus["tgz"], from_year=1990, to_year=1993)
    assert "2 created" in output
    assert set(Speech.objects.values_list("external_id", flat=True)) == {"UNGDC:CHN_48_1993", "UNGDC:CHN_47_1992"}


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_says_so(reference_data, corpus):
    run(corpus["tgz"], speakers=str(corpus["xlsx"]))
    counts = (Speech.objects.count(), Speaker.objects.count(), Event.objects.count(), IndexTask.objects.count())
    history = Speech.history.count()

    output = run(corpus["tgz"], speakers=str(corpus["xlsx"]))

    assert "0 created, 0 updated, 6 unchanged, 0 failed" in output
    assert "Nothing changed: all 6 speeches were already up to date." in output
    assert counts == (Speech.objects.count(), Speaker.objects.count(), Event.objects.count(), IndexTask.objects.count())
    assert Speech.history.count() == history


@pytest.mark.django_db
def test_a_corrected_file_updates_its_statement_and_queues_it_for_the_index(reference_data, corpus, tmp_path):
    run(corpus["tgz"], speakers=str(corpus["xlsx"]))
    fixed = ungdc_tgz(tmp_path / "fixed.tgz", {**FILES, "USA_75_2020.txt": "The United States stands ready, always.\n"})
    speech = Speech.objects.get(external_id="UNGDC:USA_75_2020")
    tasks_before = IndexTask.objects.filter(object_id=str(speech.pk)).count()

    output = run(fixed, speakers=str(corpus["xlsx"]))

    assert "0 created, 1 updated, 5 unchanged" in output
    speech.refresh_from_db()
    assert speech.text == "The United States stands ready, always."
    assert IndexTask.objects.filter(object_id=str(speech.pk)).count() == tasks_before + 1
    assert speech.history.first().history_change_reason == "UNGDC import"


@pytest.mark.django_db
def test_broken_files_are_reported_by_name_and_the_rest_imported(reference_data, corpus, tmp_path):
    broken = ungdc_tgz(
        tmp_path / "broken.tgz",
        {
            **FILES,
            "XYZ_75_2020.txt": "A country that does not exist.\n",
            "FRA_75_2020.txt": b"\x81\x8d\x8f not text at all",
            "GBR_75_2020.txt": "   \n\n",
        },
    )
    with pytest.raises(CommandError, match="3 speech"):
        run(broken, speakers=str(corpus["xlsx"]))
    assert Speech.objects.count() == 6
    assert not Speech.objects.filter(country__code__in=["FRA", "GBR"]).exists()


@pytest.mark.django_db
def test_failure_report_names_each_file_and_reason(reference_data, corpus, tmp_path):
    broken = ungdc_tgz(tmp_path / "broken.tgz", {"XYZ_75_2020.txt": "Text.\n", "FRA_75_2020.txt": b"\x81\x8d"})
    importer = UNGDCImporter(broken, progress=False)
    stats = importer.run()
    reasons = {f.file_name: f.reason for f in stats.failures}
    assert reasons["TXT/Session 75 - 2020/XYZ_75_2020.txt"] == "unknown country code 'XYZ'"
    assert "neither UTF-8 nor Windows-1252" in reasons["TXT/Session 75 - 2020/FRA_75_2020.txt"]
    summary = stats.summary("UNGDC")
    assert "TXT/Session 75 - 2020/XYZ_75_2020.txt: unknown country code 'XYZ'" in summary


class FailingAfterWrites(UNGDCImporter):
    """Fails one record after its event, speaker and speech rows were written: the savepoint must undo all."""

    def _save_record(self, record, existing, undo, pending):
        pk = super()._save_record(record, existing, undo, pending)
        if record.external_id == "UNGDC:CHN_75_2020":
            raise RuntimeError("disk on fire")
        return pk


@pytest.mark.django_db
def test_a_record_failing_midway_leaves_nothing_half_saved(reference_data, corpus, tmp_path):
    only_2020 = ungdc_tgz(tmp_path / "one.tgz", {"CHN_75_2020.txt": CHINA_2020})
    stats = FailingAfterWrites(only_2020, speakers_path=corpus["xlsx"], progress=False).run()

    assert stats.failed == 1 and stats.created == 0
    assert stats.failures[0].reason == "RuntimeError: disk on fire"
    assert not Speech.objects.exists()
    assert not Speaker.objects.filter(name="Xi Jinping").exists()
    assert not Event.objects.filter(slug__contains="session-75").exists()
    assert not IndexTask.objects.exists()
    # The rolled-back speaker and event are forgotten too: a clean re-run creates them for real.
    stats = UNGDCImporter(only_2020, speakers_path=corpus["xlsx"], progress=False).run()
    assert stats.created == 1 and stats.speakers_created == 1 and stats.events_created == 1
    assert Speech.objects.get().speaker.name == "Xi Jinping"


@pytest.mark.django_db
def test_dry_run_reports_what_would_change_and_saves_nothing(reference_data, corpus):
    output = run(corpus["tgz"], "--dry-run", speakers=str(corpus["xlsx"]))
    assert "6 created" in output and "Dry run: nothing was saved." in output
    assert not Speech.objects.exists() and not Speaker.objects.exists() and not IndexTask.objects.exists()


@pytest.mark.django_db
def test_country_and_event_pages_show_year_only_dates(reference_data, corpus, client, django_assert_max_num_queries):
    run(corpus["tgz"], speakers=str(corpus["xlsx"]))
    china = Country.objects.get(code="CHN")

    with django_assert_max_num_queries(12):
        page = client.get(china.get_absolute_url())

    html = page.content.decode()
    assert "Xi Jinping" in html and "Qian Qichen" in html
    assert ">2020</time>" in html and ">1993</time>" in html
    assert "January 2020" not in html
    event = Event.objects.get(slug="general-assembly-general-debate-session-75-2020")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "1 January" not in html and "2020" in html


@pytest.mark.django_db
def test_a_file_present_twice_is_imported_once_and_the_copy_reported(reference_data, corpus, tmp_path):
    # Both copies land in one batch: the database refuses the second, the batch is redone one
    # record at a time, and only the copy fails.
    folder = ungdc_folder(tmp_path / "a", FILES)
    ungdc_folder(tmp_path / "a" / "copy", {"USA_75_2020.txt": FILES["USA_75_2020.txt"]})
    stats = UNGDCImporter(folder, speakers_path=corpus["xlsx"], progress=False).run()

    assert stats.created == 6
    assert [f.file_name for f in stats.failures] == ["copy/TXT/Session 75 - 2020/USA_75_2020.txt"]
    assert "IntegrityError" in stats.failures[0].reason
    assert Speech.objects.filter(external_id="UNGDC:USA_75_2020").count() == 1
    assert IndexTask.objects.filter(model="archive.speech").count() == 6
