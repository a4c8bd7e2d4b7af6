"""Response headers that Django 5.2 does not set by itself, and clear answers when a part is down."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from archive.clientip import client_address
from archive.search import engine as search_engine

logger = logging.getLogger(__name__)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


class ServiceUnavailableMiddleware:
    """When a part the site depends on is down, answer 503 with a clear page, never a traceback.

    Requests go on failing fast while the part is down, and succeed again as soon as it is back:
    Django opens a new database connection for the next request.
    """

    RETRY_AFTER_SECONDS = 10

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        part = unavailable_part(exception)
        if part is None:
            return None
        # A search-engine error keeps its traceback in the log: if it is a bug after all, it shows.
        traceback = exception if raised_by_search_engine(exception) else None
        logger.error(
            "%s unavailable while serving %s to %s: %s",
            part,
            request.path,
            client_address(request),
            exception,
            exc_info=traceback,
        )
        # No request context: the session and the user live in the database that may be down.
        response = HttpResponse(render_to_string("503.html", {"part": part}), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def unavailable_part(exception):
    """Name the part that is down, or None if the exception is an ordinary bug."""
    if isinstance(exception, OperationalError | InterfaceError):
        return "The database"
    for cls in type(exception).__mro__:
        if getattr(cls, "unavailable_part", None):
            return cls.unavailable_part
    if search_engine.unavailable(exception):
        return "The search index"
    return None


def raised_by_search_engine(exception):
    """True when the search engine's own code raised ``exception`` (each engine knows its own:
    ``IndexEngine.raised_by_engine``); such errors keep their traceback in the log."""
    return search_engine.raised_by_search_engine(exception)
