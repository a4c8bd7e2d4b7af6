"""Every news report in tests/data/news/ gives the proposal stored beside it (``make golden`` rewrites them)."""

import pytest

from archive.ingest import news
from tests.golden import as_json, assert_golden, expected_path, news_articles, published_on

pytestmark = [pytest.mark.golden, pytest.mark.django_db]


@pytest.mark.parametrize("article", news_articles(), ids=lambda path: path.stem)
def test_a_news_report_gives_the_stored_proposal(reference_data, article):
    proposal = news.propose(article.read_text(encoding="utf-8"), published=published_on(article))
    assert_golden(expected_path(article), as_json(proposal.as_dict()))


def test_every_news_report_has_its_expected_proposal():
    articles = news_articles()
    assert len(articles) >= 5
    assert all(expected_path(article).exists() for article in articles)
