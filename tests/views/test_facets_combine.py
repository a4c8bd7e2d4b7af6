"""Facets that combine, on browse pages and the search page: "any of" within a panel, "and" across
panels, a "more" link with a filter box, the year panel in year order, all state in the URL."""

import datetime
import re

import pytest

from archive.models import Country
from tests.browse_helpers import corpus_fixture, screen_ids  # noqa: F401 - corpus_fixture is a fixture
from tests.factories import SpeechFactory

pytestmark = pytest.mark.django_db


def panel(html, key):
    match = re.search(rf'<section class="facet[^"]*" data-facet="{key}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def links(panel_html):
    """(label, href) of each value in a panel, in screen order."""
    return [
        (label, href.replace("&amp;", "&"))
        for href, label in re.findall(
            r'<li[^>]*><a(?: class="selected")? href="([^"]+)"[^>]*>'
            r'(?:<span class="visually-hidden">Remove: </span>)?([^<]+)</a>',
            panel_html,
        )
    ]


# --- Browse pages -------------------------------------------------------------------------------


def test_ticking_a_country_keeps_the_others_and_a_second_tick_gives_the_union(client, corpus):
    html = client.get("/statements/?country=CHN").content.decode()
    countries = dict(links(panel(html, "country")))
    # France is still offered, and its link adds it to China rather than replacing it.
    assert countries["France"] == "?country=CHN&country=FRA"
    assert countries["China"] == "?"  # the ticked value removes itself
    union = set(screen_ids(client, "/statements/?" + countries["France"][1:]))
    assert union == {corpus[k].pk for k in ("wang2019", "wang2021", "alice2017", "alice2021")}
    # Across panels the filters still combine with "and": the year panel counts China only.
    years = panel(html, "year")
    assert "1970" not in re.sub(r"<svg.*?</svg>", "", years, flags=re.S)  # Palestine's year is not China's


def test_year_panel_is_in_year_order_with_a_bar_per_year(client, corpus):
    html = client.get("/statements/").content.decode()
    years = [label for label, _ in links(panel(html, "year"))]
    assert years == sorted(years) and years[0] == "1970" and years[-1] == "2021"
    strip = re.search(r'<svg class="year-strip".*?</svg>', panel(html, "year"), re.S).group(0)
    # Every year with statements is a bar linking to it, with its count in the bar's title.
    assert "<title>2021: 2</title>" in strip and 'href="?year=2021"' in strip


@pytest.fixture
def many_countries(reference_data):
    codes = list(Country.objects.order_by("code").values_list("code", flat=True)[:15])
    for index, code in enumerate(codes):
        for _ in range(index + 1):  # distinct counts: the 15th country has the most statements
            SpeechFactory(country=Country.objects.get(code=code), date=datetime.date(2000 + index, 1, 1))
    return codes


def test_more_lists_every_value_and_the_filter_box_finds_one(client, many_countries):
    html = client.get("/statements/").content.decode()
    countries = panel(html, "country")
    assert len(links(countries)) == 12
    more = re.search(r'<p class="facet-more"><a href="([^"#]+)', countries).group(1).replace("&amp;", "&")
    assert more == "?more=country"
    expanded = panel(client.get("/statements/" + more).content.decode(), "country")
    assert len(links(expanded)) == 15 and "Fewer" in expanded
    assert '<input type="hidden" name="more" value="country">' in expanded
    least = Country.objects.get(code=many_countries[0])
    found = panel(
        client.get("/statements/", {"more": "country", "facet_filter": least.name[1:5].upper()}).content.decode(),
        "country",
    )
    assert least.name in [label for label, _ in links(found)]
    assert len(links(found)) < 15


def test_facet_queries_do_not_grow_with_the_number_of_ticked_values(
    client, many_countries, django_assert_max_num_queries
):
    one = "&".join(f"country={c}" for c in many_countries[:1])
    five = "&".join(f"country={c}" for c in many_countries[:5])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(f"/statements/?{one}")
    with CaptureQueriesContext(connection) as second:
        client.get(f"/statements/?{five}&year=2001")
    assert len(second) == len(first)
