"""Integrity of the shipped knowledge base in data/: schema, ids, references, sources, coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ms_ref import loader, models, schema
from tests.conftest import REAL_DATA

# Every disease-modifying therapy the knowledge base covers. Removing one must be a deliberate change here.
DMT_IDS = {
    # approved injectables and infusions
    "interferon-beta-1a", "interferon-beta-1b", "peginterferon-beta-1a", "glatiramer-acetate", "mitoxantrone",
    "natalizumab", "alemtuzumab", "ocrelizumab", "ofatumumab", "ublituximab",
    # approved oral therapies
    "fingolimod", "siponimod", "ozanimod", "ponesimod", "teriflunomide", "dimethyl-fumarate",
    "diroximel-fumarate", "monomethyl-fumarate", "cladribine",
    # withdrawn
    "daclizumab", "evobrutinib",
    # off-label
    "rituximab", "cyclophosphamide", "azathioprine",
    # investigational
    "tolebrutinib", "fenebrutinib", "remibrutinib", "frexalimab", "vidofludimus-calcium", "masitinib",
}


@pytest.fixture(scope="module")
def kb():
    shipped = [str(REAL_DATA / "treatments.yaml"), str(REAL_DATA / "glossary.yaml")]
    built, problems = loader.build_knowledge_base(shipped, [])
    assert problems == []
    return built


def _of(kb, kind: str) -> list[dict[str, object]]:
    return kb.entries(kind)


def test_dmt_ids_are_exactly_the_expected_set(kb) -> None:
    dmts = {t["id"] for t in _of(kb, "treatment") if t["family"] == "dmt"}
    assert dmts == DMT_IDS


def test_every_family_has_entries(kb) -> None:
    families = {t["family"] for t in _of(kb, "treatment")}
    assert families == set(models.FAMILY_IDS)
    for family in models.FAMILY_IDS:
        assert sum(t["family"] == family for t in _of(kb, "treatment")) >= 3, family


def test_every_dmt_acts_on_a_cascade_step(kb) -> None:
    for entry in _of(kb, "treatment"):
        if entry["family"] == "dmt":
            assert entry.get("acts_on"), entry["id"]


def test_approved_and_withdrawn_dmts_carry_the_label_facts(kb) -> None:
    for entry in _of(kb, "treatment"):
        if entry["family"] == "dmt" and entry["status"] == "approved":
            for key in ("route", "frequency", "approved_for", "approvals", "mechanism"):
                assert entry.get(key), (entry["id"], key)
            assert any(a["agency"] == "FDA" or a["agency"] == "EMA" for a in entry["approvals"])


def test_status_notes_where_the_status_needs_one(kb) -> None:
    for entry in _of(kb, "treatment"):
        if entry["status"] in ("withdrawn", "investigational", "off-label"):
            assert entry.get("status_note"), entry["id"]


def test_rehabilitation_and_complementary_entries_grade_their_evidence(kb) -> None:
    for entry in _of(kb, "treatment"):
        if entry["family"] == "complementary":
            assert entry.get("evidence"), entry["id"]


def test_known_boxed_warnings(kb) -> None:
    """Boxed warnings as the current US labels have them (glatiramer's was added in January 2025)."""
    entries = kb.all_entries()
    for entry_id in ("natalizumab", "alemtuzumab", "mitoxantrone", "teriflunomide", "cladribine", "glatiramer-acetate"):
        assert entries[entry_id].get("boxed_warning"), entry_id
    assert "anaphyla" in entries["glatiramer-acetate"]["boxed_warning"].lower()
    assert "leukoencephalopathy" in entries["natalizumab"]["boxed_warning"].lower() or "PML" in entries["natalizumab"]["boxed_warning"]


def test_every_entry_is_sourced_and_dated(kb) -> None:
    for entry in kb.all_entries().values():
        assert entry["sources"], entry["id"]
        for source in entry["sources"]:
            assert source["url"].startswith(("https://", "http://")), (entry["id"], source)
        assert entry["reviewed"] <= "2026-12-31"


def test_glossary_size_and_cascade(kb) -> None:
    assert len(kb.ids("term")) >= 150
    assert kb.ids("step") == [
        "activation", "egress", "bbb-crossing", "cns-reactivation", "inflammatory-attack", "myelin-loss",
        "axon-loss", "repair",
    ]


def test_required_glossary_terms_exist(kb) -> None:
    for term in ("demyelination", "myelin", "t-cell", "b-cell", "plasma-cell", "microglia", "oligoclonal-bands",
                 "blood-brain-barrier", "molecular-mimicry", "epitope-spreading", "smouldering-lesion", "pira",
                 "ris", "cis", "rrms", "spms", "ppms", "mcdonald-criteria", "central-vein-sign", "edss",
                 "neda", "neurofilament-light-chain", "uhthoffs-phenomenon", "lhermittes-sign", "ms-hug",
                 "pml", "jc-virus", "epstein-barr-virus", "hla-drb1-15-01", "cd20", "cd52", "s1p-receptor",
                 "alpha-4-integrin", "dhodh", "nrf2", "btk"):
        assert kb.has(term), term


@pytest.mark.parametrize(("name", "schema_name"), [("treatments.yaml", "treatments.schema.json"),
                                                   ("glossary.yaml", "glossary.schema.json")])
def test_data_validates_against_the_published_json_schema(name: str, schema_name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    text = (REAL_DATA / name).read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=./schema/{schema_name}\n")
    document = json.loads(json.dumps(yaml.safe_load(text), default=str))
    published = json.loads((REAL_DATA / "schema" / schema_name).read_text(encoding="utf-8"))
    jsonschema.validate(document, published)


def test_published_schemas_are_up_to_date() -> None:
    for name, generated in schema.SCHEMAS.items():
        assert (REAL_DATA / "schema" / name).read_text(encoding="utf-8") == schema.dumps(generated), name


def test_schema_rejects_what_the_loader_rejects() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    published = json.loads((REAL_DATA / "schema" / "glossary.schema.json").read_text(encoding="utf-8"))
    bad = {"terms": [{"id": "x", "name": "X", "category": "astrology", "summary": "s", "details": "d",
                      "sources": [], "reviewed": "2026-11-25", "colour": "blue"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, published)


def test_shipped_files_have_no_tabs_or_trailing_spaces() -> None:
    for path in Path(REAL_DATA).glob("*.yaml"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert "\t" not in line and line == line.rstrip(), f"{path.name}:{number}"
