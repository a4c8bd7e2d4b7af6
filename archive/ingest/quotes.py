"""Direct and reported quotations in news text, attributed by surface patterns (no downloaded model).

Everything works on the verbatim text: offsets are character offsets into exactly the string the
caller passed, so a proposal can be saved against ``Source.original_text`` unchanged.
"""

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from lemminflect import getAllInflections, getAllLemmas

from archive.ingest import names
from archive.ingest.names import name_tokens, same_person

DIRECT = "direct"
INDIRECT = "indirect"

# Under four words a quoted phrase is usually a scare quote or a title, not a statement; a short
# one is proposed only as a "fragment" (an utterance: "Go register," he said), with lower confidence.
MIN_WORDS = 4
MIN_FRAGMENT_WORDS = 2
FRAGMENT = "fragment"
FRAGMENT_CONFIDENCE = 0.45

# Reporting verbs by lemma; every inflected form ("implores", "implored", "imploring") is a cue.
# Forms come from lemminflect (a maintained English lemmatiser and inflector, pinned in
# requirements.txt), so a verb is recognised however the article conjugates it.
CUE_LEMMAS = [
    "say",
    "add",
    "tell",
    "note",
    "stress",
    "urge",
    "reiterate",
    "underscore",
    "underline",
    "condemn",
    "warn",
    "ask",
    "write",
    "explain",
    "argue",
    "declare",
    "insist",
    "state",
    "continue",
    "emphasize",
    "emphasise",
    "recall",
    "remark",
    "reply",
    "respond",
    "claim",
    "tweet",
    "announce",
    "acknowledge",
    "admit",
    "observe",
    "conclude",
    "suggest",
    "predict",
    "joke",
    "recount",
    "caution",
    "maintain",
    "agree",
    "complain",
    "vow",
    "promise",
    "boast",
    "shout",
    "chant",
    "quip",
    "concede",
    "counter",
    "charge",
    "contend",
    "affirm",
    "highlight",
    "hail",
    "welcome",
    "opine",
    "pledge",
    "report",
    "post",
    "echo",
    "describe",
    "label",
    "call",
    "dub",
    "reveal",
    "wonder",
    "implore",
    "interject",
    "fume",
    "gush",
    "muse",
    "exclaim",
    "retort",
    "snap",
    "scoff",
    "sneer",
    "plead",
    "beg",
    "demand",
    "assert",
    "allege",
    "accuse",
    "bemoan",
    "lament",
    "mutter",
    "whisper",
    "yell",
    "scream",
    "cry",
    "sigh",
    "grumble",
    "groan",
    "marvel",
    "rave",
    "rail",
    "proclaim",
    "exhort",
    "retaliate",
    "bark",
    "press",
    "inquire",
    "query",
    "answer",
    "elaborate",
    "reason",
    "testify",
    "confirm",
    "deny",
    "disclose",
    "reflect",
    "posit",
    "surmise",
    "speculate",
    "inform",
    "advise",
    "assure",
    "reassure",
    "remind",
    "threaten",
    "swear",
    "repeat",
    "apologize",
    "apologise",
    "remember",
    "read",
]
# Phrasal cues: the first word inflects ("chimed in", "pointing out", "shot back").
CUE_PHRASES = (
    "point out",
    "chime in",
    "call for",
    "join in",
    "go on",
    "shoot back",
    "fire back",
    "hit back",
    "weigh in",
    "put it",
)


def _inflections(lemma):
    forms = {lemma}
    for values in getAllInflections(lemma, upos="VERB").values():
        forms.update(values)
    return forms


def _cue_forms():
    forms = set()
    for lemma in CUE_LEMMAS:
        forms |= _inflections(lemma)
    for phrase in CUE_PHRASES:
        head, rest = phrase.split(" ", 1)
        forms |= {f"{form} {rest}" for form in _inflections(head)}
    # Longest first, so "called for" wins over "called".
    return "|".join(sorted(forms, key=lambda f: (-len(f), f)))


CUE_VERBS = _cue_forms()
# A capitalised cue mid-sentence is almost always a noun ("United States", "Washington Post", "State
# Department"), so only the reporting verbs that open a sentence ("Tweeted Trump: ...") may be capitalised.
_CAPITALISED_CUES = frozenset(["said", "says", "added", "asked", "tweeted", "wrote", "told", "writes", "tells"])
CUE = (
    "(?P<cue>"
    + "|".join(f"[{v[0].upper()}{v[0]}]{v[1:]}" if v in _CAPITALISED_CUES else v for v in CUE_VERBS.split("|"))
    + r")(?![-–]\w)"  # "counter-attack", "call-in" are nouns
)
# Words before a cue that do not change who is speaking: "Zhang also said", "she later told".
_ADVERB = r"(?:(?:also|later|then|again|further|previously|once|had|has|have|was|is|would|will)\s+)?(?:\w+ly\s+)?"

