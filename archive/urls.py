from django.contrib import admin
from django.urls import path

from archive import views
from archive.search import views as search_views

urlpatterns = [
    path("", views.home, name="home"),
    path("statements/<int:pk>/", views.speech_detail, name="speech-detail"),
    path("quotations/<int:pk>/", views.quotation_detail, name="quotation-detail"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker-detail"),
    path("countries/<slug:slug>/", views.country_detail, name="country-detail"),
    path("bodies/<slug:slug>/", views.body_detail, name="body-detail"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("search/", search_views.search, name="search"),
    path("search/help/", search_views.search_help, name="search-help"),
    path("admin/", admin.site.urls),
]
