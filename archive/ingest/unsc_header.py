"""The speaker line of a Security Council verbatim record: "Mr. Nebenzia (Russian Federation) (spoke
in Russian):", "The President:", "The Secretary-General:" - who speaks, for which delegation, in
which language (archive/ingest/unsc.py reads the files)."""

import re
from typing import NamedTuple

import pycountry

from archive.ingest.records import RecordError

TITLES = (
    r"Mr|Mrs|Ms|Miss|Mme|Madam|Madame|Sir|Dame|Dr|Lord|Lady|Baroness|Baron|Prince|Princess|Sheikh|Sheikha|"
    r"Archbishop|Cardinal|Monsignor|Msgr|Bishop|Judge|General|Lieutenant\s+General|Major\s+General|President|King|"
    r"Queen|Emir|Father|Reverend|Rev|Dato|Datuk|Tan\s+Sri|Ambassador|Professor|Prof|H\.\s?E"
)


# The speaker line: who, then any number of brackets in any order (delegation, "spoke in X"), then ":".
HEADER_RE = re.compile(
    r"""^\s*(?P<who>[^():\n]{1,120}?)\s*
    (?P<brackets>(?:\((?:[^()]|\([^()]*\))*\)\s*){0,4})
    :\s*""",
    re.VERBOSE,
)
_BRACKET_RE = re.compile(r"\(((?:[^()]|\([^()]*\))*)\)")
_SPOKE_RE = re.compile(r"^spoke\s+(?P<stray>.*?)\s*\bin\s+(?P<lang>[A-Z][a-z]+)\b(?P<rest>[^()]*)$", re.DOTALL)
TITLED_RE = re.compile(rf"^(?:(?:{TITLES})\.?\s+)+(?P<name>\S.*)$")
_OFFICE_RE = re.compile(r"^The\s+[A-Z][\w\-]*(?:\s+[\w\-'’]+){0,14}$")
_PRESIDENT_RE = re.compile(r"^(?:The|Mr|Mrs|Ms|Madam|Madame)\.?\s+(?:Acting\s+)?President$", re.IGNORECASE)


# A name without a title: capitalised words (and the particles names carry), no digits or sentence marks.
PARTICLES = {
    "de",
    "da",
    "del",
    "della",
    "di",
    "do",
    "dos",
    "das",
    "du",
    "van",
    "von",
    "der",
    "den",
    "bin",
    "binti",
    "bint",
    "ibn",
    "al",
    "el",
    "la",
    "le",
    "y",
    "e",
    "ter",
    "zu",
}
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.\-]*$")


def _looks_like_name(words):
    if not words or len(words) > 7 or not words[0][0].isupper():
        return False
    for word in words:
        if not _NAME_WORD.match(word):
            return False
        if not word[0].isupper() and word.lower() not in PARTICLES:
            return False
    return True


class Header(NamedTuple):
    who: str  # "Mr. Nebenzia", "The President", "Dato Lim Jock Hoi"
    country: str  # the delegation as written, or ""
    language: str  # ISO 639-1 of the language spoken, "" for English or not said
    body: str  # the statement
    extra: tuple = ()  # other brackets: "on behalf of ...", an office


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


def language_code(name):
    """ISO 639-1 for a language named in English ("Amharic" -> "am"): the corpus's list, then ISO 639."""
    code = LANGUAGES.get(name.lower())
    if code is None:
        language = pycountry.languages.get(name=name)
        code = getattr(language, "alpha_2", None)
    return code


def parse_header(text):
    """The speaker line of a speech file as a ``Header``, or RecordError when there is none.

    Handles titles or none, brackets in either order (several, nested: "(Venezuela (Bolivarian
    Republic of))"), "Mr. President" (the presiding member), offices ("The Prime Minister of X")
    and a sentence PDF extraction dropped into "(spoke ... in French)".
    """
    match = HEADER_RE.match(text)
    who = " ".join(match["who"].split()) if match else ""
    brackets = _BRACKET_RE.findall(match["brackets"]) if match else []
    if not match or not _speaker_like(who, brackets):
        start = " ".join(text.strip().split())[:60]
        raise RecordError(f"no speaker line at the start (found {start!r})")
    code, stray, country, extra = "", "", "", []
    for inside in brackets:
        inside = " ".join(inside.split())
        spoke = _SPOKE_RE.match(inside)
        if spoke:
            code = language_code(spoke["lang"])
            if code is None:  # an OCR-broken or unlisted language: the speaker is still read
                code = ""
                extra.append(f"spoke in {spoke['lang']}")
            stray = spoke["stray"].strip()
        elif not country and not re.match(r"(?i)(on behalf|speaking|interpretation)\b", inside):
            country = inside
        else:
            extra.append(inside)
    if _PRESIDENT_RE.match(who):
        who = "The Acting President" if "acting" in who.lower() else "The President"
    body = text[match.end() :]
    if stray:
        body = f"{stray} {body}"
    return Header(who, country, code, body, tuple(extra))


def _speaker_like(who, brackets):
    if not who or re.search(r"[\d,;!?\"“”]", who):
        return False
    if _PRESIDENT_RE.match(who) or _OFFICE_RE.match(who):
        return True
    titled = TITLED_RE.match(who)
    if titled:
        return _looks_like_name(titled["name"].split()) or titled["name"].strip() == "President"
    words = who.split()
    # One word alone is a name only with a bracket beside it ("Moussa (spoke in French):").
    return _looks_like_name(words) and (len(words) > 1 or bool(brackets))


def is_president(who):
    return who.lower() in ("the president", "the acting president")
