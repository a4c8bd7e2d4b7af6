"""Public addresses use the archive's words: statements (Speech in the code) and meetings (Event).

Addresses published before that (/events/...) answer with a permanent redirect to the new ones,
query string kept; the API serves its old paths as aliases (archive/api/urls.py).
"""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from archive import alert_views, feeds
from archive.ratelimit import rate_limited
from archive.views import browse, lists, pages
from archive.views import search as search_views

urlpatterns = [
    path("", pages.home, name="home"),
    path("statements/", browse.SpeechListView.as_view(), name="speech-list"),
    path("statements/<int:pk>/", pages.speech_detail, name="speech-detail"),
    path("quotations/", lists.QuotationListView.as_view(), name="quotation-list"),
    path("quotations/<int:pk>/", pages.quotation_detail, name="quotation-detail"),
    path("speakers/", lists.SpeakerListView.as_view(), name="speaker-list"),
    path("speakers/<slug:slug>/", browse.SpeakerDetailView.as_view(), name="speaker-detail"),
    path("countries/", lists.country_list, name="country-list"),
    path("countries/<slug:slug>/", browse.CountryDetailView.as_view(), name="country-detail"),
    path("bodies/", lists.body_list, name="body-list"),
    path("bodies/<slug:slug>/", browse.BodyDetailView.as_view(), name="body-detail"),
    path("topics/", lists.topic_list, name="topic-list"),
    path("topics/<slug:slug>/", browse.TopicDetailView.as_view(), name="topic-detail"),
    path("meetings/", lists.EventListView.as_view(), name="event-list"),
    path("meetings/<slug:slug>/", pages.event_detail, name="event-detail"),
    # The meetings' first addresses, kept working.
    path("events/", RedirectView.as_view(pattern_name="event-list", permanent=True, query_string=True)),
    path("events/<slug:slug>/", RedirectView.as_view(pattern_name="event-detail", permanent=True, query_string=True)),
    path("dates/", lists.date_archive, name="date-archive"),
    path("dates/<int:year>/", browse.YearArchiveView.as_view(), name="date-year"),
    path("dates/<int:year>/<int:month>/", browse.MonthArchiveView.as_view(), name="date-month"),
    path("dates/<int:year>/<int:month>/<int:day>/", browse.DayArchiveView.as_view(), name="date-day"),
    path("data/", pages.data_help, name="data-help"),
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
from archive.editor import transcripts  # noqa: E402
from archive.editor import views as editor_views  # noqa: E402

urlpatterns += [
    path("editor/news/add/", editor_views.news_add, name="editor-news-add"),
    path("editor/statements/<int:pk>/transcript/", transcripts.transcript_add, name="editor-transcript-add"),
    path("editor/news/<int:pk>/review/", editor_views.news_review, name="editor-news-review"),
    path("editor/news/<int:pk>/publish/", editor_views.news_publish, name="editor-news-publish"),
]