# Titles before a name and the news-text name rules live with every other name rule (ingest/names.py).
TITLES = names.NEWS_TITLES
TITLE_WORDS = names.NEWS_TITLE_WORDS
# Latin letters with accents count ("Eskelsen García", "Peña Nieto").
_UP, _LOW, _ANY = names.LATIN_UPPER, names.LATIN_LOWER, names.LATIN_LETTERS
_NAME_WORD = rf"(?:[{_UP}][{_ANY}'’\-]*[{_LOW}][{_ANY}'’\-]*|[A-Z]\.(?:[A-Z]\.)*|[A-Z]{{2,}}(?=\s+[A-Z][a-z]))"
_NAME_JOIN = r"(?:\s+(?:de|van|von|der|al|bin|da|di|la|le)\s+|\s+)"
NAME = rf"(?:(?:{TITLES})\s+)?{_NAME_WORD}(?:{_NAME_JOIN}{_NAME_WORD}){{0,3}}(?:,?\s+(?:Jr|Sr)\.?|\s+I{{2,3}})?"
PRONOUN = r"(?:he|she|they|He|She|They|I|we|We)"
ROLE_NOUNS = (
    "ambassador|envoy|representative|minister|spokesman|spokeswoman|spokesperson|diplomat|official|"
    "president|secretary|secretary-general|senator|governor|candidate|nominee|chairman|chair|chairwoman|"
    "director|commissioner|chief|mayor|leader|premier|chancellor|congressman|congresswoman|lawmaker|"
    "statement|report|campaign|source|aide|adviser|advisor|spokesperson"
)
ROLE = rf"(?:[Tt]he|[Aa]n?)\s+(?:[A-Za-z\-']+\s+){{0,3}}?(?P<role>{ROLE_NOUNS})\b"
# A party and state after a legislator's name: "Harry M. Reid (D-Nev.)", "Jeff Sessions (R-Ala.)".
_AFFILIATION = r"(?:\s+\([A-Z][A-Za-z]{0,3}\s?[-–]\s?[A-Z][A-Za-z. ]{0,12}\))?"
SPEAKER = rf"(?P<who>{ROLE}|{NAME}|{PRONOUN}){_AFFILIATION}"
# "her senior policy adviser, Jake Sullivan, said": a comma may close an appositive before the verb, but
# "Iraq and Libya, saying, ..." is a participle clause, not a speaker.
_NAME_COMMA = r"(?:,(?!\s+\w+ing\b))?"
# An appositive between a name and its verb: "Zhang Jun, China's permanent representative to the UN, told".
APPOSITIVE = r"(?:,\s+(?P<appositive>[^,\"“”\n]{2,160}?)\s*,)?"

