"""The one place that sanitizes HTML. bleach 6.4.0 is its final release; swap to nh3 here only.

bleach's Cleaner is not thread-safe, so each thread gets its own.
"""

import re
import threading
from functools import partial

import bleach
import lxml.etree
import lxml.html
import trafilatura
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


# Elements whose content is never article text.
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "canvas",
         "head", "nav", "aside", "footer", "form", "button", "select", "textarea", "dialog")  # fmt: skip
_BLOCKS = ("p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
           "tr", "table", "section", "article", "main", "header", "figure", "figcaption", "pre", "hr",
           "address")  # fmt: skip
# The raw page may be larger than the text limit (markup, inline data); far larger is refused unparsed.
MAX_HTML_CHARS = 5_000_000


def html_to_text(value, *, max_chars=None):
    """Reduce an HTML document to plain text paragraphs (for uploads of news pages).

    trafilatura (a maintained article extractor on libxml2) finds the story and drops the page's
    boilerplate: navigation, related links, share buttons, comments, cookie notices, footers. It reads
    broken markup (unclosed tags, stray ``<``) in linear time, unlike regular expressions. A page too
    short or too odd for it to call an article (a pasted fragment) is read by ``_markup_to_text``.

    ``max_chars`` is the caller's limit on the text: a page whose whole text (one fast libxml2 pass)
    is over it comes back as that text, for the caller to refuse, before the extractor's slower work.
    """
    if not value or not value.strip():
        return ""
    if len(value) > MAX_HTML_CHARS:
        raise ValueError(f"The page is {len(value):,} characters long; the limit is {MAX_HTML_CHARS:,}.")
    if max_chars is not None:
        everything = _markup_to_text(value)
        if len(everything) > max_chars:
            return everything
    story = trafilatura.extract(
        value,
        output_format="txt",
        favor_recall=True,  # a quotation cut from the story is worse than a stray line the editor removes
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
    )
    if story and story.strip():
        return "\n\n".join(" ".join(line.split()) for line in story.splitlines() if line.strip())
    return _markup_to_text(value)


def _markup_to_text(value):
    """Plain text paragraphs of any markup, by libxml2 (lxml): scripts, styles, navigation, forms,
    asides and footers dropped; when the page marks its story with ``<article>`` (or ``<main>``), only
    that is kept."""
    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True
    )
    try:
        root = lxml.html.document_fromstring(value.encode("utf-8", "surrogatepass"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in list(root.iter(*_DROP)):
        element.drop_tree()
    # (lxml elements are falsy when they have no children: compare with None, never use `or`.)
    story = max(root.iter("article"), key=_text_length, default=None)
    if story is None:
        story = next(root.iter("main"), None)
    if story is not None and _text_length(story) > 200:
        root = story
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
        if element.tag != "br":
            element.text = "\n\n" + (element.text or "")
    text = root.text_content()
    paragraphs = [" ".join(block.split()) for block in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _text_length(element):
    return len(element.text_content())
