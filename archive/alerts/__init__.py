"""Email alerts: follow a search (a speaker, a country, a body and a topic are searches with one
filter) and get the statements published since in a daily or weekly digest.

- ``alert_subscribe`` asks for an alert and mails a confirmation link (double opt-in): nothing is
  sent before ``alert_confirm``. Whatever the address's state, the requester sees the same answer.
- ``send_digests`` sends each confirmed address one email per frequency. What an alert matches is
  decided by the search layer (``archive.search.search_objects`` over ``Speech.objects.published()``),
  never by a query of its own. The statements sent are recorded in the transaction that advances the
  alerts, after the SMTP server accepted the mail, so a crash or a re-run never sends a statement to
  an address twice (``AlertDelivery`` is unique per address and statement) nor skips one.
- Links are signed (``django.core.signing``): confirmation links expire, unsubscribe links do not.
  Every link is built from ``settings.SITE_URL``, never from a request's Host header.

Subscribing is ``archive.alerts.subscriptions``; sending is ``archive.alerts.digests``.
"""
