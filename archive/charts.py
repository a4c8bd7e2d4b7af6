"""Chart geometry for server-rendered SVG: the templates draw it, so no page needs a script.

Every chart here also has its numbers in text (a table, a title per mark) for readers who cannot
see it, and labels sized in CSS pixels that stay readable on a 390 px phone.
"""

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
    return {"width": width, "height": height, "bars": bars, "first": first, "last": last}