_AFTER_CUE_FIRST = re.compile(rf"^\s*[,:—–-]?\s*{CUE}\s+{SPEAKER}{APPOSITIVE}", re.S)
# "Nate Silver, the polling guru who founded fivethirtyeight.com tweeted": an appositive the writer did
# not close with a comma, ended by a finite reporting verb.
_AFTER_SPEAKER_OPEN_APPOSITIVE = re.compile(
    rf"^\s*[,:]?\s*(?P<who>{NAME}),\s+(?P<appositive>[^,\"“”\n]{{2,120}}?)\s+{_ADVERB}(?!\w+ing\b){CUE}\b", re.S
)
_AFTER_SPEAKER_FIRST = re.compile(rf"^\s*[,:]?\s*{SPEAKER}{APPOSITIVE}{_NAME_COMMA}\s+{_ADVERB}{CUE}\b", re.S)
# A descriptor before the name: ""Q," Senate minority leader Harry Reid told reporters".
_AFTER_DESCRIBED = re.compile(
    rf"^\s*[,:]?\s*(?:[A-Za-z][\w’'.-]*\s+){{1,5}}?(?P<who>{NAME}){APPOSITIVE}\s+{_ADVERB}{CUE}\b", re.S
)
# "said an Iowa Democrat", "said one senior aide": an indefinite description introduces someone
# unnamed, so the capitalised words after it are not a name (see _AFTER_CUE_DESC).
_INDEFINITE = r"(?:[Aa]n?|[Oo]ne|[Aa]nother|[Yy]et another|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome|[Mm]any)\s"
# A lowercase role between the cue and the name: ""Q," said campaign spokesman Josh Schwerin".
_AFTER_CUE_ROLE = re.compile(
    rf"^\s*[,:—–-]?\s*{CUE}\s+(?!{_INDEFINITE})(?:[\w.'’&-]+\s+){{0,5}}?(?:{ROLE_NOUNS})\s+"
    rf"(?P<who>{NAME}){APPOSITIVE}",
    re.S,
)
_AFTER_DASH = re.compile(rf"^\s*[—–―-]{{1,2}}\s*(?P<who>{NAME})")
# Where a reporting clause's subject ends: punctuation, or a preposition/relative starting what follows.
_CLAUSE_END = (
    r"(?=\s*(?:[,.;:!?\"“”(]|$)|\s+(?:in|on|at|during|after|before|when|while|to|of|from|about|who|whose|as|via)\b)"
)
# Descriptors (any case) between the cue and the name: "said United Steelworkers Political Director
# Tim Waters", "said former Massachusetts congressman Barney Frank".
_AFTER_CUE_LONG = re.compile(
    rf"^\s*[,:—–-]?\s*{CUE}\s+(?!{_INDEFINITE})(?:[\w.'’&-]+\s+){{1,6}}?(?P<who>{_NAME_WORD}(?:{_NAME_JOIN}{_NAME_WORD}){{1,2}}){_CLAUSE_END}",
    re.S,
)
# Who spoke, when the article describes rather than names them: "said an Iowa Democrat", "one
# former GOP leadership aide said", "Another commenter said". Proposed as written, low confidence.
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Yy]et another|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome|[Mm]any)"
_DESCRIPTION = rf"{_DETERMINER}\s+(?:[\w'’.&()-]+\s+){{0,6}}?[\w'’.&()-]*[A-Za-z][\w'’.&()-]*"
_AFTER_CUE_DESC = re.compile(rf"^\s*[,:—–-]?\s*{CUE}\s+(?P<who>{_DESCRIPTION}){_CLAUSE_END}", re.S)
_AFTER_DESC_CUE = re.compile(rf"^\s*[,:]?\s*(?P<who>{_DESCRIPTION})\s+{_ADVERB}{CUE}\b", re.S)
_BEFORE_DESC_CUE = re.compile(rf"(?P<who>{_DESCRIPTION})\s+{_ADVERB}{CUE}\b")
_BEFORE_SPEAKER_CUE = re.compile(rf"{SPEAKER}{APPOSITIVE}{_NAME_COMMA}\s+{_ADVERB}{CUE}\b")
_BEFORE_COLON_NAME = re.compile(rf"(?P<who>{NAME}|{ROLE})\s*:\s*$")
_SUBJECT_NAME_INSIDE = re.compile(
    rf"^\s*(?:[A-Za-z][\w’'.-]*\s+){{1,4}}?(?P<who>{_NAME_WORD}(?:{_NAME_JOIN}{_NAME_WORD}){{1,3}})\s+(?:\w+ly\s+)?[a-z]+\b"
)
_SUBJECT = re.compile(rf"^\s*(?:[A-Z][\w’'-]*\s+)?(?:\d[\w-]*\s+)?(?P<who>{NAME}|{PRONOUN}|{ROLE})")
_BEFORE_NAME_VERB = re.compile(rf"(?P<who>{NAME}){APPOSITIVE}\s+(?:\w+ly\s+)?(?P<cue>[a-z]{{3,}}(?:ed|es|s))\b")
# A paragraph opening with a person doing something: "Otieno welcomed the pledge."
_PARAGRAPH_SUBJECT = re.compile(rf"^\s*(?P<who>{NAME})\s+(?:\w+ly\s+)?[a-z]+\b")
# "according to CNN": a news organisation's initials are its name.
_ACCORDING = re.compile(rf"[Aa]ccording to\s+(?P<who>{ROLE}|{NAME}|[A-Z]{{2,6}}\b)")

PRONOUNS = {"he", "she", "they", "i", "we"}
FIRST_PERSON = {"i", "we"}
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "lt", "gen", "col", "prof", "rev", "st", "jr", "sr", "sgt",
    "capt", "adm", "amb", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "no", "vs",
    "u.s", "u.n", "u.k", "d.c", "e.g", "i.e", "inc", "corp", "co", "ltd", "etc",
}  # fmt: skip
# Capitalized words that start sentences or name things but are never a speaker.
NOT_NAMES = {
    "the", "a", "an", "it", "this", "that", "there", "but", "and", "or", "so", "if", "in", "on", "at", "as",
    "when", "while", "after", "before", "then", "however", "yet", "for", "to", "with", "by", "from", "of",
    "what", "who", "which", "why", "how", "we", "i", "you", "they", "he", "she", "our", "my", "his", "her",
    "their", "its", "your", "no", "not", "yes", "also", "still", "now", "here", "today", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "much", "later", "many", "most", "some", "all",
    "both", "each", "every", "other", "another", "one", "two", "three", "according", "meanwhile", "instead",
    "earlier", "last", "next", "first", "since", "although", "though", "because", "despite", "during",
    "united", "america", "american", "americans", "congress", "washington", "democrats", "republicans",
    # Sentence openers that look like names to a capital-letter pattern.
    "adding", "speaking", "referring", "talking", "noting", "following", "including", "regarding", "responding",
    "writing", "commenting", "concluding", "explaining", "surveying", "asked", "specifically", "similarly",
    "additionally", "finally", "notably", "separately", "likewise", "recently", "currently", "previously",
    "ultimately", "importantly", "interestingly", "clearly", "frankly", "indeed", "overall", "elsewhere",
}  # fmt: skip


@dataclass
class Mark:
    pos: int
    kind: str  # "curly" or "straight"
    opening: bool | None  # None: cannot tell from context


@dataclass
class Quote:
    start: int
    end: int
    text: str
    kind: str = DIRECT
    speaker: str = ""  # the name as resolved in the article ("Zhang Jun"), "" when unknown
    mention: str = ""  # what the text says ("the ambassador", "he", "Zhang")
    cue: str = ""
    confidence: float = 0.3
    pattern: str = "none"
    appositive: str = ""
    label: str = ""  # "fragment" for a short quoted utterance (2-3 words)


