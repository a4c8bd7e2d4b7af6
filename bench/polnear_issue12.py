"""PolNeAR scored with issue 12's definition, so figures compare with the held-out news it quotes.

    python bench/polnear_issue12.py --corpus /work/shared/data/polnear [--split dev] [--out bench/results]

- Gold direct quotations: every quoted segment (between matching quote marks) of two or more words
  inside a gold Content span, from the first annotator's .ann file of each article (by file name).
- A predicted direct quotation matches a gold segment when it covers more than half of it;
  precision = matching predictions / predictions; recall = matched gold / gold.
- Attribution, on matched gold segments whose Source holds a capitalised word that is not a
  pronoun: correct when any capitalised word of the gold Source appears in the predicted speaker.
Writes JSON and a Markdown table (counts only: the corpus text stays out of the repository).
"""

import argparse
import json
import os
import platform
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.ingest import quotes  # noqa: E402
from bench.polnear_bench import read_ann  # noqa: E402

PRONOUNS = {"he", "she", "they", "it", "i", "we", "you", "his", "her", "their", "its", "him", "them", "us", "me"}
_SEGMENT = re.compile(r"\"([^\"\n]+)\"|“([^“”\n]+)”")


def gold_segments(text, entities, relations):
    """(start, end, source) of every quoted segment of 2+ words inside a gold Content."""
    found = []
    for roles in relations:
        content = entities.get(roles.get("Content", ""))
        if content is None:
            continue
        source = entities.get(roles.get("Source", ""), (None, [], ""))[2]
        for start, end in content[1]:
            for m in _SEGMENT.finditer(text[start:end]):
                group = 1 if m.group(1) is not None else 2
                s, e = start + m.start(group), start + m.end(group)
                if len(re.findall(r"\w+", text[s:e])) >= 2:
                    found.append((s, e, source))
    return found


def covers_half(prediction, segment):
    overlap = min(prediction[1], segment[1]) - max(prediction[0], segment[0])
    return overlap * 2 > segment[1] - segment[0]


def capitalised(source):
    return [w for w in re.findall(r"[A-Za-z][\w'’-]*", source) if w[0].isupper() and w.lower() not in PRONOUNS]


def evaluate(corpus, split):
    text_dir, ann_dir = corpus / split / "text", corpus / split / "attributions"
    firsts = {}
    for path in sorted(ann_dir.glob("*.ann")):
        firsts.setdefault(path.stem.rsplit("_", 1)[0], path)
    counts = dict.fromkeys(["articles", "gold", "gold_matched", "predicted", "predicted_matching", "attr_total",
                            "attr_correct"], 0)  # fmt: skip
    started = time.monotonic()
    for stem, ann_path in sorted(firsts.items()):
        text_path = text_dir / f"{stem}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        gold = gold_segments(text, *read_ann(ann_path))
        predicted = [q for q in quotes.extract(text).quotes if q.kind == quotes.DIRECT]
        counts["articles"] += 1
        counts["gold"] += len(gold)
        counts["predicted"] += len(predicted)
        counts["predicted_matching"] += sum(
            1 for q in predicted if any(covers_half((q.start, q.end), (s, e)) for s, e, _ in gold)
        )
        for s, e, source in gold:
            match = next((q for q in predicted if covers_half((q.start, q.end), (s, e))), None)
            if match is None:
                continue
            counts["gold_matched"] += 1
            words = capitalised(source)
            if words:
                counts["attr_total"] += 1
                speaker = match.speaker or ""
                if any(re.search(rf"\b{re.escape(w)}\b", speaker) for w in words):
                    counts["attr_correct"] += 1
    seconds = time.monotonic() - started

    def ratio(a, b):
        return round(counts[a] / counts[b], 3) if counts[b] else None

    return {
        "split": split,
        "counts": counts,
        "precision": ratio("predicted_matching", "predicted"),
        "recall": ratio("gold_matched", "gold"),
        "attribution": ratio("attr_correct", "attr_total"),
        "ms_per_article": round(1000 * seconds / max(counts["articles"], 1), 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--split", action="append", help="train and/or dev (default: dev)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    args = parser.parse_args(argv)
    results = [evaluate(args.corpus, split) for split in args.split or ["dev"]]
    rows = [
        "| split | articles | gold segments | predicted | precision | recall | attribution | ms per article |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        c = r["counts"]
        rows.append(
            f"| {r['split']} | {c['articles']} | {c['gold']} | {c['predicted']} | {r['precision']} | {r['recall']} "
            f"| {r['attribution']} ({c['attr_correct']}/{c['attr_total']}) | {r['ms_per_article']} |"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "attribution_issue12.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "attribution_issue12.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
