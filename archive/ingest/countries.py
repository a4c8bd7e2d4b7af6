"""Country names the way UN records write them, resolved to the archive's Country rows.

One resolver for every ingest: the Country table's names and aliases, ISO 3166 names from
``pycountry`` (short, official and common: "Iran, Islamic Republic of", "Islamic Republic of Iran",
"Iran") and the UN's own styles kept as data in ``archive/data/un_country_forms.tsv`` ("the Niger",
"Türkiye", "Viet Nam", "Venezuela (Bolivarian Republic of)"). Both inversions are generated:
"X (Y of)" and "X, Y of" also read as "Y of X" and as "X".

One resolver for every reader of country names, too: importers resolve whole labels (``resolve``),
news reports find the country a phrase mentions (``find_in``: "China's ambassador", "a Chinese
envoy"); the query language's ``country:`` asks the database (``Country.objects.named``).

Matching ignores case, accents, punctuation and the word "the". A name that two countries would
claim is dropped rather than guessed. OCR slips are tolerated narrowly: only a name containing a
digit (no country name has one) is read with look-alike letters in the digits' place ("Le6anon"),
and only when exactly one country fits.
"""

import csv
import itertools
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pycountry
from rapidfuzz.distance import Levenshtein

FORMS_FILE = Path(__file__).resolve().parent.parent / "data" / "un_country_forms.tsv"

# What OCR reads in place of a letter.
DIGIT_LETTERS = {
    "0": "o",
    "1": "li",
    "2": "z",
    "3": "e",
    "4": "a",
    "5": "s",
    "6": "bg",
    "7": "t",
    "8": "b",
    "9": "gq",
}
_NESTED = re.compile(r"^(?P<base>[^()]+?)\s*\((?P<qualifier>[^()]+?\bof(?: the)?)\)$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s\W*$")
_EDGE_PUNCTUATION = "()[],.;:'\"“”‘’"
_COMMA = re.compile(r"^(?P<base>[^,]+?),\s*(?P<qualifier>[^,]+?\bof(?: the)?)$", re.IGNORECASE)


def country_key(label):
    """ "the Niger", "Niger" and "NIGER" are one country; so are "Cote d'Ivoire" and "Côte d’Ivoire"."""
    text = unicodedata.normalize("NFKD", label or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(word for word in text.split() if word != "the")


def variants(label):
    """The written forms a UN record may use for one name: itself, inverted, and without qualifier."""
    label = " ".join((label or "").split())
    found = [label]
    for pattern in (_NESTED, _COMMA):
        match = pattern.match(label)
        if match:
            found.append(f"{match['qualifier']} {match['base']}")
            found.append(match["base"])
    return found


@lru_cache(maxsize=1)
def un_forms():
    """{code: [forms]} from the UN-style data file."""
    forms = {}
    with FORMS_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            forms[row["code"].strip()] = [f.strip() for f in row["forms"].split(";") if f.strip()]
    return forms


def iso_forms(code):
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    if country is None:
        return []
    return [
        getattr(country, attr, None)
        for attr in ("name", "official_name", "common_name")
        if getattr(country, attr, None)
    ]


class CountryResolver:
    """Resolve written country names to Country pks; build with ``from_rows`` or ``load``."""

    def __init__(self):
        self.by_key = {}
        self.demonyms = {}
        self.by_code = {}
        self.objects = {}  # pk -> Country, filled by load()
        self.longest = 1  # words in the longest known form

    @classmethod
    def load(cls):
        """The resolver for the Country table, its rows kept in ``objects`` (one query)."""
        from archive.models import Country

        countries = list(Country.objects.all())
        resolver = cls.from_rows((c.pk, c.code, c.name, c.aliases, c.demonym) for c in countries)
        resolver.objects = {c.pk: c for c in countries}
        return resolver

    @classmethod
    def from_rows(cls, rows):
        """rows: (pk, code, name, aliases, demonym). The archive's own names win over ISO and UN forms."""
        resolver = cls()
        rows = list(rows)
        tiers = [
            [(pk, [name, *(aliases or [])]) for pk, _code, name, aliases, _demonym in rows],
            [(pk, un_forms().get(code, [])) for pk, code, *_rest in rows],
            [(pk, iso_forms(code)) for pk, code, *_rest in rows],
        ]
        for tier in tiers:
            claims = {}
            for pk, labels in tier:
                for label in labels:
                    for form in variants(label):
                        key = country_key(form)
                        if key and key not in resolver.by_key:
                            claims.setdefault(key, set()).add(pk)
            for key, pks in claims.items():
                if len(pks) == 1:  # a form two countries could claim is no evidence for either
                    resolver.by_key[key] = next(iter(pks))
        for pk, code, _name, _aliases, demonym in rows:
            if demonym:
                resolver.demonyms.setdefault(country_key(demonym), set()).add(pk)
            if code:
                resolver.by_code[code.upper()] = pk
        resolver.longest = max((len(key.split()) for key in [*resolver.by_key, *resolver.demonyms]), default=1)
        return resolver

    def resolve(self, label):
        """The Country pk for a written name, or None."""
        for form in variants(label):
            pk = self.by_key.get(country_key(form))
            if pk is not None:
                return pk
        return self._ocr(label)

    def by_demonym(self, word):
        return self._unique_demonym(country_key(word))

    def find_in(self, phrase):
        """The pk of the country a phrase mentions first, by any of its names, its demonym or its ISO
        code in capitals: "France's ambassador", "a Chinese envoy", "the delegation of FRA". At one
        place the longest name wins ("Guinea-Bissau" over "Guinea"); a word joined to another by a
        hyphen ("Sino-French") is not a mention."""
        words = (phrase or "").split()
        for i, word in enumerate(words):
            code = word.strip(_EDGE_PUNCTUATION)
            if code.isupper() and code in self.by_code:
                return self.by_code[code]
            found, keys = None, []
            for following in words[i : i + self.longest]:
                keys.append(country_key(following))
                for last in (keys[-1], country_key(_POSSESSIVE.sub("", following))):
                    key = " ".join(k for k in [*keys[:-1], last] if k)
                    pk = self.by_key.get(key) or self._unique_demonym(key)
                    if pk is not None:
                        found = pk  # a longer name at the same place wins
                        break
            if found is not None:
                return found
        return None

    def _unique_demonym(self, key):
        pks = self.demonyms.get(key, ())
        return next(iter(pks)) if len(pks) == 1 else None

    def _ocr(self, label):
        key = country_key(label)
        digits = [i for i, c in enumerate(key) if c.isdigit()]
        if not digits or len(digits) > 3 or len(key) < 4:
            return None
        found = set()
        for letters in itertools.product(*(DIGIT_LETTERS.get(key[i], "") for i in digits)):
            chars = list(key)
            for i, letter in zip(digits, letters, strict=True):
                chars[i] = letter
            pk = self.by_key.get("".join(chars))
            if pk is not None:
                found.add(pk)
        if len(found) == 1:
            return found.pop()
        if found:
            return None
        # A digit read where another letter was: the one country within that many edits, if only one.
        close = {
            pk
            for known, pk in self.by_key.items()
            if Levenshtein.distance(key, known, score_cutoff=len(digits)) <= len(digits)
        }
        return close.pop() if len(close) == 1 else None
