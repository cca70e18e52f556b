"""Into notes and into the clinic: Markdown that lints clean, the Mermaid cascade, the timeline, the
clinic sheet (Markdown, and HTML printed on A4 by headless Chromium), random entries and quizzes."""

from __future__ import annotations

import html.parser
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REQUIRE_TOOLS = os.environ.get("MSREF_REQUIRE_TOOLS") == "1"

MARKDOWN_COMMANDS = [
    ["explain", "ocrelizumab"], ["explain", "demyelination", "--wiki-links"], ["explain", "bbb-crossing"],
    ["explain", "dmt"], ["treatments"], ["treatments", "--type", "dmt", "--wiki-links"],
    ["compare", "ocrelizumab", "natalizumab", "fingolimod"], ["search", "myelin"], ["glossary"],
    ["immune"], ["immune", "--wiki-links"], ["sources", "natalizumab"], ["paths"], ["validate"], ["timeline"],
    ["prepare", "ocrelizumab", "natalizumab"], ["random", "--seed", "7"], ["quiz", "--seed", "3", "--no-input"],
    ["symptoms"], ["symptoms", "spasticity"], ["sources", "tizanidine"],
    ["annotate", "tests/data/letters/mri-report.txt"], ["annotate", "tests/data/letters/nurse-notes.md", "--inline"],
    ["annotate", "tests/data/letters/nurse-notes.md", "--inline", "--wiki-links"],
]


def _tool(name: str, env: str) -> str | None:
    found = os.environ.get(env) or shutil.which(name)
    if not found and REQUIRE_TOOLS:
        pytest.fail(f"{name} is required (MSREF_REQUIRE_TOOLS=1) but was not found")
    return found


def _markdown(run, argv: list[str]) -> str:
    result = run(*argv, "--format", "markdown")
    assert result.code == 0, (argv, result)
    return result.out


@pytest.mark.parametrize("argv", MARKDOWN_COMMANDS, ids=lambda a: " ".join(a))
def test_markdown_structure(argv: list[str], run, real_data) -> None:
    """The rules that matter most for notes, checked without external tools."""
    text = _markdown(run, argv)
    lines = text.split("\n")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert all(line == line.rstrip() for line in lines), "trailing spaces"
    assert "\n\n\n" not in text
    if "--inline" in argv:  # the person's own text, as they wrote it: markdownlint checks it as a whole
        return
    assert sum(line.startswith("# ") for line in lines) == 1 and lines[0].startswith("# ")
    fence = False
    for index, line in enumerate(lines):
        if line.startswith("```"):
            fence = not fence
        if fence:
            continue
        starts_block = line.startswith(("- ", "| ", "#", "> "))
        if starts_block and index > 0:
            previous = lines[index - 1]
            same_kind = previous[:2] == line[:2] and not line.startswith("#")
            assert previous == "" or same_kind, f"no blank line before: {line!r}"