@dataclass
class Extraction:
    quotes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    people: list = field(default_factory=list)  # Person objects, in order of first mention


@dataclass
class Person:
    name: str
    appositives: list = field(default_factory=list)
    quote_count: int = 0
    gender: str = ""  # "f", "m" or "" when the article does not say (titles, gendered role nouns)

    @property
    def tokens(self):
        return name_tokens(self.name)


def paragraph_spans(text):
    """(start, end) of each paragraph; a line break ends a paragraph."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


# No real sentence is longer; the bounds keep pathological pastes (no full stops) linear.
MAX_SENTENCE = 1500


def sentence_start(text, pos, floor=0):
    """Where the sentence holding ``pos`` begins (not before ``floor``, nor MAX_SENTENCE back)."""
    floor = max(floor, pos - MAX_SENTENCE)
    i = pos
    while i > floor:
        i -= 1
        ch = text[i]
        if ch in ".!?" and i + 1 < len(text) and text[i + 1] in ' \n"”’' and not _is_abbreviation(text, i):
            j = i + 1
            while j < pos and text[j] in '"”’ \n':
                j += 1
            if j < len(text) and (text[j].isupper() or text[j] in '"“'):
                return j
    return floor


def sentence_end(text, pos, ceiling=None):
    """Where the sentence holding ``pos`` ends: just after its full stop (or at ``ceiling``)."""
    ceiling = len(text) if ceiling is None else ceiling
    i = pos
    while i < ceiling:
        ch = text[i]
        if ch in ".!?" and not _is_abbreviation(text, i):
            nxt = text[i + 1 : i + 3]
            if not nxt or nxt[0] in " \n" or nxt[0] in '"”’':
                return i + 1
        i += 1
    return ceiling


def _is_abbreviation(text, i):
    if text[i] != ".":
        return False
    m = re.search(r"([A-Za-z.]+)$", text[max(0, i - 12) : i])
    if not m:
        return False
    word = m.group(1).lower().strip(".")
    return word in ABBREVIATIONS or (len(word) == 1 and text[i - 1].isupper())


# A markup tag left in pasted text (<tweet author="@x" date="...">): its attribute values are not quotations.
_MARKUP_TAG = re.compile(r"<[A-Za-z/][\w:-]*(?:\s[^<>]{0,400})?>")


def find_marks(text):
    marks = []
    tags = [(m.start(), m.end()) for m in _MARKUP_TAG.finditer(text)] if "<" in text else []
    tag_starts = [start for start, _ in tags]
    for m in re.finditer(r"[\"“”]", text):
        ch, pos = m.group(), m.start()
        index = bisect.bisect_left(tag_starts, pos) - 1
        if index >= 0 and pos < tags[index][1]:
            continue
        if ch in "“”":
            # A curly mark typed the wrong way round reads by its place: after a word and before a
            # space it closes ("a fascist?“ he asked"), after a space and before a word it opens.
            before = text[pos - 1] if pos else "\n"
            after = text[pos + 1] if pos + 1 < len(text) else "\n"
            opening = ch == "“"
            if opening and not before.isspace() and before not in "([{—–-/" and (after.isspace() or after in ".,;:"):
                opening = False
            elif not opening and (before.isspace() or pos == 0) and after.isalpha():
                opening = True
            marks.append(Mark(pos, "curly", opening))
        else:
            before = text[pos - 1] if pos else "\n"
            after = text[pos + 1] if pos + 1 < len(text) else "\n"
            if before in "—–-" and after.isspace():
                opening = False  # a cut-off word ends the quotation: "shoot any n------" who ...
            elif before.isspace() or before in "([{—–-/" or pos == 0:
                opening = None if after.isspace() else True
            else:
                opening = False
            marks.append(Mark(pos, "straight", opening))
    return marks


def pair_quotes(text, warnings):
    """Spans (open_pos, close_pos, confidence) between matching marks, across paragraphs when the
    convention says so (a paragraph left open and the next one opening with the same mark).

    A quotation left open at the end of a paragraph that the next one does not continue ends there
    (lower confidence), so it never swallows the next paragraph's quotation. Marks of the other
    type inside an open quotation ("He told me 'never'" in curly marks) are nested: the outer
    quotation is kept whole."""
    paragraphs = paragraph_spans(text)
    para_of = {}
    for index, (start, end) in enumerate(paragraphs):
        for pos in range(start, end):
            para_of[pos] = index
    marks = [m for m in find_marks(text) if m.opening is not None]
    spans = []
    open_mark = None
    open_para = -1  # the paragraph the open quotation has reached
    nested = False  # the kind of mark of a quotation open inside the outer one, else False

    def end_at_paragraph():
        para_end = paragraphs[open_para][1]
        warnings.append(
            f"Quotation mark at character {open_mark.pos} is not closed before the end of its paragraph; "
            "the quotation was ended there, with lower confidence."
        )
        if para_end - open_mark.pos > 1:
            spans.append((open_mark.pos, para_end, 0.5))

    for mark in marks:
        para = para_of.get(mark.pos, -1)
        if open_mark is not None and open_para != para:
            # The quotation left open at the end of a paragraph continues only if the next paragraph opens with it.
            first = paragraphs[para][0] if para >= 0 else mark.pos
            continued = mark.opening and mark.kind == open_mark.kind and mark.pos == first and para == open_para + 1
            nested = False
            if continued:
                open_para = para
                continue
            end_at_paragraph()
            open_mark = None
        if open_mark is not None and nested == mark.kind and not mark.opening:
            nested = False
            continue
        if open_mark is not None and mark.kind != open_mark.kind and mark.opening and not nested:
            nested = mark.kind
            continue
        if mark.opening:
            if open_mark is not None and mark.kind == open_mark.kind == "curly" and not nested:
                # “A “B” C”: a quotation inside a quotation with the same curly marks, when the
                # paragraph closes both.
                rest = [m for m in marks if m.pos > mark.pos and para_of.get(m.pos, -1) == para]
                closing = sum(1 for m in rest if not m.opening and m.kind == "curly")
                if closing > sum(1 for m in rest if m.opening and m.kind == "curly") + 1:
                    nested = "curly"
                    continue
            if open_mark is not None:
                warnings.append(
                    f"Quotation mark at character {open_mark.pos} opens a quotation that is not closed before "
                    f"the next one opens at {mark.pos}; it was not proposed."
                )
            open_mark, open_para, nested = mark, para, False
            continue
        # A closing mark.
        if open_mark is None:
            warnings.append(f"Closing quotation mark at character {mark.pos} has no opening mark; ignored.")
            continue
        if mark.kind != open_mark.kind:
            warnings.append(
                f"Mixed quotation marks: {text[open_mark.pos]} at character {open_mark.pos} is closed by "
                f"{text[mark.pos]} at {mark.pos}; proposed with lower confidence."
            )
            spans.append((open_mark.pos, mark.pos, 0.5))
        else:
            spans.append((open_mark.pos, mark.pos, 1.0))
        open_mark = None
    if open_mark is not None:
        end_at_paragraph()
    return spans


def _clean_span(text, start, end):
    """Trim the span inside the marks: whitespace, and the comma that belongs to the reporting clause."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _word_count(s):
    return len(re.findall(r"\w+", s))


