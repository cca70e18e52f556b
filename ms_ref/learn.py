"""Learning the vocabulary over time: the approvals timeline, an entry a day, and quizzes built from
the knowledge base (every question and answer comes from entries' own fields)."""

from __future__ import annotations

from ms_ref import spec
from ms_ref.errors import NotFoundError, UsageError
from ms_ref.views import Ref, explain, family_id

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import Block, Cell, View

Question = tuple[str, str, list[str]]  # (question, answer, pool of wrong answers)


def timeline(kb: KnowledgeBase, agency: str | None = None, family: str | None = None) -> View:
    """First approvals for MS by year and agency, from every treatment's `approvals`."""
    family = family_id(family) if family else None
    wanted = agency.strip().upper() if agency else None
    events = []
    for entry in kb.entries("treatment"):
        if family and entry["family"] != family:
            continue
        for approval in entry.get("approvals") or []:
            if wanted and str(approval["agency"]).upper() != wanted:
                continue
            events.append(
                {
                    "year": approval["year"],
                    "agency": approval["agency"],
                    "id": entry["id"],
                    "name": entry["name"],
                    "note": approval.get("note"),
                }
            )
    if wanted and not events:
        agencies = sorted({a["agency"] for e in kb.entries("treatment") for a in e.get("approvals") or []})
        raise UsageError(f"no approvals by {agency!r} in the knowledge base; agencies: {', '.join(agencies)}")
    events.sort(key=lambda e: (int(str(e["year"])), str(e["agency"]), str(e["name"])))
    rows: list[list[Cell]] = [
        [str(e["year"]), str(e["agency"]), Ref(str(e["name"])), str(e["note"] or "")] for e in events
    ]
    bars: list[tuple[str, list[str]]] = []
    for year in sorted({int(str(e["year"])) for e in events}):
        labels = [
            f"{e['name']} ({e['agency']}{', ' + str(e['note']) if e['note'] else ''})"
            for e in events
            if e["year"] == year
        ]
        bars.append((str(year), labels))
    scope = ", ".join(part for part in (wanted, kb.name(family) if family else None) if part)
    doc: list[Block] = [
        {
            "type": "title",
            "text": "Approvals of MS therapies by year" + (f" ({scope})" if scope else ""),
            "subtitle": f"{len(events)} approvals: first approval for MS by each agency, with later forms "
            "and biosimilars",
        },
        {"type": "chart", "headers": ["Year", "Agency", "Treatment", "Note"], "rows": rows, "bars": bars},
    ]
    return {"data": {"agency": wanted, "type": family, "approvals": events}, "doc": doc}


def _seed(seed: int | None) -> int:
    if seed is not None:
        return seed
    import datetime

    return datetime.date.today().toordinal()  # the same entry all day, another tomorrow


def random_entry(kb: KnowledgeBase, kind: str | None = None, seed: int | None = None) -> View:
    """An entry to learn today (or for `seed`)."""
    import random

    kinds: tuple[str, ...] = ("term", "treatment")
    if kind:
        if kind not in spec.KINDS:
            raise UsageError(f"unknown kind {kind!r}; valid: {', '.join(spec.KINDS)}")
        kinds = (kind,)
    pool = [entry_id for k in kinds for entry_id in kb.ids(k)]
    if not pool:
        raise NotFoundError(f"the knowledge base holds no {' or '.join(kinds)} entries to choose from")
    chosen = random.Random(_seed(seed)).choice(pool)
    view = explain(kb, chosen)
    note = (
        "An entry to learn today: `msref random` shows another tomorrow."
        if seed is None
        else f"The entry for seed {seed}: the same seed always shows it."
    )
    view["doc"] = [view["doc"][0], {"type": "note", "text": note}, *view["doc"][1:]]
    return view


