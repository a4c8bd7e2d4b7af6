from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from archive.api import views

router = DefaultRouter()
router.register("speeches", views.SpeechViewSet, basename="api-speech")
router.register("quotations", views.QuotationViewSet, basename="api-quotation")
router.register("speakers", views.SpeakerViewSet, basename="api-speaker")
router.register("countries", views.CountryViewSet, basename="api-country")
router.register("bodies", views.BodyViewSet, basename="api-body")
router.register("events", views.EventViewSet, basename="api-event")
router.register("topics", views.TopicViewSet, basename="api-topic")
router.root_view_name = "api-root"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("search/", views.SearchView.as_view(), name="api-search"),
    path("", include(router.urls)),
]
