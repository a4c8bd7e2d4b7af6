"""Editors work here: the Django admin, with autocomplete, inlines, history and publish actions."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

from archive import services
from archive.models import Body, Country, Event, Instrument, Quotation, Source, Speaker, Speech, Topic, TopicAssignment
from archive.search import outbox


class _ValidIdsOnly:
    """Draw only the selected ids that can be ids: Django 5.2 looks every posted value up in the
    database to draw the widget, and a non-numeric one raised ValueError (a 500) instead of letting
    the form say "Select a valid choice"."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        valid = []
        for item in value:
            try:
                target.get_prep_value(target.to_python(item))
            except (ValidationError, ValueError, TypeError):
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidIdsOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidIdsOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteMixin:
    """Every admin and inline of the archive: autocomplete widgets that survive a malformed id."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.site_header = "Statements Archive - editors"
admin.site.site_title = "Statements Archive"
admin.site.index_title = "Editing"


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "status"]
    list_filter = ["status"]
    search_fields = ["name", "code", "demonym"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Body)
class BodyAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "parent"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "symbol", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "symbol"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sort_name", "honorific"]
    search_fields = ["name", "sort_name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    # The sort name is made from the family and given names: editors correct those.
    readonly_fields = ["sort_name"]
    actions = ["merge"]

    @admin.action(description="Merge selected speakers into one", permissions=["change"])
    def merge(self, request, queryset):
        """Two steps: choose which speaker to keep (a confirmation page), then merge the others into it."""
        speakers = list(queryset.annotate(speech_count=Count("speeches")).order_by("-speech_count", "pk"))
        if len(speakers) < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.WARNING)
            return None
        keep_pk = request.POST.get("keep")
        if "confirm" in request.POST and keep_pk:
            keep = next((s for s in speakers if str(s.pk) == keep_pk), None)
            if keep is None:
                self.message_user(request, "Choose one of the selected speakers to keep.", messages.ERROR)
                return None
            for duplicate in speakers:
                if duplicate.pk != keep.pk:
                    services.speaker_merge(keep=keep, duplicate=duplicate, editor=request.user)
            self.message_user(request, f"Merged {len(speakers) - 1} speaker(s) into {keep.name}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge speakers",
            "opts": self.model._meta,
            "speakers": speakers,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/archive/speaker/merge.html", context)


@admin.register(Event)
class EventAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["title", "date", "body", "kind", "meeting_symbol"]
    list_filter = ["kind", "body", ("date", admin.DateFieldListFilter)]
    search_fields = ["title", "meeting_symbol", "agenda_item"]
    autocomplete_fields = ["body"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["publisher", "title", "published_on", "kind"]
    list_filter = ["kind", "publisher"]
    search_fields = ["publisher", "title", "url"]

    def get_readonly_fields(self, request, obj=None):
        # The original text is evidence: entered once, never edited.
        return ["original_text"] if obj is not None else []


class QuotationInlineForm(forms.ModelForm):
    """Offsets are optional for editors: found from the text when left blank."""

    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)

    class Meta:
        model = Quotation
        fields = ["text", "speaker", "kind", "source", "start", "end", "cue", "confidence", "reviewed"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, parent_speech=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Blank means the statement's speaker. The field keeps the admin's autocomplete widget: a
        # plain select would list every speaker (thousands) once per inline quotation.
        if "speaker" in self.fields:
            self.fields["speaker"].required = False
        # On "add", the speech is not saved yet: the formset hands over the unsaved instance.
        self.parent_speech = parent_speech

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("text")
        if not text:
            return cleaned
        speech = self.parent_speech
        source = cleaned.get("source")
        context = Quotation.text_of(source=source, speech=speech)
        try:
            start, end = services.quotation_locate(text=text, context=context, start=cleaned.get("start"))
        except ValidationError:
            where = "its source's text" if source else "the statement's text"
            raise ValidationError({"text": f"This quotation does not appear word for word in {where}."}) from None
        cleaned["start"], cleaned["end"] = start, end
        self.instance.start, self.instance.end = start, end
        if cleaned.get("speaker") is None and speech is not None and speech.speaker_id:
            cleaned["speaker"] = speech.speaker
            self.instance.speaker = speech.speaker
        if cleaned.get("speaker") is None:
            raise ValidationError({"speaker": "Choose who said this."})
        return cleaned


class QuotationInlineFormSet(forms.BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "parent_speech": self.instance}


class QuotationInline(SafeAutocompleteMixin, admin.StackedInline):
    model = Quotation
    form = QuotationInlineForm
    formset = QuotationInlineFormSet
    extra = 1
    autocomplete_fields = ["source", "speaker"]
    fields = [("text",), ("speaker", "kind", "cue"), ("source", "start", "end"), ("confidence", "reviewed")]


@admin.register(Speech)
class SpeechAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["display_title", "speaker", "country", "date", "status"]
    list_filter = [
        "status",
        ("country", admin.RelatedOnlyFieldListFilter),
        ("event__body", admin.RelatedOnlyFieldListFilter),
        ("topics", admin.RelatedOnlyFieldListFilter),
        ("date", admin.DateFieldListFilter),
        "language",
    ]
    list_select_related = ["speaker", "country", "event"]
    search_fields = ["title", "text", "speaker__name", "event__title", "event__meeting_symbol"]
    autocomplete_fields = ["speaker", "event", "country", "topics", "sources", "instruments"]
    date_hierarchy = "date"
    inlines = [QuotationInline]
    readonly_fields = ["status", "published_at", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["speaker", "role", "country", "on_behalf_of", "event", "position"]}),
        ("Statement", {"fields": ["title", "date", "date_precision", "language", "original_language", "text"]}),
        ("Classification and sources", {"fields": ["topics", "instruments", "sources", "notes", "external_id"]}),
        ("Publication", {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description="Statement")
    def display_title(self, obj):
        return obj.display_title

    def has_delete_permission(self, request, obj=None):
        # A published statement is withdrawn by unpublishing, never deleted.
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Publish selected statements", permissions=["change"])
    def publish(self, request, queryset):
        self._run_service(request, queryset, services.speech_publish, "published")

    @admin.action(description="Unpublish selected statements", permissions=["change"])
    def unpublish(self, request, queryset):
        self._run_service(request, queryset, services.speech_unpublish, "unpublished")

    def _run_service(self, request, queryset, service, verb):
        done, failed = 0, []
        for speech in queryset:
            try:
                service(speech=speech, editor=request.user)
                done += 1
            except ValidationError as error:
                failed.append(f"{speech}: {'; '.join(error.messages)}")
        if done:
            self.message_user(request, f"{done} statement(s) {verb}.", messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    # Search index: every save and delete records its index work in the same transaction.
    def save_related(self, request, form, formsets, change):
        before = set(form.instance.quotations.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        outbox.enqueue(outbox.SPEECH, [form.instance.pk])
        outbox.enqueue(outbox.QUOTATION, sorted(before | set(form.instance.quotations.values_list("pk", flat=True))))

    def delete_model(self, request, obj):
        with transaction.atomic():
            services.speech_delete(speech=obj, editor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for speech in queryset:
                services.speech_delete(speech=speech, editor=request.user)


@admin.register(Quotation)
class QuotationAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "speech", "reviewed", "status", "confidence"]
    list_filter = ["kind", "reviewed", "status"]
    list_select_related = ["speaker", "speech", "speech__speaker", "speech__event"]
    search_fields = ["text", "speaker__name"]
    autocomplete_fields = ["speech", "speaker", "source"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A statement known only from quotations is searched by their text: re-index both.
        outbox.enqueue(outbox.QUOTATION, [obj.pk])
        outbox.enqueue(outbox.SPEECH, [obj.speech_id])

    def delete_model(self, request, obj):
        with transaction.atomic():
            outbox.enqueue(outbox.QUOTATION, [obj.pk], action="delete")
            outbox.enqueue(outbox.SPEECH, [obj.speech_id])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            rows = list(queryset.values_list("pk", "speech_id"))
            outbox.enqueue(outbox.QUOTATION, [pk for pk, _ in rows], action="delete")
            outbox.enqueue(outbox.SPEECH, sorted({speech for _, speech in rows}))
            super().delete_queryset(request, queryset)


@admin.register(TopicAssignment)
class TopicAssignmentAdmin(admin.ModelAdmin):
    """Topics the keyword rules gave: editors confirm or remove them (the rules then leave them be)."""

    list_display = ["speech", "topic", "score", "status", "method", "updated_at"]
    list_filter = ["status", ("topic", admin.RelatedOnlyFieldListFilter), "method"]
    list_select_related = ["speech__speaker", "speech__event", "topic"]
    search_fields = ["speech__title", "speech__speaker__name", "topic__name"]
    readonly_fields = ["speech", "topic", "method", "score", "evidence", "status", "created_at", "updated_at"]
    actions = ["confirm", "remove"]

    def has_add_permission(self, request):
        return False  # editors give topics on the statement itself

    def has_delete_permission(self, request, obj=None):
        return False  # "remove" keeps the record that an editor said no

    @admin.action(description="Confirm the selected topics", permissions=["change"])
    def confirm(self, request, queryset):
        for assignment in queryset:
            services.topic_assignment_confirm(assignment=assignment, editor=request.user)
        self.message_user(request, f"{queryset.count()} topic(s) confirmed.", messages.SUCCESS)

    @admin.action(description="Remove the selected topics from their statements", permissions=["change"])
    def remove(self, request, queryset):
        for assignment in queryset:
            services.topic_assignment_remove(assignment=assignment, editor=request.user)
        self.message_user(request, f"{queryset.count()} topic(s) removed.", messages.SUCCESS)
