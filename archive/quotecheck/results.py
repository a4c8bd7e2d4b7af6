"""What a quote check works with and gives: records, differences, alignments, verdicts."""

from dataclasses import dataclass, field

from archive.quotecheck.words import normal_words

METHOD = "quotecheck-v1"
VERBATIM = "verbatim"
ALTERED = "altered"
TRANSLATION_DIFFERS = "translation-differs"
NOT_FOUND = "not-found"
NO_RECORD = "no-record"
OTHER_LANGUAGE = "other-language"
VERDICTS = [
    (VERBATIM, "Verbatim"),
    (ALTERED, "Altered"),
    (TRANSLATION_DIFFERS, "Translation differs"),
    (NOT_FOUND, "Not in the record"),
    (NO_RECORD, "No official record to check against"),
    (OTHER_LANGUAGE, "Record in another language"),
]
VERDICT_LABELS = dict(VERDICTS)
DIFFERENCE_KINDS = ("substituted", "inserted", "omitted", "reordered")


def primary_language(code):
    return (code or "").split("-")[0].lower()


@dataclass(frozen=True)
class Record:
    """One official text a quotation may come from."""

    key: str  # stable within the archive: "speech:12" (a corpus record), "source:5" (a transcript)
    label: str  # what the page says was used: "UN verbatim record S/PV.8700"
    text: str
    language: str = "en"
    delivered_in: str = ""  # the language spoken, when it is not the record's language
    own_text: bool = False  # the speaker's own published text (a mission's statement)
    same_statement: bool = True  # a record of the quoted statement itself (else: same speaker, days apart)

    @property
    def is_translation(self):
        """A record in another language than the one spoken, not published by the speaker."""
        spoken = primary_language(self.delivered_in)
        return bool(spoken) and spoken != primary_language(self.language) and not self.own_text


@dataclass
class Difference:
    kind: str  # substituted / inserted / omitted / reordered
    quote: str = ""  # the quotation's words (as written in it)
    record: str = ""  # the record's words (as written in it)
    quote_start: int = 0  # character offsets into the quotation
    quote_end: int = 0
    record_start: int = 0  # character offsets into the record
    record_end: int = 0

    def key(self):
        """A comparable form: kind, then the normalised words of each side."""
        return f"{self.kind}:{' '.join(normal_words(self.quote))}>{' '.join(normal_words(self.record))}"

    def as_dict(self):
        return {
            "kind": self.kind,
            "quote": self.quote,
            "record": self.record,
            "quote_start": self.quote_start,
            "quote_end": self.quote_end,
            "record_start": self.record_start,
            "record_end": self.record_end,
        }


@dataclass
class Alignment:
    """A quotation against one record: its best passage and the differences."""

    score: float  # 0-1, word-level similarity of quotation and passage
    start: int  # the passage's character offsets in the record
    end: int
    differences: list = field(default_factory=list)
    segments: list = field(default_factory=list)  # [(quote_start, quote_end, record_start, record_end)] matched

    @property
    def verbatim(self):
        return not self.differences


@dataclass
class Result:
    verdict: str
    score: float = 0.0
    record: Record | None = None
    start: int | None = None
    end: int | None = None
    differences: list = field(default_factory=list)
    segments: list = field(default_factory=list)
    records_checked: int = 0

    @property
    def passage(self):
        if self.record is None or self.start is None:
            return ""
        return self.record.text[self.start : self.end]

    @property
    def label(self):
        return VERDICT_LABELS[self.verdict]
