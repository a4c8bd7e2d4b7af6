"""Exact phrases over the exact field's positions, checked with sets instead of span objects.

Whoosh's ``Phrase`` builds one ``Span`` object per position of every word in every candidate
document and compares them pairwise in Python: for a phrase holding "the" that is hundreds of objects
per speech. Here each candidate document's positions are decoded in C (``ExactWords`` keeps them as
byte arrays), the rarest word's positions are the possible starts, and every other word is looked up
in a set of its positions. The documents, counts and scores are the same (the score is the sum of
the words' scores, as Whoosh's phrase matcher gives it).
"""

from whoosh import query as wq
from whoosh.matching import IntersectionMatcher, NullMatcher, WrappingMatcher
from whoosh.query.spans import Span, SpanNear2, SpanWrappingMatcher
from whoosh.util import make_binary_tree


class ExactPhrase(wq.Phrase):
    """``Phrase`` with the set-based check for adjacent words (slop 1); other slops are Whoosh's.

    ``narrowing``: terms ((field, text): the phrase's common-gram pairs) every matching document
    holds. They join the words' intersection, so positions are decoded only in the documents that
    hold them all (as ``And([pairs..., phrase])`` would score, without checking the phrase in every
    document that has its words).
    """

    def __init__(self, fieldname, words, slop=1, boost=1.0, char_ranges=None, narrowing=()):
        super().__init__(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
        self.narrowing = tuple(narrowing)

    def __repr__(self):
        return f"{super().__repr__()[:-1]}, narrowing={self.narrowing!r})"

    def __eq__(self, other):
        return super().__eq__(other) and self.narrowing == getattr(other, "narrowing", ())

    def __hash__(self):
        return super().__hash__() ^ hash(self.narrowing)

    def normalize(self):
        return self  # the words are the exact field's already

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
        narrowing = []
        for fieldname, text in self.narrowing:
            btext = searcher.schema[fieldname].to_bytes(text)
            if (fieldname, btext) not in reader:
                return NullMatcher()
            narrowing.append((reader.doc_frequency(fieldname, btext), wq.Term(fieldname, btext)))
        # The rarest pairs first: the intersection then skips through the longer lists.
        narrowing = [term.matcher(searcher, context) for _count, term in sorted(narrowing, key=lambda n: n[0])]
        matcher = AdjacentWords([term.matcher(searcher, context) for term in terms], narrowing)
        if self.boost != 1.0:
            matcher = WrappingMatcher(matcher, boost=self.boost)
        return matcher


class AdjacentWords(SpanNear2.SpanNear2Matcher):
    """The documents where the words stand next to each other in order (SpanNear2 with slop 1),
    among those the ``narrowing`` matchers (the phrase's pairs) also match."""

    def __init__(self, ms, narrowing=()):
        self.ms, self.narrowing = ms, list(narrowing)
        self.slop, self.ordered, self.mindist = 1, True, 1
        SpanWrappingMatcher.__init__(self, make_binary_tree(IntersectionMatcher, [*self.narrowing, *ms]))

    def copy(self):
        return self.__class__([m.copy() for m in self.ms], [m.copy() for m in self.narrowing])

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
