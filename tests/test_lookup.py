"""Finding what people type: tiers of matching, ambiguity, honest misses, full-text search, completion."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from benchmarks.lookup_eval import evaluate, load_queries
from ms_ref import fulltext, lookup
from ms_ref.words import normalise


@pytest.fixture(scope="module")
def kb(real_kb):  # noqa: ANN001, ANN201
    return real_kb


def test_evaluation_set_is_large_and_varied() -> None:
    rows = load_queries()
    kinds = {kind for _q, _e, kind in rows}
    assert len(rows) >= 150
    assert {"brand", "abbreviation", "misspelling", "lay", "nonms", "nonsense", "ambiguous"} <= kinds
    assert sum(expected == "-" for _q, expected, _k in rows) >= 25


def test_evaluation_figures_do_not_drop(kb) -> None:
    """Pinned: top-1 accuracy at least 97% and no answer at all to a query outside MS."""
    report = evaluate(kb, load_queries())
    assert report["false_answer_rate"] == 0.0, report["misses"]
    assert report["accuracy"] >= 0.97, report["misses"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Haematopoietic", "hematopoietic"),
        ("tumours", "tumor"),
        ("Uhthoff's", "uhthoff"),
        ("relapsing-remitting multiple sclerosis", "relapsing remitting MS"),
        ("smouldering lesions", "smoldering lesion"),
        ("nerve fibres", "nerve fiber"),
        ("trouble swallowing", "difficulty swallowing"),
        ("therapies", "therapy"),
    ],
)
def test_canonical_forms_meet(a: str, b: str) -> None:
    assert lookup.canonical(a) == lookup.canonical(b)


def test_abbreviations_are_never_fuzzy(kb) -> None:
    assert lookup.resolve_query(kb, "PLM")["ids"] == []
    assert lookup.resolve_query(kb, "EDS")["ids"] == []


def test_ambiguous_queries_list_candidates(kb) -> None:
    result = lookup.resolve_query(kb, "interferon beta")
    assert result["match"] == "ambiguous"
    assert {"interferon-beta-1a", "interferon-beta-1b"} <= set(result["ids"])


def test_cli_ambiguous_and_fuzzy_messages(run, real_data) -> None:
    result = run("explain", "interferon")
    assert result.code == 1 and result.out == ""
    assert "could mean several entries" in result.err
    assert "msref explain interferon-beta-1a" in result.err
    result = run("explain", "demylination")
    assert result.code == 0
    assert result.out.startswith("Demyelination\n")
    assert "showing Demyelination for 'demylination'" in result.err


def test_cli_non_ms_query_gets_no_answer(run, real_data) -> None:
    for query in ("diabetes", "metformin", "asdfghjkl"):
        result = run("explain", query)
        assert result.code == 1 and result.out == "", query


def test_search_ranks_name_hits_first_and_filters(kb) -> None:
    hits = fulltext.full_text_search(kb, "natalizumab")
    assert hits[0]["entry"]["id"] == "natalizumab"
    only_terms = fulltext.full_text_search(kb, "liver injury", kinds=("term",))
    assert only_terms and all(h["entry"]["kind"] == "term" for h in only_terms)
    dmts = fulltext.full_text_search(kb, "liver injury", family="dmt")
    assert dmts and all(h["entry"]["family"] == "dmt" for h in dmts)
    for hit in hits:
        assert hit["matches"] and all(m["snippet"] for m in hit["matches"])


def test_completions_offer_ids_and_one_word_aliases(real_data) -> None:
    from ms_ref.completion import complete_entry

    assert dict(complete_entry("Tys")) == {"Tysabri": "= Natalizumab"}
    offered = dict(complete_entry("ocr"))
    assert "ocrelizumab" in offered and "ocrevus" in offered  # typed in lower case: offered in lower case
    assert "Ocrevus" in dict(complete_entry("Ocr"))
    assert all(" " not in value for value, _help in complete_entry("a"))


@pytest.mark.parametrize(
    ("shell", "env"),
    [
        ("bash", {"COMP_WORDS": "msref explain ocre", "COMP_CWORD": "2"}),
        ("zsh", {"_TYPER_COMPLETE_ARGS": "msref explain ocre"}),
        ("fish", {"_TYPER_COMPLETE_ARGS": "msref explain ocre", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}),
    ],
)
def test_shell_completion_through_typer(shell: str, env: dict[str, str], tmp_path) -> None:
    environment = {**os.environ, **env, "_MSREF_COMPLETE": f"complete_{shell}", "MSREF_DATA_DIR": str(REAL_DATA),
                   "XDG_CACHE_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "ms_ref"], env=environment, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "ocrelizumab" in done.stdout


def test_json_search_results_carry_scores_and_fields(run, real_data) -> None:
    payload = json.loads(run("search", "anaphylaxis", "--json").out)
    assert payload["results"][0]["matches"][0]["field"]
