"""The immune cascade as a Mermaid flowchart: steps in order, each treatment linked to the steps it acts on.

Labels come from data, so everything that could close the code block around the chart or start a Mermaid
directive (backticks, `%%`, quotes, angle brackets, line breaks) is written as a Mermaid entity code.
"""

from __future__ import annotations

from ms_ref.errors import UsageError
from ms_ref.render.safe import one_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

    from ms_ref.types import CascadeStep, View

_ENTITIES = str.maketrans(
    {
        '"': "#quot;",
        "<": "#lt;",
        ">": "#gt;",
        "`": "#96;",
        "%": "#37;",
        "#": "#35;",
        "{": "#123;",
        "}": "#125;",
        "[": "#91;",
        "]": "#93;",
        "|": "#124;",
        ";": "#59;",
    }
)


def label(text: str) -> str:
    """Text safe inside a quoted Mermaid label."""
    return " ".join(one_line(text).split()).translate(_ENTITIES)


def _node(entry_id: str) -> str:
    return "n_" + "".join(c if c.isascii() and c.isalnum() else "_" for c in entry_id)


def flowchart(steps: list[CascadeStep]) -> str:
    lines = ["flowchart TD"]
    for position, step in enumerate(steps, 1):
        lines.append(f'    {_node(step["id"])}["{position}. {label(step["name"])}"]')
    lines.extend(f"    {_node(a['id'])} --> {_node(b['id'])}" for a, b in zip(steps, steps[1:]))
    seen: list[str] = []
    for step in steps:
        for treatment_id, name in step["treatments"]:
            if treatment_id not in seen:
                seen.append(treatment_id)
                lines.append(f'    {_node(treatment_id)}(["{label(name)}"])')
            lines.append(f"    {_node(treatment_id)} -.-> {_node(step['id'])}")
    lines.append("    classDef treatment fill:#eef6ff,stroke:#5b8bd0")
    if seen:
        lines.append("    class " + ",".join(_node(i) for i in sorted(seen)) + " treatment")
    return "\n".join(lines)


def write(view: View, out: TextIO) -> None:
    for block in view["doc"]:
        if block["type"] == "diagram":
            out.write(flowchart(block["steps"]) + "\n")
            return
    raise UsageError("the mermaid format draws the immune cascade: use it with `msref immune`")
