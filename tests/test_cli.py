"""Command-line behaviour on the fixture knowledge base: answers, formats, streams and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ms_ref import __version__
from ms_ref.spec import COMPARE_CAVEAT, NOTICE, SCHEMA_VERSION
from tests.conftest import FIXTURES, write

COMMANDS = [
    ["explain", "demyelination"],
    ["explain", "Ocrevus"],
    ["treatments"],
    ["treatments", "--type", "dmt"],
    ["compare", "ocrelizumab", "natalizumab"],
    ["search", "myelin"],
    ["glossary"],
    ["immune"],
    ["sources", "natalizumab"],
    ["paths"],
    ["validate"],
]
FORMATS = ["plain", "markdown", "json", "rich"]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_command_in_every_format(run, args: list[str], fmt: str) -> None:
    result = run(*args, "--format", fmt)
    assert result.code == 0, result
    assert result.out.strip()
    assert result.err == ""
    if fmt == "json":
        payload = json.loads(result.out)
        assert payload["schema_version"] == SCHEMA_VERSION
        assert NOTICE not in result.out
    else:
        assert NOTICE in result.out.replace("\\", "")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_piped_output_is_clean(run, args: list[str]) -> None:
    result = run(*args)
    assert result.code == 0, result
    assert "\x1b" not in result.out
    assert not set(result.out) & set("─│┃━┏┓┗┛┡┩╇╸╹╺╻┌┐└┘├┤┬┴┼═║")


def test_explain_json_is_the_whole_entry(run) -> None:
    payload = json.loads(run("explain", "ocrelizumab", "--json").out)
    assert payload["kind"] == "treatment"
    for key in ("id", "name", "family", "category", "status", "aliases", "summary", "details", "mechanism",
                "route", "frequency", "approved_for", "approvals", "efficacy", "common_side_effects",
                "serious_risks", "boxed_warning", "monitoring", "pregnancy", "treats", "evidence", "acts_on",
                "related", "sources", "reviewed"):
        assert key in payload, key
    term = json.loads(run("explain", "demyelination", "--json").out)
    assert term["kind"] == "term"
    assert set(term) >= {"id", "name", "aliases", "category", "summary", "details", "related", "sources", "reviewed"}


def test_not_found_is_exit_1_with_suggestions_on_stderr(run) -> None:
    result = run("explain", "natalizumob", "plus", "blorp")
    assert result.code == 1
    assert result.out == ""
    assert "did you mean: Natalizumab" in result.err
    assert "`msref search natalizumob plus blorp`" in result.err


def test_unknown_family_is_a_usage_error_listing_valid_ones(run) -> None:
    result = run("treatments", "--type", "pills")
    assert result.code == 2
    assert result.out == ""
    for family in ("dmt", "symptomatic", "rehabilitation", "stem-cell", "complementary"):
        assert family in result.err


@pytest.mark.parametrize("spelling", ["DMT", "dmt", "Disease-modifying", "stem_cell", "rehab", "Stem Cell"])
def test_family_spellings(run, spelling: str) -> None:
    result = run("treatments", "--type", spelling, "--json")
    assert result.code == 0, result
    assert json.loads(result.out)["treatments"]


def test_filters(run) -> None:
    oral = json.loads(run("treatments", "--route", "oral", "--json").out)["treatments"]
    assert oral and all("oral" in (t["route"] if isinstance(t["route"], list) else [t["route"]]) for t in oral)
    ppms = json.loads(run("treatments", "--for", "ppms", "--json").out)["treatments"]
    assert [t["id"] for t in ppms] == ["ocrelizumab"]
    assert run("treatments", "--route", "teleport").code == 2
    assert run("treatments", "--status", "maybe").code == 2


def test_compare_always_carries_the_caveat(run) -> None:
    for fmt in ("plain", "markdown", "rich"):
        out = run("compare", "ocrelizumab", "Tysabri", "--format", fmt).out
        assert "not compared head to head" in " ".join(out.split())
    payload = json.loads(run("compare", "ocrelizumab", "natalizumab", "--json").out)
    assert payload["caveat"] == COMPARE_CAVEAT
    assert [t["id"] for t in payload["treatments"]] == ["ocrelizumab", "natalizumab"]


def test_compare_needs_two_different_treatments(run) -> None:
    assert run("compare", "ocrelizumab").code == 2
    assert run("compare", "ocrelizumab", "Ocrevus").code == 2
    result = run("compare", "ocrelizumab", "demyelination")
    assert result.code == 2 and "not a treatment" in result.err
    assert run("compare", "ocrelizumab", "zzzzqqq").code == 1


def test_search_ranks_and_shows_where(run) -> None:
    payload = json.loads(run("search", "myelin", "--json").out)
    results = payload["results"]
    assert results and results[0]["matches"]
    assert {"id", "kind", "name", "score", "matches"} <= set(results[0])
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert run("search", "qqqqxxxx").code == 1


def test_immune_links_treatments_to_steps(run) -> None:
    payload = json.loads(run("immune", "--json").out)
    steps = {s["id"]: s for s in payload["steps"]}
    assert "natalizumab" in steps["bbb-crossing"]["treatments"]
    assert [s["position"] for s in payload["steps"]] == list(range(1, len(steps) + 1))


def test_glossary_category(run) -> None:
    payload = json.loads(run("glossary", "--category", "pathology", "--json").out)
    assert payload["terms"] and all(t["category"] == "pathology" for t in payload["terms"])
    assert run("glossary", "--category", "astrology").code == 2


def test_sources(run) -> None:
    payload = json.loads(run("sources", "Tysabri", "--json").out)
    assert payload["id"] == "natalizumab"
    assert payload["sources"] and all(s["url"].startswith("https://") for s in payload["sources"])
    assert payload["reviewed"] == "2026-12-06"


def test_version(run) -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"msref {__version__} (knowledge base reviewed up to 2026-12-06)"


def test_help_carries_the_notice(run) -> None:
    result = run("--help")
    assert result.code == 0
    assert "not medical advice" in result.out


def test_msref_format_env(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSREF_FORMAT", "json")
    assert json.loads(run("explain", "myelin").out)["id"] == "myelin"
    monkeypatch.setenv("MSREF_FORMAT", "markdown")
    assert run("explain", "myelin").out.startswith("# Myelin")


def test_bad_data_is_exit_3_on_stderr(run, kb_copy: Path) -> None:
    (kb_copy / "glossary.yaml").write_text("terms: [\n", encoding="utf-8")
    result = run("explain", "myelin")
    assert result.code == 3
    assert result.out == ""
    assert "glossary.yaml" in result.err and "not valid YAML" in result.err
    assert "Traceback" not in result.err


def test_validate_reports_problems_with_exit_3(run, kb_copy: Path) -> None:
    text = (kb_copy / "treatments.yaml").read_text(encoding="utf-8")
    (kb_copy / "treatments.yaml").write_text(text.replace("family: dmt", "family: dmtt", 1), encoding="utf-8")
    result = run("validate", "--json")
    assert result.code == 3
    payload = json.loads(result.out)
    assert payload["ok"] is False and payload["problems"]


def test_user_entries_add_and_override(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    user_dir = tmp_path / "mine"
    monkeypatch.setenv("MSREF_USER_DIR", str(user_dir))
    write(
        user_dir / "notes.yaml",
        "terms:\n- id: my-clinic-word\n  name: Clinic word\n  category: general\n  summary: A word my nurse uses.\n"
        "  details: Written down after my visit.\n  sources: [{title: My notes, url: 'https://example.org/notes'}]\n"
        "  reviewed: 2026-11-25\n",
    )
    assert json.loads(run("explain", "clinic word", "--json").out)["id"] == "my-clinic-word"
    text = (FIXTURES / "glossary.yaml").read_text(encoding="utf-8")
    start = text.index("- id: myelin\n")
    end = text.index("\n- id:", start + 1)
    write(user_dir / "override.yaml", "terms:\n" + text[start:end].replace("summary: ", "summary: MINE ", 1) + "\n")
    assert json.loads(run("explain", "myelin", "--json").out)["summary"].startswith("MINE ")
    result = run("validate", "--json")
    assert result.code == 0, result
    assert json.loads(result.out)["overrides"] == [{"id": "myelin", "file": str(user_dir / "override.yaml")}]


def test_validate_given_files(run, tmp_path: Path) -> None:
    good = write(tmp_path / "ok.yaml", "terms: []\n")
    assert run("validate", str(good)).code == 0
    bad = write(tmp_path / "bad.yaml", "terms:\n- id: Not An Id\n")
    result = run("validate", str(bad))
    assert result.code == 3
    assert "bad.yaml:2" in result.out


def test_paths(run, pinned_env: Path) -> None:
    payload = json.loads(run("paths", "--json").out)
    assert payload["data_dir"] == str(FIXTURES)
    assert payload["cache_dir"] == os.path.join(os.environ["XDG_CACHE_HOME"], "msref")
    assert payload["user_dir"] == str(pinned_env / "share" / "msref")


def test_markup_in_queries_is_shown_literally(run) -> None:
    result = run("explain", "[bold red]x\x1b[31m")
    assert result.code == 1
    assert "\x1b" not in result.err
    assert "[bold red]" in result.err


def test_install_completion_for_a_named_shell(tmp_path) -> None:
    import subprocess
    import sys

    from tests.conftest import msref_env

    env = msref_env(HOME=str(tmp_path), SHELL="/bin/bash")
    done = subprocess.run([sys.executable, "-m", "ms_ref", "--install-completion", "zsh"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / ".zfunc" / "_msref").is_file() and not (tmp_path / ".bash_completions").exists()
    done = subprocess.run([sys.executable, "-m", "ms_ref", "--show-completion", "fish"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "complete --command msref" in done.stdout


def test_a_filter_that_matches_nothing_is_not_found_like_a_search(run) -> None:
    result = run("treatments", "--type", "dmt", "--route", "inhaled", "--status", "withdrawn")
    assert result.code == 1 and result.out == ""
    assert "no treatments match type dmt, route inhaled, status withdrawn" in result.err
    assert run("search", "zzqqxxvv").code == 1


def test_explain_shows_a_few_everyday_phrases_and_json_has_them_all(run, real_data) -> None:
    import json as jsonlib

    from ms_ref import views

    assert views.display_value(None, "lay_terms", ["a"] * 10) == ["a"] * 10  # type: ignore[arg-type]
    assert views.display_value(None, "lay_terms", ["a"] * 20) == ["a"] * 8 + ["and 12 more"]  # type: ignore[arg-type]
    shown = run("explain", "fatigue", "--no-pager")
    assert shown.code == 0 and "more" in shown.out
    data = jsonlib.loads(run("explain", "fatigue", "--json").out)
    assert len(data["lay_terms"]) > 10
