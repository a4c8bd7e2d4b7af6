"""Atom feeds of published statements: the latest, and per speaker, country, body and topic.

``StatementFeed`` is generic over its items: a subclass (or a view for search results later)
provides ``get_items(scope)`` returning any iterable of Speech objects, newest first. The
whitelisted filters in the feed URL's query string narrow every feed, so any browse URL's
parameters make a feed.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from archive.filters import FilterState, filter_speeches, parse_filters
from archive.models import Body, Country, Quotation, Speaker, Speech, Topic

FEED_SIZE = 50


@dataclass(frozen=True)
class FeedScope:
    """What one request asked for; feed instances are shared between requests, so nothing is kept on them."""

    subject: object
    state: FilterState


class StatementFeed(Feed):
    feed_type = Atom1Feed
    title_prefix = "Statements Archive"

    def get_subject(self, request, **kwargs):
        return None

    def get_object(self, request, **kwargs):
        return FeedScope(self.get_subject(request, **kwargs), parse_filters(request.GET))

    def get_scope(self, subject):
        """The published statements this feed covers."""
        return Speech.objects.published()

    def get_items(self, scope):
        queryset = filter_speeches(self.get_scope(scope.subject), scope.state)
        return queryset.with_related().defer("text", "notes").order_by("-published_at", "-id")[:FEED_SIZE]

    def items(self, scope):
        return self.get_items(scope)

    def title(self, scope):
        return f"{self.title_prefix}: latest statements" + (f" - {scope.subject}" if scope.subject else "")

    def subtitle(self, scope):
        return "Statements published in the Statements Archive, newest first."

    def link(self, scope):
        return scope.subject.get_absolute_url() if scope.subject else reverse("speech-list")

    def item_title(self, item):
        return item.display_title

    def item_description(self, item):
        """The entry's summary. Atom sends it as ``type="html"``, so every piece of text is escaped."""
        return escape(self.item_facts(item))

    def item_facts(self, item):
        """Speaker, role, delegation, meeting and date as plain text."""
        facts = [item.speaker.name]
        if item.role:
            facts.append(item.role)
        if item.country_id:
            facts.append(item.country.name)
        if item.event_id:
            facts.append(item.event.title)
        facts.append(item.display_date)
        return " - ".join(facts)

    def item_link(self, item):
        return item.get_absolute_url()

    # No item_guid: the entry id is then the item's absolute permalink (https://host/statements/1/),
    # which Atom requires to be a permanent, absolute IRI.

    def item_author_name(self, item):
        return item.speaker.name

    def item_pubdate(self, item):
        return statement_datetime(item)

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.country.name] if item.country_id else []


def statement_datetime(speech):
    """When the statement was made, as Atom's ``published`` (a date alone, at midnight UTC); when it
    last changed in the archive is ``updated``."""
    return datetime.datetime.combine(speech.date, datetime.time(), tzinfo=datetime.UTC)


class LatestStatementsFeed(StatementFeed):
    pass


class _ScopedFeed(StatementFeed):
    """A feed about one public thing, scoped by the same QuerySet method as that thing's page
    (archive/views/browse.py): a speaker known only from drafts has neither."""

    model = None

    def get_subject(self, request, slug):
        return get_object_or_404(self.model.objects.public(), slug=slug)


class SpeakerFeed(_ScopedFeed):
    model = Speaker

    def get_scope(self, subject):
        return Speech.objects.published().for_speaker(subject)


class CountryFeed(_ScopedFeed):
    model = Country

    def get_scope(self, subject):
        return Speech.objects.published().for_country(subject)


class BodyFeed(_ScopedFeed):
    model = Body

    def get_scope(self, subject):
        return Speech.objects.published().for_body(subject)


class TopicFeed(_ScopedFeed):
    model = Topic

    def get_scope(self, subject):
        return Speech.objects.published().for_topic(subject)


class SearchFeed(StatementFeed):
    """Any search URL as a feed: ``/search/feed/?q=...`` with the search page's parameters.

    The items are the search's first hits, newest first unless the URL asks for another order
    (a feed is read for what is new), as statements or, with ``type=quotations``, quotations.
    """

    def get_object(self, request, **kwargs):
        params = request.GET.copy()
        for key in ("page", "format"):
            params.pop(key, None)
        params.setdefault("sort", "newest")
        return params

    def get_items(self, params):
        from archive.search import search_objects

        if params.get("type") == "quotations":
            queryset = Quotation.objects.published().with_related().select_related("speech__speaker")
        else:
            queryset = Speech.objects.published().with_related().defer("text", "notes")
        return list(search_objects(params, queryset=queryset, limit=FEED_SIZE)[1])

    def title(self, params):
        what = "quotations" if params.get("type") == "quotations" else "statements"
        # XML 1.0 cannot carry control characters; a query is only echoed here.
        q = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", params.get("q", "")).strip()
        return f"{self.title_prefix}: {what}" + (f" matching “{q[:200]}”" if q else " found by a search")

    def subtitle(self, params):
        return "The newest results of a search of the Statements Archive."

    def link(self, params):
        return reverse("search") + "?" + params.urlencode()

    def _speech(self, item):
        return item.speech if isinstance(item, Quotation) else item

    def item_title(self, item):
        if isinstance(item, Quotation):
            return f"{item.speaker.name}: “{truncatechars(item.text, 120)}”"
        return item.display_title

    def item_facts(self, item):
        if isinstance(item, Quotation):
            return f"{item.text} - {super().item_facts(item.speech)}"
        return super().item_facts(item)

    def item_author_name(self, item):
        return item.speaker.name

    def item_pubdate(self, item):
        return statement_datetime(self._speech(item))

    def item_updateddate(self, item):
        return self._speech(item).updated_at

    def item_categories(self, item):
        return super().item_categories(self._speech(item))
