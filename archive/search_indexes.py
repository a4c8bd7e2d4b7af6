"""What the search engine holds: published speeches and the quotations taken from them.

Facet and filter fields carry the URL values of ``archive/filters.py`` (slugs, ISO codes, years)
under the index field names listed there, as untokenized facet fields. Display fields are stored,
not indexed, so a result list needs no database query. Long speeches are one document each: their
passages come back as highlighted fragments rather than as documents of their own, so a speech is
counted once in every facet and every passage still shows where it matched.
"""

from haystack import indexes
from haystack.fields import FacetMultiValueField

from archive.models import Quotation, Speech
from archive.search.engine import LANGUAGE_FIELDS


def primary_language(code):
    return (code or "").split("-")[0].lower()


class StatementFields(indexes.SearchIndex):
    """Fields shared by both indexes; ``speech_of`` returns the speech the facets come from.

    Speeches in French, Spanish and Russian get a second copy of their text (``text_fr`` ...),
    analysed with that language's stemmer: the backend's ``LANGUAGE_FIELDS`` names them.
    """

    text = indexes.CharField(document=True, use_template=True)
    text_fr = indexes.CharField(null=True)
    text_es = indexes.CharField(null=True)
    text_ru = indexes.CharField(null=True)

    speaker = indexes.FacetCharField()
    country = indexes.FacetCharField()
    body = indexes.FacetCharField()
    event = indexes.FacetCharField()
    topics = FacetMultiValueField()
    language = indexes.FacetCharField()
    year = indexes.FacetCharField()
    date = indexes.DateField()

    title = indexes.CharField(indexed=False, null=True)
    speaker_name = indexes.CharField(indexed=False, null=True)
    country_name = indexes.CharField(indexed=False, null=True)
    body_name = indexes.CharField(indexed=False, null=True)
    display_date = indexes.CharField(indexed=False, null=True)
    url = indexes.CharField(indexed=False, null=True)

    def speech_of(self, obj):
        raise NotImplementedError

    def prepare(self, obj):
        data = super().prepare(obj)
        # The document text again in the field analysed for its language (the backend's table), if any.
        language = primary_language(self.speech_of(obj).language)
        for field_name, field_language in LANGUAGE_FIELDS.items():
            data[field_name] = data[self.fields["text"].index_fieldname] if field_language == language else None
        return data

    def prepare_country(self, obj):
        country = self.speech_of(obj).country
        return country.code if country else None

    def prepare_body(self, obj):
        event = self.speech_of(obj).event
        return event.body.slug if event else None

    def prepare_event(self, obj):
        event = self.speech_of(obj).event
        return event.slug if event else None

    def prepare_topics(self, obj):
        # Prefetched by index_queryset: no query per document.
        return [topic.slug for topic in self.speech_of(obj).topics.all()]

    def prepare_language(self, obj):
        return primary_language(self.speech_of(obj).language) or None

    def prepare_year(self, obj):
        return str(self.speech_of(obj).date.year)

    def prepare_date(self, obj):
        return self.speech_of(obj).date

    def prepare_country_name(self, obj):
        country = self.speech_of(obj).country
        return country.name if country else None

    def prepare_body_name(self, obj):
        event = self.speech_of(obj).event
        return event.body.name if event else None

    def prepare_display_date(self, obj):
        return self.speech_of(obj).display_date

    def prepare_url(self, obj):
        return obj.get_absolute_url()


class SpeechIndex(StatementFields, indexes.Indexable):
    def get_model(self):
        return Speech

    def speech_of(self, obj):
        return obj

    def index_queryset(self, using=None):
        # Quotations stand in for the text of a statement known only from a news report.
        return self.get_model().objects.published().with_related().prefetch_related("topics", "quotations")

    def prepare_speaker(self, obj):
        return obj.speaker.slug

    def prepare_title(self, obj):
        return obj.display_title

    def prepare_speaker_name(self, obj):
        return obj.speaker.name


class QuotationIndex(StatementFields, indexes.Indexable):
    kind = indexes.FacetCharField(model_attr="kind")
    verification = indexes.FacetCharField(null=True)  # issue 13: the check against the official record

    def get_model(self):
        return Quotation

    def speech_of(self, obj):
        return obj.speech

    def index_queryset(self, using=None):
        return (
            self.get_model()
            .objects.published()
            .with_related()
            .select_related("speech__speaker", "quote_check")
            .prefetch_related("speech__topics")
        )

    def prepare_verification(self, obj):
        from archive.models import quote_check_of

        check = quote_check_of(obj)
        return check.verdict if check is not None else None

    def prepare_speaker(self, obj):
        return obj.speaker.slug

    def prepare_title(self, obj):
        return obj.speech.display_title

    def prepare_speaker_name(self, obj):
        return obj.speaker.name
