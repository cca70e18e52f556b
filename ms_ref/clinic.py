"""`msref prepare`: a sheet to take to a clinic visit, built only from the knowledge base's own fields.

It lays treatments side by side, points out where they differ, lists questions worth asking (the
questions are prompts; every fact quoted in them is an entry's sourced field) and the warning signs
the labels name, and cites its sources. It never ranks or recommends.
"""

from __future__ import annotations

from ms_ref import models
from ms_ref.errors import UsageError
from ms_ref.views import KIND_LABELS, display_value, entry_json, resolve, source_links

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.kb import KnowledgeBase

# Monitoring and pregnancy appear in the questions, serious risks and boxed warnings under warning
# signs: the table holds the rest, so the sheet stays short enough to print.
GLANCE_FIELDS = ("category", "status", "route", "frequency", "approved_for", "common_side_effects")
DIFFERENCE_FIELDS = ("status", "route", "frequency", "approved_for", "efficacy", "boxed_warning")
SHEET_NOTE = (
    "Take this sheet to your MS team. It sets the treatments side by side and suggests questions; "
    "it does not rank them or recommend one, and only your team can weigh them for you."
)


def _joined(value: object) -> str:
    return "; ".join(value) if isinstance(value, list) else str(value)


def _shown(kb: KnowledgeBase, entry: dict[str, object], key: str) -> str:
    if key not in entry:
        return "not recorded"
    return _joined(display_value(kb, key, entry[key])) or "-"


def questions(kb: KnowledgeBase, entry: dict[str, object]) -> list[str]:
    """Questions for the MS team about one treatment, quoting what the knowledge base records."""
    name = str(entry["name"])
    asked = []
    monitoring = entry.get("monitoring")
    asked.append(
        f"Monitoring: which tests will I need before starting {name} and while taking it, and how often?"
        + (f" Recorded: {_joined(monitoring)}." if monitoring else " The knowledge base records none; ask what is needed.")
    )
    pregnancy = entry.get("pregnancy")
    asked.append(
        "Pregnancy plans: what should I plan if I might become pregnant, or want to breastfeed?"
        + (f" Recorded: {pregnancy}" if pregnancy else "")
    )
    asked.append(
        f"Infections and vaccines: which vaccines should I have before starting {name}, are any unsuitable "
        "while I take it, and how will infections be watched for?"
    )
    how = []
    if entry.get("route"):
        how.append(f"route: {_shown(kb, entry, 'route')}")
    if entry.get("frequency"):
        how.append(f"how often: {entry['frequency']}")
    asked.append(
        "Time commitment: how and where is it given, and how long does each dose or visit take?"
        + (f" Recorded: {'; '.join(how)}." if how else "")
    )
    asked.append(f"Stopping: what happens if I stop or pause {name}, and what would come next?")
    return asked


def warning_signs(kb: KnowledgeBase, entry: dict[str, object]) -> list[str]:
    """The serious risks and US boxed warning an entry records, phrased as things to report."""
    signs = []
    risks = entry.get("serious_risks")
    if risks:
        signs.append(f"{entry['name']}: tell your MS team promptly about any sign of: {_joined(risks)}.")
    if entry.get("boxed_warning"):
        signs.append(f"{entry['name']}, US boxed warning: {entry['boxed_warning']}")
    if not signs:
        signs.append(f"{entry['name']}: the knowledge base records no serious risks; ask your MS team what to watch for.")
    return signs


def prepare(kb: KnowledgeBase, queries: list[str]) -> dict[str, object]:
    """The clinic-visit sheet for one or more treatments."""
    if not queries:
        raise UsageError("prepare needs at least one treatment")
    chosen: list[dict[str, object]] = []
    for query in queries:
        entry = resolve(kb, query)
        if entry["kind"] != "treatment":
            raise UsageError(f"{entry['name']!r} is a {KIND_LABELS[str(entry['kind'])]}, not a treatment")
        if entry not in chosen:
            chosen.append(entry)
    names = [str(e["name"]) for e in chosen]
    doc: list[tuple[object, ...]] = [
        ("title", "Clinic visit: " + ", ".join(names), f"knowledge base reviewed up to {kb.newest_reviewed}"),
        ("note", SHEET_NOTE + (" " + models.COMPARE_CAVEAT if len(chosen) > 1 else "")),
        ("heading", "At a glance"),
    ]
    rows = [[models.LABELS[key], *[_shown(kb, e, key) for e in chosen]] for key in GLANCE_FIELDS
            if any(key in e for e in chosen)]
    doc.append(("matrix", ["", *names], rows))
    differences = []
    if len(chosen) > 1:
        for key in DIFFERENCE_FIELDS:
            values = [_shown(kb, e, key) for e in chosen]
            if len(set(values)) > 1:
                differences.append(f"{models.LABELS[key]}: " + "; ".join(f"{n}: {v}" for n, v in zip(names, values)))
        doc.append(("heading", "Where they differ"))
        doc.append(("bullets", differences or ["They do not differ in route, frequency, approved forms or boxed warning."]))
    asked = {str(e["id"]): questions(kb, e) for e in chosen}
    for entry in chosen:
        doc.append(("heading", f"Questions to ask about {entry['name']}"))
        doc.append(("bullets", asked[str(entry["id"])]))
    signs = {str(e["id"]): warning_signs(kb, e) for e in chosen}
    doc.append(("heading", "Warning signs to report"))
    doc.append(("bullets", [sign for entry in chosen for sign in signs[str(entry["id"])]]))
    doc.append(("heading", "My notes"))
    doc.append(("space", 5))
    for entry in chosen:
        doc.append(("heading", f"Sources: {entry['name']} (reviewed {entry['reviewed']})"))
        doc.append(("links", source_links(entry)))
    data = {
        "note": SHEET_NOTE,
        "caveat": models.COMPARE_CAVEAT if len(chosen) > 1 else None,
        "treatments": [entry_json(e) for e in chosen],
        "differences": differences,
        "questions": asked,
        "warning_signs": signs,
        "reviewed": kb.newest_reviewed,
    }
    return {"data": data, "doc": doc}
