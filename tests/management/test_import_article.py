"""manage.py import_article: the news pipeline without a browser."""

import json

import pytest
from django.core.management import CommandError, call_command

from archive.models import Quotation, Source, Speech
from tests.golden import seed_text


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "xinhua.txt"
    path.write_text(seed_text(), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_dry_run_prints_the_proposal_and_saves_nothing(reference_data, article, capsys):
    call_command("import_article", str(article), "--publisher", "Xinhua", "--published", "2020-08-07", "--dry-run")
    out = capsys.readouterr().out
    assert "Speaker:  Zhang Jun (new)" in out
    assert "Role:     Permanent Representative of China to the United Nations" in out
    assert "Date:     2020-08-06 (day, from 'on Thursday')" in out
    assert "Quotations: 13 direct, 7 reported" in out
    assert "Dry run: nothing saved." in out
    assert not Speech.objects.exists() and not Source.objects.exists()


@pytest.mark.django_db
def test_json_output_and_draft(seed, article, capsys):
    call_command(
        "import_article", str(article), "--publisher", "Xinhua", "--published", "2020-08-06", "--json",
        "--url", "https://example.org/xinhua",
    )  # fmt: skip
    payload = json.loads(capsys.readouterr().out)
    assert payload["speaker"] == {"name": "Zhang Jun", "existing": "zhang-jun"}
    assert payload["event"]["existing"] == seed.event.slug
    assert payload["date"] == "2020-08-06"
    assert len([q for q in payload["quotations"] if q["kind"] == "direct"]) == 13
    speech = Speech.objects.get(pk=payload["draft"])
    assert speech.status == Speech.Status.DRAFT
    assert speech.speaker == seed.speaker
    assert speech.quotations.filter(status=Quotation.Status.PROPOSED).count() == 20
    assert speech.sources.get().original_text == seed_text()


@pytest.mark.django_db
def test_bad_files_fail_with_a_message(reference_data, tmp_path):
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(CommandError, match="binary"):
        call_command("import_article", str(binary), "--publisher", "X", "--published", "2020-08-07")
    with pytest.raises(CommandError, match="empty"):
        call_command("import_article", str(empty), "--publisher", "X", "--published", "2020-08-07")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_article", str(empty), "--publisher", "X", "--published", "07/08/2020")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_article", str(tmp_path / "missing.txt"), "--publisher", "X", "--published", "2020-08-07")
    assert not Source.objects.exists()
