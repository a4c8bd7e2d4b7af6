"""A researcher browses from the home page to a country, a statement, a quotation and its citation,
then downloads the country's statements as CSV."""

import csv
import io
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_to_china_to_a_quotation_cite_and_csv(page, live_server, seed, artifacts):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Countries").click()
    page.wait_for_url("**/countries/")
    page.get_by_role("link", name="China", exact=True).click()
    page.wait_for_url("**/countries/china/")
    assert page.get_by_role("heading", level=1).inner_text() == "China"
    assert page.locator("figure.year-chart svg rect").count() == 1
    page.screenshot(path=str(artifacts / "browse-country-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(artifacts / "browse-country-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "statements-china.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert [row["id"] for row in rows] == [str(seed.pk)] and rows[0]["speaker"] == "Zhang Jun"

    page.get_by_role("link", name="Statement at the Security Council high-level open debate").click()
    page.wait_for_url(f"**{seed.get_absolute_url()}")
    page.get_by_role("link", name="Permalink").first.click()
    page.wait_for_url("**/quotations/*/")
    assert page.locator("mark").count() == 1
    cite = page.get_by_role("region", name="Cite")
    cite.get_by_text("BibTeX").click()
    assert "@misc{zhang2020quotation" in cite.locator("pre").inner_text()
    assert "Zhang Jun." in cite.locator(".citation-chicago").inner_text()
    page.screenshot(path=str(artifacts / "browse-quotation-cite-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(artifacts / "browse-quotation-cite-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_facets_and_pages_work_by_keyboard_without_javascript(browser, live_server, seed, artifacts):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/statements/")
    page.get_by_role("complementary", name="Narrow down").get_by_role("link", name="China").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/statements/?country=CHN")
    assert page.locator(".speech-row").count() == 1
    page.select_option("select[name=sort]", "oldest")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**sort=oldest**")
    assert "country=CHN" in page.url
    page.screenshot(path=str(artifacts / "browse-statements-nojs-1280.png"), full_page=True)
    context.close()
