from django.contrib import admin
from django.urls import include, path

from archive import alert_views, feeds, views
from archive.ratelimit import rate_limited
from archive.search import views as search_views

urlpatterns = [
    path("", views.home, name="home"),
    path("statements/", views.SpeechListView.as_view(), name="speech-list"),
    path("statements/<int:pk>/", views.speech_detail, name="speech-detail"),
    path("quotations/", views.quotation_list, name="quotation-list"),
    path("quotations/<int:pk>/", views.quotation_detail, name="quotation-detail"),
    path("speakers/", views.speaker_list, name="speaker-list"),
    path("speakers/<slug:slug>/", views.SpeakerDetailView.as_view(), name="speaker-detail"),
    path("countries/", views.country_list, name="country-list"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country-detail"),
    path("bodies/", views.body_list, name="body-list"),
    path("bodies/<slug:slug>/", views.BodyDetailView.as_view(), name="body-detail"),
    path("topics/", views.topic_list, name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("events/", views.event_list, name="event-list"),
    path("events/<slug:slug>/", views.event_detail, name="event-detail"),
    path("dates/", views.date_archive, name="date-archive"),
    path("dates/<int:year>/", views.YearArchiveView.as_view(), name="date-year"),
    path("dates/<int:year>/<int:month>/", views.MonthArchiveView.as_view(), name="date-month"),
    path("dates/<int:year>/<int:month>/<int:day>/", views.DayArchiveView.as_view(), name="date-day"),
    path("data/", views.data_help, name="data-help"),
    path("feeds/statements/", feeds.LatestStatementsFeed(), name="feed-latest"),
    path("feeds/speakers/<slug:slug>/", feeds.SpeakerFeed(), name="feed-speaker"),
    path("feeds/countries/<slug:slug>/", feeds.CountryFeed(), name="feed-country"),
    path("feeds/bodies/<slug:slug>/", feeds.BodyFeed(), name="feed-body"),
    path("feeds/topics/<slug:slug>/", feeds.TopicFeed(), name="feed-topic"),
    path("api/", include("archive.api.urls")),
    path("search/", search_views.search, name="search"),
    path("search/help/", search_views.search_help, name="search-help"),
    path("search/trend/", search_views.trend, name="search-trend"),
    path("search/feed/", rate_limited("search")(feeds.SearchFeed()), name="search-feed"),  # a feed is a search
    path("alerts/new/", alert_views.alert_new, name="alert-new"),
    path("alerts/confirm/<str:token>/", alert_views.alert_confirm, name="alert-confirm"),
    path("alerts/unsubscribe/<str:token>/", alert_views.alert_unsubscribe, name="alert-unsubscribe"),
    path("alerts/manage/<str:token>/", alert_views.alert_manage, name="alert-manage"),
    path("alerts/mine/", alert_views.alert_manage_mine, name="alert-manage-mine"),
    path("admin/", admin.site.urls),
]

# Editors' screens (login, permissions and CSRF enforced in archive/editor/views.py).
from archive import quotecheck_views  # noqa: E402 - issue 13
from archive.editor import views as editor_views  # noqa: E402

urlpatterns += [
    path("editor/news/add/", editor_views.news_add, name="editor-news-add"),
    path("editor/statements/<int:pk>/transcript/", quotecheck_views.transcript_add, name="editor-transcript-add"),
    path("editor/news/<int:pk>/review/", editor_views.news_review, name="editor-news-review"),
    path("editor/news/<int:pk>/publish/", editor_views.news_publish, name="editor-news-publish"),
]
