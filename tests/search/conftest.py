import datetime

import pytest
from django.core.management import call_command

from tests.factories import EventFactory, QuotationFactory, SpeakerFactory, SpeechFactory


@pytest.fixture
def reindex(search_index):
    """Rebuild the temporary index from the database, as `manage.py rebuild_index` does."""

    def run():
        call_command("rebuild_index", interactive=False, workers=1, verbosity=0)

    return run


@pytest.fixture
def corpus(reference_data, reindex):
    """A small published corpus with awkward facet values, plus a draft, indexed."""
    from archive.models import Body, Country, Topic

    ga = Body.objects.get(slug="general-assembly")
    sc = Body.objects.get(slug="security-council")
    tsai = SpeakerFactory(name="Tsai Ing-wen", slug="tsai-ing-wen")
    zhang = SpeakerFactory(name="Zhang Jun", slug="zhang-jun")
    cote = SpeakerFactory(name="Kandia Camara", slug="kandia-camara")
    financing = Topic.objects.get(slug="terrorism-financing")
    climate_topic = Topic.objects.get(slug="climate-change")
    speeches = {
        "gnb": SpeechFactory(
            speaker=SpeakerFactory(name="Umaro Embaló", slug="umaro-embalo"),
            country=Country.objects.get(code="GNB"),
            event=EventFactory(body=ga, date=datetime.date(2019, 9, 25)),
            date=datetime.date(2019, 9, 25),
            title="Guinea-Bissau at the general debate",
            text="Guinea-Bissau calls for climate finance and an end to organized crime.",
        ),
        "civ": SpeechFactory(
            speaker=cote,
            country=Country.objects.get(code="CIV"),
            event=EventFactory(body=ga, date=datetime.date(2021, 9, 22)),
            date=datetime.date(2021, 9, 22),
            title="Côte d'Ivoire on climate change",
            text="Climate change threatens the coast of Côte d'Ivoire. Organized groups and crime: another issue.",
        ),
        "chn": SpeechFactory(
            speaker=zhang,
            country=Country.objects.get(code="CHN"),
            event=EventFactory(body=sc, date=datetime.date(2020, 8, 6)),
            date=datetime.date(2020, 8, 6),
            title="Linkages between terrorism and organized crime",
            text="We should effectively combat terrorism financing.\n\nThe Council must act on organized crime.",
        ),
        "twn": SpeechFactory(
            speaker=tsai,
            country=None,
            event=EventFactory(body=ga, date=datetime.date(2020, 5, 20)),
            date=datetime.date(2020, 5, 20),
            title="Inaugural address",
            text="Peace and prosperity across the strait, and a stable climate for trade.",
        ),
    }
    speeches["chn"].topics.add(financing)
    speeches["gnb"].topics.add(climate_topic)
    speeches["civ"].topics.add(climate_topic, financing)
    QuotationFactory(speech=speeches["chn"], text="We should effectively combat terrorism financing.")
    draft = SpeechFactory(draft=True, speaker=zhang, title="Draft remarks", text="A secret zebrafinch statement.")
    QuotationFactory(speech=draft, text="A secret zebrafinch statement.")
    reindex()
    speeches["draft"] = draft
    return speeches


def ids(results):
    return {int(hit.pk) for hit in results.hits}
