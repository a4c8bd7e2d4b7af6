from haystack import indexes

from archive.models import Speech


class SpeechIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    date = indexes.DateField(model_attr="date")

    def get_model(self):
        return Speech

    def index_queryset(self, using=None):
        return self.get_model().objects.published().with_related()
