"""What each command answers, as data: the JSON payload and a neutral document for people.

A view is {"data": payload, "doc": [blocks], "notes": [messages for standard error]} (ms_ref.types).
Renderers (ms_ref.render) draw the blocks; the JSON renderer writes the data. Nothing here prints.
"""

from __future__ import annotations

from ms_ref import lookup, spec
from ms_ref.errors import NotFoundError, UsageError
from ms_ref.words import normalise

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Block, CascadeStep, Cell, Entry, Field, Link, View


class Ref(str):
    """The display name of another entry: renderers show it as text, Markdown can make it a [[wiki-link]]."""

    __slots__ = ()


KIND_FIELDS = {
    "treatment": spec.TREATMENT_FIELDS,
    "term": spec.TERM_FIELDS,
    "step": spec.STEP_FIELDS,
    "family": spec.FAMILY_FIELDS,
}
KIND_LABELS = {
    "treatment": "treatment",
    "term": "glossary term",
    "step": "immune-cascade step",
    "family": "treatment family",
}

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
    "relapsing ms": "relapsing",
    "rms": "relapsing",
    "relapsing forms": "relapsing",
}
# How a null value reads: the source says there is none (boxed warning, access programme).
NONE = "none"
NOT_RECORDED = "not recorded"


def _empty(kind: spec.Kind) -> object:
    """The JSON value of a field the entry does not record: an empty list for lists, else null."""
    if isinstance(kind, tuple) and kind[0] in ("list", "one-or-list"):
        return []
    return None


def entry_json(entry: Entry) -> dict[str, object]:
    """An entry with every field of its kind: absent lists as [], other absent fields as null, and
    `not_recorded` naming the fields the knowledge base does not record (so a null boxed warning that
    the label confirms absent reads differently from one nobody checked)."""
    fields = KIND_FIELDS[entry["kind"]]
    data: dict[str, object] = {"kind": entry["kind"]}
    missing = []
    for key, (kind, _required) in fields.items():
        if key in entry:
            data[key] = entry[key]  # type: ignore[literal-required]
        else:
            data[key] = _empty(kind)
            missing.append(key)
    data["not_recorded"] = missing
    return data


# --------------------------------------------------------------------------------------------------
# Lookups


# At most this many treatments a list of candidates offers to compare.
COMPARED = 4


def resolve(kb: KnowledgeBase, query: str, notes: list[str] | None = None) -> Entry:
    """The one entry `query` names, or NotFoundError with suggestions / the candidates.

    An answer found by tolerating typos or partial names is announced (in `notes`, for standard error),
    so a reader sees what msref took their words to mean.
    """
    if not query.strip():
        raise UsageError("the query is empty; give a term or treatment name")
    found = lookup.resolve_query(kb, query)
    ids = found["ids"]
    if len(ids) == 1:
        entry = kb.entry(ids[0])
        if found["match"] in ("prefix", "ranked", "fuzzy") and notes is not None:
            notes.append(f"showing {entry['name']} for {quoted(query)}")
        return entry
    if ids:
        hints = [*candidate_lines(kb, ids[:12]), *([f"... and {len(ids) - 12} more"] if len(ids) > 12 else [])]
        if len(ids) <= COMPARED and all(kb.entry(i)["kind"] == "treatment" for i in ids):
            hints.append(f"`msref compare {' '.join(ids)}` sets them side by side")
        if all(kb.entry(i)["kind"] == "family" for i in ids):
            hints.append("`msref treatments --type dmt` lists the treatments of one family")
        raise NotFoundError(f"{quoted(query)} could mean several entries; say which one", hints=hints)
    hints = [f"did you mean: {name}" for name in lookup.suggest(kb, query)]
    hints.append(f"`msref search {search_words(query)}` looks for the words in every field")
    raise NotFoundError(f"no entry for {quoted(query)}", hints=hints)


def candidate_lines(kb: KnowledgeBase, ids: list[str]) -> list[str]:
    """Each candidate of an ambiguous query: its name, kind and plain summary, then the command for it."""
    lines = []
    for entry_id in ids:
        entry = kb.entry(entry_id)
        summary = first_sentence(str(entry.get("summary", "")))
        lines.append(f"{entry['name']} ({KIND_LABELS[entry['kind']]}): {summary}")
        lines.append(f"    msref explain {entry_id}")
    return lines


