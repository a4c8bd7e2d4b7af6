"""The quote check on pages: the side-by-side view with differences marked, and a statement's summary."""

from django import template
from django.utils.html import format_html, format_html_join

from archive.models import QuotationCheck, quote_check_of
from archive.quotecheck.results import VERBATIM, VERDICT_LABELS, VERDICTS

register = template.Library()

_MARK = {
    "substituted": ("del", "ins"),
    "inserted": (None, "ins"),
    "omitted": ("del", None),
    "reordered": ("del", "ins"),
}


def _marked(text, spans):
    """``text`` with each (start, end, tag, label) span wrapped in that tag and named in words
    (never colour alone); everything escaped."""
    parts, at = [], 0
    for start, end, tag, label in sorted(spans):
        if start < at:
            continue
        parts.append(format_html("{}", text[at:start]))
        if end > start:
            parts.append(
                format_html(
                    '<{} class="qc-{}" title="{}">{}</{}> <small class="qc-label">[{}]</small>',
                    tag,
                    label,
                    label,
                    text[start:end],
                    tag,
                    label,
                )
            )
        else:
            parts.append(format_html('<small class="qc-label qc-gap">[{} here]</small>', label))
        at = end
    parts.append(format_html("{}", text[at:]))
    return format_html_join("", "{}", ((p,) for p in parts))


@register.inclusion_tag("archive/includes/quote_check.html")
def quote_check(quotation):
    check = QuotationCheck.objects.filter(quotation=quotation).first()
    if check is None:
        return {"check": None, "quotation": quotation}
    quote_spans, record_spans = [], []
    base = check.record_start or 0
    for d in check.differences:
        quote_tag, record_tag = _MARK.get(d["kind"], ("mark", "mark"))
        if d["kind"] == "inserted":
            quote_spans.append((d["quote_start"], d["quote_end"], "ins", "inserted"))
        elif d["kind"] == "omitted":
            record_spans.append((d["record_start"] - base, d["record_end"] - base, "del", "omitted"))
            quote_spans.append((d["quote_start"], d["quote_start"], "span", "omitted"))
        else:
            quote_spans.append((d["quote_start"], d["quote_end"], "ins", d["kind"]))
            record_spans.append((d["record_start"] - base, d["record_end"] - base, "del", d["kind"]))
    return {
        "check": check,
        "quotation": quotation,
        "label": VERDICT_LABELS.get(check.verdict, check.verdict),
        "quote_marked": _marked(check.quotation_text or quotation.text, quote_spans),
        "passage_marked": _marked(check.passage, record_spans),
        "stale": check.quotation_text != quotation.text,
    }


@register.inclusion_tag("archive/includes/quote_check_summary.html")
def quote_check_summary(speech):
    """ "9 of 13 quotations verbatim, 2 altered, 2 not in the record", and which outlets quoted
    which passages of the record. One query."""
    checks = list(
        QuotationCheck.objects.filter(quotation__speech=speech, quotation__status="accepted")
        .select_related("quotation__source")
        .order_by("record_start", "quotation_id")
    )
    counts = {}
    for check in checks:
        counts[check.verdict] = counts.get(check.verdict, 0) + 1
    # "9 of 13 quotations verbatim, 2 altered, 2 not in the record"
    plural = "s" if len(checks) != 1 else ""
    parts = [f"{counts.get(VERBATIM, 0)} of {len(checks)} quotation{plural} verbatim"]
    parts += [f"{counts[v]} {label.lower()}" for v, label in VERDICTS if counts.get(v) and v != VERBATIM]
    outlets = [
        (check.quotation.source.publisher if check.quotation.source_id else "", check)
        for check in checks
        if check.passage
    ]
    return {"checks": checks, "total": len(checks), "parts": parts, "outlets": outlets}


@register.inclusion_tag("archive/includes/quote_check_line.html")
def quote_check_line(quotation):
    """One line for the editors' review screen: the verdict before publishing (issue 13).
    Reads ``quotation.quote_check`` (select it with the quotation: no query per row)."""
    check = quote_check_of(quotation)
    return {
        "check": check,
        "quotation": quotation,
        "label": VERDICT_LABELS.get(check.verdict, "") if check else "",
    }
