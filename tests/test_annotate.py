"""`msref annotate`: the MS words of a person's own letter, found, explained once, and nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, msref_env, write

LETTERS = FIXTURES / "letters"


def expected_terms() -> dict[str, list[tuple[set[str], str]]]:
    """file -> [(entry ids that explain the term, the term as written)], from tests/data/letters/expected.tsv."""
    table: dict[str, list[tuple[set[str], str]]] = defaultdict(list)
    for line in (LETTERS / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, ids, text = line.split("\t")
            table[name].append((set(ids.split("|")), text))
    return table


def annotate_json(run, path: Path) -> list[dict]:
    result = run("annotate", str(path), "--json")
    assert result.code == 0, result
    return json.loads(result.out)["terms"]


def test_letters_find_the_terms_a_reader_wants_and_no_ordinary_words(run, real_data: Path) -> None:
    table = expected_terms()
    assert len(table) >= 5
    wanted = found = 0
    for name, items in table.items():
        terms = annotate_json(run, LETTERS / name)
        ids = {term["id"] for term in terms}
        wanted += len(items)
        found += sum(1 for alternatives, _text in items if alternatives & ids)
        allowed = set().union(*(alternatives for alternatives, _text in items))
        ordinary = [term["text"] for term in terms if term["id"] not in allowed]
        assert len(ordinary) <= 1, (name, ordinary)
    assert found / wanted >= 0.90, f"{found}/{wanted}"


def test_a_letter_about_something_else_marks_almost_nothing(run, real_data: Path) -> None:
    result = run("annotate", str(LETTERS / "unrelated-cardiology.txt"), "--json")
    terms = json.loads(result.out)["terms"] if result.code == 0 else []
    assert len(terms) <= 1, terms


def test_json_offsets_point_into_the_text_each_term_once_in_order(run, real_data: Path) -> None:
    for path in sorted(LETTERS.glob("*.txt")) + sorted(LETTERS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        result = run("annotate", str(path), "--json")
        if result.code == 1:
            continue
        data = json.loads(result.out)
        assert data["schema_version"] >= 1
        terms = data["terms"]
        assert [t["start"] for t in terms] == sorted(t["start"] for t in terms)
        assert len({t["id"] for t in terms}) == len(terms)
        for term in terms:
            assert text[term["start"] : term["end"]] == term["text"]
            assert set(term) == {"text", "start", "end", "id", "name", "summary"}


def test_abbreviations_only_in_capitals_and_phrases_never_across_punctuation(run, real_data: Path, tmp_path: Path) -> None:
    letter = write(
        tmp_path / "letter.txt",
        "Dear Ms Jones, I saw Ms Jones today. She was on holiday. We checked her edss, then (EDSS 2.0).\n"
        "No active (enhancing) lesions.",
    )
    terms = annotate_json(run, letter)
    texts = [t["text"] for t in terms]
    assert "Ms" not in texts and "on" not in texts and "edss" not in texts
    assert "EDSS" in texts
    assert not any(")" in t or "(" in t for t in texts)


def test_a_degree_after_a_name_is_no_abbreviation_whose_plural_is_written_alike(run, real_data: Path, tmp_path: Path) -> None:
    """"MSCs" (mesenchymal stem cells) is the plural of the abbreviation MSC: "MSc" in a signature is a degree."""
    signed = write(tmp_path / "signed.txt", "Her EDSS is 3.0.\nYours sincerely,\nDr Jane Smith BSc MSc MRCP\n")
    assert [t["id"] for t in annotate_json(run, signed)] == ["edss"]
    trial = write(tmp_path / "trial.txt", "She asked about MSC trials and whether MSCs could repair myelin.")
    found = [t["text"] for t in annotate_json(run, trial) if t["id"] == "mesenchymal-stem-cell-therapy"]
    assert found == ["MSC"]  # listed once, where it first appears


def test_longer_match_wins_and_a_term_is_listed_once(run, real_data: Path, tmp_path: Path) -> None:
    letter = write(tmp_path / "l.txt", "secondary progressive MS. Secondary progressive MS again. MS.")
    terms = annotate_json(run, letter)
    assert [t["id"] for t in terms][:1] == ["spms"]
    assert [t["id"] for t in terms].count("spms") == 1


def test_standard_input_and_inline_markdown(run, real_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    class Stdin(io.TextIOWrapper):
        pass

    raw = io.BytesIO(b"She has pins and needles and optic neuritis.\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
    result = run("annotate", "-", "--inline")
    assert result.code == 0, result
    assert "She has [pins and needles][^1] and [optic neuritis][^2]." in result.out or "[^1]" in result.out
    assert "[^1]:" in result.out and "Paraesthesia" in result.out
    raw = io.BytesIO(b"She has optic neuritis.\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(raw, encoding="utf-8"))
    result = run("annotate", "-", "--inline", "--wiki-links")
    assert "[[Optic neuritis|optic neuritis]]" in result.out or "[[Optic neuritis]]" in result.out, result.out


@pytest.mark.parametrize("fmt", ["plain", "markdown", "html", "rich"])
def test_every_format_lists_the_terms(fmt: str, run, real_data: Path) -> None:
    result = run("annotate", str(LETTERS / "nurse-notes.md"), "--format", fmt)
    assert result.code == 0, result
    assert "Lymphopenia" in result.out
    if fmt != "html":
        assert "not medical advice" in result.out


def test_markdown_pastes_cleanly(run, real_data: Path) -> None:
    out = run("annotate", str(LETTERS / "mri-report.txt"), "--format", "markdown").out
    assert out.startswith("# MS terms in")
    assert "| In your text | Entry | What it means |" in out
    assert "\x1b" not in out


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"   \n\n\t ", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("caf\u00e9 optic neuritis".encode("latin-1"), "not UTF-8"),
    ],
    ids=["empty", "blank", "binary", "latin-1"],
)
def test_bad_files_get_a_clear_message(content: bytes, message: str, run, tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes(content)
    result = run("annotate", str(path))
    assert result.code == 2, result
    assert message in result.err
    assert "Traceback" not in result.err and result.out == ""


def test_huge_missing_and_folder_inputs(run, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.write(b"optic neuritis and spasticity. " * (10 * 1024 * 1024 // 31))
    result = run("annotate", str(big))
    assert result.code == 2 and "over 1024 KB" in result.err
    result = run("annotate", str(tmp_path / "nope.txt"))
    assert result.code == 2 and "no such file" in result.err
    result = run("annotate", str(tmp_path))
    assert result.code == 2 and "is a folder" in result.err
    assert big.stat().st_size > 10 * 1024 * 1024 - 64  # never touched


def test_no_terms_is_not_found(run, tmp_path: Path) -> None:
    result = run("annotate", str(write(tmp_path / "a.txt", "The quick brown fox jumps over the lazy dog.")))
    assert result.code == 1
    assert "no MS terms found" in result.err


def test_option_combinations_are_usage_errors(run) -> None:
    result = run("annotate", str(LETTERS / "nurse-notes.md"), "--inline", "--format", "html")
    assert result.code == 2 and "--inline" in result.err
    result = run("annotate", str(LETTERS / "nurse-notes.md"), "--wiki-links", "--format", "plain")
    assert result.code == 2


def test_stdin_closed_or_from_a_terminal_is_not_a_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ms_ref", "annotate", "-"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=msref_env(),
        timeout=60,
    )
    assert done.returncode == 2 and "is empty" in done.stderr
    done = subprocess.run(
        [sys.executable, "-c", "import os, sys; os.close(0); from ms_ref.main import main; sys.exit(main(['annotate', '-']))"],
        capture_output=True,
        text=True,
        env=msref_env(),
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr


def test_annotate_is_linear_in_the_text(real_kb) -> None:
    """Ten times the text means about ten times the matching work, never a blow-up (counted, not timed)."""
    from ms_ref import annotate

    text = (LETTERS / "clinic-letter-rrms.txt").read_text(encoding="utf-8")
    assert len(annotate.words(text * 10)) == 10 * len(annotate.words(text))
    assert annotate.find_terms(real_kb, text * 10) == annotate.find_terms(real_kb, text)


def test_nothing_is_sent_anywhere(run, real_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("annotate opened a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    assert run("annotate", str(LETTERS / "nurse-notes.md")).code == 0
    assert os.environ.get("MSREF_DATA_DIR")


def test_words_are_read_the_same_whatever_surrounds_them() -> None:
    """The tokeniser reads plain words in one pass and anything unusual letter by letter: both ways give
    each word's exact place in the text, apostrophes inside words kept, symbols and dashes as breaks."""
    import random

    from ms_ref.annotate import words
    from ms_ref.lookup import fold

    random.seed(11)
    alphabet = "abcXYZ019 '\u2019-\u2014.,;:()[]\n\t\u00e9\u00a0\u201c\u201d\u2026/\\\"*&%$#@!?\u6f22\ufb01\u00b2"
    for _ in range(2000):
        text = "".join(random.choice(alphabet) for _ in range(random.randint(0, 50)))
        for start, end, word in words(text):
            piece = text[start:end]
            assert piece[:1].isalnum() and piece[-1:].isalnum(), (text, piece)
            plain = piece.casefold().replace("'", "").replace("\u2019", "")
            assert word in (fold(plain), plain, "ms"), (text, piece, word)
    assert [w for _s, _e, w in words("Her MS nurse's note: multiple sclerosis \u2014 don't worry")] == [
        "her", "ms", "nurse", "note", "ms", "dont", "worry"]
