"""The loader: safe YAML, every problem reported at once with file, line, entry and key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from ms_ref import loader
from tests.conftest import FIXTURES, write


def problems_for(folder: Path, user: list[Path] | None = None) -> list[str]:
    shipped = [str(folder / "treatments.yaml"), str(folder / "glossary.yaml")]
    _kb, problems = loader.build_knowledge_base(shipped, [str(p) for p in user or []])
    return problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_is_valid() -> None:
    assert problems_for(FIXTURES) == []


def test_knowledge_base_holds_every_kind() -> None:
    kb, _ = loader.build_knowledge_base([str(FIXTURES / "treatments.yaml"), str(FIXTURES / "glossary.yaml")], [])
    assert all(kb.ids(kind) for kind in ("treatment", "term", "step", "family"))
    assert kb.newest_reviewed == "2026-11-25"


def test_many_problems_are_reported_at_once_with_locations(kb_copy: Path) -> None:
    treatments = kb_copy / "treatments.yaml"
    edit(treatments, "  route: oral\n", "  route: oral\n  colour: blue\n")
    edit(treatments, "family: dmt", "family: dmtt")
    edit(kb_copy / "glossary.yaml", "category: pathology", "category: pathologies")
    problems = problems_for(kb_copy)
    assert len(problems) >= 3
    joined = "\n".join(problems)
    assert "colour: unknown key" in joined
    assert "'dmtt' is not one of" in joined
    assert "'pathologies' is not one of" in joined
    for problem in problems:
        path, line, _rest = problem.split(":", 2)
        assert path.endswith(".yaml") and line.isdigit() and int(line) > 0, problem


def test_key_path_names_the_entry_and_index(kb_copy: Path) -> None:
    edit(kb_copy / "treatments.yaml", "agency: FDA", "agency: 1996")
    (problem,) = problems_for(kb_copy)
    assert ".approvals[0].agency: expected text, got 1996" in problem
    assert "treatments[" in problem


def test_wrong_types_are_named(kb_copy: Path) -> None:
    edit(kb_copy / "treatments.yaml", "reviewed: 2026-11-25", "reviewed: yesterday")
    (problem,) = problems_for(kb_copy)
    assert "reviewed: expected a date" in problem


def test_yaml_booleans_in_aliases_are_caught(kb_copy: Path) -> None:
    edit(kb_copy / "treatments.yaml", "  aliases:\n", "  aliases:\n  - NO\n")
    (problem,) = problems_for(kb_copy)
    assert "aliases[0]: expected text, got boolean false" in problem


def test_missing_sources_and_review_date(kb_copy: Path) -> None:
    text = (kb_copy / "glossary.yaml").read_text(encoding="utf-8")
    start = text.index("  sources:")
    end = text.index("  reviewed:", start)
    line_end = text.index("\n", end)
    (kb_copy / "glossary.yaml").write_text(text[:start] + text[line_end + 1 :], encoding="utf-8")
    problems = problems_for(kb_copy)
    assert any("missing required key 'sources'" in p for p in problems)
    assert any("missing required key 'reviewed'" in p for p in problems)


def test_duplicate_ids_and_unresolved_references(kb_copy: Path) -> None:
    edit(kb_copy / "glossary.yaml", "- id: myelin\n", "- id: demyelination\n")
    problems = problems_for(kb_copy)
    assert any("duplicate id; first defined at" in p for p in problems)
    assert any("'myelin' is not a known" in p for p in problems)


def test_duplicate_alias_across_entries(kb_copy: Path) -> None:
    edit(kb_copy / "treatments.yaml", "  - Tysabri\n", "  - Tysabri\n  - OCREVUS\n")
    problems = problems_for(kb_copy)
    assert any("name or alias 'ocrevus' is already used by 'natalizumab'" in p for p in problems)


def test_duplicate_key_in_one_mapping(kb_copy: Path) -> None:
    edit(kb_copy / "treatments.yaml", "  route: oral\n", "  route: oral\n  route: injection\n")
    problems = problems_for(kb_copy)
    assert any("key 'route' appears twice" in p for p in problems)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"- just\n- a list\n", "expected a mapping of sections"),
        (b"treatments: [\n", "not valid YAML"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"treatments: !!python/object/apply:os.system ['echo hacked']\n", "unsupported YAML tag"),
        (b"a: &a [1]\nb: [*a, *a]\n", "anchors and aliases are not allowed"),
        (b"treatments:\n" + b"  " + b"[" * 60 + b"]" * 60 + b"\n", "nesting deeper than"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    _sections, problems, _lines = loader.validate_file(str(path))
    assert problems and message in problems[0], problems
    assert problems[0].startswith(str(path))


def test_missing_file(tmp_path: Path) -> None:
    _sections, problems, _lines = loader.validate_file(str(tmp_path / "nope.yaml"))
    assert problems == [f"{tmp_path / 'nope.yaml'}: file not found"]


def test_user_entry_overrides_a_shipped_one(tmp_path: Path) -> None:
    text = (FIXTURES / "glossary.yaml").read_text(encoding="utf-8")
    start = text.index("- id: myelin\n")
    end = text.index("\n- id:", start + 1)
    entry = text[start:end].replace("summary: ", "summary: (my note) ", 1)
    user = write(tmp_path / "mine.yaml", "terms:\n" + entry + "\n")
    kb, problems = loader.build_knowledge_base(
        [str(FIXTURES / "treatments.yaml"), str(FIXTURES / "glossary.yaml")], [str(user)]
    )
    assert problems == []
    assert kb.overrides == [["myelin", str(user)]]
    assert kb.entry("myelin")["summary"].startswith("(my note) ")


def test_user_ids_clash_between_user_files(tmp_path: Path) -> None:
    entry = (
        "terms:\n- id: my-term\n  name: My term\n  category: general\n  summary: s.\n  details: d.\n"
        "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2026-11-25\n"
    )
    first = write(tmp_path / "a.yaml", entry)
    second = write(tmp_path / "b.yaml", entry)
    problems = problems_for(FIXTURES, [first, second])
    assert any("id also defined at" in p for p in problems)


def test_cache_round_trip_and_corruption(tmp_path: Path) -> None:
    fresh = loader.load_knowledge_base().all_entries()
    shipped, user = loader.source_files()
    path = Path(loader.cache_path([*shipped, *user]))
    assert path.is_file()
    assert loader.load_knowledge_base().all_entries() == fresh
    whole = path.read_bytes()
    path.write_bytes(b"\x00garbage")
    assert loader.load_knowledge_base().all_entries() == fresh
    path.write_bytes(whole[: len(whole) // 2])
    assert loader.load_knowledge_base().all_entries() == fresh


def test_cache_blob_overwritten_in_place_is_rebuilt(tmp_path: Path) -> None:
    from ms_ref import views

    loader.load_knowledge_base()
    shipped, user = loader.source_files()
    path = Path(loader.cache_path([*shipped, *user]))
    data = bytearray(path.read_bytes())
    data[-200:] = b"\xff" * 200  # same size, garbage at the end: an entry table or entry blob
    path.write_bytes(bytes(data))
    view = loader.answer(lambda kb: views.explain(kb, "ocrelizumab"))
    assert view["data"]["id"] == "ocrelizumab"


def test_cache_dir_unwritable_still_answers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    kb = loader.load_knowledge_base()
    assert kb.has("ocrelizumab")


def _all_postings(kb) -> dict[str, list[list[object]]]:
    from ms_ref.kb import BUCKETS

    merged: dict[str, list[list[object]]] = {}
    for number in range(BUCKETS):
        for token, postings in (kb.blob(f"text/{number}") or {}).items():
            merged[token] = sorted(postings, key=lambda p: p[0])
    return merged


def test_prebuilt_store_matches_a_full_build(kb_copy: Path, tmp_path: Path) -> None:
    """The store compiled into the wheel, and user entries merged onto it, equal a build from YAML."""
    loader.prebuild(str(kb_copy), str(kb_copy / loader.PREBUILT))
    shipped = [str(kb_copy / "treatments.yaml"), str(kb_copy / "glossary.yaml")]
    text = (FIXTURES / "glossary.yaml").read_text(encoding="utf-8")
    start = text.index("- id: myelin\n")
    end = text.index("\n- id:", start + 1)
    user = write(tmp_path / "mine" / "mine.yaml", "terms:\n" + text[start:end].replace("summary: ", "summary: Mine ", 1)
                 + "\n- id: my-word\n  name: My word\n  category: general\n  summary: s.\n  details: d.\n"
                 "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2026-11-25\n")
    base = loader._prebuilt(shipped)
    assert base is not None
    for users in ([], [str(user)]):
        full, problems = loader.build_knowledge_base(shipped, users)
        merged, merged_problems, _blobs = loader._build(shipped, users, base)
        assert problems == merged_problems == []
        assert merged.all_entries() == full.all_entries()
        assert _all_postings(merged) == _all_postings(full)
        assert merged.blob("textmeta")["total"] == full.blob("textmeta")["total"]
        assert abs(merged.blob("textmeta")["average"] - full.blob("textmeta")["average"]) < 1e-9
        assert merged.overrides == full.overrides
    (kb_copy / "glossary.yaml").write_text(text.replace("summary: ", "summary: Changed ", 1), encoding="utf-8")
    assert loader._prebuilt(shipped) is None  # edited data: the prebuilt store no longer applies