def first_sentence(text: str) -> str:
    """The first sentence of a summary (its plain one-line meaning)."""
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def search_words(query: str) -> str:
    """The query as words for a `msref search` command line: safe to paste into a shell."""
    words = normalise(query[:80]).split()
    return " ".join(w for w in words if w.isalnum()) or "WORDS"


def quoted(query: str) -> str:
    """A query shown back to the user: quoted, with control characters escaped, and not too long."""
    return repr(query[:80] + ("..." if len(query) > 80 else ""))


def family_id(value: str) -> str:
    """A family id from what people type (DMT, stem_cell, rehab...); UsageError lists valid ones."""
    key = "-".join(normalise(value).split())
    if key in spec.FAMILY_ALIASES:
        return spec.FAMILY_ALIASES[key]
    raise UsageError(f"unknown treatment family {quoted(value)}; valid families: {', '.join(spec.FAMILY_IDS)}")


def choice(value: str, choices: tuple[str, ...], what: str, aliases: dict[str, str] | None = None) -> str:
    """One of `choices` from what people type (any case and punctuation), or UsageError listing them."""
    key = normalise(value)
    for option in choices:
        if normalise(option) == key:
            return option
    if aliases and key in aliases:
        return aliases[key]
    raise UsageError(f"unknown {what} {quoted(value)}; valid: {', '.join(choices)}")


# --------------------------------------------------------------------------------------------------
# Display helpers


def name_list(kb: KnowledgeBase, ids: list[str]) -> list[str]:
    return [Ref(kb.name(i)) for i in ids]


LAY_SHOWN = 8


def display_value(kb: KnowledgeBase, key: str, value: object) -> Cell:
    """How one field reads to a person."""
    if value is None:
        return NONE if key in ("boxed_warning", "access_programme") else ""
    if key == "approvals" and isinstance(value, list):
        return [
            f"{item['agency']} {item['year']}" + (f", {item['note']}" if item.get("note") else "") for item in value
        ]
    if key == "evidence" and isinstance(value, dict):
        return f"{value['level']} (graded by: {value['source']})"
    if key == "treats" and isinstance(value, list):
        return [
            f"{Ref(kb.name(item['symptom']))} ({item['status']}" + (f": {item['note']})" if item.get("note") else ")")
            for item in value
        ]
    if key in ("acts_on", "related", "terms") and isinstance(value, list):
        return name_list(kb, value)
    if key == "family":
        return kb.name(str(value))
    if key == "lay_terms" and isinstance(value, list) and len(value) > LAY_SHOWN + 2:  # never "and 1 more"
        # The ranker reads them all; a person needs a few to recognise the entry (JSON has every one).
        return [str(item) for item in value[:LAY_SHOWN]] + [f"and {len(value) - LAY_SHOWN} more"]
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def subtitle(kb: KnowledgeBase, entry: Entry) -> str:
    kind = entry["kind"]
    if kind == "treatment":
        parts = [kb.name(entry["family"]), entry["category"], entry["status"]]
    elif kind == "term":
        parts = ["glossary term", entry["category"]]
    elif kind == "step":
        steps = kb.ids("step")
        parts = [f"immune-cascade step {steps.index(entry['id']) + 1} of {len(steps)}"]
    else:
        parts = ["treatment family"]
    return " | ".join(parts)


def source_links(entry: Entry, numbered: bool = False) -> list[Link]:
    """An entry's citations, numbered when footnote marks refer to them."""
    links: list[Link] = []
    for number, source in enumerate(entry.get("sources", []), 1):
        link: Link = {"title": source["title"], "url": source["url"]}
        if numbered:
            link["number"] = number
        links.append(link)
    return links


def marks(entry: Entry, key: str) -> list[int]:
    """The numbers of the sources that support field `key` (its footnote marks)."""
    refs = entry.get("provenance", {}).get(key) or []
    ids = [source.get("id") for source in entry.get("sources", [])]
    return [ids.index(ref) + 1 for ref in refs if ref in ids]


def sources_blocks(entry: Entry, heading: str = "Sources") -> list[Block]:
    return [
        {"type": "heading", "text": heading},
        {"type": "links", "items": source_links(entry, numbered=bool(entry.get("provenance")))},
        {"type": "para", "text": f"Reviewed: {entry.get('reviewed')}"},
    ]


