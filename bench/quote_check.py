"""Bench: checking every quotation of a statement against a 10,000-word official record.

    python bench/quote_check.py      -> bench/results/quote_check.{json,md}

The record is made of the UNSC sample's speeches joined (from ARCHIVE_SHARED_DIR, default
../shared) up to 10,000 words; the quotations are the labelled set's quotations of those speeches.
The same alignment with difflib (SequenceMatcher over the same word sequence, no window search) is
timed on a few quotations for comparison. Target: under 200 ms per quotation.
"""

import difflib
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import quote_check_set as S  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def main():
    S.setup_django()
    from archive.quotecheck.results import Record
    from archive.quotecheck.verdicts import check
    from archive.quotecheck.words import normal_words

    records = S.load_records()
    words, names = [], []
    for name, (text, spoken, _who) in records.items():
        if spoken:
            continue
        names.append(name)
        words.extend(text.split())
        if len(words) >= 10_000:
            break
    text = " ".join(words[:10_000])
    record = Record(key="bench", label="bench", text=text)
    quotes = [item["quote"] for item in S.load_set(records) if item["records"] and item["records"][0] in names]
    check(quotes[0], [record])  # the record's words are read once, as for a statement's quotations
    timings = []
    for quote in quotes:
        started = time.perf_counter()
        check(quote, [record])
        timings.append((time.perf_counter() - started) * 1000)
    # difflib on the same task: the quotation against the whole record, word by word.
    record_words = normal_words(text)
    difflib_ms = []
    for quote in quotes[:5]:
        started = time.perf_counter()
        matcher = difflib.SequenceMatcher(None, normal_words(quote), record_words, autojunk=False)
        matcher.get_opcodes()
        difflib_ms.append((time.perf_counter() - started) * 1000)
    result = {
        "record_words": len(text.split()),
        "quotations": len(quotes),
        "ms_per_quotation_mean": round(statistics.mean(timings), 2),
        "ms_per_quotation_p95": round(sorted(timings)[int(len(timings) * 0.95) - 1], 2),
        "ms_per_quotation_max": round(max(timings), 2),
        "difflib_ms_per_quotation_mean": round(statistics.mean(difflib_ms), 2),
        "target_ms": 200,
        "load": os.getloadavg()[0],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "quote_check.json").write_text(json.dumps(result, indent=2) + "\n")
    md = [
        "# Quote check bench",
        "",
        f"{result['quotations']} quotations checked against one {result['record_words']}-word record "
        f"(load average {result['load']:.2f}).",
        "",
        "| measure | ms per quotation |",
        "|---|---|",
        f"| rapidfuzz (archive/quotecheck/), mean | {result['ms_per_quotation_mean']} |",
        f"| rapidfuzz, 95th percentile | {result['ms_per_quotation_p95']} |",
        f"| rapidfuzz, max | {result['ms_per_quotation_max']} |",
        f"| difflib SequenceMatcher, mean of 5 | {result['difflib_ms_per_quotation_mean']} |",
        "",
        "Target: under 200 ms per quotation.",
    ]
    (RESULTS / "quote_check.md").write_text("\n".join(md) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
