"""The review screen in a browser: spans set by selecting words with the mouse or with the keyboard
(Shift+arrow keys in the source text), accept all above a confidence, publish, one history row per
save, page height."""

import pytest

from archive.models import Quotation, Speech
from tests.golden import seed_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT = (
    "Maria Lopez, Spain's permanent representative to the United Nations, said on Monday that the Security "
    "Council must act before the end of the year.\n\n"
    '"We cannot wait another year for this," Lopez said.\n\n'
    '"This resolution goes much too far for us," said Peter Brown, the British envoy.'
)


def sign_in_and_paste(page, live_server, text, published="2021-03-02", publisher="Example News"):
    page.goto(live_server.url + "/admin/login/?next=/editor/news/add/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.fill("#id_text", text)
    page.fill("#id_publisher", publisher)
    page.fill("#id_published_on", published)
    page.get_by_role("button", name="Propose a draft").click()
    page.wait_for_url("**/editor/news/*/review/")


def select_text(page, container, words):
    """Drag the mouse over ``words`` inside ``container`` (a real mouse selection)."""
    box = page.evaluate(
        """([selector, words]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + 1);
                    const first = range.getBoundingClientRect();
                    range.setStart(node, at + words.length - 1);
                    range.setEnd(node, at + words.length);
                    const last = range.getBoundingClientRect();
                    return {x1: first.left + 1, y1: first.top + first.height / 2,
                            x2: last.right - 1, y2: last.top + last.height / 2};
                }
            }
            return null;
        }""",
        [container, words],
    )
    assert box is not None, words
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


CARET = """() => {
    const source = document.getElementById("source-text");
    const selection = getSelection();
    const range = document.createRange();
    range.setStart(source, 0);
    range.setEnd(selection.focusNode, selection.focusOffset);
    return range.toString().length;
}"""


def select_with_keyboard(page, start, end):
    """In the focused source text: arrow keys to ``start``, Shift+arrow keys to ``end``."""
    for _ in range(end + 20):
        if page.evaluate(CARET) >= start:
            break
        page.keyboard.press("ArrowRight")
    assert page.evaluate(CARET) == start
    for _ in range(end - start + 20):
        if page.evaluate(CARET) >= end:
            break
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate(CARET) == end


def test_spans_by_mouse_and_keyboard_accept_all_publish_and_history(page, live_server, editor, artifacts):
    sign_in_and_paste(page, live_server, REPORT)
    speech = Speech.objects.order_by("pk").first()
    text = speech.sources.get().original_text
    direct = speech.quotations.get(kind="direct")
    history_before = speech.history.count()

    # Mouse: open the source text, select fewer words, use them as the span.
    page.locator("#source-details summary").click()
    select_text(page, "#source-text", "wait another year")
    item = page.locator(f"#quotation-{direct.pk}")
    item.get_by_role("button", name="Use the selected text").click()
    start = text.index("wait another year")
    assert item.locator("input[name$='-start']").input_value() == str(start)
    assert item.locator("input[name$='-end']").input_value() == str(start + len("wait another year"))
    assert "Span set to characters" in item.locator(".selection-status").inner_text()

    # Keyboard: a missed quotation. Its button sends the focus to the source text, where Shift+arrow
    # keys select the words and Enter uses them; the focus comes back to the button.
    new_start = text.index("the Security Council must act")
    new_end = new_start + len("the Security Council must act")
    page.select_option("#id_new-kind", "indirect")
    new_item = page.locator("#new-quotation")
    new_button = new_item.get_by_role("button", name="Use the selected text")
    new_button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "source-text"
    assert page.get_by_role("textbox", name="Source text").count() == 1
    page.keyboard.press("Control+Home")
    select_with_keyboard(page, new_start, new_end)
    page.keyboard.press("x")  # typing never changes the source text
    assert page.locator("#source-text").inner_text() == text
    assert page.evaluate(CARET) == new_end
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == "Use the selected text"
    assert new_item.locator("#id_new-start").input_value() == str(new_start)
    assert new_item.locator("#id_new-end").input_value() == str(new_end)
    assert "the Security Council must act" in new_item.locator(".selection-status").inner_text()

    # Accept all above a confidence: everything still undecided is accepted in the same save.
    page.fill("#id_accept-threshold", "0.5")
    page.get_by_role("button", name="Save and accept all above").click()
    page.wait_for_url("**/review/")
    assert "Review saved." in page.locator(".messages").inner_text()
    direct.refresh_from_db()
    assert direct.text == "wait another year" and direct.status == "accepted"
    assert speech.quotations.filter(text="the Security Council must act", kind="indirect").exists()
    assert not speech.quotations.filter(status=Quotation.Status.PROPOSED).exists()
    # The body found in the text was offered, so the save filed the statement under its meeting.
    assert speech.history.count() == history_before + 1
    assert speech.history.first().history_change_reason == "Review: event"
    history_before += 1

    # One save that changes the role and a topic: exactly one history row, with a reason.
    page.fill("#id_meta-role", "Ambassador of Spain")
    page.locator("details.choices summary").click()
    page.locator("#id_meta-topics input[type=checkbox]").first.check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url("**/review/")
    assert speech.history.count() == history_before + 1
    page.goto(live_server.url + f"/admin/archive/speech/{speech.pk}/history/")
    rows = page.locator("#change-history tbody tr")
    assert rows.count() == history_before + 1
    assert "Review: role, topics" in rows.first.inner_text()
    assert "None" not in rows.first.inner_text()

    # Publish is now offered and works.
    page.goto(live_server.url + f"/editor/news/{speech.pk}/review/")
    assert page.get_by_role("button", name="Publish").is_enabled()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/statements/*/")
    assert "wait another year" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="History").count() == 1
    page.screenshot(path=str(artifacts / "review-published-1280.png"), full_page=True)


def test_the_seed_review_page_is_compact(page, live_server, editor, artifacts):
    sign_in_and_paste(page, live_server, seed_text(), published="2020-08-07", publisher="Xinhua")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(artifacts / "review-seed-compact-1280.png"), full_page=True)
    print(f"review page height for the seed: {height} px")
    assert height < 6000, height  # it was 9,773 px
    # A failed save puts the summary of problems first, focused.
    page.fill("#id_meta-date", "")
    page.get_by_role("button", name="Save draft").click()
    summary = page.locator("#error-summary")
    assert "Nothing was saved" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary.get_by_role("link").first.click()
    assert page.evaluate("location.hash") == "#id_meta-date"