def _brand_questions(kb: KnowledgeBase) -> list[Question]:
    """Questions from brand names of medicines."""
    out = []
    drugs = [e for e in kb.entries("treatment") if e.get("route")]
    names = [e["name"] for e in drugs]
    for entry in drugs:
        generic = entry["name"].casefold()
        for alias in entry.get("aliases") or []:
            if alias[:1].isupper() and alias.isalpha() and alias.casefold() not in generic and len(alias) > 3:
                out.append(
                    (f"Which medicine is sold as {alias}?", entry["name"], [n for n in names if n != entry["name"]])
                )
                break
    return out


def _abbreviation_questions(kb: KnowledgeBase) -> list[Question]:
    out = []
    terms = kb.entries("term")
    names = [t["name"] for t in terms]
    for term in terms:
        for alias in term.get("aliases") or []:
            if 2 <= len(alias) <= 6 and alias.isupper() and alias.isalpha():
                out.append((f"What does {alias} stand for?", term["name"], [n for n in names if n != term["name"]]))
                break
    return out


def _definition_questions(kb: KnowledgeBase) -> list[Question]:
    terms = kb.entries("term")
    out = []
    for term in terms:
        same = [t["name"] for t in terms if t["category"] == term["category"] and t["id"] != term["id"]]
        if len(same) >= 3:
            out.append((f"Which term is this? {term['summary']}", term["name"], same))
    return out


def _step_questions(kb: KnowledgeBase) -> list[Question]:
    steps = {step_id: kb.name(step_id) for step_id in kb.ids("step")}
    out = []
    for entry in kb.entries("treatment"):
        acts_on = [s for s in entry.get("acts_on") or [] if s in steps]
        if acts_on and len(acts_on) <= len(steps) - 3:
            wrong = [name for step_id, name in steps.items() if step_id not in acts_on]
            out.append((f"At which step of the immune cascade does {entry['name']} act?", steps[acts_on[0]], wrong))
    return out


def quiz(kb: KnowledgeBase, count: int = 5, seed: int | None = None) -> View:
    """Multiple-choice questions drawn from the knowledge base, with their answers."""
    import random

    if not 1 <= count <= 50:
        raise UsageError("a quiz has 1 to 50 questions")
    generator = random.Random(_seed(seed))
    pools = [_brand_questions(kb), _abbreviation_questions(kb), _definition_questions(kb), _step_questions(kb)]
    pools = [[q for q in pool if len(set(q[2])) >= 3] for pool in pools]
    pools = [pool for pool in pools if pool]
    if not pools:
        raise NotFoundError("the knowledge base holds too few entries to ask questions about")
    asked: list[dict[str, object]] = []
    used: set[str] = set()
    attempts = 0
    while len(asked) < count and attempts < count * 20:
        attempts += 1
        question, answer, wrong = generator.choice(generator.choice(pools))
        if question in used:
            continue
        used.add(question)
        choices = [answer, *generator.sample(sorted(set(wrong)), 3)]
        generator.shuffle(choices)
        asked.append({"question": question, "choices": choices, "answer": choices.index(answer)})
    letters = "abcd"
    doc: list[Block] = [
        {"type": "title", "text": f"MS quiz: {len(asked)} questions", "subtitle": f"seed {_seed(seed)}"}
    ]
    for number, item in enumerate(asked, 1):
        options: list[str] = item["choices"]  # type: ignore[assignment]
        doc.append({"type": "heading", "text": f"Question {number}"})
        doc.append({"type": "para", "text": str(item["question"])})
        doc.append({"type": "bullets", "items": [f"({letters[i]}) {option}" for i, option in enumerate(options)]})
    answers = []
    for number, item in enumerate(asked, 1):
        options = item["choices"]  # type: ignore[assignment]
        right = int(str(item["answer"]))
        answers.append(f"Question {number}: ({letters[right]}) {options[right]}")
    doc.append({"type": "heading", "text": "Answers"})
    doc.append({"type": "bullets", "items": answers})
    return {"data": {"seed": _seed(seed), "questions": asked}, "doc": doc}
