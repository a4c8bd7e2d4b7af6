"""Hostile input against every URL the site has: never a 500, never an unescaped payload, no write
without login, permission and a CSRF token.

The URL list comes from the URL configuration itself, so a page added later is attacked too.
"""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from archive.models import Speech

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert('pwned')</script>"
HOSTILE_PARAMS = {
    "q": [
        "' OR 1=1 --",
        '"; DROP TABLE archive_speech; --',
        PAYLOAD,
        "x" * 10_000,
        "(((",
        'speaker:"unclosed',
        "date:2020-99-99",
        "NOT",
        "*",
        "\x00",
    ],
    "page": ["-1", "0", "99999999", "' OR '1'='1", "1e9", PAYLOAD],
    "country": ["'; --", PAYLOAD, "ZZZ", "x" * 500],
    "speaker": ["../../etc/passwd", PAYLOAD],
    "topic": ["%00", PAYLOAD],
    "year": ["99999", "0000", "-1", "abcd"],
    "date_from": ["2020-13-45", "yesterday", "9999-99-99"],
    "date_to": ["0000-00-00", PAYLOAD],
    "sort": ["'; --", "-pk", "__class__"],
    "type": ["<b>", "all'"],
    "format": ["xml", "../csv", PAYLOAD],
    "unknown_facet": ["1"],
    "cursor": ["!!!", PAYLOAD],
}

SAMPLE_ARGS = {
    "speakers": {"slug": "zhang-jun"},
    "countries": {"slug": "china"},
    "bodies": {"slug": "security-council"},
    "topics": {"slug": "counter-terrorism"},
    "events": {"slug": "2020-08-06-security-council-linkages-terrorism-organized-crime"},
    "dates": {"year": "2020", "month": "8", "day": "6"},
}
SKIP_PREFIXES = ("admin/", "editor/", "static/", "media/")


def walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def concrete(route):
    """A usable path for a route, or None when it needs arguments we have no sample for."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    if "(?P<" in route or "\\" in route:
        return None
    head = route.split("/", 1)[0]
    samples = SAMPLE_ARGS.get(head, {})

    def substitute(match):
        name = match.group(2)
        if name == "pk":
            return "1"
        return samples.get(name, "__missing__")

    path = "/" + re.sub(r"<(?:(\w+):)?(\w+)>", substitute, route)
    return None if "__missing__" in path else path


def public_paths():
    paths = []
    for route in walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES):
            continue
        path = concrete(route)
        if path is not None and "format" not in path:
            paths.append(path)
    return sorted(set(paths))


def test_the_url_list_covers_the_public_site():
    paths = public_paths()
    assert "/" in paths and "/statements/1/" in paths and "/speakers/zhang-jun/" in paths


@pytest.mark.slow  # a fuzz sweep: every hostile value on every URL
@pytest.mark.parametrize("param", sorted(HOSTILE_PARAMS))
def test_hostile_parameters_never_break_a_page_or_come_back_unescaped(client, seed, param):
    for path in public_paths():
        for value in HOSTILE_PARAMS[param]:
            response = client.get(path, {param: value})
            assert response.status_code < 500, (path, param, value[:80], response.status_code)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                assert PAYLOAD not in response.content.decode(errors="replace"), (path, param)


def test_overlong_and_odd_paths_are_not_found_not_errors(client, seed):
    for path in [
        "/statements/99999999999999999999/",
        "/speakers/" + "a" * 5000 + "/",
        "/countries/%00/",
        "/quotations/-1/",
        "/statements/1/../../../etc/passwd",
        "/topics/%E2%80%AE/",
    ]:
        assert client.get(path).status_code in (301, 302, 400, 404), path


def admin_add_urls():
    return [f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/" for model in admin.site._registry]


def editor_paths():
    return [p for p in (concrete(r) for r in walk(get_resolver().url_patterns) if r.startswith("editor/")) if p]


def test_anonymous_users_reach_no_editor_screen(client, seed):
    for path in admin_add_urls() + ["/admin/archive/speech/1/change/"] + editor_paths():
        response = client.get(path)
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert "login" in response["Location"], path
        assert client.post(path, {"title": "anonymous write"}).status_code in (302, 403), path
    assert not Speech.objects.filter(title="anonymous write").exists()


def test_no_write_without_a_csrf_token(editor, seed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    for path in admin_add_urls() + ["/admin/archive/speech/1/change/"] + editor_paths():
        response = client.post(path, {"title": "csrf-less write", "name": "csrf-less write"})
        assert response.status_code == 403, path
    response = client.post("/admin/archive/speech/", {"action": "unpublish", "_selected_action": [seed.pk]})
    assert response.status_code == 403
    seed.refresh_from_db()
    assert seed.is_published
    assert not Speech.objects.filter(title="csrf-less write").exists()


def test_editors_cannot_manage_users_groups_or_other_accounts(editor_client, admin_user):
    for path in [
        "/admin/auth/user/",
        "/admin/auth/group/",
        f"/admin/auth/user/{admin_user.pk}/change/",
        f"/admin/auth/user/{admin_user.pk}/password/",
        "/admin/auth/user/add/",
    ]:
        assert editor_client.get(path).status_code == 403, path
