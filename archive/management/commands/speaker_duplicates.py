"""python manage.py speaker_duplicates [--limit N]: likely duplicate speakers, with the evidence.

Editors merge them in the admin (Speakers, "Merge selected speakers into one"); this command changes
nothing. The rules live in archive/ingest/speaker_duplicates.py (``likely_duplicates``).
"""

from collections import defaultdict

from django.core.management.base import BaseCommand

from archive.ingest.speaker_duplicates import likely_duplicates
from archive.models import Speaker, Speech


class Command(BaseCommand):
    help = "List speakers that are probably the same person (same delegation, initials, edit distance, years)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=0, help="Show at most this many pairs (0: all)")

    def handle(self, *args, **options):
        countries, years, counts = defaultdict(set), defaultdict(set), defaultdict(int)
        rows = Speech.objects.values_list("speaker_id", "country__code", "date")
        for speaker_id, code, date in rows.iterator():
            if code:
                countries[speaker_id].add(code)
            years[speaker_id].add(date.year)
            counts[speaker_id] += 1
        speakers = [
            {
                "pk": pk,
                "name": name,
                "slug": slug,
                "aliases": aliases or [],
                "countries": sorted(countries[pk]),
                "years": sorted(years[pk]),
                "statements": counts[pk],
            }
            for pk, name, slug, aliases in Speaker.objects.values_list("pk", "name", "slug", "aliases")
        ]
        pairs = likely_duplicates(speakers)
        shown = pairs[: options["limit"]] if options["limit"] else pairs
        for pair in shown:
            self.stdout.write(f"{_describe(pair.first)}  <->  {_describe(pair.second)}")
            self.stdout.write(f"    evidence (score {pair.score}): " + "; ".join(pair.evidence))
        self.stdout.write(
            f"{len(pairs)} likely duplicate pair(s) among {len(speakers)} speakers"
            + (f" ({len(shown)} shown)" if len(shown) < len(pairs) else "")
            + ". Merge them in the admin: Speakers, 'Merge selected speakers into one'."
        )


def _describe(speaker):
    where = ", ".join(speaker["countries"]) or "no delegation"
    return f"{speaker['name']} [{speaker['slug']}] ({where}; {speaker['statements']} statements)"
