"""Whoosh collectors: score, rank, count and record every hit in one pass."""

from bisect import bisect_left
from heapq import heappush, heapreplace

from whoosh import collectors


class RankedHits(collectors.TopCollector):
    """The top ``limit`` hits by score, every allowed hit recorded for the facets, in one loop.

    The same ranking as ``FilterCollector(TopCollector(limit, usequality=False), allowed)`` without
    its four Python calls per hit, and without its matcher replacement by the current minimum
    score, which turns ``a OR b`` into ``a AND b`` once the top ``limit`` is full and so stops
    counting the documents that hold only one of them.
    """

    # A filter allowing fewer documents than this is walked document by document, each one looked up
    # in the query's matcher (``skip_to``), instead of walking every hit of the query and dropping
    # those the filter does not allow: "peace" in one country and year reads a handful of postings,
    # not the 10,000 speeches that say "peace".
    FEW_ALLOWED = 3000

    def __init__(self, limit, allow=None, allowed_list=None):
        super().__init__(limit, usequality=False)
        self.allow = allow
        self.allowed_list = allowed_list  # the allowed document numbers in order, when few

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.docs = []

    def collect_matches(self):
        matcher = self.matcher = self.matcher.replace(0)  # drops finished sub-matchers only
        if self.allowed_list is not None:
            self._collect_allowed(matcher)
            return
        offset, allow = self.offset, self.allow
        while matcher.is_active():
            docnum = offset + matcher.id()
            if allow is None or docnum in allow:
                self._collect(docnum, matcher)
            matcher.next()

    def _collect_allowed(self, matcher):
        """Each allowed document of this segment, looked up in the matcher (skip_to)."""
        offset = self.offset
        end = offset + self.subsearcher.reader().doc_count_all()
        start = bisect_left(self.allowed_list, offset)
        for docnum in self.allowed_list[start : bisect_left(self.allowed_list, end, lo=start)]:
            if not matcher.is_active():
                break
            if matcher.id() < docnum - offset:
                matcher.skip_to(docnum - offset)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum - offset:
                self._collect(docnum, matcher)

    def _collect(self, docnum, matcher):
        self.docs.append(docnum)
        self.total += 1
        score = matcher.score()
        if self.final_fn:
            score = self.final_fn(self.top_searcher, docnum, score)
        items = self.items
        if len(items) < self.limit:
            heappush(items, (score, 0 - docnum))
        elif score > items[0][0]:
            heapreplace(items, (score, 0 - docnum))


class Recorder(collectors.WrappingCollector):
    """Keeps the global numbers of the documents its child collects."""

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.docs = []

    def collect(self, sub_docnum):
        self.docs.append(self.offset + sub_docnum)
        return self.child.collect(sub_docnum)

    def results(self):
        return self.child.results()
