"""Golden files: inputs in tests/data/ with the output the code is expected to give, compared whole.

The inputs are the seed report (the Xinhua article of 6 August 2020 the archive was started from;
``fixtures/seed.json`` holds it verbatim too) and small files written for the tests in the corpora's
layouts. Nothing here is read from ../shared, so a fresh clone runs every golden test.

After a deliberate change to what the code produces, rewrite the expected files from the code as it
is now, then read the diff before committing it (openparliament's imports/tests/test_alpheus.py
keeps its Hansard examples the same way):

    make golden          # REGENERATE_GOLDEN=1 pytest -m golden
    git diff tests/data/
"""

import datetime
import json
import os
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
NEWS = DATA / "news"
SEED_ARTICLE = NEWS / "xinhua-2020-08-06-zhang-jun-terrorism-organized-crime.txt"
REGENERATE = os.environ.get("REGENERATE_GOLDEN") == "1"


def seed_text():
    return SEED_ARTICLE.read_text(encoding="utf-8")


def news_article(name):
    """The text of tests/data/news/<name> (name with or without .txt)."""
    return (NEWS / (name if name.endswith(".txt") else f"{name}.txt")).read_text(encoding="utf-8")


def news_articles():
    return sorted(NEWS.glob("*.txt"))


def published_on(path):
    """The publication date a golden article's file name carries: wire-2021-03-12-....txt."""
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", path.name)
    return datetime.date(*(int(part) for part in match.groups()))


def expected_path(path):
    return path.with_name(f"{path.stem}.expected.json")


def as_json(data):
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def assert_golden(path, actual):
    """``actual`` (text) is what ``path`` holds; with REGENERATE_GOLDEN=1 the file is rewritten instead."""
    if REGENERATE:
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"{path.relative_to(DATA.parent.parent)} is missing: `make golden` writes it (then read it)")
    expected = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        # Compared as data, so that pytest shows which field changed.
        assert json.loads(actual) == json.loads(expected), f"not what {path.name} says (`make golden` if intended)"
    else:
        assert actual == expected, f"not what {path.name} says (`make golden` if intended)"
