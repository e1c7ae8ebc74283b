"""Files are checked in a child process with memory and time limits before they are parsed."""

from __future__ import annotations

import dataclasses
import hashlib
import signal
import subprocess
from pathlib import Path

import pytest

from api.build import isolation
from api.build.files import Relative, VocabularyError, load
from api.build.isolation import LoadLimits, check_isolated, load_isolated
from api.settings import Settings
from tests.build.test_files import TURTLE, entity_bomb, write
from tests.support import ROOT

GLOSSARY = ROOT / "vocab" / "glossary.ttl"
#: Enough for the interpreter and the glossary, far too little for a hostile file.
SMALL = LoadLimits(memory_mb=256)


def refusal(files: list[Path], limits: LoadLimits = SMALL) -> VocabularyError:
    [refused] = check_isolated(files, limits).refused
    return refused


def test_the_defaults_are_the_settings_defaults() -> None:
    assert LoadLimits() == LoadLimits.from_settings(Settings())


def test_the_settings_set_the_limits() -> None:
    settings = Settings(
        max_file_bytes=10,
        load_max_memory_mb=100,
        load_timeout=2.5,
        strict=True,
        base_iri="https://example.org/",
    )
    expected = LoadLimits(10, 100, 2.5, True, "https://example.org/")
    assert LoadLimits.from_settings(settings) == expected


def test_the_child_reports_each_file_s_digest(tmp_path: Path) -> None:
    files = sorted([GLOSSARY, write(tmp_path / "other.ttl", TURTLE)])  # as discover() sorts
    checks = check_isolated(files, SMALL)
    assert checks.digests == {file: hashlib.sha256(file.read_bytes()).hexdigest() for file in files}
    assert checks.refused == ()


def test_a_bad_file_is_reported_and_the_files_after_it_still_checked(tmp_path: Path) -> None:
    bad = write(tmp_path / "a.ttl", "<broken")
    good = write(tmp_path / "b.ttl", TURTLE)
    checks = check_isolated([bad, good], SMALL)
    assert [(error.rule, error.file) for error in checks.refused] == [("syntax", bad)]
    assert set(checks.digests) == {good}


def test_the_files_after_one_that_kills_the_child_are_checked_by_a_fresh_one(
    tmp_path: Path,
) -> None:
    grows = write(tmp_path / "a.jsonld", '{"@graph": [' + "{}," * 3_500_000 + "{}]}")
    good = write(tmp_path / "b.ttl", TURTLE)
    checks = check_isolated([grows, good], SMALL)
    assert [(error.rule, error.file) for error in checks.refused] == [("memory-limit", grows)]
    assert set(checks.digests) == {good}


def test_the_child_says_which_files_have_relative_iris(tmp_path: Path) -> None:
    file = write(tmp_path / "v.ttl", "<a> <https://example.org/p> 1 .\n")
    checks = check_isolated([file], dataclasses.replace(SMALL, base_iri="https://e.org/x/"))
    assert checks.relative == {file: Relative(file, "https://e.org/x/", None, 1)}
    vocabulary = load_isolated([file], SMALL)
    assert [quad.subject.value for quad in vocabulary.store] == [(tmp_path / "a").as_uri()]
    assert [found.file for found in vocabulary.relative] == [file]


def test_load_isolated_keeps_going_past_a_bad_file_only_when_asked(tmp_path: Path) -> None:
    write(tmp_path / "a.ttl", "<broken")
    good = write(tmp_path / "b.ttl", TURTLE)
    with pytest.raises(VocabularyError, match="syntax"):
        load_isolated([tmp_path], SMALL)
    vocabulary = load_isolated([tmp_path], SMALL, keep_going=True)
    assert vocabulary.files == (good,)
    assert [error.rule for error in vocabulary.refused] == ["syntax"]


def test_a_refusal_in_the_child_names_file_line_and_rule(tmp_path: Path) -> None:
    bomb = write(tmp_path / "bomb.rdf", entity_bomb())
    error = refusal([GLOSSARY, bomb])
    assert (error.rule, error.file, error.line, error.column) == ("dtd", bomb, 2, 1)
    assert str(error).startswith(f"{bomb}:2:1: dtd: ")


def test_a_file_that_needs_more_memory_than_allowed_is_refused(tmp_path: Path) -> None:
    # JSON that grows about 25-fold once parsed: 10 MB of empty objects.
    grows = write(tmp_path / "grows.jsonld", '{"@graph": [' + "{}," * 3_500_000 + "{}]}")
    error = refusal([GLOSSARY, grows])
    assert (error.rule, error.file) == ("memory-limit", grows)
    assert "256 MB" in error.message
    assert "load_max_memory_mb" in error.message


@pytest.mark.parametrize("signal_number", [signal.SIGABRT, signal.SIGKILL])
def test_a_child_killed_by_a_signal_is_a_memory_refusal(signal_number: int) -> None:
    # pyoxigraph abort()s when an allocation fails under RLIMIT_AS; the OOM killer kills.
    done = subprocess.CompletedProcess[bytes]([], -signal_number, b'{"file": "v.ttl"}\n', b"")
    error = isolation._failure(done, isolation._reports(done.stdout), SMALL)
    assert (error.rule, error.file) == ("memory-limit", Path("v.ttl"))


def test_a_child_that_fails_otherwise_says_how() -> None:
    done = subprocess.CompletedProcess[bytes]([], 2, b"", b"Traceback\nImportError: no api\n")
    error = isolation._failure(done, {}, SMALL)
    assert error.rule == "check-failed"
    assert error.message.endswith("(exit status 2): ImportError: no api")


def test_a_check_that_takes_too_long_is_stopped(tmp_path: Path) -> None:
    error = refusal([GLOSSARY], dataclasses.replace(SMALL, timeout=0.001))
    assert error.rule == "time-limit"
    assert "load_timeout" in error.message


def test_the_size_cap_applies_in_the_child(tmp_path: Path) -> None:
    file = write(tmp_path / "v.ttl", TURTLE)
    error = refusal([file], dataclasses.replace(SMALL, max_file_bytes=len(TURTLE) - 1))
    assert (error.rule, error.file) == ("too-large", file)


def test_a_file_changed_after_its_check_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = write(tmp_path / "v.ttl", TURTLE)
    checked = isolation.check_isolated

    def check_then_edit(files: list[Path], limits: LoadLimits) -> isolation.Checks:
        found = checked(files, limits)
        write(file, TURTLE + TURTLE.replace('"x"', '"y"'))
        return found

    monkeypatch.setattr(isolation, "check_isolated", check_then_edit)
    with pytest.raises(VocabularyError) as caught:
        load_isolated([file], SMALL)
    assert caught.value.rule == "changed"


def test_load_isolated_loads_what_passed(tmp_path: Path) -> None:
    vocabulary = load_isolated([GLOSSARY], SMALL)
    assert vocabulary.digest == load([GLOSSARY]).digest
    assert vocabulary.triple_count == load([GLOSSARY]).triple_count
