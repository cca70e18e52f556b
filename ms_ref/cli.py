"""The command line: parse -> call the core -> render -> exit code. No YAML and no Rich here."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Optional

import typer

try:  # Typer 0.29+ vendors Click as typer._click; older releases depend on Click itself.
    from typer._click import ClickException
except ImportError:  # pragma: no cover
    from click import ClickException  # type: ignore[no-redef, assignment]

from ms_ref import __version__, models, views
from ms_ref.errors import ExitCode, MsrefError
from ms_ref.render import FORMATS, render

if TYPE_CHECKING:
    from ms_ref.kb import KnowledgeBase

HELP = (
    "msref: an offline, cited reference on multiple sclerosis: how MS affects the immune system, and its "
    f"treatments.\n\n{models.NOTICE}"
)

app = typer.Typer(
    name="msref",
    help=HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]

FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        envvar="MSREF_FORMAT",
        case_sensitive=False,
        help="auto (rich on a terminal, plain when piped), rich, plain, markdown or json. Default from MSREF_FORMAT.",
        show_default=True,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
WikiOpt = Annotated[
    bool, typer.Option("--wiki-links", help="In Markdown, write other entries' names as [[wiki-links]] (Obsidian).")
]


def _output(view: dict[str, object], fmt: Format, as_json: bool, wiki: bool = False) -> None:
    render(view, "json" if as_json else fmt.value, wiki=wiki)


def _kb() -> KnowledgeBase:
    from ms_ref.loader import load_knowledge_base

    return load_knowledge_base()


def _answer(build: Callable[[KnowledgeBase], dict[str, object]]) -> dict[str, object]:
    from ms_ref.loader import answer

    return answer(build)  # type: ignore[return-value]


def _complete_entry(incomplete: str) -> list[tuple[str, str]]:
    """Entry ids, names and aliases for shell completion; silent if the data cannot be read."""
    from ms_ref.fast import entry_completions

    return entry_completions(incomplete)


def _version(value: bool) -> None:
    if not value:
        return
    try:
        reviewed = _kb().newest_reviewed
        typer.echo(f"msref {__version__} (knowledge base reviewed up to {reviewed})")
    except MsrefError:
        typer.echo(f"msref {__version__} (knowledge base invalid: run `msref validate`)")
    raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and the knowledge base's newest review date."),
    ] = None,
) -> None:
    """msref: an offline, cited reference on multiple sclerosis."""


@app.command()
def explain(
    query: Annotated[
        str,
        typer.Argument(help="A term or treatment: id, name, brand or abbreviation.", autocompletion=_complete_entry),
    ],
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
) -> None:
    """Explain a term, treatment, treatment family or immune-cascade step."""
    _output(_answer(lambda kb: views.explain(kb, query)), fmt, as_json, wiki)


@app.command()
def treatments(
    family: Annotated[Optional[str], typer.Option("--type", "-t", help="Family: dmt, symptomatic, rehabilitation, stem-cell, complementary.")] = None,
    route: Annotated[Optional[str], typer.Option("--route", help="oral, injection or infusion.")] = None,
    ms_form: Annotated[Optional[str], typer.Option("--for", help="MS form: CIS, RRMS, active SPMS, SPMS, PPMS.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="approved, off-label, investigational, withdrawn or therapy.")] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
) -> None:
    """List treatments, grouped by family, with optional filters."""
    _output(_answer(lambda kb: views.treatments(kb, family, route, ms_form, status)), fmt, as_json, wiki)


@app.command()
def compare(
    names: Annotated[list[str], typer.Argument(help="Two or more treatments.", autocompletion=_complete_entry)],
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """Compare treatments side by side (never ranked: the trials were not head to head)."""
    _output(_answer(lambda kb: views.compare(kb, names)), fmt, as_json)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for in every field.")],
    kind: Annotated[Optional[str], typer.Option("--kind", help="treatment, term, step or family.")] = None,
    family: Annotated[Optional[str], typer.Option("--type", "-t", help="Only treatments of this family.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=500, help="At most this many results.")] = 10,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search over every field, ranked, showing where each hit matched."""
    _output(_answer(lambda kb: views.search_view(kb, text, kind, family, limit)), fmt, as_json)


@app.command()
def glossary(
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="Only terms of this category.")] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """List the glossary of MS terms."""
    _output(_answer(lambda kb: views.glossary(kb, category)), fmt, as_json)


@app.command()
def immune(fmt: FormatOpt = Format.auto, as_json: JsonOpt = False, wiki: WikiOpt = False) -> None:
    """How MS affects the immune system, step by step, with the treatments acting at each step.

    --format mermaid writes the cascade as a Mermaid flowchart; Markdown includes it too.
    """
    _output(_answer(views.immune), fmt, as_json, wiki)


