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

# Editors' screens (login, permissions and CSRF enforced in archive/editor/views.py).
from archive.editor import views as editor_views  # noqa: E402

urlpatterns += [
    path("editor/news/add/", editor_views.news_add, name="editor-news-add"),
    path("editor/news/<int:pk>/review/", editor_views.news_review, name="editor-news-review"),
    path("editor/news/<int:pk>/publish/", editor_views.news_publish, name="editor-news-publish"),
]
