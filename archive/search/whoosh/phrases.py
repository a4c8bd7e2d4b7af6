"""Exact phrases over the exact field's positions, checked with sets instead of span objects.

Whoosh's ``Phrase`` builds one ``Span`` object per position of every word in every candidate
document and compares them pairwise in Python: for a phrase holding "the" that is hundreds of objects
per speech. Here each candidate document's positions are decoded in C (``ExactWords`` keeps them as
byte arrays), the rarest word's positions are the possible starts, and every other word is looked up
in a set of its positions. The documents, counts and scores are the same (the score is the sum of
the words' scores, as Whoosh's phrase matcher gives it).
"""

from whoosh import query as wq
from whoosh.matching import NullMatcher, WrappingMatcher
from whoosh.query.spans import Span, SpanNear2


class ExactPhrase(wq.Phrase):
    """``Phrase`` with the set-based check for adjacent words (slop 1); other slops are Whoosh's."""

    def matcher(self, searcher, context=None):
        if self.slop != 1 or len(self.words) < 2:
            return super().matcher(searcher, context)
        if self.fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        reader = searcher.reader()
        terms = []
        for word in self.words:
            btext = field.to_bytes(word)
            if (self.fieldname, btext) not in reader:
                return NullMatcher()  # a word the index does not hold: no document has the phrase
            terms.append(wq.Term(self.fieldname, btext))
        matcher = AdjacentWords([term.matcher(searcher, context) for term in terms])
        if self.boost != 1.0:
            matcher = WrappingMatcher(matcher, boost=self.boost)
        return matcher


class AdjacentWords(SpanNear2.SpanNear2Matcher):
    """The documents where the words stand next to each other in order (SpanNear2 with slop 1)."""

    def __init__(self, ms):
        super().__init__(ms, slop=1, ordered=True, mindist=1)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms])

    def _get_spans(self):
        positions = [m.value_as("positions") for m in self.ms]
        rarest = min(range(len(positions)), key=lambda index: len(positions[index]))
        others = [(offset - rarest, set(found)) for offset, found in enumerate(positions) if offset != rarest]
        last = len(positions) - 1 - rarest
        return [
            Span(position - rarest, position + last)
            for position in positions[rarest]
            if all(position + shift in found for shift, found in others)
        ]
