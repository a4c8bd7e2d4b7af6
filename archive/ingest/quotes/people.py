"""People named in one article: resolving a mention ("he", "the ambassador", "Zhang") to a person."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from lemminflect import getAllLemmas

from archive.ingest import names
from archive.ingest.names import name_tokens, same_person
from archive.ingest.quotes.patterns import (
    _NAME_JOIN,
    _NAME_WORD,
    _PARAGRAPH_SUBJECT,
    FIRST_PERSON,
    NAME,
    NOT_NAMES,
    PRONOUNS,
    ROLE,
    ROLE_NOUNS,
    TITLE_WORDS,
)


@dataclass
class Person:
    name: str
    appositives: list = field(default_factory=list)
    quote_count: int = 0
    gender: str = ""  # "f", "m" or "" when the article does not say (titles, gendered role nouns)

    @property
    def tokens(self):
        return name_tokens(self.name)


class Attributor:
    """Resolves mentions (names, pronouns, role nouns) to people named in the article."""

    def __init__(self, text):
        self.text = text
        self.people = []
        self.last_speaker = None
        self.speakers = []  # people in the order they were last attributed a quotation, latest last

    def person_for_name(self, name, appositive=""):
        name = _strip_possessive(name)
        for person in self.people:
            if same_person(name, person.name):
                if len(name_tokens(name)) > len(person.tokens):
                    person.name = _drop_title(name)
                if appositive and appositive not in person.appositives:
                    person.appositives.append(appositive)
                return person
        # A surname alone ("Halvorsen said") names the person the article introduced in full
        # ("Viktor Halvorsen, Norway's deputy permanent representative, ...").
        full = _full_name_in_text(self.text, name) or name
        person = Person(_drop_title(full), [appositive] if appositive else [])
        for found in _appositives_in_text(self.text, person.name):
            if found not in person.appositives:
                person.appositives.append(found)
        person.gender = _gender_in_text(self.text, person)
        self.people.append(person)
        return person

    def attributed(self, person):
        """Record that ``person`` was just given a quotation (pronouns refer back to them)."""
        self.last_speaker = person
        if person in self.speakers:
            self.speakers.remove(person)
        self.speakers.append(person)

    def by_pronoun(self, pronoun, pos):
        """Who "he"/"she" refers to: the person a paragraph opens with, else the latest speaker,
        skipping people the article gives the other gender ("Ms. Diallo" is not "he")."""
        gender = {"he": "m", "she": "f"}.get(pronoun, "")

        def fits(person):
            return person is not None and not (gender and person.gender and person.gender != gender)

        para_start = self.text.rfind("\n", 0, pos) + 1
        subject = _PARAGRAPH_SUBJECT.match(self.text[para_start:pos])
        if subject:
            who = subject.group("who")
            if _looks_like_name(who):
                known = next((p for p in self.people if same_person(_strip_possessive(who), p.name)), None)
                if fits(known):
                    return known, 0.8
        if fits(self.last_speaker):
            return self.last_speaker, 0.8
        for person in reversed(self.speakers):
            if fits(person):
                return person, 0.7
        return None, 0.3

    def resolve(self, mention, role="", appositive="", pos=0):
        """(person or None, pattern, confidence) for a mention."""
        word = mention.strip()
        if not word:
            return None, "none", 0.3
        if word.lower() in PRONOUNS:
            if word.lower() in FIRST_PERSON:
                return None, "first-person", 0.3
            if self.last_speaker is not None:
                person, confidence = self.by_pronoun(word.lower(), pos)
                return person, "pronoun", confidence
            person = self.nearest_named_before(pos)
            return (person, "pronoun", 0.6) if person else (None, "pronoun", 0.3)
        if role:
            person = self.person_with_role(role)
            return (person, "role", 0.75) if person else (None, "role", 0.4)
        if not _looks_like_name(word):
            return None, "none", 0.3
        return self.person_for_name(word, appositive), "name", 0.95

    def person_with_role(self, role):
        role = role.lower()
        synonyms = ROLE_SYNONYMS.get(role, {role})
        for person in reversed(self.people):
            for appositive in person.appositives:
                if any(re.search(rf"\b{re.escape(s)}\b", appositive.lower()) for s in synonyms):
                    return person
        if self.last_speaker is not None and role in ROLE_SYNONYMS:
            return self.last_speaker
        return None

    def nearest_named_before(self, pos):
        best = None
        for match in re.finditer(NAME, self.text[max(0, pos - 600) : pos]):
            candidate = match.group()
            if _looks_like_name(candidate) and len(name_tokens(candidate)) >= 2:
                best = candidate
        return self.person_for_name(best) if best else None


ROLE_SYNONYMS = {
    "ambassador": {"ambassador", "envoy", "permanent representative", "representative"},
    "envoy": {"ambassador", "envoy", "permanent representative", "representative"},
    "representative": {"ambassador", "envoy", "representative"},
    "diplomat": {"ambassador", "envoy", "representative", "diplomat"},
    "minister": {"minister"},
    "spokesman": {"spokesman", "spokesperson", "spokeswoman"},
    "spokeswoman": {"spokesman", "spokesperson", "spokeswoman"},
    "spokesperson": {"spokesman", "spokesperson", "spokeswoman"},
    "president": {"president"},
    "secretary": {"secretary"},
    "candidate": {"candidate", "nominee"},
    "nominee": {"candidate", "nominee"},
}


_FEMALE_TITLE = names.FEMALE_TITLES
_MALE_TITLE = names.MALE_TITLES


def _gender_in_text(text, person):
    """ "f"/"m" when the article gives the person a gendered title or role noun, else ""."""
    surname = re.escape(person.name.split()[-1])
    female = re.search(rf"\b{_FEMALE_TITLE}\s+(?:[A-Z][\w'’-]+\s+)*?{surname}\b", text)
    male = re.search(rf"\b{_MALE_TITLE}\s+(?:[A-Z][\w'’-]+\s+)*?{surname}\b", text)
    roles = " ".join(person.appositives).lower()
    female = female or re.search(r"\b(?:spokeswoman|chairwoman|congresswoman|businesswoman|queen)\b", roles)
    male = male or re.search(r"\b(?:spokesman|chairman|congressman|businessman|king)\b", roles)
    if bool(female) != bool(male):
        return "f" if female else "m"
    return ""


def _full_name_in_text(text, surname):
    """The first full name in the text that ends with (or holds) ``surname``: "Viktor Halvorsen"."""
    tokens = name_tokens(surname)
    if len(tokens) != 1:
        return ""
    for m in re.finditer(rf"(?<![\w'’-])(?:{_NAME_WORD}{_NAME_JOIN}){{1,3}}{re.escape(surname.strip())}\b", text):
        candidate = _drop_title(m.group())
        words = name_tokens(candidate)
        if len(words) >= 2 and _looks_like_name(candidate) and not (set(words[:-1]) & TITLE_WORDS):
            return candidate
    return ""


_APPOSITIVE_ROLE = re.compile(rf"\b(?:{ROLE_NOUNS}|ministers?|deputy|head|member|permanent)\b", re.I)


def _appositives_in_text(text, name):
    """Descriptions the article gives a person anywhere: "NAME, X's envoy," and "X's envoy, NAME,"."""
    found = []
    escaped = re.escape(name)
    for m in re.finditer(rf"{escaped}\s*,\s+(?P<app>[^,\"“”\n]{{2,160}}?)\s*[,.]", text):
        if _APPOSITIVE_ROLE.search(m.group("app")):
            found.append(m.group("app").strip())
    for m in re.finditer(rf"(?P<app>\b[A-Z][\w.'’ -]{{1,40}}?['’]s\s+[a-z][\w -]{{2,80}}?),\s+{escaped}\b", text):
        app = m.group("app").strip()
        if _APPOSITIVE_ROLE.search(app):
            found.append(re.sub(r"^(?:The|the)\s+", "", app))
    return found


def _places_and_peoples():
    """Country names, aliases and demonyms (archive/data/countries.tsv): never a speaker's name."""
    words = {
        "european", "europe", "african", "africa", "asian", "asia", "arab", "western", "soviet", "un", "korea",
        "north korea", "south korea", "korean", "north korean", "south korean", "america", "britain",
        "great britain", "taiwan", "hong kong", "washington", "moscow", "beijing", "pyongyang", "tehran", "kremlin",
        "white house", "pentagon", "brussels", "london", "paris", "kyiv", "kiev", "seoul", "tokyo",
    }  # fmt: skip
    path = Path(__file__).resolve().parents[2] / "data" / "countries.tsv"
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            for cell in (cells[2], cells[3], *cells[5].split("|")) if len(cells) > 5 else cells[2:4]:
                if cell.strip():
                    words.add(" ".join(name_tokens(cell)))
    # States and provinces of the countries whose press the news ingest sees most ("Florida said").
    for country in ("US", "CA", "GB", "AU", "IN"):
        for subdivision in pycountry.subdivisions.get(country_code=country) or ():
            words.add(" ".join(name_tokens(subdivision.name)))
    return frozenset(words)


