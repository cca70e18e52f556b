"""Shell completion: what a Tab press offers, and the shell protocols of Typer's completion scripts.

The completer functions are named in the command declarations (ms_ref.cli) and recorded in the
generated command table, so the Typer path and the quick path (ms_ref.quick) call the same ones. Typed
in lower case, a name completes in lower case ("ocre" offers "ocrevus"), as lookup ignores case anyway.
Builtin modules only: every Tab press runs this.
"""

from __future__ import annotations

import os
import sys

from ms_ref import spec
from ms_ref.errors import MsrefError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.kb import KnowledgeBase

Item = tuple[str, str]  # (value, description)
LIMIT = 50


def _kb() -> KnowledgeBase | None:
    from ms_ref.store import load_knowledge_base

    try:
        return load_knowledge_base()
    except MsrefError:
        return None


def _cased(value: str, typed: str) -> str:
    """`value` as the user's typing suggests: lower case when they typed lower case."""
    return (
        value.casefold()
        if typed and typed == typed.casefold() and value[: len(typed)].casefold() == typed.casefold()
        else value
    )


def _entries(incomplete: str, kinds: tuple[str, ...], symptoms: bool = False) -> list[Item]:
    if not incomplete:
        return []
    kb = _kb()
    if kb is None:
        return []
    found: dict[str, str] = {}
    folded = incomplete.casefold()
    for candidate, description, kind, category in kb.completions(folded[0]):
        if kind not in kinds or (symptoms and category != "symptoms"):
            continue
        if candidate.casefold().startswith(folded):
            value = candidate if candidate.startswith(incomplete) else _cased(candidate, incomplete)
            if value.startswith(incomplete):
                found.setdefault(value, description)
    return sorted(found.items(), key=lambda item: (item[0].casefold(), item[0]))[:LIMIT]


def complete_entry(incomplete: str) -> list[Item]:
    """Any entry: its id, or a one-word name or alias."""
    return _entries(incomplete, ("treatment", "term", "step", "family"))


def complete_treatment(incomplete: str) -> list[Item]:
    """Treatments only (compare, prepare)."""
    return _entries(incomplete, ("treatment",))


def complete_symptom(incomplete: str) -> list[Item]:
    """Symptoms only."""
    return _entries(incomplete, ("term",), symptoms=True)


def _values(values: tuple[str, ...], incomplete: str, describe: dict[str, str] | None = None) -> list[Item]:
    folded = incomplete.casefold()
    return [(value, (describe or {}).get(value, "")) for value in values if value.casefold().startswith(folded)]


def complete_family(incomplete: str) -> list[Item]:
    return _values(spec.FAMILY_IDS, incomplete, spec.FAMILY_NAMES)


def complete_route(incomplete: str) -> list[Item]:
    return _values(spec.ROUTES, incomplete)


def complete_ms_form(incomplete: str) -> list[Item]:
    return _values(spec.MS_FORM_CHOICES, incomplete)


def complete_status(incomplete: str) -> list[Item]:
    return _values(spec.STATUSES, incomplete)


def complete_category(incomplete: str) -> list[Item]:
    return _values(spec.TERM_CATEGORIES, incomplete)


def complete_kind(incomplete: str) -> list[Item]:
    return _values(spec.KINDS, incomplete)


def complete_random_kind(incomplete: str) -> list[Item]:
    return _values(("term", "treatment"), incomplete)


# --------------------------------------------------------------------------------------------------
# The protocols of Typer's completion scripts, for the quick path


def _split(line: str) -> list[str] | None:
    if any(c in line for c in "'\"\\"):
        return None  # quoting: let Click's own splitter handle it
    return line.split()


def request() -> tuple[str, list[str], str] | None:
    """(shell, words before the one being completed, that word) from the environment Typer's scripts set."""
    instruction = os.environ.get("_MSREF_COMPLETE", "")
    kind, _, shell = instruction.partition("_")
    if kind != "complete" or shell not in ("bash", "zsh", "fish"):
        return None
    if shell == "bash":
        words = _split(os.environ.get("COMP_WORDS", ""))
        cword = os.environ.get("COMP_CWORD", "")
        if words is None or not (cword.isascii() and cword.isdigit()):
            return None
        args = words[1 : int(cword)]
        incomplete = words[int(cword)] if int(cword) < len(words) else ""
        return shell, args, incomplete
    line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
    words = _split(line)
    if words is None:
        return None
    args = words[1:]
    incomplete = ""
    if args and not line.endswith(" "):
        incomplete = args.pop()
    return shell, args, incomplete


def _zsh_escape(text: str) -> str:
    return text.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")


def _sanitize(text: str) -> str:
    """As Typer's _sanitize_help_text: no Rich markup tags or control characters in descriptions."""
    return "".join(" " if c.isspace() else c for c in text if c.isprintable() or c.isspace())


def respond(shell: str, items: list[Item]) -> int:
    """Write completions in the shell's format; the exit status for fish's `is-args` query."""
    if shell == "bash":
        out = "\n".join(value for value, _help in items)
    elif shell == "zsh":
        formatted = [
            f'"{_zsh_escape(v)}":"{_sanitize(_zsh_escape(h))}"' if h else f'"{_zsh_escape(v)}"' for v, h in items
        ]
        out = f"_arguments '*: :(({chr(10).join(formatted)}))'" if formatted else "_files"
    else:
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return 0 if items else 1
        out = "\n".join(f"{v}\t{_sanitize(h)}" if h else v for v, h in items) if action == "get-args" else ""
    sys.stdout.write(out + "\n")
    return 0
