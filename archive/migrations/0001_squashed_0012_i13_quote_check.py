"""The archive's schema as it stood at 0012_i13_quote_check, in one migration (the unreleased branches
0001..0012 squashed; Django marks this applied on databases that ran them all).

After the tables: the reference data (countries, bodies, topics, instruments, the Editors group and
its permissions: archive/data/reference.py) and the integrity triggers for SQLite and PostgreSQL
(archive/data/integrity.py), created last so that no table rebuild drops them. The old data fixes
(name parts, source text hashes) had nothing to do on a new database and are gone.
"""

import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.text
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from archive.data import integrity, reference


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("archive", "0001_initial"),
        ("archive", "0002_reference_data"),
        ("archive", "0003_integrity_triggers"),
        ("archive", "0004_browse_facet_indexes"),
        ("archive", "0004_corpora_event_date_precision"),
        ("archive", "0004_ingest_quotation_status"),
        ("archive", "0005_merge_corpora_ingest"),
        ("archive", "0006_merge_browse"),
        ("archive", "0007_i11_speaker_identity"),
        ("archive", "0007_i12_sources_and_statements"),
        ("archive", "0007_i14_topic_assignments"),
        ("archive", "0007_i15_rate_limit_counter"),
        ("archive", "0007_i16_alerts"),
        ("archive", "0008_merge_round2"),
        ("archive", "0009_merge_round2_proxy"),
        ("archive", "0010_merge_round2_alerts"),
        ("archive", "0011_merge_round2_identity"),
        ("archive", "0012_i13_quote_check"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="AlertSubscriber",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("email", models.EmailField(help_text="Stored lower-cased", max_length=254, unique=True)),
                ("send_failures", models.PositiveIntegerField(default=0)),
                ("retry_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Country",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        help_text="ISO 3166-1 alpha-3, or EU, PSE, VAT as the UN corpora use", max_length=3, unique=True
                    ),
                ),
                ("alpha2", models.CharField(blank=True, max_length=2)),
                ("name", models.CharField(max_length=100)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("demonym", models.CharField(blank=True, help_text='"Chinese" in "a Chinese envoy"', max_length=100)),
                ("aliases", models.JSONField(blank=True, default=list, help_text="Other names the country goes by")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("member", "UN member state"),
                            ("observer", "Observer state"),
                            ("organization", "Intergovernmental organization"),
                            ("former", "Former member state"),
                        ],
                        default="member",
                        max_length=20,
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "countries",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Instrument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=300)),
                ("slug", models.SlugField(max_length=120, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("resolution", "Resolution"),
                            ("strategy", "Strategy"),
                            ("treaty", "Treaty or convention"),
                            ("charter", "Charter"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=20,
                    ),
                ),
                (
                    "symbol",
                    models.CharField(blank=True, help_text="Document symbol, e.g. S/RES/2482 (2019)", max_length=60),
                ),
                ("url", models.URLField(blank=True)),
                ("aliases", models.JSONField(blank=True, default=list)),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Quotation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("text", models.TextField()),
                (
                    "kind",
                    models.CharField(
                        choices=[("direct", "Direct"), ("indirect", "Indirect (reported speech)")],
                        default="direct",
                        max_length=10,
                    ),
                ),
                ("start", models.PositiveIntegerField()),
                ("end", models.PositiveIntegerField()),
                ("cue", models.CharField(blank=True, help_text='The attributing verb: "said", "added"', max_length=60)),
                ("confidence", models.FloatField(default=1.0, help_text="0-1; 1 for quotations an editor entered")),
                ("reviewed", models.BooleanField(default=False)),
                (
                    "status",
                    models.CharField(
                        choices=[("proposed", "Proposed"), ("accepted", "Accepted"), ("rejected", "Rejected")],
                        db_index=True,
                        default="accepted",
                        help_text="Proposals from automatic extraction wait for review; only accepted quotations are public",
                        max_length=10,
                    ),
                ),
            ],
            options={
                "ordering": ["speech", "start"],
            },
        ),
        migrations.CreateModel(
            name="QuotationCheckTask",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("quotation_id", models.PositiveIntegerField(db_index=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="RateLimitCounter",
            fields=[
                ("key", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("count", models.PositiveIntegerField(default=0)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name="Source",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("news", "News report"),
                            ("record", "Official record"),
                            ("corpus", "Research corpus"),
                            ("other", "Other"),
                        ],
                        default="news",
                        max_length=20,
                    ),
                ),
                ("publisher", models.CharField(max_length=200)),
                ("url", models.URLField(blank=True, max_length=1000)),
                ("title", models.CharField(blank=True, max_length=400)),
                ("published_on", models.DateField(blank=True, null=True)),
                (
                    "original_text",
                    models.TextField(help_text="The source text verbatim; quotation offsets point into it"),
                ),
                ("retrieved_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "text_hash",
                    models.CharField(
                        blank=True,
                        db_index=True,
                        editable=False,
                        help_text="source_text_hash(original_text)",
                        max_length=64,
                        null=True,
                    ),
                ),
            ],
            options={
                "ordering": ["-published_on", "publisher"],
            },
        ),
        migrations.CreateModel(
            name="Speaker",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(max_length=200)),
                (
                    "sort_name",
                    models.CharField(
                        blank=True,
                        help_text="Family name first, for A-Z lists; made from the name parts on save",
                        max_length=200,
                    ),
                ),
                (
                    "given_name",
                    models.CharField(blank=True, help_text='"Emmanuel" in "Emmanuel Macron"', max_length=100),
                ),
                (
                    "family_name",
                    models.CharField(
                        blank=True,
                        help_text='"Macron"; "Zhang" in "Zhang Jun" (family name first). Used by the A-Z list and citations.',
                        max_length=100,
                    ),
                ),
                ("slug", models.SlugField(max_length=200, unique=True)),
                ("honorific", models.CharField(blank=True, max_length=40)),
                (
                    "aliases",
                    models.JSONField(blank=True, default=list, help_text='Other spellings: "Zhang", "Jun Zhang"'),
                ),
                ("biography", models.TextField(blank=True, help_text="Rich text, sanitized on save")),
            ],
            options={
                "ordering": ["sort_name", "name"],
            },
        ),
        migrations.CreateModel(
            name="Alert",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "query",
                    models.CharField(
                        help_text="The search's query string, as the search page builds it", max_length=2000
                    ),
                ),
                ("label", models.CharField(max_length=500)),
                (
                    "frequency",
                    models.CharField(choices=[("daily", "Daily"), ("weekly", "Weekly")], default="daily", max_length=6),
                ),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                ("covered_until", models.DateTimeField(blank=True, null=True)),
                ("last_run_at", models.DateTimeField(blank=True, null=True)),
                (
                    "subscriber",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="alerts", to="archive.alertsubscriber"
                    ),
                ),
            ],
            options={
                "ordering": ["subscriber_id", "id"],
            },
        ),
        migrations.CreateModel(
            name="Body",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                ("short_name", models.CharField(blank=True, max_length=40)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                ("description", models.TextField(blank=True)),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="archive.body",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "bodies",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Event",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("title", models.CharField(max_length=400)),
                ("slug", models.SlugField(max_length=200, unique=True)),
                ("date", models.DateField()),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("general-debate", "General debate"),
                            ("open-debate", "Open debate"),
                            ("debate", "Debate"),
                            ("briefing", "Briefing"),
                            ("meeting", "Meeting"),
                            ("press", "Press conference or interview"),
                            ("other", "Other"),
                        ],
                        default="meeting",
                        max_length=20,
                    ),
                ),
                ("meeting_symbol", models.CharField(blank=True, help_text="e.g. S/PV.8700", max_length=40)),
                ("agenda_item", models.CharField(blank=True, max_length=400)),
                ("description", models.TextField(blank=True, help_text="Rich text, sanitized on save")),
                (
                    "date_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")], default="day", max_length=5
                    ),
                ),
                (
                    "body",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="events", to="archive.body"
                    ),
                ),
            ],
            options={
                "ordering": ["-date", "title"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSource",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("news", "News report"),
                            ("record", "Official record"),
                            ("corpus", "Research corpus"),
                            ("other", "Other"),
                        ],
                        default="news",
                        max_length=20,
                    ),
                ),
                ("publisher", models.CharField(max_length=200)),
                ("url", models.URLField(blank=True, max_length=1000)),
                ("title", models.CharField(blank=True, max_length=400)),
                ("published_on", models.DateField(blank=True, null=True)),
                (
                    "original_text",
                    models.TextField(help_text="The source text verbatim; quotation offsets point into it"),
                ),
                ("retrieved_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "text_hash",
                    models.CharField(
                        blank=True,
                        db_index=True,
                        editable=False,
                        help_text="source_text_hash(original_text)",
                        max_length=64,
                        null=True,
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical source",
                "verbose_name_plural": "historical sources",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSpeaker",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("name", models.CharField(max_length=200)),
                (
                    "sort_name",
                    models.CharField(
                        blank=True,
                        help_text="Family name first, for A-Z lists; made from the name parts on save",
                        max_length=200,
                    ),
                ),
                (
                    "given_name",
                    models.CharField(blank=True, help_text='"Emmanuel" in "Emmanuel Macron"', max_length=100),
                ),
                (
                    "family_name",
                    models.CharField(
                        blank=True,
                        help_text='"Macron"; "Zhang" in "Zhang Jun" (family name first). Used by the A-Z list and citations.',
                        max_length=100,
                    ),
                ),
                ("slug", models.SlugField(max_length=200)),
                ("honorific", models.CharField(blank=True, max_length=40)),
                (
                    "aliases",
                    models.JSONField(blank=True, default=list, help_text='Other spellings: "Zhang", "Jun Zhang"'),
                ),
                ("biography", models.TextField(blank=True, help_text="Rich text, sanitized on save")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical speaker",
                "verbose_name_plural": "historical speakers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalSpeech",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("role", models.CharField(blank=True, help_text="The speaker's role at the time", max_length=300)),
                (
                    "on_behalf_of",
                    models.CharField(blank=True, help_text='e.g. "the Group of 77 and China"', max_length=300),
                ),
                ("date", models.DateField()),
                (
                    "date_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")], default="day", max_length=5
                    ),
                ),
                (
                    "position",
                    models.PositiveIntegerField(blank=True, help_text="Speaking order within the event", null=True),
                ),
                ("language", models.CharField(default="en", help_text="Language of the text (BCP 47)", max_length=12)),
                (
                    "original_language",
                    models.CharField(blank=True, help_text="Language spoken, if different", max_length=12),
                ),
                ("title", models.CharField(blank=True, max_length=400)),
                (
                    "text",
                    models.TextField(
                        blank=True, help_text="The statement as plain text, paragraphs separated by blank lines"
                    ),
                ),
                ("notes", models.TextField(blank=True, help_text="Editor's notes (rich text, sanitized on save)")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        db_index=True,
                        default="draft",
                        max_length=10,
                    ),
                ),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                (
                    "external_id",
                    models.CharField(
                        blank=True, help_text="Identifier in an imported corpus, e.g. UNGDC:CHN_75_2020", max_length=120
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "country",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.country",
                        verbose_name="delegation",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.event",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "speaker",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.speaker",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical statement",
                "verbose_name_plural": "historical statements",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="IndexTask",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("model", models.CharField(max_length=60)),
                ("object_id", models.CharField(max_length=40)),
                ("action", models.CharField(choices=[("update", "Update"), ("delete", "Delete")], max_length=10)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("last_error", models.TextField(blank=True)),
            ],
            options={
                "ordering": ["id"],
                "indexes": [models.Index(fields=["model", "object_id"], name="archive_ind_model_ac392f_idx")],
            },
        ),
        migrations.CreateModel(
            name="QuotationCheck",
            fields=[
                (
                    "quotation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="quote_check",
                        serialize=False,
                        to="archive.quotation",
                    ),
                ),
                (
                    "verdict",
                    models.CharField(
                        choices=[
                            ("verbatim", "Verbatim"),
                            ("altered", "Altered"),
                            ("translation-differs", "Translation differs"),
                            ("not-found", "Not in the record"),
                            ("no-record", "No official record to check against"),
                            ("other-language", "Record in another language"),
                        ],
                        db_index=True,
                        max_length=20,
                    ),
                ),
                (
                    "score",
                    models.FloatField(default=0.0, help_text="0-1 word-level similarity with the record passage"),
                ),
                ("record_label", models.CharField(blank=True, max_length=300)),
                (
                    "record_start",
                    models.PositiveIntegerField(blank=True, help_text="Passage offsets in the record", null=True),
                ),
                ("record_end", models.PositiveIntegerField(blank=True, null=True)),
                ("passage", models.TextField(blank=True)),
                ("differences", models.JSONField(blank=True, default=list)),
                ("quotation_text", models.TextField(blank=True, help_text="The quotation's text when checked")),
                ("method", models.CharField(blank=True, max_length=40)),
                ("checked_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name="quotation",
            name="source",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="quotations",
                to="archive.source",
            ),
        ),
        migrations.AddField(
            model_name="quotation",
            name="speaker",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="quotations", to="archive.speaker"
            ),
        ),
        migrations.CreateModel(
            name="SpeakerRedirect",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("old_slug", models.SlugField(max_length=200, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "speaker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="redirects", to="archive.speaker"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Speech",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("role", models.CharField(blank=True, help_text="The speaker's role at the time", max_length=300)),
                (
                    "on_behalf_of",
                    models.CharField(blank=True, help_text='e.g. "the Group of 77 and China"', max_length=300),
                ),
                ("date", models.DateField()),
                (
                    "date_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")], default="day", max_length=5
                    ),
                ),
                (
                    "position",
                    models.PositiveIntegerField(blank=True, help_text="Speaking order within the event", null=True),
                ),
                ("language", models.CharField(default="en", help_text="Language of the text (BCP 47)", max_length=12)),
                (
                    "original_language",
                    models.CharField(blank=True, help_text="Language spoken, if different", max_length=12),
                ),
                ("title", models.CharField(blank=True, max_length=400)),
                (
                    "text",
                    models.TextField(
                        blank=True, help_text="The statement as plain text, paragraphs separated by blank lines"
                    ),
                ),
                ("notes", models.TextField(blank=True, help_text="Editor's notes (rich text, sanitized on save)")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draft"), ("published", "Published")],
                        db_index=True,
                        default="draft",
                        max_length=10,
                    ),
                ),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                (
                    "external_id",
                    models.CharField(
                        blank=True, help_text="Identifier in an imported corpus, e.g. UNGDC:CHN_75_2020", max_length=120
                    ),
                ),
                (
                    "country",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="speeches",
                        to="archive.country",
                        verbose_name="delegation",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="speeches",
                        to="archive.event",
                    ),
                ),
                ("instruments", models.ManyToManyField(blank=True, related_name="speeches", to="archive.instrument")),
                ("sources", models.ManyToManyField(blank=True, related_name="speeches", to="archive.source")),
                (
                    "speaker",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="speeches", to="archive.speaker"
                    ),
                ),
            ],
            options={
                "verbose_name": "statement",
                "verbose_name_plural": "statements",
                "ordering": ["-date", "position", "id"],
            },
        ),
        migrations.AddField(
            model_name="quotation",
            name="speech",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="quotations", to="archive.speech"
            ),
        ),
        migrations.CreateModel(
            name="OfficialTranscript",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "language",
                    models.CharField(default="en", help_text="Language of the transcript (BCP 47)", max_length=12),
                ),
                (
                    "delivered_in",
                    models.CharField(
                        blank=True, help_text="Language the speech was delivered in, if different", max_length=12
                    ),
                ),
                (
                    "speakers_own",
                    models.BooleanField(
                        default=True,
                        help_text="Published by the speaker or their government or mission (their own words)",
                    ),
                ),
                (
                    "source",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="official_transcript",
                        to="archive.source",
                    ),
                ),
                (
                    "speech",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="official_transcripts",
                        to="archive.speech",
                    ),
                ),
            ],
            options={
                "ordering": ["speech", "-speakers_own", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSpeech_sources",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="archive.historicalspeech",
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.source",
                    ),
                ),
                (
                    "speech",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.speech",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalSpeech_sources",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalQuotation",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("text", models.TextField()),
                (
                    "kind",
                    models.CharField(
                        choices=[("direct", "Direct"), ("indirect", "Indirect (reported speech)")],
                        default="direct",
                        max_length=10,
                    ),
                ),
                ("start", models.PositiveIntegerField()),
                ("end", models.PositiveIntegerField()),
                ("cue", models.CharField(blank=True, help_text='The attributing verb: "said", "added"', max_length=60)),
                ("confidence", models.FloatField(default=1.0, help_text="0-1; 1 for quotations an editor entered")),
                ("reviewed", models.BooleanField(default=False)),
                (
                    "status",
                    models.CharField(
                        choices=[("proposed", "Proposed"), ("accepted", "Accepted"), ("rejected", "Rejected")],
                        db_index=True,
                        default="accepted",
                        help_text="Proposals from automatic extraction wait for review; only accepted quotations are public",
                        max_length=10,
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.source",
                    ),
                ),
                (
                    "speaker",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.speaker",
                    ),
                ),
                (
                    "speech",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.speech",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical quotation",
                "verbose_name_plural": "historical quotations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="AlertDelivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sent_at", models.DateTimeField()),
                (
                    "alert",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="deliveries",
                        to="archive.alert",
                    ),
                ),
                (
                    "subscriber",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="archive.alertsubscriber",
                    ),
                ),
                (
                    "speech",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="archive.speech"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Topic",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=120)),
                ("slug", models.SlugField(max_length=120, unique=True)),
                ("description", models.TextField(blank=True)),
                (
                    "keywords",
                    models.JSONField(blank=True, default=list, help_text="Words and phrases that suggest this topic"),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="children",
                        to="archive.topic",
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="speech",
            name="topics",
            field=models.ManyToManyField(blank=True, related_name="speeches", to="archive.topic"),
        ),
        migrations.CreateModel(
            name="HistoricalSpeech_topics",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="archive.historicalspeech",
                    ),
                ),
                (
                    "speech",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.speech",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="archive.topic",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalSpeech_topics",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="TopicAssignment",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "method",
                    models.CharField(default="rules-v1", help_text="Which rules, and their version", max_length=40),
                ),
                ("score", models.FloatField(help_text="The rules' weighted count of the topic's phrases in the text")),
                ("evidence", models.JSONField(blank=True, default=dict, help_text="The phrases found and how often")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("machine", "Assigned by the rules"),
                            ("confirmed", "Confirmed by an editor"),
                            ("removed", "Removed by an editor"),
                        ],
                        db_index=True,
                        default="machine",
                        max_length=10,
                    ),
                ),
                (
                    "speech",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="topic_assignments",
                        to="archive.speech",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="assignments", to="archive.topic"
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(
                fields=["frequency", "confirmed_at", "subscriber"], name="archive_ale_frequen_c411d0_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(
                fields=("subscriber", "query"), name="alert_unique_query_per_subscriber"
            ),
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.CheckConstraint(
                condition=models.Q(("frequency__in", ["daily", "weekly"])), name="alert_frequency_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.CheckConstraint(
                condition=models.Q(("confirmed_at__isnull", True), ("covered_until__isnull", False), _connector="OR"),
                name="alert_confirmed_has_cursor",
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["date"], name="archive_eve_date_3c5069_idx"),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.UniqueConstraint(
                condition=models.Q(("meeting_symbol", ""), _negated=True),
                fields=("meeting_symbol",),
                name="event_unique_meeting_symbol",
            ),
        ),
        migrations.AddField(
            model_name="quotationcheck",
            name="record_source",
            field=models.ForeignKey(
                blank=True,
                help_text="The transcript used",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="archive.source",
            ),
        ),
        migrations.AddField(
            model_name="quotationcheck",
            name="record_speech",
            field=models.ForeignKey(
                blank=True,
                help_text="Whose record was used",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="archive.speech",
            ),
        ),
        migrations.AddConstraint(
            model_name="quotation",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__gte", models.F("start"))), name="quotation_end_after_start"
            ),
        ),
        migrations.AddConstraint(
            model_name="quotation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "end",
                        django.db.models.expressions.CombinedExpression(
                            models.F("start"), "+", django.db.models.functions.text.Length("text")
                        ),
                    )
                ),
                name="quotation_span_matches_text_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="quotation",
            constraint=models.CheckConstraint(
                condition=models.Q(("confidence__gte", 0), ("confidence__lte", 1)), name="quotation_confidence_0_1"
            ),
        ),
        migrations.AddConstraint(
            model_name="quotation",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["direct", "indirect"])), name="quotation_kind_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="quotation",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["proposed", "accepted", "rejected"])), name="quotation_status_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="alertdelivery",
            constraint=models.UniqueConstraint(fields=("subscriber", "speech"), name="alert_delivery_once_per_address"),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(fields=["status", "-date"], name="archive_spe_status_b4dc52_idx"),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(fields=["speaker", "-date"], name="archive_spe_speaker_77ddac_idx"),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(fields=["country", "-date"], name="archive_spe_country_90f351_idx"),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(fields=["event", "position"], name="archive_spe_event_i_19ad91_idx"),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["country", "status", "published_at", "date", "speaker", "event", "language"],
                name="speech_browse_country",
            ),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["speaker", "status", "published_at", "date", "country", "event", "language"],
                name="speech_browse_speaker",
            ),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["event", "status", "published_at", "date", "speaker", "country", "language"],
                name="speech_browse_event",
            ),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["status", "published_at", "date", "date_precision", "speaker", "country", "event", "language"],
                name="speech_browse_date",
            ),
        ),
        migrations.AddIndex(
            model_name="speech",
            index=models.Index(
                fields=["id", "status", "published_at", "date", "speaker", "country", "event", "language"],
                name="speech_browse_id",
            ),
        ),
        migrations.AddConstraint(
            model_name="speech",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "draft"), ("published_at__isnull", False), _connector="OR"),
                name="speech_published_has_published_at",
            ),
        ),
        migrations.AddConstraint(
            model_name="speech",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "published"])), name="speech_status_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="speech",
            constraint=models.CheckConstraint(
                condition=models.Q(("date_precision__in", ["day", "month", "year"])), name="speech_date_precision_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="speech",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("external_id",),
                name="speech_unique_external_id",
            ),
        ),
        migrations.AddConstraint(
            model_name="topicassignment",
            constraint=models.UniqueConstraint(fields=("speech", "topic"), name="topic_assignment_unique"),
        ),
        migrations.AddConstraint(
            model_name="topicassignment",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["machine", "confirmed", "removed"])),
                name="topic_assignment_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="quotationcheck",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "verdict__in",
                        ["verbatim", "altered", "translation-differs", "not-found", "no-record", "other-language"],
                    )
                ),
                name="quotation_check_verdict_valid",
            ),
        ),
        migrations.RunPython(reference.load_countries, migrations.RunPython.noop),
        migrations.RunPython(reference.load_vocabularies, migrations.RunPython.noop),
        migrations.RunPython(reference.create_editors_group, migrations.RunPython.noop),
        migrations.RunPython(integrity.create_triggers, integrity.drop_triggers),
    ]
