"""Who spoke, for whom, and in what order (issue 11): speaker lines of every shape, country names as
UN records write them, the Security Council President, briefers across meetings, name parts.

The meetings in tests/data/unsc-invented-meetings.txt are written for these tests, one section per
statement headed by its file name in the corpus's layout; the ``meetings`` fixture writes them out as
files for the importer. tests/data/unsc-i11.expected.tsv is what a researcher sees after importing them.
"""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from archive import citations
from archive.ingest.countries import CountryResolver
from archive.ingest.unsc_header import parse_header
from archive.models import Country, Speaker, Speech
from tests.golden import assert_golden
from tests.ingest.corpora import speakers_xlsx, ungdc_folder, unsc_folder

DATA = Path(__file__).resolve().parents[1] / "data"
MEETINGS = DATA / "unsc-invented-meetings.txt"
GOLDEN = DATA / "unsc-i11.expected.tsv"
URL = "https://archive.example.org/statements/1/"


@pytest.fixture(scope="module")
def meetings(tmp_path_factory):
    """The invented meetings as the corpus lays them out: one file per statement."""
    folder = tmp_path_factory.mktemp("unsc-invented")
    for section in re.split(r"^=== ", MEETINGS.read_text(encoding="utf-8"), flags=re.M)[1:]:
        name, text = section.split("\n", 1)
        (folder / name.strip()).write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    return folder


def run_unsc(path, **options):
    out = StringIO()
    call_command("import_unsc", str(path), no_progress=True, stdout=out, **options)
    return out.getvalue()


def table():
    """One line per statement: meeting, position, speaker, sort name, delegation, role, language."""
    rows = ["symbol\tposition\tspeaker\tsort_name\tdelegation\trole\tlanguage"]
    speeches = Speech.objects.filter(event__meeting_symbol__startswith="S/PV.93").select_related("speaker", "country")
    for s in speeches.order_by("event__meeting_symbol", "position"):
        code = s.country.code if s.country else ""
        rows.append(
            f"{s.event.meeting_symbol}\t{s.position}\t{s.speaker.name}\t{s.speaker.sort_name}\t{code}\t{s.role}\t"
            f"{s.original_language}"
        )
    return "\n".join(rows) + "\n"


# -- country names ---------------------------------------------------------------------------------


@pytest.fixture
def resolver(reference_data):
    return CountryResolver.load()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Islamic Republic of Iran", "IRN"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Bolivarian Republic of Venezuela", "VEN"),
        ("Plurinational State of Bolivia", "BOL"),
        ("Micronesia (Federated States of)", "FSM"),
        ("the Niger", "NER"),
        ("NIGER", "NER"),
        ("Nigeria", "NGA"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Viet Nam", "VNM"),
        ("Socialist Republic of Viet Nam", "VNM"),
        ("Côte d\u2019Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Democratic People's Republic of Korea", "PRK"),
        ("Republic of Korea", "KOR"),
        ("State of Palestine", "PSE"),
        ("Holy See", "VAT"),
        ("European Union", "EU"),
        ("Democratic Republic of the Congo", "COD"),
        ("Congo", "COG"),
        ("the United Kingdom", "GBR"),
        ("United Republic of Tanzania", "TZA"),
        ("Kingdom of the Netherlands", "NLD"),
        # OCR slips: a digit for a letter
        ("Ni9eria", "NGA"),
        ("Le6anon", "LBN"),
        ("Austra1ia", "AUS"),
        ("F1ance", "FRA"),
    ],
)
def test_country_names_the_way_un_records_write_them(resolver, written, code):
    assert Country.objects.get(pk=resolver.resolve(written)).code == code


@pytest.mark.django_db
def test_the_ocr_tolerance_never_merges_two_real_countries(resolver):
    # Real names stay apart: no edit-distance guessing without a digit.
    pairs = [
        ("Niger", "Nigeria"),
        ("Austria", "Australia"),
        ("Guinea", "Guinea-Bissau"),
        ("Dominica", "Dominican Republic"),
    ]
    for first, second in pairs:
        assert resolver.resolve(first) != resolver.resolve(second)
    assert resolver.resolve("Nigerr") is None and resolver.resolve("Austrai") is None
    assert Country.objects.get(pk=resolver.resolve("Ma1ta")).code == "MLT"
    assert Country.objects.get(pk=resolver.resolve("Ma1i")).code == "MLI"
    assert resolver.resolve("Atlantis") is None and resolver.resolve("Security Council") is None


