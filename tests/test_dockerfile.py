"""The Dockerfile's promises, checked without a Docker engine (none runs on these machines).

The fast tests read the Dockerfile, the lock files and tasks.py. The slow one does what the
two stages do: build the wheel, install the runtime lock and then the wheel into a fresh
virtualenv outside the source tree, start the image's ``CMD`` there and ask ``/health``,
then run the ``HEALTHCHECK`` command against it.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.support.server import free_port

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
RUNTIME_LOCK = ROOT / "requirements.lock"
TEST_LOCK = ROOT / "requirements-test.lock"


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    joined = text.replace("\\\n", " ")
    pairs = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


def exec_form(arguments: str) -> list[str]:
    """A JSON-array (exec form) argument list; exec form so signals reach the server."""
    argv = json.loads(arguments)
    assert isinstance(argv, list)
    assert all(isinstance(a, str) for a in argv)
    return argv


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return instructions(DOCKERFILE.read_text(encoding="utf-8"))


def last_stage(dockerfile: list[tuple[str, str]]) -> list[tuple[str, str]]:
    starts = [i for i, (keyword, _) in enumerate(dockerfile) if keyword == "FROM"]
    return dockerfile[starts[-1] :]


def the(dockerfile: list[tuple[str, str]], keyword: str) -> str:
    found = [rest for kw, rest in last_stage(dockerfile) if kw == keyword]
    assert len(found) == 1, f"the runtime stage needs exactly one {keyword}"
    return found[0]


def test_it_is_multi_stage_and_builds_the_wheel_in_the_builder(
    dockerfile: list[tuple[str, str]],
) -> None:
    stages = [rest for keyword, rest in dockerfile if keyword == "FROM"]
    assert len(stages) == 3
    assert stages[0].endswith("AS builder")
    assert stages[1].endswith("AS graphiql")
    assert any("build --wheel" in rest for kw, rest in dockerfile if kw == "RUN")
    assert any("--from=builder" in rest for kw, rest in last_stage(dockerfile) if kw == "COPY")
    # The runtime stage gets the wheel, GraphiQL's files and the runtime lock only, never the
    # source tree.
    copies = [rest for kw, rest in last_stage(dockerfile) if kw == "COPY"]
    assert all(
        rest.startswith(("--from=builder", "--from=graphiql"))
        or rest.split()[0] == RUNTIME_LOCK.name
        for rest in copies
    )


def test_the_image_serves_graphiql_from_files_fetched_at_build(
    dockerfile: list[tuple[str, str]],
) -> None:
    """GraphiQL's npm packages are fetched in a stage of their own from the pinned list, and
    the runtime points the graphiql_assets setting at them (issue 13: no CDN)."""
    starts = [i for i, (keyword, _) in enumerate(dockerfile) if keyword == "FROM"]
    stage = dockerfile[starts[1] : starts[2]]
    assert ("COPY", "api/graphql/graphiql-packages.txt /tmp/graphiql-packages.txt") in stage
    (fetch,) = [rest for kw, rest in stage if kw == "RUN"]
    assert "npm pack" in fetch
    assert "grep -v '^#' /tmp/graphiql-packages.txt" in fetch
    runtime = last_stage(dockerfile)
    assert ("COPY", "--from=graphiql /opt/graphiql /opt/graphiql") in runtime
    assert ("ENV", "GLOSSARY_GRAPHIQL_ASSETS=/opt/graphiql") in runtime


def test_the_runtime_installs_the_lock_then_the_wheel_alone(
    dockerfile: list[tuple[str, str]],
) -> None:
    runs = [rest for kw, rest in last_stage(dockerfile) if kw == "RUN"]
    (lock,) = [i for i, rest in enumerate(runs) if f"-r /tmp/{RUNTIME_LOCK.name}" in rest]
    assert "pip install --require-hashes -r" in runs[lock]
    (wheel,) = [i for i, rest in enumerate(runs) if ".whl" in rest]
    assert "pip install --no-deps /tmp/dist/*.whl" in runs[wheel]
    assert "pip check" in runs[wheel]
    assert lock < wheel
    copies = [rest for kw, rest in last_stage(dockerfile) if kw == "COPY"]
    assert f"{RUNTIME_LOCK.name} /tmp/{RUNTIME_LOCK.name}" in copies


def test_the_runtime_runs_as_a_non_root_user(dockerfile: list[tuple[str, str]]) -> None:
    user = the(dockerfile, "USER")
    assert user not in ("root", "0", "0:0")
    runs = [rest for kw, rest in last_stage(dockerfile) if kw == "RUN"]
    assert any("useradd" in rest and user in rest for rest in runs)


def test_the_image_warms_the_start_up_cache_as_the_user_it_runs_as(
    dockerfile: list[tuple[str, str]],
) -> None:
    runtime = last_stage(dockerfile)
    user = runtime.index(("USER", the(dockerfile, "USER")))
    assert runtime.index(("RUN", "glossary warm")) > user  # else root would own the cache


def test_the_command_serves_on_all_interfaces(dockerfile: list[tuple[str, str]]) -> None:
    argv = exec_form(the(dockerfile, "CMD"))
    assert argv == ["glossary", "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert the(dockerfile, "EXPOSE") == "8000"


def test_the_healthcheck_asks_health_with_the_standard_library(
    dockerfile: list[tuple[str, str]],
) -> None:
    options, _, command = the(dockerfile, "HEALTHCHECK").partition("CMD ")
    assert "--interval=" in options
    assert "--timeout=" in options
    argv = exec_form(command)
    assert argv[:2] == ["python", "-c"]
    assert "urllib.request" in argv[2]
    assert "/health" in argv[2]


def test_dockerignore_keeps_the_build_context_to_what_the_wheel_needs() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert lines[lines.index("*")] == "*"
    kept = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert kept == {
        "pyproject.toml",
        "README.md",
        "api",
        "vocab",
        "schema",
        "openapi",
        RUNTIME_LOCK.name,
    }


# The lock files ------------------------------------------------------------------------


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(specifiers: list[str]) -> set[str]:
    """The distribution names in pyproject requirement strings (extras and bounds dropped)."""
    names = set()
    for spec in specifiers:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", spec)
        assert match is not None, spec
        names.add(normalise(match.group()))
    return names


def pins(lock: Path) -> dict[str, str]:
    """Name -> version for each requirement in a lock, checking each is pinned and hashed."""
    pinned = {}
    text = lock.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        requirement = line.split("#", 1)[0].strip()
        if not requirement:
            continue
        match = re.fullmatch(
            r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)(\s+--hash=sha256:[0-9a-f]{64})+", requirement
        )
        assert match is not None, f"{lock.name}: not pinned with hashes: {requirement}"
        pinned[normalise(match.group(1))] = match.group(2)
    return pinned


@pytest.fixture(scope="module")
def project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        table = tomllib.load(file)["project"]
    assert isinstance(table, dict)
    return table


def test_the_locks_pin_every_declared_dependency(project: dict[str, object]) -> None:
    runtime = project["dependencies"]
    extras = project["optional-dependencies"]
    assert isinstance(runtime, list)
    assert isinstance(extras, dict)
    runtime_pins, test_pins = pins(RUNTIME_LOCK), pins(TEST_LOCK)
    assert requirement_names(runtime) - set(runtime_pins) == set()
    assert requirement_names(runtime + extras["test"]) - set(test_pins) == set()
    # The test lock constrains the runtime one: the versions they share are the same.
    assert {name: test_pins.get(name) for name in runtime_pins} == runtime_pins


def test_the_locks_say_what_they_are_pinned_for_and_how_to_remake_them() -> None:
    for lock in (RUNTIME_LOCK, TEST_LOCK):
        lines = lock.read_text(encoding="utf-8").splitlines()
        header = "\n".join(itertools.takewhile(lambda line: line.startswith("#"), lines))
        assert "CPython 3.11 on Linux x86_64" in header
        assert "python3 tasks.py lock" in header


def load_tasks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("glossary_tasks", ROOT / "tasks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tasks_installs_the_lock_then_the_project_without_dependencies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tasks = load_tasks()
    assert tasks.LOCKS == {"": RUNTIME_LOCK, "[test]": TEST_LOCK}
    assert "tasks.py test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # A .venv that exists, and a copy of the locks we may change; commands are recorded.
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    locks = {extras: tmp_path / lock.name for extras, lock in tasks.LOCKS.items()}
    for extras, lock in tasks.LOCKS.items():
        shutil.copy(lock, locks[extras])
    commands: list[list[str]] = []
    monkeypatch.setattr(tasks, "VENV", venv)
    monkeypatch.setattr(tasks, "BIN", venv / "bin")
    monkeypatch.setattr(tasks, "LOCKS", locks)
    monkeypatch.setattr(tasks, "run", lambda *argv, **_: commands.append([str(a) for a in argv]))
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]

    tasks.ensure_venv("[test]")
    assert commands[1:] == [
        [*pip, "--require-hashes", "-r", str(locks["[test]"])],
        [*pip, "--no-deps", "-e", "."],
    ]
    commands.clear()
    tasks.ensure_venv("[test]")
    tasks.ensure_venv("")  # the test lock holds the runtime lock's pins
    assert commands == []
    # A changed lock reinstalls.
    with locks[""].open("a", encoding="utf-8") as lock:
        lock.write("# changed\n")
    tasks.ensure_venv("")
    assert commands[1:] == [
        [*pip, "--require-hashes", "-r", str(locks[""])],
        [*pip, "--no-deps", "-e", "."],
    ]


# The slow end-to-end run -------------------------------------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("engagement_glossary-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A fresh virtualenv with the runtime lock and the wheel, outside the source tree."""
    home = tmp_path_factory.mktemp("image")
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True, timeout=120)
    pip = [str(home / "venv" / "bin" / "python"), "-m", "pip"]
    for argv in (
        ["install", "--quiet", "--require-hashes", "-r", str(RUNTIME_LOCK)],
        ["install", "--quiet", "--no-deps", str(wheel)],
        ["check"],
    ):
        subprocess.run([*pip, *argv], check=True, timeout=900)
    return home