def entry_fields(kb: KnowledgeBase, entry: Entry, skip: tuple[str, ...] = ("category", "status")) -> list[Field]:
    """The labelled fields of an entry, in display order, each with its footnote marks."""
    fields: list[Field] = []
    own = KIND_FIELDS[entry["kind"]]
    for key, label in spec.LABELS.items():
        if key in entry and key not in skip and key in own:
            shown = display_value(kb, key, entry[key])  # type: ignore[literal-required]
            if shown:
                item: Field = {"label": label, "value": shown}
                found = marks(entry, key)
                if found:
                    item["marks"] = found
                if key == "boxed_warning" and entry.get("boxed_warning"):
                    item["warning"] = True
                fields.append(item)
    return fields


# --------------------------------------------------------------------------------------------------
# Commands


def explain(kb: KnowledgeBase, query: str) -> View:
    """One entry in full."""
    notes: list[str] = []
    entry = resolve(kb, query, notes)
    doc: list[Block] = [
        {"type": "title", "text": entry["name"], "subtitle": subtitle(kb, entry)},
        {"type": "para", "text": entry["summary"]},
    ]
    fields = entry_fields(kb, entry)
    kind = entry["kind"]
    links = kb.links(entry["id"])
    if kind == "step":
        acting: list[str] = [Ref(name) for _id, name in links["acting"]]
        fields.append({"label": "Treatments acting here", "value": acting or ["none in the knowledge base"]})
    if kind == "family":
        fields.append({"label": "Treatments", "value": [Ref(name) for _id, name in links["members"]]})
    if kind == "term" and links.get("treated_by"):
        count = len(links["treated_by"])
        fields.append(
            {
                "label": "What can help",
                "value": f"{count} option{'s' if count != 1 else ''}: `msref symptoms {entry['id']}` lists them",
            }
        )
    elif kind == "term" and links["mentioned_by"]:
        fields.append(
            {"label": "Treatments that mention it", "value": [Ref(name) for _id, name in links["mentioned_by"]]}
        )
    doc.append({"type": "fields", "items": fields})
    doc.extend(sources_blocks(entry))
    return {"data": entry_json(entry), "doc": doc, "notes": notes}


def treatments(
    kb: KnowledgeBase,
    family: str | None = None,
    route: str | None = None,
    ms_form: str | None = None,
    status: str | None = None,
) -> View:
    """The treatments table, filtered; grouped by family unless one family is asked for.

    Tables come from the compiled rows; whole entries are read only if JSON asks for them.
    """
    family = family_id(family) if family else None
    route = choice(route, spec.ROUTES, "route") if route else None
    ms_form = choice(ms_form, spec.MS_FORM_CHOICES, "MS form", MS_FORM_ALIASES) if ms_form else None
    status = choice(status, spec.STATUSES, "status") if status else None
    # A broader form takes in the narrower ones; a treatment approved for SPMS as a whole serves active SPMS.
    forms: set[str] = set(spec.MS_FORM_INCLUDES.get(ms_form or "", (ms_form or "",)))
    if ms_form == "active SPMS":
        forms.add("SPMS")

    def keep(row: Entry) -> bool:
        return (
            (route is None or route in (row.get("route") or []))
            and (ms_form is None or bool(forms & set(row.get("approved_for") or [])))
            and (status is None or row["status"] == status)
        )

    families = [family] if family else kb.ids("family")
    chosen = {fam: [row for row in kb.treatment_rows(fam) if keep(row)] for fam in families}
    filters = {"type": family, "route": route, "for": ms_form, "status": status}
    if not any(chosen.values()):
        # As a search that finds nothing: exit 1, and say which filters left nothing.
        asked = ", ".join(f"{key} {value}" for key, value in filters.items() if value)
        raise NotFoundError(
            f"no treatments match {asked}",
            hints=["leave out a filter, or `msref treatments --help` lists the values of each"],
        )

    def data() -> dict[str, object]:
        rows = [row for fam in families for row in chosen[fam]]
        return {"filters": filters, "treatments": [entry_json(kb.entry(row["id"])) for row in rows]}

    headers = ["Treatment", "Category", "Status", "Route", "Approved for"]
    shown = {k: v for k, v in filters.items() if v and k != "type"}
    if ms_form and len(forms) > 1:
        shown["for"] = f"{ms_form}, which includes {', '.join(sorted(forms - {ms_form}))}"
    shown_filters = ", ".join(f"{k} {v}" for k, v in shown.items())
    title = "Treatments for MS" if not family else f"Treatments: {kb.name(family)}"
    doc: list[Block] = [{"type": "title", "text": title, "subtitle": ""}]
    for fam in families:
        rows = [_treatment_row(row) for row in chosen[fam]]
        if not rows and not family:
            continue
        fam_entry = kb.entry(fam)
        if not family:
            doc.append({"type": "heading", "text": fam_entry["name"]})
        doc.append({"type": "para", "text": fam_entry["summary"]})
        doc.append({"type": "table", "headers": headers, "rows": rows})
    count = sum(len(rows) for rows in chosen.values())
    plural = "s" if count != 1 else ""
    where = f" ({shown_filters})" if shown_filters else ""
    doc.append({"type": "note", "text": f"{count} treatment{plural}{where}. `msref explain NAME` shows one in full."})
    return {"data": data, "doc": doc}


