"""How long an HTML upload takes to become text: the regex reduction it replaced against lxml.

    python bench/html_to_text_bench.py [--out bench/results]

The old ``sanitize.html_to_text`` ran regular expressions over the page; on unclosed tags they
backtrack quadratically (an 800 KB page of ``<script>`` tied up a worker until its 60 s timeout).
The new one parses with libxml2 (lxml) in one pass. Old times are measured on growing sizes
(doubling the size quadruples the time); new times at 1 MB. Writes JSON and a Markdown table.
"""

import argparse
import html
import json
import os
import platform
import re
import sys
import time
from functools import partial
from pathlib import Path

import bleach
import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
django.setup()

from archive import sanitize  # noqa: E402
from archive.ingest import news  # noqa: E402

_OLD_BLOCK = re.compile(r"</?(p|div|br|li|ul|ol|blockquote|h[1-6]|tr|table|section|article)\b[^>]*>", re.I)
_OLD_DROP = re.compile(r"<(script|style|noscript|template|iframe|object)\b.*?</\1\s*>", re.I | re.S)


def old_html_to_text(value):
    """The regex version as it was before issue 12 (archive/sanitize.py)."""
    value = _OLD_DROP.sub(" ", value)
    value = _OLD_BLOCK.sub("\n\n", value)
    text = html.unescape(bleach.clean(value, tags=set(), strip=True, strip_comments=True))
    return "\n\n".join(p for p in (" ".join(b.split()) for b in re.split(r"\n\s*\n", text)) if p)


CASES = {
    "unclosed <script> tags": lambda n: "<script>" * (n // 8),
    "unclosed <p attributes": lambda n: "<p " * (n // 3),
    "<div> nested without end": lambda n: "<div>" * (n // 5) + "text",
    "unclosed comment": lambda n: "<p>hi</p><!--" + "x" * n,
    "a news page (paragraphs)": lambda n: "<p>The envoy said &quot;we must act&quot; today.</p>" * (n // 52),
}
OLD_SIZES = [12_500, 25_000, 50_000]
NEW_SIZE = 1_000_000


def timed(function, page):
    start = time.perf_counter()
    function(page)
    return round(time.perf_counter() - start, 4)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = parser.parse_args(argv)
    rows = []
    for name, make in CASES.items():
        row = {"case": name}
        for size in OLD_SIZES:
            row[f"old_{size}_s"] = timed(old_html_to_text, make(size))
        page = make(NEW_SIZE)
        row["new_1MB_chars"] = len(page)
        # As an upload calls it (the news text limit), and with no limit (the extractor on the whole page).
        row["new_1MB_s"] = timed(partial(sanitize.html_to_text, max_chars=news.MAX_CHARS), page)
        row["new_1MB_no_limit_s"] = timed(sanitize.html_to_text, page)
        rows.append(row)
        print(row, flush=True)
    machine = f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "html_to_text.json").write_text(json.dumps({"machine": machine, "rows": rows}, indent=2))
    head = ["case", *(f"old {s // 1000}k s" for s in OLD_SIZES), "new 1 MB s (upload)", "new 1 MB s (no text limit)"]
    lines = [f"Machine: {machine}", "", "| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in rows:
        cells = [row["case"], *(str(row[f"old_{s}_s"]) for s in OLD_SIZES), str(row["new_1MB_s"])]
        cells.append(str(row["new_1MB_no_limit_s"]))
        lines.append("| " + " | ".join(cells) + " |")
    (args.out / "html_to_text.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
