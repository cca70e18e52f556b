"""The command line: the one place commands, arguments and options are declared.

Each command hands its parsed parameters to the function of the same name in ms_ref.actions. The
quick path (ms_ref.quick) answers simple invocations without building this app, from a table generated
from it: `python -m ms_ref.cli --write-table` rewrites ms_ref/commands.py, and a test fails when that
file is stale. No YAML and no Rich here (Typer itself uses Rich for help).
"""

from __future__ import annotations

import sys
from types import FunctionType
from typing import Annotated, Any, Literal

import typer

from ms_ref import __version__, actions, spec
from ms_ref.completion import (
    complete_category,
    complete_entry,
    complete_family,
    complete_kind,
    complete_ms_form,
    complete_random_kind,
    complete_route,
    complete_status,
    complete_symptom,
    complete_treatment,
)

HELP = (
    "msref: an offline, cited reference on multiple sclerosis: how MS affects the immune system, and its "
    f"treatments.\n\n{spec.NOTICE}"
)

# Typer prints an argument's Python type (<list[str]>) beside its name in help; the names and help texts
# below already say what each argument takes.
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]

app = typer.Typer(
    name="msref",
    help=HELP,
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _format_option(*extra: str) -> Any:
    shown = "|".join(("auto", "rich", "plain", "markdown", "json", *extra))
    return typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        metavar=f"[{shown}]",
        help="How to write the answer. auto (the default): rich on a terminal, plain when piped. md is short "
        "for markdown. MSREF_FORMAT sets your default.",
    )


# The formats each command writes: text everywhere, a printable page where it helps, the diagram alone
# for the cascade.
TextFormat = Annotated[Literal["auto", "rich", "plain", "markdown", "md", "json"] | None, _format_option()]
PageFormat = Annotated[
    Literal["auto", "rich", "plain", "markdown", "md", "json", "html"] | None, _format_option("html")
]
CascadeFormat = Annotated[
    Literal["auto", "rich", "plain", "markdown", "md", "json", "html", "mermaid"] | None,
    _format_option("html", "mermaid"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json.")]
WikiOpt = Annotated[
    bool, typer.Option("--wiki-links", help="In Markdown, write other entries' names as [[links]] between notes.")
]
NoPagerOpt = Annotated[bool, typer.Option("--no-pager", help="Print long answers instead of paging them.")]
FamilyOpt = Annotated[
    str | None,
    typer.Option(
        "--type",
        "-t",
        metavar="FAMILY",
        autocompletion=complete_family,
        help="Treatment family: " + ", ".join(spec.FAMILY_IDS) + " (dmt, rehab and stem_cell work too).",
    ),
]


def _version(value: bool) -> None:
    if not value:
        return
    from ms_ref.errors import MsrefError
    from ms_ref.store import load_knowledge_base

    try:
        reviewed = load_knowledge_base().newest_reviewed
        typer.echo(f"msref {__version__} (knowledge base reviewed up to {reviewed})")
    except MsrefError:
        typer.echo(f"msref {__version__} (knowledge base invalid: run `msref validate`)")
    raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Show the version and the knowledge base's newest review date.",
        ),
    ] = False,
) -> None:
    """msref: an offline, cited reference on multiple sclerosis."""


@app.command(epilog=spec.NOTICE)
def explain(
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="WORDS",
            help="A term or treatment as you would say it: name, brand, abbreviation or "
            "everyday words (no quotes needed).",
            autocompletion=complete_entry,
        ),
    ],
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """Explain a term, treatment, treatment family or immune-cascade step."""
    return actions.explain(**locals())


@app.command(epilog=spec.NOTICE)
def treatments(
    family: FamilyOpt = None,
    route: Annotated[
        str | None,
        typer.Option(
            "--route",
            metavar="ROUTE",
            autocompletion=complete_route,
            help="How it is given: " + ", ".join(spec.ROUTES) + ".",
        ),
    ] = None,
    ms_form: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="FORM",
            autocompletion=complete_ms_form,
            help="Form of MS: CIS, RRMS, active SPMS, SPMS, PPMS, or relapsing. A broader form includes the narrower "
            "ones: SPMS includes active SPMS; relapsing includes CIS, RRMS and active SPMS.",
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            autocompletion=complete_status,
            help="Status: " + ", ".join(spec.STATUSES) + ".",
        ),
    ] = None,
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """List treatments, grouped by family, with optional filters."""
    return actions.treatments(**locals())


