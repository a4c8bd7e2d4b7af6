"""A news report turned into a proposed statement: speaker, role, country, event, date, quotations.

Reads the reference tables (speakers, countries, bodies, events, topics, instruments) but never
writes: ``archive.services.news_draft_create`` saves what an editor accepts.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from archive import sanitize
from archive.ingest import dates, quotes
from archive.ingest.countries import CountryResolver
from archive.models import Body, Country, Event, Instrument, Speaker, Topic

MAX_CHARS = 200_000  # a long news report is ~20,000 characters; more is a paste gone wrong
MAX_PROPOSALS = 500  # the seed article has 20; each one is a row an editor must review

EVENT_NOUNS = r"(?:open debate|debate|meeting|session|briefing|summit|conference|videoconference|consultations)"
_EVENT_AFTER_BODY = re.compile(
    rf"^\s+(?P<phrase>(?:[\w-]+\s+){{0,3}}?{EVENT_NOUNS}(?:\s+(?:on|about|of)\s+[^.;:\n\"“”]+?)?)(?=[.,;:\n]|$)"
)
KIND_BY_NOUN = [
    ("open debate", Event.Kind.OPEN_DEBATE),
    ("general debate", Event.Kind.GENERAL_DEBATE),
    ("debate", Event.Kind.DEBATE),
    ("briefing", Event.Kind.BRIEFING),
    ("press conference", Event.Kind.PRESS),
]
_SMALL_WORDS = {"of", "to", "the", "and", "for", "on", "in", "at", "a", "an"}


class ProposalError(ValueError):
    """The text cannot be read as a news report; the message says why, for the editor."""


@dataclass
class ProposedQuote:
    quote: quotes.Quote
    speaker_name: str
    speaker: Speaker | None  # an existing speaker, or None when a new one would be created


@dataclass
class ProposedStatement:
    """What one speaker said in the article: one draft statement each, with its own delegation."""

    speaker_name: str
    speaker: Speaker | None
    role: str = ""
    country: Country | None = None
    quotations: list = field(default_factory=list)


@dataclass
class Proposal:
    text: str
    published: datetime.date | None
    date: dates.ResolvedDate | None
    speaker_name: str = ""
    speaker: Speaker | None = None
    role: str = ""
    country: Country | None = None
    body: Body | None = None
    event: Event | None = None
    event_title: str = ""
    event_kind: str = Event.Kind.MEETING
    topics: list = field(default_factory=list)
    instruments: list = field(default_factory=list)
    quotations: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    statements: list = field(default_factory=list)  # ProposedStatement per speaker, the main speaker first

    @property
    def direct(self):
        return [q for q in self.quotations if q.quote.kind == quotes.DIRECT]

    @property
    def indirect(self):
        return [q for q in self.quotations if q.quote.kind == quotes.INDIRECT]

    def as_dict(self):
        return {
            "speaker": {"name": self.speaker_name, "existing": self.speaker.slug if self.speaker else None},
            "role": self.role,
            "country": self.country.code if self.country else None,
            "body": self.body.slug if self.body else None,
            "event": {
                "existing": self.event.slug if self.event else None,
                "title": self.event.title if self.event else self.event_title,
                "kind": self.event.kind if self.event else self.event_kind,
            },
            "date": self.date.date.isoformat() if self.date else None,
            "date_precision": self.date.precision if self.date else None,
            "date_phrase": self.date.phrase if self.date else "",
            "topics": [t.slug for t in self.topics],
            "instruments": [i.slug for i in self.instruments],
            "quotations": [
                {
                    "kind": q.quote.kind,
                    "start": q.quote.start,
                    "end": q.quote.end,
                    "text": q.quote.text,
                    "speaker": q.speaker_name,
                    "existing_speaker": q.speaker.slug if q.speaker else None,
                    "cue": q.quote.cue,
                    "confidence": q.quote.confidence,
                    "pattern": q.quote.pattern,
                }
                for q in self.quotations
            ],
            "statements": [
                {
                    "speaker": st.speaker_name,
                    "existing_speaker": st.speaker.slug if st.speaker else None,
                    "role": st.role,
                    "country": st.country.code if st.country else None,
                    "quotations": len(st.quotations),
                }
                for st in self.statements
            ],
            "warnings": self.warnings,
        }


def check_text(text):
    """Refuse what cannot be a news report, with a message an editor can act on."""
    if text is None or not text.strip():
        raise ProposalError("The report is empty: paste its text or upload a .txt or .html file.")
    if len(text) > MAX_CHARS:
        raise ProposalError(
            f"The report is {len(text):,} characters long; the limit is {MAX_CHARS:,}. Paste one article at a time."
        )
    if "\x00" in text:
        raise ProposalError("The text contains binary data (NUL characters); upload a .txt or .html file.")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(5, len(text) // 1000):
        raise ProposalError("The text contains binary data (control characters); upload a .txt or .html file.")


_LOOKS_LIKE_HTML = re.compile(r"<\s*(?:!doctype|html|head|body|p|div|br|script|style|span|a|article)\b", re.I)


def looks_like_html(text):
    return bool(_LOOKS_LIKE_HTML.search(text[:2000])) and len(re.findall(r"<[a-z/!]", text[:20000], re.I)) >= 2


def text_from_file(data, filename):
    """(plain text, whether it was HTML) from the bytes of an uploaded .txt or .html report."""
    if b"\x00" in data:
        raise ProposalError("The file is binary, not text: upload a .txt or .html file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProposalError("The file is not UTF-8 text: save it as UTF-8 and upload it again.") from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if filename.lower().endswith((".html", ".htm")) or looks_like_html(text):
        try:
            return sanitize.html_to_text(text, max_chars=MAX_CHARS), True
        except ValueError as error:
            raise ProposalError(str(error)) from error
    return text, False


def propose(text, *, published=None):
    """Everything the archive can propose for one news report. Reads the database, never writes."""
    check_text(text)
    extraction = quotes.extract(text)
    proposal = Proposal(text=text, published=published, date=dates.statement_date(text, published))
    proposal.warnings.extend(extraction.warnings)
    if not extraction.quotes:
        proposal.warnings.append("No quotations were found: add them on the review screen or check the text.")
    countries = CountryResolver.load()
    main = _main_speaker(proposal, extraction, countries)
    _statements_per_speaker(proposal, extraction, main, countries)
    _keep_first_proposals(proposal)
    proposal.body, phrase = find_body_and_event(text)
    if proposal.body is not None:
        if phrase:
            proposal.event_title = phrase[0].upper() + phrase[1:]
            proposal.event_kind = next((k for noun, k in KIND_BY_NOUN if noun in phrase.lower()), Event.Kind.MEETING)
        proposal.event = match_event(proposal.body, proposal.date.date if proposal.date else None, phrase)
    proposal.topics = suggest_topics(text)
    proposal.instruments = find_instruments(text)
    return proposal


def _main_speaker(proposal, extraction, countries):
    """The person quoted most (the earliest on a tie): the report's speaker, with role and delegation."""
    counts = Counter(q.speaker for q in extraction.quotes if q.speaker)
    main = max(extraction.people, key=lambda p: (counts[p.name], -extraction.people.index(p)), default=None)
    if main is None or not counts[main.name]:
        proposal.warnings.append("No speaker could be attributed: choose one on the review screen.")
        return None
    proposal.speaker_name = main.name
    proposal.speaker = Speaker.objects.get_by_name(main.name)
    if proposal.speaker is not None:
        proposal.speaker_name = proposal.speaker.name
    for appositive in main.appositives:
        role, country = role_and_country(appositive, countries)
        if role:
            proposal.role, proposal.country = role, country
            break
    if proposal.country is None:
        proposal.country = _country_near_role(proposal.text, countries)
    return main


