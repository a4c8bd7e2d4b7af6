"""Whoosh collectors: score, rank, count and record every hit in one pass."""

from heapq import heappush, heapreplace

from whoosh import collectors


class RankedHits(collectors.TopCollector):
    """The top ``limit`` hits by score, every allowed hit recorded for the facets, in one loop.

    The same ranking as ``FilterCollector(TopCollector(limit, usequality=False), allowed)`` without
    its four Python calls per hit, and without its matcher replacement by the current minimum
    score, which turns ``a OR b`` into ``a AND b`` once the top ``limit`` is full and so stops
    counting the documents that hold only one of them.
    """

    def __init__(self, limit, allow=None):
        super().__init__(limit, usequality=False)
        self.allow = allow

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.docs = []

    def collect_matches(self):
        matcher = self.matcher = self.matcher.replace(0)  # drops finished sub-matchers only
        offset, allow, items, limit = self.offset, self.allow, self.items, self.limit
        record, final_fn, top_searcher = self.docs.append, self.final_fn, self.top_searcher
        total = self.total
        while matcher.is_active():
            docnum = offset + matcher.id()
            if allow is None or docnum in allow:
                record(docnum)
                total += 1
                score = matcher.score()
                if final_fn:
                    score = final_fn(top_searcher, docnum, score)
                if len(items) < limit:
                    heappush(items, (score, 0 - docnum))
                elif score > items[0][0]:
                    heapreplace(items, (score, 0 - docnum))
            matcher.next()
        self.total = total


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
