"""CSV and JSON Lines exports of statements and quotations, streamed row by row.

The row builders take any iterable of Speech or Quotation objects (a queryset iterator here; a
search result's objects later), so every result set in the archive exports the same columns.
Nothing holds all rows in memory: querysets are read with ``.iterator(chunk_size=...)`` and each
row is encoded and sent as soon as it is built.
"""

import csv
import json

from django.db.models import Prefetch, QuerySet
from django.http import StreamingHttpResponse

from archive.models import Source, Topic, quote_check_of
from archive.ratelimit import over_limit, too_many_requests

# Rows per database round trip, and what bounds an export's memory: one chunk of full texts is held
# at a time (in the driver's buffer and as model instances). General Debate speeches of the 1950s-80s
# average twice the length of recent ones (~25,000 characters against ~12,600, up to 127,000), so
# with 500 a chunk the peak followed how far back an export reached (31 MiB for the newest 1,552
# rows, 56 for all 10,952); with 100 it is about 18 to 25 MiB whatever the number of rows.
CHUNK_SIZE = 100
FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def _join(values):
    return "; ".join(v for v in values if v)


# (column, what it holds, how to read it from one object). The order is the CSV column order.
SPEECH_COLUMNS = [
    ("id", "The statement's number in the archive", lambda s, b: s.pk),
    ("url", "Its permalink", lambda s, b: b + s.get_absolute_url()),
    ("date", "Date as YYYY-MM-DD; with a coarser precision the day (and month) are the first", lambda s, b: s.date),
    ("date_precision", "day, month or year: how much of the date is known", lambda s, b: s.date_precision),
    (
        "display_date",
        "The date as precisely as it is known: 1970, August 1970, 6 August 2020",
        lambda s, b: s.display_date,
    ),
    ("speaker", "Speaker's name", lambda s, b: s.speaker.name),
    ("speaker_slug", "Speaker's identifier (the speaker filter value)", lambda s, b: s.speaker.slug),
    ("role", "The speaker's role at the time", lambda s, b: s.role),
    (
        "country_code",
        "Delegation: ISO 3166-1 alpha-3 or EU, PSE, VAT",
        lambda s, b: s.country.code if s.country else "",
    ),
    ("country", "Delegation's name", lambda s, b: s.country.name if s.country else ""),
    ("on_behalf_of", "Group spoken for, if any", lambda s, b: s.on_behalf_of),
    ("body", "UN body of the event", lambda s, b: s.event.body.name if s.event else ""),
    ("body_slug", "Its identifier (the body filter value)", lambda s, b: s.event.body.slug if s.event else ""),
    ("event", "Meeting or debate title", lambda s, b: s.event.title if s.event else ""),
    ("event_slug", "Its identifier (the event filter value)", lambda s, b: s.event.slug if s.event else ""),
    ("meeting_symbol", "Meeting record symbol, e.g. S/PV.8700", lambda s, b: s.event.meeting_symbol if s.event else ""),
    ("agenda_item", "Agenda item", lambda s, b: s.event.agenda_item if s.event else ""),
    ("position", "Speaking order within the event", lambda s, b: s.position if s.position is not None else ""),
    ("language", "Language of the text (BCP 47)", lambda s, b: s.language),
    ("title", "Title of the statement", lambda s, b: s.display_title),
    ("topics", "Topic identifiers, separated by '; '", lambda s, b: _join(t.slug for t in s.topics.all())),
    (
        "sources",
        "Source publishers and URLs, separated by '; '",
        lambda s, b: _join(_source(x) for x in s.sources.all()),
    ),
    ("text", "The full text of the statement, if the archive has it", lambda s, b: s.text),
]

