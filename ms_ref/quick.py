"""The quick path: answer well-formed commands without building the Typer app.

Building msref's Typer app costs many times Python's own start-up (Typer and Click are imported and
every parameter gets a converter), while answering `msref explain demyelination` from the store costs
about a millisecond. So invocations whose every word is plain are parsed here, from the table that
ms_ref/commands.py holds (generated from the Typer app: it declares nothing of its own), and passed to
the same functions in ms_ref.actions. Anything else - help, a misspelt or abbreviated option, a missing
argument, a value Typer would reject - returns None, and Typer handles it, its messages included.
Shell completion of arguments and option values is answered here too. Builtin modules only.
"""

from __future__ import annotations

import os

from ms_ref.commands import COMMANDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _int(value: str, limits: list[int | None]) -> int | None:
    """An integer as Click reads it, within its limits; None when Click would say more."""
    text = value.strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    low, high = limits
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def parse(argv: list[str]) -> tuple[str, dict[str, Any]] | None:
    """(action name, keyword arguments), or None when Typer should decide."""
    if not argv or argv[0] not in COMMANDS:
        return None
    command = COMMANDS[argv[0]]
    params: list[dict[str, Any]] = command["params"]
    options = {spelling: param for param in params if not param["argument"] for spelling in param["opts"]}
    arguments = [param for param in params if param["argument"]]
    values: dict[str, Any] = {param["name"]: param["default"] for param in params}
    positionals: list[str] = []
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
        param = options.get(name)
        if param is None:
            return None  # --help, unknown, abbreviated or joined short options: Typer's messages
        if param["flag"]:
            if equals:
                return None
            values[param["name"]] = True
            continue
        if not equals:
            if index >= len(argv) or argv[index].startswith("-"):
                return None
            value = argv[index]
            index += 1
        converted = _convert(param, value)
        if converted is None:
            return None
        values[param["name"]] = converted
    if not _assign(arguments, positionals, values):
        return None
    return command["action"], values


def _convert(param: dict[str, Any], value: str) -> Any:
    if "choices" in param:
        for choice in param["choices"]:
            if choice.lower() == value.lower():
                return choice
        return None
    if "int" in param:
        return _int(value, param["int"])
    return value


def _assign(arguments: list[dict[str, Any]], positionals: list[str], values: dict[str, Any]) -> bool:
    remaining = list(positionals)
    for param in arguments:
        if param["nargs"] == -1:
            if param["required"] and not remaining:
                return False
            values[param["name"]] = remaining or ([] if not param["required"] else None)
            remaining = []
        else:
            if not remaining:
                if param["required"]:
                    return False
                continue
            values[param["name"]] = remaining.pop(0)
    return not remaining


def run(argv: list[str]) -> int | None:
    """Answer `argv` if it is a well-formed command; None hands it to Typer."""
    if os.environ.get("_MSREF_COMPLETE"):
        return complete()
    parsed = parse(argv)
    if parsed is None:
        return None
    action, values = parsed
    from ms_ref import actions

    result: int = getattr(actions, action)(**values)
    return result


# --------------------------------------------------------------------------------------------------
# Shell completion


def complete() -> int | None:
    """Completion of an argument or an option's value; None leaves it to Typer (option names, quoting)."""
    from ms_ref import completion

    found = completion.request()
    if found is None:
        return None
    shell, args, incomplete = found
    if not args or args[0] not in COMMANDS or incomplete.startswith("-"):
        return None
    params: list[dict[str, Any]] = COMMANDS[args[0]]["params"]
    options = {spelling: param for param in params if not param["argument"] for spelling in param["opts"]}
    target: dict[str, Any] | None = None
    previous = args[-1] if len(args) > 1 else ""
    if previous in options and not options[previous]["flag"]:
        target = options[previous]
    else:
        words = args[1:]
        if any(word.startswith("-") and "=" in word for word in words):
            return None
        # Count the positional words so far, skipping options and their values.
        count, index = 0, 0
        while index < len(words):
            word = words[index]
            index += 1
            if word.startswith("-"):
                param = options.get(word)
                if param is None:
                    return None
                if not param["flag"]:
                    index += 1
                continue
            count += 1
        arguments = [param for param in params if param["argument"]]
        for param in arguments:
            if param["nargs"] == -1 or count == 0:
                target = param
                break
            count -= 1
    if target is None:
        return completion.respond(shell, [])
    if "complete" in target:
        items = getattr(completion, target["complete"])(incomplete)
    elif "choices" in target:
        folded = incomplete.lower()
        items = [(choice, "") for choice in target["choices"] if choice.lower().startswith(folded)]
    else:
        return None
    return completion.respond(shell, items)
