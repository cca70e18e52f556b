"""The compiled store and its cache policy: valid exactly for the files' contents and msref's code, read in
place when it shipped in the wheel, rebuilt after any damage, pruned, and never served stale."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ms_ref import store, views
from ms_ref.ingest import build
from tests.conftest import FIXTURES, write


def _cache_file() -> Path:
    return Path(store.cache_path(store.Sources().files))


def test_round_trip_and_corruption(private_cache: Path) -> None:
    fresh = store.load_knowledge_base().all_entries()
    path = _cache_file()
    assert path.is_file()
    assert store.load_knowledge_base().all_entries() == fresh
    whole = path.read_bytes()
    for damaged in (b"\x00garbage", whole[: len(whole) // 2], b"", whole + b"tail"):
        path.write_bytes(damaged)
        assert store.load_knowledge_base().all_entries() == fresh


def test_blob_overwritten_in_place_is_rebuilt(private_cache: Path) -> None:
    store.load_knowledge_base()
    path = _cache_file()
    data = bytearray(path.read_bytes())
    data[-200:] = b"\xff" * 200  # same size, garbage at the end: an entry table or entry blob
    path.write_bytes(bytes(data))
    view = store.answer(lambda kb: views.explain(kb, "ocrelizumab"))
    assert view["data"]["id"] == "ocrelizumab"  # type: ignore[index]


def test_unwritable_cache_folder_still_answers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert store.load_knowledge_base().has("ocrelizumab")


def test_a_file_replaced_with_the_same_size_and_time_is_read_again(kb_copy: Path, private_cache: Path) -> None:
    """cp -p, tar and rsync -t keep size and modification time: the cache must look at the content."""
    glossary = kb_copy / "glossary.yaml"
    assert store.load_knowledge_base().entry("myelin")["name"] == "Myelin"
    info = os.stat(glossary)
    text = glossary.read_text(encoding="utf-8")
    edited = text.replace("name: Myelin\n", "name: Myelim\n", 1)
    assert len(edited) == len(text)
    replacement = kb_copy / "new.yaml"
    replacement.write_text(edited, encoding="utf-8")
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))
    os.replace(replacement, glossary)
    assert os.stat(glossary).st_size == info.st_size and os.stat(glossary).st_mtime_ns == info.st_mtime_ns
    assert store.load_knowledge_base().entry("myelin")["name"] == "Myelim"


def test_the_same_content_under_new_times_is_restamped_not_rebuilt(kb_copy: Path, private_cache: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store.load_knowledge_base()
    os.utime(kb_copy / "glossary.yaml", (1_000_000_000, 1_000_000_000))
    import ms_ref.ingest

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("rebuilt although the content had not changed")

    monkeypatch.setattr(ms_ref.ingest, "build", fail)
    assert store.load_knowledge_base().has("myelin")


def test_editing_the_code_that_compiles_the_store_invalidates_it(private_cache: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "compile.py"
    code.write_text("# version one\n")
    monkeypatch.setattr(store, "_code_paths", lambda: [str(code)])
    store.load_knowledge_base()
    before = store.read_header(str(_cache_file()))
    assert before is not None
    os.close(before[1])
    info = os.stat(code)
    code.write_text("# version two\n")  # same size
    os.utime(code, ns=(info.st_atime_ns, info.st_mtime_ns))
    store.load_knowledge_base()
    after = store.read_header(str(_cache_file()))
    assert after is not None
    os.close(after[1])
    assert before[0]["content"] != after[0]["content"]


def test_the_prebuilt_store_is_read_in_place(kb_copy: Path, private_cache: Path) -> None:
    store.prebuild(str(kb_copy), str(kb_copy / store.PREBUILT))
    kb = store.load_knowledge_base()
    assert kb.has("ocrelizumab")
    pointer = _cache_file()
    assert pointer.stat().st_size < 4096 < (kb_copy / store.PREBUILT).stat().st_size  # a header, not a copy
    assert store.load_knowledge_base().entry("myelin") == build(
        [str(kb_copy / "treatments.yaml"), str(kb_copy / "glossary.yaml")], []).kb.entry("myelin")
    text = (kb_copy / "glossary.yaml").read_text(encoding="utf-8")
    (kb_copy / "glossary.yaml").write_text(text.replace("name: Myelin\n", "name: Myelin sheath\n", 1), encoding="utf-8")
    assert store.load_knowledge_base().entry("myelin")["name"] == "Myelin sheath"  # edited: no longer applies


def _all_postings(kb) -> dict[str, list[list[object]]]:
    from ms_ref.kb import BUCKETS

    merged: dict[str, list[list[object]]] = {}
    for number in range(BUCKETS):
        for token, postings in (kb.blob(f"text/{number}") or {}).items():
            merged[token] = sorted(postings, key=lambda p: p[0])
    return merged


def test_user_entries_merged_onto_the_prebuilt_store_equal_a_full_build(kb_copy: Path, tmp_path: Path) -> None:
    store.prebuild(str(kb_copy), str(kb_copy / store.PREBUILT))
    shipped = [str(kb_copy / "treatments.yaml"), str(kb_copy / "glossary.yaml")]
    text = (FIXTURES / "glossary.yaml").read_text(encoding="utf-8")
    start = text.index("- id: myelin\n")
    end = text.index("\n- id:", start + 1)
    user = write(tmp_path / "mine" / "mine.yaml", "terms:\n" + text[start:end].replace("summary: ", "summary: Mine ", 1)
                 + "\n- id: my-word\n  name: My word\n  category: general\n  summary: s.\n  details: d.\n"
                 "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2026-11-25\n")
    base = store.open_store(str(kb_copy / store.PREBUILT), content=store.content_stamp(shipped))
    assert base is not None
    only_new = write(tmp_path / "new" / "new.yaml", "terms:\n- id: my-other-word\n  name: My other word\n"
                     "  aliases: [optic neuritis in my diary]\n  category: general\n  summary: s.\n  details: d.\n"
                     "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2026-11-25\n")
    for users in ([], [str(user)], [str(only_new)]):
        full = build(shipped, users)
        merged = build(shipped, users, base)
        assert full.problems == merged.problems == []
        assert merged.kb.all_entries() == full.kb.all_entries()
        assert _all_postings(merged.kb) == _all_postings(full.kb)
        for table in ("names", "canon", "unordered"):  # buckets copied or rebuilt, the same either way
            for number in range(64):
                ours, theirs = merged.kb.blob(f"{table}/{number}") or {}, full.kb.blob(f"{table}/{number}") or {}
                assert {k: sorted(v) for k, v in ours.items()} == {k: sorted(v) for k, v in theirs.items()}
        assert merged.kb.overrides == full.kb.overrides
        from ms_ref import annotate, lookup

        for query in ("myelin", "mine myelin coating", "my word", "my other word", "ocrelizumab", "pins and needles",
                      "demylination",
                      "legs stiff as a board", "nerve coating damage"):
            assert lookup.resolve_query(merged.kb, query) == lookup.resolve_query(full.kb, query), query
        letter = "Her MRI shows lesions and damage to the myelin; my word; optic neuritis in my diary; my other word."
        assert annotate.find_terms(merged.kb, letter) == annotate.find_terms(full.kb, letter)
        # Each entry, a user's own included, has the centroid of its words' meanings (ms_ref.vectors).
        from ms_ref.vectors import SIGNED

        for entry_id in full.kb.all_entries():
            ours, theirs = merged.kb._bucketed("centroid", entry_id), full.kb._bucketed("centroid", entry_id)
            assert (ours is None) == (theirs is None), entry_id
            if ours is not None:
                assert max(abs(SIGNED[a] - SIGNED[b]) for a, b in zip(ours, theirs)) <= 6, entry_id  # of 127
        if users == [str(only_new)]:
            assert merged.kb._bucketed("centroid", "my-other-word") is not None


def _block(text: str, entry_id: str) -> str:
    """One entry of a fixture file, as its YAML lines."""
    start = text.index(f"- id: {entry_id}\n")
    end = text.find("\n- id:", start + 1)
    return text[start : end if end >= 0 else len(text)].rstrip("\n") + "\n"


def _without_aliases(block: str) -> str:
    lines = block.splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line == "  aliases:\n":
            skipping = True
            continue
        if skipping and line.startswith("  - "):
            continue
        skipping = False
        kept.append(line)
    return "".join(kept)


def test_a_merge_onto_the_prebuilt_store_writes_what_a_full_build_writes(kb_copy: Path, tmp_path: Path) -> None:
    """Entries with their back-links, completions, glosses, treatment rows and the store's meta are the same
    whether a user's entries are merged onto the prebuilt store or everything is built from YAML; so are the
    problems that leave a user's file out."""
    store.prebuild(str(kb_copy), str(kb_copy / store.PREBUILT))
    shipped = [str(kb_copy / "treatments.yaml"), str(kb_copy / "glossary.yaml")]
    treatments = (FIXTURES / "treatments.yaml").read_text(encoding="utf-8")
    glossary = (FIXTURES / "glossary.yaml").read_text(encoding="utf-8")
    moved = _block(treatments, "baclofen").replace("family: symptomatic", "family: rehabilitation")
    assert moved != _block(treatments, "baclofen")
    copied = _without_aliases(_block(treatments, "physiotherapy")).replace("- id: physiotherapy", "- id: my-therapy")
    copied = copied.replace("name: Physiotherapy", "name: My therapy", 1)
    assert "My therapy" in copied and "aliases" not in copied
    files = {
        "treatments": "treatments:\n" + moved + copied,
        "term": "terms:\n" + _block(glossary, "myelin").replace("summary: ", "summary: Mine ", 1),
        "clash": "terms:\n- id: my-word\n  name: Myelin\n  category: general\n  summary: s.\n  details: d.\n"
        "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2026-11-25\n",
        "dangling": "terms:\n- id: my-word\n  name: My word\n  category: general\n  summary: s.\n  details: d.\n"
        "  related: [no-such-entry]\n  sources: [{title: t, url: 'https://example.org/'}]\n"
        "  reviewed: 2026-11-25\n",
    }
    base = store.open_store(str(kb_copy / store.PREBUILT), content=store.content_stamp(shipped))
    assert base is not None
    newest = base.newest_reviewed
    latest = next(i for i in base.ids("term") if base.entry(i).get("reviewed") == newest)
    files["older"] = "terms:\n" + _block(glossary, latest).replace(f"reviewed: {newest}", "reviewed: 2001-01-01")
    assert "2001-01-01" in files["older"]
    written = {name: str(write(tmp_path / name / f"{name}.yaml", text)) for name, text in files.items()}
    for users in (
        [written["treatments"]],
        [written["treatments"], written["term"]],
        [written["clash"]],
        [written["dangling"], written["term"]],
        [written["older"]],
    ):
        full = build(shipped, users)
        merged = build(shipped, users, base)
        assert merged.problems == full.problems == []
        assert merged.skipped == full.skipped
        if users[0] in (written["clash"], written["dangling"]):
            assert list(merged.skipped) == [users[0]]
        compared = sorted(n for n in full.blobs if n.startswith(("entry/", "complete/", "rows/")) or n == "gloss")
        assert compared == sorted(
            n for n in merged.blobs if n.startswith(("entry/", "complete/", "rows/")) or n == "gloss"
        )
        for name in compared:
            assert merged.kb.blob(name) == full.kb.blob(name), name
        for key in ("order", "newest_reviewed", "overrides", "where", "completions"):
            assert merged.kb.meta[key] == full.kb.meta[key], key
    links = build(shipped, [written["treatments"]], base).kb
    assert ["my-therapy", "My therapy"] in links.blob("entry/rehabilitation")["links"]["members"]
    assert ["baclofen", "Baclofen (oral)"] in links.blob("entry/rehabilitation")["links"]["members"]
    assert not any(pair[0] == "baclofen" for pair in links.blob("entry/symptomatic")["links"]["members"])