def _paragraph_bounds(paragraphs, pos):
    index = bisect.bisect_right(paragraphs, (pos, float("inf"))) - 1
    if index >= 0:
        start, end = paragraphs[index]
        if start <= pos <= end:
            return start, end
    return 0, 0


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
    path = Path(__file__).resolve().parents[1] / "data" / "countries.tsv"
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


def extract(text):
    """All direct and reported quotations in ``text``, attributed where the patterns allow."""
    result = Extraction()
    paragraphs = paragraph_spans(text)
    attributor = Attributor(text)
    spans = pair_quotes(text, result.warnings)
    direct = []
    for open_pos, close_pos, base_confidence in spans:
        start, end = _clean_span(text, open_pos + 1, close_pos)
        quote = Quote(start=start, end=end, text=text[start:end])
        quote.open_pos, quote.close_pos, quote.base = open_pos, close_pos, base_confidence
        direct.append(quote)

    indirect = _reported_speech(text, paragraphs, direct)
    # Attribution runs in reading order: "he" and "the ambassador" refer back to what came before.
    previous = None
    position = {id(q): i for i, q in enumerate(direct)}
    for quote in sorted(direct + indirect, key=lambda q: q.start):
        if quote.kind == DIRECT:
            _attribute_direct(text, quote, attributor, paragraphs, direct, position[id(quote)], previous)
            quote.confidence = round(min(quote.confidence, quote.base), 2)
            previous = quote
        else:
            _attribute_indirect(quote, attributor)
            if quote.speaker and previous is not None and previous.kind == DIRECT:
                # "Carter said that ..." after a quotation by someone else: a quotation opening the next
                # paragraph continues Carter, not the earlier quotation.
                previous = quote
    # A role noun met before the article names anyone ("A Chinese envoy said ...") is resolved at the end.
    for quote in indirect:
        if quote.pattern == "role-pending":
            person = attributor.person_with_role(quote.role) or attributor.last_speaker
            if person is not None:
                quote.speaker, quote.pattern, quote.confidence = person.name, "role", 0.65
    # Short quoted phrases are attributed (a quotation after them may continue them); only those that
    # read as something a person said are proposed, as fragments.
    kept = []
    for quote in direct:
        words = _word_count(quote.text)
        if words >= MIN_WORDS:
            if not (words <= MAX_TITLE_WORDS and _reads_as_title(quote.text)):
                kept.append(quote)
        elif words >= MIN_FRAGMENT_WORDS and _utterance_fragment(text, quote, paragraphs):
            quote.label = FRAGMENT
            quote.confidence = min(quote.confidence, FRAGMENT_CONFIDENCE)
            kept.append(quote)
    direct = kept
    quotes = sorted(direct + indirect, key=lambda q: q.start)
    for quote in quotes:
        for attr in ("open_pos", "close_pos", "base", "role", "sentence_pos"):
            quote.__dict__.pop(attr, None)
    result.quotes = quotes
    for person in attributor.people:
        person.quote_count = sum(1 for q in quotes if q.speaker == person.name)
    result.people = attributor.people
    return result


