"""Topics the keyword rules assign (archive/topic_rules.py), and editors' decisions on them."""

import operator
from functools import reduce

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from archive import topic_rules
from archive.models import Quotation, Speech, Topic, TopicAssignment
from archive.search import outbox


def speeches_assign_topics(*, speeches, batch_size=500, progress=None):
    """Tag statements with the topics their text reaches under the keyword rules (archive/topic_rules.py).

    Deterministic and idempotent. Per statement and topic:
    - a topic an editor gave (in ``Speech.topics`` with no assignment row) is left alone;
    - an assignment an editor confirmed or removed is never changed;
    - a rules' topic an editor took out of ``Speech.topics`` is recorded as removed (and stays out);
    - otherwise the rules decide: new topics are added (an assignment row plus the tag), scores are
      refreshed, topics the rules no longer reach are taken away again.
    Changed published statements go to the search index through the outbox. Each batch is one
    transaction. Returns {"speeches": n, "added": n, "updated": n, "dropped": n, "kept_by_editors": n}.
    """
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    stats = {"speeches": 0, "added": 0, "updated": 0, "dropped": 0, "kept_by_editors": 0}
    ids = list(speeches.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        with transaction.atomic():
            _assign_batch(chunk, topic_ids, stats)
        if progress:
            progress(len(chunk))
    return stats


class _BatchChanges:
    """What one batch of ``speeches_assign_topics`` writes."""

    def __init__(self):
        self.new_rows, self.new_tags, self.updated, self.removed_ids, self.untag = [], [], [], [], []
        self.changed = set()  # statements whose topics changed


def _assign_batch(chunk, topic_ids, stats):
    Tag = Speech.topics.through
    texts = dict(Speech.objects.filter(pk__in=chunk).values_list("pk", "text"))
    tags = set(Tag.objects.filter(speech_id__in=chunk).values_list("speech_id", "topic_id"))
    assignments, by_speech = {}, {}
    for a in TopicAssignment.objects.filter(speech_id__in=chunk):
        assignments[(a.speech_id, a.topic_id)] = a
        by_speech.setdefault(a.speech_id, []).append(a)
    changes = _BatchChanges()
    for pk in chunk:
        found = {
            topic_ids[slug]: hit for slug, hit in topic_rules.score(texts.get(pk, "")).items() if slug in topic_ids
        }
        _decide_found(pk, found, assignments, tags, changes, stats)
        for assignment in by_speech.get(pk, ()):
            if assignment.topic_id in found or assignment.status != TopicAssignment.Status.MACHINE:
                continue
            # The rules no longer reach it: the rules' own topic goes.
            changes.removed_ids.append(assignment.pk)
            if (pk, assignment.topic_id) in tags:
                changes.untag.append(Q(speech_id=pk, topic_id=assignment.topic_id))
                changes.changed.add(pk)
    _write_batch(changes)
    stats["speeches"] += len(chunk)
    stats["added"] += len(changes.new_rows)
    stats["updated"] += len(changes.updated)
    stats["dropped"] += len(changes.removed_ids)


def _decide_found(pk, found, assignments, tags, changes, stats):
    """The topics the rules reach in one statement: new ones added, the rules' own re-scored, an
    editor's left alone."""
    Tag = Speech.topics.through
    for topic_id, (score, evidence) in found.items():
        key = (pk, topic_id)
        assignment = assignments.get(key)
        if assignment is None:
            if key in tags:
                stats["kept_by_editors"] += 1  # an editor's own topic: not the rules'
                continue
            changes.new_rows.append(
                TopicAssignment(
                    speech_id=pk, topic_id=topic_id, score=score, evidence=evidence, method=topic_rules.METHOD
                )
            )
            changes.new_tags.append(Tag(speech_id=pk, topic_id=topic_id))
            changes.changed.add(pk)
        elif assignment.status == TopicAssignment.Status.MACHINE:
            if key not in tags:  # an editor took it out of the statement's topics
                assignment.status = TopicAssignment.Status.REMOVED
                changes.updated.append(assignment)
            elif (assignment.score, assignment.evidence, assignment.method) != (score, evidence, topic_rules.METHOD):
                assignment.score, assignment.evidence = score, evidence
                assignment.method = topic_rules.METHOD
                changes.updated.append(assignment)
        else:
            stats["kept_by_editors"] += 1


def _write_batch(changes):
    Tag = Speech.topics.through
    TopicAssignment.objects.bulk_create(changes.new_rows, batch_size=1000)
    Tag.objects.bulk_create(changes.new_tags, batch_size=1000, ignore_conflicts=True)
    now = timezone.now()
    for assignment in changes.updated:
        assignment.updated_at = now
    TopicAssignment.objects.bulk_update(changes.updated, ["status", "score", "evidence", "method", "updated_at"])
    TopicAssignment.objects.filter(pk__in=changes.removed_ids).delete()
    if changes.untag:
        Tag.objects.filter(reduce(operator.or_, changes.untag)).delete()
    published = list(Speech.objects.published().filter(pk__in=changes.changed).values_list("pk", flat=True))
    if published:
        outbox.enqueue(outbox.SPEECH, published)
        outbox.enqueue(
            outbox.QUOTATION,
            list(Quotation.objects.filter(speech_id__in=published).values_list("pk", flat=True)),
        )


def topic_assignment_confirm(*, assignment, editor=None):
    """An editor agrees with the rules: the topic stays, and the rules never take it away."""
    return _topic_assignment_decide(assignment=assignment, editor=editor, keep=True)


def topic_assignment_remove(*, assignment, editor=None):
    """An editor disagrees: the topic leaves the statement, and the rules never put it back."""
    return _topic_assignment_decide(assignment=assignment, editor=editor, keep=False)


@transaction.atomic
def _topic_assignment_decide(*, assignment, editor, keep):
    assignment = TopicAssignment.objects.select_for_update().get(pk=assignment.pk)
    assignment.status = TopicAssignment.Status.CONFIRMED if keep else TopicAssignment.Status.REMOVED
    assignment.save(update_fields=["status", "updated_at"])
    speech = assignment.speech
    speech._history_user = editor
    # The topics relation queues the statement's index work itself (archive/search/outbox.py).
    (speech.topics.add if keep else speech.topics.remove)(assignment.topic_id)
    return assignment
