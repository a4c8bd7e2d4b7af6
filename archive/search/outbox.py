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
