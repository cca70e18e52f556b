"""What each command answers, as data: the JSON contract and a neutral document for people.

A view is a dict {"data": <JSON payload>, "doc": [blocks]}. Renderers turn blocks into Rich, plain text
or Markdown; the JSON renderer prints `data`. Blocks are tuples:

    ("title", text, subtitle)      ("heading", text)       ("para", text)
    ("fields", [(label, value)])   ("table", headers, rows)   ("matrix", headers, rows)
    ("bullets", [text])            ("links", [(title, url)])   ("note", text)
    ("diagram", mermaid source)    (Markdown and HTML show it; plain text and the terminal skip it)

where a value or a table cell is a string or a list of strings. A matrix is a table whose first column
names a field and whose other columns are entries side by side (compare); renderers that cannot show
wide tables (plain text) lay it out field by field.
"""

from __future__ import annotations

from ms_ref import models, search
from ms_ref.errors import NotFoundError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: it costs a few milliseconds per start
    from ms_ref.kb import KnowledgeBase

class Ref(str):
    """The display name of another entry: renderers show it as text, Markdown can make it a [[wiki-link]]."""

    __slots__ = ()


KIND_FIELDS = {
    "treatment": models.TREATMENT_FIELDS,
    "term": models.TERM_FIELDS,
    "step": models.STEP_FIELDS,
    "family": models.FAMILY_FIELDS,
}
KIND_LABELS = {"treatment": "treatment", "term": "glossary term", "step": "immune-cascade step", "family": "treatment family"}

MS_FORM_ALIASES = {
    "cis": "CIS",
    "clinically isolated syndrome": "CIS",
    "rrms": "RRMS",
    "relapsing remitting": "RRMS",
    "relapsing remitting ms": "RRMS",
    "active spms": "active SPMS",
    "spms": "SPMS",
    "secondary progressive": "SPMS",
    "secondary progressive ms": "SPMS",
    "ppms": "PPMS",
    "primary progressive": "PPMS",
    "primary progressive ms": "PPMS",
}


def entry_json(entry: dict[str, object]) -> dict[str, object]:
    """An entry with every field of its kind, absent ones as null: stable keys for scripts."""
    fields = KIND_FIELDS[str(entry["kind"])]
    return {"kind": entry["kind"], **{key: entry.get(key) for key in fields}}


# --------------------------------------------------------------------------------------------------
# Lookups


def resolve(kb: KnowledgeBase, query: str) -> dict[str, object]:
    """The one entry `query` names, or NotFoundError with suggestions / the candidates.

    An answer found by tolerating typos or partial names is announced on stderr, so a reader sees what
    msref took their words to mean.
    """
    if not query.strip():
        raise UsageError("the query is empty; give a term or treatment name")
    found = search.resolve_query(kb, query)
    ids: list[str] = found["ids"]  # type: ignore[assignment]
    if len(ids) == 1:
        entry = kb.entry(ids[0])
        if found["match"] in ("prefix", "words", "fuzzy"):
            import sys

            sys.stderr.write(f"msref: showing {entry['name']} for {_quoted(query)}\n")
        return entry
    if ids:
        shown = []
        for i in ids[:12]:
            entry = kb.entry(i)
            shown.append(f"{entry['name']} ({KIND_LABELS[str(entry['kind'])]}): msref explain {i}")
        if len(ids) > 12:
            shown.append(f"... and {len(ids) - 12} more; `msref search` ranks them")
        raise NotFoundError(f"{_quoted(query)} could mean several entries; say which one", hints=shown)
    hints = [f"did you mean: {name}" for name in search.suggest(kb, query)]
    raise NotFoundError(f"no entry for {_quoted(query)}", hints=hints)


def _quoted(query: str) -> str:
    """A query shown back to the user: quoted, with control characters escaped, and not too long."""
    text = repr(query[:80] + ("..." if len(query) > 80 else ""))
    return text


def family_id(value: str) -> str:
    """A family id from what people type (DMT, stem_cell, rehab...); UsageError lists valid ones."""
    key = "-".join(search.normalise(value).split())
    if key in models.FAMILY_ALIASES:
        return models.FAMILY_ALIASES[key]
    valid = ", ".join(models.FAMILY_IDS)
    raise UsageError(f"unknown treatment family {value!r}; valid families: {valid}")


