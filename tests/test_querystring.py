"""archive/querystring.py: facet links keep every other parameter, in order, and toggle one value."""

import pytest
from django.http import QueryDict

from archive.filters import FILTERS
from archive.querystring import Query


def reference_toggle(params, key, value, selected):
    """The link as it was built before links were made per panel: copy, drop, set, encode."""
    normalize = FILTERS[key].normalize if key in FILTERS else (lambda v: v)
    params = params.copy()
    for dropped in ("page", "format"):
        params.pop(dropped, None)
    values = [v for v in params.getlist(key) if v.strip() and normalize(v.strip()) != value]
    if not selected:
        values.append(value)
    params.setlist(key, values)
    return "?" + params.urlencode()


@pytest.mark.parametrize(
    "query",
    [
        "q=peace",
        "q=peace&country=FRA&year=1997&page=3",
        "country=fra&q=%22we+the+peoples%22&country=DEU&format=csv",
        "year=2001&year=2002&q=climate+change&topic=climate-change",
        "q=&country=+&year=1990",
        "q=%C3%A9t%C3%A9&speaker=zhang-jun&body=security-council&more=year",
    ],
)
@pytest.mark.parametrize("key", ["country", "year", "topic", "speaker"])
def test_a_facet_link_toggles_one_value_and_keeps_the_rest_in_order(query, key):
    params = QueryDict(query)
    toggle = Query(params).toggler(key)
    for value in ["FRA", "DEU", "1997", "2002", "climate-change", "zhang-jun", "x&y=z"]:
        for selected in (True, False):
            assert toggle(value, selected) == reference_toggle(params, key, value, selected)