_PLACES = _places_and_peoples()


def _person_like(who):
    """Whether a sentence subject can be a person: not a place or a nationality alone.

    Organisations stay: in PolNeAR train, "the Clinton campaign" or "The Times" are the source as
    often as not (filtering them cost 6 attributions); places and nationalities cost 1."""
    tokens = name_tokens(_strip_possessive(who))
    if not tokens or tokens[0] in PRONOUNS or re.match(ROLE, who.strip()):
        return True
    return not (" ".join(tokens) in _PLACES or (tokens[0] in _PLACES and len(tokens) == 1))


def _name_not_word(text, who):
    """Whether a sentence subject may name a person: several words, a pronoun or role, or one word that
    is not an English word. "Based", "Hastily", "Audiences", "Democratic" open sentences; "Clinton"
    does. ("Trump" is a word too, and still a name: the article gives it in full.)"""
    stripped = _strip_possessive(who)
    tokens = name_tokens(stripped)
    if len(tokens) != 1 or stripped.lower() in PRONOUNS or re.match(ROLE, who.strip()):
        return True
    if not getAllLemmas(tokens[0]) or _full_name_in_text(text, stripped):
        return True
    # A word the article capitalises after lowercase words too ("... said Trump", "... of Rubio") is
    # its proper name here; one capitalised only at sentence starts is not.
    return len(re.findall(rf"\b[a-z]+[ ,]+{re.escape(stripped)}\b", text)) >= 2


def _strip_possessive(name):
    return re.sub(r"[’']s$", "", name.strip())


_drop_title = names.drop_news_titles


def _looks_like_name(candidate):
    tokens = name_tokens(candidate)
    if not tokens:
        return False
    return tokens[0] not in NOT_NAMES and tokens[-1] not in NOT_NAMES


def _mention_of(match):
    who = match.group("who") or ""
    role = match.groupdict().get("role") or ""
    appositive = match.groupdict().get("appositive") or ""
    return who, role, appositive
