"""The Whoosh index's formats index exactly the terms its analysers give (archive/search/whoosh/schema.py):
a word indexed one way and searched the other would never be found."""

from collections import Counter

from archive.search.whoosh.schema import (
    COMMON_WORDS,
    CommonPairs,
    ExactWords,
    StemmedWords,
    make_analyzer,
    make_exact_analyzer,
    make_pairs_analyzer,
)

TEXTS = [
    "We the peoples of the United Nations, determined to save succeeding generations from the scourge of war",
    "The U.S. and the U.K. said: co-operation, peace-keeping; Côte d'Ivoire, İstanbul, ÆTHER, naïve façade 2030",
    "中华人民共和国 支持 联合国。日本語のテキスト 한국어 텍스트 and English words_with_underscores x.y.z",
    "Российская Федерация поддерживает Организацию Объединённых Наций; la paix et la sécurité; la paz",
    "",
]


def analysed(analyzer, text):
    return Counter(token.text for token in analyzer(text, mode="index"))


def test_stemmed_words_are_the_analyser_terms_and_counts():
    for language in ("en", "fr", "es", "ru"):
        for text in TEXTS:
            indexed = {term: count for term, count, _weight, _value in StemmedWords(language).word_values(text, None)}
            assert indexed == analysed(make_analyzer(language), text), (language, text)


def test_exact_words_are_the_analyser_terms_with_their_positions():
    exact = ExactWords()
    for text in TEXTS:
        values = {term: (count, value) for term, count, _weight, value in exact.word_values(text, None)}
        assert Counter({term: count for term, (count, _value) in values.items()}) == analysed(
            make_exact_analyzer(), text
        )
        for position, token in enumerate(make_exact_analyzer()(text, mode="index", positions=True)):
            assert position in exact.decode_positions(values[token.text][1])
        for count, value in values.values():
            assert exact.decode_frequency(value) == count


def test_pairs_are_the_common_grams_with_their_counts():
    for text in TEXTS:
        pairs = {term: weight for term, _count, weight, _value in CommonPairs().word_values(text, None)}
        assert pairs == analysed(make_pairs_analyzer(), text)
        assert all(a in COMMON_WORDS or b in COMMON_WORDS for a, b in (pair.split(" ") for pair in pairs))


def test_positions_survive_long_gaps():
    exact = ExactWords()
    for positions in ([0], [3, 300, 70_000, 70_001], list(range(0, 5000, 7))):
        assert exact.decode_positions(exact.encode(positions)) == positions
