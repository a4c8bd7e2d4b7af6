"""Alert pages: subscribe, confirm, unsubscribe (one click, RFC 8058) and manage. Thin views over
archive/alerts/subscriptions.py; every state change is a POST, so mail scanners that open links change nothing."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from archive.alerts import subscriptions
from archive.models import Alert, AlertSubscriber
from archive.ratelimit import over_limit, too_many_requests


class AlertForm(forms.Form):
    email = forms.EmailField(label="Your email address", max_length=254)
    frequency = forms.ChoiceField(
        choices=Alert.Frequency.choices, initial=Alert.Frequency.DAILY, widget=forms.RadioSelect
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


@require_http_methods(["GET", "HEAD", "POST"])
def alert_new(request):
    """GET: the form for the search in the query string. POST: the request (rate limited per client
    and per address); the answer is the same whether or not the address has alerts already."""
    if request.method == "POST":
        retry_after = over_limit(request, "alerts")
        if retry_after:
            return too_many_requests(retry_after)
        query, label = subscriptions.alert_search(subscriptions.query_params(request.POST.get("query", "")))
        form = AlertForm(request.POST)
    else:
        retry_after = over_limit(request, "search")  # the form reads the search to name it
        if retry_after:
            return too_many_requests(retry_after)
        query, label = subscriptions.alert_search(request.GET)
        form = AlertForm(initial={"query": query})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Over the per-address limit nothing is mailed, and the page says the same as ever.
        if not over_limit(request, "alerts_address", key=subscriptions.address_key(email), window_seconds=3600):
            subscriptions.alert_subscribe(
                email=email, query=query, label=label, frequency=form.cleaned_data["frequency"]
            )
        return render(request, "alerts/requested.html", {"label": label, "email": subscriptions.normalize_email(email)})
    status = 400 if request.method == "POST" else 200
    return render(request, "alerts/new.html", {"form": form, "label": label, "query": query}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def alert_confirm(request, token):
    """GET shows a button (link scanners must not confirm); POST confirms."""
    if request.method == "GET" or request.method == "HEAD":
        return render(request, "alerts/confirm.html", {"token": token})
    try:
        alert = subscriptions.alert_confirm(token=token)
    except subscriptions.AlertLinkError as error:
        return render(request, "alerts/link_error.html", {"error": error}, status=400)
    return render(
        request,
        "alerts/confirmed.html",
        {"alert": alert, "manage_url": subscriptions.manage_url(alert.subscriber)},
    )


# RFC 8058: mail providers POST "List-Unsubscribe=One-Click" without a session; the signed token authorises.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request, token):
    try:
        subscriber, found = subscriptions.alerts_for_unsubscribe_token(token)
    except subscriptions.AlertLinkError as error:
        return render(request, "alerts/link_error.html", {"error": error}, status=400)
    if request.method == "POST":
        labels = subscriptions.alert_unsubscribe(subscriber=subscriber, alerts=found) if subscriber else []
        return render(request, "alerts/unsubscribed.html", {"labels": labels})
    return render(request, "alerts/unsubscribe.html", {"alerts": found, "token": token})


def _manage(request, subscriber, template_context):
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            alert_id = int(request.POST.get("alert", ""))
        except ValueError:
            alert_id = None
        if action == "frequency" and alert_id:
            frequency = request.POST.get("frequency", "")
            if frequency in Alert.Frequency.values:
                subscriptions.alert_set_frequency(subscriber=subscriber, alert_id=alert_id, frequency=frequency)
        elif action == "delete" and alert_id:
            subscriptions.alert_unsubscribe(subscriber=subscriber, alerts=list(subscriber.alerts.filter(pk=alert_id)))
        elif action == "delete-all":
            subscriptions.alert_unsubscribe(subscriber=subscriber, alerts=list(subscriber.alerts.all()))
        return redirect(request.path)
    return render(
        request,
        "alerts/manage.html",
        {"subscriber": subscriber, "alerts": subscriber.alerts.order_by("id"), **template_context},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def alert_manage(request, token):
    try:
        subscriber = subscriptions.subscriber_for_manage_token(token)
    except subscriptions.AlertLinkError as error:
        return render(request, "alerts/link_error.html", {"error": error}, status=400)
    return _manage(request, subscriber, {})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def alert_manage_mine(request):
    """Signed-in editors manage the alerts of their account's address without a link."""
    if not request.user.is_staff:
        raise Http404("Only editors manage alerts from their account.")
    email = subscriptions.normalize_email(request.user.email)
    subscriber = AlertSubscriber.objects.filter(email=email).first() if email else None
    if subscriber is None:
        return render(request, "alerts/manage.html", {"subscriber": None, "alerts": [], "account_email": email})
    return _manage(request, subscriber, {"account_email": email})
