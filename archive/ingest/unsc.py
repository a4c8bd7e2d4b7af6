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

from archive.ingest import names
from archive.ingest.base import BaseImporter
from archive.ingest.records import EventSpec, Failure, RecordError, SpeechRecord, decode_text, paragraphs_text
from archive.ingest.ungdc import ordinal
from archive.ingest.unsc_header import PRESIDENT_ROLE, TITLED_RE, Header, is_president, parse_header, secretary_general
from archive.ingest.unsc_roles import congratulated, country_after_of, invitees, self_identified

FILE_RE = re.compile(r"^UNSC_(?P<year>\d{4})_SPV\.(?P<meeting>\d+)(?P<resumption>[A-Za-z0-9()]*)_spch(?P<n>\d+)\.txt$")


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


def read_presidencies(path):
    """{(year, month): country as written} from a CSV with columns year, month, country."""
    table = {}
    data = decode_text(Path(path).read_bytes(), Path(path).name)
    for row in map(_lower_keys, csv.DictReader(data.splitlines())):
        try:
            table[(int(row["year"]), int(row["month"]))] = row["country"]
        except (KeyError, ValueError):
            raise RecordError(f"{path}: each row needs year, month and country (got {row})") from None
    return table


def read_meeting_dates(path):
    """{symbol: (date, agenda)} from a CSV with columns symbol, date and optionally agenda."""
    meetings = {}
    data = decode_text(Path(path).read_bytes(), Path(path).name)
    for row in map(_lower_keys, csv.DictReader(data.splitlines())):
        date = parse_date(row.get("date"))
        if row.get("symbol") and date:
            meetings[row["symbol"].replace(" ", "")] = (date, row.get("agenda", ""))
    return meetings


def _meeting_number(symbol):
    match = re.match(r"S/PV\.(\d+)", symbol or "")
    return int(match.group(1)) if match else None


