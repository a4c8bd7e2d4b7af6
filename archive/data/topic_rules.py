"""Keyword rules for the topic vocabulary (archive/data/reference.py TOPICS): the transparent method
``manage.py assign_topics`` uses to tag statements (archive/topic_rules.py applies them).

For each topic: phrases with weights, and the least weighted count that assigns the topic. A
phrase matches whole words, any case, with a plural "s"/"es" (``"terrorist"`` matches "Terrorists").
A statement's score for a topic is the sum over its phrases of weight x occurrences; the topic is
assigned when the score reaches ``min_score``. Phrases are counted independently (an occurrence of
"drug trafficking" also counts for "trafficking").

Change a rule, bump ``METHOD`` and run ``manage.py assign_topics``: assignments the rules made are
re-scored; what editors confirmed or removed is never touched.
"""

METHOD = "rules-v1"

RULES = {
    "peace-and-security": {"phrases": {"peace and security": 1, "international peace": 0.5}, "min_score": 5},
    "counter-terrorism": {
        "phrases": {"terrorism": 1, "terrorist": 1, "counter-terrorism": 1, "counterterrorism": 1},
        "min_score": 5,
    },
    "terrorism-financing": {
        "phrases": {
            "financing of terrorism": 2,
            "terrorist financing": 2,
            "terrorism financing": 2,
            "financing terrorism": 2,
            "money laundering": 1,
        },
        "min_score": 2,
    },
    "de-radicalization": {
        "phrases": {
            "violent extremism": 1.5,
            "radicalization": 1,
            "radicalisation": 1,
            "de-radicalization": 1.5,
            "deradicalization": 1.5,
            "extremism": 0.5,
            "extremist": 0.5,
        },
        "min_score": 3,
    },
    "foreign-terrorist-fighters": {
        "phrases": {"foreign terrorist fighter": 2, "foreign fighter": 1.5},
        "min_score": 2,
    },
    "online-terrorism": {
        "phrases": {
            "terrorist use of the internet": 2,
            "internet-based terrorism": 2,
            "online radicalization": 2,
            "cyberterrorism": 2,
            "use of the internet": 1,
        },
        "min_score": 2,
    },
    "transnational-organized-crime": {
        "phrases": {
            "organized crime": 1.5,
            "organised crime": 1.5,
            "transnational crime": 1.5,
            "criminal group": 1,
            "criminal network": 1,
        },
        "min_score": 3,
    },
    "trafficking": {"phrases": {"trafficking": 1, "illicit trade": 1, "smuggling": 0.5}, "min_score": 3},
    "arms-trafficking": {
        "phrases": {
            "small arms": 1.5,
            "light weapons": 1,
            "arms trafficking": 2,
            "illicit arms": 1.5,
            "arms trade treaty": 1.5,
        },
        "min_score": 3,
    },
    "human-trafficking": {
        "phrases": {
            "trafficking in persons": 2,
            "human trafficking": 2,
            "trafficking in human beings": 2,
            "smuggling of migrants": 1,
        },
        "min_score": 2,
    },
    "drug-trafficking": {
        "phrases": {
            "drug trafficking": 2,
            "narcotic": 1,
            "world drug problem": 1.5,
            "illicit drug": 1.5,
            "drug": 0.5,
            "cocaine": 1,
        },
        "min_score": 3,
    },
    "cultural-property": {
        "phrases": {"cultural property": 2, "cultural heritage": 1, "antiquities": 1.5, "artefact": 1, "artifact": 1},
        "min_score": 2,
    },
    "wildlife-trafficking": {
        "phrases": {"wildlife": 1.5, "poaching": 1.5, "illegal logging": 1.5, "ivory": 1},
        "min_score": 3,
    },
    "peacekeeping": {
        "phrases": {"peacekeeping": 1, "peacekeeper": 1, "peace operation": 1, "blue helmets": 1},
        "min_score": 3,
    },
    "disarmament": {
        "phrases": {
            "disarmament": 1,
            "non-proliferation": 1,
            "nuclear weapon": 1,
            "nuclear-weapon": 1,
            "weapons of mass destruction": 1,
            "chemical weapon": 1,
            "nuclear-test-ban": 1,
        },
        "min_score": 3,
    },
    "sanctions": {
        "phrases": {"sanction": 1, "embargo": 1, "unilateral coercive measures": 1.5},
        "min_score": 3,
    },
    "conflict-prevention": {
        "phrases": {
            "conflict prevention": 2,
            "preventive diplomacy": 2,
            "prevention of conflict": 2,
            "mediation": 1,
            "peaceful settlement of disputes": 1,
            "peacebuilding": 1,
        },
        "min_score": 3,
    },
    "multilateralism": {
        "phrases": {"multilateralism": 1.5, "multilateral system": 1, "multilateral": 0.5},
        "min_score": 3,
    },
    "regional-cooperation": {
        "phrases": {
            "regional cooperation": 1.5,
            "regional integration": 1.5,
            "regional organization": 1,
            "sub-regional": 1,
            "subregional": 1,
        },
        "min_score": 3,
    },
    "un-reform": {
        "phrases": {
            "reform of the security council": 2,
            "security council reform": 2,
            "reform of the united nations": 2,
            "united nations reform": 2,
            "revitalization of the general assembly": 2,
            "un reform": 2,
            "permanent members": 0.5,
            "veto": 0.5,
        },
        "min_score": 3,
    },
    "capacity-building": {
        "phrases": {"capacity building": 1, "capacity-building": 1, "technical assistance": 1},
        "min_score": 3,
    },
    "border-control": {
        "phrases": {"border control": 1.5, "border management": 1.5, "border security": 1.5, "customs": 1},
        "min_score": 3,
    },
    "rule-of-law": {
        "phrases": {"rule of law": 1, "judiciary": 1, "law enforcement": 1, "impunity": 1},
        "min_score": 3,
    },
    "international-law": {
        "phrases": {
            "international law": 1,
            "international humanitarian law": 1,
            "international court of justice": 1,
            "charter of the united nations": 0.5,
            "united nations charter": 0.5,
        },
        "min_score": 4,
    },
    "human-rights": {"phrases": {"human rights": 1, "fundamental freedoms": 1}, "min_score": 4},
    "development": {
        "phrases": {
            "sustainable development": 1,
            "2030 agenda": 1,
            "millennium development goals": 1,
            "poverty": 1,
        },
        "min_score": 5,
    },
    "health": {
        "phrases": {"health": 1, "pandemic": 1, "ebola": 1.5, "hiv": 1, "malaria": 1, "vaccine": 1},
        "min_score": 4,
    },
    "covid-19": {
        "phrases": {"covid-19": 2, "covid": 2, "coronavirus": 2, "sars-cov-2": 2, "pandemic": 0.5},
        "min_score": 3,
    },
    "climate-change": {
        "phrases": {
            "climate change": 1.5,
            "global warming": 1.5,
            "paris agreement": 1.5,
            "greenhouse gas": 1,
            "sea level rise": 1,
            "sea-level rise": 1,
            "climate": 0.5,
            "emission": 0.5,
        },
        "min_score": 3,
    },
    "humanitarian-affairs": {
        "phrases": {"humanitarian": 1, "refugee": 1, "internally displaced": 1},
        "min_score": 4,
    },
    "decolonization": {
        "phrases": {
            "decolonization": 2,
            "non-self-governing territories": 2,
            "colonialism": 1.5,
            "self-determination": 1,
            "colonial": 0.5,
        },
        "min_score": 3,
    },
    "africa": {"phrases": {"africa": 1, "african union": 1, "african": 0.5}, "min_score": 4},
    "developing-countries": {
        "phrases": {
            "developing countries": 1,
            "least developed countries": 1,
            "small island developing states": 1,
            "landlocked developing countries": 1,
        },
        "min_score": 4,
    },
}
