"""Editors' screen for adding an official transcript to a statement (issue 13). Thin: the form
validates, ``services.official_transcript_add`` writes; the checks it calls for run in the worker,
and at most a few run here so the editor sees verdicts at once."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from archive import sanitize, services
from archive.models import QuotationCheckTask, Speech

IN_REQUEST = 5  # checks run in the request itself, at most; the rest wait for the worker


class TranscriptForm(forms.Form):
    publisher = forms.CharField(max_length=200, help_text="e.g. Permanent Mission of China to the UN")
    url = forms.URLField(required=False, max_length=1000, assume_scheme="https")
    title = forms.CharField(required=False, max_length=400)
    published_on = forms.DateField(required=False, help_text="YYYY-MM-DD")
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}), required=False, help_text="Paste the text")
    upload = forms.FileField(required=False, help_text="or upload a .txt or .html file")
    language = forms.CharField(max_length=12, initial="en", help_text="Language of the transcript (en, fr, ...)")
    delivered_in = forms.CharField(
        max_length=12, required=False, help_text="Language the speech was delivered in, if different"
    )
    speakers_own = forms.BooleanField(
        required=False, initial=True, label="The speaker's own text (published by their mission or government)"
    )

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload:
            if upload.size > 5_000_000:
                raise ValidationError({"upload": "The file is over 5 MB."})
            raw = upload.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError({"upload": "The file is not UTF-8 text."}) from None
            if upload.name.lower().endswith((".html", ".htm")):
                text = sanitize.html_to_text(text)
            data["text"] = text
        if not (data.get("text") or "").strip():
            raise ValidationError({"text": "Paste the transcript or upload a file."})
        return data


@never_cache
@login_required
@permission_required("archive.change_speech", raise_exception=True)
@require_http_methods(["GET", "POST"])
def transcript_add(request, pk):
    speech = get_object_or_404(Speech.objects.select_related("speaker"), pk=pk)
    form = TranscriptForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.official_transcript_add(
                speech=speech,
                text=data["text"],
                publisher=data["publisher"],
                url=data["url"],
                title=data["title"],
                published_on=data["published_on"],
                language=data["language"],
                delivered_in=data["delivered_in"],
                speakers_own=data["speakers_own"],
                editor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            queued = list(QuotationCheckTask.objects.order_by("id").values_list("quotation_id", flat=True)[:IN_REQUEST])
            if queued:
                services.quotations_check(quotation_ids=queued)
                QuotationCheckTask.objects.filter(quotation_id__in=queued).delete()
            messages.success(request, "Official transcript added; the quotations are being checked against it.")
            return redirect(speech.get_absolute_url())
    return render(request, "editor/transcript_add.html", {"form": form, "speech": speech})
