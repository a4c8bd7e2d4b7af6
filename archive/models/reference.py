"""Reference data: countries, UN bodies, topics and instruments (loaded by the migrations)."""

from django.db import models

from archive.models.base import CountryManager, NaturalKeyManager, TreeManager, detail_url


class Country(models.Model):
    class Status(models.TextChoices):
        MEMBER = "member", "UN member state"
        OBSERVER = "observer", "Observer state"
        ORGANIZATION = "organization", "Intergovernmental organization"
        FORMER = "former", "Former member state"

    code = models.CharField(
        max_length=3, unique=True, help_text="ISO 3166-1 alpha-3, or EU, PSE, VAT as the UN corpora use"
    )
    alpha2 = models.CharField(max_length=2, blank=True)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    demonym = models.CharField(max_length=100, blank=True, help_text='"Chinese" in "a Chinese envoy"')
    aliases = models.JSONField(default=list, blank=True, help_text="Other names the country goes by")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.MEMBER)

    objects = CountryManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def get_absolute_url(self):
        return detail_url("country-detail", self.slug)


class Body(models.Model):
    """A UN organ, hierarchical: Security Council > Counter-Terrorism Committee."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(blank=True)

    objects = TreeManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "bodies"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return detail_url("body-detail", self.slug)


class Topic(models.Model):
    """A controlled, hierarchical vocabulary: Counter-terrorism > Terrorism financing."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(blank=True)
    keywords = models.JSONField(default=list, blank=True, help_text="Words and phrases that suggest this topic")

    objects = TreeManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return detail_url("topic-detail", self.slug)


class Instrument(models.Model):
    """A resolution, strategy or treaty that statements refer to."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", "Resolution"
        STRATEGY = "strategy", "Strategy"
        TREATY = "treaty", "Treaty or convention"
        CHARTER = "charter", "Charter"
        OTHER = "other", "Other"

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    symbol = models.CharField(max_length=60, blank=True, help_text="Document symbol, e.g. S/RES/2482 (2019)")
    url = models.URLField(blank=True)
    aliases = models.JSONField(default=list, blank=True)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)