@app.command()
def sources(
    query: Annotated[str, typer.Argument(help="A term or treatment.", autocompletion=_complete_entry)],
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """Show an entry's citations and review date."""
    _output(_answer(lambda kb: views.sources(kb, query)), fmt, as_json)


@app.command()
def validate(
    paths: Annotated[Optional[list[str]], typer.Argument(help="A knowledge-base folder and/or your own entry files.")] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """Validate the shipped knowledge base and your own entries, or the given files (exit 3 on problems)."""
    view, ok = views.validate_view(paths or [])
    _output(view, fmt, as_json)
    if not ok:
        raise typer.Exit(3)


@app.command()
def paths(fmt: FormatOpt = Format.auto, as_json: JsonOpt = False) -> None:
    """Show where the knowledge base, your own entries and the cache live."""
    _output(views.paths_view(), fmt, as_json)


@app.command()
def timeline(
    agency: Annotated[Optional[str], typer.Option("--agency", help="Only this agency's approvals: FDA, EMA...")] = None,
    family: Annotated[Optional[str], typer.Option("--type", "-t", help="Only treatments of this family.")] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
) -> None:
    """Approvals of MS therapies by year: a chart on the terminal, a table in Markdown."""
    from ms_ref import learn

    _output(_answer(lambda kb: learn.timeline(kb, agency, family)), fmt, as_json, wiki)


@app.command()
def prepare(
    names: Annotated[list[str], typer.Argument(help="One or more treatments.", autocompletion=_complete_entry)],
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="Write to this file (.html, .md...).")] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """A sheet for a clinic visit: side by side, questions to ask, warning signs, sources. Never ranked.

    --format html -o sheet.html writes a self-contained page that prints on A4.
    """
    from ms_ref import clinic

    view = _answer(lambda kb: clinic.prepare(kb, names))
    if output is None:
        _output(view, fmt, as_json)
        return
    from ms_ref.render import EXTENSIONS

    chosen = "json" if as_json else fmt.value
    if chosen == "auto":
        chosen = EXTENSIONS.get(os.path.splitext(output)[1].lower(), "plain")
    try:
        with open(output, "w", encoding="utf-8") as handle:
            render(view, chosen, handle)
    except OSError as exc:
        raise MsrefError(f"cannot write {output}: {exc.strerror or exc}") from exc
    sys.stderr.write(f"msref: wrote {output}\n")


@app.command(name="random")
def random_entry(
    kind: Annotated[Optional[str], typer.Option("--kind", help="term or treatment.")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Pick by this number instead of today's date.")] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
) -> None:
    """An entry to learn today (the same all day; another tomorrow)."""
    from ms_ref import learn

    _output(_answer(lambda kb: learn.random_entry(kb, kind, seed)), fmt, as_json, wiki)


@app.command()
def quiz(
    count: Annotated[int, typer.Option("--count", "-n", help="How many questions (1-50).")] = 5,
    seed: Annotated[Optional[int], typer.Option("--seed", help="The same questions for the same number.")] = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Print the questions and the answers; ask nothing.")] = False,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """Questions drawn from the knowledge base. Asks them one by one on a terminal; with --no-input, or
    when not on a terminal, prints them with the answers (for scripts)."""
    from ms_ref import learn

    view = _answer(lambda kb: learn.quiz(kb, count, seed))
    interactive = not (no_input or as_json) and fmt.value in ("auto", "rich") and sys.stdin.isatty() and sys.stdout.isatty()
    if not interactive:
        _output(view, fmt, as_json)
        return
    questions = view["data"]["questions"]  # type: ignore[index]
    score = 0
    letters = "abcd"
    for number, item in enumerate(questions, 1):
        typer.echo(f"\nQuestion {number} of {len(questions)}: {item['question']}")
        for index, choice in enumerate(item["choices"]):
            typer.echo(f"  ({letters[index]}) {choice}")
        reply = ""
        while reply not in letters:
            reply = input("Your answer (a-d): ").strip().lower()[:1]
        right = item["answer"]
        if letters.index(reply) == right:
            score += 1
            typer.echo("Right.")
        else:
            typer.echo(f"Not quite: ({letters[right]}) {item['choices'][right]}.")
    typer.echo(f"\nYou scored {score} of {len(questions)}. {models.NOTICE}")


def run(argv: list[str] | None = None) -> int:
    """Run the Typer app; every expected failure becomes a message on stderr and an exit code."""
    try:
        result = app(args=argv, prog_name="msref", standalone_mode=False)
    except MsrefError as exc:
        from ms_ref.fast import report

        return report(exc)
    except ClickException as exc:
        exc.show()
        return exc.exit_code
    except typer.Abort:
        sys.stderr.write("\n")
        return ExitCode.INTERRUPTED
    return result if isinstance(result, int) else 0
