"""Bad input never crashes, never lies, never executes: data, cache, queries, pipes, signals, network."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ms_ref import fulltext, lookup, store
from ms_ref.errors import MsrefError
from ms_ref.ingest import build
from ms_ref.ingest.validate import _is_id, validate_file
from ms_ref.ingest.yamlread import MAX_FILE_BYTES
from tests.conftest import FIXTURES, ROOT, write

EXAMPLES = int(os.environ.get("MSREF_FUZZ_EXAMPLES", "60"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


def _python(code: str, *args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], env={**os.environ, **(env or {})},
                          capture_output=True, text=True, check=False, **kwargs)  # type: ignore[arg-type]


def _msref(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess:
    return _python("import sys; from ms_ref.main import main; sys.exit(main())", *args, env=env, **kwargs)


# --------------------------------------------------------------------------------------------------
# Data: each a clean exit 3 naming the file (and line and key path where there is one)

BAD_FILES = {
    "empty": (b"", "file is empty"),
    "not yaml": (b"terms: [unclosed\n  - x: {\n", "not valid YAML"),
    "binary": (bytes(range(256)) * 4, "not UTF-8"),
    "latin-1": ("terms:\n- id: caf\xe9\n".encode("latin-1"), "not UTF-8"),
    "nul bytes": (b"terms:\n- id: a\x00b\n", "NUL"),
    "list at top": (b"- a\n- b\n", "expected a mapping of sections"),
    "list where mapping": (b"terms:\n- [1, 2]\n", "terms[0]: expected a mapping"),
    "wrong type": (b"terms:\n- id: x\n  name: [a]\n", "terms[x].name: expected text"),
    "unknown key": (b"terms:\n- id: x\n  colour: blue\n", "terms[x].colour: unknown key"),
    "unknown section": (b"drugs: []\n", "drugs: unknown section"),
    "python tag": (b"terms: !!python/object/apply:os.system ['touch /tmp/msref-pwned']\n", "unsupported YAML tag"),
    "python name tag": (b"terms: !!python/name:os.system\n", "unsupported YAML tag"),
    "alias bomb": (b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                   b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
                   "anchors and aliases are not allowed"),
    "deep flow nesting": (b"terms: " + b"[" * 5000 + b"]" * 5000 + b"\n", "nesting"),
    "deep block nesting": ("".join(f"{'  ' * i}k{i}:\n" for i in range(200)).encode() + b"  " * 200 + b"v: 1\n", "nesting"),
    "bad date": (b"terms:\n- id: x\n  reviewed: 2026-02-30\n", ":3: cannot read a value"),
    "control characters": (b"terms:\n- id: x\n  name: \"evil \\e[31mred\"\n", "control character U+001B"),
    "direction override": ("terms:\n- id: x\n  name: \"a\u202eb\"\n".encode(), "control character U+202E"),
    "duplicate key": (b"terms:\n- id: x\n  id: y\n", "appears twice"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_user_file_is_reported_with_its_location(case: str, run, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers still come from the shipped data, with a one-line warning; validate reports it in full."""
    content, message = BAD_FILES[case]
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "bad.yaml").write_bytes(content)
    monkeypatch.setenv("MSREF_USER_DIR", str(mine))
    started = time.monotonic()
    result = run("explain", "myelin")
    assert time.monotonic() - started < 10
    assert result.code == 0 and result.out.startswith("Myelin"), result
    assert str(mine / "bad.yaml") in result.err and result.err.count("\n") == 1, result.err
    checked = run("validate")
    assert checked.code == 3 and message in checked.out, checked
    for stream in (result.out, result.err, checked.out, checked.err):
        assert "Traceback" not in stream and "\x1b[31m" not in stream and "\u202e" not in stream
    assert not Path("/tmp/msref-pwned").exists()


@pytest.mark.parametrize("case", ["empty", "not yaml", "binary", "list at top", "python tag", "alias bomb"])
def test_bad_shipped_file_via_msref_data_dir(case: str, run, kb_copy: Path) -> None:
    content, message = BAD_FILES[case]
    (kb_copy / "glossary.yaml").write_bytes(content)
    result = run("treatments")
    assert result.code == 3 and result.out == ""
    assert "glossary.yaml" in result.err and message in result.err


