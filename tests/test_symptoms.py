"""`msref symptoms`: symptom first, what can help, grouped, never ranked, no DMTs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import write

GROUPS = ["medicines", "procedures", "rehabilitation", "complementary"]


def test_overview_lists_symptoms_with_counts_per_group(run, real_data: Path) -> None:
    result = run("symptoms", "--json")
    assert result.code == 0, result
    data = json.loads(result.out)
    symptoms = data["symptoms"]
    assert len(symptoms) >= 40
    ids = [s["id"] for s in symptoms]
    assert len(ids) == len(set(ids))
    for item in symptoms:
        assert item["summary"] and item["name"]
        assert list(item["options"]) == GROUPS
    spasticity = next(s for s in symptoms if s["id"] == "spasticity")
    assert spasticity["options"]["medicines"] >= 3


def test_one_symptom_grouped_with_status_evidence_and_questions(run, real_data: Path) -> None:
    data = json.loads(run("symptoms", "spasticity", "--json").out)
    assert data["symptom"]["id"] == "spasticity"
    families = [group["family"] for group in data["options"]]
    assert families == [g for g in GROUPS if g in families]
    names = []
    for group in data["options"]:
        group_names = [t["name"] for t in group["treatments"]]
        assert group_names == sorted(group_names, key=str.casefold), "options are alphabetical, never ranked"
        for option in group["treatments"]:
            assert option["status"] in ("approved", "off-label", "investigational", "therapy")
            assert option["summary"]
            if option["evidence"] is not None:
                assert option["evidence"]["level"] and option["evidence"]["source"]
        names += group_names
    assert any("aclofen" in n for n in names)
    text = run("symptoms", "spasticity", "--format", "plain").out
    assert "Questions to ask" in text and "not medical advice" in text


def test_disease_modifying_therapies_are_never_symptom_treatments(run, real_data: Path, real_kb) -> None:
    dmt_ids = {t["id"] for t in real_kb.entries("treatment") if t["family"] == "dmt"}
    for symptom in ("fatigue", "spasticity", "walking-impairment", "bladder-dysfunction", "relapse"):
        data = json.loads(run("symptoms", symptom, "--json").out)
        listed = {t["id"] for group in data["options"] for t in group["treatments"]}
        assert not listed & dmt_ids, symptom


def test_lay_words_reach_the_symptom(run, real_data: Path) -> None:
    data = json.loads(run("symptoms", "pins and needles", "--json").out)
    assert data["symptom"]["id"] == "paraesthesia"


def test_unknown_symptom_is_not_found_with_suggestions(run, real_data: Path) -> None:
    result = run("symptoms", "spastisity")
    assert result.code in (0, 1)
    result = run("symptoms", "qwertyuiop")
    assert result.code == 1
    assert "msref symptoms" in result.err
    assert "Traceback" not in result.err


def test_a_term_that_is_not_a_symptom_is_refused_clearly(run, real_data: Path) -> None:
    result = run("symptoms", "ocrelizumab")
    assert result.code == 1
    assert "not a symptom" in result.err or "no symptom" in result.err


@pytest.mark.parametrize("fmt", ["plain", "markdown", "rich", "json"])
def test_every_format(fmt: str, run, real_data: Path) -> None:
    for args in (["symptoms"], ["symptoms", "fatigue"]):
        result = run(*args, "--format", fmt)
        assert result.code == 0, result
        if fmt == "json":
            json.loads(result.out)
        else:
            assert "not medical advice" in result.out


def test_treats_must_name_a_glossary_term(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "mine"
    write(
        folder / "mine.yaml",
        "schema_version: 1\ntreatments:\n- id: my-remedy\n  name: My remedy\n  family: complementary\n"
        "  category: remedy\n  status: therapy\n  summary: A remedy.\n  treats:\n  - symptom: no-such-symptom\n"
        "    status: therapy\n  sources:\n  - title: A source\n    url: https://example.org/\n"
        "  reviewed: 2026-01-01\n",
    )
    monkeypatch.setenv("MSREF_USER_DIR", str(folder))
    result = run("validate")
    assert result.code == 3, result
    assert "no-such-symptom" in result.out + result.err
