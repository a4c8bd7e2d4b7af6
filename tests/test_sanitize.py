import pytest

from archive import sanitize


def test_allowed_markup_survives():
    html = (
        "<p>One <em>two</em> <strong>three</strong></p><blockquote>q</blockquote><ul><li>a</li></ul><ol><li>b</li></ol>"
    )
    assert sanitize.clean_html(html) == html


def test_scripts_handlers_and_unknown_tags_are_removed():
    cleaned = sanitize.clean_html('<p onmouseover="steal()">x</p><script>alert(1)</script><img src=x onerror=alert(1)>')
    assert (
        "<script" not in cleaned and "onmouseover" not in cleaned and "<img" not in cleaned and "onerror" not in cleaned
    )


def test_links_get_rel_nofollow_noopener_and_only_safe_protocols():
    cleaned = sanitize.clean_html('<a href="https://un.org" title="UN">UN</a> <a href="javascript:alert(1)">bad</a>')
    assert '<a href="https://un.org" title="UN" rel="nofollow noopener">UN</a>' in cleaned
    assert "javascript:" not in cleaned


def test_bare_urls_are_linkified_in_the_same_pass():
    cleaned = sanitize.clean_html("<p>See https://www.un.org/sc for more</p>")
    assert '<a href="https://www.un.org/sc" rel="nofollow noopener">https://www.un.org/sc</a>' in cleaned


def test_html_to_text_keeps_paragraphs_and_drops_scripts():
    text = sanitize.html_to_text(
        "<html><head><script>var x='<p>';</script><style>p{}</style></head>"
        "<body><p>First &amp; one.</p><p>Second<br>line</p></body></html>"
    )
    assert text == "First & one.\n\nSecond\n\nline"


def test_one_cleaner_per_thread():
    import threading

    cleaners = []

    def grab():
        sanitize.clean_html("<p>x</p>")
        cleaners.append(sanitize._local.cleaner)

    threads = [threading.Thread(target=grab) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in cleaners}) == 3


def test_html_to_text_keeps_the_article_and_drops_page_furniture():
    story = "<p>" + "The envoy said the council must act now. " * 10 + "</p>"
    page = (
        "<html><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        "<aside>Most read: something else entirely</aside>"
        f"<article><h1>Envoy urges action</h1>{story}<p>&ldquo;We cannot wait,&rdquo; she said.</p></article>"
        "<form><input name=q><button>Search</button></form><footer>&copy; 2020 Example</footer></body></html>"
    )
    text = sanitize.html_to_text(page)
    assert text.startswith("Envoy urges action\n\nThe envoy said")
    assert text.endswith("\u201cWe cannot wait,\u201d she said.")
    for furniture in ("Home", "Most read", "Search", "2020 Example"):
        assert furniture not in text


def test_html_to_text_reads_broken_markup():
    page = "<p>One <b>bold <i>and italic</p><p>Two < three & four<p>Five<div><!-- note --> six"
    assert sanitize.html_to_text(page) == "One bold and italic\n\nTwo < three & four\n\nFive\n\nsix"


@pytest.mark.parametrize(
    "page",
    [
        "<script>" * 125_000,  # the page that tied up a worker for 60 s
        "<p " * 330_000,
        "<div>" * 200_000 + "text",
        "<p>hi</p><!--" + "x" * 1_000_000,
        "<" * 1_000_000,
    ],
    ids=["unclosed-script", "unclosed-attributes", "deep-nesting", "unclosed-comment", "angle-brackets"],
)
def test_a_pathological_megabyte_page_gives_text_without_markup(page):
    # How long it takes is measured in bench/html_to_text_bench.py (speed goals live in bench/).
    text = sanitize.html_to_text(page)
    assert "<script" not in text and "<p " not in text


def test_html_to_text_drops_boilerplate_a_page_does_not_mark():
    """No <article> on the page: the story is found by the extractor, not by tag names."""
    story = "".join(
        f"<p>The envoy told the council that paragraph {i} of the resolution must be applied in full.</p>"
        for i in range(6)
    )
    page = (
        "<html><body><div class='top'><a href='/'>Home</a> <a href='/world'>World</a></div>"
        "<div class='cookie'>We use cookies. <a href='#'>Accept cookies</a></div>"
        f"<div id='content'><h1>Envoy urges action on the resolution</h1><div class='body'>{story}"
        "<p>\u201cWe cannot wait any longer,\u201d she said.</p></div>"
        "<div class='share'><a href='#'>Share on Facebook</a></div>"
        "<div class='related'><h3>Related stories</h3><ul><li><a href='/a'>Markets fall again</a></li></ul></div>"
        "<div class='comments'><h3>Comments</h3><div class='comment'>Great article, thanks!</div></div></div>"
        "<div class='bottom'>Copyright 2020 Example News. All rights reserved.</div></body></html>"
    )
    text = sanitize.html_to_text(page)
    assert text.startswith("Envoy urges action on the resolution\n\nThe envoy told the council")
    assert text.endswith("\u201cWe cannot wait any longer,\u201d she said.")
    for boilerplate in ("Home", "cookies", "Share on", "Related stories", "Markets fall", "Great article", "Copyright"):
        assert boilerplate not in text


def test_a_page_far_over_the_limit_is_refused_unparsed():
    with pytest.raises(ValueError, match="the limit is 5,000,000"):
        sanitize.html_to_text("<p>" + "x" * 5_000_001)
