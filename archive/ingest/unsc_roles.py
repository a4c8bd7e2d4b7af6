"""Who presides and who is invited, read from what is said at a Security Council meeting: the
President's "in my national capacity as the representative of X", other speakers' congratulations
on assuming the presidency, and briefers invited under rule 39."""

import re

from archive.ingest.unsc_header import PARTICLES, TITLES

# -- Who presides ------------------------------------------------------------------------------
# The President's own words: "in my capacity as the representative of X", "in my national capacity
# as representative of X", "in my capacity as Deputy Prime Minister and Minister for Foreign Affairs
# of X", "a statement as the representative of X".
_CAPACITY_RE = re.compile(
    r"\b(?:in\s+my\s+(?:national\s+)?capacity\s+as|(?:a\s+)?statement\s+as|speaking\s+as)\s+"
    r"(?P<office>[^.;:!?]{0,240})",
    re.IGNORECASE,
)


# Other speakers' congratulations on taking the chair: "I congratulate Viet Nam on assuming the
# presidency", "congratulations to the Socialist Republic of Viet Nam on its assumption of the presidency".
_ASSUMING_RE = re.compile(
    r"\b(?:congratulat\w*|welcom\w*|felicitat\w*)\b(?P<who>[^,.;:!?]{2,90}?)\s+(?:on|upon)\s+"
    r"(?:its\s+|their\s+)?(?:assuming|assumption\s+of|taking(?:\s+up)?|having\s+assumed)\s+the\s+presidency",
    re.IGNORECASE,
)


# "... congratulate you, Mr. President, on Belgium's presidency of the Council for this month".
_POSSESSIVE_RE = re.compile(
    r"\b(?:congratulat\w*|welcom\w*)\b[^.;!?]{0,80}?\bon\s+(?P<who>[^,.;:!?]{2,60}?)['’]s\s+"
    r"(?:assumption\s+of\s+the\s+)?presidency(?P<after>[^.;!?]{0,60})",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:last|previous|past|outgoing)\b|\bin\s+(?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(r"\b(?:next|coming|following)\s+month\b|\bupcoming\b", re.IGNORECASE)


# Briefers invited under rule 39: "I invite Mr. Martin Griffiths, Special Envoy of the Secretary-General
# for Yemen, and Mr. Mark Lowcock, Under-Secretary-General for ..., to participate in this meeting."
_INVITATION_RE = re.compile(r"\brule\s+39\b(?P<text>.{0,1500}?)\bto\s+participate\b", re.IGNORECASE | re.DOTALL)
_INVITEE_RE = re.compile(
    rf"\b(?:{TITLES})\.?\s+(?P<name>[A-Z][\w'’\-]*\.?(?:\s+(?:[A-Z][\w'’\-]*\.?|{'|'.join(sorted(PARTICLES))})){{0,6}})"
    r"\s*,\s*(?P<role>[^,;:]{3,200}?)\s*(?=,|;|$|\s+and\s+(?:Mr|Mrs|Ms|Dr)\b)"
)


def country_after_of(text, resolve):
    """The country named after an "of" in ``text`` ("Minister for Foreign Affairs of X, on behalf ...")."""
    for found in re.finditer(r"\bof\s+", text):
        words = re.split(r"[,()]", text[found.end() :], maxsplit=1)[0].split()[:8]
        for n in range(len(words), 0, -1):
            pk = resolve(" ".join(words[:n]))
            if pk is not None:
                return pk
    return None


# The office a President speaks in must be a national one: a country's representative or minister,
# never "Chair of the Committee ... concerning the Democratic Republic of the Congo".
_NATIONAL_OFFICE = re.compile(
    r"^(?:the\s+)?(?:(?:deputy|vice|first|acting)[\s-]+)*(?:permanent\s+)?"
    r"(?:representative|minister|prime\s+minister|president|vice-president|secretary|foreign\s+secretary|"
    r"state\s+secretary|ambassador|head\s+of\s+(?:state|government|the\s+delegation)|chancellor|delegate)\b",
    re.IGNORECASE,
)
_NOT_NATIONAL = re.compile(r"^(?:the\s+)?president\s+of\s+the\s+(?:security\s+)?council\b", re.IGNORECASE)


def self_identified(text, resolve):
    """Countries the President says they speak for, in one statement."""
    found = set()
    for match in _CAPACITY_RE.finditer(text):
        office = match["office"].strip()
        if not _NATIONAL_OFFICE.match(office) or _NOT_NATIONAL.match(office):
            continue
        pk = country_after_of(office, resolve)
        if pk is not None:
            found.add(pk)
    return found


def _country_at_end(words_text, resolve):
    words = words_text.split()
    for n in range(min(len(words), 9), 0, -1):
        pk = resolve(" ".join(words[-n:]))
        if pk is not None:
            return pk
    return None


def congratulated(text, resolve):
    """Countries another speaker congratulates on taking up the presidency now (not last month's)."""
    found = set()
    if "presidency" not in text.lower():
        return found
    text = re.sub(r"\b(Mr|Mrs|Ms|Dr|St)\.", r"\1", text)  # "you, Mr. President, on ..." is one sentence
    for match in _ASSUMING_RE.finditer(text):
        if _FUTURE.search(text[match.end() : match.end() + 60]):
            continue  # next month's presidency, wished well in advance
        pk = _country_at_end(match["who"], resolve)
        if pk is not None:
            found.add(pk)
    for match in _POSSESSIVE_RE.finditer(text):
        if _PAST.search(match["after"]):
            continue
        pk = _country_at_end(match["who"], resolve)
        if pk is not None:
            found.add(pk)
    return found


def invitees(text):
    """[(full name, role)] of the briefers a President's statement invites under rule 39."""
    found = []
    for invitation in _INVITATION_RE.finditer(text):
        chunk = " ".join(invitation["text"].split())
        chunk = re.sub(r"(\w)- (\w)", r"\1-\2", chunk)  # "Under- Secretary" broken over a line
        for match in _INVITEE_RE.finditer(chunk):
            found.append((match["name"].strip(), match["role"].strip()))
    return found