@app.command(epilog=spec.NOTICE)
def compare(
    names: Annotated[
        list[str],
        typer.Argument(
            metavar="TREATMENT",
            help="Two or more treatments (quote a name of several words).",
            autocompletion=complete_treatment,
        ),
    ],
    fmt: PageFormat = None,
    as_json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """Compare treatments side by side (never ranked: the trials were not head to head)."""
    return actions.compare(**locals())


@app.command(epilog=spec.NOTICE)
def search(
    text: Annotated[
        list[str], typer.Argument(metavar="WORDS", help="Words to look for in every field (no quotes needed).")
    ],
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            metavar="KIND",
            autocompletion=complete_kind,
            help="Only entries of this kind: " + ", ".join(spec.KINDS) + ".",
        ),
    ] = None,
    family: FamilyOpt = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=500, metavar="N", help="Show at most N results (1-500).")
    ] = 10,
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """Full-text search over every field, ranked, showing where each hit matched."""
    return actions.search(**locals())


@app.command(epilog=spec.NOTICE)
def glossary(
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            "-c",
            metavar="CATEGORY",
            autocompletion=complete_category,
            help="Only terms of this category: " + ", ".join(spec.TERM_CATEGORIES) + ".",
        ),
    ] = None,
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """List the glossary of MS terms."""
    return actions.glossary(**locals())


@app.command(epilog=spec.NOTICE)
def immune(
    fmt: CascadeFormat = None,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """How MS affects the immune system, step by step, with the treatments acting at each step. Markdown
    and HTML include a diagram of the cascade; --format mermaid writes the diagram alone."""
    return actions.immune(**locals())


@app.command(epilog=spec.NOTICE)
def sources(
    query: Annotated[
        list[str], typer.Argument(metavar="WORDS", help="A term or treatment.", autocompletion=complete_entry)
    ],
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """Show an entry's citations, which source supports which field, and the review date."""
    return actions.sources(**locals())


@app.command(epilog=spec.NOTICE)
def prepare(
    names: Annotated[
        list[str],
        typer.Argument(metavar="TREATMENT", help="One or more treatments.", autocompletion=complete_treatment),
    ],
    output_file: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (.md, .html, .json or .txt; - for standard output) instead of the screen.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    fmt: PageFormat = None,
    as_json: JsonOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """A sheet for a clinic visit: side by side, questions to ask, warning signs, sources. Never ranked.
    -o sheet.html writes a self-contained page that prints on A4."""
    return actions.prepare(**locals())


@app.command(epilog=spec.NOTICE)
def timeline(
    agency: Annotated[
        str | None, typer.Option("--agency", metavar="AGENCY", help="Only this agency's approvals: FDA, EMA...")
    ] = None,
    family: FamilyOpt = None,
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """Approvals of MS therapies by year: a chart on the terminal, a table in Markdown."""
    return actions.timeline(**locals())


@app.command(name="random", epilog=spec.NOTICE)
def random_entry(
    kind: Annotated[
        str | None,
        typer.Option("--kind", metavar="KIND", autocompletion=complete_random_kind, help="term or treatment."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="N", help="Pick by this number instead of today's date.")
    ] = None,
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """An entry to learn: the same one all day, another the next day (or pick one by --seed)."""
    return actions.random(**locals())


@app.command(epilog=spec.NOTICE)
def quiz(
    count: Annotated[
        int, typer.Option("--count", "-n", min=1, max=50, metavar="N", help="How many questions (1-50).")
    ] = 5,
    seed: Annotated[
        int | None, typer.Option("--seed", metavar="N", help="The same questions for the same number.")
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Print the questions with their answers; ask nothing.")
    ] = False,
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
) -> int:
    """Questions drawn from the knowledge base, asked one by one on a terminal. With --no-input, or when
    not on a terminal, they are printed with their answers."""
    return actions.quiz(**locals())


@app.command(epilog=spec.NOTICE)
def symptoms(
    symptom: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SYMPTOM",
            help="A symptom, in any words (spasticity, stiff legs, bladder problems). Leave out to list them all.",
            autocompletion=complete_symptom,
        ),
    ] = None,
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
    wiki: WikiOpt = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """Symptom first: the MS symptoms msref covers, or what can help one of them, grouped, with status and
    evidence. Never ranked."""
    return actions.symptoms(symptom or [], fmt, as_json, wiki, no_pager)


@app.command(epilog=spec.NOTICE)
def annotate(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help="A clinic letter, MRI report or notes (plain text or Markdown); - reads standard input.",
        ),
    ],
    inline: Annotated[
        bool,
        typer.Option("--inline", help="Write the text back in Markdown, each term's first use linked to a footnote."),
    ] = False,
    fmt: PageFormat = None,
    as_json: JsonOpt = False,
    wiki: Annotated[
        bool, typer.Option("--wiki-links", help="With --inline, link terms as [[links]] between notes instead.")
    ] = False,
    no_pager: NoPagerOpt = False,
) -> int:
    """The MS words in your own letter, report or notes, each explained once, in order. Nothing leaves
    your computer."""
    return actions.annotate(**locals())


@app.command(epilog=spec.NOTICE)
def validate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(metavar="PATH", help="A knowledge-base folder and/or your own entry files."),
    ] = None,
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
) -> int:
    """Check the shipped knowledge base and your own entries, or the given files (exit 3 on problems)."""
    return actions.validate(paths or [], fmt, as_json)


