"""One history row per editorial change to a statement (its save and its many-to-many fields)."""

from archive.models import SPEECH_HISTORY


def record_speech_history(speech, *, editor, reason, created=False):
    """One history row for a statement, with its many-to-many fields as they now are."""
    speech._history_user = editor
    speech._change_reason = reason
    SPEECH_HISTORY.create_historical_record(speech, "+" if created else "~")


class NoHistory:
    """Saves and many-to-many changes inside write no history row; the caller writes one at the end."""

    def __init__(self, *instances):
        self.instances = instances

    def __enter__(self):
        for instance in self.instances:
            instance.skip_history_when_saving = True

    def __exit__(self, *exc):
        for instance in self.instances:
            instance.__dict__.pop("skip_history_when_saving", None)