def test_a_merge_onto_the_prebuilt_store_unpacks_only_what_the_users_entries_touch(
    kb_copy: Path, tmp_path: Path
) -> None:
    store.prebuild(str(kb_copy), str(kb_copy / store.PREBUILT))
    shipped = [str(kb_copy / "treatments.yaml"), str(kb_copy / "glossary.yaml")]
    base = store.open_store(str(kb_copy / store.PREBUILT), content=store.content_stamp(shipped))
    assert base is not None
    unpacked: list[str] = []
    read = base._read

    def counting(name: str) -> object:
        if name.startswith("entry/"):
            unpacked.append(name)
        return read(name)

    base._read = counting
    mine = write(tmp_path / "mine" / "mine.yaml", GOOD)
    built = build(shipped, [str(mine)], base)
    assert built.problems == [] and built.kb.entry("my-word")["name"] == "My word"
    everything = sum(len(base.ids(kind)) for kind in ("treatment", "term", "step", "family"))
    assert everything > 20 and len(unpacked) <= 2, unpacked  # copied as stored bytes, not read


def test_old_cache_files_are_pruned(private_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(store.KEEP_CACHES + 3):
        folder = tmp_path / f"kb{number}"
        shutil.copytree(FIXTURES, folder)
        monkeypatch.setenv("MSREF_DATA_DIR", str(folder))
        store.load_knowledge_base()
    kept = [p for p in private_cache.iterdir() if p.name.endswith(".bin")]
    assert len(kept) <= store.KEEP_CACHES
    assert _cache_file() in kept


# --------------------------------------------------------------------------------------------------
# A user's own entries: a broken file is left out with a warning; validate reports it in full


GOOD = ("terms:\n- id: my-word\n  name: My word\n  category: general\n  summary: A word of mine.\n  details: d.\n"
        "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2026-11-25\n")


def test_one_broken_personal_file_does_not_stop_answers(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    write(mine / "good.yaml", GOOD)
    write(mine / "bad.yaml", "terms:\n- id: Not An Id\n")
    monkeypatch.setenv("MSREF_USER_DIR", str(mine))
    for _ in range(2):  # a cold cache, then a warm one: the warning each time
        result = run("explain", "my", "word")
        assert result.code == 0 and "A word of mine." in result.out
        assert result.err.count("\n") == 1 and "left out your entries in" in result.err
        assert str(mine / "bad.yaml") in result.err
    assert run("explain", "ocrelizumab").code == 0
    result = run("validate")
    assert result.code == 3 and "bad.yaml:2" in result.out


@pytest.mark.parametrize("setup", ["unreadable", "a-file", "loop", "dangling"])
def test_an_entries_folder_that_cannot_be_read_is_reported(setup: str, run, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    if setup == "unreadable":
        if os.geteuid() == 0:
            pytest.skip("root reads any folder")
        write(mine / "good.yaml", GOOD)
        mine.chmod(0)
    elif setup == "a-file":
        write(mine, GOOD)
    elif setup == "loop":
        mine.symlink_to(mine)
    else:
        mine.symlink_to(tmp_path / "gone")
    monkeypatch.setenv("MSREF_USER_DIR", str(mine))
    try:
        result = run("explain", "myelin")
        assert result.code == 0 and "msref: warning" not in result.out
        assert str(mine) in result.err
        checked = run("validate")
        assert checked.code == 3 and str(mine) in checked.out
    finally:
        if setup == "unreadable":
            mine.chmod(0o755)


def test_upper_case_extensions_are_read(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    write(mine / "WORDS.YAML", GOOD)
    monkeypatch.setenv("MSREF_USER_DIR", str(mine))
    assert run("explain", "my-word").code == 0
