"""Reference data loaded by migrations: the countries, the UN bodies, the topic vocabulary, common
instruments, and the Editors group with its permissions.

Each entry is (slug, name, parent slug or None, extra fields). Migrations keep their own copy of
the version they loaded by importing this module only at migration time; later additions come in
new migrations that call the same loaders.
"""

import csv
from pathlib import Path

from django.utils.text import slugify

COUNTRIES_TSV = Path(__file__).resolve().parent / "countries.tsv"

BODIES = [
    ("general-assembly", "General Assembly", None, {"short_name": "GA"}),
    ("security-council", "Security Council", None, {"short_name": "UNSC"}),
    ("ecosoc", "Economic and Social Council", None, {"short_name": "ECOSOC"}),
    ("trusteeship-council", "Trusteeship Council", None, {"short_name": ""}),
    ("icj", "International Court of Justice", None, {"short_name": "ICJ"}),
    ("secretariat", "Secretariat", None, {"short_name": ""}),
    ("human-rights-council", "Human Rights Council", "general-assembly", {"short_name": "HRC"}),
    ("first-committee", "First Committee (Disarmament and International Security)", "general-assembly", {}),
    ("sixth-committee", "Sixth Committee (Legal)", "general-assembly", {}),
    ("counter-terrorism-committee", "Counter-Terrorism Committee", "security-council", {"short_name": "CTC"}),
    (
        "cted",
        "Counter-Terrorism Committee Executive Directorate",
        "counter-terrorism-committee",
        {"short_name": "CTED"},
    ),
    (
        "isil-al-qaida-sanctions-committee",
        "ISIL (Da'esh) and Al-Qaida Sanctions Committee (1267/1989/2253)",
        "security-council",
        {"short_name": "1267 Committee"},
    ),
    ("1540-committee", "1540 Committee (non-proliferation)", "security-council", {"short_name": "1540 Committee"}),
    ("office-of-counter-terrorism", "Office of Counter-Terrorism", "secretariat", {"short_name": "UNOCT"}),
    ("secretary-general", "Secretary-General", "secretariat", {"short_name": "SG"}),
    ("unodc", "United Nations Office on Drugs and Crime", "secretariat", {"short_name": "UNODC"}),
]

TOPICS = [
    ("peace-and-security", "Peace and security", None, []),
    ("counter-terrorism", "Counter-terrorism", "peace-and-security", ["terrorism", "terrorist", "counter-terrorism"]),
    (
        "terrorism-financing",
        "Terrorism financing",
        "counter-terrorism",
        ["terrorism financing", "financing of terrorism", "terrorist financing"],
    ),
    (
        "de-radicalization",
        "De-radicalization and violent extremism",
        "counter-terrorism",
        ["de-radicalization", "deradicalization", "radicalization", "violent extremism", "extremist"],
    ),
    ("foreign-terrorist-fighters", "Foreign terrorist fighters", "counter-terrorism", ["foreign terrorist fighters"]),
    ("online-terrorism", "Terrorist use of the internet", "counter-terrorism", ["internet-based terrorism", "online"]),
    (
        "transnational-organized-crime",
        "Transnational organized crime",
        "peace-and-security",
        ["organized crime", "transnational organized crime", "criminal groups"],
    ),
    ("trafficking", "Trafficking", "transnational-organized-crime", ["trafficking", "illicit trade"]),
    ("arms-trafficking", "Arms trafficking", "trafficking", ["trafficking in arms", "arms trafficking", "small arms"]),
    ("human-trafficking", "Trafficking in persons", "trafficking", ["trafficking in persons", "human trafficking"]),
    ("drug-trafficking", "Drug trafficking", "trafficking", ["drug trafficking", "drugs", "narcotics"]),
    (
        "cultural-property",
        "Trafficking in cultural property",
        "trafficking",
        ["cultural property", "artefacts", "antiquities"],
    ),
    ("wildlife-trafficking", "Wildlife and natural resources", "trafficking", ["wildlife", "natural resources"]),
    ("peacekeeping", "Peacekeeping", "peace-and-security", ["peacekeeping", "peacekeepers"]),
    ("disarmament", "Disarmament and non-proliferation", "peace-and-security", ["disarmament", "nuclear weapons"]),
    ("sanctions", "Sanctions", "peace-and-security", ["sanctions"]),
    ("conflict-prevention", "Conflict prevention and mediation", "peace-and-security", ["conflict prevention"]),
    ("multilateralism", "Multilateralism", None, ["multilateralism", "multilateral", "international cooperation"]),
    (
        "regional-cooperation",
        "Regional cooperation",
        "multilateralism",
        ["regional organizations", "regional cooperation", "sub-regional"],
    ),
    ("un-reform", "UN reform", "multilateralism", ["reform of the security council", "un reform"]),
    ("capacity-building", "Capacity building", None, ["capacity building", "capacity-building", "capacities"]),
    (
        "border-control",
        "Border control and customs",
        "capacity-building",
        ["border control", "customs", "border management"],
    ),
    ("rule-of-law", "Rule of law and justice", None, ["rule of law", "judiciary", "law enforcement"]),
    ("international-law", "International law", "rule-of-law", ["international law", "un charter", "charter"]),
    ("human-rights", "Human rights", None, ["human rights"]),
    ("development", "Sustainable development", None, ["sustainable development", "development", "poverty"]),
    ("health", "Health", None, ["health", "pandemic"]),
    ("covid-19", "COVID-19", "health", ["covid-19", "covid", "coronavirus", "pandemic"]),
    ("climate-change", "Climate change", None, ["climate change", "global warming", "paris agreement"]),
    ("humanitarian-affairs", "Humanitarian affairs", None, ["humanitarian", "refugees"]),
    ("decolonization", "Decolonization", None, ["decolonization", "self-determination"]),
    ("africa", "Africa", None, ["african countries", "african union", "africa"]),
    ("developing-countries", "Developing countries", "development", ["developing countries"]),
]

