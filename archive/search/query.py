"""The query language users type, checked and rewritten for the search engine.

Words, "exact phrases", AND / OR / NOT, -exclusion, (grouping), prefix*, fuzzy~ (word~2 for two
edits), and field operators: speaker:, country: (name or ISO code), body:, topic: and date:2020-08 /
date:2019..2021. The rewritten string uses the syntax Whoosh and Elasticsearch's query_string share,
so the same text runs on either backend. Mistakes are reported and the search runs as plain words:
a query never fails the page.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q

from archive.filters import parse_date

MAX_QUERY_LENGTH = 500
OPERATORS = ("speaker", "country", "body", "topic", "date")
# Which index field each operator filters (the names of archive/filters.py).
OPERATOR_FIELDS = {"speaker": "speaker", "country": "country", "body": "body", "topic": "topics"}

_FIELD_OP = re.compile(r'(?<![\w"])([A-Za-z_]+):("[^"]*"|[^\s()"]+)')
_HYPHENATED = re.compile(r"(?<![\w\"'*~-])(\w+(?:['\u2019-]\w+)+)(?![\w*~])")
_BAD_WILDCARD = re.compile(r"(?:^|[\s(])[*?]|(?:^|[\s(])\w[*?]")
_TILDE = re.compile(r"~")
_GOOD_FUZZY = re.compile(r"\w~(?:\d(?:/\d+)?)?(?=$|[\s)])")
_FUZZY = re.compile(r"(\w+)~(\d+)?(?:/(\d+))?")
# =word asks for the word exactly as written (no stemming): the same as "word" in quotes.
_EXACT_WORD = re.compile(r"(?<![\w\"=])=(\w+)")


@dataclass
class ParsedQuery:
    raw: str = ""
    text: str = ""  # what the search engine gets; empty means "everything"
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    messages: list = field(default_factory=list)


def quote(value):
    """A value as an exact term in either engine's syntax."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def narrow_clause(index_field, values):
    """A narrow() query for one filter: OR within its values."""
    values = list(values)
    if len(values) == 1:
        return f"{index_field}:{quote(values[0])}"
    return f"{index_field}:(" + " OR ".join(quote(v) for v in values) + ")"


def date_clause(index_field, start=None, end=None):
    low = start.isoformat() if start else "*"
    high = end.isoformat() if end else "*"
    return f"{index_field}:[{low} TO {high}]"


def plain_words(text):
    """The words of a query that could not be read, any of them matching (best matches first)."""
    words = re.findall(r"\w{2,}", text)
    return " OR ".join(w for w in words if w.upper() not in ("AND", "OR", "NOT", "TO"))


def parse_user_query(raw):
    """Check and rewrite what a user typed. Never raises."""
    raw = (raw or "").strip()
    parsed = ParsedQuery(raw=raw)
    if len(raw) > MAX_QUERY_LENGTH:
        parsed.messages.append(f"The query was cut to its first {MAX_QUERY_LENGTH} characters.")
        raw = parsed.raw = raw[:MAX_QUERY_LENGTH]
    if not raw:
        return parsed

    pieces, operators, free, position = [], [], [], 0
    for match in _FIELD_OP.finditer(raw):
        free.append(raw[position : match.start()])
        pieces.append(_protect_words(raw[position : match.start()]))
        fragment = _field_operator(match.group(1).lower(), match.group(2).strip('"'), parsed)
        pieces.append(fragment)
        if ":" in fragment:
            operators.append(fragment.strip())
        position = match.end()
    free.append(raw[position:])
    pieces.append(_protect_words(raw[position:]))
    text = re.sub(r"\s+", " ", "".join(pieces)).strip()

    problem = syntax_problem(text)
    if problem:
        parsed.messages.append(f"{problem} The query was searched as plain words.")
        # Field operators were understood: they still apply, combined with the words.
        words = plain_words(" ".join(free))
        text = " ".join([f"({words})" if words and operators else words, *operators]).strip()
    parsed.text = text
    return parsed


def _protect_words(segment):
    """Hyphenated or apostrophised words ("Guinea-Bissau", "d'Ivoire") are phrases, not exclusions."""
    out, in_quote = [], False
    for part in re.split(r'(")', segment):
        if part == '"':
            in_quote = not in_quote
            out.append(part)
        elif in_quote:
            out.append(part)
        else:
            part = _EXACT_WORD.sub(lambda m: quote(m.group(1)), part)
            out.append(_HYPHENATED.sub(lambda m: quote(m.group(1)), part))
    return "".join(out)


