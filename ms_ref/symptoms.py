"""`msref symptoms`: symptom first. The MS symptoms msref covers, and for one of them what can help, grouped
by family, with each option's status for that use and the graded evidence. Never ranked: options are in
alphabetical order within a group. Disease-modifying therapies act on MS itself and are not listed.

The link from a treatment to a symptom is data (`treats` in treatments.yaml, validated), compiled into
each symptom's `treated_by` back-links.
"""

from __future__ import annotations

from ms_ref.errors import NotFoundError
from ms_ref.views import KIND_LABELS, Ref, quoted, resolve, sources_blocks

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Block, Cell, Entry, Treat, View

# How options are grouped, in display order: (group id, heading, which treatments belong).
GROUPS: tuple[tuple[str, str, Callable[[Entry], bool]], ...] = (
    ("medicines", "Medicines", lambda e: e["family"] == "symptomatic" and e["status"] != "therapy"),
    (
        "procedures",
        "Procedures and other treatments",
        lambda e: e["family"] in ("symptomatic", "stem-cell") and e["status"] == "therapy",
    ),
    ("rehabilitation", "Rehabilitation", lambda e: e["family"] == "rehabilitation"),
    ("complementary", "Complementary therapies", lambda e: e["family"] == "complementary"),
)
DMT_NOTE = (
    "Disease-modifying therapies act on MS itself, to reduce relapses and slow disability; they are not "
    "listed here as treatments for this symptom."
)
STATUS_WORDS = {
    "approved": "licensed for this use",
    "off-label": "used off-label (outside its licence) for this",
    "investigational": "under study",
    "therapy": "a therapy",
}


def _group(entry: Entry) -> str | None:
    for group, _heading, belongs in GROUPS:
        if belongs(entry):
            return group
    return None


def _treat(entry: Entry, symptom_id: str) -> Treat | None:
    for item in entry.get("treats") or []:
        if item["symptom"] == symptom_id:
            return item
    return None


def symptom_ids(kb: KnowledgeBase) -> list[str]:
    """The symptoms msref covers: glossary terms of the symptoms category, and any term a treatment treats."""
    found = []
    for entry_id in kb.ids("term"):
        record = kb.record(entry_id)
        assert record is not None
        if record["entry"]["category"] == "symptoms" or record["links"].get("treated_by"):
            found.append(entry_id)
    return found


def options(kb: KnowledgeBase, symptom_id: str) -> dict[str, list[tuple[Entry, Treat]]]:
    """The treatments of each group that treat `symptom_id` (disease-modifying therapies left out)."""
    grouped: dict[str, list[tuple[Entry, Treat]]] = {group: [] for group, _h, _b in GROUPS}
    for treatment_id, _name in kb.links(symptom_id).get("treated_by", []):
        entry = kb.entry(treatment_id)
        group, treat = _group(entry), _treat(entry, symptom_id)
        if group is not None and treat is not None:
            grouped[group].append((entry, treat))
    for items in grouped.values():
        items.sort(key=lambda pair: pair[0]["name"].casefold())
    return grouped


def overview(kb: KnowledgeBase) -> View:
    """Every symptom msref covers, with how many options of each kind it has."""
    rows: list[list[Cell]] = []
    data = []
    for symptom_id in symptom_ids(kb):
        entry = kb.entry(symptom_id)
        counts = {group: len(items) for group, items in options(kb, symptom_id).items()}
        data.append({"id": symptom_id, "name": entry["name"], "summary": entry["summary"], "options": counts})
        rows.append([Ref(entry["name"]), entry["summary"], *[str(counts[group]) for group, _h, _b in GROUPS]])
    headers = ["Symptom", "What it is", "Medicines", "Procedures", "Rehab", "Complementary"]
    doc: list[Block] = [
        {"type": "title", "text": "Symptoms of MS", "subtitle": f"{len(rows)} symptoms and how many options each has"},
        {"type": "table", "headers": headers, "rows": rows},
        {
            "type": "note",
            "text": "`msref symptoms NAME` shows what can help one symptom, with the evidence. " + DMT_NOTE,
        },
    ]
    return {"data": {"symptoms": data}, "doc": doc}


def _questions(entry: Entry, grouped: dict[str, list[tuple[Entry, Treat]]]) -> list[str]:
    name = entry["name"].lower() if not entry["name"].isupper() else entry["name"]
    professions = sorted(
        {p for treatment, _t in grouped["rehabilitation"] for p in treatment.get("delivered_by") or []}
    )
    asked = [
        f"What is causing my {name}, and could something other than MS be adding to it?",
        "Which of these options could suit me, what would it involve, and what side effects should I watch for?",
        "How long before we know whether a treatment helps, and when would we stop it?",
        "What can I do day to day that might help?",
    ]
    if professions:
        asked.insert(2, "Could I be referred to a " + " or ".join(professions[:3]) + "?")
    return asked


def detail(kb: KnowledgeBase, query: str) -> View:
    """One symptom: what it is, then what can help, grouped, then questions for the MS team."""
    notes: list[str] = []
    try:
        entry = resolve(kb, query, notes)
    except NotFoundError as exc:
        raise NotFoundError(
            f"no symptom matches {quoted(query)}",
            hints=[*exc.hints, "`msref symptoms` lists the symptoms msref covers"],
        ) from None
    if entry["id"] not in symptom_ids(kb):
        raise NotFoundError(
            f"{entry['name']!r} is a {KIND_LABELS[entry['kind']]}, not a symptom msref lists treatments for",
            hints=[f"msref explain {entry['id']}", "`msref symptoms` lists the symptoms msref covers"],
        )
    grouped = options(kb, entry["id"])
    doc: list[Block] = [
        {"type": "title", "text": entry["name"], "subtitle": "a symptom of MS: what can help"},
        {"type": "para", "text": entry["summary"]},
        {
            "type": "note",
            "text": "Options are listed by kind and in alphabetical order, not ranked. Only your MS "
            "team can weigh them for you. " + DMT_NOTE,
        },
    ]
    data_options = []
    for group, heading, _belongs in GROUPS:
        items = grouped[group]
        if not items:
            continue
        rows: list[list[Cell]] = []
        listed = []
        for treatment, treat in items:
            evidence = treatment.get("evidence")
            graded = f"{evidence['level']} (graded by {evidence['source']})" if evidence else "not graded"
            status = STATUS_WORDS.get(treat["status"], treat["status"])
            if treat.get("note"):
                status += f"; {treat['note']}"
            rows.append([Ref(treatment["name"]), status, graded, treatment["summary"]])
            listed.append(
                {
                    "id": treatment["id"],
                    "name": treatment["name"],
                    "status": treat["status"],
                    "status_note": treat.get("note"),
                    "evidence": evidence,
                    "summary": treatment["summary"],
                }
            )
        doc.append({"type": "heading", "text": heading})
        doc.append(
            {"type": "table", "headers": ["Option", "Status for this", "Evidence", "What it involves"], "rows": rows}
        )
        data_options.append({"family": group, "treatments": listed})
    if not data_options:
        doc.append({"type": "para", "text": "The knowledge base lists no treatments for this symptom yet."})
    doc.append({"type": "heading", "text": "Questions to ask your MS team"})
    doc.append({"type": "bullets", "items": _questions(entry, grouped)})
    doc.extend(sources_blocks(entry))
    data: dict[str, object] = {
        "symptom": {"id": entry["id"], "name": entry["name"], "summary": entry["summary"]},
        "options": data_options,
    }
    return {"data": data, "doc": doc, "notes": notes}
