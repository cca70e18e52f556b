"""The quick path for the read-only commands: answer without building the Typer app.

Building msref's Typer app costs several times Python's own start-up (Typer, Click and pydantic are
imported and every parameter gets a validator), while answering `msref explain demyelination` from the
cache costs a millisecond. So simple, well-formed invocations of explain, treatments, compare, search,
glossary, immune and sources, and shell completion of their entry arguments, are parsed here and
answered through the same views and renderers. Anything else - help, a misspelt option, a missing
argument, a value that looks like an option - returns None, and Typer handles it, errors included.
tests/test_fast.py holds the two paths to byte-identical output.

Only builtin modules are imported here.
"""

from __future__ import annotations

import os
import sys

from ms_ref.errors import MsrefError

_FORMATS = ("auto", "rich", "plain", "markdown", "json")

# command -> (option spellings -> parameter name, positional arity: 1 or "many", flags)
_COMMANDS: dict[str, tuple[dict[str, str], object]] = {
    "explain": ({}, 1),
    "sources": ({}, 1),
    "compare": ({}, "many"),
    "treatments": ({"--type": "family", "-t": "family", "--route": "route", "--for": "ms_form", "--status": "status"}, 0),
    "search": ({"--kind": "kind", "--type": "family", "-t": "family", "--limit": "limit", "-n": "limit"}, 1),
    "glossary": ({"--category": "category", "-c": "category"}, 0),
    "immune": ({}, 0),
}
_ENTRY_ARGUMENTS = ("explain", "sources", "compare")


def _parse(argv: list[str]) -> tuple[str, dict[str, str], list[str], str, bool, bool] | None:
    """(command, options, positionals, format, json flag, wiki flag), or None when Typer should decide."""
    if not argv or argv[0] not in _COMMANDS:
        return None
    command = argv[0]
    names, arity = _COMMANDS[command]
    options: dict[str, str] = {}
    positionals: list[str] = []
    fmt = os.environ.get("MSREF_FORMAT") or "auto"
    as_json = False
    wiki = False
    index, rest = 1, False
    while index < len(argv):
        token = argv[index]
        index += 1
        if rest or token == "-" or not token.startswith("-"):
            positionals.append(token)
            continue
        if token == "--":
            rest = True
            continue
        name, equals, value = token.partition("=")
        if name == "--json" and not equals:
            as_json = True
            continue
        if name == "--wiki-links" and not equals and command in _WIKI:
            wiki = True
            continue
        if name not in ("--format", "-f") and name not in names:
            return None  # --help, unknown or abbreviated options: Typer's messages
        if not equals:
            if index >= len(argv) or argv[index].startswith("-"):
                return None
            value = argv[index]
            index += 1
        if name in ("--format", "-f"):
            fmt = value
        else:
            options[names[name]] = value
    if fmt.lower() not in _FORMATS:
        return None
    if (arity == 1 and len(positionals) != 1) or (arity == 0 and positionals) or (arity == "many" and not positionals):
        return None
    if "limit" in options:
        limit = options["limit"]
        if not limit.isdigit() or not 1 <= int(limit) <= 500:
            return None
    if fmt.lower() in ("html", "mermaid") and command != "immune":
        return None  # Typer reports the usage error
    return command, options, positionals, fmt.lower(), as_json, wiki


_WIKI = ("explain", "treatments", "immune")


def _build(command: str, options: dict[str, str], positionals: list[str]) -> object:
    from ms_ref import views

    if command == "explain":
        return lambda kb: views.explain(kb, positionals[0])
    if command == "sources":
        return lambda kb: views.sources(kb, positionals[0])
    if command == "compare":
        return lambda kb: views.compare(kb, positionals)
    if command == "treatments":
        return lambda kb: views.treatments(
            kb, options.get("family"), options.get("route"), options.get("ms_form"), options.get("status")
        )
    if command == "search":
        limit = int(options.get("limit", "10"))
        return lambda kb: views.search_view(kb, positionals[0], options.get("kind"), options.get("family"), limit)
    if command == "glossary":
        return lambda kb: views.glossary(kb, options.get("category"))
    return views.immune


def run(argv: list[str]) -> int | None:
    """Answer `argv` if it is a simple read-only command; None hands it to Typer."""
    if os.environ.get("_MSREF_COMPLETE"):
        return complete()
    parsed = _parse(argv)
    if parsed is None:
        return None
    command, options, positionals, fmt, as_json, wiki = parsed
    from ms_ref.loader import answer
    from ms_ref.render import render

    try:
        view = answer(_build(command, options, positionals))
        render(view, "json" if as_json else fmt, wiki=wiki)  # type: ignore[arg-type]
    except MsrefError as exc:
        return report(exc)
    return 0


def report(exc: MsrefError) -> int:
    """An expected failure on stderr, as the Typer path prints it (ms_ref.cli.run shares this)."""
    from ms_ref.errors import UsageError

    sys.stderr.write(f"msref: error: {exc.message}\n")
    for hint in exc.hints:
        sys.stderr.write(f"  {hint}\n")
    if isinstance(exc, UsageError):
        sys.stderr.write("Try 'msref --help' for help.\n")
    return exc.exit_code


# --------------------------------------------------------------------------------------------------
# Shell completion of entry arguments, in the formats of Typer's bash, zsh and fish scripts


def _words(line: str) -> list[str] | None:
    if any(c in line for c in "'\"\\"):
        return None  # quoting: let Click's own splitter handle it
    return line.split()


def complete() -> int | None:
    instruction = os.environ.get("_MSREF_COMPLETE", "")
    kind, _, shell = instruction.partition("_")
    if kind != "complete" or shell not in ("bash", "zsh", "fish"):
        return None
    if shell == "bash":
        words = _words(os.environ.get("COMP_WORDS", ""))
        cword = os.environ.get("COMP_CWORD", "")
        if words is None or not cword.isdigit():
            return None
        args = words[1 : int(cword)]
        incomplete = words[int(cword)] if int(cword) < len(words) else ""
    else:
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = _words(line)
        if words is None:
            return None
        args = words[1:]
        incomplete = ""
        if args and not line.endswith(" "):
            incomplete = args.pop()
    if not args or args[0] not in _ENTRY_ARGUMENTS or incomplete.startswith("-"):
        return None
    if any(word.startswith("-") for word in args[1:]) or (args[0] != "compare" and len(args) > 1):
        return None
    items = entry_completions(incomplete)
    if shell == "bash":
        out = "\n".join(value for value, _help in items)
    elif shell == "zsh":
        out = f"_arguments '*: :(({chr(10).join(_zsh(v, h) for v, h in items)}))'" if items else "_files"
    else:
        action = os.environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return 0 if items else 1
        out = "\n".join(f"{value}\t{_one_line(help_text)}" for value, help_text in items) if action == "get-args" else ""
    sys.stdout.write(out + "\n")
    return 0


def _one_line(text: str) -> str:
    return "".join(" " if c.isspace() else c for c in text)


def _zsh(value: str, help_text: str) -> str:
    def escape(text: str) -> str:
        return text.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")

    return f'"{escape(value)}":"{escape(help_text)}"'


def entry_completions(incomplete: str) -> list[tuple[str, str]]:
    """Completions for an entry argument; none when the knowledge base cannot be read."""
    from ms_ref.loader import load_knowledge_base
    from ms_ref.search import completions

    try:
        return completions(load_knowledge_base(), incomplete)
    except MsrefError:
        return []
