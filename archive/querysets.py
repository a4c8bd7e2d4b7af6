"""The read side's rules, as QuerySet methods the models expose (``Speech.objects.published()``):
what is public, what a page or a feed is about (a speaker's, a body's subtree, a topic's), and the
counts pages show. Pages, feeds, exports, the API and the search indexes read through these only.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Cast


def _model(name):
    # The models module imports this one: its classes are looked up when a method runs.
    return apps.get_model("archive", name)


def published_q(prefix=""):
    """The one definition of a published statement, as a condition on a Speech (``prefix`` ""),
    or across a relation to one (``"speeches__"``, ``"speech__"``): every page, feed, export, the
    API and the search indexes read published material through it."""
    return Q(**{f"{prefix}status": "published", f"{prefix}published_at__isnull": False})


class ReferenceQuerySet(models.QuerySet):
    """Countries, bodies and topics are reference data: every row is public, with or without
    published statements (an empty country page says so; it is not a 404)."""

    def public(self):
        return self.all()

    def with_statement_counts(self):
        """Each row's number of published statements, as ``statement_count`` (one query)."""
        return self.annotate(statement_count=models.Count("speeches", filter=published_q("speeches__")))


def _with_alias(queryset, text, limit=50):
    """Rows with ``text`` as one of their aliases (any case). The database narrows the candidates to rows
    whose alias list contains the text, so no lookup reads a whole table into Python."""
    wanted = text.casefold()
    rows = queryset.filter(aliases__icontains=text)[:limit]
    return [row for row in rows if wanted in (alias.casefold() for alias in row.aliases or [])]


class CountryQuerySet(ReferenceQuerySet):
    def named(self, text, limit=5):
        """Countries a reader means by ``text`` (the query language's country:): an ISO code, the slug,
        the name or an alias (any case), else names containing it. Importers and news reports resolve
        the forms UN records write with ``archive.ingest.countries.CountryResolver``."""
        text = " ".join(text.split())
        if not text:
            return []
        slug_like = text.replace(" ", "-").lower()
        exact = Q(code__iexact=text) | Q(alpha2__iexact=text) | Q(slug=slug_like) | Q(name__iexact=text)
        return (
            list(self.filter(exact)[:limit])
            or _with_alias(self, text)[:limit]
            or list(self.filter(name__icontains=text)[:limit])
        )


@dataclass
class Subtree:
    """A node of a small hierarchy (bodies, topics), every node at or below it, its direct children."""

    root: models.Model
    nodes: list
    children: list

    @property
    def pks(self):
        return [node.pk for node in self.nodes]


class TreeQuerySet(ReferenceQuerySet):
    """Bodies and topics: small trees (tens of rows), read whole in one query and walked in Python."""

    def subtree(self, node):
        """The ``Subtree`` under a node (an instance or its slug): one query, whatever the depth.

        Pages and feeds both scope by it (``SpeechQuerySet.for_body`` / ``for_topic``).
        """
        nodes = list(self.model.objects.only("pk", "parent_id", "name", "slug", "description"))
        by_pk = {item.pk: item for item in nodes}
        slug = getattr(node, "slug", node)
        root = next((item for item in nodes if item.slug == slug), None)
        if root is None:
            raise self.model.DoesNotExist(f"No {self.model._meta.verbose_name} {slug!r}.")
        children = {}
        for item in nodes:
            children.setdefault(item.parent_id, []).append(item)
        root.parent = by_pk.get(root.parent_id)  # the page shows the parent; it is in hand already
        found, frontier = [root], [root]
        while frontier:
            frontier = [child for item in frontier for child in children.get(item.pk, [])]
            found += frontier
        return Subtree(root, found, sorted(children.get(root.pk, []), key=lambda item: item.name))

    def nested(self, counts):
        """The whole tree as its roots, each node with ``child_nodes``, ``own_count`` (from
        ``counts``, {pk: n}) and ``total_count`` (its subtree's): one query."""
        nodes = list(self.order_by("name"))
        children = {}
        for node in nodes:
            node.own_count = counts.get(node.pk, 0)
            children.setdefault(node.parent_id, []).append(node)
        for node in nodes:
            node.child_nodes = children.get(node.pk, [])

        def total(node):
            node.total_count = node.own_count + sum(total(child) for child in node.child_nodes)
            return node.total_count

        roots = children.get(None, [])
        for root in roots:
            total(root)
        return roots


