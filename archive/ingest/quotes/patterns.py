"""The surface patterns of attribution: reporting verbs (by lemma), names, roles, and the regular
expressions that find a speaker before or after a quotation."""

import re

from lemminflect import getAllInflections

from archive.ingest import names

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
# "her senior adviser, Tom Reyes, said": a comma may close an appositive before the verb, but
# "Iraq and Libya, saying, ..." is a participle clause, not a speaker.
_NAME_COMMA = r"(?:,(?!\s+\w+ing\b))?"
# An appositive between a name and its verb: "Zhang Jun, China's permanent representative to the UN, told".
APPOSITIVE = r"(?:,\s+(?P<appositive>[^,\"“”\n]{2,160}?)\s*,)?"

_AFTER_CUE_FIRST = re.compile(rf"^\s*[,:—–-]?\s*{CUE}\s+{SPEAKER}{APPOSITIVE}", re.S)
# "Nate Jones, the pollster who ran the survey tweeted": an appositive the writer did
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

# A reporting verb anywhere in a stretch of text.
_CUE_WORD = re.compile(rf"\b{CUE}\b")
