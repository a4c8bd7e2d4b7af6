"""The keyword topic rules measured against hand labels of UN General Debate speeches.

    python bench/topic_eval.py [--corpus ../shared/data/ungdc/UNGDC_1946-2024.tgz] [--split heldout] [--out bench/results]

The labels are tests/data/topic_labels_ungdc.tsv (its header says how the speeches were drawn and what
"addresses a topic" means). Each labelled speech is read from the corpus (the .tgz or its unpacked
folder) and parsed as the UNGDC import parses it; its topics are what ``archive.topic_rules.score``
gives, the function ``manage.py assign_topics`` applies. Labels and the rules' topics are both closed
upward to their ancestors in the vocabulary (a topic page lists its sub-topics' statements too), then
compared: per topic and overall (micro: every speech-topic pair counts once) precision, recall and F1.
The corpus defaults to $UNGDC_PATH, else $ARCHIVE_SHARED_DIR/data/ungdc/UNGDC_1946-2024.tgz, else
../shared next to the repository. Writes topic_eval.json and topic_eval.md (the "heldout" split;
other splits get their name in the file name).
"""

import argparse
import json
import os
import platform
import random
import re
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABELS = ROOT / "tests" / "data" / "topic_labels_ungdc.tsv"
ID_RE = re.compile(r"^[A-Z]{2,3}_\d{1,3}_\d{4}$")
FILE_RE = re.compile(r"(?:^|/)([A-Z]{2,3}_\d{1,3}_\d{4})\.txt$")
SPLITS = ("heldout", "tuning")
SEED, PER_DECADE, HELDOUT_PER_DECADE = 14, 23, 17
TARGET_PRECISION, TARGET_RECALL = 0.80, 0.60


def default_corpus():
    if os.environ.get("UNGDC_PATH"):
        return Path(os.environ["UNGDC_PATH"])
    shared = Path(os.environ.get("ARCHIVE_SHARED_DIR", ROOT.parent / "shared"))
    return shared / "data" / "ungdc" / "UNGDC_1946-2024.tgz"


