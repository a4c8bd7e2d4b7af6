"""Direct-quotation extraction and attribution measured on PolNeAR (brat standoff: Source, Cue, Content).

    python bench/polnear_bench.py --corpus /work/shared/data/polnear [--split dev] [--out bench/results]

A gold direct quotation is a span between paired quotation marks, of at least four words, inside an
annotated Content; its gold source is the Source of that attribution. Measured:
- recall: gold direct quotations overlapped (exact: matched character for character, marks and the
  reporting comma aside) by a proposed direct quotation;
- precision: proposed direct quotations that overlap (exact: equal) a gold quoted Content;
- attribution accuracy: among matched gold quotations whose gold source names a person, the share
  whose proposed speaker shares a name word with it.
Writes JSON and a Markdown table. Iterate on train; report dev.
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
from archive.ingest.names import name_tokens  # noqa: E402
from archive.ingest.quotes.marks import _clean_span as clean_span  # noqa: E402

NOT_A_NAME = {
    "he", "she", "they", "it", "i", "we", "you", "his", "her", "their", "its", "the", "a", "an", "this", "that",
    "these", "those", "who", "which", "some", "many", "one", "others", "critics", "officials", "aides",
}  # fmt: skip


def read_ann(path):
    """(entities by id, attributions as dicts role -> entity id)."""
    entities, relations = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            ident, meta, *text = parts
            label, spans = meta.split(" ", 1)
            fragments = [tuple(int(x) for x in part.split()) for part in spans.split(";")]
            entities[ident] = (label, fragments, text[0] if text else "")
        elif line.startswith("E") and len(parts) >= 2:
            args = parts[1]
            roles = dict(arg.split(":", 1) for arg in args.split())
            relations.append(roles)
    return entities, relations


def gold_direct(text, entities, relations):
    """Quoted spans (start, end, gold source text) inside annotated Contents, and all quoted Content spans."""
    units, quoted_contents = [], []
    for roles in relations:
        content = entities.get(roles.get("Content", ""))
        if content is None:
            continue
        source = entities.get(roles.get("Source", ""), (None, [], ""))[2]
        for start, end in content[1]:
            fragment = text[start:end]
            if re.search(r"[\"“”]", fragment):
                quoted_contents.append((start, end))
            for m in re.finditer(r"[\"“]([^\"“”]+)[\"”]?", fragment):
                inner_start, inner_end = clean_span(text, start + m.start(1), start + m.end(1))
                if len(re.findall(r"\w+", text[inner_start:inner_end])) >= quotes.MIN_WORDS:
                    units.append((inner_start, inner_end, source))
    return units, quoted_contents


def names_a_person(source):
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", source)
    if not words or words[0].lower() in {"the", "a", "an"}:
        return False
    return any(w[0].isupper() and w.lower() not in NOT_A_NAME for w in words)


def same_speaker(predicted, gold_source):
    gold = {w.lower().removesuffix("’s").removesuffix("'s") for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", gold_source)}
    return bool(predicted) and bool(set(name_tokens(predicted)) & gold)


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def evaluate(corpus, split, show=0):
    text_dir, ann_dir = corpus / split / "text", corpus / split / "attributions"
    counts = dict.fromkeys(
        ["gold", "gold_found_overlap", "gold_found_exact", "proposed", "proposed_overlap", "proposed_exact",
         "attr_total", "attr_correct"], 0)  # fmt: skip
    failures = {"missed": [], "spurious": [], "misattributed": []}
    articles = 0
    by_pattern = {}  # misattributions by the rule that attributed them ("none": no rule applied)
    started = time.monotonic()
    for ann_path in sorted(ann_dir.glob("*.ann")):
        text_path = text_dir / (ann_path.stem.rsplit("_", 1)[0] + ".txt")
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        entities, relations = read_ann(ann_path)
        units, quoted_contents = gold_direct(text, entities, relations)
        proposed = [q for q in quotes.extract(text).quotes if q.kind == quotes.DIRECT]
        articles += 1
        counts["gold"] += len(units)
        counts["proposed"] += len(proposed)
        for start, end, source in units:
            match = [q for q in proposed if overlaps((q.start, q.end), (start, end))]
            if match:
                counts["gold_found_overlap"] += 1
                if any((q.start, q.end) == (start, end) for q in match):
                    counts["gold_found_exact"] += 1
                if names_a_person(source):
                    counts["attr_total"] += 1
                    if same_speaker(match[0].speaker, source):
                        counts["attr_correct"] += 1
                    else:
                        by_pattern[match[0].pattern] = by_pattern.get(match[0].pattern, 0) + 1
                        failures["misattributed"].append(
                            f"{ann_path.stem}: gold {source!r}, proposed {match[0].speaker!r} "
                            f"({match[0].pattern}): {text[max(0, start - 150) : start]!r} [Q] {text[end : end + 80]!r}"
                        )
            else:
                failures["missed"].append(f"{ann_path.stem} @{start}: {text[max(0, start - 40) : end + 40]!r}")
        gold_spans = [(s, e) for s, e, _ in units]
        for q in proposed:
            if any(overlaps((q.start, q.end), span) for span in quoted_contents + gold_spans):
                counts["proposed_overlap"] += 1
                if (q.start, q.end) in gold_spans:
                    counts["proposed_exact"] += 1
            else:
                failures["spurious"].append(f"{ann_path.stem} @{q.start}: {text[max(0, q.start - 40) : q.end + 40]!r}")

    def ratio(a, b):
        return round(counts[a] / counts[b], 3) if counts[b] else None

    result = {
        "split": split,
        "articles": articles,
        "seconds": round(time.monotonic() - started, 1),
        "ms_per_article": round(1000 * (time.monotonic() - started) / max(articles, 1), 1),
        "counts": counts,
        "recall_overlap": ratio("gold_found_overlap", "gold"),
        "recall_exact": ratio("gold_found_exact", "gold"),
        "precision_overlap": ratio("proposed_overlap", "proposed"),
        "precision_exact": ratio("proposed_exact", "proposed"),
        "attribution_accuracy": ratio("attr_correct", "attr_total"),
        "misattributed_by_pattern": dict(sorted(by_pattern.items(), key=lambda kv: -kv[1])),
        "targets": {"recall_overlap": 0.90, "precision_overlap": 0.90, "attribution_accuracy": 0.80},
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    return result, failures


def markdown(results):
    rows = [
        "| split | articles | gold quotations | proposed | recall (overlap) | recall (exact) | precision (overlap) "
        "| precision (exact) | attribution accuracy (named sources) | ms per article |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        c = r["counts"]
        rows.append(
            f"| {r['split']} | {r['articles']} | {c['gold']} | {c['proposed']} | {r['recall_overlap']} | "
            f"{r['recall_exact']} | {r['precision_overlap']} | {r['precision_exact']} | "
            f"{r['attribution_accuracy']} ({c['attr_correct']}/{c['attr_total']}) | {r['ms_per_article']} |"
        )
    return "\n".join(rows) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--split", action="append", help="train and/or dev (default: dev)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results")
    parser.add_argument("--show", type=int, default=0, help="print this many failures of each kind")
    args = parser.parse_args(argv)
    if not (args.corpus / "dev").is_dir():
        parser.error(f"{args.corpus} does not hold PolNeAR (no dev/ directory)")
    results = []
    for split in args.split or ["dev"]:
        result, failures = evaluate(args.corpus, split)
        results.append(result)
        # Only counts go to the results: the examples quote the corpus, which stays out of the repository.
        for kind, items in failures.items():
            result["counts"][kind] = len(items)
            for item in items[: args.show]:
                print(f"[{split} {kind}] {item}")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "attribution.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = markdown(results)
    (args.out / "attribution.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
