import datetime

import pytest
from django.http import QueryDict

from archive.filters import filter_quotations, filter_speeches, parse_date, parse_filters
from archive.models import Country, Quotation, Speech, Topic
from tests.factories import QuotationFactory, SpeechFactory


def test_parse_keeps_whitelisted_keys_only_and_normalizes():
    state = parse_filters(QueryDict("country=chn&country=FRA&year=2020&evil=1&speaker=zhang-jun&page=3"))
    assert state.values == {"country": ["CHN", "FRA"], "year": ["2020"], "speaker": ["zhang-jun"]}
    assert state.as_params() == [("speaker", "zhang-jun"), ("country", "CHN"), ("country", "FRA"), ("year", "2020")]


def test_malformed_values_are_reported_not_raised():
    state = parse_filters(QueryDict("year=20x0&country=%3Cscript%3E&date_from=2020-13-45&date_to=yesterday"))
    assert state.values == {}
    assert len(state.errors) == 4
    assert any("not a date" in error for error in state.errors)


@pytest.mark.parametrize(
    "value,end,expected",
    [
        ("2020", False, datetime.date(2020, 1, 1)),
        ("2020", True, datetime.date(2020, 12, 31)),
        ("2020-02", True, datetime.date(2020, 2, 29)),
        ("2020-12", True, datetime.date(2020, 12, 31)),
        ("2020-08-06", False, datetime.date(2020, 8, 6)),
    ],
)
def test_partial_dates_cover_their_period(value, end, expected):
    assert parse_date(value, end=end) == expected


@pytest.mark.django_db
def test_filters_combine_with_and_across_keys_or_within_one():
    china, france = Country.objects.get(code="CHN"), Country.objects.get(code="FRA")
    topic = Topic.objects.get(slug="multilateralism")
    a = SpeechFactory(country=china, date=datetime.date(2020, 8, 6))
    b = SpeechFactory(country=france, date=datetime.date(2019, 1, 1))
    a.topics.add(topic)
    b.topics.add(topic)
    published = Speech.objects.published()
    assert set(filter_speeches(published, parse_filters(QueryDict("country=CHN&country=FRA")))) == {a, b}
    assert list(filter_speeches(published, parse_filters(QueryDict("country=FRA&topic=multilateralism")))) == [b]
    assert list(filter_speeches(published, parse_filters(QueryDict("topic=multilateralism&year=2020")))) == [a]
    assert list(filter_speeches(published, parse_filters(QueryDict("date_from=2020-08&date_to=2020-08")))) == [a]
    quotation = QuotationFactory(speech=a)
    assert list(filter_quotations(Quotation.objects.all(), parse_filters(QueryDict("country=CHN&kind=direct")))) == [
        quotation
    ]
