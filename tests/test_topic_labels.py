"""The hand-labelled topic evaluation (issue 14): the label file is sound on a fresh clone, and the
keyword rules reach the target against it when the UN General Debate corpus is present."""

import importlib.util
from pathlib import Path

import pytest

from archive.data.reference import TOPICS

BENCH = Path(__file__).resolve().parents[1] / "bench" / "topic_eval.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("topic_eval", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_label_file_is_well_formed_and_uses_the_vocabulary():
    bench = load_bench()
    rows = bench.read_labels()  # raises on a malformed line, an id not like USA_75_2020, an unknown split
    ids = [speech_id for speech_id, _, _ in rows]
    assert len(ids) == len(set(ids)), "a speech is labelled twice"
    splits = [split for _, split, _ in rows]
    assert splits.count("heldout") >= 150 and splits.count("tuning") >= 50
    vocabulary = {slug for slug, _name, _parent, _keywords in TOPICS}
    unknown = {slug for _, _, slugs in rows for slug in slugs} - vocabulary
    assert not unknown, f"topics not in the vocabulary: {sorted(unknown)}"
    assert all(len(slugs) == len(set(slugs)) for _, _, slugs in rows)


def test_label_file_says_how_it_was_made_and_holds_no_speech_text():
    text = load_bench().LABELS.read_text(encoding="utf-8")
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    for needed in ("random.Random(14)", '"addresses" a topic', "heldout", "tuning", "No speech text"):
        assert needed in header
    body = [line for line in text.splitlines() if line and not line.startswith("#")]
    # Each data line is an id, a split and slugs: nothing long enough to carry a sentence of a speech.
    assert all(len(line.split("\t")) == 3 and " " not in line for line in body)


def test_scores_close_labels_and_rules_upward_to_parent_topics():
    bench = load_bench()
    parents = bench.topic_parents()
    gold = {"A_1_1946": {"arms-trafficking"}, "B_1_1946": {"climate-change"}}
    predicted = {"A_1_1946": {"trafficking"}, "B_1_1946": {"climate-change", "sanctions"}}
    result = bench.evaluate(gold, predicted, parents)
    rows = result["per_topic"]
    # "trafficking" for an arms-trafficking speech is right about trafficking and what it sits under ...
    for slug in ("trafficking", "transnational-organized-crime", "peace-and-security"):
        assert (rows[slug]["tp"], rows[slug]["labelled"]) == (1, 1)
    # ... but misses the narrower topic; sanctions is wrong for the climate speech.
    assert (rows["arms-trafficking"]["tp"], rows["arms-trafficking"]["recall"]) == (0, 0.0)
    assert rows["sanctions"]["precision"] == 0.0
    micro = result["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (4, 2, 1)  # sanctions + its parent peace-and-security


def test_rules_reach_the_target_on_held_out_speeches():
    bench = load_bench()
    corpus = bench.default_corpus()
    if not corpus.exists():
        pytest.skip(f"the UN General Debate corpus is not at {corpus} (set UNGDC_PATH or ARCHIVE_SHARED_DIR)")
    report = bench.run(corpus, "heldout")
    assert report["sample_reproduced"] == {"heldout": True, "tuning": True}
    assert report["speeches"] >= 150
    micro = report["micro"]
    assert micro["precision"] >= 0.80 and micro["recall"] >= 0.60, micro
