"""`msref prepare`: a sheet to take to a clinic visit, built only from the knowledge base's own fields.

It lays treatments side by side, points out where they differ, lists questions worth asking (the
questions are prompts; every fact quoted in them is an entry's sourced field, with its footnote mark)
and the warning signs the labels name, and cites its sources. It never ranks or recommends.
"""

from __future__ import annotations

from ms_ref import spec
from ms_ref.errors import UsageError
from ms_ref.views import NOT_RECORDED, display_value, entry_json, marks, source_links, treatments_named

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Block, Cell, Entry, View

# Screening, monitoring, vaccines and pregnancy appear in the questions, serious risks and boxed warnings
# under warning signs: the table holds the rest, so the sheet stays short enough to print.
GLANCE_FIELDS = ("category", "status", "route", "frequency", "approved_for", "common_side_effects")
DIFFERENCE_FIELDS = ("status", "route", "frequency", "approved_for", "efficacy", "boxed_warning", "access_programme")
SHEET_NOTE = (
    "Take this sheet to your MS team. It sets the treatments side by side and suggests questions; "
    "it does not rank them or recommend one, and only your team can weigh them for you."
)


def _joined(value: Cell) -> str:
    return "; ".join(value) if isinstance(value, list) else value


def _shown(kb: KnowledgeBase, entry: Entry, key: str) -> str:
    if key not in entry:
        return NOT_RECORDED
    return _joined(display_value(kb, key, entry[key])) or "-"  # type: ignore[literal-required]


def _recorded(kb: KnowledgeBase, entry: Entry, key: str) -> str:
    """' Recorded: ... [n].' quoting a field with its footnote marks, or '' when the entry lacks it."""
    if not entry.get(key):
        return ""
    text = _joined(display_value(kb, key, entry[key])).rstrip(".")  # type: ignore[literal-required]
    found = "".join(f"[{n}]" for n in marks(entry, key))
    return f" Recorded: {text}{' ' + found if found else ''}."


def questions(kb: KnowledgeBase, entry: Entry) -> list[str]:
    """Questions for the MS team about one treatment, quoting what the knowledge base records."""
    name = entry["name"]
    missing = " The knowledge base records none; ask what is needed."
    asked = [
        f"Before starting: which tests will I need before the first dose of {name}?"
        + (_recorded(kb, entry, "screening") or missing),
        f"Monitoring: which checks will I need while taking {name} and after stopping, and how often?"
        + (_recorded(kb, entry, "monitoring") or missing),
        f"Vaccines: which vaccines should I have before starting {name}, are any unsuitable while I take it "
        "or after I stop, and will vaccines still work?" + _recorded(kb, entry, "vaccines"),
        "Pregnancy and family plans: what should I plan if I might become pregnant or father a child, or want "
        "to breastfeed?"
        + _recorded(kb, entry, "pregnancy")
        + _recorded(kb, entry, "contraception")
        + _recorded(kb, entry, "breastfeeding"),
    ]
    how = []
    if entry.get("route"):
        how.append(f"route: {_shown(kb, entry, 'route')}")
    if entry.get("frequency"):
        how.append(f"how often: {entry['frequency']}")
    asked.append(
        "Time commitment: how and where is it given, and how long does each dose or visit take?"
        + (f" Recorded: {'; '.join(how)}." if how else "")
    )
    if entry.get("access_programme"):
        asked.append("Access programme: what does the programme ask of me?" + _recorded(kb, entry, "access_programme"))
    asked.append(f"Stopping: what happens if I stop or pause {name}, and what would come next?")
    return asked


def warning_signs(entry: Entry) -> list[str]:
    """The serious risks and US boxed warning an entry records, phrased as things to report."""
    signs = []
    risks = entry.get("serious_risks")
    if risks:
        found = "".join(f"[{n}]" for n in marks(entry, "serious_risks"))
        signs.append(
            f"{entry['name']}: tell your MS team promptly about any sign of: {_joined(risks)}"
            + (f" {found}." if found else ".")
        )
    if entry.get("boxed_warning"):
        found = "".join(f"[{n}]" for n in marks(entry, "boxed_warning"))
        signs.append(f"{entry['name']}, US boxed warning: {entry['boxed_warning']}" + (f" {found}" if found else ""))
    if not signs:
        signs.append(
            f"{entry['name']}: the knowledge base records no serious risks; ask your MS team what to watch for."
        )
    return signs


def prepare(kb: KnowledgeBase, queries: list[str]) -> View:
    """The clinic-visit sheet for one or more treatments."""
    if not queries:
        raise UsageError("prepare needs at least one treatment")
    notes: list[str] = []
    chosen = treatments_named(kb, queries, notes)
    names = [e["name"] for e in chosen]
    doc: list[Block] = [
        {
            "type": "title",
            "text": "Clinic visit: " + ", ".join(names),
            "subtitle": f"knowledge base reviewed up to {kb.newest_reviewed}",
        },
        {"type": "note", "text": SHEET_NOTE + (" " + spec.COMPARE_CAVEAT if len(chosen) > 1 else "")},
        {"type": "heading", "text": "At a glance"},
    ]
    rows: list[list[Cell]] = [
        [spec.LABELS[key], *[_shown(kb, e, key) for e in chosen]]
        for key in GLANCE_FIELDS
        if any(key in e for e in chosen)
    ]
    doc.append({"type": "matrix", "headers": ["", *names], "rows": rows})
    differences = []
    if len(chosen) > 1:
        for key in DIFFERENCE_FIELDS:
            # A field one entry does not record is not a known difference.
            values = [_shown(kb, e, key) for e in chosen]
            if NOT_RECORDED not in values and len(set(values)) > 1:
                differences.append(f"{spec.LABELS[key]}: " + "; ".join(f"{n}: {v}" for n, v in zip(names, values)))
        doc.append({"type": "heading", "text": "Where they differ"})
        doc.append(
            {
                "type": "bullets",
                "items": differences
                or [
                    "The knowledge base records no difference in status, route, frequency, approved forms, "
                    "efficacy group, boxed warning or access programme."
                ],
            }
        )
    asked = {e["id"]: questions(kb, e) for e in chosen}
    for entry in chosen:
        doc.append({"type": "heading", "text": f"Questions to ask about {entry['name']}"})
        doc.append({"type": "bullets", "items": asked[entry["id"]]})
    signs = {e["id"]: warning_signs(e) for e in chosen}
    doc.append({"type": "heading", "text": "Warning signs to report"})
    doc.append({"type": "bullets", "items": [sign for entry in chosen for sign in signs[entry["id"]]]})
    doc.append({"type": "heading", "text": "My notes"})
    doc.append({"type": "space", "lines": 5})
    for entry in chosen:
        doc.append({"type": "heading", "text": f"Sources: {entry['name']} (reviewed {entry['reviewed']})"})
        doc.append({"type": "links", "items": source_links(entry, numbered=bool(entry.get("provenance")))})
    data: dict[str, object] = {
        "note": SHEET_NOTE,
        "caveat": spec.COMPARE_CAVEAT if len(chosen) > 1 else None,
        "treatments": [entry_json(e) for e in chosen],
        "differences": differences,
        "questions": asked,
        "warning_signs": signs,
        "reviewed": kb.newest_reviewed,
    }
    return {"data": data, "doc": doc, "notes": notes}