# -- speaker lines ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "who", "country", "language", "statement"),
    [
        ("Mr. X (spoke in French) (France): Bonjour.", "Mr. X", "France", "fr", "Bonjour."),
        ("Dato Lim Jock Hoi: It is an honour.", "Dato Lim Jock Hoi", "", "", "It is an honour."),
        ("Moussa (spoke in French): Merci.", "Moussa", "", "fr", "Merci."),
        ("Mr. President (spoke in French): Merci.", "The President", "", "fr", "Merci."),
        ("Madam President: Thank you.", "The President", "", "", "Thank you."),
        (
            "The Prime Minister of Saint Vincent and the Grenadines: Thank you.",
            "The Prime Minister of Saint Vincent and the Grenadines",
            "",
            "",
            "Thank you.",
        ),
        ("Monsignor Hansen (Holy See): Peace.", "Monsignor Hansen", "Holy See", "", "Peace."),
        (
            "Mr. Llorentty Solíz (Plurinational State of Bolivia) (spoke in Spanish): Gracias.",
            "Mr. Llorentty Solíz",
            "Plurinational State of Bolivia",
            "es",
            "Gracias.",
        ),
    ],
)
def test_speaker_lines_of_every_shape(text, who, country, language, statement):
    assert parse_header(text)[:4] == (who, country, language, statement)


def test_several_brackets_keep_the_delegation_and_the_rest():
    header = parse_header("Mr. Amde (Ethiopia) (on behalf of the African Union) (spoke in Amharic): x")
    assert (header.country, header.extra) == ("Ethiopia", ("on behalf of the African Union",))


@pytest.mark.parametrize(
    "text",
    [
        "Ladies and gentlemen, the meeting is adjourned.",
        "In conclusion: we must act.",
        "First: the Council must act.",
        "Resolution 2254 (2015): the Council recalls.",
    ],
)
def test_sentences_are_not_taken_for_speaker_lines(text):
    with pytest.raises(Exception, match="no speaker line"):
        parse_header(text)


# -- the meetings, end to end --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.golden
def test_six_meetings_import_with_every_speaker_and_delegation_as_the_golden_file_says(reference_data, meetings):
    output = run_unsc(meetings)

    assert "31 created, 0 updated, 0 unchanged, 0 failed" in output
    assert_golden(GOLDEN, table())


@pytest.mark.django_db
def test_the_president_is_found_from_every_kind_of_evidence_and_never_guessed(reference_data, meetings):
    output = run_unsc(meetings)
    presidents = Speech.objects.filter(role="President of the Security Council").select_related("country", "event")
    by_meeting = {s.event.meeting_symbol: s.country.code if s.country else None for s in presidents}
    assert by_meeting == {
        "S/PV.9301": "NER",  # "in my national capacity as representative of the Niger" (and congratulations)
        "S/PV.9302": "NER",  # no word about it: between two meetings of the Niger's presidency
        "S/PV.9303": "NER",  # "in my capacity as Deputy Prime Minister and Minister for Foreign Affairs of the Niger"
        "S/PV.9304": "GBR",  # "the representative of the United Kingdom on behalf of the penholders"
        "S/PV.9305": "GBR",  # "I congratulate you, Mr. President, on the United Kingdom's presidency"
        "S/PV.9306": None,  # nothing says, and no later meeting: left explicit and listed
    }
    assert "President not identified" in output and "S/PV.9306 (2023): no evidence" in output
    # "Mr. President (spoke in French):" is the President, not a speaker called "President".
    assert not Speaker.objects.filter(name="President").exists()


@pytest.mark.django_db
def test_a_presidency_table_and_meeting_dates_are_used_first(reference_data, meetings, tmp_path):
    (tmp_path / "presidencies.csv").write_text("year,month,country\n2023,3,Mozambique\n2023,2,Malta\n")
    (tmp_path / "meetings.csv").write_text(
        "symbol,date,agenda\nS/PV.9306,2023-03-02,Maintenance of international peace and security\n"
    )
    output = run_unsc(
        meetings, presidencies=str(tmp_path / "presidencies.csv"), meetings=str(tmp_path / "meetings.csv")
    )
    speech = Speech.objects.select_related("country", "event", "speaker").get(external_id="UNSC:S/PV.9306:1")
    assert speech.country.code == "MOZ"
    assert speech.speaker.name == "President of the Security Council (Mozambique)"
    assert speech.event.date.isoformat() == "2023-03-02" and speech.event.date_precision == "day"
    assert speech.event.agenda_item == "Maintenance of international peace and security"
    assert "President not identified" not in output


