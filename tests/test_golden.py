"""Golden files: each renderer's exact output on the fixture knowledge base.

Regenerate after a deliberate change with `pytest tests/test_golden.py --update-golden` and review the diff.
"""

from __future__ import annotations

import pytest

from tests.conftest import GOLDEN

CASES = {
    "explain-treatment": ["explain", "ocrelizumab"],
    "explain-term": ["explain", "demyelination"],
    "explain-step": ["explain", "bbb-crossing"],
    "treatments-dmt": ["treatments", "--type", "dmt"],
    "treatments-all": ["treatments"],
    "compare": ["compare", "ocrelizumab", "natalizumab", "fingolimod"],
    "search": ["search", "myelin"],
    "glossary": ["glossary"],
    "immune": ["immune"],
    "sources": ["sources", "natalizumab"],
    "prepare": ["prepare", "ocrelizumab", "natalizumab"],
    "timeline": ["timeline"],
}
EXTENSIONS = {"plain": "txt", "markdown": "md", "json": "json", "rich": "rich.txt"}


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
@pytest.mark.parametrize("case", list(CASES))
def test_golden(run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, case: str, fmt: str) -> None:
    if fmt == "rich":  # the terminal's styling is part of the output: losing colour or links fails here
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("MSREF_HYPERLINKS", "1")
    result = run(*CASES[case], "--format", fmt)
    assert result.code == 0, result
    path = GOLDEN / f"{case}.{EXTENSIONS[fmt]}"
    if request.config.getoption("--update-golden"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.out, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path.name}: run pytest --update-golden"
    assert result.out == path.read_text(encoding="utf-8")