def _choice(value: str, choices: tuple[str, ...], what: str, aliases: dict[str, str] | None = None) -> str:
    key = search.normalise(value)
    for choice in choices:
        if search.normalise(choice) == key:
            return choice
    if aliases and key in aliases:
        return aliases[key]
    raise UsageError(f"unknown {what} {value!r}; valid: {', '.join(choices)}")


# --------------------------------------------------------------------------------------------------
# Display helpers


def _name_list(kb: KnowledgeBase, ids: object) -> list[str]:
    return [Ref(kb.name(str(i))) for i in (ids or [])]  # type: ignore[union-attr]


def display_value(kb: KnowledgeBase, key: str, value: object) -> str | list[str]:
    """How one field reads to a person."""
    if value is None:
        return "none" if key == "boxed_warning" else ""
    if key == "approvals":
        shown = []
        for item in value:  # type: ignore[attr-defined]
            note = f", {item['note']}" if item.get("note") else ""
            shown.append(f"{item['agency']} {item['year']}{note}")
        return shown
    if key == "evidence":
        return f"{value['level']} (graded by: {value['source']})"  # type: ignore[index]
    if key in ("acts_on", "related", "terms"):
        return _name_list(kb, value)
    if key == "family":
        return kb.name(str(value))
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def _family_name(kb: KnowledgeBase, entry: dict[str, object]) -> str:
    return str(display_value(kb, "family", entry.get("family")))


def _subtitle(kb: KnowledgeBase, entry: dict[str, object]) -> str:
    kind = str(entry["kind"])
    if kind == "treatment":
        parts = [_family_name(kb, entry), str(entry["category"]), str(entry["status"])]
    elif kind == "term":
        parts = ["glossary term", str(entry["category"])]
    elif kind == "step":
        steps = kb.ids("step")
        parts = [f"immune-cascade step {steps.index(str(entry['id'])) + 1} of {len(steps)}"]
    else:
        parts = ["treatment family"]
    return " | ".join(parts)


def source_links(entry: dict[str, object]) -> list[tuple[str, str]]:
    """An entry's citations as (title, url) pairs, for a ("links", ...) block."""
    return [(str(s["title"]), str(s["url"])) for s in entry.get("sources", [])]  # type: ignore[union-attr]


def _sources_block(entry: dict[str, object]) -> list[tuple[object, ...]]:
    return [("heading", "Sources"), ("links", source_links(entry)), ("para", f"Reviewed: {entry.get('reviewed')}")]


# --------------------------------------------------------------------------------------------------
# Commands


def explain(kb: KnowledgeBase, query: str) -> dict[str, object]:
    """One entry in full."""
    entry = resolve(kb, query)
    doc: list[tuple[object, ...]] = [("title", str(entry["name"]), _subtitle(kb, entry))]
    doc.append(("para", str(entry["summary"])))
    fields = []
    for key in models.LABELS:
        if key in entry and key not in ("category", "status") and key in KIND_FIELDS[str(entry["kind"])]:
            shown = display_value(kb, key, entry[key])
            if shown:
                fields.append((models.LABELS[key], shown))
    kind = entry["kind"]
    links = kb.links(str(entry["id"]))
    if kind == "step":
        acting = [Ref(name) for _id, name in links["acting"]]
        fields.append(("Treatments acting here", acting or ["none in the knowledge base"]))
    if kind == "family":
        fields.append(("Treatments", [Ref(name) for _id, name in links["members"]]))
    if kind == "term" and links["mentioned_by"]:
        fields.append(("Treatments that mention it", [Ref(name) for _id, name in links["mentioned_by"]]))
    doc.append(("fields", fields))
    doc.extend(_sources_block(entry))
    return {"data": entry_json(entry), "doc": doc}


