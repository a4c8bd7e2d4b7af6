"""The UN General Debate Corpus (Baturo, Dasandi, Jankin): one file per country and session.

Layout, as researchers download it: ``UNGDC_1946-2024.tgz`` holding ``TXT/Session NN - YYYY/ISO_NN_YYYY.txt``
(UTF-8, one paragraph per line), read straight from the archive; or the same folders unpacked.
``Speakers_by_session.xlsx`` gives the speaker's name and post per (year, ISO code); posts are
empty before 1994. The corpus dates speeches only by year, so dates are stored with year precision.
"""

import datetime
import re
import tarfile
from pathlib import Path

from archive.ingest.base import BaseImporter
from archive.ingest.records import EventSpec, Failure, RecordError, SpeechRecord, decode_text, paragraphs_text

FILE_RE = re.compile(r"(?:^|/)(?P<iso>[A-Z]{2,3})_(?P<session>\d{1,3})_(?P<year>\d{4})\.txt$")
SESSION_DIR_RE = re.compile(r"Session (?P<session>\d+) - (?P<year>\d{4})")


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def session_event(session, year):
    return EventSpec(
        slug=f"general-assembly-general-debate-session-{session}-{year}",
        title=f"General debate of the {ordinal(session)} session of the General Assembly ({year})",
        body_slug="general-assembly",
        date=datetime.date(year, 1, 1),
        date_precision="year",
        kind="general-debate",
    )


def read_speakers(path):
    """{(year, ISO code): (name, post)} from Speakers_by_session.xlsx; the first row wins."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(cell or "").strip().lower() for cell in next(rows)]

        def column(*words):
            for index, title in enumerate(header):
                if all(word in title for word in words):
                    return index
            raise RecordError(f"{Path(path).name}: no column like {' '.join(words)!r} in {header}")

        year_col, iso_col = column("year"), column("iso")
        name_col, post_col = column("name"), column("post")
        speakers = {}
        for row in rows:
            if not row or row[year_col] in (None, "") or not row[iso_col]:
                continue
            try:
                year = int(row[year_col])
            except (TypeError, ValueError):
                continue
            key = (year, str(row[iso_col]).strip().upper())
            name = str(row[name_col] or "").strip()
            post = " ".join(str(row[post_col] or "").split())
            speakers.setdefault(key, (name, post))
        return speakers
    finally:
        workbook.close()


class UNGDCImporter(BaseImporter):
    label = "UNGDC"

    def __init__(self, path, *, speakers_path=None, from_year=None, to_year=None, **kwargs):
        super().__init__(**kwargs)
        self.path = Path(path)
        self.from_year = from_year
        self.to_year = to_year
        self.speakers = read_speakers(speakers_path) if speakers_path else {}

    def wanted(self, year):
        return (self.from_year is None or year >= self.from_year) and (self.to_year is None or year <= self.to_year)

    def files(self):
        """(name, bytes) of every speech file in range, from the .tgz or the folder."""
        if self.path.is_dir():
            for file in sorted(self.path.rglob("*.txt")):
                match = FILE_RE.search(file.name)
                if match and self.wanted(int(match["year"])):
                    yield str(file.relative_to(self.path)), file.read_bytes()
            return
        with tarfile.open(self.path, "r:*") as archive:
            # Read in archive order: a .tgz has no random access, and sorting would mean reading it twice.
            for member in archive:
                if not member.isfile():
                    continue
                match = FILE_RE.search(member.name)
                if not match or not self.wanted(int(match["year"])):
                    continue
                handle = archive.extractfile(member)
                yield member.name, handle.read()

    def expected_total(self):
        """Counting costs one extra pass over the archive's headers (about 2 s for the full corpus)."""
        if self.path.is_dir():
            names = (file.name for file in self.path.rglob("*.txt"))
        else:
            with tarfile.open(self.path, "r:*") as archive:
                names = [member.name for member in archive if member.isfile()]
        return sum(1 for name in names if (m := FILE_RE.search(name)) and self.wanted(int(m["year"])))

    def records(self):
        for name, data in self.files():
            try:
                yield self.parse(name, data)
            except RecordError as error:
                yield Failure(name, str(error))

    def parse(self, name, data):
        match = FILE_RE.search(name)
        iso, session, year = match["iso"], int(match["session"]), int(match["year"])
        folder = SESSION_DIR_RE.search(name)
        if folder and (int(folder["session"]), int(folder["year"])) != (session, year):
            raise RecordError(f"file name says session {session} ({year}) but its folder says {folder.group(0)}")
        text = paragraphs_text(decode_text(data, name))
        speaker, post = self.speakers.get((year, iso), ("", ""))
        return SpeechRecord(
            external_id=f"UNGDC:{iso}_{session}_{year}",
            file_name=name,
            # Without a name in the speakers file the delegation is known, the person is not.
            speaker_name=speaker or f"Unidentified speaker ({self.country_names.get(iso, iso)})",
            country_code=iso,
            event=session_event(session, year),
            date=datetime.date(year, 1, 1),
            date_precision="year",
            role=post,
            language="en",
            text=text,
        )