def _attribute_direct(text, quote, attributor, paragraphs, direct, index, previous):
    para_start, para_end = _paragraph_bounds(paragraphs, quote.open_pos)
    after = text[quote.close_pos + 1 : min(para_end, quote.close_pos + 260)]
    # The reporting clause after the quotation stops at the next quotation mark or sentence end.
    after = re.split(r"[\"“”]", after, maxsplit=1)[0]
    for pattern in (
        _AFTER_CUE_ROLE,
        _AFTER_CUE_FIRST,
        _AFTER_SPEAKER_FIRST,
        _AFTER_SPEAKER_OPEN_APPOSITIVE,
        _AFTER_DESCRIBED,
        _AFTER_CUE_LONG,
    ):
        m = pattern.match(after)
        if m and not _introduces_next(text, quote, after, m) and _take(quote, m, attributor):
            return
    m = _AFTER_DASH.match(after)
    if not after.strip() and m is None:
        # A credit line of its own under the quotation: ""Q." / - Michelle Marks, Philadelphia."
        following = text[para_end : para_end + 160].lstrip("\n")
        credit = following.split("\n", 1)[0]
        if following[:1] in "—–―-" and len(credit) < 120:
            m = _AFTER_DASH.match(credit)
    if m and _looks_like_name(m.group("who")) and _take(quote, m, attributor):
        return
    for pattern in (_AFTER_CUE_DESC, _AFTER_DESC_CUE):
        m = pattern.match(after)
        if m and not _introduces_next(text, quote, after, m) and _take_description(quote, m, attributor):
            return
    # A reporting clause closing the sentence the quotation sits in: "Clinton "drew well" in the
    # primary, said Ohio State University professor Paul Beck."
    if text[quote.end - 1 : quote.close_pos].strip()[-1:] not in {".", "!", "?"}:
        tail = text[quote.close_pos + 1 : sentence_end(text, quote.close_pos + 1, para_end)]
        if not re.search(r"[\"“”]", tail):
            for comma in re.finditer(r",\s+", tail):
                rest = tail[comma.start() :]
                for pattern in (_AFTER_CUE_ROLE, _AFTER_CUE_FIRST, _AFTER_CUE_LONG, _AFTER_SPEAKER_FIRST):
                    m = pattern.match(rest)
                    if m and len(rest) - m.end() < 80 and _take(quote, m, attributor, confidence=0.8):
                        return
    # Before the quotation, in the same sentence: "Zhang said that facing the threat, "we must ..."".
    sent_start = sentence_start(text, quote.open_pos, para_start)
    before = text[sent_start : quote.open_pos]
    if index and direct[index - 1].close_pos >= sent_start:
        before = re.split(r"[\"“”]", before)[-1]
    candidates = list(_BEFORE_SPEAKER_CUE.finditer(before))
    # "Thiel wrote in a statement to Wired explaining ...": a participle rarely introduces a new speaker.
    finite = [m for m in candidates if not m.group("cue").endswith("ing")]
    candidates = finite or candidates
    colon = _BEFORE_COLON_NAME.search(before)
    according = _ACCORDING.search(before) or _ACCORDING.match(after.lstrip(" ,"))
    for m in (candidates[-1] if candidates else None, colon, according):
        if m is not None and _take(quote, m, attributor):
            return
    # A quotation opening a sentence right after one with a reporting verb: "Sen. Ted Cruz (R-Tex.), a
    # Republican candidate for president, tweeted a warning. "Missouri: Remember in November ..."".
    if not before.strip() and sent_start > para_start:
        previous_sentence = text[sentence_start(text, sent_start - 1, para_start) : sent_start]
        if not re.search(r"[\"“”]", previous_sentence):
            introduced = [
                m for m in _BEFORE_SPEAKER_CUE.finditer(previous_sentence) if not m.group("cue").endswith("ing")
            ]
            if introduced and _take(quote, introduced[-1], attributor, confidence=0.6, pattern="introduced"):
                return
    described = [m for m in _BEFORE_DESC_CUE.finditer(before) if not m.group("cue").endswith("ing")]
    if described and _take_description(quote, described[-1], attributor):
        return
    # A person doing something in the sentence: "Paul Ryan worried that the net was becoming "..."".
    acting = next(
        (
            m
            for m in _BEFORE_NAME_VERB.finditer(before)
            if m.group("who").lower() not in PRONOUNS
            and _person_like(m.group("who"))
            and _name_not_word(text, m.group("who"))
        ),
        None,
    )
    if acting and _take(quote, acting, attributor, confidence=0.55, pattern="subject"):
        return
    # The subject of the sentence the quotation sits in: "Carson called the system "rotten to the core."".
    subject = _SUBJECT.match(before)
    if subject and not _name_not_word(text, subject.group("who")):
        # "Democratic presidential candidate Hillary Clinton said ...": the name inside the subject.
        subject = _SUBJECT_NAME_INSIDE.match(before)
    if subject and not _person_like(subject.group("who")):
        subject = None
    if subject and _take(quote, subject, attributor, confidence=0.55, pattern="subject"):
        return
    # A paragraph that opens with a quotation after one ending in a colon: "Cruz continued:".
    if not text[para_start : quote.open_pos].strip() and para_start:
        prev_end = len(text[:para_start].rstrip())
        if text[prev_end - 1 : prev_end] == ":":
            prev_start = sentence_start(text, prev_end - 1, _paragraph_bounds(paragraphs, prev_end - 1)[0])
            intro = text[prev_start:prev_end]
            for m in (*reversed(list(_BEFORE_SPEAKER_CUE.finditer(intro))), _SUBJECT.match(intro)):
                if m is not None and _take(quote, m, attributor, confidence=0.7, pattern="colon"):
                    return
    # A paragraph opening with a quotation whose reporting clause comes later in the paragraph:
    # ""Q1" Trump went on. "Q2"" - the speaker named there, not the previous paragraph's.
    if not text[para_start : quote.open_pos].strip():
        rest = re.sub(r"[\"“][^\"“”]*[\"”]", lambda m: " " * len(m.group()), text[quote.close_pos + 1 : para_end])
        named = [
            m
            for m in _BEFORE_SPEAKER_CUE.finditer(rest)
            if m.group("who").lower() not in PRONOUNS
            and (m.groupdict().get("role") or _looks_like_name(m.group("who")))
        ]
        if named and _take(quote, named[0], attributor, confidence=0.6, pattern="paragraph"):
            return
    # A quotation with no reporting clause of its own continues the last attributed one when it
    # follows it in the same paragraph or opens the next paragraph.
    if previous is not None and previous.speaker:
        previous_end = previous.close_pos if previous.kind == DIRECT else previous.end
        prev_para = _paragraph_bounds(paragraphs, previous_end)  # where a multi-paragraph quotation ends
        gap = text[previous_end + 1 : quote.open_pos]
        same_para = prev_para == (para_start, para_end)
        next_para = not same_para and gap.count("\n") >= 1 and _starts_paragraph(text, quote.open_pos, para_start)
        if (same_para or next_para) and not re.search(rf"\b{CUE_VERBS}\b", gap.split("\n")[-1] if next_para else ""):
            quote.speaker, quote.mention, quote.pattern = previous.speaker, "", "floating"
            quote.cue = previous.cue
            quote.confidence = 0.7 if same_para else 0.6
            return
    quote.pattern = "none"
    quote.confidence = 0.3


