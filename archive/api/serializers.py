"""API representations. Field names are part of the API's contract: add fields, never rename them."""

from rest_framework import serializers

from archive.models import Body, Country, Event, Quotation, Source, Speaker, Speech, Topic


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


class QuotationSerializer(_PermalinkMixin, serializers.ModelSerializer):
    url = PermalinkField()
    statement = serializers.IntegerField(source="speech_id")
    date = serializers.DateField(source="speech.date")
    speaker = SpeakerRefSerializer()
    source = SourceSerializer(allow_null=True)

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
