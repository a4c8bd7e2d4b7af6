"""Names of people: the one place they are cleaned, keyed, parsed and matched, with their titles and slugs.

Generic on purpose: the UN corpora, the news-article ingest, the editors' screens and the query
language all come here, so that the same person is one Speaker whichever source mentioned them.
Database lookups by name are ``Speaker.objects.get_by_name()`` / ``.named()``, which narrow the
candidates in SQL and decide with the rules below. Countries have their own module (``countries.py``).

Matching rules (conservative: a wrong merge hides a person, a missed one is fixed by an editor's merge):
- a full name ("Wang Yi", "QIAN QICHEN", "H.E. Mr. Li  Zhaoxing") matches a Speaker whose name or an
  alias has the same key (titles dropped, case, accents, hyphens and spacing ignored; word order too,
  so "Kuan-hua Chiao" is "Chiao Kuan-hua"), unless that Speaker is known only for other delegations;
- a bare surname ("Mr. Nebenzia", "Mr. TSIANG"), as UN records give them, matches only a Speaker of
  the same delegation with that name, alias or family name, and only when exactly one fits.
- in news prose, a mention ("Zhang", "Ambassador Zhang Jun") refers to a name when the words of one
  are among the words of the other (``same_person``).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.text import slugify

# -- Titles ------------------------------------------------------------------------------------------
# Two lists, because the two kinds of text write titles differently. nameparser's title list (800
# words, occupations included: "british", "first", "grand") would strip real names' first words.
#
# HONORIFICS: what UN records and spreadsheets put before a name, in any case ("H.E. MR. LI"); stripped
# by clean_name(). Longest first, so "his excellency" is removed before "excellency".
HONORIFICS = sorted(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mme",
        "madame",
        "mlle",
        "sir",
        "dame",
        "dr",
        "prof",
        "professor",
        "h.e",
        "he",
        "h. e",
        "his excellency",
        "her excellency",
        "excellency",
        "the honourable",
        "the honorable",
        "hon",
        "ambassador",
        "senor",
        "señor",
        "sr",
        "sra",
        # Offices and ranks that records and spreadsheets put before a name.
        "monsignor",
        "msgr",
        "mgr",
        "archbishop",
        "cardinal",
        "bishop",
        "father",
        "reverend",
        "rev",
        "president",
        "vice-president",
        "vice president",
        "prime minister",
        "deputy prime minister",
        "minister",
        "king",
        "queen",
        "majesty",
        "his majesty",
        "her majesty",
        "his royal highness",
        "her royal highness",
        "royal highness",
        "highness",
        "his highness",
        "her highness",
        "crown prince",
        "prince",
        "princess",
        "his serene highness",
        "her serene highness",
        "serene highness",
        "his holiness",
        "holiness",
        "pope",
        "dato seri",
        "datuk seri",
        "dato' seri",
        "sheikh",
        "sheikha",
        "shaikh",
        "emir",
        "amir",
        "dato",
        "dato'",
        "datuk",
        "tan sri",
        "judge",
        "general",
        "lieutenant general",
        "major general",
        "lord",
        "lady",
        "baroness",
        "h.m",
        "h.h",
        "h.r.h",
    ],
    key=len,
    reverse=True,
)
# "He" is a common Chinese family name: only strip it when a dot follows ("H.E." / "HE.").
_NEEDS_DOT = {"he"}
_TITLE_RE = re.compile(
    r"^\s*(?:" + "|".join(re.escape(t) for t in HONORIFICS) + r")(?:(?P<dot>\.)|(?=\s|$))\s*",
    re.IGNORECASE,
)
# NEWS_TITLES: what news prose capitalises before a name ("Sen. Warren", "Foreign Minister Wang Yi"): a
# regular expression for the attribution patterns of ``quotes/patterns.py``, case-sensitive, so that "He said"
# and "General Assembly" stay what they are. ``name_tokens`` drops them.
NEWS_TITLES = (
    r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Lt|Gen|Col|Prof|Rev|Sgt|Capt|Adm|Amb|St)\.?|President|Vice President|"
    r"Prime Minister|Secretary|Senator|Governor|Ambassador|Minister|Foreign Minister|Chancellor|Judge|"
    r"Justice|Mayor|Chairman|Chairwoman|Speaker|Representative|Congressman|Congresswoman|Pope|King|Queen"
)
NEWS_TITLE_WORDS = frozenset(t.lower() for t in re.findall(r"[A-Za-z]+", NEWS_TITLES))
# Titles that say whether a person is a woman or a man (news text: "Ms. Otieno", "Sir Mark").
FEMALE_TITLES = r"(?:Ms|Mrs|Miss|Madam|Mme|Dame)\.?"
MALE_TITLES = r"(?:Mr|Sir|Monsieur)\.?"

# Regnal numbers ("Abdullah II"); never the first word, where "LI" or "XI" is a family name.
_ROMAN = re.compile(r"^(?=[IVX]+$)X{0,2}(IX|IV|V?I{0,3})$")
_SPACES = re.compile(r"\s+")
_KEY_DROP = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class CleanName:
    name: str  # for display: "Li Zhaoxing"
    honorific: str  # "Mr.", "H.E. Mr." or ""


def clean_name(raw):
    """Strip titles and stray spaces; fix ALL-CAPS words. ``" Mr. LI  ZHAOXING "`` -> ``Li Zhaoxing``."""
    text = _SPACES.sub(" ", (raw or "").replace("\u00a0", " ")).strip().strip(",;:")
    honorifics = []
    while True:
        match = _TITLE_RE.match(text)
        if not match:
            break
        title = text[: match.end()].strip()
        word = title.rstrip(".").lower()
        rest = text[match.end() :]
        if (word in _NEEDS_DOT and not match.group("dot")) or not rest.strip():
            break
        if re.match(r"(?:of|for|and|to|in)\b", rest.strip()):
            break  # an office, not a title before a name: "President of the Security Council"
        honorifics.append(title)
        text = rest
    words = [_fix_case(word, first=i == 0) for i, word in enumerate(w for w in text.split(" ") if w)]
    return CleanName(name=" ".join(words), honorific=" ".join(honorifics))


def _fix_case(word, first):
    if not first and _ROMAN.match(word):
        return word
    letters = [c for c in word if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        # WEI TAO-MING -> Wei Tao-Ming; AL-SAADI -> Al-Saadi
        return re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word.lower())
    return word


# Cyrillic and Greek letters that look like Latin ones; PDF and OCR text mixes them into Latin names.
_LOOKALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеѕіјорсхуԁһӏԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαβεικνορτυχ",
    "ABESIJKMHOPCTXYaesijopcxydhlqwABEZHIKMNOPTYXabeikvoptux",
)


# Latin letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss"})


def fold_lookalikes(text):
    """Latin letters for the Cyrillic/Greek look-alikes inside a mostly Latin name (a Cyrillic name stays)."""
    latin = sum(1 for c in text if "a" <= c.lower() <= "z")
    other = sum(1 for c in text if c.isalpha() and not ("a" <= c.lower() <= "z"))
    if latin and other and latin >= other:
        return text.translate(_LOOKALIKES)
    return text


@lru_cache(maxsize=200_000)
def name_key(name):
    """The matching key of a (raw or clean) name: no titles, accents, case, punctuation or look-alike letters."""
    text = fold_lookalikes(clean_name(name).name).translate(_UNDECOMPOSED)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _KEY_DROP.sub(" ", text.replace("-", " ").replace("'", "").replace("\u2019", ""))
    return _SPACES.sub(" ", text).strip().casefold()


def sorted_key(key):
    return " ".join(sorted(key.split(" ")))


def is_surname_only(key):
    return bool(key) and " " not in key


# Latin letters with accents, for names in news prose ("Eskelsen García", "Peña Nieto").
LATIN_UPPER, LATIN_LOWER, LATIN_LETTERS = "A-ZÀ-ÖØ-ÞĀ-Ž", "a-zß-öø-ÿā-ž", "a-zA-ZÀ-ÖØ-öø-ÿĀ-ž"
_NAME_TOKEN = re.compile(rf"[{LATIN_LETTERS}][{LATIN_LETTERS}'’\-]*\.?")


def name_tokens(name):
    """Lower-cased name words without news titles: "Mr. Zhang Jun" -> ["zhang", "jun"]."""
    tokens = [w.rstrip(".").lower() for w in _NAME_TOKEN.findall(name)]
    while tokens and tokens[0] in NEWS_TITLE_WORDS and len(tokens) > 1:
        tokens = tokens[1:]
    return [t for t in tokens if t not in {"jr", "sr"}]


def same_person(mention, name):
    """Whether a mention in news prose ("Zhang", "Mr. Zhang Jun") can refer to a full name ("Zhang Jun")."""
    a, b = name_tokens(mention), name_tokens(name)
    if not a or not b:
        return False
    return set(a) <= set(b) or set(b) <= set(a)


def drop_news_titles(name):
    """ "Foreign Minister Wang Yi" -> "Wang Yi" (a name that is all title stays as it is)."""
    return re.sub(rf"^(?:(?:{NEWS_TITLES})\s+)+", "", name.strip()) or name.strip()


def best_candidate(name, candidates):
    """The one of ``candidates`` (Speakers) that ``name`` refers to, or None.

    The same key as the importers' matcher (any word order) wins; else, for a name of two words or
    more, the one candidate whose name holds its words or is held by them ("Jun Zhang" / "Zhang Jun").
    """
    wanted = name_key(name)
    if not wanted:
        return None
    wanted_sorted = sorted_key(wanted)
    partial = []
    for speaker in candidates:
        keys = [name_key(n) for n in [speaker.name, *(speaker.aliases or [])]]
        if any(sorted_key(key) == wanted_sorted for key in keys):
            return speaker
        if len(wanted.split()) >= 2 and same_person(name, speaker.name):
            partial.append(speaker)
    return partial[0] if len(partial) == 1 else None


def search_words(name):
    """The words a database search for ``name`` looks for: its key's words and its words as written
    (the key drops accents; names are stored with them)."""
    return {*name_key(name).split(), *name_tokens(name)}


# -- Slugs -------------------------------------------------------------------------------------------


def free_slug(text, *, taken, fallback="item", max_length=200):
    """A slug for ``text`` that ``taken(slug)`` says is free: "zhang-jun", else "zhang-jun-2", ...

    ``taken`` is a set's ``__contains__`` for an import that keeps the slugs in memory, or a database
    check (``lambda s: Speaker.objects.filter(slug=s).exists()``).
    """
    base = (slugify(text) or fallback)[: max_length - 10]
    slug, n = base, 1
    while taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


# -- Name parts: family and given names, for A-Z lists, sorting and citations ---------------------

# Where names are written family name first in UN records ("Zhang Jun", "Kim Song", "Dang Dinh Quy").
FAMILY_FIRST_COUNTRIES = {"CHN", "TWN", "HKG", "MAC", "KOR", "PRK", "VNM", "SGP"}
# Common Chinese, Korean and Vietnamese family names (romanised as UN records write them).
_FAMILY_FIRST_WORDS = """
    zhang wang li liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang
    han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding ren shen yao qian
    fu geng dai fan fang shi jin tan qin xi kong mao bai hou meng qiu xiong lei long wan duan hao kang yan ni
    kim lee yi park pak choi choe jung jeong chung kang cho jo yoon yun jang chang lim im oh o seo shin sin kwon
    hwang ahn an ryu yoo hong jeon ko koh moon mun ban ri
    nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly trinh dinh
