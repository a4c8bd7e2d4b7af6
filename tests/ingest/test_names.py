import pytest

from archive.ingest.names import clean_name, name_key
from archive.ingest.speaker_matcher import SpeakerMatcher


@pytest.mark.parametrize(
    ("raw", "name", "honorific"),
    [
        (" Mr. LI  ZHAOXING ", "Li Zhaoxing", "Mr."),
        ("H.E. Mr. Li Zhaoxing", "Li Zhaoxing", "H.E. Mr."),
        ("Mrs. Gueguen", "Gueguen", "Mrs."),
        ("Ms. Tayob", "Tayob", "Ms."),
        ("Sir Jeremy Greenstock", "Jeremy Greenstock", "Sir"),
        ("Dr. Mahathir Mohamad", "Mahathir Mohamad", "Dr."),
        ("Mr.Nebenzia", "Nebenzia", "Mr."),
        ("Mr. WEI TAO-MING", "Wei Tao-Ming", "Mr."),
        ("XI JINPING", "Xi Jinping", ""),
        ("Abdullah II ibn Al Hussein", "Abdullah II ibn Al Hussein", ""),
        ("He Yafei", "He Yafei", ""),  # a family name, not "H.E."
        ("Mr. Ja'afari", "Ja'afari", "Mr."),
    ],
)
def test_clean_name_drops_titles_and_stray_spaces_and_fixes_all_caps(raw, name, honorific):
    cleaned = clean_name(raw)
    assert (cleaned.name, cleaned.honorific) == (name, honorific)


def test_name_key_ignores_case_accents_titles_and_hyphens():
    assert name_key("Tayyip Erdoğan") == name_key("Mr. TAYYIP ERDOGAN") == "tayyip erdogan"
    assert name_key("Kuan-hua Chiao") == "kuan hua chiao"
    assert name_key(" QIAN QICHEN ") == name_key("Mr. Qian  Qichen")


def test_full_names_match_across_spellings_and_word_order():
    matcher = SpeakerMatcher()
    matcher.add(1, ["Qian Qichen"], [10])
    matcher.add(2, ["Chiao Kuan-hua"], [10])
    assert matcher.match("Mr. QIAN QICHEN", 10) == 1
    assert matcher.match("Kuan-hua Chiao", 10) == 2
    assert matcher.match("Qian Qichen", None) == 1  # a news report may not name the delegation


def test_same_full_name_for_another_delegation_is_another_person():
    matcher = SpeakerMatcher()
    matcher.add(1, ["Ali Khan"], [10])
    assert matcher.match("Ali Khan", 20) is None


def test_a_bare_surname_matches_only_within_its_delegation_and_only_when_unambiguous():
    matcher = SpeakerMatcher()
    matcher.add(1, ["Vassily Nebenzia"], [643])
    matcher.add(2, ["Tsiang"], [156])
    matcher.add(3, ["Wang Yi"], [156])
    matcher.add(4, ["Wang Shih-chieh"], [156])
    assert matcher.match("Mr. Nebenzia", 643) == 1
    assert matcher.match("Mr. Nebenzia", 156) is None
    assert matcher.match("Mr. TSIANG", 156) == 2
    assert matcher.match("Mr. Wang", 156) is None  # two Wangs for China: leave it to an editor


def test_forget_undoes_a_speaker_added_during_a_rolled_back_record():
    matcher = SpeakerMatcher()
    matcher.add(7, ["Zhang Jun"], [156])
    matcher.forget(7)
    assert matcher.match("Zhang Jun", 156) is None


def test_a_slug_is_made_free_the_same_way_for_importers_and_editors():
    from archive.ingest.names import free_slug

    taken = {"zhang-jun", "zhang-jun-2"}
    assert free_slug("Zhang Jun", taken=taken.__contains__) == "zhang-jun-3"
    assert free_slug("Зиновий", taken=taken.__contains__, fallback="speaker") == "speaker"
    assert len(free_slug("x" * 500, taken=taken.__contains__, max_length=200)) <= 190


def test_news_titles_come_off_a_name_and_leave_a_name_that_is_all_title():
    from archive.ingest.names import drop_news_titles, name_tokens

    assert drop_news_titles("Foreign Minister Wang Yi") == "Wang Yi"
    assert drop_news_titles("Ambassador") == "Ambassador"
    assert name_tokens("Sen. Elizabeth Warren") == ["elizabeth", "warren"]
    # "He" is a family name in news text too: not a title there.
    assert name_tokens("He Yafei") == ["he", "yafei"]
