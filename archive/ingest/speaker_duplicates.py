"""Speakers that are probably one person, with the evidence, for editors to merge (``manage.py
speaker_duplicates``; the merge itself is ``services.speaker_merge``). Names are compared by the keys
of ``names.py``, the one place names are matched.
"""

from collections import defaultdict
from dataclasses import dataclass

from archive.ingest.names import OFFICE, is_surname_only, name_key


@dataclass
class Duplicate:
    first: dict  # {"pk", "name", "slug", "countries", "years", "statements"}
    second: dict
    evidence: list  # ["same delegation FRA", "middle initial: 'Timothy S. Harris' / 'Timothy Harris'", ...]
    score: int


def _without_initials(key):
    parts = key.split(" ")
    return " ".join(p for i, p in enumerate(parts) if len(p) > 1 or i in (0, len(parts) - 1))


def likely_duplicates(speakers):
    """Pairs of speakers that are probably one person, with the evidence, strongest first.

    ``speakers``: dicts with pk, name, slug, aliases, countries (codes), years, statements. Offices and
    placeholders ("President of the Security Council (Niger)") are not people and are left out.
    """
    from rapidfuzz.distance import Levenshtein

    people = [s for s in speakers if not OFFICE.search(s["name"])]
    for person in people:
        person["keys"] = {k for k in (name_key(n) for n in [person["name"], *(person.get("aliases") or [])]) if k}
    blocks = defaultdict(set)
    for i, person in enumerate(people):
        for key in person["keys"]:
            parts = key.split(" ")
            for part in {parts[0], parts[-1]}:
                blocks[part].add(i)
    found = {}
    for members in blocks.values():
        if len(members) < 2 or len(members) > 200:
            continue
        ordered = sorted(members)
        for n, i in enumerate(ordered):
            for j in ordered[n + 1 :]:
                if (i, j) not in found:
                    found[(i, j)] = _compare(people[i], people[j], Levenshtein)
    pairs = [
        Duplicate(first=people[i], second=people[j], evidence=evidence, score=score)
        for (i, j), (evidence, score) in found.items()
        if score >= 2
    ]
    return sorted(pairs, key=lambda d: (-d.score, d.first["name"], d.second["name"]))


def _compare(a, b, levenshtein):
    evidence, score = [], 0
    shared = set(a["countries"]) & set(b["countries"])
    if a["countries"] and b["countries"] and not shared:
        return [], 0  # two delegations: two people, however alike the names
    if shared:
        evidence.append("same delegation " + ", ".join(sorted(shared)))
        score += 1
    elif not a["countries"] and not b["countries"]:
        evidence.append("both without a delegation")
    best = None
    for ka in a["keys"]:
        for kb in b["keys"]:
            if ka == kb:
                best = ("same name key", 3)
            elif _without_initials(ka) == _without_initials(kb):
                best = max(best or ("", 0), (f"middle initials differ: {ka!r} / {kb!r}", 2), key=lambda x: x[1])
            elif is_surname_only(ka) != is_surname_only(kb) and (
                ka in kb.split(" ") if is_surname_only(ka) else kb in ka.split(" ")
            ):
                best = max(best or ("", 0), (f"family name alone: {ka!r} / {kb!r}", 2), key=lambda x: x[1])
            else:
                distance = levenshtein.distance(ka, kb, score_cutoff=2)
                if distance <= 2 and min(len(ka), len(kb)) >= 8:
                    best = max(best or ("", 0), (f"edit distance {distance}: {ka!r} / {kb!r}", 2), key=lambda x: x[1])
    if best is None:
        return [], 0
    evidence.append(best[0])
    score += best[1]
    years_a, years_b = a["years"], b["years"]
    if years_a and years_b:
        evidence.append(f"statements {_span(years_a)} / {_span(years_b)}")
        if min(years_b) - max(years_a) <= 5 and min(years_a) - max(years_b) <= 5:
            score += 1
    return evidence, score


def _span(years):
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}-{last}"
