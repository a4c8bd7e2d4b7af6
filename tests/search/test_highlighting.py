"""Highlighted passages (archive/search/whoosh/highlighting.py): the same text and query give the same
passages in every process."""

from archive.search.whoosh.highlighting import highlight


def test_among_equally_good_passages_the_earliest_are_shown():
    filler = " ".join(["the council met again and heard the reports of its members"] * 6)
    passages = [f"It spoke of peace in region {n}. {filler}" for n in range(1, 7)]
    text = " ".join(passages)
    spans = []
    start = 0
    for _ in passages:
        at = text.index("peace", start)
        spans.append((at, at + len("peace")))
        start = at + 1
    shown = highlight(text, spans, top=3)
    assert "region 1." in shown and "region 2." in shown and "region 3." in shown
    assert "region 6." not in shown
    assert highlight(text, spans, top=3) == shown
