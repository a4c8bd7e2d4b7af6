"""An editor adds the seed article from a news report, reviews the proposal and publishes it; once
the index worker has run, readers find the statement and its quotations by searching."""

import pytest

from archive.search.worker import drain
from tests.golden import seed_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_pastes_reviews_accepts_and_publishes_the_seed_article(
    page, live_server, editor, search_index, artifacts
):
    text = seed_text()
    page.goto(live_server.url + "/admin/login/?next=/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.get_by_role("link", name="Add from a news report").click()
    page.fill("#id_text", text)
    page.fill("#id_publisher", "Xinhua")
    page.fill("#id_published_on", "2020-08-07")
    page.get_by_role("button", name="Propose a draft").click()

    page.wait_for_url("**/editor/news/*/review/")
    assert "Draft saved: 13 direct and 7 reported quotation(s)" in page.locator(".messages").inner_text()
    assert page.locator(".source-text mark").count() == 20
    assert page.locator("#id_meta-speaker_name").input_value() == "Zhang Jun"
    assert page.locator("#id_meta-role").input_value() == "Permanent Representative of China to the United Nations"
    assert page.locator("#id_meta-date").input_value() == "2020-08-06"
    page.screenshot(path=str(artifacts / "news-review-1280.png"), full_page=True)

    # Publishing before the review is not offered, and the page says why.
    assert page.get_by_role("button", name="Publish").is_disabled()
    assert "20 quotation(s) still await a decision" in page.locator("#publish-reason").inner_text()

    for radio in page.locator("input[type=radio][value=accepted]").all():
        radio.check()
    page.get_by_role("button", name="Save draft").click()
    assert "Review saved." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/statements/*/")

    public = page.context.browser.new_page()
    public.goto(page.url)
    assert "Draft" not in public.locator("header").first.inner_text()
    assert public.locator("blockquote").count() == 13
    assert public.locator(".indirect").count() == 7
    assert "Zhang Jun" in public.locator(".facts").inner_text()
    assert "High-level open debate on addressing the issue of linkages" in public.locator(".facts").inner_text()
    public.goto(live_server.url + "/")
    assert public.get_by_role("link", name="High-level open debate on addressing").count() >= 1

    # Publishing queued the statement and its quotations for the index; the worker applies them.
    statement_pk = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert drain() >= 1
    public.get_by_role("link", name="Search", exact=True).click()
    # Words of one quotation: "Double standard and politicization must be avoided".
    public.get_by_label("Search statements and quotations").fill("politicization double standard")
    public.get_by_role("button", name="Search").click()
    public.wait_for_url("**/search/?q=politicization+double+standard*")
    assert "1–1 of 1 statement" in public.locator("#results-heading").inner_text()
    statement = public.locator(".search-result").first
    assert statement.get_attribute("data-model") == "speech"
    assert statement.get_attribute("data-pk") == statement_pk
    assert "Zhang Jun" in statement.inner_text()
    assert "politicization" in [text.lower() for text in statement.locator("mark").all_inner_texts()]

    public.get_by_role("link", name="quotations", exact=True).click()
    public.wait_for_url("**type=quotations*")
    assert "1–1 of 1 quotation" in public.locator("#results-heading").inner_text()
    quotation = public.locator(".search-result").first
    assert quotation.get_attribute("data-model") == "quotation"
    assert "Quotation from:" in quotation.inner_text()
    assert "politicization" in quotation.locator(".snippet").inner_text().lower()
    public.screenshot(path=str(artifacts / "news-published-search-1280.png"), full_page=True)
    quotation.get_by_role("link").first.click()
    public.wait_for_url("**/quotations/*/")
    assert "Double standard and politicization must be avoided" in public.locator("main").inner_text()
    public.close()