@app.command(epilog=spec.NOTICE)
def paths(
    fmt: TextFormat = None,
    as_json: JsonOpt = False,
) -> int:
    """Show where the knowledge base, your own entries and the cache live."""
    return actions.paths(**locals())


def run(argv: list[str]) -> int:
    """Run the Typer app. Expected failures propagate to ms_ref.main, the one place they become exit codes."""
    result = app(args=argv, prog_name="msref", standalone_mode=False)
    return result if isinstance(result, int) else 0


# --------------------------------------------------------------------------------------------------
# The table the quick path reads, generated from the app above.


def command_table() -> dict[str, dict[str, Any]]:
    """For each command: its action and its parameters as the quick path needs them."""
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    commands = dict(group.commands)
    table: dict[str, dict[str, Any]] = {}
    for name, command in sorted(commands.items()):
        params = []
        for param in command.params:
            if param.name == "help":
                continue
            assert isinstance(param, (typer.core.TyperArgument, typer.core.TyperOption))
            argument = isinstance(param, typer.core.TyperArgument)
            item: dict[str, Any] = {"name": param.name, "argument": argument}
            if isinstance(param, typer.core.TyperArgument):
                item["nargs"] = param.nargs
                item["required"] = param.required
            else:
                item["opts"] = sorted(param.opts + param.secondary_opts)
                item["flag"] = bool(param.is_flag)
            item["default"] = None if callable(param.default) else param.default
            descriptor = param.type_descriptor
            if descriptor.choices is not None:
                item["choices"] = [str(choice) for choice in descriptor.choices]
            elif descriptor.annotation is int:
                item["int"] = [descriptor.parameter_info.min, descriptor.parameter_info.max]
            completer = _completer_name(getattr(param, "_custom_shell_complete", None))
            if completer is not None:
                item["complete"] = completer
            params.append(item)
        action = getattr(command.callback, "__name__", name)
        table[name] = {"action": "random" if action == "random_entry" else action, "params": params}
    return table


def _completer_name(function: object, depth: int = 0) -> str | None:
    """The ms_ref.completion function Typer wrapped (it keeps the original in its closures)."""
    if function is None or depth > 4:
        return None
    if isinstance(function, FunctionType) and function.__module__ == "ms_ref.completion":
        return function.__name__
    for cell in getattr(function, "__closure__", None) or ():
        try:
            found = _completer_name(cell.cell_contents, depth + 1)
        except ValueError:  # an empty cell
            continue
        if found:
            return found
    return None


def _write_table(path: str) -> None:
    import pprint

    text = (
        '"""The commands as the quick path reads them: GENERATED from the Typer app in ms_ref/cli.py by\n'
        "`python -m ms_ref.cli --write-table`; do not edit (tests/test_quick.py fails when it is stale).\n"
        '"""\n\nfrom __future__ import annotations\n\nTYPE_CHECKING = False\nif TYPE_CHECKING:\n'
        "    from typing import Any\n\n"
        f"COMMANDS: dict[str, dict[str, Any]] = {pprint.pformat(command_table(), width=110, sort_dicts=True)}\n"
    )
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-table"]:
        import os

        _write_table(os.path.join(os.path.dirname(os.path.abspath(__file__)), "commands.py"))
    else:
        sys.exit("usage: python -m ms_ref.cli --write-table")