def _statements_per_speaker(proposal, extraction, main, countries):
    """One proposed statement per named speaker, each with its own quotations and delegation."""
    speakers_by_name = {}
    people = {person.name: person for person in extraction.people}
    statements = {}
    if proposal.speaker_name:
        statements[proposal.speaker_name] = ProposedStatement(
            proposal.speaker_name, proposal.speaker, proposal.role, proposal.country
        )
    unnamed = []
    for quote in extraction.quotes:
        name = quote.speaker
        if quote.pattern == "description":
            # "said an Iowa Democrat": nobody the archive can name, so no statement (nor a speaker
            # called "an Iowa Democrat"); the editor is told, and can still select the span.
            unnamed.append(name)
            continue
        if not name or (main is not None and name == main.name):
            name = proposal.speaker_name
            speaker = proposal.speaker
        else:
            if name not in speakers_by_name:
                speakers_by_name[name] = Speaker.objects.get_by_name(name)
            speaker = speakers_by_name[name]
            if speaker is not None:
                name = speaker.name
        if not name:
            continue
        proposed = ProposedQuote(quote, name, speaker)
        proposal.quotations.append(proposed)
        if name not in statements:
            # Everyone quoted gets a statement of their own, with the delegation the article gives them.
            statement = statements[name] = ProposedStatement(name, speaker)
            for appositive in getattr(people.get(quote.speaker), "appositives", []):
                role, country = role_and_country(appositive, countries)
                if role:
                    statement.role, statement.country = role, country
                    break
        statements[name].quotations.append(proposed)
    proposal.statements = [st for st in statements.values() if st.quotations]
    if unnamed:
        proposal.warnings.append(
            f"{len(unnamed)} quotation(s) by unnamed speakers ({', '.join(sorted(set(unnamed))[:3])}) "
            "were not proposed: the archive records named speakers."
        )


