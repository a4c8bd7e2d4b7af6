"""What every model shares: timestamps, natural-key managers, and fast permalinks."""

import re

from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from archive.querysets import CountryQuerySet, TreeQuerySet

# Permalinks are built for every row of every list (four or five per statement row, ~1,000 on a
# general debate's meeting page), and Django's reverse() costs far more than the string it returns.
# Each detail URL has one argument, so reverse it once per URL name (and script prefix, language,
# URLconf) with a placeholder and fill the placeholder in; anything not plainly an int or an ASCII
# slug still goes through reverse() itself.
_URL_PLACEHOLDER = "918273645546372819"  # digits: valid for both <int:> and <slug:>
_URL_TEMPLATES = {}
_PLAIN_ARGUMENT = re.compile(r"[-a-zA-Z0-9_]+")


def detail_url(name, value):
    value = str(value)
    if not _PLAIN_ARGUMENT.fullmatch(value):
        return reverse(name, args=[value])
    key = (name, get_script_prefix(), get_language(), get_urlconf())
    template = _URL_TEMPLATES.get(key)
    if template is None:
        template = _URL_TEMPLATES[key] = reverse(name, args=[_URL_PLACEHOLDER]).split(_URL_PLACEHOLDER)
    if len(template) != 2:
        return reverse(name, args=[value])
    return template[0] + value + template[1]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class NaturalKeyManager(models.Manager):
    """Fixtures refer to reference data by a stable key, not by a database id."""

    natural_key_field = "slug"

    def get_by_natural_key(self, key):
        return self.get(**{self.natural_key_field: key})

    def free_slug(self, text, fallback="item"):
        """A slug made from ``text`` that no row has yet ("zhang-jun", else "zhang-jun-2" ...)."""
        from archive.ingest.names import free_slug

        return free_slug(
            text,
            taken=lambda slug: self.filter(slug=slug).exists(),
            fallback=fallback,
            max_length=self.model._meta.get_field("slug").max_length,
        )


class CodeManager(NaturalKeyManager):
    natural_key_field = "code"


class CountryManager(CodeManager.from_queryset(CountryQuerySet)):
    pass


class TreeManager(NaturalKeyManager.from_queryset(TreeQuerySet)):
    pass
