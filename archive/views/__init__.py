"""Public pages, thin views over published material only (editors may preview drafts):

- ``base``: who may preview, and ``ListPage``, the one base of every filtered, sorted, paginated list;
- ``browse``: pages listing statements (all, a speaker's, country's, body's, topic's, a date's);
- ``lists``: speakers, meetings, quotations, and the reference lists of countries, bodies, topics;
- ``pages``: one thing each (home, a statement, a quotation, a meeting, the data help);
- ``search``: the search page, its downloads and trend chart.

Links to a page's own variations come from ``archive.querystring``; charts from ``archive.charts``.
"""

from archive.views.base import can_preview, visible_speeches

__all__ = ["can_preview", "visible_speeches"]
