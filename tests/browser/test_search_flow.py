"""A researcher searches the seed data, narrows by two facets and sees the phrase highlighted."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_terrorism_financing_then_narrow_by_body_and_country(page, live_server, seed, search_index, artifacts):
    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Search statements and quotations").fill("terrorism financing")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=terrorism+financing*")

    page.locator('[data-facet="body"]').get_by_role("link", name="Security Council").click()
    page.wait_for_url("**body=security-council*")
    page.locator('[data-facet="country"]').get_by_role("link", name="China").click()
    page.wait_for_url("**country=CHN*")

    assert "1–1 of 1 statement" in page.locator("#results-heading").inner_text()
    result = page.locator(".search-result").first
    assert "Statement at the Security Council high-level open debate" in result.inner_text()
    assert "terrorism financing" in result.locator("mark").all_inner_texts()
    assert page.locator('[data-facet="country"] a.selected').inner_text().endswith("China")
    page.screenshot(path=str(artifacts / "search-1280.png"), full_page=True)

    result.get_by_role("link").first.click()
    page.wait_for_url(f"**{seed.get_absolute_url()}?q=*")  # carries the words and the way back
