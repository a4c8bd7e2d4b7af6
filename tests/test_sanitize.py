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
