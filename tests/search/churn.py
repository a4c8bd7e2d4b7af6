"""One editor process for the concurrency test: publishes, unpublishes, edits and deletes statements
at random, applying index work as it goes, against the database and index named in its environment.

    python -m tests.search.churn SEED OPERATIONS
"""

import os
import random
import sys


def main(seed, operations):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    import datetime

    from django.db import transaction

    from archive import services
    from archive.models import Speaker, Speech
    from archive.search import outbox, worker

    rng = random.Random(seed)
    speaker = Speaker.objects.order_by("pk").first()
    for step in range(operations):
        choice = rng.random()
        pks = list(Speech.objects.values_list("pk", flat=True))
        try:
            if choice < 0.35 or not pks:
                speech = Speech.objects.create(
                    speaker=speaker, date=datetime.date(2020, 1, 1), text=f"Churn {seed} {step} statement."
                )
                services.speech_publish(speech=speech)
            elif choice < 0.55:
                services.speech_unpublish(speech=Speech(pk=rng.choice(pks)))
            elif choice < 0.7:
                services.speech_publish(speech=Speech(pk=rng.choice(pks)))
            elif choice < 0.85:
                with transaction.atomic():
                    speech = Speech.objects.select_for_update().get(pk=rng.choice(pks))
                    speech.text = f"Edited by {seed} at {step}."
                    speech.save()
                    outbox.enqueue_speech(speech)
            else:
                services.speech_delete(speech=Speech(pk=rng.choice(pks)))
        except Speech.DoesNotExist:
            pass  # the other process deleted it first
        if rng.random() < 0.5:
            worker.process_batch(batch_size=rng.choice([1, 5, 50]))
    worker.drain()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
