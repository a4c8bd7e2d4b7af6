"""API representations. Field names are part of the API's contract: add fields, never rename them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from archive.models import Body, Country, Event, Quotation, QuotationCheck, Source, Speaker, Speech, Topic


class SpeakerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["slug", "name"]


class CountryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["code", "name"]


class BodyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["slug", "name"]


class EventRefSerializer(serializers.ModelSerializer):
    body = BodyRefSerializer()

    class Meta:
        model = Event
        fields = ["slug", "title", "date", "meeting_symbol", "body"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["kind", "publisher", "title", "url", "published_on"]


class PermalinkField(serializers.SerializerMethodField):
    def __init__(self, **kwargs):
        super().__init__(method_name="get_permalink", **kwargs)


class _PermalinkMixin:
    def get_permalink(self, obj) -> str:
        request = self.context.get("request")
        url = obj.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class SpeechSerializer(_PermalinkMixin, serializers.ModelSerializer):
    url = PermalinkField()
    title = serializers.CharField(source="display_title")
    display_date = serializers.CharField()
    speaker = SpeakerRefSerializer()
    country = CountryRefSerializer(allow_null=True)
    event = EventRefSerializer(allow_null=True)
    topics = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Speech
        fields = [
            "id",
            "url",
            "title",
            "date",
            "date_precision",
            "display_date",
            "speaker",
            "role",
            "country",
            "on_behalf_of",
            "event",
            "position",
            "language",
            "topics",
            "sources",
            "text",
            "published_at",
        ]


class QuotationCheckSerializer(serializers.ModelSerializer):
    """Issue 13: the quotation checked against the official record."""

    record = serializers.CharField(source="record_label")

    class Meta:
        model = QuotationCheck
        fields = ["verdict", "score", "record", "record_start", "record_end", "passage", "differences", "checked_at"]


class QuotationSerializer(_PermalinkMixin, serializers.ModelSerializer):
    url = PermalinkField()
    statement = serializers.IntegerField(source="speech_id")
    date = serializers.DateField(source="speech.date")
    speaker = SpeakerRefSerializer()
    source = SourceSerializer(allow_null=True)
    verification = serializers.SerializerMethodField()

    @extend_schema_field(QuotationCheckSerializer(allow_null=True))
    def get_verification(self, obj):
        from archive.models import quote_check_of

        check = quote_check_of(obj)
        return QuotationCheckSerializer(check).data if check is not None else None

    class Meta:
        model = Quotation
        fields = [
            "id",
            "url",
            "statement",
            "date",
            "speaker",
            "kind",
            "text",
            "cue",
            "confidence",
            "reviewed",
            "start",
            "end",
            "source",
            "verification",
        ]


class SpeakerSerializer(_PermalinkMixin, serializers.ModelSerializer):
    url = PermalinkField()
    statement_count = serializers.IntegerField()

    class Meta:
        model = Speaker
        fields = ["slug", "url", "name", "sort_name", "honorific", "aliases", "statement_count"]


class CountrySerializer(_PermalinkMixin, serializers.ModelSerializer):
    url = PermalinkField()
    statement_count = serializers.IntegerField()

    class Meta:
        model = Country
        fields = ["code", "url", "name", "alpha2", "status", "statement_count"]


class BodySerializer(_PermalinkMixin, serializers.ModelSerializer):
    url = PermalinkField()
    parent = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)

    class Meta:
        model = Body
        fields = ["slug", "url", "name", "short_name", "parent"]


class TopicSerializer(_PermalinkMixin, serializers.ModelSerializer):
    url = PermalinkField()
    parent = serializers.SlugRelatedField(read_only=True, slug_field="slug", allow_null=True)

    class Meta:
        model = Topic
        fields = ["slug", "url", "name", "parent"]


class EventSerializer(_PermalinkMixin, serializers.ModelSerializer):
    url = PermalinkField()
    body = BodyRefSerializer()
    statement_count = serializers.IntegerField()

    class Meta:
        model = Event
        fields = ["slug", "url", "title", "date", "kind", "meeting_symbol", "agenda_item", "body", "statement_count"]


# --- Search -------------------------------------------------------------------------------------
# A search hit is read from the search index's stored fields (no database row per hit).


class SearchSpeakerSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SearchCountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SearchBodySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=["statement", "quotation"])
    title = serializers.CharField(help_text="The statement's title (for a quotation: its statement's)")
    url = serializers.CharField(help_text="Permalink")
    speaker = SearchSpeakerSerializer()
    country = SearchCountrySerializer(allow_null=True)
    body = SearchBodySerializer(allow_null=True)
    date = serializers.DateField(allow_null=True)
    display_date = serializers.CharField()
    snippet = serializers.CharField(
        help_text="Where the query matched: HTML, escaped, with the matched words in <mark> elements"
    )


class SearchFacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The filter value to pass back as the facet's parameter")
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchFacetSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The filter parameter: speaker, country, body, topic, year, kind")
    label = serializers.CharField()
    values = SearchFacetValueSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    q = serializers.CharField()
    type = serializers.ChoiceField(choices=["statements", "quotations"])
    sort = serializers.ChoiceField(choices=["relevance", "newest", "oldest"])
    count = serializers.IntegerField(help_text="How many results match")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    hits = SearchHitSerializer(many=True)
    facets = SearchFacetSerializer(many=True)
    messages = serializers.ListField(child=serializers.CharField(), help_text="Parts of the query that were ignored")
