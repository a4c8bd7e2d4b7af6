"""A fixed-window rate limit per client address, kept in the shared cache.

Used on search, exports and alert subscriptions (the API has DRF throttling): over the limit the
client gets HTTP 429 with Retry-After.
"""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

WINDOW_SECONDS = 60


def client_address(request):
    return request.META.get("REMOTE_ADDR", "unknown")


def over_limit(request, scope, *, key=None, window_seconds=WINDOW_SECONDS):
    """Count this request; return the seconds to wait if the client is over its limit, else 0.

    ``key`` counts something other than the client address (an email address, say) under ``scope``.
    """
    limit = settings.RATE_LIMITS.get(scope)
    if not limit:
        return 0
    window = int(time.time() // window_seconds)
    who = key if key is not None else client_address(request)
    key = f"ratelimit:{scope}:{who}:{window}"
    if cache.add(key, 1, timeout=window_seconds * 2):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window_seconds * 2)
            count = 1
    if count > limit:
        return window_seconds - int(time.time()) % window_seconds or 1
    return 0


def too_many_requests(retry_after):
    response = HttpResponse(
        f"Too many requests: please wait {retry_after} seconds and try again.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            retry_after = over_limit(request, scope)
            if retry_after:
                return too_many_requests(retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