def _keep_first_proposals(proposal):
    """A paste of many articles proposes the first MAX_PROPOSALS quotations, and says so."""
    if len(proposal.quotations) <= MAX_PROPOSALS:
        return
    proposal.warnings.append(
        f"{len(proposal.quotations):,} quotations were found; only the first {MAX_PROPOSALS} are proposed. "
        "Is this one article?"
    )
    del proposal.quotations[MAX_PROPOSALS:]
    kept = {id(q) for q in proposal.quotations}
    for statement in proposal.statements:
        statement.quotations = [q for q in statement.quotations if id(q) in kept]
    proposal.statements = [st for st in proposal.statements if st.quotations]


def find_country(phrase, countries=None):
    """The Country a phrase names first, by name, alias, demonym or ISO code (``countries``: a
    ``CountryResolver``, loaded once per report)."""
    countries = countries if countries is not None else CountryResolver.load()
    pk = countries.find_in(phrase)
    return countries.objects.get(pk) if pk is not None else None


def role_and_country(appositive, countries=None):
    """("Permanent Representative of China to the United Nations", China) from
    "China's permanent representative to the United Nations"."""
    appositive = appositive.strip().rstrip(",")
    countries = countries if countries is not None else CountryResolver.load()
    country = find_country(appositive, countries)
    m = re.match(r"^(?:the\s+)?(?P<owner>[A-Z][\w .'’-]*?)['’]s\s+(?P<rest>.+)$", appositive)
    if m and country is not None and find_country(m.group("owner"), countries) == country:
        head, sep, tail = m.group("rest").partition(" to ")
        role = f"{_title(head)} of {country.name}" + (f" to {tail}" if sep else "")
        return role, country
    m = re.match(r"^(?:the\s+|a\s+)?(?P<demonym>[A-Z][\w-]+)\s+(?P<rest>[a-z].+)$", appositive)
    if m and country is not None and m.group("demonym").lower() == (country.demonym or "").lower():
        head, sep, tail = m.group("rest").partition(" to ")
        return f"{_title(head)} of {country.name}" + (f" to {tail}" if sep else ""), country
    role = re.sub(r"^(?:the|a|an)\s+", "", appositive)
    return (role[:1].upper() + role[1:]) if role else "", country


def _title(words):
    return " ".join(w if w in _SMALL_WORDS else w[:1].upper() + w[1:] for w in words.split())


def _country_near_role(text, countries):
    """ "A Chinese envoy said ...": a demonym before a role noun in the lead."""
    m = re.search(rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<demonym>[A-Z][\w-]+)\s+(?:{quotes.ROLE_NOUNS})\b", text[:2000])
    return find_country(m.group("demonym"), countries) if m else None


def find_body_and_event(text):
    """The body addressed and the words naming the meeting: ("Security Council", "high-level open debate on ...")."""
    bodies = list(Body.objects.all())
    names = sorted(
        ((name, body) for body in bodies for name in {body.name, body.short_name} if name and len(name) > 3),
        key=lambda pair: -len(pair[0]),
    )
    first = None
    for name, body in names:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            event = _EVENT_AFTER_BODY.match(text[m.end() : m.end() + 300])
            if event:
                return body, " ".join(event.group("phrase").split())
            if first is None or m.start() < first[0]:
                first = (m.start(), body)
    return (first[1], "") if first else (None, "")


def match_event(body, date, phrase):
    """An existing event of this body on this date, the one whose title shares most words with the phrase."""
    if body is None or date is None:
        return None
    events = list(Event.objects.filter(body=body, date=date))
    if not events:
        return None
    words = set(re.findall(r"\w+", phrase.lower()))
    return max(events, key=lambda e: len(words & set(re.findall(r"\w+", e.title.lower()))))


def suggest_topics(text, limit=20):
    lowered = text.lower()
    scored = []
    for topic in Topic.objects.all():
        hits = sum(
            len(re.findall(rf"(?<![\w-]){re.escape(k.lower())}(?![\w-])", lowered)) for k in topic.keywords or []
        )
        if hits:
            scored.append((hits, topic))
    scored.sort(key=lambda pair: (-pair[0], pair[1].name))
    return [topic for _, topic in scored[:limit]]


def find_instruments(text):
    found = []
    for instrument in Instrument.objects.all():
        names = [instrument.name, instrument.symbol, *(instrument.aliases or [])]
        for name in filter(None, names):
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.I):
                found.append(instrument)
                break
    return found