class UNSCImporter(BaseImporter):
    label = "UNSC"

    def __init__(self, path, *, presidencies=None, meeting_dates=None, **kwargs):
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
        self.presidency_table = read_presidencies(presidencies) if presidencies else {}
        self.meeting_dates = read_meeting_dates(meeting_dates) if meeting_dates else {}

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

    def _parse_meeting(self, files):
        parsed = []
        for number, file in files:
            try:
                text = decode_text(file.read_bytes(), file.name)
            except RecordError as error:
                parsed.append((number, file, None, str(error)))
                continue
            try:
                parsed.append((number, file, parse_header(text), text))
            except RecordError as error:
                parsed.append((number, file, error, text))
        return parsed

    def records(self):
        meetings = self.meetings()
        presiding = self.presidencies(meetings)
        for (year, meeting, resumption), files in meetings.items():
            symbol = f"S/PV.{meeting}{resumption}"
            basename = f"UNSC_{year}_SPV.{meeting}{resumption}"
            parsed = self._parse_meeting(files)
            event = self.meeting_event(year, meeting, symbol, basename)
            briefers = self.briefers(parsed)
            for number, file, header, text in parsed:
                if header is None:
                    yield Failure(file.name, text)
                    continue
                try:
                    if isinstance(header, RecordError):
                        yield self.unidentified(symbol, event, number, file, text, header)
                    else:
                        yield self.record(
                            year, symbol, event, number, file, header, presiding[(year, meeting, resumption)], briefers
                        )
                except RecordError as error:
                    yield Failure(file.name, str(error))

    # -- the presidency -------------------------------------------------------------------------

    def presidencies(self, meetings):
        """{(year, meeting, resumption): country pk or None}: table, the record's words, then neighbours."""
        resolve = self.countries.resolve
        found, evidence = {}, {}
        for key, files in meetings.items():
            year, meeting, resumption = key
            date = self._meeting_date(year, f"S/PV.{meeting}{resumption}", f"UNSC_{year}_SPV.{meeting}{resumption}")
            written = self.presidency_table.get((date.year, date.month)) if date else None
            if written:
                pk = resolve(written)
                if pk is None:
                    raise RecordError(f"presidency table: unknown country {written!r}")
                found[key], evidence[key] = pk, "table"
                continue
            own, others = set(), set()
            for _number, _file, header, _text in self._parse_meeting(files):
                if not isinstance(header, Header):
                    continue
                if is_president(header.who):
                    own |= self_identified(header.body, resolve)
                else:
                    others |= congratulated(header.body, resolve)
            if len(own) == 1:
                found[key], evidence[key] = own.pop(), "statement"
            elif not own and len(others) == 1:
                found[key], evidence[key] = others.pop(), "congratulations"
            else:
                found[key] = None
                evidence[key] = "conflicting evidence" if own or others else "no evidence"
        self._propagate(found, evidence)
        for key, pk in found.items():
            if pk is None:
                year, meeting, resumption = key
                self.stats.note(
                    "President not identified (left as 'President of the Security Council')",
                    f"S/PV.{meeting}{resumption} ({year}): {evidence[key]}",
                )
        return found

    def _propagate(self, found, evidence):
        """A presidency lasts a month and meetings are numbered in order: a meeting between two with the
        same presidency in the same year has it too. Meetings already in the archive count as neighbours."""
        known = {(key[0], key[1]): pk for key, pk in found.items() if pk is not None}
        known.update(self._stored_presidencies(known))
        resolved = sorted(known.items())
        for key, pk in found.items():
            if pk is not None:
                continue
            year, meeting = key[0], key[1]
            before = [p for (y, m), p in resolved if y == year and m < meeting]
            after = [p for (y, m), p in resolved if y == year and m > meeting]
            if before and after and before[-1] == after[0]:
                found[key], evidence[key] = before[-1], "neighbouring meetings"

    def _stored_presidencies(self, skip):
        from archive.models import Speech

        stored = {}
        rows = (
            Speech.objects.filter(role=PRESIDENT_ROLE, event__body__slug="security-council")
            .exclude(country=None)
            .values_list("event__meeting_symbol", "date", "country_id")
            .distinct()
        )
        for symbol, date, country_id in rows:
            number = _meeting_number(symbol)
            if number is not None and (date.year, number) not in skip:
                stored[(date.year, number)] = country_id
        return stored

    # -- briefers -------------------------------------------------------------------------------

    def briefers(self, parsed):
        """{surname key: (full name, role)} from the President's rule-39 invitations in this meeting."""
        invited = defaultdict(set)
        for _number, _file, header, _text in parsed:
            if isinstance(header, Header) and is_president(header.who):
                for name, role in invitees(header.body):
                    key = names.name_key(name)
                    for part in {key.split(" ")[-1], key.split(" ")[0], key}:
                        invited[part].add((name, role))
        return {part: next(iter(found)) for part, found in invited.items() if len(found) == 1}

    # -- records --------------------------------------------------------------------------------

    def _meeting_date(self, year, symbol, basename):
        if symbol in self.meeting_dates:
            return self.meeting_dates[symbol][0]
        return parse_date(self.meta_rows.get(basename, {}).get("date"))

    def meeting_event(self, year, meeting, symbol, basename):
        meta = self.meta_rows.get(basename, {})
        date = self._meeting_date(year, symbol, basename)
        topic = self.meeting_dates[symbol][1] if symbol in self.meeting_dates else meta.get("topic", "")
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

    def unidentified(self, symbol, event, number, file, text, error):
        """A speech whose speaker line cannot be read: kept whole, under the meeting's unidentified speaker."""
        first = " ".join(text.strip().split())[:80]
        self.stats.note("Speaker line not read (imported as 'Unidentified speaker')", f"{file.name}: {first!r}")
        return SpeechRecord(
            external_id=f"UNSC:{symbol}:{number}",
            file_name=file.name,
            speaker_name=f"Unidentified speaker (meeting {symbol[5:]})",
            event=event,
            date=event.date,
            date_precision=event.date_precision,
            position=number,
            text=paragraphs_text(text),
        )

    def code_of(self, pk):
        return self.country_codes.get(pk, "") if pk else ""

    def record(self, year, symbol, event, number, file, header, presiding, briefers):
        row = self.speaker_rows.get(file.name, {})
        role = row.get("role_in_un", "")
        who, written_country = header.who, header.country
        country_pk = None
        if written_country:
            country_pk = self.countries.resolve(written_country)
            if country_pk is None:
                # An organisation or a name no list has: keep what the record says, as the role.
                self.stats.note("Delegation not recognised (kept as the role)", f"{file.name}: {written_country!r}")
                role = role or written_country
        for aside in header.extra:
            if aside.startswith("spoke in "):
                self.stats.note("Language not recognised (left empty)", f"{file.name}: {aside!r}")
        country = self.code_of(country_pk)
        name = row.get("speaker", "")
        surname_only = False
        if is_president(who):
            country = country or self.code_of(presiding)
            name = name or (f"{PRESIDENT_ROLE} ({self.country_names[country]})" if country else PRESIDENT_ROLE)
            role = role or PRESIDENT_ROLE
        elif who.lower() == "the secretary-general":
            name = name or secretary_general(year)
            role = role or "Secretary-General of the United Nations"
        elif who.startswith("The "):
            office = who[4:]
            name = name or office
            role = role or office
            if not country:
                country = self.code_of(country_after_of(office, self.countries.resolve))
        else:
            written = who
            if not country and not name:
                invited = briefers.get(names.name_key(written))
                if invited:
                    name, role = invited[0], role or invited[1]
            # UN records give a titled speaker's family name alone ("Mr. Pecsteen de Buytswerve").
            surname_only = not name and TITLED_RE.match(who) is not None
            name = name or written
        return SpeechRecord(
            external_id=f"UNSC:{symbol}:{number}",
            file_name=file.name,
            speaker_name=name,
            country_name=row.get("country", ""),
            country_code="" if row.get("country") else country,
            event=event,
            date=event.date,
            date_precision=event.date_precision,
            role=role,
            position=number,
            language="en",
            original_language="" if header.language in ("", "en") else header.language,
            text=paragraphs_text(header.body),
            surname_only=surname_only,
        )
