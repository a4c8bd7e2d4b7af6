"""Issue 13 in a browser: an editor adds an official transcript to the seed statement; the worker
checks the quotations; the quotation pages show their verdicts with the differences marked."""

import pytest
from django.core.management import call_command

from archive.models import Quotation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Invented for this test (not the mission's real text): one of the seed's quotations word for word
# (capitals and punctuation aside), one with "with" where the report has "in".
TRANSCRIPT = (
    "Remarks at the Security Council open debate (test transcript).\n\n"
    "Facing the threat of terrorism, we must stand united in solidarity. "
    "China will always side with multilateralism and international justice!"
)


def test_editor_adds_a_transcript_and_quotation_pages_show_verdicts(page, live_server, seed, editor, artifacts):
    page.goto(live_server.url + f"/admin/login/?next=/statements/{seed.pk}/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    page.get_by_role("link", name="Add an official transcript").click()
    page.fill("#id_publisher", "Permanent Mission of China to the UN")
    page.fill("#id_url", "https://example.org/remarks")
    page.fill("#id_published_on", "2020-08-06")
    page.fill("#id_text", TRANSCRIPT)
    page.get_by_role("button", name="Add the transcript").click()
    page.wait_for_url(f"**/statements/{seed.pk}/")
    assert "Official transcript added" in page.content()

    call_command("check_quotations", verbosity=0)  # what the worker does with the queue

    same = Quotation.objects.get(text__startswith="China will always side")
    page.goto(live_server.url + same.get_absolute_url())
    assert page.get_by_text("Verdict: Verbatim").is_visible()
    assert "record used: Permanent Mission of China to the UN" in page.inner_text(".quote-check")

    changed = Quotation.objects.get(text="we must stand united with solidarity.")
    page.goto(live_server.url + changed.get_absolute_url())
    section = page.locator(".quote-check")
    assert "Verdict: Altered" in section.inner_text()
    assert "Substituted: “with” for “in”" in section.inner_text()
    # Marked in words beside the markup, so the difference does not rest on colour.
    assert section.locator("ins.qc-substituted").inner_text() == "with"
    assert section.locator("del.qc-substituted").inner_text() == "in"
    assert "[substituted]" in section.inner_text()
    page.screenshot(path=str(artifacts / "quote-check-altered.png"), full_page=True)

    page.goto(live_server.url + seed.get_absolute_url())
    assert "1 of 13 quotations verbatim, 1 altered, 11 not in the record." in page.inner_text("body")