def read_labels(path=LABELS):
    """[(speech id, split, [topic slugs])] in file order; a ValueError names the first bad line."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"{path}:{number}: want 3 tab-separated fields, got {len(parts)}")
        speech_id, split, topics = parts
        if not ID_RE.match(speech_id):
            raise ValueError(f"{path}:{number}: {speech_id!r} is not an id like USA_75_2020")
        if split not in SPLITS:
            raise ValueError(f"{path}:{number}: split {split!r} is not one of {', '.join(SPLITS)}")
        slugs = [slug for slug in topics.split(",") if slug]
        if not slugs:
            raise ValueError(f"{path}:{number}: {speech_id} has no topics")
        rows.append((speech_id, split, slugs))
    return rows


def draw_sample(ids, seed=SEED):
    """{"heldout": [...], "tuning": [...]}: per decade, in decade order, 23 ids drawn with one
    random.Random(seed); the first 17 of each draw are held out, the other 6 are for tuning."""
    by_decade = {}
    for speech_id in sorted(ids):
        by_decade.setdefault(int(speech_id.rsplit("_", 1)[1]) // 10 * 10, []).append(speech_id)
    rng = random.Random(seed)
    sample = {"heldout": [], "tuning": []}
    for decade in sorted(by_decade):
        drawn = rng.sample(by_decade[decade], PER_DECADE)
        sample["heldout"] += drawn[:HELDOUT_PER_DECADE]
        sample["tuning"] += drawn[HELDOUT_PER_DECADE:]
    return sample


def corpus_files(path, wanted):
    """({speech id: (file name, bytes)} for the wanted ids, every speech id in the corpus), from the
    .tgz or its unpacked folder."""
    path = Path(path)
    files, ids = {}, []
    if path.is_dir():
        for file in path.rglob("*.txt"):
            if match := FILE_RE.search(file.as_posix()):
                ids.append(match[1])
                if match[1] in wanted:
                    files[match[1]] = (file.relative_to(path).as_posix(), file.read_bytes())
        return files, ids
    with tarfile.open(path, "r:*") as archive:
        for member in archive:
            if member.isfile() and (match := FILE_RE.search(member.name)):
                ids.append(match[1])
                if match[1] in wanted:
                    files[match[1]] = (member.name, archive.extractfile(member).read())
    return files, ids


def topic_parents():
    from archive.data.reference import TOPICS

    return {slug: parent for slug, _name, parent, _keywords in TOPICS}


def closed(slugs, parents):
    """The slugs with all their ancestors."""
    out = set()
    for slug in slugs:
        while slug and slug not in out:
            out.add(slug)
            slug = parents.get(slug)
    return out


def ratio(a, b):
    return round(a / b, 3) if b else None


def f1(precision, recall):
    return round(2 * precision * recall / (precision + recall), 3) if precision and recall else None


def evaluate(gold, predicted, parents):
    """Per-topic and micro precision/recall/F1 of predicted against gold ({speech id: set of slugs}),
    both closed upward first."""
    gold = {k: closed(v, parents) for k, v in gold.items()}
    predicted = {k: closed(predicted.get(k, ()), parents) for k in gold}
    per_topic = {}
    totals = {"tp": 0, "fp": 0, "fn": 0}
    for slug in parents:
        tp = sum(1 for k in gold if slug in gold[k] and slug in predicted[k])
        fp = sum(1 for k in gold if slug not in gold[k] and slug in predicted[k])
        fn = sum(1 for k in gold if slug in gold[k] and slug not in predicted[k])
        for key, value in (("tp", tp), ("fp", fp), ("fn", fn)):
            totals[key] += value
        precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
        per_topic[slug] = {
            "labelled": tp + fn,
            "predicted": tp + fp,
            "tp": tp,
            "precision": precision,
            "recall": recall,
            "f1": f1(precision, recall),
        }
    precision = ratio(totals["tp"], totals["tp"] + totals["fp"])
    recall = ratio(totals["tp"], totals["tp"] + totals["fn"])
    micro = {**totals, "precision": precision, "recall": recall, "f1": f1(precision, recall)}
    return {"micro": micro, "per_topic": per_topic}


def predict(texts):
    """{speech id: set of slugs} by the rules assign_topics applies."""
    from archive import topic_rules

    return {speech_id: set(topic_rules.score(text)) for speech_id, text in texts.items()}


def speech_texts(corpus, ids):
    """({speech id: text as the UNGDC import stores it} for the ids, every id in the corpus); a
    KeyError names missing files."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    django.setup()
    from archive.ingest.ungdc import UNGDCImporter

    files, all_ids = corpus_files(corpus, set(ids))
    missing = [speech_id for speech_id in ids if speech_id not in files]
    if missing:
        raise KeyError(f"not in {corpus}: {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    importer = UNGDCImporter(corpus, progress=False)
    importer.country_names = {}  # the run() cache of country names; only the text is wanted here
    return {speech_id: importer.parse(*files[speech_id]).text for speech_id in ids}, all_ids


def run(corpus, split="heldout", labels_path=LABELS):
    from archive import topic_rules

    rows = read_labels(labels_path)
    chosen = [(speech_id, slugs) for speech_id, row_split, slugs in rows if split == "all" or row_split == split]
    started = time.monotonic()
    texts, all_ids = speech_texts(corpus, [speech_id for speech_id, _ in chosen])
    read_seconds = time.monotonic() - started
    sample = draw_sample(all_ids)
    labelled = {s: [speech_id for speech_id, row_split, _ in rows if row_split == s] for s in SPLITS}
    sample_matches = {s: labelled[s] == sample[s][: len(labelled[s])] for s in SPLITS}
    started = time.monotonic()
    predicted = predict(texts)
    score_seconds = time.monotonic() - started
    parents = topic_parents()
    gold = {speech_id: set(slugs) for speech_id, slugs in chosen}
    result = evaluate(gold, predicted, parents)
    as_written = evaluate(gold, predicted, dict.fromkeys(parents))["micro"]
    micro = result["micro"]
    return {
        "split": split,
        "speeches": len(chosen),
        "method": topic_rules.METHOD,
        "corpus": Path(corpus).name,
        "sample_reproduced": sample_matches,
        "target": {"precision": TARGET_PRECISION, "recall": TARGET_RECALL},
        "target_met": bool(
            micro["precision"]
            and micro["recall"]
            and micro["precision"] >= TARGET_PRECISION
            and micro["recall"] >= TARGET_RECALL
        ),
        "micro": micro,
        "micro_without_closure": as_written,
        "per_topic": result["per_topic"],
        "seconds": {"read_and_parse": round(read_seconds, 2), "score": round(score_seconds, 3)},
        "machine": {"python": platform.python_version(), "load_avg": list(os.getloadavg())},
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def fmt(value):
    return "-" if value is None else f"{value:.2f}"


def markdown(report):
    micro, without = report["micro"], report["micro_without_closure"]
    lines = [
        f"# Topic rules ({report['method']}) against hand labels: {report['split']} split",
        "",
        f"{report['speeches']} UNGDC speeches (tests/data/topic_labels_ungdc.tsv), {report['when']}; "
        f"labels and rules' topics closed upward to ancestors. Sample redrawn from {report['corpus']} "
        f"with seed {SEED}: {'matches' if all(report['sample_reproduced'].values()) else 'DOES NOT match'} "
        "the label file.",
        "",
        f"**Overall (micro): precision {fmt(micro['precision'])}, recall {fmt(micro['recall'])}, "
        f"F1 {fmt(micro['f1'])}** ({micro['tp']} right, {micro['fp']} wrong, {micro['fn']} missed); "
        f"target precision >= {TARGET_PRECISION:.2f} at recall >= {TARGET_RECALL:.2f}: "
        f"{'met' if report['target_met'] else 'not met'}. Without the upward closure: precision "
        f"{fmt(without['precision'])}, recall {fmt(without['recall'])}.",
        "",
        "| topic | labelled | rules | right | precision | recall | F1 |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    rows = sorted(report["per_topic"].items(), key=lambda item: (-item[1]["labelled"], item[0]))
    for slug, row in rows:
        lines.append(
            f"| {slug} | {row['labelled']} | {row['predicted']} | {row['tp']} | {fmt(row['precision'])} "
            f"| {fmt(row['recall'])} | {fmt(row['f1'])} |"
        )
    seconds = report["seconds"]
    lines += [
        "",
        f"Reading and parsing the corpus: {seconds['read_and_parse']} s; scoring: {seconds['score']} s. "
        f"Load average {', '.join(f'{x:.2f}' for x in report['machine']['load_avg'])}.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--split", default="heldout", choices=[*SPLITS, "all"])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        parser.error(f"no corpus at {args.corpus} (give --corpus or set UNGDC_PATH)")
    report = run(args.corpus, args.split, args.labels)
    stem = "topic_eval" if args.split == "heldout" else f"topic_eval_{args.split}"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.out / f"{stem}.md").write_text(markdown(report), encoding="utf-8")
    micro = report["micro"]
    print(
        f"{report['speeches']} speeches ({report['split']}): precision {fmt(micro['precision'])}, "
        f"recall {fmt(micro['recall'])}, F1 {fmt(micro['f1'])} -> {args.out / stem}.{{json,md}}"
    )


if __name__ == "__main__":
    main()