INSTRUMENTS = [
    (
        "unsc-resolution-2482",
        "Security Council resolution 2482 (2019)",
        "resolution",
        {
            "symbol": "S/RES/2482 (2019)",
            "aliases": ["Resolution 2482", "Security Council Resolution 2482", "resolution 2482"],
        },
    ),
    (
        "global-counter-terrorism-strategy",
        "United Nations Global Counter-Terrorism Strategy",
        "strategy",
        {
            "symbol": "A/RES/60/288",
            "aliases": ["Global Counter-Terrorism Strategy", "UN Global Counter-Terrorism Strategy"],
        },
    ),
    (
        "untoc",
        "United Nations Convention against Transnational Organized Crime",
        "treaty",
        {
            "symbol": "A/RES/55/25",
            "aliases": ["Convention against Transnational Organized Crime", "Palermo Convention", "UNTOC"],
        },
    ),
    (
        "un-charter",
        "Charter of the United Nations",
        "charter",
        {"symbol": "", "aliases": ["UN Charter", "the Charter"]},
    ),
]


def load_tree(model, rows, extra_key):
    """Create or update rows parent-first; returns nothing. ``extra_key`` names the 4th column's use."""
    by_slug = {}
    for slug, name, parent_slug, extra in rows:
        fields = {"name": name, "parent": by_slug.get(parent_slug) if parent_slug else None}
        if extra_key == "keywords":
            fields["keywords"] = extra
        else:
            fields.update(extra)
        obj, _ = model.objects.update_or_create(slug=slug, defaults=fields)
        by_slug[slug] = obj


EDITOR_GROUP = "Editors"
# Editors add, change and view the archive's content (no delete: evidence is kept); they see the
# rules' topics and confirm or remove them (view and change only).
EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("speaker", "speech", "quotation", "source", "event", "topic", "instrument", "country", "body")
    for action in ("add", "change", "view")
] + ["view_topicassignment", "change_topicassignment"]


def load_countries(apps, schema_editor):
    Country = apps.get_model("archive", "Country")
    with open(COUNTRIES_TSV, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            aliases = [a for a in row["aliases"].split(";") if a]
            Country.objects.update_or_create(
                code=row["code"],
                defaults={
                    "alpha2": row["alpha2"],
                    "name": row["name"],
                    "slug": slugify(row["name"]),
                    "demonym": row["demonym"],
                    "status": row["status"],
                    "aliases": aliases,
                },
            )


def load_vocabularies(apps, schema_editor):
    load_tree(apps.get_model("archive", "Body"), BODIES, "fields")
    load_tree(apps.get_model("archive", "Topic"), TOPICS, "keywords")
    Instrument = apps.get_model("archive", "Instrument")
    for slug, name, kind, extra in INSTRUMENTS:
        Instrument.objects.update_or_create(slug=slug, defaults={"name": name, "kind": kind, **extra})


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    permissions = Permission.objects.filter(content_type__app_label="archive", codename__in=EDITOR_PERMISSIONS)
    group.permissions.set(permissions)
