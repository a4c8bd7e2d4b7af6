"""Writes that span models. Keyword-only, atomic, and the only place business rules live.

One module per domain (statements, quotations, news reports, speakers, topics, quote checks);
callers write ``services.speech_publish(...)``, so the functions are importable from here.
"""

from archive.services.news import (
    news_draft_create,
    news_drafts_create,
    news_review_save,
    news_source_attach,
    news_source_create,
)
from archive.services.quotations import (
    quotation_add,
    quotation_change_speaker,
    quotation_check_span,
    quotation_edit_span,
    quotation_locate,
    quotation_move,
    quotation_review,
    quotations_accept_above,
)
from archive.services.quotechecks import (
    official_transcript_add,
    quotation_check,
    quotation_checks_drain,
    quotations_check,
)
from archive.services.speakers import speaker_for_name, speaker_merge
from archive.services.statements import (
    event_for_body,
    speech_delete,
    speech_publish,
    speech_unpublish,
    speech_update_metadata,
)
from archive.services.topics import speeches_assign_topics, topic_assignment_confirm, topic_assignment_remove

__all__ = [
    "event_for_body",
    "news_draft_create",
    "news_drafts_create",
    "news_review_save",
    "news_source_attach",
    "news_source_create",
    "official_transcript_add",
    "quotation_add",
    "quotation_change_speaker",
    "quotation_check",
    "quotation_check_span",
    "quotation_checks_drain",
    "quotation_edit_span",
    "quotation_locate",
    "quotation_move",
    "quotation_review",
    "quotations_accept_above",
    "quotations_check",
    "speaker_for_name",
    "speaker_merge",
    "speech_delete",
    "speech_publish",
    "speech_unpublish",
    "speech_update_metadata",
    "speeches_assign_topics",
    "topic_assignment_confirm",
    "topic_assignment_remove",
]
