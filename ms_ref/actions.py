"""What each command does, once its arguments are parsed: build the view, render it, return an exit code.

The Typer app (ms_ref.cli) declares the commands and calls these functions with the parsed parameters;
the quick path (ms_ref.quick) parses simple invocations itself, from a table generated from that app, and
calls the same functions. Parameter names here are the Typer commands' own (a test holds them equal).
Builtin modules only at the top: the quick path imports this.
"""

from __future__ import annotations

import os
import sys

from ms_ref import store, views
from ms_ref.errors import ExitCode, UsageError, say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ms_ref.kb import KnowledgeBase
    from ms_ref.types import View


def chosen_format(command: str, fmt: str | None, as_json: bool) -> str:
    """The format to write: --json, else --format, else MSREF_FORMAT (when this command offers it), else auto."""
    if as_json:
        return "json"
    if fmt:
        return fmt.lower()
    env = os.environ.get("MSREF_FORMAT", "").strip().lower()
    if env:
        from ms_ref.render import FORMATS as ALL

        if env not in ALL and env not in ("md", "text", "txt"):
            raise UsageError(
                f"MSREF_FORMAT={views.quoted(env)} is not a format; valid: {', '.join(ALL[:-1])}", command=command
            )
        if env in formats(command):
            return env
    return "auto"


def formats(command: str) -> list[str]:
    """The formats `command` offers, as its --format option declares them."""
    from ms_ref.commands import COMMANDS

    params: list[dict[str, Any]] = COMMANDS[command]["params"]
    for param in params:
        if param["name"] == "fmt":
            return list(param["choices"])
    return []


def output(view: View, fmt: str, wiki: bool = False, pager: bool = True) -> int:
    """Messages to standard error, then the answer to standard output (through a pager when it is
    taller than the terminal)."""
    for note in view.get("notes", []):
        say(note)
    from ms_ref.render import render, resolve_format

    resolved = resolve_format(fmt, sys.stdout)
    if pager and resolved in ("rich", "plain", "markdown") and sys.stdout.isatty():
        from ms_ref import pager as paging

        paging.show(view, resolved, wiki)
    else:
        render(view, resolved, sys.stdout, wiki=wiki)
    return ExitCode.OK


def answer(build: Callable[[KnowledgeBase], View]) -> View:
    """The view `build` makes from the knowledge base, with the knowledge base's warnings (a user's file
    left out) among its messages."""
    used: list[KnowledgeBase] = []

    def recorded(kb: KnowledgeBase) -> View:
        used.append(kb)
        return build(kb)

    view = store.answer(recorded)
    warnings = [f"warning: {warning}" for warning in used[-1].warnings]
    if warnings:
        view["notes"] = [*warnings, *view.get("notes", [])]
    return view


def _words(words: list[str]) -> str:
    """An unquoted query: its words joined (`msref explain MS hug`)."""
    return " ".join(words)


# --------------------------------------------------------------------------------------------------
# Commands


def explain(query: list[str], fmt: str | None, as_json: bool, wiki: bool, no_pager: bool) -> int:
    text = _words(query)
    return output(
        answer(lambda kb: views.explain(kb, text)), chosen_format("explain", fmt, as_json), wiki, not no_pager
    )


def treatments(
    family: str | None,
    route: str | None,
    ms_form: str | None,
    status: str | None,
    fmt: str | None,
    as_json: bool,
    wiki: bool,
    no_pager: bool,
) -> int:
    view = answer(lambda kb: views.treatments(kb, family, route, ms_form, status))
    return output(view, chosen_format("treatments", fmt, as_json), wiki, not no_pager)


def compare(names: list[str], fmt: str | None, as_json: bool, no_pager: bool) -> int:
    return output(
        answer(lambda kb: views.compare(kb, names)), chosen_format("compare", fmt, as_json), False, not no_pager
    )


def search(
    text: list[str], kind: str | None, family: str | None, limit: int, fmt: str | None, as_json: bool, no_pager: bool
) -> int:
    words = _words(text)
    view = answer(lambda kb: views.search_view(kb, words, kind, family, limit))
    return output(view, chosen_format("search", fmt, as_json), False, not no_pager)


def glossary(category: str | None, fmt: str | None, as_json: bool, no_pager: bool) -> int:
    return output(
        answer(lambda kb: views.glossary(kb, category)), chosen_format("glossary", fmt, as_json), False, not no_pager
    )


def immune(fmt: str | None, as_json: bool, wiki: bool, no_pager: bool) -> int:
    return output(answer(views.immune), chosen_format("immune", fmt, as_json), wiki, not no_pager)


def sources(query: list[str], fmt: str | None, as_json: bool, no_pager: bool) -> int:
    text = _words(query)
    return output(
        answer(lambda kb: views.sources(kb, text)), chosen_format("sources", fmt, as_json), False, not no_pager
    )


def timeline(agency: str | None, family: str | None, fmt: str | None, as_json: bool, wiki: bool, no_pager: bool) -> int:
    from ms_ref import learn

    view = answer(lambda kb: learn.timeline(kb, agency, family))
    return output(view, chosen_format("timeline", fmt, as_json), wiki, not no_pager)


