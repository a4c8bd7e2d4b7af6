"""What a corpus importer reads and reports: records of speeches and meetings, failures, the run's
counts, and text decoded from files (UTF-8 or Windows-1252)."""

import datetime
from dataclasses import dataclass, field


class RecordError(ValueError):
    """A record that cannot be imported; the message is the reason shown to the user."""


@dataclass(frozen=True)
class EventSpec:
    slug: str
    title: str
    body_slug: str
    date: datetime.date
    kind: str
    date_precision: str = "day"
    meeting_symbol: str = ""
    agenda_item: str = ""


@dataclass
class SpeechRecord:
    external_id: str
    file_name: str
    speaker_name: str
    event: EventSpec
    date: datetime.date
    text: str
    date_precision: str = "day"
    country_code: str = ""
    country_name: str = ""
    role: str = ""
    position: int | None = None
    language: str = "en"
    original_language: str = ""
    title: str = ""
    # The name is a family name alone, as UN records give it ("Mr. Pecsteen de Buytswerve").
    surname_only: bool = False


@dataclass(frozen=True)
class Failure:
    file_name: str
    reason: str


# The speech fields an import owns: a re-run compares exactly these to decide "unchanged".
COMPARED_FIELDS = [
    "speaker_id",
    "event_id",
    "country_id",
    "role",
    "date",
    "date_precision",
    "position",
    "language",
    "original_language",
    "title",
    "text",
]
COUNTERS = ["created", "updated", "unchanged", "speakers_created", "aliases_added", "events_created"]


@dataclass
class Stats:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list = field(default_factory=list)
    speakers_created: int = 0
    aliases_added: int = 0
    events_created: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    # What was imported but needs an editor's eye: {"section": ["file or meeting: detail", ...]}.
    notes: dict = field(default_factory=dict)

    def note(self, section, line):
        self.notes.setdefault(section, []).append(line)

    @property
    def failed(self):
        return len(self.failures)

    @property
    def rate(self):
        return self.read / self.seconds if self.seconds else 0.0

    def summary(self, label):
        lines = [
            f"{label}: {self.read} speeches read in {self.seconds:.1f} s ({self.rate:.0f}/s): "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.failed} failed; "
            f"{self.speakers_created} speakers created, {self.aliases_added} aliases added, "
            f"{self.events_created} events created."
        ]
        if self.read and not (self.created or self.updated or self.failed):
            lines.append(f"Nothing changed: all {self.unchanged} speeches were already up to date.")
        for section, items in self.notes.items():
            lines.append(f"{section} ({len(items)}):")
            lines.extend(f"  {item}" for item in items)
        if self.failures:
            lines.append("Failed:")
            lines.extend(f"  {failure.file_name}: {failure.reason}" for failure in self.failures)
        if self.dry_run:
            lines.append("Dry run: nothing was saved.")
        return "\n".join(lines)


def decode_text(data, file_name=""):
    """UTF-8 when it is (with or without a BOM), else Windows-1252, the corpora's other encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise RecordError(f"neither UTF-8 nor Windows-1252 text (byte {error.start})") from None


def paragraphs_text(text):
    """One paragraph per non-blank line, joined by a blank line: the form ``Speech.paragraphs`` reads."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