def _treatment_row(row: Entry) -> list[Cell]:
    route = row.get("route")
    approved = row.get("approved_for")
    return [
        Ref(row["name"]),
        row["category"],
        row["status"],
        list(route) if route else "-",
        list(approved) if approved else "-",
    ]


def compare(kb: KnowledgeBase, queries: list[str]) -> View:
    """Treatments side by side, field by field, with the not-head-to-head caveat."""
    if len(queries) < 2:
        raise UsageError("compare needs at least two treatments")
    notes: list[str] = []
    chosen = treatments_named(kb, queries, notes)
    if len(chosen) < 2:
        raise UsageError("compare needs at least two different treatments")
    headers = ["", *[e["name"] for e in chosen]]
    rows: list[list[Cell]] = []
    for key in spec.COMPARE_FIELDS:
        if not any(key in e for e in chosen):
            continue
        cells: list[Cell] = [spec.LABELS[key]]
        for entry in chosen:
            if key in entry:
                cells.append(display_value(kb, key, entry[key]) or "-")  # type: ignore[literal-required]
            else:
                cells.append(NOT_RECORDED)
        rows.append(cells)
    doc: list[Block] = [
        {"type": "title", "text": "Comparison: " + ", ".join(headers[1:]), "subtitle": "side by side, not ranked"},
        {"type": "note", "text": spec.COMPARE_CAVEAT},
        {"type": "matrix", "headers": headers, "rows": rows},
    ]
    for entry in chosen:
        doc.extend(sources_blocks(entry, f"Sources: {entry['name']}"))
    data: dict[str, object] = {
        "caveat": spec.COMPARE_CAVEAT,
        "fields": list(spec.COMPARE_FIELDS),
        "treatments": [entry_json(e) for e in chosen],
    }
    return {"data": data, "doc": doc, "notes": notes}


def treatments_named(kb: KnowledgeBase, queries: list[str], notes: list[str]) -> list[Entry]:
    """The treatments the queries name, in order; a treatment named twice is kept once, with a note."""
    chosen: list[Entry] = []
    for query in queries:
        entry = resolve(kb, query, notes)
        if entry["kind"] != "treatment":
            raise UsageError(
                f"{entry['name']!r} is a {KIND_LABELS[entry['kind']]}, not a treatment; "
                "give treatments (`msref treatments` lists them)"
            )
        if any(e["id"] == entry["id"] for e in chosen):
            notes.append(f"{quoted(query)} names {entry['name']} again; it is shown once")
            continue
        chosen.append(entry)
    return chosen


