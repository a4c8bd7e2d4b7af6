"""When a statement was made, from the relative dates news reports use ("on Thursday", "last week")."""

import datetime
import re
from dataclasses import dataclass

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
PATTERNS = [
    ("month-day", re.compile(rf"\b(?:on\s+)?{_MONTH}\s+{_DAY}\b{_YEAR}", re.I)),
    ("day-month", re.compile(rf"\b(?:on\s+)?{_DAY}\s+{_MONTH}\b{_YEAR}", re.I)),
    ("weekday", re.compile(r"\b(?:on|last|this)\s+(?P<weekday>" + "|".join(WEEKDAYS) + r")\b", re.I)),
    ("relative", re.compile(r"\b(?P<relative>yesterday|today|last week|last month|earlier this week)\b", re.I)),
]
# A date next to a reporting verb is the date of the statement, not of something it mentions.
_CUE_NEAR = re.compile(r"\b(said|told|says|added|noted|stressed|urged|warned|stated|announced)\b", re.I)


@dataclass
class ResolvedDate:
    date: datetime.date
    precision: str  # "day", "month" or "year", as Speech.DatePrecision
    phrase: str  # the words it was read from, "" when it is the publication date
    start: int = -1


def resolve_phrase(match, kind, published):
    """The date one matched phrase means, read against the publication date."""
    if kind == "weekday":
        target = WEEKDAYS.index(match.group("weekday").lower())
        back = (published.weekday() - target) % 7
        if match.group(0).lower().startswith("last") and back == 0:
            back = 7
        return published - datetime.timedelta(days=back), "day"
    if kind == "relative":
        word = match.group("relative").lower()
        if word == "yesterday":
            return published - datetime.timedelta(days=1), "day"
        if word == "today":
            return published, "day"
        if word == "last month":
            first = published.replace(day=1) - datetime.timedelta(days=1)
            return first.replace(day=1), "month"
        # "last week": only the month is certain enough to record.
        day = published - datetime.timedelta(days=7 if word == "last week" else 2)
        return day.replace(day=1), "month"
    month = MONTHS[match.group("month").lower().rstrip(".")]
    day = int(match.group("day"))
    year = int(match.group("year")) if match.group("year") else published.year
    try:
        found = datetime.date(year, month, day)
    except ValueError:
        return None, ""
    if not match.group("year") and found > published + datetime.timedelta(days=7):
        # "on Dec. 30" in a report published on 2 January is last year's.
        try:
            found = found.replace(year=year - 1)
        except ValueError:
            return None, ""
    return found, "day"


def find_dates(text, published):
    """Every date phrase in ``text`` with what it resolves to, in reading order."""
    found = []
    taken = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            date, precision = resolve_phrase(match, kind, published)
            if date is None:
                continue
            taken.append((match.start(), match.end()))
            found.append(ResolvedDate(date, precision, match.group(0), match.start()))
    return sorted(found, key=lambda d: d.start)


# A dateline: "UNITED NATIONS, March 12 (Xinhua) --", "GENEVA, Oct. 3 -", at the start of the report.
_DATELINE_PLACE = re.compile(r"^\s*[A-Z][A-Z.'’ -]+(?:,\s*[A-Z][\w.'’ -]*)?,\s*$")


def in_dateline(text, candidate):
    """Whether a date phrase is the report's dateline (when it was filed), not when anything was said."""
    return bool(_DATELINE_PLACE.match(text[: candidate.start])) or (
        candidate.start < 80
        and "\n" not in text[: candidate.start]
        and re.match(r"\s*(?:\([^)\n]{1,60}\))?\s*(?:--|—|–|-)\s", text[candidate.start + len(candidate.phrase) :])
        is not None
    )


def statement_date(text, published):
    """The date of the statement a report is about; the publication date when the text says nothing.

    A dateline names the day the report was filed: any other date in the text ("on Thursday",
    "yesterday") beats it, resolved against the publication date.
    """
    if published is None:
        return None
    found = [d for d in find_dates(text, published) if d.date <= published]
    candidates = [d for d in found if not in_dateline(text, d)] or found
    for candidate in candidates:
        before = text[max(0, candidate.start - 30) : candidate.start].rsplit(".", 1)[-1]
        after = text[candidate.start + len(candidate.phrase) : candidate.start + len(candidate.phrase) + 15]
        if _CUE_NEAR.search(before) or _CUE_NEAR.search(after.split(".", 1)[0]):
            return candidate
    if candidates:
        return candidates[0]
    return ResolvedDate(published, "day", "")