def syntax_problem(text):
    """A sentence describing the first mistake in a rewritten query, or None."""
    if text.count('"') % 2:
        return "A quotation mark is not closed."
    depth = 0
    for char in re.sub(r'"[^"]*"', "", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return "A closing parenthesis has no opening one."
    if depth:
        return "A parenthesis is not closed."
    bare = re.sub(r'"[^"]*"', " x ", text)
    tokens = bare.replace("(", " ( ").replace(")", " ) ").split()
    binary = {"AND", "OR"}
    previous = None
    for index, token in enumerate(tokens):
        if token in binary and (previous is None or previous in binary | {"NOT", "("}):
            return f"{token} needs a word on each side."
        if token in binary | {"NOT"} and (index == len(tokens) - 1 or tokens[index + 1] in binary | {")"}):
            return f"{token} needs a word after it."
        previous = token
    if _BAD_WILDCARD.search(bare):
        return "A wildcard needs at least two letters before it (terror* is fine, *ism is not)."
    if len(_TILDE.findall(bare)) != len(_GOOD_FUZZY.findall(bare)):
        return "Fuzzy matching is written word~ or word~2 (at most 2 edits)."
    for word, edits, prefix in _FUZZY.findall(bare):
        if edits and int(edits) > 2:
            return "Fuzzy matching allows at most 2 edits (word~2)."
        if prefix and int(prefix) >= len(word):
            return f"In {word}~{edits}/{prefix} the part kept exact (/{prefix}) must be shorter than the word."
    if re.search(r"(?:^|\s)[-+](?:\s|$)", bare):
        return "A minus or plus sign must be followed by the word it applies to."
    if re.search(r"\[|\]|\{|\}|\^", bare):
        return "Brackets, braces and ^ are not part of the query language."
    return None


def _field_operator(name, value, parsed):
    if name not in OPERATORS:
        parsed.messages.append(
            f"{name}: is not a field you can search (use speaker:, country:, body:, topic: or date:); it was ignored."
        )
        return " "
    if not value:
        parsed.messages.append(f"{name}: needs a value.")
        return " "
    if name == "date":
        _date_operator(value, parsed)
        return " "
    index_field = OPERATOR_FIELDS[name]
    keys = _resolve(name, value)
    if not keys:
        parsed.messages.append(f"No {name} matches {value!r}.")
        keys = [value]
    if len(keys) == 1:
        return f" {index_field}:{quote(keys[0])} "
    return " (" + " OR ".join(f"{index_field}:{quote(k)}" for k in keys) + ") "


def _date_operator(value, parsed):
    low, sep, high = value.partition("..")
    try:
        start = parse_date(low) if low else None
        end = parse_date(high if sep else low, end=True) if (high or not sep) else None
    except ValueError as error:
        parsed.messages.append(f"Ignored date:{value}: {error}.")
        return
    if start and (parsed.date_from is None or start > parsed.date_from):
        parsed.date_from = start
    if end and (parsed.date_to is None or end < parsed.date_to):
        parsed.date_to = end


def _resolve(name, value):
    """Stable keys (slugs, ISO codes) for what a user typed after an operator: a key, a name or an alias.

    Each lookup is one or two indexed queries (``named()`` on the QuerySets); no table is read.
    """
    from archive.models import Body, Country, Speaker, Topic

    text = value.replace("_", " ").replace("+", " ").strip()
    if name == "country":
        return [country.code for country in Country.objects.named(text)]
    if name == "speaker":
        # A speaker known only from drafts is matched as one that does not exist (issue 15).
        return [speaker.slug for speaker in Speaker.objects.public().named(text)]
    model = {"body": Body, "topic": Topic}[name]
    condition = Q(slug=text.replace(" ", "-").lower()) | Q(name__iexact=text)
    if name == "body":
        condition |= Q(short_name__iexact=text)
    keys = list(model.objects.filter(condition).values_list("slug", flat=True)[:10])
    return keys or list(model.objects.filter(name__icontains=text).values_list("slug", flat=True)[:10])
