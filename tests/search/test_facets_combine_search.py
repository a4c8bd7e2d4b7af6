"""Facets that combine on the search page (counted by the search engine): "any of" within a panel,
"and" across panels, a "more" link with a filter box, the year panel in year order."""

import re

import pytest
from django.urls import reverse

from archive.models import Country
from tests.views.test_facets_combine import links, many_countries, panel  # noqa: F401, F811 - many_countries is a fixture

pytestmark = pytest.mark.django_db


def test_search_facets_combine(client, corpus):
    c = corpus
    html = client.get(reverse("search"), {"q": "climate", "country": "CIV"}).content.decode()
    countries = dict(links(panel(html, "country")))
    # Guinea-Bissau is still offered beside the ticked Côte d'Ivoire, and adds to it.
    assert countries["Guinea-Bissau"] == "?q=climate&country=CIV&country=GNB"
    result = client.get(reverse("search") + countries["Guinea-Bissau"]).content.decode()
    assert {int(i) for i in re.findall(r'data-pk="(\d+)"', result)} == {c["civ"].pk, c["gnb"].pk}
    assert "1–2 of 2 statements" in result


def test_search_year_panel_in_year_order(client, corpus):
    html = client.get(reverse("search"), {"q": "climate"}).content.decode()
    assert [label for label, _ in links(panel(html, "year"))] == ["2019", "2020", "2021"]


def test_search_more_link_and_filter_box(client, reindex, many_countries):  # noqa: F811
    reindex()
    html = client.get(reverse("search")).content.decode()
    countries = panel(html, "country")
    assert len(links(countries)) == 12
    assert 'href="?more=country#facet-country"' in countries
    expanded = panel(client.get(reverse("search"), {"more": "country"}).content.decode(), "country")
    assert len(links(expanded)) == 15
    least = Country.objects.get(code=many_countries[0])
    found = panel(
        client.get(reverse("search"), {"more": "country", "facet_filter": least.name[1:5]}).content.decode(), "country"
    )
    assert least.name in [label for label, _ in links(found)] and len(links(found)) < 15
    # Ticking a value in the expanded panel keeps it expanded (the state is in the URL).
    assert "more=country" in links(found)[0][1]
