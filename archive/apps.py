from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archive"
    verbose_name = "Statements Archive"

    def ready(self):
        from archive.search import outbox

        outbox.connect_signals()
