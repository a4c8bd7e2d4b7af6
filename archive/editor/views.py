"""Editors' screens for adding a statement from a news report. Thin: forms validate, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from archive import services
from archive.editor.forms import (
    AcceptAboveForm,
    MetadataForm,
    NewQuotationForm,
    NewsReportForm,
    QuotationReviewForm,
)
from archive.ingest import dates, news, news_duplicates
from archive.models import Quotation, Source, Speech


def _drafts():
    return (
        Speech.objects.drafts()
        .filter(sources__kind=Source.Kind.NEWS, quotations__status=Quotation.Status.PROPOSED)
        .distinct()
        .select_related("speaker")
        .order_by("-created_at")[:20]
    )


@never_cache
@login_required
@permission_required("archive.add_speech", raise_exception=True)
@require_http_methods(["GET", "POST"])
def news_add(request):
    form = NewsReportForm(request.POST or None, request.FILES or None)
    existing = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = news.propose(data["report_text"], published=data["published_on"])
            existing = news_duplicates.find_existing(proposal, url=data["url"])
            choice = data["on_duplicate"]
            attach_to = {f"attach-{e.speech.pk}": e.speech for e in existing}.get(choice)
            if existing and attach_to is None and choice != "new":
                # Nothing is saved yet: the editor chooses between attaching and a new draft.
                return _offer_attach(request, form, data, existing)
            if attach_to is not None:
                speech, added = services.news_source_attach(
                    proposal=proposal,
                    speech=attach_to,
                    publisher=data["publisher"],
                    url=data["url"],
                    title=data["title"],
                    published_on=data["published_on"],
                    editor=request.user,
                )
                speeches = [speech]
            else:
                speeches = services.news_drafts_create(
                    proposal=proposal,
                    publisher=data["publisher"],
                    url=data["url"],
                    title=data["title"],
                    published_on=data["published_on"],
                    speaker_name=data["speaker_name"],
                    editor=request.user,
                )
        except news.ProposalError as error:
            form.add_error("text", str(error))
        except ValidationError as error:
            for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error)]:
                form.add_error(field if field in form.fields else None, errors)
        else:
            return _saved(request, data, proposal, speeches, attached=added if attach_to is not None else None)
    status = 400 if request.method == "POST" else 200
    return render(request, "editor/news_add.html", {"form": form, "drafts": _drafts()}, status=status)


def _saved(request, data, proposal, speeches, *, attached=None):
    """Tell the editor what was saved (``attached``: quotations added to an existing statement), then
    open the first statement's review screen."""
    if data["converted_from_html"]:
        messages.info(request, "The report was HTML: it was reduced to plain text (scripts and markup dropped).")
    if attached is not None:
        messages.success(
            request,
            f"The report is now a source of this statement: {attached} new quotation(s) proposed for review; "
            "quotations it already had were not added again.",
        )
        return redirect("editor-news-review", pk=speeches[0].pk)
    for warning in proposal.warnings:
        messages.warning(request, warning)
    direct, indirect = len(proposal.direct), len(proposal.indirect)
    messages.success(request, f"Draft saved: {direct} direct and {indirect} reported quotation(s) proposed for review.")
    if len(speeches) > 1:
        names = ", ".join(s.speaker.name for s in speeches)
        messages.info(request, f"{len(speeches)} draft statements, one per speaker quoted: {names}.")
    return redirect("editor-news-review", pk=speeches[0].pk)


def _offer_attach(request, form, data, existing):
    """The report repeats statements already in the archive: offer to attach it to one of them."""
    values = form.data.copy()
    # An upload is not sent again: its text (already reduced to plain text) goes in the text box.
    values["text"] = data["report_text"]
    values.pop("upload", None)
    values["on_duplicate"] = ""
    form = NewsReportForm(values)
    return render(
        request,
        "editor/news_add.html",
        {"form": form, "existing": existing, "drafts": _drafts()},
        status=200,
    )


def highlighted_segments(text, quotations):
    """The source text cut at every quotation boundary: [(text, quotation or None)]; escaped by the template."""
    bounds = {0, len(text)}
    for q in quotations:
        bounds.update((q.start, q.end))
    points = sorted(b for b in bounds if 0 <= b <= len(text))
    segments = []
    for start, end in zip(points, points[1:], strict=False):
        covering = next((q for q in quotations if q.start <= start and end <= q.end), None)
        segments.append((text[start:end], covering))
    return segments


