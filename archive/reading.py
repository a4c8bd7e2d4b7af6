"""Reading one statement: its numbered paragraphs (``#p12``), the searched words marked when the
reader arrives from a search, the way back to those results, and the official record's address.

Everything here returns escaped text or plain values; the only markup added is ``<mark>``.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

MAX_TERMS = 20
_FIELD_OPERATOR = re.compile(r'\b\w+:("[^"]*"|\S+)')
_WORD = re.compile(r"\w[\w'\u2019-]*\w|\w")
_NOT_WORDS = {"AND", "OR", "NOT", "TO"}
# Endings dropped before matching, so that "financing" also marks "financed" (the search stems).
_SUFFIXES = (
    "ations",
    "ation",
    "ings",
    "ing",
    "isms",
    "ism",
    "ists",
    "ist",
    "ies",
    "ied",
    "es",
    "ed",
    "s",
    "al",
    "e",
    "y",
)


@dataclass
class Paragraph:
    number: int
    html: str  # escaped text with the searched words in <mark>
    matches: int

    @property
    def anchor(self):
        return f"p{self.number}"


def search_terms(q):
    """The words of a query worth marking: not operators, not field filters, not excluded words."""
    q = _FIELD_OPERATOR.sub(" ", (q or "")[:500])
    q = re.sub(r"(?:^|\s)-\S+", " ", q)  # -excluded words are not in the text
    terms = []
    for word in _WORD.findall(q):
        if word.upper() in _NOT_WORDS and word.isupper():
            continue
        stem = word.lower()
        for suffix in _SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 4:
                stem = stem[: -len(suffix)]
                break
        if stem not in terms:
            terms.append(stem)
    return terms[:MAX_TERMS]


def paragraphs(text, q=""):
    """The statement's paragraphs, numbered from 1, with the words of ``q`` marked."""
    terms = search_terms(q)
    pattern = None
    if terms:
        alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)
    result = []
    for number, part in enumerate((p for p in text.split("\n\n") if p.strip()), start=1):
        if pattern is None:
            result.append(Paragraph(number, escape(part), 0))
            continue
        pieces, position, matches = [], 0, 0
        for match in pattern.finditer(part):
            pieces += [escape(part[position : match.start()]), "<mark>", escape(match.group(0)), "</mark>"]
            position = match.end()
            matches += 1
        pieces.append(escape(part[position:]))
        result.append(Paragraph(number, mark_safe("".join(pieces)), matches))  # noqa: S308 - escaped above
    return result


def back_to_results(request):
    """The search a reader came from (``?back=/search/?...``), only ever a local search URL."""
    back = request.GET.get("back", "")
    if not back.startswith("/search/") or len(back) > 2000:
        return None
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return None
    return back


def from_search(search_params):
    """The query string a search result's link carries to the statement page."""
    back = "/search/" + ("?" + urlencode(search_params) if search_params else "")
    q = next((value for key, value in search_params if key == "q"), "")
    return urlencode([*([("q", q)] if q else []), ("back", back)])


def official_document(speech):
    """(label, url) of the official record of the meeting, where the archive knows it: a meeting
    symbol (S/PV.8700, A/75/PV.4) on the UN Official Document System; a General Assembly general
    debate by its session's plenary records in the UN Digital Library."""
    event = speech.event if speech.event_id else None
    symbol = event.meeting_symbol.strip() if event and event.meeting_symbol else ""
    if symbol:
        return f"{symbol}, UN Official Document System", f"https://undocs.org/en/{quote(symbol, safe='/.()')}"
    match = re.match(r"UNGDC:[A-Z]{2,3}_(\d{1,3})_\d{4}$", speech.external_id or "")
    if match:
        from archive.ingest.ungdc import ordinal

        session = int(match.group(1))
        query = urlencode({"ln": "en", "p": f"A/{session}/PV."})
        return (
            f"Verbatim records of the {ordinal(session)} session of the General Assembly (A/{session}/PV.…),"
            " UN Digital Library",
            f"https://digitallibrary.un.org/search?{query}",
        )
    return None
