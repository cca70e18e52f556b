"""The knowledge model: which fields an entry has, their types and allowed values.

This is the single description of the data. The loader validates against it, `python -m ms_ref.schema`
publishes it as JSON Schema for editors, and the JSON output keeps its key order. Pure data, no imports:
the hot path reads it.

A field spec is a tuple: (type, required) where type is one of
  "id" | "text" | "date" | "url" | "year" | ("enum", choices) | ("list", type) | ("one-or-list", type)
  | ("nullable", type) | ("record", {field: spec}).
"""

from __future__ import annotations

SCHEMA_VERSION = 1

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

STATUSES = ("approved", "off-label", "investigational", "withdrawn", "therapy")
# The three routes of the design, plus the few others MS medicines use (nabiximols is a mouth spray,
# baclofen can be given into the spinal fluid).
ROUTES = ("oral", "injection", "infusion", "intrathecal", "oromucosal", "nasal", "inhaled", "transdermal")
MS_FORMS = ("CIS", "RRMS", "active SPMS", "SPMS", "PPMS")
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
    "general",
)

SOURCE = ("record", {"title": ("text", True), "url": ("url", True)})
SOURCES = (("list", SOURCE), True)
REVIEWED = ("date", True)

FAMILY_FIELDS = {
    "id": (("enum", FAMILY_IDS), True),
    "name": ("text", True),
    "summary": ("text", True),
    "description": ("text", True),
    "sources": SOURCES,
    "reviewed": REVIEWED,
}

TREATMENT_FIELDS = {
    "id": ("id", True),
    "name": ("text", True),
    "family": (("enum", FAMILY_IDS), True),
    "category": ("text", True),
    "status": (("enum", STATUSES), True),
    "status_note": ("text", False),
    "status_date": ("date", False),
    "aliases": (("list", "text"), False),
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
    "monitoring": (("list", "text"), False),
    "pregnancy": ("text", False),
    "treats": (("list", "text"), False),
    "evidence": (("record", {"level": ("text", True), "source": ("text", True)}), False),
    "delivered_by": (("list", "text"), False),
    "acts_on": (("list", "id"), False),
    "related": (("list", "id"), False),
    "sources": SOURCES,
    "reviewed": REVIEWED,
}

TERM_FIELDS = {
    "id": ("id", True),
    "name": ("text", True),
    "aliases": (("list", "text"), False),
    "category": (("enum", TERM_CATEGORIES), True),
    "summary": ("text", True),
    "details": ("text", True),
    "related": (("list", "id"), False),
    "sources": SOURCES,
    "reviewed": REVIEWED,
}

STEP_FIELDS = {
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
SECTIONS = {
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
    "monitoring": "Monitoring",
    "pregnancy": "Pregnancy",
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
    "monitoring",
    "pregnancy",
)

NOTICE = "Educational information, not medical advice: talk to your MS team about your own care."
COMPARE_CAVEAT = (
    "These treatments were not compared head to head: each was tested in its own trials, against "
    "different comparators and in different people, so figures from one cannot be set against another."
)