def test_markdownlint_passes_on_every_command(run, real_data, tmp_path: Path) -> None:
    markdownlint = _tool("markdownlint", "MSREF_MARKDOWNLINT")
    if not markdownlint:
        pytest.skip("markdownlint not installed (npm install markdownlint-cli)")
    files = []
    for number, argv in enumerate(MARKDOWN_COMMANDS):
        path = tmp_path / f"{number:02d}-{argv[0]}.md"
        path.write_text(_markdown(run, argv), encoding="utf-8")
        files.append(str(path))
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"MD013": False}))
    done = subprocess.run([markdownlint, "-c", str(config), *files], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_wiki_links_and_citation_links(run, real_data) -> None:
    text = _markdown(run, ["explain", "ocrelizumab", "--wiki-links"])
    assert "[[CD20]]" in text and "[[B cell]]" in text
    assert re.search(r"^\d+\. \[FDA label: Ocrevus[^\]]*\]\(https://api\.fda\.gov/", text, re.M)
    assert "[[" not in _markdown(run, ["explain", "ocrelizumab"])


def test_mermaid_cascade(run, real_data) -> None:
    result = run("immune", "--format", "mermaid")
    assert result.code == 0
    lines = result.out.strip().split("\n")
    assert lines[0] == "flowchart TD"
    defined = {m.group(1) for m in (re.match(r"\s+(n_\w+)[\[(]", line) for line in lines) if m}
    edges = [re.match(r"\s+(n_\w+) (-->|-\.->) (n_\w+)$", line) for line in lines if "->" in line]
    assert edges and all(edges)
    assert all(e.group(1) in defined and e.group(3) in defined for e in edges)
    payload = json.loads(run("treatments", "--type", "dmt", "--json").out)
    acting = [t["id"] for t in payload["treatments"] if json.loads(run("explain", t["id"], "--json").out).get("acts_on")]
    assert len(acting) >= 15
    for treatment_id in acting:  # every DMT that acts at a step of the cascade is drawn at it
        assert f"n_{treatment_id.replace('-', '_')}" in defined, treatment_id
    assert "```mermaid" in _markdown(run, ["immune"])
    misuse = run("explain", "myelin", "--format", "mermaid")
    assert misuse.code == 2 and "'mermaid' is not one of" in misuse.err and "Traceback" not in misuse.err


def test_timeline(run, real_data) -> None:
    payload = json.loads(run("timeline", "--json").out)
    years = [event["year"] for event in payload["approvals"]]
    assert years == sorted(years) and years[0] >= 1970
    assert {"year": 1993, "agency": "FDA", "id": "interferon-beta-1b"} in [
        {k: v for k, v in event.items() if k in ("year", "agency", "id")} for event in payload["approvals"]]
    chart = run("timeline", "--agency", "fda").out
    assert "1993  #" in chart and "EMA" not in chart.split("\n\n", 1)[1]
    assert run("timeline", "--agency", "XYZ").code == 2
    table = _markdown(run, ["timeline"])
    assert "| Year | Agency | Treatment | Note |" in table


def test_prepare_sheet_content(run, real_data) -> None:
    result = run("prepare", "ocrelizumab", "natalizumab")
    assert result.code == 0
    text = result.out
    for heading in ("At a glance", "Where they differ", "Questions to ask about Ocrelizumab",
                    "Questions to ask about Natalizumab", "Warning signs to report", "Sources: Natalizumab"):
        assert heading in text
    for topic in ("Before starting:", "Monitoring:", "Vaccines:", "Pregnancy and family plans:", "Time commitment:",
                  "Stopping:"):
        assert text.count(topic) == 2
    assert "not compared head to head" in text and "does not rank them or recommend one" in text
    words = set(re.findall(r"[a-z]+", text.lower()))
    assert not words & {"best", "better", "worse", "worst", "superior", "preferred", "safest"}
    payload = json.loads(run("prepare", "Tysabri", "--json").out)
    assert payload["treatments"][0]["id"] == "natalizumab" and payload["warning_signs"]["natalizumab"]
    assert run("prepare", "myelin").code == 2


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.skip = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.words.extend(data.split())


def _sheet(run, tmp_path: Path, names: list[str]) -> Path:
    target = tmp_path / "sheet.html"
    result = run("prepare", *names, "--format", "html", "-o", str(target))
    assert result.code == 0 and result.out == ""
    return target


def test_html_sheet_is_self_contained(run, real_data, tmp_path: Path) -> None:
    page = _sheet(run, tmp_path, ["ocrelizumab", "natalizumab"]).read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(page)
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(parser.tags)
    assert "@import" not in page and "url(" not in page
    assert "@page { size: A4" in page
    assert re.findall(r'src="', page) == []


@pytest.mark.parametrize("names", [["ocrelizumab"], ["ocrelizumab", "natalizumab", "fingolimod"], ["yoga"]],
                         ids=lambda n: "+".join(n))
def test_html_sheet_prints_on_a4_without_anything_cut_off(names: list[str], run, real_data, tmp_path: Path) -> None:
    chromium = next((c for c in (os.environ.get("MSREF_CHROMIUM"), shutil.which("chromium"),
                                 shutil.which("chromium-browser"), shutil.which("google-chrome")) if c), None)
    pdfinfo, pdftotext = shutil.which("pdfinfo"), shutil.which("pdftotext")
    if not (chromium and pdfinfo and pdftotext):
        if REQUIRE_TOOLS:
            pytest.fail("chromium and poppler-utils are required (MSREF_REQUIRE_TOOLS=1)")
        pytest.skip("needs Debian's chromium and poppler-utils")
    page = _sheet(run, tmp_path, names)
    pdf = tmp_path / "sheet.pdf"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
         page.as_uri()],
        capture_output=True, timeout=120, check=True,
    )
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info), info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 1 <= pages <= 2 * len(names) + 1
    # Nothing cut off: every word of the page is in the PDF's text ...
    printed = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext joins a word broken at a line-end hyphen and drops the hyphen: compare without hyphens.
    joined = "".join(printed.split()).replace("-", "")
    parser = _Text()
    parser.feed(page.read_text(encoding="utf-8"))
    missing = [word for word in parser.words if word.replace("-", "") not in joined]
    assert not missing, missing[:20]
    # ... and no word's box reaches past the page's edges.
    boxes = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', boxes, re.S):
        width, height = float(match.group(1)), float(match.group(2))
        for x_max, y_max in re.findall(r'xMax="([\d.]+)" yMax="([\d.]+)"', match.group(3)):
            assert float(x_max) <= width - 20 and float(y_max) <= height - 20


