"""Speakers, and the addresses of speakers merged into others."""

from django.db import models
from simple_history.models import HistoricalRecords

from archive import sanitize
from archive.models.base import NaturalKeyManager, TimeStampedModel, detail_url
from archive.querysets import SpeakerQuerySet


class Speaker(TimeStampedModel):
    name = models.CharField(max_length=200)
    sort_name = models.CharField(
        max_length=200, blank=True, help_text="Family name first, for A-Z lists; made from the name parts on save"
    )
    given_name = models.CharField(max_length=100, blank=True, help_text='"Emmanuel" in "Emmanuel Macron"')
    family_name = models.CharField(
        max_length=100,
        blank=True,
        help_text='"Macron"; "Zhang" in "Zhang Jun" (family name first). Used by the A-Z list and citations.',
    )
    slug = models.SlugField(max_length=200, unique=True)
    honorific = models.CharField(max_length=40, blank=True)
    aliases = models.JSONField(default=list, blank=True, help_text='Other spellings: "Zhang", "Jun Zhang"')
    biography = models.TextField(blank=True, help_text="Rich text, sanitized on save")

    objects = NaturalKeyManager.from_queryset(SpeakerQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_name", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def save(self, *args, **kwargs):
        from archive.ingest import names

        self.biography = sanitize.clean_html(self.biography)
        if not (self.family_name or self.given_name):
            if "," in (self.sort_name or ""):
                self.family_name, self.given_name = (part.strip() for part in self.sort_name.split(",", 1))
            else:
                self.given_name, self.family_name = names.name_parts(self.name)
        max_given = Speaker._meta.get_field("given_name").max_length
        max_family = Speaker._meta.get_field("family_name").max_length
        self.given_name, self.family_name = self.given_name[:max_given], self.family_name[:max_family]
        # The sort name follows the parts, which editors correct.
        self.sort_name = names.sort_name(self.name, self.given_name, self.family_name)[
            : Speaker._meta.get_field("sort_name").max_length
        ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return detail_url("speaker-detail", self.slug)


class SpeakerRedirect(models.Model):
    """The address of a speaker merged into another: /speakers/<old_slug>/ answers 301 to the kept one."""

    old_slug = models.SlugField(max_length=200, unique=True)
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_slug} -> {self.speaker.slug}"
