from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter, SimpleRouter

from archive.api import views


class Router(DefaultRouter):
    """The API root lists every endpoint: the lists, the search, the schema and its readable docs."""

    extra = {"search": "api-search", "schema": "api-schema", "docs": "api-docs"}

    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        api_root_dict = {prefix: list_name.format(basename=basename) for prefix, _, basename in self.registry}
        api_root_dict.update(self.extra)
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


router = Router()
router.register("statements", views.SpeechViewSet, basename="api-speech")
router.register("quotations", views.QuotationViewSet, basename="api-quotation")
router.register("speakers", views.SpeakerViewSet, basename="api-speaker")
router.register("countries", views.CountryViewSet, basename="api-country")
router.register("bodies", views.BodyViewSet, basename="api-body")
router.register("meetings", views.EventViewSet, basename="api-event")
router.register("topics", views.TopicViewSet, basename="api-topic")
router.root_view_name = "api-root"

# The first paths of statements and meetings answer as before (clients written against them keep
# working), unlisted at the API root and in the schema.
old_paths = SimpleRouter()
old_paths.register("speeches", views.OldSpeechViewSet, basename="api-speech-old")
old_paths.register("events", views.OldEventViewSet, basename="api-event-old")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("search/", views.SearchView.as_view(), name="api-search"),
    path("", include(router.urls)),
    path("", include(old_paths.urls)),
]
