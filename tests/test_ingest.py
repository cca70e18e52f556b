"""Reading, validating and merging knowledge-base files: safe YAML, every problem reported at once with
file, line, entry and key path; the citation and provenance rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from ms_ref.ingest import build
from ms_ref.ingest.citations import source_group, url_problem
from ms_ref.ingest.validate import validate_file
from tests.conftest import FIXTURES, write


def build_folder(folder: Path, user: list[Path] | None = None):
    shipped = [str(folder / "treatments.yaml"), str(folder / "glossary.yaml")]
    return build(shipped, [str(p) for p in user or []], skip_bad_user_files=False)


def problems_for(folder: Path, user: list[Path] | None = None) -> list[str]:
    return build_folder(folder, user).problems


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_is_valid() -> None:
    assert problems_for(FIXTURES) == []


def test_knowledge_base_holds_every_kind() -> None:
    kb = build_folder(FIXTURES).kb
    assert all(kb.ids(kind) for kind in ("treatment", "term", "step", "family"))
    assert kb.newest_reviewed == "2026-12-06"


def test_many_problems_are_reported_at_once_with_locations(kb_copy: Path) -> None:
    treatments = kb_copy / "treatments.yaml"
    edit(treatments, "  route:\n  - oral\n", "  route:\n  - oral\n  colour: blue\n")
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
    edit(kb_copy / "treatments.yaml", "reviewed: 2026-12-06", "reviewed: yesterday")
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
    edit(kb_copy / "treatments.yaml", "  route:\n  - oral\n", "  route:\n  - oral\n  route: injection\n")
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
    problems = validate_file(str(path)).problems
    assert problems and message in problems[0], problems
    assert problems[0].startswith(str(path))


def test_missing_file(tmp_path: Path) -> None:
    problems = validate_file(str(tmp_path / "nope.yaml")).problems
    assert problems == [f"{tmp_path / 'nope.yaml'}: file not found"]


def test_user_entry_overrides_a_shipped_one(tmp_path: Path) -> None:
    text = (FIXTURES / "glossary.yaml").read_text(encoding="utf-8")
    start = text.index("- id: myelin\n")
    end = text.index("\n- id:", start + 1)
    entry = text[start:end].replace("summary: ", "summary: (my note) ", 1)
    user = write(tmp_path / "mine.yaml", "terms:\n" + entry + "\n")
    built = build_folder(FIXTURES, [user])
    kb = built.kb
    assert built.problems == []
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


# --------------------------------------------------------------------------------------------------
# Citations: address forms that cannot be right, publisher groups


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.nice.org.uk/guidance/ng220", None),
        ('https://api.fda.gov/drug/label.json?search=set_id:"9da42362-3bb5-4b83-b4bb-b59fd4e55f0d"', None),
        ("https://example.org/a b", "whitespace"),
        ("https://example.org/a\tb", "whitespace"),
        ("https://example.org/a\nb", "whitespace"),
        ("ftp://example.org/a", "not an http(s) address"),
        ("javascript:alert(1)", "not an http(s) address"),
        ("https://www.ncbi.nlm.nih.gov./books/x", "malformed host"),
        ("https://localhost/x", "malformed host"),
        ("https://example.org:443/x", "default port"),
        ("https://example.org/x?utm_source=news", "tracking"),
        ("https://example.org/x?a=1&fbclid=abc", "tracking"),
        ("https://example.org/x?urm_campaign=x", "tracking"),
        ("https://www.nature.com/articles/x?error=cookies_not_supported", "tracking"),
        ("https://example.org/x;jsessionid=ABC", "session"),
        ("https://user:pass@example.org/x", "user name"),
    ],
)
def test_url_forms(url: str, reason: str | None) -> None:
    problem = url_problem(url)
    assert (problem is None) if reason is None else (problem is not None and reason in problem), problem


@pytest.mark.parametrize(
    ("url", "group"),
    [
        ('https://api.fda.gov/drug/label.json?search=set_id:"abc"', "regulator"),
        ("https://api.fda.gov/drug/label.json?search=openfda.generic_name%3A%22Ocrelizumab%22", "not a source"),
        ("https://api.fda.gov/drug/ndc.json?search=product_ndc%3A%2250242-554%22", "not a source"),
        ("https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=abc", "regulator"),
        ("https://www.ema.europa.eu/en/medicines/human/EPAR/ocrevus", "regulator"),
        ("https://www.nice.org.uk/guidance/ng220", "guideline"),
        ("https://mstrust.org.uk/a-z/ms-hug", "society"),
        ("https://www.msplus.org.au/news/learning-to-live-well-with-ms-can-be-life-changing", "society"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC123/", "literature"),
        ("https://pmc.ncbi.nlm.nih.gov/articles/PMC123/figure/F1", "not a source"),
        ("https://multiplesclerosisnewstoday.com/x", "news"),
        ("https://handwiki.org/wiki/x", "not a source"),
        ("https://www.prnewswire.com/x", "not a source"),
        ("https://example.org/x", "unclassified"),
    ],
)
def test_source_groups(url: str, group: str) -> None:
    assert source_group(url) == group


TREATMENT = """treatments:
- id: my-drug
  name: My drug
  family: dmt
  category: test
  status: approved
  summary: A test medicine.
  details: For tests.
  vaccines: No live vaccines.
  boxed_warning: null
{extra}  sources:
  - id: label
    title: A label
    url: https://example.org/label
  reviewed: 2026-11-25