_MINOR_WORDS = frozenset(
    ["a", "an", "and", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "or", "nor", "but", "as", "vs"]
)


def _outside_quotes(s):
    return re.sub(r"[\"“][^\"“”]*[\"”]", " ", s)


# Programme, film and event names in quotation marks ("The Steve Harvey Morning Show", "State of the
# Union") are titles, not something a person said; speech this short in title case is rare.
MAX_TITLE_WORDS = 6


def _reads_as_title(quoted):
    """Every word capitalised but the minor ones, and not shouted (a chant in capitals is speech)."""
    words = re.findall(r"[^\W\d_][\w'’-]*", quoted)
    return bool(words) and not quoted.isupper() and all(w[0].isupper() or w.lower() in _MINOR_WORDS for w in words)


def _utterance_fragment(text, quote, paragraphs):
    """Whether a 2-3 word quotation reads as an utterance rather than a scare quote or a title.

    Titles and names (every word capitalised: "Good Morning America") never are. An utterance ends
    in punctuation inside the marks ("Go register,") or sits in a sentence with a reporting verb
    outside the quotation ("he would "take a look" at it", "he called it a "paperwork error"")."""
    if _reads_as_title(quote.text):
        return False
    para_start, para_end = _paragraph_bounds(paragraphs, quote.open_pos)
    start = sentence_start(text, quote.open_pos, para_start)
    end = sentence_end(text, quote.close_pos + 1, para_end)
    rest = _outside_quotes(text[start : quote.open_pos]) + " " + _outside_quotes(text[quote.close_pos + 1 : end])
    rest = re.sub(r"\b(?:so|self|well)-called\b", " ", rest, flags=re.I)
    if _CUE_WORD.search(rest):
        return True
    return text[quote.close_pos - 1] in ",.!?" and quote.pattern not in ("none", "subject")


def _introduces_next(text, quote, after, match):
    """`"Q1." He added, "Q2"` or `"Q1." He warns that ...`: a new sentence after a finished quotation
    belongs to what follows, not to the quotation."""
    closed_sentence = text[quote.end - 1 : quote.close_pos].strip()[-1:] in {".", "!", "?"}
    starts_capital = after.lstrip()[:1].isupper()
    rest = after[match.end() :]
    # Only ""Q." Trump said." keeps a capitalized clause after a finished sentence as its attribution.
    return closed_sentence and starts_capital and re.match(r"\s*\.", rest) is None


