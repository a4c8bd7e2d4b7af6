"""The one notion of "the client's address", for rate limits, login lockouts, the API throttle and logs.

``TRUSTED_PROXIES`` (setting, from the environment: addresses or CIDR networks, default none) lists
the reverse proxies in front of the site. Only a request whose TCP peer (``REMOTE_ADDR``) is one of
them may tell us who the client is: the client is then the rightmost address of
``X-Forwarded-For`` that is not itself a trusted proxy (the nearest hop nobody we trust vouches
for; everything to its left was written by the client and may be made up). A request from any
other peer is its own client, and its forwarded headers (``X-Forwarded-For``, ``-Proto``,
``-Host``, ``-Port``, ``Forwarded``, ``X-Real-IP``) are removed, so that nothing downstream -
``SECURE_PROXY_SSL_HEADER``, django-axes, DRF - can be fooled by a direct client.

``ClientAddressMiddleware`` (first in ``MIDDLEWARE``) does this once per request and puts the
client into ``REMOTE_ADDR``, keeping the peer in ``META["archive.proxy_peer"]``; the WSGI environ
is the same dict, so gunicorn's access log shows the client too. The standard-library
``ipaddress`` does the matching: python-ipware trusts by address prefix strings and counts
proxies from the left of the header, which is not the rule above.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_FORWARDED",
    "HTTP_X_REAL_IP",
)
PEER_KEY = "archive.proxy_peer"


@lru_cache(maxsize=8)
def _networks(trusted):
    networks = []
    for item in trusted:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {item!r} is not an address or network ({error})") from None
    return tuple(networks)


def trusted_networks():
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def parse_address(value):
    """An ip_address from a header entry (``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``), or None."""
    value = (value or "").strip().strip('"')
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted(address, networks=None):
    networks = trusted_networks() if networks is None else networks
    if address is None:
        return False
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def resolve(meta, networks=None):
    """(client address or None, whether the peer is a trusted proxy) for a request's META."""
    networks = trusted_networks() if networks is None else networks
    peer_text = meta.get("REMOTE_ADDR") or None
    peer = parse_address(peer_text)
    if not networks or not is_trusted(peer, networks):
        return peer_text, False
    client = peer
    hops = [hop for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:  # garbage a proxy passed on: stop at the last hop we could read
            break
        client = address
        if not is_trusted(address, networks):
            break
    if getattr(client, "ipv4_mapped", None):
        client = client.ipv4_mapped
    return str(client), True


class ClientAddressMiddleware:
    """Resolve the client's address once, first thing, for everything that follows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        apply_to_meta(request.META)
        return self.get_response(request)


def apply_to_meta(meta):
    if PEER_KEY in meta:  # already resolved (a test client re-using META)
        return
    peer = meta.get("REMOTE_ADDR", "")
    client, via_proxy = resolve(meta)
    meta[PEER_KEY] = peer
    if client:
        meta["REMOTE_ADDR"] = client
    if not via_proxy:
        for header in FORWARDED_HEADERS:
            meta.pop(header, None)


def client_address(request):
    """The client's address for rate limits, lockouts and logs (``AXES_CLIENT_IP_CALLABLE``), or None
    when the request has none (a request made in code, e.g. the test client's ``force_login``):
    django-axes stores the address in an IP-address column, which refuses anything else."""
    meta = request.META
    if PEER_KEY not in meta:  # a request that did not pass through the middleware
        return resolve(meta)[0]
    return meta.get("REMOTE_ADDR") or None
