from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from archive.ingest.records import RecordError
from archive.ingest.unsc_header import parse_header
from archive.models import Event, IndexTask, Speaker, Speech
from tests.ingest.corpora import unsc_folder


@pytest.mark.parametrize(
    ("text", "who", "country", "language", "statement"),
    [
        (
            "Mr. Nebenzia (Russian Federation) (spoke in Russian): We propose an amendment.",
            "Mr. Nebenzia",
            "Russian Federation",
            "ru",
            "We propose an amendment.",
        ),
        ("The President: I call the meeting to order.", "The President", "", "", "I call the meeting to order."),
        ("The President (spoke in French): Merci.", "The President", "", "fr", "Merci."),
        ("The Secretary-General: Thank you.", "The Secretary-General", "", "", "Thank you."),
        (
            "Mrs. Gueguen (France) (spoke in French): It was essential.",
            "Mrs. Gueguen",
            "France",
            "fr",
            "It was essential.",
        ),
        (
            "Mr. Chambas: I am honoured to brief the Council.",
            "Mr. Chambas",
            "",
            "",
            "I am honoured to brief the Council.",
        ),
        (
            "Mr. Moncada (Venezuela (Bolivarian Republic of)) (spoke in Spanish): Gracias.",
            "Mr. Moncada",
            "Venezuela (Bolivarian Republic of)",
            "es",
            "Gracias.",
        ),
        # PDF extraction dropped a sentence inside the speaker line: it is put back, first.
        (
            "The President (spoke I thank Mr. Griffiths for his briefing. in French): I now give the floor.",
            "The President",
            "",
            "fr",
            "I thank Mr. Griffiths for his briefing. I now give the floor.",
        ),
    ],
)
def test_every_speaker_line_form_is_parsed(text, who, country, language, statement):
    assert parse_header(text)[:4] == (who, country, language, statement)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Recalling its previous resolutions, the Council decides", "no speaker line"),
    ],
)
def test_text_without_a_proper_speaker_line_is_refused(text, reason):
    with pytest.raises(RecordError, match=reason):
        parse_header(text)


def test_an_unknown_language_leaves_the_speaker_readable_and_says_so():
    header = parse_header("Mr. Worf (Klingon Empire) (spoke in Klingon): Qapla'.")
    assert (header.who, header.country, header.language, header.extra) == (
        "Mr. Worf",
        "Klingon Empire",
        "",
        ("spoke in Klingon",),
    )


MEETING = {
    "UNSC_2020_SPV.8725_spch001.txt": "The President (spoke in French): I invite the representative of Yemen.\r\n",
    "UNSC_2020_SPV.8725_spch002.txt": "Mr. Griffiths: We are witnessing in Yemen what we have long feared.",
    "UNSC_2020_SPV.8725_spch003.txt": "Mr. Zhang Jun (China) (spoke in Chinese): The Chinese delegation thanks him.",
    "UNSC_2020_SPV.8725_spch004.txt": (
        "The President (spoke in French): I shall now make a statement in my capacity as the representative "
        "of Belgium. Belgium is extremely concerned."
    ),
    "UNSC_2020_SPV.8725_spch005.txt": "Ms. Pierce (United Kingdom): The Council\u2019s unity matters \u2014 now.",
    "UNSC_2020_SPV.8725_spch006.txt": "The Secretary-General: I thank the Council.",
    "UNSC_2020_SPV.8725_spch010.txt": "Mr. Nebenzia (Russian Federation) (spoke in Russian): We abstained.",
}


