"""Chart geometry for server-rendered SVG: the templates draw it, so no page needs a script.

Every chart here also has its numbers in text (a table, a title per mark) for readers who cannot
see it, and labels sized in CSS pixels that stay readable on a 390 px phone.
"""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

# The palette of comparison lines: distinguishable for the common colour-vision deficiencies, each
# line also drawn with its own dash pattern so the series never depend on colour alone.
SERIES_COLOURS = ["#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad", "#b9770e"]
SERIES_DASHES = ["", "6 3", "2 2", "8 3 2 3", "1 3"]


def year_strip(values, width=224, height=36):
    """A small bar per year for the year facet: ``values`` are (year, count, href) in year order.

    Every year in the range gets a slot (gaps are real zeros); each bar links to that year.
    """
    if not values:
        return None
    by_year = {int(year): (count, href) for year, count, href in values}
    first, last = min(by_year), max(by_year)
    years = list(range(first, last + 1))
    top = max(count for count, _ in by_year.values()) or 1
    step = width / len(years)
    bars = []
    for index, year in enumerate(years):
        count, href = by_year.get(year, (0, None))
        bar_height = round(max(height * count / top, 1 if count else 0), 1)
        bars.append(
            {
                "year": year,
                "count": count,
                "href": href,
                "x": round(index * step, 1),
                "y": round(height - bar_height, 1),
                "width": round(max(step - 1, 1), 1),
                "height": bar_height,
            }
        )
    strip = {"width": width, "height": height, "bars": bars, "first": first, "last": last}
    strip["svg"] = _year_strip_svg(strip)
    return strip


def _year_strip_svg(strip):
    """The strip as SVG markup, each year a link. Drawn here, not in the template: a century of bars,
    ten numbers each, made the template engine the largest single cost of a search page (about a
    quarter of it). The numbers are ints and floats this function computed; the only text, each
    bar's href, is escaped as a template would."""
    height = strip["height"]
    bars = "".join(
        f'<a href="{escape(bar["href"])}"><title>{bar["year"]}: {bar["count"]:,}</title>'
        f'<rect x="{bar["x"]}" y="0" width="{bar["width"]}" height="{height}" class="hit"/>'
        f'<rect x="{bar["x"]}" y="{bar["y"]}" width="{bar["width"]}" height="{bar["height"]}"/></a>'
        for bar in strip["bars"]
        if bar["href"]
    )
    return mark_safe(  # noqa: S308 - numbers computed above and escaped hrefs only
        f'<svg class="year-strip" viewBox="0 0 {strip["width"]} {height}" width="{strip["width"]}" '
        f'height="{height}" role="img" aria-label="Statements per year, {strip["first"]} to {strip["last"]}">'
        f"{bars}</svg>"
    )


def year_chart(counts, width=640, height=160):
    """Bars for (year, count) pairs, every year in the range shown (gaps are real zeros).

    Geometry only: the template draws it as inline SVG, so the page needs no script or library.
    """
    if not counts:
        return None
    by_year = dict(counts)
    years = list(range(min(by_year), max(by_year) + 1))
    top = max(by_year.values())
    plot_height = height - 30
    step = width / len(years)
    bar_width = min(max(step * 0.8, 1), 48)  # one year alone should not fill the chart
    every = label_step(len(years))
    bars = []
    for index, year in enumerate(years):
        count = by_year.get(year, 0)
        bar_height = round(plot_height * count / top, 1) if top else 0
        bars.append(
            {
                "year": year,
                "count": count,
                "x": round(index * step + (step - bar_width) / 2, 1),
                "y": round(plot_height - bar_height, 1),
                "width": round(bar_width, 1),
                "height": bar_height,
                "label_x": round(index * step + step / 2, 1),
                # At most about seven labels, large in the viewBox: readable on a 390 px phone.
                "show_label": year % every == 0 if len(years) > 1 else True,
            }
        )
    return {
        "width": width,
        "height": height,
        "plot_height": plot_height,
        "bars": bars,
        "max": top,
        "first_year": years[0],
        "last_year": years[-1],
    }


def _nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 x 10^n at or above ``value`` (for a clean top of the axis)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def label_step(count, most=7):
    """Label every n-th year (1, 2, 5, 10, ...) so that at most ``most`` labels are drawn."""
    for step in (1, 2, 5, 10, 20, 25, 50):
        if count / step <= most:
            return step
    return 100


def trend_chart(years, series, width=600, height=320):
    """Lines of the share of each year's statements a search matches, one per series.

    ``series`` are objects with ``label``, ``counts`` and ``totals`` ({year: n}) and ``share(year)``.
    The viewBox is small and the text large in it, so the labels stay readable when the SVG is
    scaled down to a phone's width; a year label every few years, never overlapping.

    Kept as one function (over 60 lines): the lines, the ticks and the year labels all share the
    two scales ``x`` and ``y`` defined inside it; split, they would pass them around instead.
    """
    if not years or not series:
        return None
    left, right, top, bottom = 56, 16, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max((s.share(y) for s in series for y in years), default=0)
    ceiling = _nice_ceiling(highest * 100) / 100  # a share, 0..1
    span = max(len(years) - 1, 1)

    def x(index):
        return round(left + (plot_w * index / span if len(years) > 1 else plot_w / 2), 1)

    def y(share):
        return round(top + plot_h - plot_h * share / ceiling, 1)

    lines = []
    for number, item in enumerate(series):
        points = []
        for index, year in enumerate(years):
            share = item.share(year)
            points.append(
                {
                    "x": x(index),
                    "y": y(share),
                    "year": year,
                    "count": item.counts.get(year, 0),
                    "total": item.totals.get(year, 0),
                    "percent": round(share * 100, 1),
                }
            )
        lines.append(
            {
                "label": item.label,
                "colour": SERIES_COLOURS[number % len(SERIES_COLOURS)],
                "dash": SERIES_DASHES[number % len(SERIES_DASHES)],
                "points": points,
                "path": " ".join(f"{p['x']},{p['y']}" for p in points),
            }
        )
    ticks = [{"y": y(ceiling * i / 4), "label": f"{ceiling * 100 * i / 4:g}%"} for i in range(5)]
    step = label_step(len(years))
    year_labels = [
        {"x": x(index), "label": year} for index, year in enumerate(years) if year % step == 0 or len(years) == 1
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": top + plot_h,
        "label_y": height - 12,
        "lines": lines,
        "ticks": ticks,
        "years": year_labels,
        "first_year": years[0],
        "last_year": years[-1],
    }
