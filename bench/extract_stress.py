"""How long quotation extraction takes on pathological pastes at the 200,000-character limit.

    python bench/extract_stress.py [--out bench/results]

A paste with no full stops, thousands of quotations or endless capitalized words must still come
back in seconds (the editor waits for it). Writes JSON and a Markdown table.
"""

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.ingest import quotes  # noqa: E402

MAX_CHARS = 200_000  # archive.ingest.news.MAX_CHARS (that module needs Django set up)

CASES = {
    "many quotations in one sentence": '"alpha beta gamma delta" ' * 8000,
    "one quotation per line": '"Alpha beta gamma delta," he said\n' * 6000,
    "capitalized words, no punctuation": "Alpha Beta Gamma Delta Epsilon " * 7000,
    "opening marks only": "“" * 1000 + "x " * 50000,
    "an opening curly mark before every word": "“a " * 66000,
    "one quotation of 50,000 commas": '"' + "Aa, " * 50000 + '"',
    "an appositive that never ends": '"We will win this one," ' + "Maria Lopez, " * 15000 + "said.",
    "reporting verbs everywhere": "Alpha Beta said that Gamma Delta told that the envoy noted, " * 4000,
    "attributed quotations back to back": '"Alpha beta gamma delta," said Maria Lopez, the envoy of the ' * 4000,
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = parser.parse_args(argv)
    rows = []
    for name, text in CASES.items():
        text = text[:MAX_CHARS]
        started = time.monotonic()
        found = quotes.extract(text)
        rows.append(
            {
                "case": name,
                "chars": len(text),
                "seconds": round(time.monotonic() - started, 2),
                "quotes": len(found.quotes),
            }
        )
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "rows": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "extract_stress.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    table = ["| case | characters | seconds | quotations found |", "| --- | ---: | ---: | ---: |"]
    table += [f"| {r['case']} | {r['chars']:,} | {r['seconds']} | {r['quotes']} |" for r in rows]
    (args.out / "extract_stress.md").write_text("\n".join(table) + "\n", encoding="utf-8")
    print("\n".join(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