def run(path, **options):
    out = StringIO()
    call_command("import_unsc", str(path), no_progress=True, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def meeting(tmp_path, seed):
    """A meeting with files in both encodings: most UTF-8, one Windows-1252 like the real sample."""
    files = {name: text for name, text in MEETING.items() if "spch005" not in name}
    folder = unsc_folder(tmp_path / "unsc", files)
    unsc_folder(folder, {"UNSC_2020_SPV.8725_spch005.txt": MEETING["UNSC_2020_SPV.8725_spch005.txt"]}, "cp1252")
    return folder


@pytest.mark.django_db
def test_a_meeting_imports_in_speaking_order_with_symbol_delegations_and_languages(meeting):
    output = run(meeting)

    assert "7 created, 0 updated, 0 unchanged, 0 failed" in output
    event = Event.objects.get(meeting_symbol="S/PV.8725")
    assert event.body.slug == "security-council" and event.date_precision == "year"
    assert event.title == "Security Council, 8725th meeting (S/PV.8725)"
    speeches = list(Speech.objects.filter(event=event).select_related("speaker", "country").order_by("position"))
    assert [s.position for s in speeches] == [1, 2, 3, 4, 5, 6, 10]
    assert [s.external_id for s in speeches][:2] == ["UNSC:S/PV.8725:1", "UNSC:S/PV.8725:2"]
    by_position = {s.position: s for s in speeches}
    assert by_position[10].speaker.name == "Nebenzia" and by_position[10].country.code == "RUS"
    assert by_position[10].original_language == "ru" and by_position[10].language == "en"
    assert by_position[5].original_language == ""  # spoke in English
    assert by_position[2].country is None  # a briefer speaks for no delegation
    # Windows-1252 bytes are read as the characters they stand for.
    assert by_position[5].text == "The Council\u2019s unity matters \u2014 now."
    assert by_position[5].country.code == "GBR"
    assert all(s.is_published for s in speeches)


@pytest.mark.django_db
def test_the_president_is_resolved_to_the_presiding_member_where_the_record_says_so(meeting):
    run(meeting)
    presidents = Speech.objects.filter(event__meeting_symbol="S/PV.8725", position__in=[1, 4]).select_related(
        "speaker", "country"
    )
    assert {s.country.code for s in presidents} == {"BEL"}
    assert {s.role for s in presidents} == {"President of the Security Council"}
    assert {s.speaker.name for s in presidents} == {"President of the Security Council (Belgium)"}
    assert {s.original_language for s in presidents} == {"fr"}


@pytest.mark.django_db
def test_the_secretary_general_is_the_office_holder_of_that_year(meeting):
    run(meeting)
    speech = Speech.objects.select_related("speaker").get(external_id="UNSC:S/PV.8725:6")
    assert speech.speaker.name == "António Guterres"
    assert speech.role == "Secretary-General of the United Nations"


@pytest.mark.django_db
def test_a_known_speaker_is_matched_not_duplicated(meeting, seed):
    run(meeting)
    # The seed statement's Zhang Jun (entered by an editor from a news report) is the same person.
    assert Speaker.objects.filter(name="Zhang Jun").count() == 1
    assert Speech.objects.get(external_id="UNSC:S/PV.8725:3").speaker == seed.speaker


@pytest.mark.django_db
def test_the_event_page_lists_the_speakers_in_speaking_order(meeting, client):
    run(meeting)
    html = client.get(Event.objects.get(meeting_symbol="S/PV.8725").get_absolute_url()).content.decode()
    order = ["Griffiths", "Zhang Jun", "Pierce", "Guterres", "Nebenzia"]
    positions = [html.index(name) for name in order]
    assert positions == sorted(positions)
    assert "S/PV.8725" in html


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_says_so(meeting):
    run(meeting)
    before = (Speech.objects.count(), Speaker.objects.count(), IndexTask.objects.count())
    output = run(meeting)
    assert "0 created, 0 updated, 7 unchanged, 0 failed" in output
    assert "Nothing changed" in output
    assert before == (Speech.objects.count(), Speaker.objects.count(), IndexTask.objects.count())


@pytest.mark.django_db
def test_unreadable_lines_are_imported_and_listed_only_undecodable_files_fail(meeting):
    unsc_folder(
        meeting,
        {
            "UNSC_2020_SPV.8725_spch007.txt": "Recalling its resolutions, the Council decides to remain seized.",
            "UNSC_2020_SPV.8725_spch008.txt": "Mr. Nobody (Atlantis): Hello.",
            "UNSC_2020_SPV.8725_spch009.txt": b"Mr. Byte (France): \x81\x8d\x8f",
        },
    )
    out = StringIO()
    with pytest.raises(CommandError, match="1 speech"):
        call_command("import_unsc", str(meeting), no_progress=True, stdout=out)
    report = out.getvalue()
    assert "UNSC_2020_SPV.8725_spch009.txt: neither UTF-8 nor Windows-1252" in report
    # A line no rule reads: the speech is kept whole under the meeting's unidentified speaker, and listed.
    assert "Speaker line not read" in report
    assert "UNSC_2020_SPV.8725_spch007.txt: 'Recalling its resolutions" in report
    unread = Speech.objects.select_related("speaker").get(external_id="UNSC:S/PV.8725:7")
    assert unread.speaker.name == "Unidentified speaker (meeting 8725)"
    assert unread.text.startswith("Recalling its resolutions")
    # A delegation no list knows is kept as the role, and listed.
    assert "UNSC_2020_SPV.8725_spch008.txt: 'Atlantis'" in report
    nobody = Speech.objects.select_related("speaker").get(external_id="UNSC:S/PV.8725:8")
    assert (nobody.speaker.name, nobody.country, nobody.role) == ("Nobody", None, "Atlantis")
    assert Speech.objects.filter(event__meeting_symbol="S/PV.8725").count() == 9


@pytest.mark.django_db
def test_corpus_metadata_files_supply_names_roles_dates_and_topics(meeting):
    (meeting / "speaker.tsv").write_text(
        "filename\tspeaker\tcountry\trole_in_un\n"
        "UNSC_2020_SPV.8725_spch010.txt\tVassily Nebenzia\tRussian Federation\tPermanent Representative\n"
    )
    (meeting / "meta.tsv").write_text("basename\tdate\ttopic\nUNSC_2020_SPV.8725\t2020-02-13\tThe situation in Yemen\n")
    run(meeting)
    event = Event.objects.get(meeting_symbol="S/PV.8725")
    assert (event.date.isoformat(), event.date_precision, event.agenda_item) == (
        "2020-02-13",
        "day",
        "The situation in Yemen",
    )
    speech = Speech.objects.select_related("speaker").get(external_id="UNSC:S/PV.8725:10")
    assert speech.speaker.name == "Vassily Nebenzia"
    assert speech.role == "Permanent Representative"
    assert speech.display_date == "13 February 2020"


def test_a_path_that_is_not_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_unsc", str(tmp_path / "missing"), no_progress=True)