def search_view(
    kb: KnowledgeBase, text: str, kind: str | None = None, family: str | None = None, limit: int = 20
) -> View:
    """Ranked full-text hits, each with the fields it matched in."""
    from ms_ref.fulltext import search, tokenize

    if not text.strip():
        raise UsageError("the search text is empty")
    kind = choice(kind, spec.KINDS, "kind") if kind else None
    family = family_id(family) if family else None
    hits, total = search(kb, text, (kind,) if kind else (), family, limit)
    if not hits:
        raise NotFoundError(
            f"nothing in the knowledge base matches {quoted(text)}",
            hints=[f"did you mean: {name}" for name in lookup.suggest(kb, text)],
        )
    words = list(dict.fromkeys(tokenize(text)))
    data: dict[str, object] = {
        "query": text,
        "total": total,
        "results": [
            {
                "id": h["entry"]["id"],
                "kind": h["entry"]["kind"],
                "name": h["entry"]["name"],
                "score": h["score"],
                "matches": h["matches"],
            }
            for h in hits
        ],
    }
    shown = f"{len(hits)} of {total} entries that match" if total > len(hits) else f"{total} matching entr" + (
        "y" if total == 1 else "ies"
    )
    doc: list[Block] = [{"type": "title", "text": f"Search: {text}", "subtitle": f"{shown}, best first"}]
    if total > len(hits):
        doc.append(
            {"type": "note", "text": f"`msref search {search_words(text)} -n {min(total, 500)}` shows all of them."}
        )
    for position, hit in enumerate(hits, 1):
        entry = hit["entry"]
        label = kb.name(entry["family"]) if entry["kind"] == "treatment" else KIND_LABELS[entry["kind"]]
        doc.append({"type": "heading", "text": f"{position}. {entry['name']} ({label})"})
        doc.append(
            {
                "type": "fields",
                "items": [
                    {"label": spec.LABELS.get(m["field"], m["field"].capitalize()), "value": m["snippet"],
                     "highlight": words}
                    for m in hit["matches"]
                ],
            }
        )
    return {"data": data, "doc": doc}


def glossary(kb: KnowledgeBase, category: str | None = None) -> View:
    """The glossary terms, optionally of one category."""
    category = choice(category, spec.TERM_CATEGORIES, "category") if category else None
    terms = [term for term in kb.entries("term") if category is None or term["category"] == category]
    terms.sort(key=lambda e: normalise(e["name"]))
    rows: list[list[Cell]] = [[t["name"], t["category"], t["summary"]] for t in terms]
    doc: list[Block] = [
        {
            "type": "title",
            "text": "Glossary" + (f": {category}" if category else ""),
            "subtitle": f"{len(terms)} terms",
        },
        {"type": "table", "headers": ["Term", "Category", "Meaning"], "rows": rows},
    ]
    return {"data": {"category": category, "terms": [entry_json(t) for t in terms]}, "doc": doc}


def immune(kb: KnowledgeBase) -> View:
    """The immune cascade step by step, with the terms involved and the treatments acting there."""
    steps = []
    doc: list[Block] = [
        {
            "type": "title",
            "text": "How MS affects the immune system",
            "subtitle": "the immune cascade, step by step, with the treatments that act at each step",
        }
    ]
    diagram: list[CascadeStep] = []
    for position, step_id in enumerate(kb.ids("step"), 1):
        step = kb.entry(step_id)
        acting = kb.links(step_id)["acting"]
        steps.append({**entry_json(step), "position": position, "treatments": [i for i, _name in acting]})
        diagram.append({"id": step_id, "name": step["name"], "treatments": acting})
        doc.append({"type": "heading", "text": f"{position}. {step['name']}"})
        doc.append({"type": "para", "text": step["summary"]})
        doc.append(
            {
                "type": "fields",
                "items": [
                    {"label": "Terms involved", "value": name_list(kb, step.get("terms") or []) or ["-"]},
                    {
                        "label": "Treatments acting here",
                        "value": [Ref(name) for _i, name in acting] or ["none in the knowledge base"],
                    },
                ],
            }
        )
    doc.insert(1, {"type": "diagram", "steps": diagram})
    return {"data": {"steps": steps}, "doc": doc}


def sources(kb: KnowledgeBase, query: str) -> View:
    """An entry's citations and review date, with the page each was read through where that differs."""
    notes: list[str] = []
    entry = resolve(kb, query, notes)
    data: dict[str, object] = {
        "id": entry["id"],
        "kind": entry["kind"],
        "name": entry["name"],
        "sources": entry["sources"],
        "provenance": entry.get("provenance", {}),
        "reviewed": entry["reviewed"],
    }
    links = source_links(entry, numbered=bool(entry.get("provenance")))
    doc: list[Block] = [
        {"type": "title", "text": f"Sources: {entry['name']}", "subtitle": subtitle(kb, entry)},
        {"type": "links", "items": links},
    ]
    # A source read through a verbatim copy of the primary document: each copy, as a link of its own.
    read_through: list[Link] = [
        {"title": f"[{n}] read through", "url": url}
        for n, source in enumerate(entry["sources"], 1)
        for url in ([source["via"]] if isinstance(source.get("via"), str) else source.get("via") or [])
    ]
    if read_through:
        doc.append({"type": "heading", "text": "Read through verbatim reproductions"})
        doc.append({"type": "links", "items": read_through})
    supported = [
        f"{spec.LABELS[key]}: " + ", ".join(f"[{n}]" for n in marks(entry, key))
        for key in spec.PROVENANCE_FIELDS
        if marks(entry, key)
    ]
    if supported:
        doc.append({"type": "heading", "text": "Which source supports which field"})
        doc.append({"type": "bullets", "items": supported})
    doc.append({"type": "para", "text": f"Reviewed: {entry['reviewed']}"})
    return {"data": data, "doc": doc, "notes": notes}


