"""Who said a direct quotation: the reporting clause after it, before it, or the quotations around it."""

import re

from lemminflect import getAllLemmas

from archive.ingest.quotes.marks import _paragraph_bounds, sentence_end, sentence_start
from archive.ingest.quotes.patterns import (
    _ACCORDING,
    _AFTER_CUE_DESC,
    _AFTER_CUE_FIRST,
    _AFTER_CUE_LONG,
    _AFTER_CUE_ROLE,
    _AFTER_DASH,
    _AFTER_DESC_CUE,
    _AFTER_DESCRIBED,
    _AFTER_SPEAKER_FIRST,
    _AFTER_SPEAKER_OPEN_APPOSITIVE,
    _BEFORE_COLON_NAME,
    _BEFORE_DESC_CUE,
    _BEFORE_NAME_VERB,
    _BEFORE_SPEAKER_CUE,
    _CUE_WORD,
    _SUBJECT,
    _SUBJECT_NAME_INSIDE,
    CUE_VERBS,
    PRONOUNS,
    ROLE_NOUNS,
)
from archive.ingest.quotes.people import _looks_like_name, _mention_of, _name_not_word, _person_like
from archive.ingest.quotes.quote import DIRECT


def _attribute_direct(text, quote, attributor, paragraphs, direct, index, previous):
    """Who said ``quote``: the first of these ways that names someone, most trusted first."""
    para_start, para_end = _paragraph_bounds(paragraphs, quote.open_pos)
    # The reporting clause after the quotation stops at the next quotation mark or sentence end.
    after = text[quote.close_pos + 1 : min(para_end, quote.close_pos + 260)]
    after = re.split(r"[\"“”]", after, maxsplit=1)[0]
    earlier = direct[index - 1] if index else None
    if (
        _by_clause_after(text, quote, attributor, (para_start, para_end), after)
        or _by_sentence_before(text, quote, attributor, (para_start, para_end), after, earlier)
        or _by_paragraph(text, quote, attributor, paragraphs, (para_start, para_end))
        or _continues_previous(text, quote, paragraphs, (para_start, para_end), previous)
    ):
        return
    quote.pattern = "none"
    quote.confidence = 0.3


def _by_clause_after(text, quote, attributor, paragraph, after):
    """A reporting clause after the quotation: ""Q," said Zhang", ""Q," Zhang told reporters"."""
    para_start, para_end = paragraph
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
            return True
    m = _AFTER_DASH.match(after)
    if not after.strip() and m is None:
        # A credit line of its own under the quotation: ""Q." / - Karen Mills, Ohio."
        following = text[para_end : para_end + 160].lstrip("\n")
        credit = following.split("\n", 1)[0]
        if following[:1] in "—–―-" and len(credit) < 120:
            m = _AFTER_DASH.match(credit)
    if m and _looks_like_name(m.group("who")) and _take(quote, m, attributor):
        return True
    for pattern in (_AFTER_CUE_DESC, _AFTER_DESC_CUE):
        m = pattern.match(after)
        if m and not _introduces_next(text, quote, after, m) and _take_description(quote, m, attributor):
            return True
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
                        return True
    return False


def _by_sentence_before(text, quote, attributor, paragraph, after, earlier):
    """The sentence the quotation sits in (or the one before it) names who spoke."""
    para_start, para_end = paragraph
    # Before the quotation, in the same sentence: "Zhang said that facing the threat, "we must ..."".
    sent_start = sentence_start(text, quote.open_pos, para_start)
    before = text[sent_start : quote.open_pos]
    if earlier is not None and earlier.close_pos >= sent_start:
        before = re.split(r"[\"“”]", before)[-1]
    candidates = list(_BEFORE_SPEAKER_CUE.finditer(before))
    # "Thiel wrote in a statement to Wired explaining ...": a participle rarely introduces a new speaker.
    finite = [m for m in candidates if not m.group("cue").endswith("ing")]
    candidates = finite or candidates
    colon = _BEFORE_COLON_NAME.search(before)
    according = _ACCORDING.search(before) or _ACCORDING.match(after.lstrip(" ,"))
    for m in (candidates[-1] if candidates else None, colon, according):
        if m is not None and _take(quote, m, attributor):
            return True
    # A quotation opening a sentence right after one with a reporting verb: "Sen. Ann Blake (R-Tex.), a
    # candidate for governor, tweeted a warning. "Remember in November who voted against the bill.""
    if not before.strip() and sent_start > para_start:
        previous_sentence = text[sentence_start(text, sent_start - 1, para_start) : sent_start]
        if not re.search(r"[\"“”]", previous_sentence):
            introduced = [
                m for m in _BEFORE_SPEAKER_CUE.finditer(previous_sentence) if not m.group("cue").endswith("ing")
            ]
            if introduced and _take(quote, introduced[-1], attributor, confidence=0.6, pattern="introduced"):
                return True
    described = [m for m in _BEFORE_DESC_CUE.finditer(before) if not m.group("cue").endswith("ing")]
    if described and _take_description(quote, described[-1], attributor):
        return True
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
        return True
    # The subject of the sentence the quotation sits in: "Carson called the system "rotten to the core."".
    subject = _SUBJECT.match(before)
    if subject and not _name_not_word(text, subject.group("who")):
        # "Democratic presidential candidate Hillary Clinton said ...": the name inside the subject.
        subject = _SUBJECT_NAME_INSIDE.match(before)
    if subject and not _person_like(subject.group("who")):
        subject = None
    return bool(subject and _take(quote, subject, attributor, confidence=0.55, pattern="subject"))


def _by_paragraph(text, quote, attributor, paragraphs, paragraph):
    """A quotation opening a paragraph: introduced by the paragraph before, or named later in its own."""
    para_start, para_end = paragraph
    # A paragraph that opens with a quotation after one ending in a colon: "Cruz continued:".
    if not text[para_start : quote.open_pos].strip() and para_start:
        prev_end = len(text[:para_start].rstrip())
        if text[prev_end - 1 : prev_end] == ":":
            prev_start = sentence_start(text, prev_end - 1, _paragraph_bounds(paragraphs, prev_end - 1)[0])
            intro = text[prev_start:prev_end]
            for m in (*reversed(list(_BEFORE_SPEAKER_CUE.finditer(intro))), _SUBJECT.match(intro)):
                if m is not None and _take(quote, m, attributor, confidence=0.7, pattern="colon"):
                    return True
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
            return True
    return False


def _continues_previous(text, quote, paragraphs, paragraph, previous):
    """A quotation with no reporting clause of its own continues the last attributed one when it
    follows it in the same paragraph or opens the next paragraph."""
    para_start, para_end = paragraph
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
            return True
    return False


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
