"""An editor adds the seed article from a news report, reviews the proposal and publishes it."""

import pytest

from tests.ingest.test_news import seed_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_pastes_reviews_accepts_and_publishes_the_seed_article(page, live_server, editor, artifacts):
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

    # Publishing before the review is refused with a reason.
    page.get_by_role("button", name="Publish").click()
    assert "not reviewed yet" in page.locator(".messages").inner_text()

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
    public.close()