def treatments(
    kb: KnowledgeBase,
    family: str | None = None,
    route: str | None = None,
    ms_form: str | None = None,
    status: str | None = None,
) -> dict[str, object]:
    """The treatments table, filtered; grouped by family unless one family is asked for.

    Tables come from the compiled rows; whole entries are read only if JSON asks for them.
    """
    family = family_id(family) if family else None
    route = _choice(route, models.ROUTES, "route") if route else None
    ms_form = _choice(ms_form, models.MS_FORMS, "MS form", MS_FORM_ALIASES) if ms_form else None
    status = _choice(status, models.STATUSES, "status") if status else None
    forms = {ms_form} if ms_form != "active SPMS" else {"active SPMS", "SPMS"}

    def keep(row: dict[str, object]) -> bool:
        routes = row.get("route") or []
        routes = routes if isinstance(routes, list) else [routes]
        return (
            (route is None or route in routes)
            and (ms_form is None or bool(forms & set(row.get("approved_for") or [])))  # type: ignore[arg-type]
            and (status is None or row["status"] == status)
        )

    families = [family] if family else kb.ids("family")
    chosen = {fam: [row for row in kb.treatment_rows(fam) if keep(row)] for fam in families}
    filters = {"type": family, "route": route, "for": ms_form, "status": status}

    def data() -> dict[str, object]:
        rows = [row for fam in families for row in chosen[fam]]
        return {"filters": filters, "treatments": [entry_json(kb.entry(str(row["id"]))) for row in rows]}

    headers = ["Treatment", "Category", "Status", "Route", "Approved for"]
    shown_filters = ", ".join(f"{k} {v}" for k, v in filters.items() if v and k != "type")
    doc: list[tuple[object, ...]] = [("title", "Treatments for MS" if not family else f"Treatments: {kb.name(family)}", "")]
    for fam in families:
        rows = [_treatment_row(row) for row in chosen[fam]]
        if not rows and not family:
            continue
        fam_entry = kb.entry(fam)
        if not family:
            doc.append(("heading", str(fam_entry["name"])))
        doc.append(("para", str(fam_entry["summary"])))
        if rows:
            doc.append(("table", headers, rows))
        else:
            doc.append(("para", "No treatments match these filters."))
    count = sum(len(rows) for rows in chosen.values())
    if not count and not family:
        doc.append(("para", "No treatments match these filters."))
    plural = "s" if count != 1 else ""
    where = f" ({shown_filters})" if shown_filters else ""
    doc.append(("note", f"{count} treatment{plural}{where}. `msref explain NAME` shows one in full."))
    return {"data": data, "doc": doc}


def _treatment_row(row: dict[str, object]) -> list[str | list[str]]:
    route = row.get("route")
    approved = row.get("approved_for")
    return [
        Ref(str(row["name"])),
        str(row["category"]),
        str(row["status"]),
        (route if isinstance(route, list) else str(route)) if route else "-",  # type: ignore[list-item]
        [str(form) for form in approved] if approved else "-",  # type: ignore[union-attr]
    ]


def compare(kb: KnowledgeBase, queries: list[str]) -> dict[str, object]:
    """Treatments side by side, field by field, with the not-head-to-head caveat."""
    if len(queries) < 2:
        raise UsageError("compare needs at least two treatments")
    chosen: list[dict[str, object]] = []
    for query in queries:
        entry = resolve(kb, query)
        if entry["kind"] != "treatment":
            label = KIND_LABELS[str(entry["kind"])]
            raise UsageError(f"{entry['name']!r} is a {label}, not a treatment; compare takes treatments")
        if entry in chosen:
            raise UsageError(f"{entry['name']!r} is named twice; compare needs different treatments")
        chosen.append(entry)
    headers = ["", *[str(e["name"]) for e in chosen]]
    rows = []
    for key in models.COMPARE_FIELDS:
        if not any(key in e for e in chosen):
            continue
        cells: list[str | list[str]] = [models.LABELS[key]]
        for entry in chosen:
            if key in entry:
                cells.append(display_value(kb, key, entry[key]) or "-")
            else:
                cells.append("not recorded")
        rows.append(cells)
    doc: list[tuple[object, ...]] = [
        ("title", "Comparison: " + ", ".join(headers[1:]), "side by side, not ranked"),
        ("note", models.COMPARE_CAVEAT),
        ("matrix", headers, rows),
    ]
    for entry in chosen:
        doc.append(("heading", f"Sources: {entry['name']}"))
        doc.append(("links", source_links(entry)))
        doc.append(("para", f"Reviewed: {entry['reviewed']}"))
    data = {
        "caveat": models.COMPARE_CAVEAT,
        "fields": list(models.COMPARE_FIELDS),
        "treatments": [entry_json(e) for e in chosen],
    }
    return {"data": data, "doc": doc}


