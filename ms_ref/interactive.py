"""The quiz, asked one question at a time on a terminal: it waits for an answer, a to d in either case,
asks again after anything else, and lets the reader skip a question or stop. Ctrl-C ends it with exit
status 130, Ctrl-D ends it with the score so far. Text wraps to the terminal's width.
"""

from __future__ import annotations

import sys

from ms_ref.errors import ExitCode
from ms_ref.render.terminal import colour_enabled, width_of, wrap
from ms_ref.spec import NOTICE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ms_ref.types import View

LETTERS = "abcd"
PROMPT = "Your answer (a-d; s to skip, q to stop): "


def _print(text: str = "", indent: int = 0) -> None:
    width = width_of(sys.stdout)
    for line in wrap(text, max(width - indent, 10)) if text else [""]:
        sys.stdout.write(" " * indent + line + "\n")
    sys.stdout.flush()


def _ask() -> str | None:
    """The reader's choice: a letter, "s", "q", or None at the end of input (Ctrl-D)."""
    while True:
        try:
            reply = input(PROMPT).strip().lower()
        except EOFError:
            sys.stdout.write("\n")
            return None
        if reply in ("skip", "quit", "stop"):
            reply = reply[0]
        if len(reply) == 1 and reply in LETTERS + "sq":
            return reply
        _print("Please type a, b, c or d (or s to skip, q to stop).")


def quiz(view: View) -> int:
    data = view["data"]
    assert isinstance(data, dict)
    questions: list[dict[str, object]] = data["questions"]  # type: ignore[assignment]
    colour = colour_enabled(sys.stdout)
    score = asked = 0
    for number, item in enumerate(questions, 1):
        choices: list[str] = item["choices"]  # type: ignore[assignment]
        right = int(str(item["answer"]))
        _print()
        heading = f"Question {number} of {len(questions)}"
        _print(f"\x1b[1m{heading}\x1b[0m" if colour else heading)
        _print(str(item["question"]))
        for index, option in enumerate(choices):
            _print(f"({LETTERS[index]}) {option}", indent=2)
        reply = _ask()
        if reply is None or reply == "q":
            break
        if reply == "s":
            _print(f"Skipped. The answer: ({LETTERS[right]}) {choices[right]}.")
            continue
        asked += 1
        if LETTERS.index(reply) == right:
            score += 1
            _print("Right.")
        else:
            _print(f"Not quite: ({LETTERS[right]}) {choices[right]}.")
    _print()
    _print(f"You scored {score} of {asked} answered ({len(questions)} asked in all).")
    _print(NOTICE)
    return ExitCode.OK
