"""Scoring a text against the topic rules (archive/data/topic_rules.py): pure functions, no database.

``score(text)`` returns, for every topic the text reaches, its score and the phrases that gave it.
Deterministic: the same text and rules always give the same topics.
"""

import re
from collections import Counter
from functools import lru_cache

from archive.data.topic_rules import METHOD, RULES

__all__ = ["METHOD", "RULES", "score"]


_TOKEN = re.compile(r"[\w-]+")


@lru_cache(maxsize=1)
def _phrases():
    """Every phrase of every rule as a tuple of words, with the forms it matches (a plural "s" or
    "es" on its last word); a phrase is counted once whatever the number of topics using it."""
    forms = {}
    for phrase in {phrase for rule in RULES.values() for phrase in rule["phrases"]}:
        words = tuple(_TOKEN.findall(phrase.lower()))
        forms[phrase] = [words, (*words[:-1], words[-1] + "s"), (*words[:-1], words[-1] + "es")]
    lengths = sorted({len(variants[0]) for variants in forms.values()})
    return forms, lengths


def score(text):
    """{topic slug: (score, {phrase: count})} for the topics whose rules the text reaches.

    The text is read once into words ("counter-terrorism" is one word, so "terrorism" does not
    match inside it) and its word sequences of each phrase length are counted.
    """
    forms, lengths = _phrases()
    words = _TOKEN.findall((text or "").lower())
    grams = Counter()
    for n in lengths:
        grams.update(zip(*(words[i:] for i in range(n)), strict=False))
    counts = {}
    for phrase, variants in forms.items():
        found = sum(grams.get(variant, 0) for variant in variants)
        if found:
            counts[phrase] = found
    result = {}
    if not counts:
        return result
    for slug, rule in RULES.items():
        evidence = {phrase: counts[phrase] for phrase in rule["phrases"] if phrase in counts}
        total = sum(rule["phrases"][phrase] * number for phrase, number in evidence.items())
        if evidence and total >= rule["min_score"]:
            result[slug] = (round(total, 2), evidence)
    return result