def test_random_is_stable_for_a_seed_and_varies(run, real_data) -> None:
    first = json.loads(run("random", "--seed", "11", "--json").out)["id"]
    assert json.loads(run("random", "--seed", "11", "--json").out)["id"] == first
    seen = {json.loads(run("random", "--seed", str(seed), "--json").out)["id"] for seed in range(8)}
    assert len(seen) > 3
    term = json.loads(run("random", "--kind", "term", "--seed", "5", "--json").out)
    assert term["kind"] == "term"
    assert "The entry for seed 11" in run("random", "--seed", "11").out
    assert "An entry to learn today" in run("random").out


def test_quiz_non_interactive_and_deterministic(run, real_data) -> None:
    payload = json.loads(run("quiz", "--seed", "4", "-n", "8", "--json").out)
    assert len(payload["questions"]) == 8
    for item in payload["questions"]:
        assert len(item["choices"]) == 4 == len(set(item["choices"]))
        assert 0 <= item["answer"] < 4
    assert json.loads(run("quiz", "--seed", "4", "-n", "8", "--json").out) == payload
    text = run("quiz", "--seed", "4", "--no-input").out
    assert "Question 1" in text and "Answers" in text
    assert run("quiz", "-n", "0").code == 2


def test_quiz_answers_from_kb_are_right(real_data) -> None:
    from ms_ref import learn
    from ms_ref.store import load_knowledge_base

    kb = load_knowledge_base()
    for item in learn.quiz(kb, 30, seed=1)["data"]["questions"]:
        question, answer = item["question"], item["choices"][item["answer"]]
        if question.startswith("Which medicine is sold as "):
            brand = question.removeprefix("Which medicine is sold as ").rstrip("?")
            entry = next(e for e in kb.entries("treatment") if e["name"] == answer)
            assert brand in entry["aliases"]


def test_quiz_interactive(run, real_data, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    import sys

    from ms_ref import cli

    replies = iter(["x", "a", "b", "c"])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(replies))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    code = cli.run(["quiz", "-n", "3", "--seed", "9"])
    text = tty.getvalue()
    assert code == 0
    assert text.count("Question ") == 3 and "You scored" in text
