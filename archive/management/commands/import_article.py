"""Propose a draft statement from a news report file, as the "Add from a news report" screen does."""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from archive import services
from archive.ingest import news


class Command(BaseCommand):
    help = "Read a news report (.txt or .html), propose speaker, event, date and quotations, and save a draft."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--publisher", required=True)
        parser.add_argument("--published", required=True, help="publication date, YYYY-MM-DD")
        parser.add_argument("--url", default="")
        parser.add_argument("--title", default="")
        parser.add_argument("--speaker", default="", help="the speaker's name, if the report does not make it clear")
        parser.add_argument("--editor", default="", help="username recorded in the history")
        parser.add_argument("--dry-run", action="store_true", help="print the proposal, save nothing")
        parser.add_argument("--json", action="store_true", help="print the proposal as JSON")

    def handle(self, *args, **options):
        try:
            published = datetime.date.fromisoformat(options["published"])
        except ValueError as error:
            raise CommandError(f"--published must be a date as YYYY-MM-DD, not {options['published']!r}") from error
        path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            text, _ = news.text_from_file(data, path.name)
            proposal = news.propose(text, published=published)
        except news.ProposalError as error:
            raise CommandError(str(error)) from error

        speech = None
        if not options["dry_run"]:
            editor = None
            if options["editor"]:
                editor = get_user_model().objects.filter(username=options["editor"]).first()
                if editor is None:
                    raise CommandError(f"No user {options['editor']!r}.")
            try:
                speech = services.news_draft_create(
                    proposal=proposal,
                    publisher=options["publisher"],
                    url=options["url"],
                    title=options["title"],
                    published_on=published,
                    speaker_name=options["speaker"],
                    editor=editor,
                )
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error

        if options["json"]:
            payload = proposal.as_dict()
            payload["draft"] = speech.pk if speech else None
            self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
            return
        self._summary(proposal, speech)

    def _summary(self, proposal, speech):
        d = proposal.as_dict()
        write = self.stdout.write
        write(
            f"Speaker:  {d['speaker']['name'] or '(unknown)'}{' (existing)' if d['speaker']['existing'] else ' (new)'}"
        )
        write(f"Role:     {d['role'] or '-'}")
        write(f"Country:  {d['country'] or '-'}")
        write(f"Body:     {d['body'] or '-'}")
        event = d["event"]
        write(f"Event:    {event['title'] or '-'}{' (existing)' if event['existing'] else ''}")
        write(
            f"Date:     {d['date']} ({d['date_precision']}"
            + (f", from {d['date_phrase']!r})" if d["date_phrase"] else ", the publication date)")
        )
        write(f"Topics:   {', '.join(d['topics']) or '-'}")
        write(f"Refers to: {', '.join(d['instruments']) or '-'}")
        write(f"Quotations: {len(proposal.direct)} direct, {len(proposal.indirect)} reported")
        for q in d["quotations"]:
            text = q["text"] if len(q["text"]) <= 70 else q["text"][:67] + "..."
            write(
                f"  {q['kind']:8} {q['start']:>6}-{q['end']:<6} {q['speaker']} "
                f"[{q['cue']}, {q['confidence']:.2f}] {text}"
            )
        for warning in d["warnings"]:
            write(self.style.WARNING(f"Warning: {warning}"))
        if speech is None:
            write("Dry run: nothing saved.")
        else:
            write(
                self.style.SUCCESS(f"Draft statement #{speech.pk} saved; review it at /editor/news/{speech.pk}/review/")
            )