@pytest.mark.django_db
def test_a_briefer_is_one_speaker_across_meetings_with_the_invited_name_and_role(reference_data, meetings, tmp_path):
    run_unsc(meetings)
    lacroix = Speaker.objects.get(name="Jean-Pierre Lacroix")
    speeches = Speech.objects.filter(speaker=lacroix).select_related("event").order_by("event__meeting_symbol")
    assert [s.event.meeting_symbol for s in speeches] == ["S/PV.9301", "S/PV.9302", "S/PV.9304"]
    assert speeches[0].role == "Under-Secretary-General for Peace Operations"
    assert not Speaker.objects.filter(slug__startswith="jean-pierre-lacroix-").exists()
    assert not Speaker.objects.filter(name="Lacroix").exists()
    # A later folder where he is never introduced by full name still finds him.
    later = unsc_folder(tmp_path / "later", {"UNSC_2023_SPV.9310_spch002.txt": "Mr. Lacroix: Once more, thank you."})
    run_unsc(later)
    assert Speech.objects.get(external_id="UNSC:S/PV.9310:2").speaker == lacroix


@pytest.mark.django_db
def test_a_briefer_first_known_by_surname_takes_the_full_name_later(reference_data, tmp_path):
    first = unsc_folder(tmp_path / "a", {"UNSC_2023_SPV.9320_spch002.txt": "Ms. Keita: The situation is grave."})
    run_unsc(first)
    second = unsc_folder(
        tmp_path / "b",
        {
            "UNSC_2023_SPV.9321_spch001.txt": (
                "The President: In accordance with rule 39 of the Council's provisional rules of procedure, "
                "I invite Ms. Bintou Keita, Special Representative of the Secretary-General, to participate in "
                "this meeting."
            ),
            "UNSC_2023_SPV.9321_spch002.txt": "Ms. Keita: I thank the Council.",
        },
    )
    run_unsc(second)
    keita = Speaker.objects.get(speeches__external_id="UNSC:S/PV.9320:2")
    assert keita.name == "Bintou Keita" and "Keita" in keita.aliases
    assert keita.sort_name == "Keita, Bintou"
    assert Speech.objects.get(external_id="UNSC:S/PV.9321:2").speaker == keita


@pytest.mark.django_db
def test_reimport_is_idempotent(reference_data, meetings):
    run_unsc(meetings)
    before = (Speech.objects.count(), Speaker.objects.count())
    output = run_unsc(meetings)
    assert "0 created, 0 updated, 31 unchanged, 0 failed" in output
    assert before == (Speech.objects.count(), Speaker.objects.count())


@pytest.mark.django_db
def test_an_unknown_presidency_country_is_a_clear_error(reference_data, meetings, tmp_path):
    (tmp_path / "p.csv").write_text("year,month,country\n2023,3,Atlantis\n")
    (tmp_path / "m.csv").write_text("symbol,date\nS/PV.9306,2023-03-02\n")
    with pytest.raises(CommandError, match="unknown country 'Atlantis'"):
        run_unsc(meetings, presidencies=str(tmp_path / "p.csv"), meetings=str(tmp_path / "m.csv"))


# -- titles, look-alike letters, name parts (General Debate) -----------------------------------------------


@pytest.mark.django_db
def test_general_debate_names_lose_titles_and_look_alike_letters_keep_one_person(reference_data, tmp_path):
    files = {
        "KNA_74_2019.txt": "Saint Kitts and Nevis speaks.\n",
        "KNA_75_2020.txt": "Saint Kitts and Nevis speaks again.\n",
        "NLD_75_2020.txt": "The Netherlands speaks.\n",
        "PSE_75_2020.txt": "Palestine speaks.\n",
        "VAT_75_2020.txt": "The Holy See speaks.\n",
        "FRA_75_2020.txt": "France speaks.\n",
    }
    rows = [
        (2019, 74, "KNA", "Saint Kitts and Nevis", "Timothy Harris", "Prime Minister"),
        # The same man, with a Cyrillic "о" that PDF extraction put in his first name.
        (2020, 75, "KNA", "Saint Kitts and Nevis", "Tim\u043ethy Harris", "Prime Minister"),
        (2020, 75, "NLD", "Netherlands", "Majesty King Willem-Alexander", "King"),
        (2020, 75, "PSE", "State of Palestine", "President Abbas", "President"),
        (2020, 75, "VAT", "Holy See", "Monsignor Paul Gallagher", "Secretary for Relations with States"),
        (2020, 75, "FRA", "France", "H.E. Mr. Emmanuel MACRON", "President"),
    ]
    ungdc_folder(tmp_path / "ungdc", files)
    xlsx = speakers_xlsx(tmp_path / "speakers.xlsx", rows)
    call_command("import_ungdc", str(tmp_path / "ungdc"), speakers=str(xlsx), no_progress=True, stdout=StringIO())

    harris = Speaker.objects.get(speeches__external_id__contains="KNA_75")
    assert Speaker.objects.filter(speeches__country__code="KNA").distinct().count() == 1
    assert harris.name == "Timothy Harris" and "Tim\u043ethy Harris" in harris.aliases
    names = set(Speaker.objects.values_list("name", flat=True))
    assert {"Willem-Alexander", "Abbas", "Paul Gallagher", "Emmanuel Macron"} <= names
    assert not any(word in name for name in names for word in ("King", "President", "Monsignor", "Majesty"))


