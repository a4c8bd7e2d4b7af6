"""The one place that sanitizes HTML. bleach 6.4.0 is its final release; swap to nh3 here only.

bleach's Cleaner is not thread-safe, so each thread gets its own.
"""

import html
import re
import threading
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "blockquote", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_local = threading.local()


def _set_link_rel(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


def _cleaner():
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre"}, parse_email=False)],
        )
        _local.cleaner = cleaner
    return cleaner


def clean_html(value):
    """Sanitize editor rich text: allowed tags only, safe links with rel="nofollow noopener"."""
    if not value:
        return ""
    return _cleaner().clean(value)


_BLOCK_BREAK = re.compile(r"</?(p|div|br|li|ul|ol|blockquote|h[1-6]|tr|table|section|article)\b[^>]*>", re.I)
_DROP_WITH_CONTENT = re.compile(r"<(script|style|noscript|template|iframe|object)\b.*?</\1\s*>", re.I | re.S)


def html_to_text(value):
    """Reduce an HTML document to plain text paragraphs (for uploads of news pages)."""
    if not value:
        return ""
    value = _DROP_WITH_CONTENT.sub(" ", value)
    value = _BLOCK_BREAK.sub("\n\n", value)
    text = bleach.clean(value, tags=set(), strip=True, strip_comments=True)
    text = html.unescape(text)
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)
