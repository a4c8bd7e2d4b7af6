"""What a reader sees on a listing, read back out of the HTML: the statements' ids in screen order."""

import csv
import io
import json
import re

STATEMENT_LINK = re.compile(r'class="speech-title" href="/statements/(\d+)/"')
QUOTATION_LINK = re.compile(r'<a href="/quotations/(\d+)/">Permalink</a>')


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def screen_ids(client, url, pattern=STATEMENT_LINK):
    """Every id a reader sees, following the Next links through all pages."""
    ids = []
    while url:
        html = client.get(url).content.decode()
        ids += [int(i) for i in pattern.findall(html)]
        match = re.search(r'<a rel="next" href="([^"]+)"', html)
        if not match:
            break
        next_href = match.group(1).replace("&amp;", "&")
        url = url.split("?")[0] + next_href if next_href.startswith("?") else next_href
    return ids


def csv_rows(response):
    text = body(response).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def jsonl_rows(response):
    return [json.loads(line) for line in body(response).decode("utf-8").splitlines() if line.strip()]