def test_missing_file_and_missing_folder(run, kb_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (kb_copy / "treatments.yaml").unlink()
    result = run("explain", "myelin")
    assert result.code == 3 and "treatments.yaml: file not found" in result.err
    monkeypatch.setenv("MSREF_DATA_DIR", str(tmp_path / "nowhere"))
    result = run("glossary")
    assert result.code == 3 and "file not found" in result.err


def test_very_large_file_is_refused_quickly(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    with open(mine / "huge.yaml", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    monkeypatch.setenv("MSREF_USER_DIR", str(mine))
    started = time.monotonic()
    result = run("validate")
    assert time.monotonic() - started < 5
    assert result.code == 3 and "the limit is" in result.out


def test_duplicates_and_references_across_shipped_and_user_files(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    write(mine / "a.yaml", "terms:\n- id: my-word\n  name: My word\n  aliases: [Ocrevus]\n  category: general\n"
          "  summary: s.\n  details: d.\n  related: [no-such-term]\n"
          "  sources: [{title: t, url: 'https://example.org/'}]\n  reviewed: 2026-11-25\n")
    monkeypatch.setenv("MSREF_USER_DIR", str(mine))
    result = run("validate")
    assert result.code == 3
    assert "name or alias 'ocrevus' is already used by 'ocrelizumab'" in result.out
    assert "terms[my-word].related: 'no-such-term' is not a known" in result.out
    assert str(mine / "a.yaml") in result.out


# --------------------------------------------------------------------------------------------------
# Cache: every kind of damage still gives the same correct answer


def _answer(run) -> str:
    result = run("explain", "ocrelizumab", "--json")
    assert result.code == 0, result
    return result.out


def test_cache_damage_never_changes_the_answer(run, private_cache: Path) -> None:
    expected = _answer(run)
    (cache,) = private_cache.iterdir()
    original = cache.read_bytes()
    for damaged in (b"", b"garbage", original[:100], original[: len(original) // 2], original + b"tail",
                    original[:16] + b"\x00" * (len(original) - 16), original[:-300] + b"\xff" * 300):
        cache.write_bytes(damaged)
        assert _answer(run) == expected


def test_cache_from_another_version_is_ignored(run, private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _answer(run)
    monkeypatch.setattr(store, "__version__", "0.0.0-other")
    assert _answer(run) == expected


@pytest.mark.parametrize("setup", ["file-in-the-way", "home-missing", "home-unset"])
def test_unusable_cache_locations(setup: str, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _answer(run)
    monkeypatch.delenv("XDG_CACHE_HOME")
    if setup == "file-in-the-way":
        blocker = tmp_path / "blocker"
        blocker.write_text("not a folder")
        monkeypatch.setenv("HOME", str(blocker))
    elif setup == "home-missing":
        monkeypatch.setenv("HOME", str(tmp_path / "no" / "such" / "home"))
    else:
        monkeypatch.delenv("HOME", raising=False)
    assert _answer(run) == expected


def test_many_processes_building_the_cache_at_once(tmp_path: Path) -> None:
    env = {"MSREF_DATA_DIR": str(FIXTURES), "XDG_CACHE_HOME": str(tmp_path / "cache"), "MSREF_USER_DIR": str(tmp_path)}
    code = "import sys; from ms_ref.main import main; sys.exit(main())"
    processes = [subprocess.Popen([sys.executable, "-c", code, "explain", "natalizumab", "--json"],
                                  env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(6)]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 0 for p in processes), [err for _out, err in outputs]
    assert len({out for out, _err in outputs}) == 1
    assert json.loads(outputs[0][0])["id"] == "natalizumab"
    assert not [p for p in (tmp_path / "cache" / "msref").iterdir() if p.name.endswith(".tmp")]


# --------------------------------------------------------------------------------------------------
# Queries

HOSTILE_QUERIES = [
    "x" * 10_000,
    "demyelination " * 700,
    "\x00\x01\x02\x07\x08\x1b",
    "\x1b[2J\x1b[31mred\x1b[0m",
    "\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07",
    "[bold red]alert[/bold red]",
    "[link=https://evil.example]x[/link]",
    "abc\u202edef\u2066ghi",
    "🧠🧬💊",
    "-x",
    "--format",
    "\udcff\udcfe",
    "Ｏｃｒｅｖｕｓ",
    "'; DROP TABLE entries; --",
    "{{7*7}} ${HOME} $(id) `id`",
    "%s%n%x",
]


@pytest.mark.parametrize("fmt", ["plain", "markdown", "json", "rich"])
@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_queries(query: str, fmt: str, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    for command in (["explain"], ["search"], ["sources"], ["compare", "ocrelizumab"]):
        result = run(*command, "--format", fmt, "--", query)
        assert result.code in (0, 1, 2), (command, result)
        assert "Traceback" not in result.err
        for stream in (result.out, result.err):
            # Our own styling (colour codes, OSC 8 links to cited pages) aside, no control character from the
            # query gets through.
            stream = re.sub(r"\x1b\]8;;(?:https?://[!-~]*)?\x1b\\", "", stream)
            assert "\x1b]" not in stream and "\x07" not in stream and "\x1b[2J" not in stream
            assert "\u202e" not in stream and "\x00" not in stream
            assert "\x1b[31mred" not in stream


def test_markup_is_literal_in_found_output(run) -> None:
    result = run("search", "--format", "rich", "--", "myelin [bold]x[/bold]")
    assert result.code == 0
    assert "[bold]x[/bold]" in result.out


def test_terminal_one_column_wide(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1")
    for command in (["explain", "ocrelizumab"], ["compare", "ocrelizumab", "natalizumab"], ["treatments"], ["immune"]):
        result = run(*command, "--format", "rich")
        assert result.code == 0 and result.out


# --------------------------------------------------------------------------------------------------
# Pipes, signals, closed streams (real processes)


def test_pipe_closed_early_ends_quietly(tmp_path: Path) -> None:
    env = {**os.environ, "MSREF_DATA_DIR": str(ROOT / "data"), "XDG_CACHE_HOME": str(tmp_path)}
    code = "import sys; from ms_ref.main import main; sys.exit(main())"
    for _ in range(2):  # a cold cache, then a warm one
        done = subprocess.run(f'"{sys.executable}" -c "{code}" glossary | head -1', shell=True, env=env,
                              capture_output=True, text=True, check=False)
        assert done.stdout.strip() and done.stderr == ""


def test_closed_stdout_and_full_disk(tmp_path: Path) -> None:
    env = {**os.environ, "MSREF_DATA_DIR": str(FIXTURES), "XDG_CACHE_HOME": str(tmp_path)}
    code = "import sys; from ms_ref.main import main; sys.exit(main())"
    closed = subprocess.run(f'"{sys.executable}" -c "{code}" explain myelin >&-', shell=True, env=env,
                            capture_output=True, text=True, check=False)
    assert closed.returncode == 1 and "standard output is closed" in closed.stderr and "Traceback" not in closed.stderr
    if os.path.exists("/dev/full"):
        full = subprocess.run(f'"{sys.executable}" -c "{code}" glossary > /dev/full', shell=True, env=env,
                              capture_output=True, text=True, check=False)
        assert full.returncode == 1 and "cannot write the answer" in full.stderr and "Traceback" not in full.stderr


def test_ctrl_c_exits_130_without_traceback(tmp_path: Path) -> None:
    code = (
        "import sys, time, ms_ref.views as v\n"
        "def slow(*a, **k):\n    print('ready', file=sys.stderr, flush=True); time.sleep(30)\n"
        "v.explain = slow\n"
        "from ms_ref.main import main\nsys.exit(main(['explain', 'myelin']))\n"
    )
    env = {**os.environ, "MSREF_DATA_DIR": str(FIXTURES), "XDG_CACHE_HOME": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stderr.readline().strip() == "ready"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err and out == ""


def test_unencodable_output_does_not_crash(tmp_path: Path) -> None:
    env = {**os.environ, "MSREF_DATA_DIR": str(FIXTURES), "XDG_CACHE_HOME": str(tmp_path),
           "PYTHONIOENCODING": "ascii", "FORCE_COLOR": "1"}
    done = _msref("compare", "ocrelizumab", "natalizumab", "--format", "rich", env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    done = _msref("search", "--", "myelin \udcff", env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr


def test_no_network_connection_is_ever_opened(tmp_path: Path) -> None:
    """An audit hook fails the run on any socket use, across cold and warm runs and the Typer path."""
    code = (
        "import sys\n"
        "def hook(event, args):\n"
        "    if event.startswith(('socket.', 'urllib.', 'http.')):\n"
        "        raise SystemExit(f'network use: {event} {args!r}')\n"
        "sys.addaudithook(hook)\n"
        "from ms_ref.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {"MSREF_DATA_DIR": str(ROOT / "data"), "XDG_CACHE_HOME": str(tmp_path)}
    for argv in (["explain", "demylination"], ["explain", "my legs feel like jelly"], ["search", "myelin"],
                 ["compare", "ocrelizumab", "natalizumab"], ["validate"], ["explain", "--help"]):
        done = _python(code, *argv, env=env)
        assert "network use" not in (done.stdout + done.stderr), (argv, done.stderr)
        assert done.returncode in (0, 1), (argv, done.stderr)


# --------------------------------------------------------------------------------------------------
# Properties (MSREF_FUZZ_EXAMPLES raises the example count for a fuzzing run)


@pytest.fixture(scope="module")
def real_kb():
    built = build([str(ROOT / "data" / "treatments.yaml"), str(ROOT / "data" / "glossary.yaml")], [])
    assert built.problems == []
    return built.kb


@PROPERTY
@given(query=st.text(max_size=300))
def test_any_query_resolves_or_misses_cleanly(real_kb, query: str) -> None:
    from ms_ref import views
    from ms_ref.render import plain

    result = lookup.resolve_query(real_kb, query)
    assert result["match"] in ("exact", "canonical", "prefix", "ranked", "fuzzy", "ambiguous", "none")
    try:
        view = views.explain(real_kb, query)
    except MsrefError:
        return
    text = "\n".join(plain.lines(view))
    assert "\x1b" not in text


@PROPERTY
@given(query=st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_search_returns_ranked_hits(real_kb, query: str) -> None:
    hits = fulltext.full_text_search(real_kb, query)
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)


_yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)


@PROPERTY
@given(document=st.dictionaries(st.sampled_from(["terms", "treatments", "cascade", "families", "schema_version", "x"]),
                                _yaml_values, max_size=4))
def test_loader_reports_any_structure_without_crashing(tmp_path_factory: pytest.TempPathFactory, document: dict) -> None:
    import yaml

    path = tmp_path_factory.mktemp("fuzz") / "f.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    problems = validate_file(str(path)).problems
    assert isinstance(problems, list) and all(isinstance(p, str) and p.startswith(str(path)) for p in problems)


@PROPERTY
@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_loader_survives_arbitrary_bytes(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "f.yaml"
    path.write_bytes(raw)
    problems = validate_file(str(path)).problems
    assert all(p.startswith(str(path)) for p in problems)


def test_devices_pipes_and_folders_are_not_read(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    os.mkfifo(mine / "pipe.yaml")  # opening a FIFO for reading would block forever
    (mine / "zero.yaml").symlink_to("/dev/zero")  # reading /dev/zero never ends
    (mine / "folder.yaml").mkdir()
    monkeypatch.setenv("MSREF_USER_DIR", str(mine))
    started = time.monotonic()
    result = run("validate")
    assert time.monotonic() - started < 10
    assert result.code == 3
    for name in ("pipe.yaml", "zero.yaml", "folder.yaml"):
        assert f"{mine / name}: is " in result.out
    assert run("explain", "myelin").code == 0


def test_a_huge_valid_knowledge_base_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three hundred entries that all link to each other build completely (benchmarks/startup.py times the
    x10 knowledge base; a quadratic step would show there)."""
    import yaml

    treatments = yaml.safe_load((FIXTURES / "treatments.yaml").read_text(encoding="utf-8"))
    first = treatments["treatments"][0]
    template = {key: first[key] for key in ("family", "category", "status", "summary", "details", "reviewed")}
    template.update(sources=[{k: v for k, v in first["sources"][0].items() if k != "id"}],
                    related=first.get("related", [])[:3], acts_on=first.get("acts_on", []))
    many = []
    for n in range(300):
        entry = dict(template, id=f"drug-{n}", name=f"Drug {n}", aliases=[f"brand{n}"])
        many.append(entry)
    treatments["treatments"] += many
    folder = tmp_path / "big"
    folder.mkdir()
    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True

    text = yaml.dump(treatments, Dumper=NoAliases, sort_keys=False)
    (folder / "treatments.yaml").write_text(text, encoding="utf-8")
    (folder / "glossary.yaml").write_text((FIXTURES / "glossary.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    built = build([str(folder / "treatments.yaml"), str(folder / "glossary.yaml")], [])
    assert built.problems == []
    assert len(built.kb.links(template["family"])["members"]) > 300


def test_ids_match_the_published_schema_pattern() -> None:
    import json as _json
    import re as _re

    pattern = _json.loads((ROOT / "data" / "schema" / "glossary.schema.json").read_text())["properties"]["terms"][
        "items"]["properties"]["id"]["pattern"]
    for candidate in ("a", "a-b", "a1-2b", "-a", "a-", "a--b", "A", "a b", "ä"):
        assert bool(_re.match(pattern, candidate)) == _is_id(candidate), candidate
