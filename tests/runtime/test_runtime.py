"""Loading, admission and live reload: a bad file is refused and the old data kept."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import httpx
import pytest

from api.build.files import VocabularyError
from api.build.isolation import LoadLimits
from api.runtime.snapshot import load_snapshot
from tests.build.test_files import entity_bomb
from tests.data import synthetic
from tests.support import ROOT
from tests.support.server import running_server

PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
ex:s a skos:ConceptScheme .
"""


def write(path: Path, body: str) -> Path:
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


STRICT = LoadLimits(strict=True)


def test_two_preflabels_in_one_language_are_served_and_reported(tmp_path: Path) -> None:
    bad = write(tmp_path / "v.ttl", 'ex:a a skos:Concept ;\n skos:prefLabel "x"@en, "y"@en .\n')
    snapshot = load_snapshot([bad])
    assert snapshot.index.concept_count == 1
    (problem,) = (p for p in snapshot.problems.located() if p.rule == "S14")
    assert str(problem) == (
        f'{bad}:4: <http://example.org/a> "x": S14: '
        '2 skos:prefLabel in language \'en\': "x"@en, "y"@en'
    )


def test_strict_refuses_two_preflabels_in_one_language_with_file_line_and_term(
    tmp_path: Path,
) -> None:
    bad = write(tmp_path / "v.ttl", 'ex:a a skos:Concept ;\n skos:prefLabel "x"@en, "y"@en .\n')
    with pytest.raises(VocabularyError) as caught:
        load_snapshot([bad], limits=STRICT)
    assert caught.value.rule == "strict"
    assert str(caught.value).splitlines()[1].startswith(f"  {bad}:4: <http://example.org/a> ")


def test_strict_lists_every_problem_not_the_first(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "v.ttl",
        'ex:a a skos:Concept ; skos:prefLabel "x"@en ;\n skos:altLabel "x"@en .\n'
        'ex:b a skos:Concept ; skos:prefLabel "y"@en , "z"@en ; skos:related ex:a .\n',
    )
    with pytest.raises(VocabularyError) as caught:
        load_snapshot([bad], limits=STRICT)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("strict: 2 problems")
    assert [line.split(": ")[2] for line in lines[1:]] == ["S13", "S14"]


def test_a_file_without_concepts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="no-concepts"):
        load_snapshot([write(tmp_path / "v.ttl", "")])


def _digest(base: str) -> str:
    return str(httpx.get(base + "/health", timeout=5).json()["digest"])


def _wait_for(condition: object, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.server
def test_watch_refuses_a_broken_file_then_takes_a_good_one(tmp_path: Path) -> None:
    vocab = tmp_path / "glossary.ttl"
    shutil.copy(ROOT / "vocab" / "glossary.ttl", vocab)
    env = {"GLOSSARY_VOCAB": str(vocab), "GLOSSARY_WATCH_INTERVAL": "0.2"}
    with running_server(env) as base:
        original = _digest(base)
        vocab.write_text(vocab.read_text(encoding="utf-8") + "\n<broken", encoding="utf-8")
        time.sleep(1.5)  # several watch intervals: the broken file has been tried
        assert _digest(base) == original
        assert httpx.get(base + "/concepts/consultation", timeout=5).status_code == 200
        good = (ROOT / "vocab" / "glossary.ttl").read_text(encoding="utf-8")
        vocab.write_text(good + "\n# edited\n", encoding="utf-8")
        assert _wait_for(lambda: _digest(base) != original)
        assert httpx.get(base + "/concepts/consultation", timeout=5).status_code == 200


def _server_pid(base: str) -> int:
    """The pid of the uvicorn child this test process started for ``base``."""
    port = base.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        try:
            status = (proc / "status").read_text()
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"PPid:\t{os.getpid()}\n" in status and port.encode() in argv:
            return int(proc.name)
    raise AssertionError(f"no server process for {base}")


def _peak_memory_kb(pid: int) -> int:
    """The most resident memory the process has ever had (VmHWM), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def _reload(base: str) -> dict[str, str] | None:
    reload: dict[str, str] | None = httpx.get(base + "/health", timeout=5).json()["reload"]
    return reload


@pytest.mark.server
def test_an_entity_bomb_in_a_watched_folder_leaves_the_server_small_and_serving(
    tmp_path: Path,
) -> None:
    shutil.copy(ROOT / "vocab" / "glossary.ttl", tmp_path / "glossary.ttl")
    env = {"GLOSSARY_VOCAB": str(tmp_path), "GLOSSARY_WATCH_INTERVAL": "0.2"}
    with running_server(env) as base:
        pid, original = _server_pid(base), _digest(base)
        (tmp_path / "bomb.rdf").write_text(entity_bomb(), encoding="utf-8")
        assert _wait_for(lambda: _reload(base) is not None)
        failure = _reload(base)
        assert failure is not None
        assert failure["outcome"] == "failed"
        assert failure["reason"].startswith("bomb.rdf:2:1: dtd: ")
        # The bomb expands to 3 GB; a bound on the server's peak, not a timing.
        assert _peak_memory_kb(pid) < 1_000_000
        assert _digest(base) == original
        assert httpx.get(base + "/concepts/consultation", timeout=5).status_code == 200
        # A good edit after the failure is still picked up: the watcher kept watching.
        (tmp_path / "bomb.rdf").unlink()
        with (tmp_path / "glossary.ttl").open("a", encoding="utf-8") as file:
            file.write("\n# edited\n")
        assert _wait_for(lambda: _digest(base) != original)
        success = _reload(base)
        assert success is not None
        assert (success["outcome"], success["reason"]) == ("ok", None)
        assert success["lastSuccess"] == success["lastAttempt"]
        # Dropping 59 of 60 concepts is held back until SIGHUP.
        synthetic.write(tmp_path / "glossary.ttl", 1)
        assert _wait_for(lambda: (_reload(base) or {}).get("outcome") == "held-back")
        assert httpx.get(base + "/concepts/consultation", timeout=5).status_code == 200
        os.kill(pid, signal.SIGHUP)
        assert _wait_for(lambda: httpx.get(base + "/health").json()["counts"]["concepts"] == 1)
        assert _peak_memory_kb(pid) < 1_000_000


def test_on_reload_a_file_that_newly_fails_keeps_the_old_data(tmp_path: Path) -> None:
    good = write(tmp_path / "a.ttl", 'ex:a a skos:Concept ; skos:prefLabel "a"@en .\n')
    old = load_snapshot([tmp_path])
    (tmp_path / "b.ttl").write_text("<broken", encoding="utf-8")
    with pytest.raises(VocabularyError, match="syntax"):
        load_snapshot([tmp_path], previous=old)
    # Left out at start-up, the same bad file does not block a good edit beside it.
    started = load_snapshot([tmp_path])
    assert [p.rule for p in started.problems.all] == ["unreadable-file", "orphan"]
    good.write_text(good.read_text(encoding="utf-8") + "ex:b a skos:Concept .\n", "utf-8")
    reloaded = load_snapshot([tmp_path], previous=started)
    assert reloaded.index.concept_count == 2
    assert reloaded.problems.all[0].rule == "unreadable-file"
