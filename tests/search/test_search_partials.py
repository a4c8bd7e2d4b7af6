"""The search page is drawn with the browse pages' partials: the same pagination (with its count),
facet panels, filters in force and downloads, from links made by archive.querystring."""

import pytest

from tests.factories import SpeechFactory

pytestmark = pytest.mark.django_db


def test_the_search_page_paginates_counts_and_filters_like_a_browse_page(client, reference_data, reindex):
    SpeechFactory.create_batch(25, text="A statement on fisheries.")
    reindex()
    html = client.get("/search/?q=fisheries&country=chn&format=nonsense").content.decode()
    # The pagination partial of the browse pages: the count of results in words, one link shape.
    assert "Page 1 of 2 (25 statements)" in html
    assert '<a rel="next" href="?q=fisheries&amp;country=CHN&amp;page=2">Next</a>' in html
    # The filters in force, as on a browse page: a chip that removes the filter, named by its label.
    assert 'aria-label="Remove the country filter China"' in html
    assert '<a href="?q=fisheries"' in html
    # The facet panels under the browse pages' heading, and the downloads line.
    assert '<h2 id="facets-heading">Narrow down</h2>' in html
    assert "Download all 25 results:" in html
    assert 'href="?q=fisheries&amp;country=CHN&amp;format=csv"' in html
    quotations = client.get("/search/?q=fisheries&type=quotations").content.decode()
    assert "Page 1 of" not in quotations  # nothing to page through
