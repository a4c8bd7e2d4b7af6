"""The one whitelist of filters, shared by search, browse pages, exports, feeds and the API.

A filter maps a URL parameter to a Speech (or Quotation) lookup in the database and to a field of
the search index. Unknown parameters are never passed through to a query; malformed values are
reported to the user, not raised.

URL values are stable identifiers, not display names: speaker and body and topic and event slugs,
country ISO codes (or EU, PSE, VAT), four-digit years, language codes, quotation kinds.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, Q
from django.db.models.functions import Cast, ExtractYear, Substr


@dataclass(frozen=True)
class Filter:
    key: str  # the URL parameter
    label: str  # shown on facet panels
    speech_lookup: str  # lookup on Speech
    quotation_lookup: str  # lookup on Quotation
    index_field: str  # field in the search indexes (an untokenized facet column)
    pattern: str = r"[\w.-]{1,200}"  # what a valid value looks like
    normalize: callable = field(default=lambda value: value)


FILTERS = {
    f.key: f
    for f in [
        Filter("speaker", "Speaker", "speaker__slug", "speaker__slug", "speaker"),
        Filter("country", "Country", "country__code", "speech__country__code", "country", r"[A-Za-z]{2,3}", str.upper),
        Filter("body", "Body", "event__body__slug", "speech__event__body__slug", "body"),
        Filter("event", "Meeting", "event__slug", "speech__event__slug", "event"),
        Filter("topic", "Topic", "topics__slug", "speech__topics__slug", "topics"),
        Filter(
            "language", "Language", "language", "speech__language", "language", r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*"
        ),
        Filter("year", "Year", "date__year", "speech__date__year", "year", r"[1-9]\d{3}"),
        Filter("kind", "Quotation kind", "", "kind", "kind", r"direct|indirect"),
        # Issue 13: the quotation's check against the official record.
        Filter(
            "verification",
            "Verification",
            "",
            "quote_check__verdict",
            "verification",
            r"verbatim|altered|translation-differs|not-found|no-record|other-language",
        ),
    ]
}
DATE_KEYS = ("date_from", "date_to")


@dataclass
class FilterState:
    """What a request asked for, validated: {key: [values]} plus an optional date range."""

    values: dict = field(default_factory=dict)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    errors: list = field(default_factory=list)

    def as_params(self):
        """The state as (key, value) pairs, in a stable order, for building URLs."""
        pairs = [(key, value) for key in FILTERS if key in self.values for value in self.values[key]]
        if self.date_from:
            pairs.append(("date_from", self.date_from.isoformat()))
        if self.date_to:
            pairs.append(("date_to", self.date_to.isoformat()))
        return pairs


# The dates a reader may type (YYYY, YYYY-MM, YYYY-MM-DD), for forms and the query language's date:.
# The API's OpenAPI schema (api/views.py) states the same pattern for its date parameters.
DATE_PATTERN = r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"


def parse_date(value, *, end=False):
    """Accept YYYY, YYYY-MM or YYYY-MM-DD; a partial date covers its whole year or month."""
    match = re.fullmatch(DATE_PATTERN, value.strip())
    if not match:
        raise ValueError(f"{value[:40]!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in match.groups())
    if year < 1 or (month is not None and not 1 <= month <= 12):
        raise ValueError(f"{value[:40]!r} is not a date: months run from 01 to 12")
    if day is not None:
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValueError(f"{value[:40]!r} is not a date: there is no such day") from None
    if month is None:
        return datetime.date(year, 12, 31) if end else datetime.date(year, 1, 1)
    if day is None:
        if end:
            next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
            return next_month - datetime.timedelta(days=1)
        return datetime.date(year, month, 1)
    return datetime.date(year, month, day)


def parse_filters(params, allowed=None):
    """Read the whitelisted filters out of a QueryDict (or any mapping of lists)."""
    state = FilterState()
    keys = allowed or FILTERS.keys()
    for key in keys:
        spec = FILTERS[key]
        raw_values = params.getlist(key) if hasattr(params, "getlist") else params.get(key, [])
        for raw in raw_values:
            raw = raw.strip()
            if not raw:
                continue
            if not re.fullmatch(spec.pattern, raw):
                state.errors.append(f"Ignored the {spec.label.lower()} filter {raw[:60]!r}: not a valid value.")
                continue
            value = spec.normalize(raw)
            if value not in state.values.setdefault(key, []):
                state.values[key].append(value)
        if key in state.values and not state.values[key]:
            del state.values[key]
    for key in DATE_KEYS:
        raw = params.get(key, "")
        if isinstance(raw, list):
            raw = raw[0] if raw else ""
        if raw and raw.strip():
            try:
                setattr(state, key, parse_date(raw, end=key == "date_to"))
            except ValueError as error:
                state.errors.append(f"Ignored {key.replace('_', ' ')}: {error}.")
    if state.date_from and state.date_to and state.date_from > state.date_to:
        raw_from, raw_to = params_first(params, "date_from").strip(), params_first(params, "date_to").strip()
        state.date_from, state.date_to = parse_date(raw_to), parse_date(raw_from, end=True)
        state.errors.append(
            f"The date range runs backwards (from {raw_from[:10]} to {raw_to[:10]}): showing"
            f" {state.date_from.isoformat()} to {state.date_to.isoformat()}."
        )
    return state


def params_first(params, key):
    raw = params.get(key, "")
    return (raw[0] if raw else "") if isinstance(raw, list) else raw


def without(state, key):
    """The same filters without one key's values: what a facet panel counts over (OR within a panel)."""
    values = {k: v for k, v in state.values.items() if k != key}
    return FilterState(values=values, date_from=state.date_from, date_to=state.date_to)