def _take(quote, match, attributor, confidence=None, pattern=None):
    who, role, appositive = _mention_of(match)
    cue = match.groupdict().get("cue") or ""
    if re.search(r"[’']s$", who) and "NOUN" in getAllLemmas(cue.lower()):
        return False  # "Pyongyang's claims", "the senator's remarks": a noun, not a reporting verb
    person, found_pattern, found_confidence = attributor.resolve(who, role, appositive, pos=quote.open_pos)
    if person is None:
        return False
    quote.speaker, quote.mention = person.name, who
    quote.pattern = pattern or found_pattern
    cue = match.groupdict().get("cue") or ("according to" if match.re is _ACCORDING else "")
    quote.cue = cue.lower()
    quote.confidence = confidence if confidence is not None else found_confidence
    quote.appositive = appositive
    attributor.attributed(person)
    return True


def _take_description(quote, match, attributor):
    """ "said an Iowa Democrat": the person the article gave that role, else the description itself."""
    who = match.group("who").strip()
    role = re.search(rf"\b({ROLE_NOUNS})\b", who, re.I)
    person = attributor.person_with_role(role.group(1)) if role else None
    if person is not None and not re.search(
        r"^(?:[Aa]n?|[Aa]nother|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome|[Mm]any)\b", who
    ):
        quote.speaker, quote.pattern, quote.confidence = person.name, "role", 0.7
        attributor.attributed(person)
    elif _PRONOUN_WORDS.isdisjoint(w.lower() for w in re.findall(r"[\w'’]+", who)):
        quote.speaker, quote.pattern, quote.confidence = who, "description", 0.4
    else:
        return False
    quote.mention = who
    quote.cue = (match.groupdict().get("cue") or "").lower()
    return True


_PRONOUN_WORDS = frozenset(["it", "this", "that", "these", "those", "which", "who", "what", "there", "here"])


def _starts_paragraph(text, pos, para_start):
    return not text[para_start:pos].strip()


_INDIRECT_THAT = re.compile(rf"{SPEAKER}{APPOSITIVE}\s+{_ADVERB}{CUE}(?:\s+on\s+\w+)?(?:\s+\w+){{0,4}}?\s+that\s+")
_INDIRECT_AFTER = (
    re.compile(rf",\s+{CUE}\s+{SPEAKER}{APPOSITIVE}\s*\.\s*$"),
    re.compile(rf",\s+{SPEAKER}\s+{_ADVERB}{CUE}\s*\.\s*$"),
)


def _reported_speech(text, paragraphs, direct):
    """`NAME said that CLAUSE.` and `CLAUSE, said NAME.` as indirect quotations (not yet attributed)."""
    quoted = [(q.open_pos, q.close_pos + 1) for q in direct]
    found = []
    for para_start, para_end in paragraphs:
        sentence_pos = para_start
        while sentence_pos < para_end:
            end = sentence_end(text, sentence_pos, min(para_end, sentence_pos + MAX_SENTENCE))
            sentence = text[sentence_pos:end]
            if not re.search(r"[\"“”]", sentence):
                quote = _indirect_in_sentence(text, sentence_pos, end, sentence)
                if quote is not None and not any(s < quote.end and quote.start < e for s, e in quoted):
                    found.append(quote)
            next_pos = end
            while next_pos < para_end and text[next_pos].isspace():
                next_pos += 1
            if next_pos <= sentence_pos:
                break
            sentence_pos = next_pos
    return found


_CUE_WORD = re.compile(rf"\b{CUE}\b")


def _indirect_in_sentence(text, offset, end, sentence):
    # Cheap checks first: the patterns below are costly on long sentences that cannot match.
    if not _CUE_WORD.search(sentence):
        return None
    m = _INDIRECT_THAT.search(sentence) if re.search(r"\bthat\s", sentence) else None
    if m:
        start, stop = offset + m.end(), end
    else:
        # The reporting clause closes the sentence, so only its tail needs reading.
        tail_at = max(0, len(sentence) - 300)
        tail = sentence[tail_at:]
        m = _INDIRECT_AFTER[0].search(tail) or _INDIRECT_AFTER[1].search(tail)
        if not m:
            return None
        start, stop = offset, offset + tail_at + m.start()
    while stop > start and text[stop - 1] in ".!? \n":
        stop -= 1
    if _word_count(text[start:stop]) < MIN_WORDS:
        return None
    who, role, appositive = _mention_of(m)
    quote = Quote(start=start, end=stop, text=text[start:stop], kind=INDIRECT, mention=who, appositive=appositive)
    quote.cue = (m.group("cue") or "").lower()
    quote.role = role
    quote.sentence_pos = offset
    return quote


def _attribute_indirect(quote, attributor):
    person, pattern, confidence = attributor.resolve(quote.mention, quote.role, quote.appositive, quote.sentence_pos)
    if person is None and quote.role and attributor.last_speaker is None:
        pattern, confidence = "role-pending", 0.5
    quote.pattern = pattern
    quote.confidence = round(confidence * 0.9, 2)
    if person is not None:
        quote.speaker = person.name
        attributor.attributed(person)
