import datetime

import pytest

from archive.ingest import dates

THU = datetime.date(2020, 8, 6)  # a Thursday


@pytest.mark.parametrize(
    ("text", "published", "expected", "precision"),
    [
        ("A Chinese envoy said on Thursday that ...", THU, datetime.date(2020, 8, 6), "day"),
        ("A Chinese envoy said on Thursday that ...", THU + datetime.timedelta(days=1), THU, "day"),
        ("The envoy said on Monday that ...", THU, datetime.date(2020, 8, 3), "day"),
        ("The envoy said last Thursday that ...", THU, datetime.date(2020, 7, 30), "day"),
        ("The envoy told the council on Aug. 6 that ...", datetime.date(2020, 8, 10), THU, "day"),
        ("The envoy said on 6 August 2020 that ...", datetime.date(2020, 9, 1), THU, "day"),
        ("The envoy said on Dec. 30 that ...", datetime.date(2021, 1, 2), datetime.date(2020, 12, 30), "day"),
        ("The envoy said yesterday that ...", THU, datetime.date(2020, 8, 5), "day"),
        ("The envoy said last week that ...", THU, datetime.date(2020, 7, 1), "month"),
        ("The envoy spoke to the council.", THU, THU, "day"),
    ],
)
def test_statement_date(text, published, expected, precision):
    found = dates.statement_date(text, published)
    assert (found.date, found.precision) == (expected, precision)


def test_date_near_a_reporting_verb_wins_over_an_earlier_mention():
    text = "The resolution adopted on July 20 was discussed. The envoy said on Thursday that it works."
    assert dates.statement_date(text, THU).date == THU


def test_without_a_publication_date_nothing_is_guessed():
    assert dates.statement_date("said on Thursday", None) is None


FRI = THU + datetime.timedelta(days=1)


@pytest.mark.parametrize(
    "text",
    [
        "UNITED NATIONS, Aug. 7 (Xinhua) -- A Chinese envoy said on Thursday that ...",
        "GENEVA, 7 August 2020 - The envoy told the council on Thursday that ...",
        "Aug. 7 (Example Press) -- The envoy spoke yesterday to the council.",
        "NEW YORK, N.Y., August 7 -- Two ambassadors clashed at the council on Thursday.",
    ],
)
def test_a_relative_day_beats_the_dateline(text):
    """The dateline is when the report was filed; "on Thursday" is when the envoy spoke."""
    found = dates.statement_date(text, FRI)
    assert found.date == THU
    assert found.phrase.lower() in {"on thursday", "yesterday"}


def test_a_dateline_alone_is_the_date():
    found = dates.statement_date("UNITED NATIONS, Aug. 7 (Xinhua) -- The envoy spoke to the council.", FRI)
    assert found.date == FRI
