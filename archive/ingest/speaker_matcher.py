"""The Speaker table indexed in memory for one import: names and aliases matched by the rules of
``archive/ingest/names.py``, repeatably and without a query per record."""

from collections import defaultdict
from dataclasses import dataclass

from archive.ingest.names import is_surname_only, name_key, sorted_key


@dataclass
class _Entry:
    pk: int
    keys: set
    countries: set


class SpeakerMatcher:
    """An in-memory index of speakers for fast, repeatable matching during one import.

    ``load()`` reads every speaker's name and aliases and the delegations they spoke for (two
    queries); ``add()`` records a speaker created or renamed during the run; ``forget()`` undoes
    that when the record that created it is rolled back.
    """

    def __init__(self):
        self.entries = {}
        self.by_key = defaultdict(set)
        self.by_sorted = defaultdict(set)
        self.by_part = defaultdict(set)

    @classmethod
    def load(cls):
        from archive.models import Speaker as SpeakerModel
        from archive.models import Speech

        matcher = cls()
        countries = defaultdict(set)
        pairs = Speech.objects.exclude(country=None).values_list("speaker_id", "country_id").distinct()
        for speaker_id, country_id in pairs.iterator():
            countries[speaker_id].add(country_id)
        for pk, name, aliases in SpeakerModel.objects.values_list("pk", "name", "aliases").iterator():
            matcher.add(pk, [name, *(aliases or [])], countries.get(pk, ()))
        return matcher

    def add(self, pk, names, countries=()):
        entry = self.entries.get(pk)
        if entry is None:
            entry = self.entries[pk] = _Entry(pk=pk, keys=set(), countries=set())
        entry.countries.update(c for c in countries if c)
        for raw in names:
            key = name_key(raw) if isinstance(raw, str) else ""
            if not key or key in entry.keys:
                continue
            entry.keys.add(key)
            self.by_key[key].add(pk)
            self.by_sorted[sorted_key(key)].add(pk)
            parts = key.split(" ")
            # Family name first (Chinese usage) or last: both may be what a record gives alone.
            for part in {parts[0], parts[-1]}:
                if len(part) > 1:
                    self.by_part[part].add(pk)

    def forget(self, pk):
        entry = self.entries.pop(pk, None)
        if entry is None:
            return
        for index in (self.by_key, self.by_sorted, self.by_part):
            for pks in index.values():
                pks.discard(pk)

    def keys_of(self, pk):
        entry = self.entries.get(pk)
        return entry.keys if entry else set()

    def match(self, name, country_id=None):
        """The pk of the one Speaker this name (for this delegation) refers to, or None."""
        key = name_key(name)
        if not key:
            return None
        if is_surname_only(key):
            candidates = self.by_key.get(key, set()) | self.by_part.get(key, set())
            if country_id:
                same = [pk for pk in candidates if country_id in self.entries[pk].countries]
            else:
                # A briefer ("Mr. Lowcock") speaks for no delegation: match the one person who never did.
                same = [pk for pk in candidates if not self.entries[pk].countries]
            exact = [pk for pk in same if key in self.entries[pk].keys]
            if len(exact) == 1:
                return exact[0]
            return same[0] if len(same) == 1 else None
        candidates = self.by_key.get(key) or self.by_sorted.get(sorted_key(key)) or set()
        fits = [pk for pk in candidates if self._country_fits(pk, country_id)]
        if not fits:
            return None if country_id else self._known_by_surname(key)
        if country_id:
            same = [pk for pk in fits if country_id in self.entries[pk].countries]
            if same:
                return min(same)
        return min(fits)

    def _known_by_surname(self, key):
        """A full name for someone without a delegation known so far only by their surname ("Lowcock")."""
        parts = key.split(" ")
        found = {
            pk
            for part in {parts[0], parts[-1]}
            for pk in self.by_key.get(part, ())
            if not self.entries[pk].countries and all(is_surname_only(k) for k in self.entries[pk].keys)
        }
        return found.pop() if len(found) == 1 else None

    def _country_fits(self, pk, country_id):
        known = self.entries[pk].countries
        return not country_id or not known or country_id in known
