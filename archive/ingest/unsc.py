"""The UN Security Council Debates corpus (Schoenfeld et al.): one file per speech.

Files are named ``UNSC_YYYY_SPV.NNNN_spchNNN.txt`` (meeting S/PV.NNNN, speech NNN in speaking order)
and open with the speaker line of the verbatim record:

    Mr. Nebenzia (Russian Federation) (spoke in Russian): ...
    The President: ...            The President (spoke in French): ...
    The Secretary-General: ...    Mr. Chambas: ...   (a briefer: no delegation)

PDF extraction sometimes drops a sentence into the speaker line ("The President (spoke I thank
Mr. Griffiths for his briefing. in French): ..."); that sentence is put back at the start of the
statement. Files may be UTF-8 or Windows-1252. Where the corpus's ``speaker.tsv`` / ``meta.tsv``
sit beside the files, their speaker names, delegations, roles, dates and topics are used.
"""

import csv
import datetime
import re
from collections import defaultdict
from pathlib import Path

from archive.ingest.base import (
    BaseImporter,
    EventSpec,
    Failure,
    RecordError,
    SpeechRecord,
    country_key,
    decode_text,
    paragraphs_text,
)
from archive.ingest.ungdc import ordinal

FILE_RE = re.compile(r"^UNSC_(?P<year>\d{4})_SPV\.(?P<meeting>\d+)(?P<resumption>[A-Za-z0-9()]*)_spch(?P<n>\d+)\.txt$")

_TITLES = (
    r"Mr|Mrs|Ms|Miss|Mme|Sir|Dame|Dr|Lord|Lady|Baroness|Baron|Prince|Princess|Sheikh|Sheikha|"
    r"Archbishop|Cardinal|Monsignor|Judge|General|President|King|Queen|Emir|Father|Reverend|Rev|H\.\s?E"
)
HEADER_RE = re.compile(
    rf"""^\s*(?P<who>(?:The\s+[A-Z][\w\- ]{{1,60}}?|(?:{_TITLES})\.?\s+[^():\n]{{1,100}}?))\s*
    (?:\((?!spoke\b)(?P<country>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*)?
    (?:\(spoke\s+(?P<stray>[^()]{{0,400}}?)\s*in\s+(?P<lang>[A-Z][a-z]+)\)\s*)?
    :\s*""",
    re.VERBOSE | re.DOTALL,
)
CAPACITY_RE = re.compile(
    r"in\s+my\s+capacity\s+as\s+(?:the\s+)?representative\s+of\s+(?P<country>[^.,;:()]+?)\s*[.,;:(]", re.IGNORECASE
)
LANGUAGES = {
    "arabic": "ar",
    "chinese": "zh",
    "english": "en",
    "french": "fr",
    "russian": "ru",
    "spanish": "es",
    "german": "de",
    "portuguese": "pt",
    "japanese": "ja",
    "italian": "it",
    "turkish": "tr",
    "persian": "fa",
    "farsi": "fa",
    "hebrew": "he",
}
# The office holder is known from the year: terms run from 1 January.
SECRETARIES_GENERAL = [
    (1992, 1996, "Boutros Boutros-Ghali"),
    (1997, 2006, "Kofi Annan"),
    (2007, 2016, "Ban Ki-moon"),
    (2017, 2026, "António Guterres"),
]
PRESIDENT_ROLE = "President of the Security Council"


def secretary_general(year):
    for first, last, name in SECRETARIES_GENERAL:
        if first <= year <= last:
            return name
    return "Secretary-General of the United Nations"


def parse_header(text):
    """(who, delegation, language code, statement) from a speech file's text, or RecordError."""
    match = HEADER_RE.match(text)
    if not match:
        start = " ".join(text.strip().split())[:60]
        raise RecordError(f"no speaker line at the start (found {start!r})")
    language = match["lang"]
    code = ""
    if language:
        code = LANGUAGES.get(language.lower())
        if code is None:
            raise RecordError(f"unknown language {language!r} in the speaker line")
    body = text[match.end() :]
    stray = (match["stray"] or "").strip()
    if stray:
        body = f"{stray} {body}"
    who = " ".join(match["who"].split())
    country = " ".join((match["country"] or "").split())
    return who, country, code, body


def read_tsv(path):
    if not path.exists():
        return []
    data = decode_text(path.read_bytes(), path.name)
    return list(csv.DictReader(data.splitlines(), delimiter="\t"))