QUOTATION_COLUMNS = [
    ("id", "The quotation's number in the archive", lambda q, b: q.pk),
    ("url", "Its permalink", lambda q, b: b + q.get_absolute_url()),
    ("statement_id", "The statement it belongs to", lambda q, b: q.speech_id),
    ("statement_url", "That statement's permalink", lambda q, b: b + q.speech.get_absolute_url()),
    ("date", "Date of the statement (YYYY-MM-DD)", lambda q, b: q.speech.date),
    ("display_date", "The date as precisely as it is known", lambda q, b: q.speech.display_date),
    ("speaker", "Who said it", lambda q, b: q.speaker.name),
    ("speaker_slug", "Their identifier", lambda q, b: q.speaker.slug),
    ("kind", "direct or indirect (reported speech)", lambda q, b: q.kind),
    ("text", "The quotation, exactly as in its source", lambda q, b: q.text),
    ("cue", "The attributing verb: said, added", lambda q, b: q.cue),
    ("confidence", "0-1; 1 for quotations an editor entered", lambda q, b: q.confidence),
    ("reviewed", "true when an editor has checked it", lambda q, b: q.reviewed),
    ("country_code", "Delegation of the statement", lambda q, b: q.speech.country.code if q.speech.country else ""),
    ("body", "UN body of the event", lambda q, b: q.speech.event.body.name if q.speech.event else ""),
    ("event", "Meeting or debate title", lambda q, b: q.speech.event.title if q.speech.event else ""),
    (
        "meeting_symbol",
        "Meeting record symbol",
        lambda q, b: q.speech.event.meeting_symbol if q.speech.event else "",
    ),
    ("source", "Where the quotation was taken from", lambda q, b: _source(q.source) if q.source else ""),
    ("start", "Character offset of its first character in the source text", lambda q, b: q.start),
    ("end", "Character offset just after its last character", lambda q, b: q.end),
    # Issue 13: the check against the official record (empty when not checked).
    (
        "verification",
        "verbatim, altered, translation-differs, not-found, no-record or other-language",
        lambda q, b: getattr(quote_check_of(q), "verdict", ""),
    ),
    ("verification_score", "0-1 similarity with the record passage", lambda q, b: _check_field(q, "score")),
    ("record", "The official record used", lambda q, b: _check_field(q, "record_label")),
    ("record_start", "Character offset of the passage in the record", lambda q, b: _check_field(q, "record_start")),
    ("record_end", "Character offset just after the passage", lambda q, b: _check_field(q, "record_end")),
]


def _check_field(quotation, name):
    check = quote_check_of(quotation)
    value = getattr(check, name, None) if check is not None else None
    return "" if value is None else value


def _source(source):
    return " ".join(part for part in [source.publisher, source.url] if part)


def speech_export_queryset(queryset):
    """What the statement columns read, fetched per chunk: no query per row."""
    return queryset.select_related("speaker", "country", "event", "event__body").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.only("slug")),
        Prefetch("sources", queryset=Source.objects.only("publisher", "url")),
    )


def quotation_export_queryset(queryset):
    return queryset.select_related(
        "speaker",
        "source",
        "speech",
        "speech__speaker",
        "speech__country",
        "speech__event",
        "speech__event__body",
        "quote_check",
    )


def rows(objects, columns, base_url=""):
    """One dict per object, in column order. ``objects`` is any iterable (a queryset is iterated in chunks)."""
    if isinstance(objects, QuerySet):
        objects = objects.iterator(chunk_size=CHUNK_SIZE)
    for obj in objects:
        yield {name: read(obj, base_url) for name, _, read in columns}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value):
    """Spreadsheets run cells that start like a formula; a leading apostrophe keeps them text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Echo:
    def write(self, value):
        return value


def csv_lines(row_dicts, columns):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    yield writer.writerow([name for name, _, _ in columns])
    for row in row_dicts:
        yield writer.writerow([_csv_safe(row[name]) for name, _, _ in columns])


def jsonl_lines(row_dicts):
    for row in row_dicts:
        yield json.dumps(row, ensure_ascii=False, default=str) + "\n"


def stream(objects, columns, fmt, filename, base_url=""):
    """A download of every object, as CSV or JSON Lines, built while it is sent."""
    row_dicts = rows(objects, columns, base_url)
    lines = csv_lines(row_dicts, columns) if fmt == "csv" else jsonl_lines(row_dicts)
    response = StreamingHttpResponse(lines, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def speech_download(request, objects, fmt, filename="statements"):
    """Every download of statements goes through here, so every one is rate limited ("export").

    ``objects`` is a queryset (its related rows are fetched per chunk here), any iterable of
    Speech objects already read that way, or a function returning one, called only once the
    request is within its limit (a search's hits: ``archive.search.search_objects``).
    """
    return _download(request, objects, fmt, filename, SPEECH_COLUMNS, speech_export_queryset)


def quotation_download(request, objects, fmt, filename="quotations"):
    return _download(request, objects, fmt, filename, QUOTATION_COLUMNS, quotation_export_queryset)


def _download(request, objects, fmt, filename, columns, prepare_queryset):
    retry_after = over_limit(request, "export")
    if retry_after:
        return too_many_requests(retry_after)
    objects = objects() if callable(objects) else objects
    if isinstance(objects, QuerySet):
        objects = prepare_queryset(objects)
    base = request.build_absolute_uri("/")[:-1]
    return stream(objects, columns, fmt, filename, base)