def filter_speeches(queryset, state):
    """Narrow a Speech queryset: AND across filters, OR within one filter's values."""
    return _apply(queryset, state, "speech_lookup", "date")


def filter_quotations(queryset, state):
    return _apply(queryset, state, "quotation_lookup", "speech__date")


def _apply(queryset, state, lookup_attr, date_field):
    needs_distinct = False
    for key, values in state.values.items():
        lookup = getattr(FILTERS[key], lookup_attr)
        if not lookup:
            continue
        condition = Q()
        for value in values:
            condition |= Q(**{lookup: value})
        queryset = queryset.filter(condition)
        needs_distinct |= "topics" in lookup
    if state.date_from:
        queryset = queryset.filter(**{f"{date_field}__gte": state.date_from})
    if state.date_to:
        queryset = queryset.filter(**{f"{date_field}__lte": state.date_to})
    return queryset.distinct() if needs_distinct else queryset


# Facet panels: for each whitelisted key, the Speech lookups that give a facet value (what goes
# back into the URL) and its label. Counted by the database over the filtered result set.
FACET_LOOKUPS = {
    "speaker": ("speaker__slug", "speaker__name"),
    "country": ("country__code", "country__name"),
    "body": ("event__body__slug", "event__body__name"),
    "topic": ("topics__slug", "topics__name"),
    "year": ("date__year", "date__year"),
    "language": ("language", "language"),
}
FACET_LIMIT = 12

# Orderings a browse page accepts; the first is the default. "name" only where a page offers it.
SORTS = {
    "newest": ("-date", "position", "-id"),
    "oldest": ("date", "position", "id"),
    "speaker": ("speaker__sort_name", "-date", "-id"),
}
SORT_LABELS = {"newest": "Newest first", "oldest": "Oldest first", "speaker": "Speaker A-Z"}


def parse_sort(params, allowed=("newest", "oldest", "speaker")):
    """The requested ordering, or the default with a message when the value is not one we offer."""
    raw = (params.get("sort") or "").strip()
    if not raw:
        return allowed[0], None
    if raw in allowed:
        return raw, None
    return allowed[0], f"Ignored the sort order {raw[:40]!r}: choose one of {', '.join(allowed)}."


# Facets whose labels live in another table: (the Speech lookup of the foreign key counted, the
# model holding the value and the label, its value field, its label field). Counted by that key,
# an integer, and only then joined to the twelve-odd labels' table: grouping every statement by two
# text columns (a speaker's slug and name, 5,000 groups in the UN corpus) was most of the cost.
FACET_KEYED = {
    "speaker": ("speaker_id", "Speaker", "slug", "name"),
    "country": ("country_id", "Country", "code", "name"),
    "body": ("event__body_id", "Body", "slug", "name"),
    "topic": ("topics__id", "Topic", "slug", "name"),
}


