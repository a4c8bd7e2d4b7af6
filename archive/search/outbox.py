"""Durable index work: rows written in the same database transaction as the change they reflect.

Whatever changes a published speech or quotation (editors, services, importers) records here what
the search index must do; the index worker applies the rows and deletes them only once the index
has committed. A crash between the database commit and the index commit therefore loses nothing.
"""

from archive.models import IndexTask

SPEECH = "archive.speech"
QUOTATION = "archive.quotation"


def enqueue(model_label, pks, action=IndexTask.Action.UPDATE):
    """Record index work for these objects in the current transaction."""
    IndexTask.objects.bulk_create(
        [IndexTask(model=model_label, object_id=str(pk), action=action) for pk in pks], batch_size=1000
    )


def enqueue_speech(speech):
    """A speech and its quotations must be re-read: updated if public now, removed if not."""
    enqueue(SPEECH, [speech.pk])
    enqueue(QUOTATION, list(speech.quotations.values_list("pk", flat=True)))


def enqueue_statements_of(**lookup):
    """Every published statement (and its quotations) that ``Speech.objects.filter(**lookup)`` finds."""
    from archive.models import Quotation, Speech

    speech_ids = list(Speech.objects.published().filter(**lookup).values_list("pk", flat=True).distinct())
    if not speech_ids:
        return
    enqueue(SPEECH, speech_ids)
    enqueue(QUOTATION, list(Quotation.objects.filter(speech_id__in=speech_ids).values_list("pk", flat=True)))


# What the index copies from each related model, and how to find the statements that show it.
# Names, slugs and codes of these rows are stored in every statement's index document (facet values,
# filter keys, display names), so a rename or a slug change must re-index those statements.
_SHOWN_IN_STATEMENTS = {
    "Speaker": lambda obj: [{"speaker": obj}, {"quotations__speaker": obj}],
    "Event": lambda obj: [{"event": obj}],
    "Country": lambda obj: [{"country": obj}],
    "Body": lambda obj: [{"event__body": obj}],
    "Topic": lambda obj: [{"topics": obj}],
    "Instrument": lambda obj: [{"instruments": obj}],
}


def _related_saved(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return  # a new row is in no statement yet; fixtures queue nothing
    for lookup in _SHOWN_IN_STATEMENTS[sender.__name__](instance):
        enqueue_statements_of(**lookup)


def _statement_relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Topics or instruments added to or removed from statements (either side of the relation)."""
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            enqueue_statements_of(pk=instance.pk)
    elif action == "pre_clear":
        # A topic or instrument losing every statement: find them before the rows go.
        enqueue_statements_of(pk__in=list(instance.speeches.values_list("pk", flat=True)))
    elif pk_set:
        enqueue_statements_of(pk__in=pk_set)


def connect_signals():
    """Called once from ArchiveConfig.ready().

    Signals rather than service calls because these rows are edited in the admin's generic change
    forms and by the reference-data migrations, not only by services: every writer must queue the
    index work, in the same transaction as the change.
    """
    from django.db.models.signals import m2m_changed, post_save

    from archive.models import Body, Country, Event, Instrument, Speaker, Speech, Topic

    for model in (Speaker, Event, Country, Body, Topic, Instrument):
        post_save.connect(_related_saved, sender=model, dispatch_uid=f"archive-index-{model.__name__}")
    for through in (Speech.topics.through, Speech.instruments.through):
        m2m_changed.connect(_statement_relations_changed, sender=through, dispatch_uid=f"archive-index-{through}")
