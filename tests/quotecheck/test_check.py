"""The quote check engine (archive/quotecheck/): on invented records (always), and on the labelled
set over the Security Council sample when the shared data is there (ARCHIVE_SHARED_DIR)."""

import json
import sys
from pathlib import Path

import pytest

from archive.quotecheck.results import Record
from archive.quotecheck.verdicts import FOUND_AT, check

DATA = Path(__file__).resolve().parents[1] / "data"
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


def _golden():
    data = json.loads((DATA / "quotecheck_golden.json").read_text(encoding="utf-8"))
    records = {
        key: Record(
            key=key,
            label=key,
            text=r["text"],
            language=r.get("language", "en"),
            delivered_in=r.get("delivered_in", ""),
            own_text=r.get("own_text", False),
        )
        for key, r in data["records"].items()
    }
    return records, data["cases"]


RECORDS, CASES = _golden()


@pytest.mark.parametrize("case", CASES, ids=[c["quote"][:40] for c in CASES])
def test_golden_verdicts_and_differences(case):
    result = check(case["quote"], [RECORDS[k] for k in case["records"]])
    assert result.verdict == case["verdict"]
    if result.verdict in ("verbatim", "altered"):
        assert sorted(d.key() for d in result.differences) == sorted(case["differences"])
    if result.verdict == "translation-differs":
        assert result.differences, "a translation that differs shows how"
    if "record" in case:
        assert result.record.key == case["record"]


def test_passage_offsets_point_into_the_record():
    record = RECORDS["own"]
    result = check("The UN remains the centre of our collective action", [record])
    assert record.text[result.start : result.end] == "The United Nations remains the centre of our collective action"
    (difference,) = result.differences
    assert record.text[difference.record_start : difference.record_end] == "United Nations"
    assert "The UN remains"[difference.quote_start : difference.quote_end] == "UN"


def test_not_found_keeps_the_nearest_passage_and_its_score():
    result = check("our collective action in the valleys of bananas", [RECORDS["own"]])
    assert result.verdict == "not-found"
    assert 0 < result.score < FOUND_AT
    assert result.passage


def test_no_word_change_is_ever_verbatim():
    text = RECORDS["own"].text
    words = text.split()
    for i in range(1, len(words) - 1, 3):
        changed = " ".join(words[:i] + ["zebra"] + words[i + 1 :])
        assert check(changed, [RECORDS["own"]]).verdict != "verbatim"


# --- the labelled set over the UN Security Council sample ----------------------------------------

try:
    import quote_check_set
except ImportError:  # pragma: no cover
    quote_check_set = None


def _shared_records():
    if quote_check_set is None or not quote_check_set.SAMPLE.is_dir():
        pytest.skip(
            f"the UNSC sample is not at {getattr(quote_check_set, 'SAMPLE', '?')} "
            "(set ARCHIVE_SHARED_DIR to the shared folder)"
        )
    return quote_check_set.load_records()


def test_labelled_unsc_set_accuracy():
    records = _shared_records()
    items = quote_check_set.load_set(records)
    assert len(items) >= 100
    cases = {item["case"] for item in items}
    for wanted in (
        "verbatim",
        "substituted",
        "omitted",
        "ellipsis",
        "merged",
        "paraphrase",
        "other-speaker",
        "no-record",
        "translation",
        "brackets",
        "reordered",
        "inserted",
        "french",
    ):
        assert wanted in cases
    right, false_verbatim, wrong_differences = 0, [], []
    for item in items:
        result = check(item["quote"], quote_check_set.records_for(item, records), language=item["language"])
        keys = sorted(d.key() for d in result.differences)
        if result.verdict == item["expected"]:
            right += 1
        if result.verdict == "verbatim" and item["expected"] != "verbatim":
            false_verbatim.append(item["id"])
        if item["expected"] == "altered" and result.verdict == "altered" and keys != sorted(item["differences"]):
            wrong_differences.append((item["id"], keys, item["differences"]))
    assert right / len(items) >= 0.95
    assert false_verbatim == []
    assert wrong_differences == []
