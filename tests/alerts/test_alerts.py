"""Email alerts end to end against a real SMTP server (aiosmtpd), a real database and a real index:
subscribe, double opt-in, digests, one-click unsubscribe, manage, limits, failures and retries."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from archive import services
from archive.alerts import digests, subscriptions
from archive.models import Alert, AlertDelivery, AlertSubscriber, Country, Speech
from archive.search import worker
from tests.factories import SpeakerFactory, SpeechFactory

pytestmark = pytest.mark.django_db

READER = "reader@example.org"


@pytest.fixture
def archive(reference_data, search_index):
    """Two published statements, indexed."""
    zhang = SpeakerFactory(name="Zhang Jun", slug="zhang-jun")
    old = SpeechFactory(
        speaker=zhang,
        title="Old remarks on terrorism financing",
        text="We should combat terrorism financing.",
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    other = SpeechFactory(
        country=Country.objects.get(code="FRA"),
        title="France on climate",
        text="Climate finance matters.",
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)
    return {"zhang": zhang, "old": old, "other": other}


def publish(**fields):
    """A new statement published by an editor, as the services do it, and indexed by the worker."""
    speech = SpeechFactory(draft=True, **fields)
    services.speech_publish(speech=speech)
    worker.drain()
    return Speech.objects.get(pk=speech.pk)


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def subscribe(client, query, email=READER, frequency="daily", address="127.0.0.1"):
    page = client.get("/alerts/new/?" + query, REMOTE_ADDR=address)
    assert page.status_code == 200
    form_query = re.search(r'name="query" value="([^"]*)"', page.content.decode()).group(1)
    import html

    return client.post(
        "/alerts/new/",
        {"email": email, "frequency": frequency, "query": html.unescape(form_query)},
        REMOTE_ADDR=address,
    )


def confirm(client, message):
    url = path_of(message.link("/alerts/confirm/"))
    assert client.get(url).status_code == 200  # a button, not a confirmation (mail scanners open links)
    response = client.post(url)
    assert response.status_code == 200
    return response


def run(frequency="daily", **kwargs):
    call_command("send_alerts", frequency=frequency, no_progress=True, **kwargs)


def test_every_scope_page_and_the_search_page_offer_alerts(client, archive, seed):
    pages = {
        "/speakers/zhang-jun/": "/alerts/new/?speaker=zhang-jun",
        "/countries/china/": "/alerts/new/?country=CHN",
        "/bodies/security-council/": "/alerts/new/?body=security-council",
        "/topics/counter-terrorism/": "/alerts/new/?topic=counter-terrorism",
        "/search/?q=terrorism&country=CHN&sort=oldest": "/alerts/new/?q=terrorism&amp;sort=oldest&amp;country=CHN",
    }
    for page, link in pages.items():
        response = client.get(page)
        assert response.status_code == 200, page
        assert link in response.content.decode(), page
    form = client.get("/alerts/new/?q=terrorism&sort=oldest&country=CHN&page=3").content.decode()
    assert "“terrorism”, Country: China" in form
    assert 'name="query" value="q=terrorism&amp;country=CHN"' in form  # how it is listed is not what it follows


def test_subscribe_confirm_digest_and_one_click_unsubscribe(client, archive, smtp_server):
    response = subscribe(client, "q=terrorism&country=CHN")
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    [confirmation] = smtp_server.wait_for(1)
    assert confirmation.to == READER
    assert "“terrorism”, Country: China" in confirmation.text
    assert confirmation.link("/alerts/confirm/").startswith("http://testserver/alerts/confirm/")

    # Nothing is sent before confirmation, even when a matching statement is published.
    publish(title="Before confirming", text="Terrorism before the reader confirmed.")
    run()
    assert len(smtp_server.messages) == 1

    assert "Alert confirmed" in confirm(client, confirmation).content.decode()
    match = publish(
        title="New statement on terrorism",
        text="The Council must cut off terrorism financing everywhere.",
        speaker=archive["zhang"],
    )
    publish(title="Terrorism, but from France", text="Terrorism in Europe.", country=Country.objects.get(code="FRA"))
    publish(title="China on climate", text="Climate finance for all.")
    run()
    [digest] = smtp_server.messages[1:]
    assert digest.to == READER
    assert "1 new statement" in digest.subject
    text, html = digest.text, digest.html
    assert "New statement on terrorism" in text
    assert "Zhang Jun, China, 6 August 2020" in text
    assert f"http://testserver{match.get_absolute_url()}" in text
    assert "<mark>terrorism</mark>" in html
    for absent in ("Before confirming", "from France", "China on climate", "Old remarks"):
        assert absent not in text
    assert digest.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(http://testserver/alerts/unsubscribe/[^>]+/)>", digest.header("List-Unsubscribe"))
    assert unsubscribe, digest.header("List-Unsubscribe")

    # A re-run sends nothing more.
    run()
    assert len(smtp_server.messages) == 2

    # Opening the link (as mail scanners do) changes nothing; it shows a button.
    assert client.get(path_of(unsubscribe.group(1))).status_code == 200
    assert Alert.objects.exists()
    # RFC 8058: the mail provider POSTs the one-click body, without a session or CSRF token.
    one_click = client.__class__(enforce_csrf_checks=True)
    response = one_click.post(
        path_of(unsubscribe.group(1)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "No more emails for: “terrorism”, Country: China" in response.content.decode()
    assert not Alert.objects.exists()
    publish(title="After unsubscribing", text="Terrorism again.")
    run()
    assert len(smtp_server.messages) == 2


def test_the_answer_is_the_same_whether_or_not_the_address_follows_the_search(client, archive, smtp_server):
    first = subscribe(client, "speaker=zhang-jun")
    confirm(client, smtp_server.wait_for(1)[0])
    again = subscribe(client, "speaker=zhang-jun")
    stranger = subscribe(client, "speaker=zhang-jun", email="someone@example.org")

    def visible(response):
        return response.status_code, response.content.decode().replace("someone@example.org", READER)

    assert visible(first) == visible(again) == visible(stranger)
    # Only the owner learns that the alert existed already, in their own inbox.
    messages = smtp_server.wait_for(3)
    assert messages[1].subject == "You already follow: Speaker: Zhang Jun"
    assert "/alerts/confirm/" not in messages[1].text
    assert messages[2].to == "someone@example.org" and "/alerts/confirm/" in messages[2].text
    assert Alert.objects.filter(subscriber__email=READER).count() == 1


def test_requests_are_rate_limited_per_client_and_per_address(
    client, archive, smtp_server, settings, frozen_rate_window
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "alerts": 3, "alerts_address": 2}
    answers = [subscribe(client, f"q=word{n}", email=f"r{n}@example.org").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    smtp_server.clear()
    # Per address: from many clients, the third request for one address mails nothing, and says the same.
    pages = [subscribe(client, "q=other", address=f"10.0.0.{n}") for n in range(3)]
    assert {p.status_code for p in pages} == {200}
    assert {p.content.decode() for p in pages[1:]} == {pages[1].content.decode()}
    assert len(smtp_server.to(READER)) == 2


def test_an_address_follows_at_most_k_searches(client, archive, smtp_server, settings):
    settings.ALERTS = {**settings.ALERTS, "MAX_PER_ADDRESS": 2}
    for query in ("q=one", "q=two", "q=three"):
        assert subscribe(client, query).status_code == 200
    first, second, third = smtp_server.wait_for(3)
    confirm(client, first)
    confirm(client, second)
    # Two confirmed: the third pending request cannot be confirmed, and a fourth is not recorded.
    refused = client.post(path_of(third.link("/alerts/confirm/")))
    assert refused.status_code == 400 and "already follows 2 searches" in refused.content.decode()
    assert subscribe(client, "q=four").status_code == 200
    fourth = smtp_server.wait_for(4)[3]
    assert "at most 2 searches" in fourth.text
    assert "/alerts/manage/" in fourth.text and "/alerts/confirm/" not in fourth.text
    assert not Alert.objects.filter(query="q=four").exists()
    assert Alert.objects.confirmed().count() == 2


def test_a_line_break_in_the_search_cannot_reach_the_email_headers(client, archive, smtp_server):
    subscribe(client, "q=" + "terrorism%0D%0ABcc:%20victim@example.org")
    [message] = smtp_server.wait_for(1)
    assert message.rcpt_tos == [READER]
    assert message.subject == "Confirm your alert: “terrorism Bcc: victim@example.org”"


def test_confirmation_links_expire_and_cannot_be_forged(client, archive, smtp_server, settings):
    subscribe(client, "q=terrorism")
    url = path_of(smtp_server.wait_for(1)[0].link("/alerts/confirm/"))
    forged = client.post(url.replace("/confirm/", "/confirm/x"))
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    settings.ALERTS = {**settings.ALERTS, "CONFIRM_MAX_AGE": -1}
    expired = client.post(url)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert Alert.objects.get().confirmed_at is None


def test_one_email_per_address_per_frequency_without_repeats(client, archive, smtp_server):
    subscribe(client, "speaker=zhang-jun")
    subscribe(client, "q=terrorism")
    subscribe(client, "country=FRA", frequency="weekly")
    for message in smtp_server.wait_for(3):
        confirm(client, message)
    smtp_server.clear()
    shared = publish(title="Zhang on terrorism", text="Terrorism must be fought.", speaker=archive["zhang"])
    french = publish(title="France speaks", text="Peace.", country=Country.objects.get(code="FRA"))

    run("daily")
    [daily] = smtp_server.messages
    assert daily.text.count("Zhang on terrorism") == 1  # matched by two alerts, listed once
    assert "France speaks" not in daily.text

    run("weekly")
    [_, weekly] = smtp_server.messages
    assert "France speaks" in weekly.text and "Zhang on terrorism" not in weekly.text
    assert set(AlertDelivery.objects.values_list("speech_id", flat=True)) == {shared.pk, french.pk}

    # The next day: only what is new, never what was sent.
    later = publish(title="Zhang again", text="Terrorism, once more.", speaker=archive["zhang"])
    stats = digests.send_digests(frequency="daily", now=timezone.now() + datetime.timedelta(days=1))
    assert stats.emails == 1
    assert "Zhang again" in smtp_server.messages[-1].text
    assert "Zhang on terrorism" not in smtp_server.messages[-1].text
    assert AlertDelivery.objects.filter(speech=later).count() == 1


def test_a_statement_waiting_for_the_search_index_is_sent_later_never_skipped(client, archive, smtp_server, capsys):
    subscribe(client, "speaker=zhang-jun")
    confirm(client, smtp_server.wait_for(1)[0])
    queued = SpeechFactory(draft=True, title="Queued remarks", text="Remarks.", speaker=archive["zhang"])
    services.speech_publish(speech=queued)  # the index worker is down
    run()
    assert "wait for the search index" in capsys.readouterr().out
    # An hour later, the worker still down: well past any lookback.
    stats = digests.send_digests(frequency="daily", now=timezone.now() + datetime.timedelta(hours=1))
    assert stats.held_back and stats.emails == 0
    assert len(smtp_server.messages) == 1
    worker.drain()
    stats = digests.send_digests(frequency="daily", now=timezone.now() + datetime.timedelta(days=1))
    assert stats.emails == 1 and "Queued remarks" in smtp_server.messages[-1].text


def test_a_digest_lists_at_most_n_statements_and_links_the_rest(client, archive, smtp_server, settings):
    settings.ALERTS = {**settings.ALERTS, "DIGEST_ITEMS": 2}
    subscribe(client, "speaker=zhang-jun")
    confirm(client, smtp_server.wait_for(1)[0])
    for n in range(5):
        publish(title=f"Numbered remarks {n}", text="Remarks.", speaker=archive["zhang"])
    run()
    digest = smtp_server.messages[-1]
    assert digest.text.count("Numbered remarks") == 2
    assert "...and 3 more: http://testserver/search/?speaker=zhang-jun" in digest.text


def test_dry_run_sends_and_records_nothing(client, archive, smtp_server, capsys):
    subscribe(client, "speaker=zhang-jun")
    confirm(client, smtp_server.wait_for(1)[0])
    publish(title="Dry run remarks", text="Remarks.", speaker=archive["zhang"])
    run(dry_run=True)
    assert "would send reader@example.org: 1 statement(s) for 1 alert(s)" in capsys.readouterr().out
    assert len(smtp_server.messages) == 1 and not AlertDelivery.objects.exists()
    run()
    assert "Dry run remarks" in smtp_server.messages[-1].text


def test_smtp_errors_are_logged_and_retried_with_backoff(client, archive, smtp_server, caplog):
    for email in ("bounce@example.org", READER):
        subscribe(client, "speaker=zhang-jun", email=email)
    for message in smtp_server.wait_for(2):
        confirm(client, message)
    smtp_server.clear()
    smtp_server.refuse.add("bounce@example.org")
    publish(title="Remarks for two", text="Remarks.", speaker=archive["zhang"])

    with pytest.raises(CommandError, match="1 digest"):
        run()
    assert [m.to for m in smtp_server.messages] == [READER]  # the run went on past the failure
    assert "ALERT DIGEST FAILED" in caplog.text
    bounced = AlertSubscriber.objects.get(email="bounce@example.org")
    assert bounced.send_failures == 1 and "550" in bounced.last_error
    assert bounced.retry_at > timezone.now() + datetime.timedelta(minutes=14)

    run()  # backing off: not tried again yet
    assert len(smtp_server.messages) == 1
    smtp_server.refuse.clear()
    stats = digests.send_digests(frequency="daily", now=bounced.retry_at + datetime.timedelta(seconds=1))
    assert stats.emails == 1
    assert smtp_server.to("bounce@example.org")[0].text.count("Remarks for two") == 1
    assert len(smtp_server.to(READER)) == 1
    assert AlertSubscriber.objects.get(email="bounce@example.org").send_failures == 0


def test_the_manage_page_changes_frequency_and_stops_alerts(client, archive, smtp_server):
    subscribe(client, "speaker=zhang-jun")
    subscribe(client, "q=terrorism")
    messages = smtp_server.wait_for(2)
    confirmed = confirm(client, messages[0]).content.decode()
    manage = path_of(re.search(r'href="(http://testserver/alerts/manage/[^"]+)"', confirmed).group(1))
    page = client.get(manage).content.decode()
    assert "Speaker: Zhang Jun" in page and "“terrorism”" in page and "waiting for confirmation" in page
    first, second = Alert.objects.order_by("id")
    client.post(manage, {"action": "frequency", "alert": first.pk, "frequency": "weekly"})
    client.post(manage, {"action": "delete", "alert": second.pk})
    assert list(Alert.objects.values_list("frequency", flat=True)) == ["weekly"]
    assert client.post(manage.replace("/manage/", "/manage/x")).status_code == 400


def test_an_editor_manages_the_alerts_of_their_account_address(client, archive, smtp_server, editor_client):
    subscribe(client, "speaker=zhang-jun", email="Editor@Example.org")
    confirm(client, smtp_server.wait_for(1)[0])
    page = editor_client.get("/alerts/mine/").content.decode()
    assert 'href="/alerts/mine/"' in editor_client.get("/").content.decode()
    assert "Alerts sent to editor@example.org" in page and "Speaker: Zhang Jun" in page


def test_email_settings_come_from_the_environment():
    from archive.settings import email_settings

    smtp = email_settings("smtp+tls://user%40x:p%3Ass@mail.example.org:2525", debug=False)
    assert smtp["EMAIL_HOST"] == "mail.example.org" and smtp["EMAIL_PORT"] == 2525
    assert (smtp["EMAIL_HOST_USER"], smtp["EMAIL_HOST_PASSWORD"]) == ("user@x", "p:ss")
    assert smtp["EMAIL_USE_TLS"] and not smtp["EMAIL_USE_SSL"]
    assert email_settings("smtps://mail.example.org", debug=False)["EMAIL_PORT"] == 465
    assert email_settings("", debug=True)["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_settings("", debug=False)["EMAIL_BACKEND"].endswith("smtp.EmailBackend")


def test_the_digest_snippet_marks_the_words_and_escapes_the_text():
    plain, marked = digests.snippet("<b>Intro</b>. " + "filler " * 60 + "We fight terrorism financing.", "terrorism")
    assert plain.startswith("… ") and "terrorism financing" in plain
    assert "<mark>terrorism</mark>" in marked and "<b>" not in marked
    assert digests.snippet("Short <text>.", "")[1] == "Short &lt;text&gt;."


@pytest.mark.slow  # a subprocess
@pytest.mark.django_db(transaction=True)
def test_a_run_killed_between_two_subscribers_sends_nothing_twice_and_skips_no_one(
    reference_data, search_index, smtp_server
):
    """The run is SIGKILLed (a real process, a real kill) just as it starts the second address's
    mail: the first address's digest was recorded with it, so the next run sends the rest only."""
    import os
    import signal
    import subprocess
    import sys

    from tests.search.test_index_sync import ROOT, _subprocess_env

    zhang = SpeakerFactory(name="Zhang Jun", slug="zhang-jun")
    addresses = ["first@example.org", "second@example.org", "third@example.org"]
    for address in addresses:
        outcome = subscriptions.alert_request(
            email=address, query="speaker=zhang-jun", label="Speaker: Zhang Jun", frequency="daily"
        )
        subscriptions.alert_confirm(token=subscriptions.confirm_url(outcome.alert).rstrip("/").rsplit("/", 1)[1])
    speeches = [publish(title=f"Crash test remarks {n}", text="Remarks.", speaker=zhang) for n in range(2)]
    env = dict(_subprocess_env(search_index), EMAIL_URL=smtp_server.url, SITE_URL="http://testserver")
    command = [sys.executable, "manage.py", "send_alerts", "--frequency", "daily", "--no-progress"]

    victim = {}

    def kill_at_second(address):
        if address == "second@example.org" and "process" in victim:
            os.kill(victim["process"].pid, signal.SIGKILL)
            return "451 4.3.0 Try again later"
        return None

    smtp_server.on_rcpt = kill_at_second
    victim["process"] = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    victim["process"].communicate(timeout=120)
    assert victim["process"].returncode == -signal.SIGKILL
    assert [m.to for m in smtp_server.messages] == ["first@example.org"]

    smtp_server.on_rcpt = None
    rerun = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(m.to for m in smtp_server.messages) == sorted(addresses)  # one digest each, no more
    for message in smtp_server.messages:
        assert all(message.text.count(s.title) == 1 for s in speeches)
    assert AlertDelivery.objects.count() == len(addresses) * len(speeches)
