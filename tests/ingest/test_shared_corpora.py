"""The real corpora from the shared data folder, when it is there (ARCHIVE_SHARED_DIR, default ../shared)."""

import os
import tarfile
from pathlib import Path

import pytest

from archive.ingest.ungdc import FILE_RE, UNGDCImporter
from archive.ingest.unsc import UNSCImporter
from archive.models import Country, Event, Speech

SHARED = Path(os.environ.get("ARCHIVE_SHARED_DIR") or Path(__file__).resolve().parents[3] / "shared")
UNGDC = SHARED / "data" / "ungdc"
UNSC = SHARED / "data" / "unsc-2020-sample"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(
        not (UNGDC / "UNGDC_1946-2024.tgz").exists() or not UNSC.is_dir(),
        reason=f"the shared corpora are not at {SHARED}/data (set ARCHIVE_SHARED_DIR to the shared folder)",
    ),
]


@pytest.mark.django_db
def test_two_general_debate_sessions_import_from_the_real_tgz(reference_data, client):
    with tarfile.open(UNGDC / "UNGDC_1946-2024.tgz") as archive:
        expected = sum(
            1 for name in archive.getnames() if (m := FILE_RE.search(name)) and m["year"] in ("2019", "2020")
        )
    importer = UNGDCImporter(
        UNGDC / "UNGDC_1946-2024.tgz",
        speakers_path=UNGDC / "Speakers_by_session.xlsx",
        from_year=2019,
        to_year=2020,
        progress=False,
    )
    stats = importer.run()

    assert stats.failures == []
    assert stats.created == expected > 350
    china = Speech.objects.filter(country__code="CHN").select_related("speaker").order_by("date")
    assert [(s.display_date, s.speaker.name) for s in china] == [("2019", "Wang Yi"), ("2020", "Xi Jinping")]
    html = client.get(Country.objects.get(code="CHN").get_absolute_url()).content.decode()
    assert "Xi Jinping" in html and ">2020</time>" in html


@pytest.mark.django_db
def test_the_three_security_council_sample_meetings_import_in_order(reference_data, client):
    stats = UNSCImporter(UNSC, progress=False).run()

    assert stats.failures == []
    assert stats.created == len(list(UNSC.glob("UNSC_*.txt")))
    assert Event.objects.filter(meeting_symbol__in=["S/PV.8698", "S/PV.8700", "S/PV.8725"]).count() == 3
    meeting = Event.objects.get(meeting_symbol="S/PV.8700")
    speeches = list(meeting.speeches.order_by("position").select_related("speaker", "country"))
    assert [s.position for s in speeches] == list(range(1, len(speeches) + 1))
    assert speeches[1].speaker.name == "Nebenzia" and speeches[1].original_language == "ru"
    # "I shall now make a statement in my capacity as the representative of Viet Nam."
    assert speeches[0].country.name == "Viet Nam"
    president_8725 = Speech.objects.get(external_id="UNSC:S/PV.8725:1")
    assert president_8725.country.name == "Belgium"
    # Every President statement of the three meetings sits under its presiding delegation (17 of 17).
    presidents = Speech.objects.filter(role="President of the Security Council").select_related("event", "country")
    assert {(s.event.meeting_symbol, s.country.code) for s in presidents} == {
        ("S/PV.8698", "VNM"),
        ("S/PV.8700", "VNM"),
        ("S/PV.8725", "BEL"),
    }
    assert presidents.count() == 17
    assert stats.notes == {}
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert html.index("Nebenzia") < html.index("Pecsteen de Buytswerve") < html.index("Zhang Jun")