@pytest.mark.django_db
def test_family_names_drive_the_a_to_z_list_and_citations(reference_data, client):
    macron = Speaker.objects.create(name="Emmanuel Macron", slug="emmanuel-macron")
    zhang = Speaker.objects.create(name="Zhang Jun", slug="zhang-jun")
    assert (macron.family_name, macron.given_name, macron.sort_name) == ("Macron", "Emmanuel", "Macron, Emmanuel")
    assert (zhang.family_name, zhang.given_name, zhang.sort_name) == ("Zhang", "Jun", "Zhang Jun")

    from tests.factories import SpeechFactory

    speech = SpeechFactory(speaker=macron)
    year = speech.date.year
    assert citations.apa(speech, URL).startswith(f"Macron, E. ({year}")
    assert citations.chicago(speech, URL).startswith("Macron, Emmanuel. ")
    assert "  author = {Macron, Emmanuel},\n" in citations.bibtex(speech, URL)
    zhang_speech = SpeechFactory(speaker=zhang)
    assert citations.apa(zhang_speech, URL).startswith(f"Zhang, J. ({zhang_speech.date.year}")
    assert citations.chicago(zhang_speech, URL).startswith("Zhang Jun. ")

    html = client.get("/speakers/?letter=M").content.decode()
    assert "Emmanuel Macron" in html and "Zhang Jun" not in html


@pytest.mark.django_db
def test_an_editor_corrects_the_name_parts_and_the_sort_name_follows(reference_data):
    speaker = Speaker.objects.create(name="Lim Jock Hoi", slug="lim-jock-hoi")
    speaker.family_name, speaker.given_name = "Lim", "Jock Hoi"
    speaker.save()
    speaker.refresh_from_db()
    assert speaker.sort_name == "Lim Jock Hoi"


@pytest.mark.django_db
def test_a_merged_speakers_old_address_redirects_permanently(reference_data, client):
    from archive import services
    from tests.factories import SpeechFactory

    keep = Speaker.objects.create(name="Mark Lowcock", slug="mark-lowcock")
    duplicate = Speaker.objects.create(name="Lowcock", slug="lowcock-7")
    SpeechFactory(speaker=keep)
    SpeechFactory(speaker=duplicate)
    services.speaker_merge(keep=keep, duplicate=duplicate)

    response = client.get("/speakers/lowcock-7/?sort=date")
    assert response.status_code == 301
    assert response["Location"] == "/speakers/mark-lowcock/?sort=date"
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/speakers/nobody-at-all/").status_code == 404


@pytest.mark.django_db
def test_speaker_duplicates_lists_likely_pairs_with_their_evidence(reference_data):
    import datetime

    from tests.factories import SpeechFactory

    kna, fra, deu = (Country.objects.get(code=c) for c in ("KNA", "FRA", "DEU"))
    pairs = [
        ("Timothy Harris", kna, 2019),
        ("Timothy S. Harris", kna, 2020),
        ("Emmanuel Macron", fra, 2019),
        ("Emmanuel Macron", deu, 2019),  # a namesake for another delegation: two people
        ("Lowcock", None, 2020),
        ("Mark Lowcock", None, 2021),
        ("President of the Security Council (Niger)", None, 2020),
        ("President of the Security Council (Nigeria)", None, 2020),
    ]
    for n, (name, country, year) in enumerate(pairs):
        speaker = Speaker.objects.create(name=name, slug=f"s{n}")
        SpeechFactory(speaker=speaker, country=country, date=datetime.date(year, 9, 1))
    out = StringIO()
    call_command("speaker_duplicates", stdout=out)
    report = out.getvalue()

    assert "Timothy Harris [s0] (KNA; 1 statements)  <->  Timothy S. Harris [s1]" in report
    assert "same delegation KNA; middle initials differ" in report and "statements 2019 / 2020" in report
    assert "Lowcock [s4] (no delegation; 1 statements)  <->  Mark Lowcock [s5]" in report
    assert "family name alone" in report
    assert "[s2]" not in report and "President of the Security Council" not in report
    assert "2 likely duplicate pair(s) among 8 speakers" in report


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Monsignor Paul Gallagher", "Paul Gallagher"),
        ("President Abbas", "Abbas"),
        ("King Philippe", "Philippe"),
        ("Majesty King Willem-Alexander", "Willem-Alexander"),
        ("His Serene Highness Prince Albert II", "Albert II"),
        ("Prince Saud Al-Faisal", "Saud Al-Faisal"),
        ("Datuk Seri Abdullah Ahmad Badawi", "Abdullah Ahmad Badawi"),
        ("Archbishop Celestino Migliore", "Celestino Migliore"),
        ("General Michel Aoun", "Michel Aoun"),
        ("Sheikh Tamim bin Hamad Al-Thani", "Tamim bin Hamad Al-Thani"),
        # Not titles: a family name, an office
        ("Ms. King", "King"),
        ("President of the Security Council (Niger)", "President of the Security Council (Niger)"),
    ],
)
def test_no_title_is_left_in_a_name(raw, name):
    from archive.ingest.names import clean_name

    assert clean_name(raw).name == name