def paths_view() -> View:
    """Where msref reads and writes, and whether each place exists."""
    import os

    from ms_ref import paths, store

    sources_ = store.Sources()
    cache_file = store.cache_path(sources_.files)
    data = {
        "data_dir": paths.data_dir(),
        "data_source": paths.data_source(),
        "data_files": sources_.shipped,
        "user_dir": paths.user_dir(),
        "user_files": sources_.user,
        "user_problems": sources_.user_problems,
        "cache_dir": paths.cache_dir(),
        "cache_file": cache_file,
        "cache_exists": os.path.isfile(cache_file),
        "schema_dir": paths.schema_dir(),
    }
    source_label = {
        "MSREF_DATA_DIR": "set by MSREF_DATA_DIR",
        "packaged": "shipped with msref",
        "checkout": "the source checkout's data/",
    }[paths.data_source()]
    user = sources_.user
    user_note = (
        f"{len(user)} entry file(s)" if user else "no entry files yet; add *.yaml here (MSREF_USER_DIR overrides)"
    )
    fields: list[Field] = [
        {"label": "Knowledge base", "value": f"{data['data_dir']} ({source_label})"},
        {"label": "Your own entries", "value": f"{data['user_dir']} ({user_note})"},
        {"label": "Cache", "value": f"{cache_file} ({'present' if data['cache_exists'] else 'not built yet'})"},
        {"label": "JSON Schemas", "value": str(data["schema_dir"])},
    ]
    doc: list[Block] = [{"type": "title", "text": "msref paths", "subtitle": ""}, {"type": "fields", "items": fields}]
    if sources_.user_problems:
        doc.append({"type": "bullets", "items": sources_.user_problems})
    return {"data": data, "doc": doc}


def validate_view(given: list[str]) -> tuple[View, bool]:
    """Validate the shipped data and the user's entries, or the given folders/files.

    A folder is read as a knowledge base (treatments.yaml and glossary.yaml); files are read as user
    entry files on top of it (or on top of the shipped data). Every problem of every file is reported.
    """
    import os

    from ms_ref import paths, store
    from ms_ref.ingest import build

    sources_ = store.Sources()
    shipped, user, folder_problems = sources_.shipped, sources_.user, sources_.user_problems
    if given:
        folders = [p for p in given if os.path.isdir(p)]
        files = [os.path.abspath(p) for p in given if not os.path.isdir(p)]
        if len(folders) > 1:
            raise UsageError("give at most one knowledge-base folder to validate")
        if folders:
            shipped = [os.path.join(os.path.abspath(folders[0]), name) for name in paths.KB_FILES]
        user, folder_problems = files, []
    built = build(shipped, user, skip_bad_user_files=False)
    problems = [*folder_problems, *built.problems]
    kb = built.kb
    counts = {kind: len(kb.ids(kind)) for kind in spec.KINDS}
    overrides = [{"id": entry_id, "file": path} for entry_id, path in kb.overrides]
    data = {
        "ok": not problems,
        "files": [*shipped, *user],
        "counts": counts,
        "overrides": overrides,
        "problems": problems,
    }
    plurals = {"family": "families"}
    summary = ", ".join(f"{n} {kind if n == 1 else plurals.get(kind, kind + 's')}" for kind, n in counts.items())
    title = "Validation " + ("passed" if not problems else f"failed: {len(problems)} problem(s)")
    doc: list[Block] = [
        {"type": "title", "text": title, "subtitle": summary},
        {"type": "heading", "text": "Files"},
        {"type": "bullets", "items": [*shipped, *user]},
    ]
    if overrides:
        doc += [
            {"type": "heading", "text": "Overrides"},
            {"type": "bullets", "items": [f"{o['id']} is overridden by {o['file']}" for o in overrides]},
        ]
    if problems:
        doc += [{"type": "heading", "text": "Problems"}, {"type": "bullets", "items": problems}]
    return {"data": data, "doc": doc}, not problems