def search_view(
    kb: KnowledgeBase, text: str, kind: str | None = None, family: str | None = None, limit: int = 20
) -> dict[str, object]:
    """Ranked full-text hits, each with the fields it matched in."""
    if not text.strip():
        raise UsageError("the search text is empty")
    kind = _choice(kind, models.KINDS, "kind") if kind else None
    family = family_id(family) if family else None
    hits = search.full_text_search(kb, text, (kind,) if kind else (), family, limit)
    data = {
        "query": text,
        "results": [
            {
                "id": h["entry"]["id"],  # type: ignore[index]
                "kind": h["entry"]["kind"],  # type: ignore[index]
                "name": h["entry"]["name"],  # type: ignore[index]
                "score": h["score"],
                "matches": h["matches"],
            }
            for h in hits
        ],
    }
    if not hits:
        raise NotFoundError(f"nothing in the knowledge base matches {_quoted(text)}", hints=[
            f"did you mean: {name}" for name in search.suggest(kb, text)
        ])
    doc: list[tuple[object, ...]] = [("title", f"Search: {text}", f"{len(hits)} ranked results")]
    for position, hit in enumerate(hits, 1):
        entry = hit["entry"]
        label = KIND_LABELS[str(entry["kind"])]  # type: ignore[index]
        if entry["kind"] == "treatment":  # type: ignore[index]
            label = f"{_family_name(kb, entry)}"  # type: ignore[arg-type]
        doc.append(("heading", f"{position}. {entry['name']} ({label})"))  # type: ignore[index]
        fields = [(f"matched in {m['field']}", m["snippet"]) for m in hit["matches"]]  # type: ignore[union-attr]
        doc.append(("fields", fields))
    return {"data": data, "doc": doc}


def glossary(kb: KnowledgeBase, category: str | None = None) -> dict[str, object]:
    """The glossary terms, optionally of one category."""
    category = _choice(category, models.TERM_CATEGORIES, "category") if category else None
    terms = [term for term in kb.entries("term") if category is None or term["category"] == category]
    terms.sort(key=lambda e: search.normalise(str(e["name"])))
    rows = [[str(t["name"]), str(t["category"]), str(t["summary"])] for t in terms]
    title = "Glossary" + (f": {category}" if category else "")
    doc: list[tuple[object, ...]] = [
        ("title", title, f"{len(terms)} terms"),
        ("table", ["Term", "Category", "Meaning"], rows),
    ]
    return {"data": {"category": category, "terms": [entry_json(t) for t in terms]}, "doc": doc}


def immune(kb: KnowledgeBase) -> dict[str, object]:
    """The immune cascade step by step, with the terms involved and the treatments acting there."""
    steps = []
    doc: list[tuple[object, ...]] = [
        ("title", "How MS affects the immune system", "the immune cascade, step by step, with the treatments that act at each step"),
    ]
    for position, step_id in enumerate(kb.ids("step"), 1):
        step = kb.entry(step_id)
        acting = kb.links(step_id)["acting"]
        steps.append({**entry_json(step), "position": position, "treatments": [i for i, _name in acting]})
        doc.append(("heading", f"{position}. {step['name']}"))
        doc.append(("para", str(step["summary"])))
        doc.append((
            "fields",
            [
                ("Terms involved", _name_list(kb, step.get("terms")) or ["-"]),
                ("Treatments acting here", [Ref(name) for _i, name in acting] or ["none in the knowledge base"]),
            ],
        ))
    doc.insert(1, ("diagram", mermaid_cascade(kb)))
    return {"data": {"steps": steps}, "doc": doc, "mermaid": mermaid_cascade(kb)}


def mermaid_cascade(kb: KnowledgeBase) -> str:
    """The immune cascade as a Mermaid flowchart: steps in order, each treatment linked to its steps."""

    def node(entry_id: str) -> str:
        return "n_" + entry_id.replace("-", "_")

    def label(text: str) -> str:
        return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")

    lines = ["flowchart TD"]
    steps = kb.ids("step")
    for position, step_id in enumerate(steps, 1):
        lines.append(f'    {node(step_id)}["{position}. {label(kb.name(step_id))}"]')
    lines.extend(f"    {node(a)} --> {node(b)}" for a, b in zip(steps, steps[1:]))
    seen: set[str] = set()
    for step_id in steps:
        for treatment_id, name in kb.links(step_id)["acting"]:
            if treatment_id not in seen:
                seen.add(treatment_id)
                lines.append(f'    {node(treatment_id)}(["{label(name)}"])')
            lines.append(f"    {node(treatment_id)} -.-> {node(step_id)}")
    lines.append("    classDef treatment fill:#eef6ff,stroke:#5b8bd0")
    if seen:
        lines.append("    class " + ",".join(node(i) for i in sorted(seen)) + " treatment")
    return "\n".join(lines)


