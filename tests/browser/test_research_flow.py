"""Issue 14 in a browser, at 1280 and 390 px: facets that combine, the mobile layout, a trend chart
comparing three countries, paragraph links, and the API docs under the site's CSP."""

import datetime

import pytest
from django.core.management import call_command

from archive.models import Country
from tests.factories import SpeechFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAGRAPHS = "\n\n".join(
    f"Paragraph {n}. " + ("Climate change threatens us all. " if n == 12 else "We discuss other matters here. ") * 12
    for n in range(1, 21)
)


@pytest.fixture
def climate_corpus(reference_data, search_index):
    speeches = []
    plan = {"CHN": (2015, 2017, 2019), "USA": (2016, 2019), "IND": (2015, 2018, 2019), "FRA": (2019,)}
    for code, years in plan.items():
        for year in years:
            speeches.append(
                SpeechFactory(
                    country=Country.objects.get(code=code),
                    date=datetime.date(year, 9, 25),
                    title=f"{code} at the general debate {year}",
                    text=PARAGRAPHS,
                )
            )
    SpeechFactory(country=Country.objects.get(code="CHN"), date=datetime.date(2016, 9, 25), text="Trade only.")
    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)
    return speeches


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_ticking_two_countries_gives_their_union(browser, live_server, climate_corpus, artifacts, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=climate+change")
    if width < 800:
        # On a phone the facets wait behind a disclosure after the results; a result is above the fold.
        first = page.locator(".search-result").first.bounding_box()
        assert first["y"] + 40 < height, first
        summary = page.locator(".facet-disclosure > summary")
        assert summary.inner_text().startswith("Filters")
        assert not page.locator('[data-facet="country"]').is_visible()
        summary.click()
    page.locator('[data-facet="country"]').get_by_role("link", name="China").click()
    page.wait_for_url("**country=CHN*")
    if width < 800:
        assert page.locator(".facet-disclosure > summary").inner_text() == "Filters (1)"
        page.locator(".facet-disclosure > summary").click()
    # India is still offered beside the ticked China; ticking it adds it.
    page.locator('[data-facet="country"]').get_by_role("link", name="India").click()
    page.wait_for_url("**country=CHN&country=IND*")
    assert "1–6 of 6 statements" in page.locator("#results-heading").inner_text()
    page.screenshot(path=str(artifacts / f"facets-union-{width}.png"), full_page=False)
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_trend_chart_compares_three_countries(browser, live_server, climate_corpus, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/search/?q=climate+change&country=CHN&country=USA&country=IND")
    page.get_by_role("link", name="How often, per year: trend chart").click()
    page.get_by_label("Compare").select_option("country")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**compare=country*")
    chart = page.locator(".trend-chart svg[role=img]")
    assert chart.locator("polyline").count() == 3
    assert sorted(chart.locator("g.series").evaluate_all("gs => gs.map(g => g.dataset.series)")) == [
        "China",
        "India",
        "United States of America",
    ]
    # Year labels stay readable at a phone's width: at least 10 CSS pixels high.
    label = chart.locator("text.tick").first.bounding_box()
    assert label["height"] >= 10, label
    box = chart.bounding_box()
    assert box["width"] <= width
    # The numbers are in a table too: China matched in 2015 and 2017 (1 of 1), not in 2016 (0 of 1).
    rows = page.locator(".trend-table tbody tr")
    assert "0 of 1 (0.0%)" in rows.nth(1).inner_text()
    page.screenshot(path=str(artifacts / f"trend-compare-{width}.png"), full_page=True)
    context.close()


def test_a_paragraph_link_scrolls_to_and_highlights_its_paragraph(page, live_server, climate_corpus, artifacts):
    speech = climate_corpus[0]
    page.goto(live_server.url + "/search/?q=climate+change")
    page.locator(".search-result .speech-title").first.click()
    page.wait_for_url("**back=*")
    assert page.locator("#p12 mark").first.inner_text().lower() == "climate"
    page.locator("p.search-matches a").click()  # "first in paragraph 12"
    page.wait_for_url("**#p12")
    paragraph = page.locator("#p12")
    box = paragraph.bounding_box()
    assert 0 <= box["y"] < 900
    background = paragraph.evaluate("p => getComputedStyle(p).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.locator("#p11").evaluate("p => getComputedStyle(p).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(artifacts / "paragraph-link.png"))
    page.get_by_role("link", name="← Back to the results").click()
    page.wait_for_url("**/search/?q=climate+change")
    # A paragraph's own permalink, opened directly.
    page.goto(live_server.url + speech.get_absolute_url() + "#p5")
    assert 0 <= page.locator("#p5").bounding_box()["y"] < 900


def test_api_docs_render_under_the_csp(page, live_server, reference_data):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("requestfailed", lambda request: problems.append(f"failed {request.url}"))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui").get_by_text("/api/search/").count() >= 1
    assert all(url.startswith(live_server.url) for url in requested), requested
    assert not [p for p in problems if "Content Security Policy" in p or "failed" in p], problems