@never_cache
@login_required
@permission_required("archive.change_speech", raise_exception=True)
@require_http_methods(["GET", "POST"])
def news_review(request, pk):
    speech = get_object_or_404(Speech.objects.select_related("speaker", "country", "event", "event__body"), pk=pk)
    source = speech.sources.filter(kind=Source.Kind.NEWS).first()
    quotations = list(speech.quotations.select_related("speaker", "source", "quote_check").order_by("start", "id"))
    data = request.POST if request.method == "POST" else None
    detected_body = news.find_body_and_event(source.original_text)[0] if source and not speech.event_id else None
    meta = MetadataForm(data, prefix="meta", speech=speech, detected_body=detected_body)
    forms = [QuotationReviewForm(data, quotation=q) for q in quotations]
    accept_all = request.method == "POST" and request.POST.get("action") == "accept-above"
    accept_form = AcceptAboveForm(data if accept_all else None, prefix="accept")
    new_form = NewQuotationForm(
        data,
        prefix="new",
        length=len(source.original_text) if source else len(speech.text),
        speaker_name=speech.speaker.name,
    )
    status = 200
    if request.method == "POST":
        valid = meta.is_valid() and all(f.is_valid() for f in forms) and new_form.is_valid()
        if accept_all:
            valid = accept_form.is_valid() and valid
        if valid:
            try:
                with transaction.atomic():
                    moved = services.news_review_save(
                        speech=speech,
                        metadata=meta.cleaned_data,
                        decisions=[(f.quotation, f.cleaned_data) for f in forms],
                        editor=request.user,
                        accept_above=accept_form.cleaned_data["threshold"] if accept_all else None,
                        new_quotation=new_form.cleaned_data if new_form.wanted else None,
                    )
            except ValidationError as error:
                meta.add_error(None, error)
            else:
                messages.success(request, "Review saved.")
                for quotation in moved:
                    messages.info(
                        request,
                        f"A quotation moved to {quotation.speaker.name}'s statement from this report "
                        f"(#{quotation.speech_id}): review it there.",
                    )
                return redirect("editor-news-review", pk=speech.pk)
        status = 400
    context = _review_context(speech, source, quotations, forms, meta=meta, accept_form=accept_form, new_form=new_form)
    if status == 400:
        context["error_summary"] = _error_summary(meta, forms, accept_form, new_form)
    return render(request, "editor/news_review.html", context, status=status)


def _review_context(speech, source, quotations, forms, *, meta, accept_form, new_form):
    """The review screen: each quotation with its form and a little context, the report highlighted."""
    siblings = (
        Speech.objects.filter(sources=source).exclude(pk=speech.pk).select_related("speaker", "country")
        if source
        else Speech.objects.none()
    )
    context_size = 60
    rows = []
    for quotation, form in zip(quotations, forms, strict=True):
        text = quotation.context_text
        rows.append(
            {
                "quotation": quotation,
                "form": form,
                "before": text[max(0, quotation.start - context_size) : quotation.start],
                "after": text[quotation.end : quotation.end + context_size],
            }
        )
    return {
        "date_evidence": dates.statement_date(source.original_text, source.published_on)
        if source and source.published_on
        else None,
        "speech": speech,
        "source": source,
        "siblings": list(siblings.order_by("pk")),
        "meta": meta,
        "accept_form": accept_form,
        "new_form": new_form,
        "rows": rows,
        "error_summary": [],
        # The whole report is highlighted: other speakers' quotations too, marked as in their statements.
        "segments": highlighted_segments(
            source.original_text, list(source.quotations.select_related("speaker").order_by("start", "id"))
        )
        if source
        else [],
        "pending": sum(1 for q in quotations if q.status == Quotation.Status.PROPOSED),
    }


def _error_summary(meta, forms, accept_form, new_form):
    """[(message, anchor)] for the summary at the top of a refused review: each links to its field."""
    summary = []
    for form, where in [(meta, "Statement"), (accept_form, "Accept all"), (new_form, "New quotation")] + [
        (f, f"Quotation {n}") for n, f in enumerate(forms, 1)
    ]:
        if not form.is_bound:
            continue
        for name, errors in form.errors.items():
            if name == "__all__":
                anchor = f"quotation-{form.quotation.pk}" if hasattr(form, "quotation") else "review-form"
                if form is new_form:
                    anchor = "new-quotation"
                label = where
            else:
                anchor = form[name].id_for_label or form[name].auto_id
                label = f"{where}: {form.fields[name].label or name.replace('_', ' ').capitalize()}"
            for error in errors:
                summary.append((f"{label} - {error}", anchor))
    return summary


@login_required
@permission_required("archive.change_speech", raise_exception=True)
@require_POST
def news_publish(request, pk):
    speech = get_object_or_404(Speech, pk=pk)
    try:
        services.speech_publish(speech=speech, editor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("editor-news-review", pk=speech.pk)
    messages.success(request, "Published: the statement and its accepted quotations are now public.")
    return redirect(speech.get_absolute_url())
