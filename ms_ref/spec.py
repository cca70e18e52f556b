"""The knowledge model: which fields an entry has, their types and allowed values, and how they read.

This is the single description of the data. ms_ref.ingest validates against it,
`python -m ms_ref.ingest.schema` publishes it as JSON Schema for editors, and the JSON output keeps its
key order. Pure data, no imports: the hot path reads it.

A field spec is a tuple: (type, required) where type is one of
  "id" | "text" | "date" | "url" | "year" | ("enum", choices) | ("list", type) | ("one-or-list", type)
  | ("nullable", type) | ("record", {field: spec}).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    Kind = str | tuple[str, object]
    FieldSpec = tuple[Kind, bool]

# The version of the JSON that commands write (`schema_version` in every JSON answer).
SCHEMA_VERSION = 2
# The version of the knowledge-base file format (`schema_version` at the top of a YAML file).
DATA_VERSION = 1

FAMILY_IDS = ("dmt", "symptomatic", "rehabilitation", "stem-cell", "complementary")

# Spellings people type for a family, normalised (lowercase, "_" and " " read as "-").
FAMILY_ALIASES = {
    "dmt": "dmt",
    "dmts": "dmt",
    "disease-modifying": "dmt",
    "disease-modifying-therapy": "dmt",
    "disease-modifying-therapies": "dmt",
    "symptomatic": "symptomatic",
    "symptom": "symptomatic",
    "symptoms": "symptomatic",
    "symptomatic-treatments": "symptomatic",
    "rehabilitation": "rehabilitation",
    "rehab": "rehabilitation",
    "stem-cell": "stem-cell",
    "stem-cells": "stem-cell",
    "stemcell": "stem-cell",
    "stem-cell-therapy": "stem-cell",
    "ahsct": "stem-cell",
    "hsct": "stem-cell",
    "complementary": "complementary",
    "cam": "complementary",
    "complementary-therapies": "complementary",
}

# The names of the families, for descriptions (completion) before the knowledge base is read.
FAMILY_NAMES = {
    "dmt": "Disease-modifying therapies",
    "symptomatic": "Symptomatic treatments",
    "rehabilitation": "Rehabilitation",
    "stem-cell": "Stem cell and cell therapies",
    "complementary": "Complementary therapies",
}

STATUSES = ("approved", "off-label", "investigational", "withdrawn", "discontinued", "therapy")
# The three routes of the design, plus the few others MS medicines use (nabiximols is a mouth spray,
# baclofen can be given into the spinal fluid).
ROUTES = ("oral", "injection", "infusion", "intrathecal", "oromucosal", "nasal", "inhaled", "transdermal")
MS_FORMS = ("CIS", "RRMS", "active SPMS", "SPMS", "PPMS")
# What `--for` accepts: the forms, and "relapsing" for the relapsing forms together.
MS_FORM_CHOICES = (*MS_FORMS, "relapsing")
# A broader form includes the narrower ones: a treatment approved for active SPMS treats SPMS too.
MS_FORM_INCLUDES = {
    "SPMS": ("SPMS", "active SPMS"),
    "relapsing": ("CIS", "RRMS", "active SPMS"),
}
EFFICACY = ("modest", "moderate", "high")
TERM_CATEGORIES = (
    "anatomy",
    "immune cells",
    "molecules",
    "immune processes",
    "pathology",
    "disease course",
    "diagnosis",
    "imaging",
    "symptoms",
    "measures",
    "treatment risks",
    "risk factors",
    "drug targets",
    "drug classes",
    "treatment approaches",
    "pregnancy and family",
    "aids and procedures",
    "care and services",
    "research",
    "other conditions",
    "everyday life",
    "general",
)

# A citation. `id` lets a field name the sources that support it (see PROVENANCE_FIELDS); `via` is the
# page actually read when the cited document could be read only through a verbatim reproduction.
SOURCE = (
    "record",
    {"id": ("id", False), "title": ("text", True), "url": ("url", True), "via": (("one-or-list", "url"), False)},
)
SOURCES = (("list", SOURCE), True)
REVIEWED = ("date", True)

# Safety-relevant treatment fields: each present one must name the entry's sources that support it, in
# `provenance` ({field: [source id, ...]}). Output shows them as footnote marks.
PROVENANCE_FIELDS = (
    "approvals",
    "boxed_warning",
    "serious_risks",
    "contraindications",
    "interactions",
    "screening",
    "monitoring",
    "vaccines",
    "pregnancy",
    "breastfeeding",
    "contraception",
    "paediatric",
    "access_programme",
)
# How a treatment stands for one symptom it treats: licensed for it, used outside the licence, under study,
# or (for non-drug treatments) a therapy.
TREAT_STATUSES = ("approved", "off-label", "investigational", "therapy")

FAMILY_FIELDS: dict[str, FieldSpec] = {
    "id": (("enum", FAMILY_IDS), True),
    "name": ("text", True),
    "aliases": (("list", "text"), False),
    "summary": ("text", True),
    "description": ("text", True),
    "sources": SOURCES,
    "reviewed": REVIEWED,
}

TREATMENT_FIELDS: dict[str, FieldSpec] = {
    "id": ("id", True),
    "name": ("text", True),
    "family": (("enum", FAMILY_IDS), True),
    "category": ("text", True),
    "status": (("enum", STATUSES), True),
    "status_note": ("text", False),
    "status_date": ("date", False),
    "aliases": (("list", "text"), False),
    "lay_terms": (("list", "text"), False),
    "summary": ("text", True),
    "details": ("text", True),
    "mechanism": ("text", False),
    "route": (("one-or-list", ("enum", ROUTES)), False),
    "frequency": ("text", False),
    "approved_for": (("list", ("enum", MS_FORMS)), False),
    "approvals": (
        (
            "list",
            (
                "record",
                {"agency": ("text", True), "year": ("year", True), "note": ("text", False)},
            ),
        ),
        False,
    ),
    "label_differences": ("text", False),
    "efficacy": (("enum", EFFICACY), False),
    "common_side_effects": (("list", "text"), False),
    "serious_risks": (("list", "text"), False),
    "boxed_warning": (("nullable", "text"), False),
    "access_programme": (("nullable", "text"), False),
    "contraindications": (("list", "text"), False),
    "interactions": (("list", "text"), False),
    "screening": (("list", "text"), False),
    "monitoring": (("list", "text"), False),
    "vaccines": ("text", False),
    "pregnancy": ("text", False),
    "breastfeeding": ("text", False),
    "contraception": ("text", False),
    "paediatric": ("text", False),
    "treats": (
        (
            "list",
            (
                "record",
                {
                    "symptom": ("id", True),
                    "status": (("enum", TREAT_STATUSES), True),
                    "note": ("text", False),
                },
            ),
        ),
        False,
    ),
    "evidence": (("record", {"level": ("text", True), "source": ("text", True)}), False),
    "delivered_by": (("list", "text"), False),
    "acts_on": (("list", "id"), False),
    "related": (("list", "id"), False),
    "provenance": (("record", dict.fromkeys(PROVENANCE_FIELDS, (("list", "id"), False))), False),
    "sources": SOURCES,
    "reviewed": REVIEWED,
}

TERM_FIELDS: dict[str, FieldSpec] = {
    "id": ("id", True),
    "name": ("text", True),
    "aliases": (("list", "text"), False),
    "lay_terms": (("list", "text"), False),
    "category": (("enum", TERM_CATEGORIES), True),
    "summary": ("text", True),
    "details": ("text", True),
    "related": (("list", "id"), False),
    "sources": SOURCES,
    "reviewed": REVIEWED,
}

STEP_FIELDS: dict[str, FieldSpec] = {
    "id": ("id", True),
    "name": ("text", True),
    "summary": ("text", True),
    "details": ("text", True),
    "terms": (("list", "id"), False),
    "sources": SOURCES,
    "reviewed": REVIEWED,
}

# Top-level sections of a knowledge-base file and the fields of their entries. A user's file may hold
# any of them; the shipped treatments.yaml holds families and treatments, glossary.yaml terms and cascade.
SECTIONS: dict[str, tuple[str, dict[str, FieldSpec]]] = {
    "families": ("family", FAMILY_FIELDS),
    "treatments": ("treatment", TREATMENT_FIELDS),
    "terms": ("term", TERM_FIELDS),
    "cascade": ("step", STEP_FIELDS),
}
FILE_KEYS = ("schema_version", *SECTIONS)

KINDS = ("treatment", "term", "step", "family")

# Labels for human-readable output, in display order; also the order of keys in JSON output.
LABELS = {
    "category": "Category",
    "status": "Status",
    "status_note": "Status note",
    "status_date": "Status date",
    "aliases": "Also called",
    "lay_terms": "In everyday words",
    "details": "Details",
    "description": "Description",
    "mechanism": "How it works",
    "route": "Route",
    "frequency": "How often",
    "approved_for": "Approved for",
    "approvals": "Approvals",
    "label_differences": "Label differences",
    "efficacy": "Efficacy group",
    "common_side_effects": "Common side effects",
    "serious_risks": "Serious risks",
    "boxed_warning": "US boxed warning",
    "access_programme": "Access programme",
    "contraindications": "Do not use if",
    "interactions": "Interactions",
    "screening": "Before the first dose",
    "monitoring": "Monitoring",
    "vaccines": "Vaccines",
    "pregnancy": "Pregnancy",
    "breastfeeding": "Breastfeeding",
    "contraception": "Contraception",
    "paediatric": "Children and age",
    "treats": "Treats",
    "evidence": "Evidence",
    "delivered_by": "Delivered by",
    "acts_on": "Acts on",
    "terms": "Terms involved",
    "related": "Related",
}

# Rows of `msref compare`, in order.
COMPARE_FIELDS = (
    "category",
    "status",
    "route",
    "frequency",
    "mechanism",
    "approved_for",
    "efficacy",
    "approvals",
    "common_side_effects",
    "serious_risks",
    "boxed_warning",
    "access_programme",
    "screening",
    "monitoring",
    "vaccines",
    "pregnancy",
    "breastfeeding",
    "contraception",
    "paediatric",
)

NOTICE = "Educational information, not medical advice: talk to your MS team about your own care."
COMPARE_CAVEAT = (
    "These treatments were not compared head to head: each was tested in its own trials, against "
    "different comparators and in different people, so figures from one cannot be set against another."
)
