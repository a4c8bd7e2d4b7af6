"""The labelled quotation set over the Security Council sample: loading it, and making its generated part.

``tests/data/quotecheck_unsc.jsonl`` holds the pairs written by hand for these tests: paraphrases,
differently worded translations, French quotations and reports of speeches not in the archive,
each a short news-style report of ours with the verdict and the differences expected.

The other pairs are made when the set is loaded, from the records themselves (the speeches of
``data/unsc-2020-sample``, read from the shared folder: ARCHIVE_SHARED_DIR, default ../shared), by
editing a record's sentence in the ways reporters do (a word substituted, words dropped with or
without an ellipsis, sentences merged or swapped, "UN" for "United Nations", spelling or
hyphenation changed, an editorial insertion in brackets), with a fixed seed, so the expected
differences are known by construction and no text of the records is kept in the repository.

    python bench/quote_check_set.py            # counts of the set, by case
"""

import json
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SET_PATH = ROOT / "tests" / "data" / "quotecheck_unsc.jsonl"
SHARED = Path(os.environ.get("ARCHIVE_SHARED_DIR") or ROOT.parent / "shared")
SAMPLE = SHARED / "data" / "unsc-2020-sample"


def load_records():
    """{file name: (body text, language spoken or "")} of every speech of the sample."""
    from archive.ingest.records import decode_text
    from archive.ingest.unsc_header import parse_header

    records = {}
    for path in sorted(SAMPLE.glob("*.txt")):
        text = decode_text(path.read_bytes(), path.name)
        try:
            header = parse_header(text)
        except Exception:  # noqa: BLE001, S112 - a file without a speaker line is no record to quote
            continue
        spoken = header.language if header.language not in ("", "en") else ""
        records[path.name] = (" ".join(header.body.split()), spoken, header.who)
    return records


def load_handwritten(path=SET_PATH):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_set(records, path=SET_PATH):
    """Every labelled pair: those made from ``records`` (``load_records()``), then the handwritten."""
    items = make_generated(records) + load_handwritten(path)
    for number, item in enumerate(items, 1):
        item["id"] = f"q{number:03d}"
    return items


def records_for(item, records):
    """The official records a labelled quotation is checked against (archive.quotecheck.results.Record)."""
    from archive.quotecheck.results import Record

    out = []
    for name in item["records"]:
        text, spoken, _who = records[name]
        out.append(Record(key=name, label=name, text=text, language="en", delivered_in=spoken))
    return out


# --- making the generated part -------------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_SUBSTITUTES = {
    "important": "crucial",
    "support": "back",
    "continue": "keep",
    "situation": "crisis",
    "humanitarian": "aid",
    "political": "diplomatic",
    "international": "global",
    "security": "safety",
    "people": "citizens",
    "efforts": "work",
    "process": "effort",
    "Council": "body",
    "parties": "sides",
    "call": "appeal",
    "concern": "worry",
    "welcome": "applaud",
    "must": "should",
    "need": "have",
    "all": "every",
    "also": "further",
}
_BRITISH = [("favour", "favor"), ("honour", "honor"), ("organization", "organisation"), ("behaviour", "behavior")]
_OUTLETS = ["the Daily Ledger", "Capital Wire", "the Harbour Times", "Metro Courier", "the Evening Post"]
_FRAMES = [
    '"{q}," {who} told the Security Council on {day}.',
    '{who} told fellow Council members: "{q}"',
    '"{q}," said {who}, speaking at the Council meeting, {outlet} reported.',
    'Addressing the Council, {who} said: "{q}"',
    '"{q}," {who} added.',
]
DAYS = {"8698": "Thursday", "8700": "Friday", "8725": "Thursday"}


def _words(text):
    return re.findall(r"[^\W_]+", text)


def _norm_key(kind, quote, record):
    from archive.quotecheck.words import normal_words

    return f"{kind}:{' '.join(normal_words(quote))}>{' '.join(normal_words(record))}"


def _sentences(text):
    return [s for s in _SENTENCE.split(text) if s]


