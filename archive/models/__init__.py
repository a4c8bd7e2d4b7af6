"""The archive's domain model (Popolo-inspired): who said what, where, when, and from which source.

One module per part of the model; everything is importable from ``archive.models`` (Django's
convention for a models package).
"""

from archive.models.alerts import Alert, AlertDelivery, AlertSubscriber
from archive.models.base import NaturalKeyManager, TimeStampedModel, detail_url
from archive.models.operations import IndexTask, RateLimitCounter
from archive.models.people import Speaker, SpeakerRedirect
from archive.models.quotations import (
    OfficialTranscript,
    Quotation,
    QuotationCheck,
    QuotationCheckTask,
    quote_check_of,
)
from archive.models.reference import Body, Country, Instrument, Topic
from archive.models.statements import (
    SPEECH_HISTORY,
    DatePrecision,
    Event,
    Source,
    Speech,
    TopicAssignment,
    format_precise_date,
    source_text_hash,
)
from archive.querysets import (
    Subtree,  # part of the models' interface (SpeechQuerySet.for_body takes one)
    published_q,  # the one definition of "published", importable with the models
)

__all__ = [
    "SPEECH_HISTORY",
    "Alert",
    "AlertDelivery",
    "AlertSubscriber",
    "Body",
    "Country",
    "DatePrecision",
    "Event",
    "IndexTask",
    "Instrument",
    "NaturalKeyManager",
    "OfficialTranscript",
    "Quotation",
    "QuotationCheck",
    "QuotationCheckTask",
    "RateLimitCounter",
    "Source",
    "Speaker",
    "SpeakerRedirect",
    "Speech",
    "Subtree",
    "TimeStampedModel",
    "Topic",
    "TopicAssignment",
    "detail_url",
    "format_precise_date",
    "published_q",
    "quote_check_of",
    "source_text_hash",
]