def sources(kb: KnowledgeBase, query: str) -> dict[str, object]:
    """An entry's citations and review date."""
    entry = resolve(kb, query)
    data = {
        "id": entry["id"],
        "kind": entry["kind"],
        "name": entry["name"],
        "sources": entry["sources"],
        "reviewed": entry["reviewed"],
    }
    doc: list[tuple[object, ...]] = [("title", f"Sources: {entry['name']}", _subtitle(kb, entry))]
    doc.extend(_sources_block(entry)[1:])
    return {"data": data, "doc": doc}


def paths_view() -> dict[str, object]:
    """Where msref reads and writes, and whether each place exists."""
    import os

    from ms_ref import loader, resources

    shipped, user = loader.source_files()
    cache_file = loader.cache_path([*shipped, *user])
    data = {
        "data_dir": resources.data_dir(),
        "data_source": resources.data_source(),
        "data_files": shipped,
        "user_dir": resources.user_dir(),
        "user_files": user,
        "cache_dir": resources.cache_dir(),
        "cache_file": cache_file,
        "cache_exists": os.path.isfile(cache_file),
        "schema_dir": resources.schema_dir(),
    }
    source_label = {
        "MSREF_DATA_DIR": "set by MSREF_DATA_DIR",
        "packaged": "shipped with msref",
        "checkout": "the source checkout's data/",
    }[resources.data_source()]
    user_note = f"{len(user)} entry file(s)" if user else "no entry files yet; add *.yaml here (MSREF_USER_DIR overrides)"
    fields = [
        ("Knowledge base", f"{data['data_dir']} ({source_label})"),
        ("Your own entries", f"{data['user_dir']} ({user_note})"),
        ("Cache", f"{cache_file} ({'present' if data['cache_exists'] else 'not built yet'})"),
        ("JSON Schemas", str(data["schema_dir"])),
    ]
    return {"data": data, "doc": [("title", "msref paths", ""), ("fields", fields)]}


def validate_view(paths: list[str]) -> tuple[dict[str, object], bool]:
    """Validate the shipped data and the user's entries, or the given folders/files.

    A folder is read as a knowledge base (treatments.yaml and glossary.yaml); files are read as user
    entry files on top of it (or on top of the shipped data).
    """
    import os

    from ms_ref import loader, resources

    shipped, user = loader.source_files()
    if paths:
        folders = [p for p in paths if os.path.isdir(p)]
        files = [os.path.abspath(p) for p in paths if not os.path.isdir(p)]
        if len(folders) > 1:
            raise UsageError("give at most one knowledge-base folder to validate")
        if folders:
            shipped = [os.path.join(os.path.abspath(folders[0]), name) for name in resources.KB_FILES]
        user = files
    kb, problems = loader.build_knowledge_base(shipped, user)
    counts = {kind: len(kb.ids(kind)) for kind in models.KINDS}
    overrides = [{"id": entry_id, "file": path} for entry_id, path in kb.overrides]
    data = {
        "ok": not problems,
        "files": [*shipped, *user],
        "counts": counts,
        "overrides": overrides,
        "problems": problems,
    }
    plurals = {"family": "families"}
    summary = ", ".join(
        f"{n} {kind if n == 1 else plurals.get(kind, kind + 's')}" for kind, n in counts.items()
    )
    doc: list[tuple[object, ...]] = [
        ("title", "Validation " + ("passed" if not problems else f"failed: {len(problems)} problem(s)"), summary),
        ("heading", "Files"),
        ("bullets", [*shipped, *user]),
    ]
    if overrides:
        doc += [("heading", "Overrides"), ("bullets", [f"{o['id']} is overridden by {o['file']}" for o in overrides])]
    if problems:
        doc += [("heading", "Problems"), ("bullets", problems)]
    return {"data": data, "doc": doc}, not problems