def _good(sentence):
    n = len(_words(sentence))
    return 10 <= n <= 35 and '"' not in sentence and "“" not in sentence and ":" not in sentence[:20]


def _frame(rng, name, who, quote):
    meeting = re.search(r"SPV\.(\d+)", name).group(1)
    return rng.choice(_FRAMES).format(q=quote, who=who, day=DAYS[meeting], outlet=rng.choice(_OUTLETS))


def _item(rng, name, who, quote, case, expected, differences, records=None, language="en"):
    return {
        "id": "",
        "case": case,
        "records": records if records is not None else [name],
        "speaker": who,
        "language": language,
        "report": _frame(rng, name, who, quote),
        "quote": quote,
        "expected": expected,
        "differences": differences,
    }


def make_generated(records):
    rng = random.Random(13)
    english = [n for n, (t, spoken, who) in records.items() if not spoken and len(_words(t)) > 150]
    translated = [n for n, (t, spoken, who) in records.items() if spoken and len(_words(t)) > 150]
    items = []
    for name in english[:26]:
        text, _spoken, who = records[name]
        sentences = _sentences(text)
        good = [i for i, s in enumerate(sentences) if _good(s)]
        if len(good) < 6:
            continue
        picks = rng.sample(good, 6)
        s = [sentences[i] for i in picks]
        # 1. verbatim, as a reporter punctuates and capitalises it
        q = s[0].rstrip(".").replace(",", "")
        q = q[0].lower() + q[1:]
        items.append(_item(rng, name, who, q, "verbatim", "verbatim", []))
        # 2. one word substituted
        words = _words(s[1])
        swap = next((w for w in words if w in _SUBSTITUTES and words.count(w) == 1), None)
        if swap:
            q = re.sub(rf"\b{swap}\b", _SUBSTITUTES[swap], s[1], count=1)
            items.append(
                _item(rng, name, who, q, "substituted", "altered", [_norm_key("substituted", _SUBSTITUTES[swap], swap)])
            )
        # 3. words omitted, without and with an ellipsis
        words = s[2].split(" ")
        mid = len(words) // 2
        dropped = words[mid : mid + 2]
        plain = _words(" ".join(dropped))
        neighbours = _words(" ".join(words[mid - 2 : mid] + words[mid + 2 : mid + 4]))
        if plain and not {w.lower() for w in plain} & {w.lower() for w in neighbours}:
            q = " ".join(words[:mid] + words[mid + 2 :])
            items.append(_item(rng, name, who, q, "omitted", "altered", [_norm_key("omitted", "", " ".join(plain))]))
            q = " ".join(words[:mid]) + " ... " + " ".join(words[mid + 2 :])
            items.append(_item(rng, name, who, q, "ellipsis", "verbatim", []))
        # 4. sentences merged: two sentences a few apart, with and without an ellipsis
        i = picks[3]
        if i + 3 < len(sentences) and _good(sentences[i + 2]):
            between = " ".join(sentences[i + 1 : i + 2])
            first, second = sentences[i], sentences[i + 2]
            items.append(
                _item(
                    rng,
                    name,
                    who,
                    f"{first} {second}",
                    "merged",
                    "altered",
                    [_norm_key("omitted", "", between)],
                )
            )
            items.append(_item(rng, name, who, f"{first} ... {second}", "merged-ellipsis", "verbatim", []))
        # 5. a word inserted at the start
        q = "And " + s[4][0].lower() + s[4][1:]
        items.append(_item(rng, name, who, q, "inserted", "altered", [_norm_key("inserted", "And", "")]))
        # 6. an editorial insertion in brackets
        words = s[5].split(" ")
        q = " ".join(words[:3] + ["[at the meeting]"] + words[3:])
        items.append(_item(rng, name, who, q, "brackets", "verbatim", []))
    # "UN" for "United Nations", spelling, hyphenation, swapped sentences, across the English speeches
    made = {"un": 0, "spelling": 0, "hyphenation": 0}
    for name in english:
        text, _spoken, who = records[name]
        for sentence in _sentences(text):
            if not _good(sentence):
                continue
            if made["un"] < 15 and "United Nations" in sentence and sentence.count("United Nations") == 1:
                made["un"] += 1
                q = sentence.replace("United Nations", "UN")
                items.append(
                    _item(rng, name, who, q, "un", "altered", [_norm_key("substituted", "UN", "United Nations")])
                )
            for british, american in _BRITISH:
                if british in sentence and made["spelling"] < 12:
                    made["spelling"] += 1
                    items.append(_item(rng, name, who, sentence.replace(british, american), "spelling", "verbatim", []))
            hyphen = re.search(r"\b(\w+)-(\w+)\b", sentence)
            if made["hyphenation"] < 15 and hyphen and hyphen.group(1).isalpha() and hyphen.group(2).isalpha():
                made["hyphenation"] += 1
                q = sentence.replace(hyphen.group(0), hyphen.group(1) + hyphen.group(2), 1)
                items.append(_item(rng, name, who, q, "hyphenation", "verbatim", []))
    for name in english[:8]:
        text, _spoken, who = records[name]
        sentences = _sentences(text)
        pairs = [i for i in range(len(sentences) - 1) if _good(sentences[i]) and _good(sentences[i + 1])]
        if pairs:
            i = pairs[len(pairs) // 2]
            q = f"{sentences[i + 1]} {sentences[i]}"
            items.append(
                _item(
                    rng,
                    name,
                    who,
                    q,
                    "reordered",
                    "altered",
                    [_norm_key("reordered", sentences[i + 1], sentences[i + 1])],
                )
            )
    # Two words either side of "and" swapped ("unity and resolve" -> "resolve and unity").
    swapped = 0
    for name in english:
        if swapped >= 10:
            break
        text, _spoken, who = records[name]
        for sentence in _sentences(text):
            found = re.search(r"(?<= )([a-z]{4,}) and ([a-z]{4,})(?= [a-z])", sentence)
            if not _good(sentence) or not found or found.group(1) == found.group(2):
                continue
            a, b = found.group(1), found.group(2)
            if sentence.count(f" {a} ") + sentence.count(f" {b} ") > 2:
                continue
            q = sentence[: found.start()] + f"{b} and {a}" + sentence[found.end() :]
            items.append(
                _item(
                    rng,
                    name,
                    who,
                    q,
                    "reordered-words",
                    "altered",
                    [_norm_key("reordered", f"{b} and {a}", f"{a} and {b}")],
                )
            )
            swapped += 1
            break
    # A quotation of one speaker checked against another's record: not in it.
    for a, b in zip(english[:8], english[8:16], strict=False):
        text_a, _s, who_a = records[a]
        _text_b, _s, who_b = records[b]
        sentence = next(s for s in _sentences(text_a)[3:] if _good(s))
        items.append(_item(rng, b, who_b, sentence, "other-speaker", "not-found", [], records=[b]))
    # The UN's own translation quoted word for word: verbatim (it is the record's wording).
    for name in translated[:8]:
        text, _spoken, who = records[name]
        sentence = next(s for s in _sentences(text)[2:] if _good(s))
        items.append(_item(rng, name, who, sentence, "translation-verbatim", "verbatim", []))
    # Dropping duplicates (the same quotation made twice by two rules).
    seen, unique = set(), []
    for item in items:
        key = (item["quote"], tuple(item["records"]))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("ARCHIVE_DATA_DIR", "/tmp/quote-check-bench")
    import django

    django.setup()


def main():
    setup_django()
    items = load_set(load_records())
    counts = {}
    for item in items:
        counts[item["case"]] = counts.get(item["case"], 0) + 1
    handwritten = sum(1 for item in items if item.get("handwritten"))
    print(f"{len(items)} pairs ({handwritten} handwritten, the rest made from the records)")
    print(", ".join(f"{case} {n}" for case, n in sorted(counts.items())))


if __name__ == "__main__":
    main()