"""


def test_safety_fields_need_their_supporting_sources(tmp_path: Path) -> None:
    bare = write(tmp_path / "a.yaml", TREATMENT.format(extra=""))
    problems = problems_for(FIXTURES, [bare])
    assert any("my-drug].vaccines: no supporting source" in p for p in problems), problems
    assert any("my-drug].boxed_warning: no supporting source" in p for p in problems), problems
    good = write(tmp_path / "b.yaml", TREATMENT.format(extra="  provenance: {vaccines: [label], boxed_warning: [label]}\n"))
    assert problems_for(FIXTURES, [good]) == []
    wrong = write(tmp_path / "c.yaml", TREATMENT.format(
        extra="  provenance: {vaccines: [nope], boxed_warning: [label], pregnancy: [label]}\n"))
    problems = problems_for(FIXTURES, [wrong])
    assert any("'nope' is not the id of one of this entry's sources" in p for p in problems), problems
    assert any("names sources for 'pregnancy', which the entry lacks" in p for p in problems), problems


def test_treats_names_glossary_terms(tmp_path: Path) -> None:
    entry = TREATMENT.format(extra="  provenance: {vaccines: [label], boxed_warning: [label]}\n"
                             "  treats: [{symptom: spasticity, status: off-label}, {symptom: ocrelizumab, status: approved}]\n")
    problems = problems_for(FIXTURES, [write(tmp_path / "a.yaml", entry)])
    assert any("treats: 'ocrelizumab' is not a known term id" in p for p in problems), problems
    bad_status = entry.replace("status: off-label", "status: maybe")
    assert any("'maybe' is not one of" in p for p in problems_for(FIXTURES, [write(tmp_path / "b.yaml", bad_status)]))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", '"two\\nlines"', "line break or tab"),
        ("name", '"tab\\there"', "line break or tab"),
        ("summary", '"a\\u001b]52;c;x\\u0007"', "control character U+001B"),
        ("summary", '"hidden\\u202eright-to-left"', "control character U+202E"),
        ("aliases", '["ok", "bad\\nalias"]', "line break or tab"),
    ],
)
def test_single_line_fields_refuse_control_characters(tmp_path: Path, field: str, value: str, message: str) -> None:
    entry = ("terms:\n- id: x\n  name: X\n  category: general\n  summary: s.\n  details: d.\n"
             "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2026-11-25\n")
    entry = entry.replace(f"  {field}: " + {"name": "X", "summary": "s."}.get(field, ""), f"  {field}: {value}") \
        if field in ("name", "summary") else entry.replace("  category:", f"  {field}: {value}\n  category:")
    problems = validate_file(str(write(tmp_path / "a.yaml", entry))).problems
    assert any(message in p for p in problems), problems


def test_details_may_hold_paragraphs(tmp_path: Path) -> None:
    entry = ("terms:\n- id: x\n  name: X\n  category: general\n  summary: s.\n  details: |\n    one\n\n    two\n"
             "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2026-11-25\n")
    assert validate_file(str(write(tmp_path / "a.yaml", entry))).problems == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("  sources: []\n", "sources: is empty"),
        ("  sources: [{title: t, url: 'https://example.org/a b'}]\n", "whitespace"),
        ("  sources: [{title: t, url: 'https://example.org/?utm_source=x'}]\n", "tracking"),
    ],
)
def test_validation_gaps_are_closed(tmp_path: Path, text: str, message: str) -> None:
    entry = f"terms:\n- id: x\n  name: X\n  category: general\n  summary: s.\n  details: d.\n{text}  reviewed: 2026-11-25\n"
    problems = validate_file(str(write(tmp_path / "a.yaml", entry))).problems
    assert any(message in p for p in problems), problems


def test_a_review_date_in_the_future_is_refused(tmp_path: Path) -> None:
    entry = ("terms:\n- id: x\n  name: X\n  category: general\n  summary: s.\n  details: d.\n"
             "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2999-01-01\n")
    problems = validate_file(str(write(tmp_path / "a.yaml", entry))).problems
    assert any("2999-01-01 is in the future" in p for p in problems), problems


def test_merge_keys_are_named(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", "terms:\n- <<: {id: x}\n  name: X\n")
    problems = validate_file(str(path)).problems
    assert problems and "merge keys (<<) are not supported" in problems[0], problems


def test_duplicate_id_names_the_first_definition_line(kb_copy: Path) -> None:
    text = (kb_copy / "glossary.yaml").read_text(encoding="utf-8")
    start = text.index("- id: myelin\n")
    end = text.index("\n- id:", start + 1)
    first_line = text[:start].count("\n") + 1
    (kb_copy / "glossary.yaml").write_text(text[: end + 1] + text[start:end + 1] + text[end + 1 :], encoding="utf-8")
    problems = problems_for(kb_copy)
    duplicate = [p for p in problems if "duplicate id" in p]
    assert duplicate and duplicate[0].endswith(f"glossary.yaml:{first_line}"), duplicate
