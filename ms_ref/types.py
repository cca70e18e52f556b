"""The shapes of msref's data: knowledge-base entries, views and the blocks of a document.

For type checking only: modules import this under `if TYPE_CHECKING:`, because importing `typing` at
run time costs a few milliseconds of every start. At run time these are plain dicts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, NotRequired, TypedDict

# --------------------------------------------------------------------------------------------------
# Knowledge-base entries (validated; `kind` added when merged)


class Source(TypedDict):
    title: str
    url: str
    id: NotRequired[str]
    via: NotRequired[str]


class Approval(TypedDict):
    agency: str
    year: int
    note: NotRequired[str]


class Evidence(TypedDict):
    level: str
    source: str


class Treat(TypedDict):
    symptom: str
    status: str
    note: NotRequired[str]


class Entry(TypedDict, total=False):
    """Any entry: a treatment, glossary term, cascade step or family. Which keys it has depends on `kind`."""

    kind: str
    id: str
    name: str
    summary: str
    details: str
    description: str
    aliases: list[str]
    lay_terms: list[str]
    category: str
    family: str
    status: str
    status_note: str
    status_date: str
    mechanism: str
    route: list[str]
    frequency: str
    approved_for: list[str]
    approvals: list[Approval]
    label_differences: str
    efficacy: str
    common_side_effects: list[str]
    serious_risks: list[str]
    boxed_warning: str | None
    access_programme: str | None
    contraindications: list[str]
    interactions: list[str]
    screening: list[str]
    monitoring: list[str]
    vaccines: str
    pregnancy: str
    breastfeeding: str
    contraception: str
    paediatric: str
    treats: list[Treat]
    evidence: Evidence
    delivered_by: list[str]
    acts_on: list[str]
    related: list[str]
    terms: list[str]
    provenance: dict[str, list[str]]
    sources: list[Source]
    reviewed: str


class Links(TypedDict):
    """Back-links compiled with each entry: pairs of [id, name]."""

    mentioned_by: list[list[str]]
    acting: list[list[str]]
    members: list[list[str]]
    treated_by: list[list[str]]


class Record(TypedDict):
    entry: Entry
    links: Links


# --------------------------------------------------------------------------------------------------
# Documents: what renderers draw. A cell or a field value is text or a list of texts.

Cell = str | list[str]


class Title(TypedDict):
    type: Literal["title"]
    text: str
    subtitle: str


class Heading(TypedDict):
    type: Literal["heading"]
    text: str


class Para(TypedDict):
    type: Literal["para"]
    text: str


class Note(TypedDict):
    type: Literal["note"]
    text: str


class Field(TypedDict):
    label: str
    value: Cell
    marks: NotRequired[list[int]]  # numbers of the sources that support it (footnote marks)
    warning: NotRequired[bool]  # drawn as a warning (a boxed warning)
    highlight: NotRequired[list[str]]  # words a search matched: marked where the format can (terminal, Markdown)


class Fields(TypedDict):
    type: Literal["fields"]
    items: list[Field]


class Table(TypedDict):
    """Rows of cells. A matrix is a table whose first column names a field and whose other columns are
    entries side by side (compare); plain text lays it out field by field."""

    type: Literal["table", "matrix"]
    headers: list[str]
    rows: list[list[Cell]]


class Bullets(TypedDict):
    type: Literal["bullets"]
    items: list[str]


class Link(TypedDict):
    title: str
    url: str
    number: NotRequired[int]  # the source number footnote marks refer to


class LinkList(TypedDict):
    type: Literal["links"]
    items: list[Link]


class CascadeStep(TypedDict):
    id: str
    name: str
    treatments: list[list[str]]  # [id, name] of the treatments acting at this step


class Diagram(TypedDict):
    """The immune cascade as a diagram: Markdown writes Mermaid, HTML draws it, text skips it."""

    type: Literal["diagram"]
    steps: list[CascadeStep]


class Chart(TypedDict):
    """A bar per label (the timeline): a table where bars cannot be drawn."""

    type: Literal["chart"]
    headers: list[str]
    rows: list[list[Cell]]
    bars: list[tuple[str, list[str]]]


class Space(TypedDict):
    """Ruled lines to write on (the clinic sheet)."""

    type: Literal["space"]
    lines: int


class Term(TypedDict):
    """An entry named in a person's own text: text == the document[start:end]."""

    text: str
    start: int
    end: int
    id: str
    name: str
    summary: str


class Annotated(TypedDict):
    """A person's own text, with the first use of each MS term marked (`msref annotate --inline`)."""

    type: Literal["annotated"]
    text: str
    terms: list[Term]


Block = Title | Heading | Para | Note | Fields | Table | Bullets | LinkList | Diagram | Chart | Space | Annotated


class View(TypedDict):
    """What a command answers: the JSON payload (or a function computing it, when only JSON needs it),
    the document people read, and messages for standard error."""

    data: dict[str, object] | Callable[[], dict[str, object]]
    doc: list[Block]
    notes: NotRequired[list[str]]
    mermaid: NotRequired[str]


class Match(TypedDict):
    field: str
    snippet: str


class Hit(TypedDict):
    entry: Entry
    score: float
    matches: list[Match]


class Resolved(TypedDict):
    """What a query names: one id (an answer), several (a list to choose from) or none; and how."""

    ids: list[str]
    match: str
