"""Trends for any search: the share of each year's statements that match, as a server-drawn SVG with
its table and CSV; "compare" splits it by up to five values of one facet."""

import csv
import io
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def table(html):
    """{year: [cell text, ...]} from the trend table."""
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', html)
    return {int(year): re.findall(r"<td>(.*?)</td>", cells) for year, cells in rows}


def test_trend_of_a_search_is_the_share_of_each_years_statements(client, corpus):
    html = client.get(reverse("search-trend"), {"q": "climate"}).content.decode()
    # 2019: Guinea-Bissau (1 of 1); 2020: Tsai, not Zhang (1 of 2); 2021: Côte d'Ivoire (1 of 1).
    assert table(html) == {2019: ["1 of 1 (100.0%)"], 2020: ["1 of 2 (50.0%)"], 2021: ["1 of 1 (100.0%)"]}
    svg = re.search(r'<svg viewBox="0 0 600 320" role="img".*?</svg>', html, re.S).group(0)
    assert svg.count("<polyline") == 1 and svg.count("<circle") == 3
    assert "<title>“climate”, 2020: 1 of 2 statements (50.0%)</title>" in svg
    assert ">2019</text>" in svg and ">100%</text>" in svg  # readable axis labels, in text
    assert "<script" not in html


def test_filters_apply_to_the_trend(client, corpus):
    html = client.get(reverse("search-trend"), {"q": "climate", "body": "general-assembly"}).content.decode()
    assert table(html)[2020] == ["1 of 1 (100.0%)"]  # the Security Council statement is not counted


def test_compare_draws_one_line_per_ticked_value(client, corpus):
    html = client.get(
        reverse("search-trend"), {"q": "climate", "compare": "country", "country": ["GNB", "CIV"]}
    ).content.decode()
    svg = re.search(r'<svg viewBox="0 0 600 320" role="img".*?</svg>', html, re.S).group(0)
    assert svg.count("<polyline") == 2
    assert 'data-series="Guinea-Bissau"' in svg and 'data-series="Côte d&#x27;Ivoire"' in svg
    rows = table(html)
    assert rows[2019] == ["1 of 1 (100.0%)", "–"] and rows[2021] == ["–", "1 of 1 (100.0%)"]
    # Not their union: without compare the same ticks make one line.
    union = client.get(reverse("search-trend"), {"q": "climate", "country": ["GNB", "CIV"]}).content.decode()
    assert union.count("<polyline") == 1


def test_compare_without_ticks_takes_the_top_values_and_refuses_other_facets(client, corpus):
    html = client.get(reverse("search-trend"), {"q": "climate", "compare": "country"}).content.decode()
    assert html.count("<polyline") == 2  # the two delegations with statements on climate (Tsai has none)
    bad = client.get(reverse("search-trend"), {"q": "climate", "compare": "language"}).content.decode()
    assert "Ignored compare=&#x27;language&#x27;" in bad and bad.count("<polyline") == 1


def test_trend_csv_has_every_year_and_series(client, corpus):
    response = client.get(
        reverse("search-trend"), {"q": "climate", "compare": "country", "country": ["GNB", "CIV"], "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2 * 3  # two countries x 2019-2021
    gnb_2019 = next(r for r in rows if r["value"] == "GNB" and r["year"] == "2019")
    assert (gnb_2019["matching"], gnb_2019["statements"], gnb_2019["share"]) == ("1", "1", "1.0000")


def test_search_page_links_to_its_trend(client, corpus):
    html = client.get(reverse("search"), {"q": "climate", "country": "GNB"}).content.decode()
    assert 'href="/search/trend/?q=climate&amp;country=GNB">How often, per year' in html


def test_trend_queries_do_not_grow_with_years_or_lines(client, corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the lines' labels; the counts come from the search engine
        client.get(reverse("search-trend"), {"q": "climate", "compare": "country", "country": ["GNB", "CIV", "CHN"]})
