"""A researcher follows a speaker by email: subscribes on the speaker's page, confirms through the
link in the email a real SMTP server received, an editor publishes a new statement by that speaker,
`send_alerts` runs, the digest arrives, and the email's link unsubscribes."""

import pytest
from django.core.management import call_command

from archive.models import Alert
from archive.search import worker
from tests.factories import SpeechFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_a_speaker_confirm_receive_a_digest_and_unsubscribe(
    page, live_server, seed, editor, search_index, smtp_server, settings, artifacts
):
    settings.SITE_URL = live_server.url
    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)

    page.goto(live_server.url + "/speakers/zhang-jun/")
    page.get_by_role("link", name="Get alerts").click()
    assert "Speaker: Zhang Jun" in page.locator(".alert-label").inner_text()
    page.get_by_label("Your email address").fill("researcher@example.org")
    page.get_by_label("Daily").check()
    page.get_by_role("button", name="Send me a confirmation link").click()
    assert "Check your inbox" in page.get_by_role("heading", level=1).inner_text()

    [confirmation] = smtp_server.wait_for(1)
    assert confirmation.to == "researcher@example.org"
    page.goto(confirmation.link("/alerts/confirm/"))
    page.get_by_role("button", name="Confirm the alert").click()
    assert "Speaker: Zhang Jun" in page.locator(".alert-confirmed").inner_text()
    page.screenshot(path=str(artifacts / "alert-confirmed-1280.png"), full_page=True)

    # An editor publishes a new statement by Zhang Jun in the admin; the index worker picks it up.
    SpeechFactory(
        draft=True,
        speaker=seed.speaker,
        title="Zhang Jun on sanctions",
        text="Sanctions must be targeted and humane.",
    )
    editing = page.context.browser.new_page()
    editing.goto(live_server.url + "/admin/")
    editing.fill("#id_username", "editor")
    editing.fill("#id_password", "correct-horse-battery")
    editing.click("input[type=submit]")
    editing.goto(live_server.url + "/admin/archive/speech/")
    editing.locator("tr", has_text="Zhang Jun on sanctions").locator("input.action-select").check()
    editing.select_option("select[name=action]", "publish")
    editing.click("button[name=index]")
    assert "1 statement(s) published" in editing.locator(".messagelist").inner_text()
    editing.close()
    worker.drain()

    call_command("send_alerts", frequency="daily", no_progress=True)
    [_, digest] = smtp_server.wait_for(2)
    assert digest.to == "researcher@example.org"
    assert "Zhang Jun on sanctions" in digest.text
    assert digest.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"

    page.goto(digest.link("/statements/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Zhang Jun on sanctions"

    page.goto(digest.link("/alerts/unsubscribe/"))
    page.get_by_role("button", name="Unsubscribe").click()
    assert "No more emails for: Speaker: Zhang Jun" in page.locator(".alert-unsubscribed").inner_text()
    assert not Alert.objects.exists()
    call_command("send_alerts", frequency="daily", no_progress=True)
    assert len(smtp_server.messages) == 2