"""
FAMILY_FIRST_SURNAMES = set(_FAMILY_FIRST_WORDS.split())
# One romanised Chinese, Korean or Vietnamese syllable (or two run together: "Haitao", "Jinping").
_SYLLABLE = (
    r"(?:(?:zh|ch|sh|ng|nh|ph|th|tr|kh|gh|hs|ts|[bcdfghjklmnpqstwxyz])?"
    r"(?:[aeiouy]{1,3})(?:ng|nh|n|m|p|t|ck|c|k|ch)?)"
)
_SYLLABLES = re.compile(rf"^{_SYLLABLE}{{1,3}}$")


def _family_first(words, country_code):
    first = name_key(words[0]).replace(" ", "")
    if first not in FAMILY_FIRST_SURNAMES:
        return False
    if country_code in FAMILY_FIRST_COUNTRIES:
        return True
    rest = [part for word in words[1:] for part in name_key(word).split(" ")]
    return bool(rest) and all(_SYLLABLES.match(part) for part in rest)


_SUFFIX = re.compile(r"^(?:Jr|Sr|Snr|Jnr)\.?$", re.IGNORECASE)
OFFICE = re.compile(r"\b(?:of|the|for)\b|[()]|^Unidentified\b")


def name_parts(name, *, country_code="", surname_only=False):
    """(given, family) of a name: "Emmanuel Macron" -> ("Emmanuel", "Macron"), "Zhang Jun" -> ("Jun", "Zhang").

    ``surname_only``: the name is a family name alone, as UN records give it ("Pecsteen de Buytswerve").
    """
    clean = clean_name(name).name
    words = clean.split()
    if not words:
        return "", ""
    if OFFICE.search(clean):
        return "", clean  # an office or a placeholder, not a person's name: sorted as written
    if len(words) >= 2 and _family_first(words, country_code):
        return " ".join(words[1:]), words[0]
    if surname_only or len(words) == 1:
        return "", clean
    if all(word[:1].isupper() for word in words) and not _ROMAN.match(words[-1]) and not _SUFFIX.match(words[-1]):
        # The common case, without the parser's cost: "Emmanuel Jean Macron".
        return " ".join(words[:-1]), words[-1]
    # Particles ("da Silva", "von der Leyen", "bin Hamad"), suffixes ("Jr.", "II"): the parser knows them.
    from nameparser import HumanName  # imported here: loading it costs half a second

    parsed = HumanName(clean)
    family = parsed.last
    if not family:
        return "", clean
    given = " ".join(part for part in (parsed.first, parsed.middle) if part)
    return given, family


def sort_name(name, given, family):
    """ "Macron, Emmanuel"; family-first names as written ("Zhang Jun"); a family name alone as it is."""
    if not family:
        return name
    if not given:
        return family
    if name.startswith(f"{family} "):
        return f"{family} {given}"
    return f"{family}, {given}"
