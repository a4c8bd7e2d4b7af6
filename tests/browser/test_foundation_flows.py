"""A visitor reads the seed statement; an editor adds, fills and publishes a statement in the admin."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_visitor_opens_home_and_a_statement(page, live_server, seed, artifacts):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Statement at the Security Council high-level open debate").first.click()
    page.wait_for_url(f"**{seed.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Statement at the Security Council")
    assert page.locator("blockquote").count() == 13
    assert "Zhang Jun" in page.locator(".facts").inner_text()
    page.screenshot(path=str(artifacts / "statement-1280.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 800})
    page.screenshot(path=str(artifacts / "statement-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def choose(page, field_id, text):
    """Pick a value in one of the admin's autocomplete (select2) boxes as a person would."""
    page.locator(f"#{field_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_adds_a_speech_with_two_quotations_and_publishes_it(page, live_server, editor, seed):
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/archive/speech/add/")
    choose(page, "id_speaker", "Zhang Jun")
    choose(page, "id_country", "China")
    choose(page, "id_event", "High-level open debate")
    page.fill("#id_title", "Browser-made statement")
    page.fill("#id_date", "2021-05-06")
    page.fill("#id_text", "China supports the United Nations.\n\nWe oppose terrorism in every form.")
    page.fill("#id_quotations-0-text", "China supports the United Nations.")
    page.click("text=Add another Quotation")
    page.fill("#id_quotations-1-text", "We oppose terrorism in every form.")
    page.click("input[name=_save]")
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    page.locator("tr", has_text="Browser-made statement").locator("input.action-select").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    assert "1 statement(s) published" in page.locator(".messagelist").inner_text()

    public = page.context.browser.new_page()
    public.goto(live_server.url + "/")
    public.get_by_role("link", name="Browser-made statement").first.click()  # in "latest" and "recently added"
    assert public.locator("blockquote").count() == 2
    assert "We oppose terrorism in every form." in public.locator("blockquote").nth(1).inner_text()
    public.close()
