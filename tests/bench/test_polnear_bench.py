"""The PolNeAR scorer on an invented article in brat standoff (the corpus itself stays in ../shared)."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "polnear_bench.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("polnear_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def span(text, part):
    start = text.index(part)
    return start, start + len(part)


def test_scores_recall_precision_and_attribution(tmp_path):
    text = (
        '"We will win this election by a mile," Maria Lopez said.\n\n'
        'The "fake news" story ran. "Nobody here believes a word of it at all," said a voter.\n\n'
        '"This is a title of a show on television"'
    )
    lines = []
    n = 0
    for source, cue, content in [
        ("Maria Lopez", "said", '"We will win this election by a mile,"'),
        ("a voter", "said", '"Nobody here believes a word of it at all,"'),
    ]:
        cue_start = text.index(cue, text.index(content))
        spans = [
            ("Source", *span(text, source)),
            ("Cue", cue_start, cue_start + len(cue)),
            ("Content", *span(text, content)),
        ]
        ids = []
        for label, start, end in spans:
            n += 1
            lines.append(f"T{n}\t{label} {start} {end}\t{text[start:end]}")
            ids.append(f"{label}:T{n}")
        lines.append(f"E{n}\tAttribution:T{n} {' '.join(ids)}")
    split = tmp_path / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "article.txt").write_text(text, encoding="utf-8")
    (split / "attributions" / "article_abcd.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")

    result, failures = load_bench().evaluate(tmp_path, "dev")
    counts = result["counts"]
    assert (counts["gold"], counts["proposed"]) == (2, 3)  # the title is proposed but not gold
    assert result["recall_overlap"] == 1.0
    assert result["recall_exact"] == 1.0
    assert result["precision_overlap"] == round(2 / 3, 3)
    # Only "Maria Lopez" names a person; "a voter" does not count for attribution.
    assert (counts["attr_total"], counts["attr_correct"]) == (1, 1)
    assert len(failures["spurious"]) == 1