def parse_date(value):
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d/%m/%Y", "%B %d, %Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _lower_keys(row):
    return {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}


class UNSCImporter(BaseImporter):
    label = "UNSC"

    def __init__(self, path, **kwargs):
        super().__init__(**kwargs)
        self.path = Path(path)
        if not self.path.is_dir():
            raise RecordError(f"{self.path} is not a folder of UNSC_YYYY_SPV.NNNN_spchNNN.txt files")
        self.speaker_rows = {}
        for row in map(_lower_keys, read_tsv(self.path / "speaker.tsv")):
            if row.get("filename"):
                self.speaker_rows[Path(row["filename"]).name] = row
        self.meta_rows = {}
        for row in map(_lower_keys, read_tsv(self.path / "meta.tsv")):
            key = row.get("basename") or Path(row.get("filename", "")).stem
            if key:
                self.meta_rows[key] = row

    def meetings(self):
        """{(year, meeting number, resumption): [(speech number, path)]}, in order."""
        meetings = defaultdict(list)
        for file in self.path.iterdir():
            match = FILE_RE.match(file.name)
            if match:
                key = (int(match["year"]), int(match["meeting"]), match["resumption"])
                meetings[key].append((int(match["n"]), file))
        return {key: sorted(files) for key, files in sorted(meetings.items())}

    def expected_total(self):
        return sum(len(files) for files in self.meetings().values())

    def records(self):
        for (year, meeting, resumption), files in self.meetings().items():
            symbol = f"S/PV.{meeting}{resumption}"
            basename = f"UNSC_{year}_SPV.{meeting}{resumption}"
            parsed = []
            for number, file in files:
                try:
                    who, country, language, body = parse_header(decode_text(file.read_bytes(), file.name))
                    parsed.append((number, file, who, country, language, body))
                except RecordError as error:
                    parsed.append((number, file, None, None, None, str(error)))
            presiding = self.presiding_country(parsed)
            event = self.meeting_event(year, meeting, symbol, basename)
            for number, file, who, country, language, body in parsed:
                if who is None:
                    yield Failure(file.name, body)
                    continue
                try:
                    yield self.record(year, symbol, event, number, file, who, country, language, body, presiding)
                except RecordError as error:
                    yield Failure(file.name, str(error))

    def presiding_country(self, parsed):
        """The presiding member, where the President says "in my capacity as the representative of X"."""
        for _number, _file, who, _country, _language, body in parsed:
            if who and who.lower() in ("the president", "the acting president"):
                found = CAPACITY_RE.search(body)
                if found and self.country_pk(found["country"]):
                    return found["country"].strip()
        return ""

    def country_pk(self, name):
        return self.countries_by_name.get(country_key(name))

    def meeting_event(self, year, meeting, symbol, basename):
        meta = self.meta_rows.get(basename, {})
        date = parse_date(meta.get("date"))
        topic = meta.get("topic", "")
        title = f"Security Council, {ordinal(meeting)} meeting ({symbol})" + (f": {topic}" if topic else "")
        return EventSpec(
            slug=f"security-council-{symbol.lower().replace('/', '-').replace('.', '-')}",
            title=title[:400],
            body_slug="security-council",
            date=date or datetime.date(year, 1, 1),
            date_precision="day" if date else "year",
            kind="meeting",
            meeting_symbol=symbol,
            agenda_item=topic[:400],
        )

    def record(self, year, symbol, event, number, file, who, country, language, body, presiding):
        row = self.speaker_rows.get(file.name, {})
        role = row.get("role_in_un", "")
        lowered = who.lower()
        if lowered in ("the president", "the acting president"):
            country = country or presiding
            name = row.get("speaker") or (f"{PRESIDENT_ROLE} ({country})" if country else PRESIDENT_ROLE)
            role = role or PRESIDENT_ROLE
        elif lowered == "the secretary-general":
            name = row.get("speaker") or secretary_general(year)
            role = role or "Secretary-General of the United Nations"
        elif lowered.startswith("the "):
            name = row.get("speaker") or who[4:]
            role = role or who[4:]
        else:
            name = row.get("speaker") or who
        country = row.get("country") or country
        text = paragraphs_text(body)
        return SpeechRecord(
            external_id=f"UNSC:{symbol}:{number}",
            file_name=file.name,
            speaker_name=name,
            country_name=country,
            event=event,
            date=event.date,
            date_precision=event.date_precision,
            role=role,
            position=number,
            language="en",
            original_language="" if language in ("", "en") else language,
            text=text,
        )
