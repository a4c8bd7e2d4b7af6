"""Issue 13 in the archive: an editor adds an official transcript; quotations get verdicts that the
quotation page, the statement page and the command show."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from archive import services
from archive.models import OfficialTranscript, Quotation, QuotationCheck, QuotationCheckTask, Source

# Invented for this test: a mission's "published remarks" holding two of the seed's quotations,
# one word for word (up to capitals and punctuation) and one with a word changed.
TRANSCRIPT = (
    "Remarks by the Permanent Representative (test text).\n\n"
    "Facing the threat of terrorism, we must stand united in solidarity. "
    "China will always side with multilateralism and international justice! "
    "We thank the presidency for convening this debate."
)


def test_editor_adds_transcript_and_quotation_pages_show_verdicts(client, seed, editor):
    client.force_login(editor)
    response = client.post(
        reverse("editor-transcript-add", args=[seed.pk]),
        {
            "publisher": "Permanent Mission of China to the UN",
            "url": "https://example.org/remarks",
            "published_on": "2020-08-06",
            "text": TRANSCRIPT,
            "language": "en",
            "delivered_in": "",
            "speakers_own": "on",
        },
    )
    assert response.status_code == 302
    transcript = OfficialTranscript.objects.get(speech=seed)
    assert transcript.source.kind == Source.Kind.RECORD and transcript.source.original_text == TRANSCRIPT
    call_command("check_quotations", verbosity=0)
    assert not QuotationCheckTask.objects.exists()

    same = Quotation.objects.get(text__startswith="China will always side")
    page = client.get(same.get_absolute_url()).content.decode()
    assert "Verdict: Verbatim" in page
    assert "Permanent Mission of China to the UN" in page

    changed = Quotation.objects.get(text="we must stand united with solidarity.")
    page = client.get(changed.get_absolute_url()).content.decode()
    assert "Verdict: Altered" in page
    assert "Substituted: “with” for “in”" in page
    assert "[substituted]" in page  # marked in words, not by colour alone

    statement = client.get(seed.get_absolute_url()).content.decode()
    assert "1 of 13 quotations verbatim, 1 altered, 11 not in the record." in statement


def test_no_record_is_its_own_verdict_and_command_summarises(seed, capsys):
    call_command("check_quotations", "--all", verbosity=1)
    out = capsys.readouterr().out
    assert "Checked 13 quotation(s): 13 no official record to check against." in out
    assert set(QuotationCheck.objects.values_list("verdict", flat=True)) == {"no-record"}


def test_publishing_and_editing_queue_checks(seed):
    quotation = Quotation.objects.filter(kind="direct").first()
    QuotationCheckTask.objects.all().delete()
    services.quotation_edit_span(quotation=quotation, start=quotation.start + 1, end=quotation.end)
    assert QuotationCheckTask.objects.filter(quotation_id=quotation.pk).exists()


def test_transcript_form_errors_are_shown_not_raised(client, seed, editor):
    client.force_login(editor)
    response = client.post(reverse("editor-transcript-add", args=[seed.pk]), {"publisher": "", "language": "en"})
    assert response.status_code == 200
    assert "Paste the transcript or upload a file." in response.content.decode()
    assert not OfficialTranscript.objects.exists()


def test_markup_in_a_transcript_is_escaped(client, seed, editor):
    services.official_transcript_add(
        speech=seed, text="<script>alert(1)</script> China will always side with multilateralism", publisher="X"
    )
    call_command("check_quotations", verbosity=0)
    quotation = Quotation.objects.get(text__startswith="China will always side")
    page = client.get(quotation.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page


@pytest.fixture
def checked_seed(seed):
    """The seed statement with the invented transcript added and every check run."""
    services.official_transcript_add(
        speech=seed, text=TRANSCRIPT, publisher="Permanent Mission of China to the UN", language="en"
    )
    call_command("check_quotations", verbosity=0)
    return seed


def test_search_has_a_verification_facet_and_filter(client, checked_seed, search_index):
    from archive.search import worker

    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)
    worker.drain()
    data = client.get("/api/search/", {"type": "quotations", "verification": "verbatim"}).json()
    same = Quotation.objects.get(text__startswith="China will always side")
    assert [hit["id"] for hit in data["hits"]] == [same.pk]
    all_quotations = client.get("/api/search/", {"type": "quotations"}).json()
    facets = {f["key"]: {v["value"]: v["count"] for v in f["values"]} for f in all_quotations["facets"]}
    assert facets["verification"] == {"verbatim": 1, "altered": 1, "not-found": 11}
    page = client.get(reverse("search"), {"type": "quotations"}).content.decode()
    assert "Verification" in page and "Not in the record" in page
    bad = client.get("/api/search/", {"type": "quotations", "verification": "<b>"})
    assert bad.status_code in (200, 400)


def test_api_and_exports_carry_the_verdict_and_offsets(client, checked_seed, django_assert_max_num_queries):
    changed = Quotation.objects.get(text="we must stand united with solidarity.")
    check = QuotationCheck.objects.get(quotation=changed)
    assert TRANSCRIPT[check.record_start : check.record_end] == "we must stand united in solidarity"
    with django_assert_max_num_queries(8):
        data = client.get("/api/quotations/", {"page_size": 50}).json()
    row = next(r for r in data["results"] if r["id"] == changed.pk)
    assert row["verification"]["verdict"] == "altered"
    assert (row["verification"]["record_start"], row["verification"]["record_end"]) == (
        check.record_start,
        check.record_end,
    )
    assert row["verification"]["differences"][0]["kind"] == "substituted"
    csv_text = b"".join(client.get("/quotations/", {"format": "csv"}).streaming_content).decode()
    header = csv_text.splitlines()[0].split(",")
    assert {"verification", "verification_score", "record_start", "record_end"} <= set(header)
    assert ",altered," in csv_text
    jsonl = b"".join(client.get("/quotations/", {"format": "jsonl"}).streaming_content).decode()
    assert '"verification": "verbatim"' in jsonl


def test_review_screen_shows_the_verdict_before_publishing(client, checked_seed, editor):
    client.force_login(editor)
    page = client.get(reverse("editor-news-review", args=[checked_seed.pk])).content.decode()
    assert 'Official record: <strong class="verdict verdict-verbatim">Verbatim</strong>' in page
    assert "substituted “with” for “in”" in page


def test_transcript_screen_needs_an_editor(client, seed, django_user_model):
    url = reverse("editor-transcript-add", args=[seed.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(django_user_model.objects.create_user("reader", password="x", is_staff=True))
    assert client.get(url).status_code == 403