def clean_environment() -> dict[str, str]:
    """The environment without our settings or paths that could point into the source tree."""
    drop = ("GLOSSARY_", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


@pytest.fixture(scope="module")
def image_server(venv: Path, dockerfile: list[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    """The Dockerfile's CMD, run from the virtualenv on a free loopback port."""
    port = str(free_port())
    argv = exec_form(the(dockerfile, "CMD"))
    argv[0] = str(venv / "venv" / "bin" / argv[0])
    # Same command; only loopback and a free port, since this is not a container.
    argv = [{"0.0.0.0": "127.0.0.1", "8000": port}.get(a, a) for a in argv]
    process = subprocess.Popen(
        argv, cwd=venv, env=clean_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, process)
        yield base, argv
    finally:
        process.terminate()
        process.wait(timeout=15)
        if process.stdout is not None:
            process.stdout.close()


def wait_for(base: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise AssertionError(f"the image's CMD exited with {process.returncode}:\n{output}")
        try:
            httpx.get(base + "/health", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered at {base} within {timeout} s")


@pytest.mark.slow
def test_the_wheel_carries_the_vocabulary_schema_and_openapi(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "api/_data/vocab/glossary.ttl" in names
    assert "api/_data/openapi/openapi.yaml" in names
    assert any(n.startswith("api/_data/schema/") for n in names)
    assert "api/py.typed" in names
    assert not any(n.startswith("tests/") for n in names)


@pytest.mark.slow
@pytest.mark.server
def test_the_installed_wheel_serves_health_and_the_glossary(
    image_server: tuple[str, list[str]], venv: Path
) -> None:
    base, _ = image_server
    health = httpx.get(base + "/health", timeout=5)
    assert health.status_code == 200
    body = health.json()
    assert body["files"] == ["glossary.ttl"]  # the packaged copy, by name only
    assert body["counts"]["concepts"] > 50
    assert str(ROOT) not in health.text
    assert str(venv) not in health.text
    concept = httpx.get(base + "/concepts/consultation", timeout=5)
    assert concept.json()["prefLabel"]["value"] == "consultation"
    spec = httpx.get(base + "/openapi.json", timeout=5)
    assert spec.json()["openapi"].startswith("3.1")


@pytest.mark.slow
@pytest.mark.server
def test_the_healthcheck_command_passes_against_the_running_server(
    image_server: tuple[str, list[str]], venv: Path, dockerfile: list[tuple[str, str]]
) -> None:
    base, _ = image_server
    port = base.rsplit(":", 1)[1]
    argv = exec_form(the(dockerfile, "HEALTHCHECK").partition("CMD ")[2])
    argv[0] = str(venv / "venv" / "bin" / argv[0])
    argv[2] = argv[2].replace(":8000/", f":{port}/")
    result = subprocess.run(argv, cwd=venv, env=clean_environment(), timeout=10, check=False)
    assert result.returncode == 0