def random(kind: str | None, seed: int | None, fmt: str | None, as_json: bool, wiki: bool, no_pager: bool) -> int:
    from ms_ref import learn

    view = answer(lambda kb: learn.random_entry(kb, kind, seed))
    return output(view, chosen_format("random", fmt, as_json), wiki, not no_pager)


def prepare(
    names: list[str], output_file: str | None, force: bool, fmt: str | None, as_json: bool, no_pager: bool
) -> int:
    from ms_ref import clinic

    chosen = chosen_format("prepare", fmt, as_json)
    if output_file is None or output_file == "-":
        return output(answer(lambda kb: clinic.prepare(kb, names)), chosen, False, not no_pager and output_file is None)
    from ms_ref import outfile

    target = outfile.plan(output_file, chosen, force)  # refuses before anything is built or written
    view = answer(lambda kb: clinic.prepare(kb, names))
    for note in view.get("notes", []):
        say(note)
    outfile.write(view, target)
    say(f"wrote {target.path}")
    return ExitCode.OK


def quiz(count: int, seed: int | None, no_input: bool, fmt: str | None, as_json: bool) -> int:
    from ms_ref import learn

    view = answer(lambda kb: learn.quiz(kb, count, seed))
    chosen = chosen_format("quiz", fmt, as_json)
    if no_input or chosen not in ("auto", "rich") or not (sys.stdin and sys.stdin.isatty() and sys.stdout.isatty()):
        return output(view, chosen, False, False)
    from ms_ref import interactive

    for note in view.get("notes", []):
        say(note)
    return interactive.quiz(view)


def symptoms(symptom: list[str], fmt: str | None, as_json: bool, wiki: bool, no_pager: bool) -> int:
    from ms_ref import symptoms as symptom_views

    text = _words(symptom)
    view = answer(lambda kb: symptom_views.detail(kb, text)) if text.strip() else answer(symptom_views.overview)
    return output(view, chosen_format("symptoms", fmt, as_json), wiki, not no_pager)


# A clinic letter or report is a few pages; anything far larger is not what annotate is for.
ANNOTATE_LIMIT = 1024 * 1024


def read_document(source: str) -> tuple[str, str]:
    """(text, how to name it) for `msref annotate`: a file, or standard input for "-"."""
    if source == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise UsageError("standard input is closed; give a file to annotate", command="annotate")
        label = "your text"
        try:
            raw = stream.read(ANNOTATE_LIMIT + 1)
        except OSError as exc:
            raise UsageError(f"cannot read standard input: {exc.strerror or exc}", command="annotate") from None
    else:
        label = views.quoted(source)
        if os.path.isdir(source):
            raise UsageError(f"{label} is a folder; give a text file (a letter, a report, notes)", command="annotate")
        try:
            if os.path.exists(source) and not os.path.isfile(source):
                raise UsageError(f"{label} is not a regular file", command="annotate")
            with open(source, "rb") as handle:
                raw = handle.read(ANNOTATE_LIMIT + 1)
        except FileNotFoundError:
            raise UsageError(f"{label}: no such file", command="annotate") from None
        except OSError as exc:
            raise UsageError(f"cannot read {label}: {exc.strerror or exc}", command="annotate") from None
    if len(raw) > ANNOTATE_LIMIT:
        raise UsageError(
            f"{label} is over {ANNOTATE_LIMIT // 1024} KB; msref annotates letters, reports and notes",
            command="annotate",
        )
    if b"\x00" in raw:
        raise UsageError(f"{label} looks like a binary file, not text", command="annotate")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            f"{label} is not UTF-8 text; save it as UTF-8 (plain text or Markdown) and try again", command="annotate"
        ) from None
    if not text.strip():
        raise UsageError(f"{label} is empty", command="annotate")
    return text, label


def annotate(source: str, inline: bool, fmt: str | None, as_json: bool, wiki: bool, no_pager: bool) -> int:
    from ms_ref import annotate as annotation

    chosen = chosen_format("annotate", fmt, as_json)
    if inline and chosen not in ("auto", "markdown", "md"):
        raise UsageError(
            "--inline writes the text back in Markdown; leave out --format or use --format markdown", command="annotate"
        )
    if wiki and not inline and chosen not in ("markdown", "md"):
        raise UsageError("--wiki-links goes with --inline (or --format markdown)", command="annotate")
    text, label = read_document(source)
    view = answer(lambda kb: annotation.view(kb, text, label, inline))
    return output(view, "markdown" if inline else chosen, wiki, not no_pager)


def validate(paths: list[str], fmt: str | None, as_json: bool) -> int:
    view, ok = views.validate_view(paths)
    output(view, chosen_format("validate", fmt, as_json), False, False)
    return ExitCode.OK if ok else ExitCode.BAD_DATA


def paths(fmt: str | None, as_json: bool) -> int:
    return output(views.paths_view(), chosen_format("paths", fmt, as_json), False, False)
