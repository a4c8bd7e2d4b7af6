"""References to a statement or a quotation in Chicago, APA and BibTeX, built from the data.

Each function takes the speech (and optionally one quotation of it) and the absolute permalink,
and returns plain text: templates escape it like any other text.
"""

import re

from archive.models import Speech

MONTHS_BIBTEX = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _name_parts(speaker):
    """(family, given): the speaker's name parts, else from the sort name ("Family, Given" or "Zhang Jun")."""
    family_name = getattr(speaker, "family_name", "")
    if family_name:
        return family_name, speaker.given_name
    sort_name = (speaker.sort_name or speaker.name).strip()
    if "," in sort_name:
        family, given = (part.strip() for part in sort_name.split(",", 1))
        return family, given
    parts = sort_name.split()
    if len(parts) == 1:
        return parts[0], ""
    return parts[0], " ".join(parts[1:])


def _family_first(speaker):
    family, given = _name_parts(speaker)
    if not given:
        return family
    # A name said family name first ("Zhang Jun") is cited as it is said; others invert: "Macron, Emmanuel".
    if getattr(speaker, "family_name", ""):
        return f"{family} {given}" if speaker.name.startswith(f"{family} ") else f"{family}, {given}"
    return f"{family}, {given}" if "," in (speaker.sort_name or "") else f"{family} {given}"


def _initials(given):
    return " ".join(f"{part[0]}." for part in re.split(r"[\s]+", given) if part)


def _chicago_date(speech):
    date = speech.date
    if speech.date_precision == Speech.DatePrecision.YEAR:
        return str(date.year)
    if speech.date_precision == Speech.DatePrecision.MONTH:
        return date.strftime("%B %Y")
    return f"{date.strftime('%B')} {date.day}, {date.year}"


def _apa_date(speech):
    date = speech.date
    if speech.date_precision == Speech.DatePrecision.YEAR:
        return str(date.year)
    if speech.date_precision == Speech.DatePrecision.MONTH:
        return f"{date.year}, {date.strftime('%B')}"
    return f"{date.year}, {date.strftime('%B')} {date.day}"


def _venue(speech):
    """ "High-level open debate ..., Security Council, S/PV.8700" - as much as is known."""
    parts = []
    if speech.event_id:
        parts.append(speech.event.title)
        parts.append(speech.event.body.name)
        if speech.event.meeting_symbol:
            parts.append(speech.event.meeting_symbol)
    return ", ".join(parts)


def _source(speech):
    sources = list(speech.sources.all())
    return sources[0] if sources else None


def _title(speech, quotation):
    if quotation is not None:
        text = quotation.text if len(quotation.text) <= 120 else quotation.text[:117].rstrip() + "..."
        return text
    return speech.display_title


def _sentence(text):
    text = text.strip()
    return text if text.endswith((".", "?", "!", "...")) else text + "."


def chicago(speech, url, quotation=None):
    """Chicago (notes and bibliography), bibliography form."""
    speaker = quotation.speaker if quotation is not None else speech.speaker
    parts = [_sentence(_family_first(speaker))]
    parts.append(f"\u201c{_sentence(_title(speech, quotation))}\u201d")
    said = "Quoted from a statement" if quotation is not None else "Statement"
    if speech.role:
        said += f" by the {speech.role}" if not speech.role.lower().startswith("the ") else f" by {speech.role}"
    venue = _venue(speech)
    if venue:
        said += f" at the {venue}" if not venue.lower().startswith("the ") else f" at {venue}"
    parts.append(f"{said}, {_chicago_date(speech)}.")
    source = _source(speech) if quotation is None or quotation.source is None else quotation.source
    if source is not None:
        reported = f"Reported by {source.publisher}"
        if source.published_on:
            reported += f", {source.published_on.strftime('%B')} {source.published_on.day}, {source.published_on.year}"
        parts.append(reported + ".")
    parts.append(f"Statements Archive. {url}.")
    return " ".join(parts)


def apa(speech, url, quotation=None):
    """APA 7th edition reference."""
    speaker = quotation.speaker if quotation is not None else speech.speaker
    family, given = _name_parts(speaker)
    author = f"{family}, {_initials(given)}" if given else family
    title = _title(speech, quotation).rstrip(".")
    described = "[Quotation from a statement]" if quotation is not None else "[Speech]"
    parts = [f"{author} ({_apa_date(speech)}).", f"{title} {described}."]
    venue = _venue(speech)
    if venue:
        parts.append(f"{venue}.")
    source = _source(speech) if quotation is None or quotation.source is None else quotation.source
    if source is not None:
        parts.append(f"{source.publisher}.")
    parts.append(url)
    return " ".join(parts)


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bibtex_escape(text):
    def replace(match):
        char = match.group(1)
        if char == "\\":
            return r"\textbackslash{}"
        if char in "^~":
            return {"^": r"\^{}", "~": r"\~{}"}[char]
        return "\\" + char

    return _BIBTEX_SPECIAL.sub(replace, text)


def bibtex_key(speech, quotation=None):
    speaker = quotation.speaker if quotation is not None else speech.speaker
    family = re.sub(r"[^a-z0-9]", "", _name_parts(speaker)[0].lower()) or "anon"
    kind, pk = ("quotation", quotation.pk) if quotation is not None else ("statement", speech.pk)
    return f"{family}{speech.date.year}{kind}{pk}"


def bibtex(speech, url, quotation=None):
    speaker = quotation.speaker if quotation is not None else speech.speaker
    family, given = _name_parts(speaker)
    fields = [
        ("author", f"{family}, {given}" if given else family),
        ("title", "{" + _title(speech, quotation) + "}"),
        ("year", str(speech.date.year)),
    ]
    if speech.date_precision != Speech.DatePrecision.YEAR:
        fields.append(("month", MONTHS_BIBTEX[speech.date.month - 1]))
    if speech.date_precision == Speech.DatePrecision.DAY:
        fields.append(("day", str(speech.date.day)))
    howpublished = ", ".join(p for p in [speech.role, _venue(speech)] if p)
    if howpublished:
        fields.append(("howpublished", howpublished))
    if speech.event_id and speech.event.meeting_symbol:
        fields.append(("number", speech.event.meeting_symbol))
    source = _source(speech) if quotation is None or quotation.source is None else quotation.source
    if source is not None:
        fields.append(("note", f"Reported by {source.publisher}"))
    fields.append(("url", url))
    lines = []
    for name, value in fields:
        if name == "month":
            lines.append(f"  {name} = {value}")
        elif name == "url":
            lines.append(f"  {name} = {{{value}}}")
        elif name == "title":
            # Double braces keep capitalisation; escape only the inside.
            lines.append(f"  {name} = {{{{{_bibtex_escape(value[1:-1])}}}}}")
        else:
            lines.append(f"  {name} = {{{_bibtex_escape(value)}}}")
    return f"@misc{{{bibtex_key(speech, quotation)},\n" + ",\n".join(lines) + "\n}"


def all_formats(speech, url, quotation=None):
    return [
        ("chicago", "Chicago", chicago(speech, url, quotation)),
        ("apa", "APA", apa(speech, url, quotation)),
        ("bibtex", "BibTeX", bibtex(speech, url, quotation)),
    ]