def speech_facets(queryset, keys=None, limit=FACET_LIMIT, label_contains=""):
    """{key: [(value, label, count), ...]} for the given filtered Speech queryset; one query per facet.

    The result set is taken as a subquery of ids so that joins made by the filters (topics) cannot
    count a statement twice.
    """
    from archive.models import Speech

    # A filter across a many-to-many (topics) repeats rows; only then count through a subquery of ids.
    if queryset.query.distinct:
        base, count = Speech.objects.filter(pk__in=queryset.order_by().values("pk")), Count("pk", distinct=True)
    else:
        base, count = queryset.order_by(), Count("pk")
    facets = {}
    for key in keys or FACET_LOOKUPS:
        if key == "year":
            # Years in year order, every one of them (a timeline, at most a few score rows).
            rows = (
                base.annotate(facet_year=year_of("date"))
                .values("facet_year")
                .annotate(count=count)
                .order_by("facet_year")
            )
            facets[key] = [(str(row["facet_year"]), str(row["facet_year"]), row["count"]) for row in rows]
            continue
        if key in FACET_KEYED:
            facets[key] = _keyed_facet(base, count, *FACET_KEYED[key], limit, label_contains)
            continue
        value_lookup, label_lookup = FACET_LOOKUPS[key]
        if label_contains:
            base = base.filter(**{f"{label_lookup}__icontains": label_contains})
        rows = (
            base.filter(**{f"{value_lookup}__isnull": False})
            .values(value_lookup, label_lookup)
            .annotate(count=count)
            .order_by("-count", label_lookup)[:limit]
        )
        facets[key] = [(str(row[value_lookup]), str(row[label_lookup]), row["count"]) for row in rows]
    return facets


MORE_LIMIT = 500  # values of one panel listed by its "more" link


def combined_facets(scope, state, keys, limit=FACET_LIMIT, more=None, label_contains=""):
    """Facet panels that combine: each panel counts over the statements every *other* filter allows,
    so ticking France keeps Germany and the rest visible ("any of" within a panel, "and" across).

    One query per panel, as before; ``more`` is the key whose panel lists all its values.
    """
    facets = {}
    for key in keys:
        base = filter_speeches(scope, without(state, key) if key in state.values else state)
        if key == more:
            facets.update(speech_facets(base, [key], limit=MORE_LIMIT, label_contains=label_contains))
        else:
            facets.update(speech_facets(base, [key], limit=limit))
    return facets


def _keyed_facet(base, count, key_lookup, model_name, value_field, label_field, limit, label_contains=""):
    """Count statements per foreign key, then join the counts to the labels: the top ``limit``
    by count, ties by label, as one query (the grouped statements are a subquery in FROM)."""
    from django.apps import apps
    from django.db import connections

    model = apps.get_model("archive", model_name)
    # filter(...isnull=False) rather than exclude(): across the topics many-to-many an exclude
    # becomes a correlated NOT EXISTS per statement; a filter is the inner join the count needs.
    grouped = (
        base.filter(**{f"{key_lookup}__isnull": False})
        .annotate(facet_key=F(key_lookup))
        .values("facet_key")
        .annotate(facet_count=count)
        .order_by()
    )
    connection = connections[base.db]
    inner_sql, params = grouped.query.get_compiler(connection=connection).as_sql()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    value = quote(model._meta.get_field(value_field).column)
    label = quote(model._meta.get_field(label_field).column)
    pk = quote(model._meta.pk.column)
    # Identifiers are the models' own, quoted; the subquery is the ORM's, its values bound as params.
    where, extra = "", ()
    if label_contains:
        # The "more" panel's filter box: names containing the text, any case (escaped for LIKE).
        escaped = label_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where, extra = f"WHERE UPPER(labels.{label}) LIKE UPPER(%s) ESCAPE '\\' ", (f"%{escaped}%",)
    sql = (
        f"SELECT labels.{value}, labels.{label}, grouped.facet_count "  # noqa: S608
        f"FROM ({inner_sql}) grouped INNER JOIN {table} labels ON labels.{pk} = grouped.facet_key "
        f"{where}ORDER BY grouped.facet_count DESC, labels.{label} ASC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *extra, limit))
        return [(str(value), str(label), number) for value, label, number in cursor.fetchall()]


def year_of(field):
    """The year of a date column, computed by the database itself.

    On SQLite Django's ``__year`` calls back into Python for every row; dates are stored there as
    ISO text, so the first four characters are the year.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        return Cast(Substr(field, 1, 4), IntegerField())
    return ExtractYear(field)