class SpeakerQuerySet(models.QuerySet):
    def public(self):
        """Speakers the public may know of: with a published statement or a published quotation.

        A speaker known only from drafts is not public: its page, feed and filter labels answer as
        for a slug that does not exist. Membership by correlated EXISTS, so counting needs no DISTINCT
        and a few speakers (a search page's facet names) cost a few index probes, not a pass over
        every published statement (2.3 -> 1.2 ms on the full UNGDC in SQLite).
        """
        return self.filter(
            Exists(_model("Speech").objects.published().filter(speaker_id=OuterRef("pk")))
            | Exists(_model("Quotation").objects.published().filter(speaker_id=OuterRef("pk")))
        )

    def with_statement_counts(self):
        """Each speaker's number of published statements, as ``statement_count`` (one query)."""
        return self.annotate(statement_count=models.Count("speeches", filter=published_q("speeches__")))

    def get_by_name(self, name):
        """The one speaker ``name`` refers to, by name or alias, or None (the one name-resolution entry
        point of news reports, editors and the query language; importers use ``speaker_matcher.SpeakerMatcher``).

        Titles, case, accents, punctuation and word order are ignored (``names.name_key``), so a speaker
        imported from the UN corpora and one named in a news report are the same Speaker. Only the
        candidates sharing a word with the name are read; ``names.best_candidate`` decides among them.
        """
        from archive.ingest import names

        key_words = names.name_key(name).split()
        if not key_words:
            return None
        query = Q()
        for word in names.search_words(name):
            query |= Q(name__icontains=word)
        candidates = self.annotate(alias_text=Cast("aliases", models.TextField())).filter(
            query | Q(alias_text__icontains=key_words[-1])
        )[:200]
        return names.best_candidate(name, candidates)

    def named(self, text, limit=10):
        """Speakers a reader means by ``text`` (the query language's speaker:): the slug, the name or an
        alias (any case), else names containing it, else the one speaker ``get_by_name`` finds."""
        text = " ".join(text.split())
        if not text:
            return []
        slug_like = text.replace(" ", "-").lower()
        found = list(self.filter(Q(slug=slug_like) | Q(name__iexact=text))[:limit])
        found = found or list(self.filter(name__icontains=text)[:limit]) or _with_alias(self, text)[:limit]
        if not found:
            speaker = self.get_by_name(text)
            found = [speaker] if speaker is not None else []
        return found


class EventQuerySet(models.QuerySet):
    def public(self):
        """Meetings the public may know of: with a published statement (see SpeakerQuerySet.public)."""
        return self.filter(pk__in=_model("Speech").objects.published().values("event_id"))

    def with_statement_counts(self):
        """Each meeting's number of published statements, as ``statement_count`` (one query)."""
        return self.annotate(statement_count=models.Count("speeches", filter=published_q("speeches__")))


class SpeechQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())

    def drafts(self):
        return self.filter(status="draft")

    def for_speaker(self, speaker):
        return self.filter(speaker=speaker)

    def for_country(self, country):
        return self.filter(country=country)

    def for_body(self, body):
        """Statements at meetings of a body or of any body below it (``body``: a Body, its slug or
        a ``Subtree`` already read)."""
        tree = body if isinstance(body, Subtree) else _model("Body").objects.subtree(body)
        return self.filter(event__body__in=tree.pks)

    def for_topic(self, topic):
        """Statements on a topic or any narrower one (``topic``: a Topic, its slug or a ``Subtree``).

        A subquery rather than a join: a statement on two of these topics is still one row, so
        neither a list nor its facet counts need DISTINCT over whole statements.
        """
        tree = topic if isinstance(topic, Subtree) else _model("Topic").objects.subtree(topic)
        return self.filter(
            pk__in=_model("Speech").topics.through.objects.filter(topic__in=tree.pks).values("speech_id")
        )

    def with_related(self):
        return self.select_related("speaker", "country", "event", "event__body")

    def count_by(self, lookup):
        """{value of ``lookup``: number of statements}, one grouped query (rows without a value
        are left out); ``lookup`` is a field path such as ``"event__body_id"`` or ``"topics"``."""
        rows = self.filter(**{f"{lookup}__isnull": False}).order_by().values_list(lookup)
        # Across the topics many-to-many (in the lookup or in a filter) a statement repeats.
        distinct = lookup.startswith("topics") or self.query.distinct
        return dict(rows.annotate(count=models.Count("pk", distinct=distinct)))

    def roles(self):
        """Roles and delegations over time: one row per (role, delegation) with its number of
        statements and its first and last date, earliest first."""
        return (
            self.order_by()
            .values("role", "country__name", "country__slug")
            .annotate(count=models.Count("pk"), first=models.Min("date"), last=models.Max("date"))
            .order_by("first", "role")
        )

    def count_by_year(self):
        """[(year, number of statements)] in year order, counted by the database."""
        from archive.filters import year_of

        rows = self.annotate(year=year_of("date")).order_by().values_list("year").annotate(count=models.Count("pk"))
        return sorted(rows)


class QuotationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q("speech__"), status="accepted")

    def accepted(self):
        return self.filter(status="accepted")

    def for_speaker(self, speaker):
        return self.filter(speaker=speaker)

    def with_related(self):
        return self.select_related("speaker", "speech", "speech__country", "speech__event", "speech__event__body")

    def checkable(self):
        """Quotations the quote check applies to: direct ones taken from a news report."""
        return self.filter(kind="direct", source__kind="news").exclude(status="rejected")


class OfficialTranscriptQuerySet(models.QuerySet):
    def for_speeches(self, speech_ids):
        return self.filter(speech_id__in=speech_ids).select_related("source")


class AlertQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)
