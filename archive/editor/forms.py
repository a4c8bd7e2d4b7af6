"""Forms for the news-report screens. They validate and read uploads; they never write."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from archive import sanitize
from archive.ingest import news
from archive.models import Body, Country, Event, Instrument, Quotation, Speech, Topic

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def read_upload(upload):
    """(text, was HTML) of an uploaded .txt or .html file, or a ValidationError saying why not."""
    name = (upload.name or "").lower()
    if not name.endswith((".txt", ".html", ".htm")):
        raise ValidationError("Upload a .txt or .html file.")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"The file is {upload.size:,} bytes; the limit is {MAX_UPLOAD_BYTES:,}.")
    try:
        return news.text_from_file(upload.read(MAX_UPLOAD_BYTES + 1), name)
    except news.ProposalError as error:
        raise ValidationError(str(error)) from error


class NewsReportForm(forms.Form):
    text = forms.CharField(
        label="Text of the report",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Paste the article, or upload it below.",
    )
    upload = forms.FileField(label="…or upload a .txt or .html file", required=False)
    publisher = forms.CharField(max_length=200)
    url = forms.URLField(label="URL", max_length=1000, required=False, assume_scheme="https")
    published_on = forms.DateField(
        label="Publication date", widget=forms.DateInput(attrs={"type": "date"}), help_text="YYYY-MM-DD"
    )
    title = forms.CharField(label="Headline", max_length=400, required=False)
    speaker_name = forms.CharField(
        label="Speaker", max_length=200, required=False, help_text="Only if the archive cannot tell who is speaking."
    )
    # Set on the second step when the report duplicates statements already in the archive:
    # "new" (create drafts anyway) or "attach-<statement id>" (add the report as another source).
    on_duplicate = forms.RegexField(regex=r"^(?:new|attach-\d+)?$", required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        upload, text = data.get("upload"), data.get("text") or ""
        if upload and text.strip():
            raise ValidationError("Paste the text or upload a file, not both.")
        if upload:
            try:
                text, converted = read_upload(upload)
            except ValidationError as error:
                self.add_error("upload", error)
                return data
        else:
            # Browsers send a textarea with CRLF line ends; otherwise the text is kept exactly as pasted.
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            converted = news.looks_like_html(text)
            if converted:
                try:
                    text = sanitize.html_to_text(text, max_chars=news.MAX_CHARS)
                except ValueError as error:
                    self.add_error("text", str(error))
                    return data
        try:
            news.check_text(text)
        except news.ProposalError as error:
            self.add_error("upload" if upload else "text", str(error))
            return data
        data["report_text"] = text
        data["converted_from_html"] = converted
        return data


class MetadataForm(forms.Form):
    speaker_name = forms.CharField(label="Speaker", max_length=200)
    role = forms.CharField(max_length=300, required=False)
    country = forms.ModelChoiceField(queryset=Country.objects.all(), required=False, label="Delegation")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    date_precision = forms.ChoiceField(choices=Speech.DatePrecision.choices)
    title = forms.CharField(max_length=400, required=False)
    body = forms.ModelChoiceField(
        queryset=Body.objects.all(),
        required=False,
        help_text="Without an event, the statement is filed under this body's meeting on its date.",
    )
    event = forms.ModelChoiceField(queryset=Event.objects.none(), required=False, help_text="Events within a month")
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    instruments = forms.ModelMultipleChoiceField(
        queryset=Instrument.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label="Refers to"
    )

    def __init__(self, *args, speech, detected_body=None, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "body": speech.event.body if speech.event_id else detected_body,
                "speaker_name": speech.speaker.name,
                "role": speech.role,
                "country": speech.country,
                "date": speech.date,
                "date_precision": speech.date_precision,
                "title": speech.title,
                "event": speech.event,
                "topics": list(speech.topics.all()),
                "instruments": list(speech.instruments.all()),
            },
        )
        super().__init__(*args, **kwargs)
        # Only nearby events are offered: the archive may hold thousands.
        month = datetime.timedelta(days=31)
        nearby = Q(date__range=(speech.date - month, speech.date + month))
        if speech.event_id:
            nearby |= Q(pk=speech.event_id)
        self.fields["event"].queryset = Event.objects.filter(nearby).select_related("body").order_by("-date")

    def clean(self):
        data = super().clean()
        body, event = data.get("body"), data.get("event")
        if body is not None and event is not None and event.body_id != body.pk:
            self.add_error(
                "body", f"The event chosen is a meeting of the {event.body.name}: choose that body or no body."
            )
        return data


class NewQuotationForm(forms.Form):
    """A quotation the extractor missed: its offsets (typed, or set by selecting the words)."""

    start = forms.IntegerField(min_value=0, required=False)
    end = forms.IntegerField(min_value=0, required=False)
    speaker_name = forms.CharField(label="Speaker", max_length=200, required=False)
    kind = forms.ChoiceField(choices=Quotation.Kind.choices, initial=Quotation.Kind.DIRECT, required=False)

    def __init__(self, *args, length, speaker_name, **kwargs):
        self.length = length
        kwargs.setdefault("initial", {"speaker_name": speaker_name, "kind": Quotation.Kind.DIRECT})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        data["kind"] = data.get("kind") or Quotation.Kind.DIRECT
        if start is None and end is None:
            return data
        if start is None or end is None or not (start < end <= self.length):
            raise ValidationError(f"A new quotation needs a start and an end with start < end ≤ {self.length}.")
        return data

    @property
    def wanted(self):
        return self.is_bound and self.is_valid() and self.cleaned_data.get("start") is not None


class AcceptAboveForm(forms.Form):
    """ "Accept all above confidence X": the quotations still undecided after the editor's own choices."""

    threshold = forms.FloatField(
        label="Accept every undecided quotation with confidence at least",
        min_value=0,
        max_value=1,
        initial=0.8,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )


class QuotationReviewForm(forms.Form):
    DECISIONS = [("proposed", "Undecided"), ("accepted", "Accept"), ("rejected", "Reject")]

    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    speaker_name = forms.CharField(label="Speaker", max_length=200)

    def __init__(self, *args, quotation, **kwargs):
        self.quotation = quotation
        kwargs.setdefault("prefix", f"q{quotation.pk}")
        kwargs.setdefault(
            "initial",
            {
                "decision": quotation.status,
                "start": quotation.start,
                "end": quotation.end,
                "speaker_name": quotation.speaker.name,
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        length = len(self.quotation.context_text)
        if start is not None and end is not None and not (start < end <= length):
            raise ValidationError(f"The span must satisfy start < end ≤ {length} (the length of the source text).")
        if data.get("decision") == Quotation.Status.PROPOSED and self.quotation.status != Quotation.Status.PROPOSED:
            raise ValidationError("A reviewed quotation cannot go back to undecided.")
        return data
