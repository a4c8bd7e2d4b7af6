import datetime

import factory
from django.utils import timezone
from django.utils.text import slugify

from archive.models import Body, Country, Event, Quotation, Source, Speaker, Speech, Topic


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker Number{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


def existing_country(code="CHN"):
    return Country.objects.get(code=code)


def existing_body(slug="security-council"):
    return Body.objects.get(slug=slug)


def existing_topic(slug="counter-terrorism"):
    return Topic.objects.get(slug=slug)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Open debate number {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    body = factory.LazyFunction(existing_body)
    date = datetime.date(2020, 8, 6)
    kind = Event.Kind.OPEN_DEBATE


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    publisher = "Example News"
    url = factory.Sequence(lambda n: f"https://news.example.org/{n}")
    published_on = datetime.date(2020, 8, 6)
    original_text = 'The minister said: "We will never give up." Then she left.'


class SpeechFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speech
        skip_postgeneration_save = True

    speaker = factory.SubFactory(SpeakerFactory)
    event = factory.SubFactory(EventFactory)
    country = factory.LazyFunction(existing_country)
    role = "Permanent Representative"
    date = datetime.date(2020, 8, 6)
    title = factory.Sequence(lambda n: f"Statement number {n}")
    text = "First paragraph of the statement.\n\nSecond paragraph about terrorism financing."
    status = Speech.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=Speech.Status.DRAFT, published_at=None)


class QuotationFactory(factory.django.DjangoModelFactory):
    """A quotation into its speech's text: the first paragraph unless told otherwise."""

    class Meta:
        model = Quotation

    speech = factory.SubFactory(SpeechFactory)
    speaker = factory.LazyAttribute(lambda o: o.speech.speaker)
    start = 0
    text = factory.LazyAttribute(lambda o: o.speech.paragraphs[0])
    end = factory.LazyAttribute(lambda o: o.start + len(o.text))
    kind = Quotation.Kind.DIRECT
