from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archive"
    verbose_name = "Statements Archive"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from archive.models import Body, Country, Topic
        from archive.search import outbox, results

        outbox.connect_signals()
        for model in (Country, Body, Topic):
            for signal in (post_save, post_delete):
                uid = f"facet-names-{signal is post_save}-{model.__name__}"
                signal.connect(results.reference_names_changed, sender=model, dispatch_uid=uid)