@pytest.mark.django_db
def test_a_broken_language_name_keeps_the_speaker_and_is_listed(reference_data, tmp_path):
    folder = unsc_folder(
        tmp_path / "m", {"UNSC_2023_SPV.9330_spch004.txt": "Mr. Dupont (France) (spoke in Frenc h): Merci."}
    )
    output = run_unsc(folder)
    speech = Speech.objects.select_related("speaker", "country").get(external_id="UNSC:S/PV.9330:4")
    assert (speech.speaker.name, speech.country.code, speech.original_language) == ("Dupont", "FRA", "")
    assert "Language not recognised" in output and "'spoke in Frenc'" in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("I shall now make a statement in my capacity as the representative of Viet Nam.", "VNM"),
        ("I now make a statement in my national capacity as representative of the Niger.", "NER"),
        ("I speak in my capacity as Deputy Prime Minister and Minister for Foreign Affairs of Tunisia.", "TUN"),
        ("I speak in my capacity as the representative of the United Kingdom on behalf of the penholders.", "GBR"),
        ("I speak in my capacity as President of the Republic of the Niger.", "NER"),
        ("I speak in my capacity as Secretary of State for Foreign Affairs of the United Kingdom.", "GBR"),
        # Not a national office: no country, however many the sentence names.
        (
            "I speak in my capacity as Chair of the Committee established pursuant to resolution 1533 (2004) "
            "concerning the Democratic Republic of the Congo.",
            None,
        ),
        ("I speak in my capacity as President of the Security Council for the month of Niger's presidency.", None),
    ],
)
def test_the_presidents_own_words_name_the_presiding_member_only_from_a_national_office(resolver, sentence, code):
    from archive.ingest.unsc_roles import self_identified

    found = self_identified(sentence, resolver.resolve)
    assert {Country.objects.get(pk=pk).code for pk in found} == ({code} if code else set())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("I congratulate Viet Nam on assuming the presidency of the Council for the month of January.", "VNM"),
        (
            "Allow me to extend my congratulations to the Socialist Republic of Viet Nam on assuming the presidency.",
            "VNM",
        ),
        ("I would like to congratulate Viet Nam on its assumption of the presidency of the Security Council.", "VNM"),
        ("At the outset, I congratulate you, Mr. President, on Belgium's presidency of the Council this month.", "BEL"),
        # Last month's or next month's presidency is no evidence for this meeting.
        ("I thank the United States for its presidency in December.", None),
        ("We commend the Niger on its successful presidency last month.", None),
        ("We congratulate you, Sir, on Estonia's presidency in May.", None),
        ("We congratulate Tunisia on assuming the presidency next month.", None),
        ("May I join others in welcoming you to the presidency, Mr. President.", None),
    ],
)
def test_congratulations_name_the_presidency_of_this_meeting_only(resolver, sentence, code):
    from archive.ingest.unsc_roles import congratulated

    found = congratulated(sentence, resolver.resolve)
    assert {Country.objects.get(pk=pk).code for pk in found} == ({code} if code else set())


@pytest.mark.django_db
def test_a_long_name_fits_its_name_parts(reference_data):
    office = "Permanent Observer of the Sovereign Military Order of Malta " * 4
    speaker = Speaker.objects.create(name=office.strip()[:200], slug="observer")
    speaker.refresh_from_db()
    assert len(speaker.family_name) <= 100 and speaker.family_name.startswith("Permanent Observer")
    assert len(speaker.sort_name) <= 200
