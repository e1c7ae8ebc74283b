"""A warm start from the start-up cache answers exactly what a cold one does, and an entry
that is stale, damaged or not ours is refused with a progress line while the load goes on."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from api.build import cache
from api.build.files import VocabularyError
from api.build.isolation import LoadLimits
from api.runtime.reload import Reloader
from api.runtime.serving import Runtime
from api.runtime.snapshot import Snapshot, load_snapshot
from api.settings import Settings
from api.sparql.pool import SharedStore
from tests.data import synthetic
from tests.support.apps import running_app

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "vocab"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def vocabulary(tmp_path: Path) -> Path:
    """A 60-concept vocabulary beside a file that cannot be read (left out, a problem)."""
    files = tmp_path / "files"
    files.mkdir()
    synthetic.write(files / "v.ttl", 60)
    shutil.copy(ROOT / "tests/data/bad/syntax.ttl", files / "broken.ttl")
    return files


class Lines(list[str]):
    """The progress lines of one load."""

    def __call__(self, line: str) -> None:
        self.append(line)

    def said(self, words: str) -> bool:
        return any(words in line for line in self)


def cold_then_warm(paths: list[Path], folder: Path) -> tuple[Snapshot, Snapshot, Lines]:
    limits = LoadLimits(cache_dir=folder)
    cold = load_snapshot(paths, limits=limits)
    cold.wait_for_cache()
    lines = Lines()
    return cold, load_snapshot(paths, lines, limits=limits), lines


def entry_of(folder: Path) -> Path:
    (entry,) = (path for path in folder.iterdir() if not path.name.startswith("."))
    return entry


def test_a_warm_start_reads_no_file_and_answers_what_a_cold_one_did(
    vocabulary: Path, folder: Path
) -> None:
    cold, warm, lines = cold_then_warm([vocabulary], folder)
    assert lines.said("read model and store read from")
    assert not lines.said("checking")
    assert not lines.said("reading")
    assert warm.digest == cold.digest
    assert dict(warm.index.concepts) == dict(cold.index.concepts)
    assert warm.index.schemes == cold.index.schemes
    assert warm.problems.all == cold.problems.all
    assert warm.problems.by_vocabulary == cold.problems.by_vocabulary
    assert warm.problems.located() == cold.problems.located()
    assert [str(e) for e in warm.vocabulary.refused] == [str(e) for e in cold.vocabulary.refused]
    assert warm.vocabulary.refused[0].rule == "syntax"
    assert warm.vocabulary.files == cold.vocabulary.files
    assert warm.vocabulary.triple_count == cold.vocabulary.triple_count
    query = "label 1"
    assert warm.index.search(query) == cold.index.search(query)


def test_the_warm_store_is_the_same_triples_on_disk(vocabulary: Path, folder: Path) -> None:
    cold, warm, _ = cold_then_warm([vocabulary], folder)
    assert cold.vocabulary.store_path is None
    assert warm.vocabulary.store_path == entry_of(folder) / "store"
    assert set(warm.store) == set(cold.store)


def test_an_edited_file_misses_and_its_load_is_kept_too(vocabulary: Path, folder: Path) -> None:
    cold, _, _ = cold_then_warm([vocabulary], folder)
    synthetic.write(vocabulary / "v.ttl", 61)
    lines = Lines()
    edited = load_snapshot([vocabulary], lines, limits=LoadLimits(cache_dir=folder))
    edited.wait_for_cache()
    assert lines.said("no entry for these files")
    assert lines.said("checking")
    assert edited.index.concept_count == 61
    assert edited.digest != cold.digest
    assert len([p for p in folder.iterdir() if not p.name.startswith(".")]) == cache.KEEP


def test_a_file_changed_while_loading_is_not_kept(vocabulary: Path, folder: Path) -> None:
    file = vocabulary / "v.ttl"
    keyed = file.read_bytes()

    class EditedOnce(Lines):
        """Changes the file on the load's first line: after the key was made from its bytes,
        before the check and the parse read them."""

        def __call__(self, line: str) -> None:
            if not self:
                synthetic.write(file, 61)
            super().__call__(line)

    lines = EditedOnce()
    changed = load_snapshot([vocabulary], lines, limits=LoadLimits(cache_dir=folder))
    changed.wait_for_cache()
    assert changed.index.concept_count == 61
    assert lines.said("not written: the files changed while they were loaded")
    # Back to the bytes the key was made from: their start must not get 61 concepts.
    file.write_bytes(keyed)
    again = Lines()
    restored = load_snapshot([vocabulary], again, limits=LoadLimits(cache_dir=folder))
    assert again.said("no entry for these files")
    assert restored.index.concept_count == 60


def test_a_setting_that_shapes_the_load_misses(vocabulary: Path, folder: Path) -> None:
    cold_then_warm([vocabulary], folder)
    lines = Lines()
    limits = LoadLimits(cache_dir=folder, default_language="fr")
    load_snapshot([vocabulary], lines, limits=limits)
    assert lines.said("no entry for these files")


def test_a_change_of_the_code_misses(tmp_path: Path) -> None:
    copy = tmp_path / "api"
    for name in ("build", "model.py", "languages.py", "namespaces.py"):
        source = ROOT / "api" / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        else:
            shutil.copy(source, copy / name)
    before = cache.code_version(copy)
    assert before == cache.code_version(ROOT / "api")
    model = copy / "model.py"
    model.write_text(model.read_text().replace("    value: str\n", "    value: str | None\n"))
    assert cache.code_version(copy) != before


def test_the_code_version_is_in_the_key(vocabulary: Path, folder: Path) -> None:
    settings = LoadLimits().affecting_the_load()
    one = cache.entry_for(folder, [vocabulary], settings, code="one")
    other = cache.entry_for(folder, [vocabulary], settings, code="other")
    assert one.source == other.source
    assert one.key != other.key


def damage_truncate(entry: Path) -> None:
    pickled = entry / "read-model.pickle"
    pickled.write_bytes(pickled.read_bytes()[:1000])


def damage_flip(entry: Path) -> None:
    pickled = entry / "read-model.pickle"
    data = bytearray(pickled.read_bytes())
    data[len(data) // 2] ^= 0xFF
    pickled.write_bytes(bytes(data))


def damage_description(entry: Path) -> None:
    (entry / "entry.json").write_text("{not json")


def damage_group_writable(entry: Path) -> None:
    (entry / "read-model.pickle").chmod(0o620)


def damage_world_writable_folder(entry: Path) -> None:
    entry.parent.chmod(0o707)


def damage_link(entry: Path) -> None:
    pickled = entry / "read-model.pickle"
    pickled.rename(entry / "elsewhere")
    pickled.symlink_to(entry / "elsewhere")


def damage_store(entry: Path) -> None:
    shutil.rmtree(entry / "store")
    (entry / "store").mkdir(mode=0o700)


DAMAGE = {
    "truncated": (damage_truncate, "cut short or corrupt"),
    "corrupt": (damage_flip, "cut short or corrupt"),
    "description": (damage_description, "description cannot be read"),
    "group-writable file": (damage_group_writable, "written by group or others"),
    "world-writable folder": (damage_world_writable_folder, "written by group or others"),
    "symbolic link": (damage_link, "symbolic link"),
    "store": (damage_store, "store cannot be opened"),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_entry_is_refused_and_the_load_goes_on(
    damage: str, vocabulary: Path, folder: Path
) -> None:
    cold, _, _ = cold_then_warm([vocabulary], folder)
    spoil, why = DAMAGE[damage]
    spoil(entry_of(folder))
    lines = Lines()
    again = load_snapshot([vocabulary], lines, limits=LoadLimits(cache_dir=folder))
    assert lines.said("not used"), lines
    assert lines.said(why), lines
    assert lines.said("checking")  # loaded cold instead
    assert dict(again.index.concepts) == dict(cold.index.concepts)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_an_entry_owned_by_another_user_is_refused(vocabulary: Path, folder: Path) -> None:
    cold_then_warm([vocabulary], folder)
    os.chown(entry_of(folder) / "read-model.pickle", 12345, 12345)
    lines = Lines()
    load_snapshot([vocabulary], lines, limits=LoadLimits(cache_dir=folder))
    assert lines.said("owned by another user (uid 12345)"), lines


def test_a_foreign_entry_is_refused(vocabulary: Path, tmp_path: Path, folder: Path) -> None:
    """Another vocabulary's entry renamed to this one's name: its key is not ours."""
    other = tmp_path / "other"
    other.mkdir()
    synthetic.write(other / "o.ttl", 5)
    cold_then_warm([other], folder)
    foreign = entry_of(folder)
    settings = LoadLimits(cache_dir=folder).affecting_the_load()
    foreign.rename(cache.entry_for(folder, [vocabulary], settings).path)
    lines = Lines()
    loaded = load_snapshot([vocabulary], lines, limits=LoadLimits(cache_dir=folder))
    assert lines.said("written for other files"), lines
    assert loaded.index.concept_count == 60


def test_a_cache_folder_of_another_user_is_not_written(vocabulary: Path, folder: Path) -> None:
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    lines = Lines()
    snapshot = load_snapshot([vocabulary], lines, limits=LoadLimits(cache_dir=folder))
    snapshot.wait_for_cache()
    assert lines.said("not written"), lines
    assert list(folder.iterdir()) == []


def test_the_cache_folder_is_made_private(vocabulary: Path, folder: Path) -> None:
    cold_then_warm([vocabulary], folder)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (entry_of(folder) / "read-model.pickle").stat().st_mode & 0o077 == 0


def test_off_writes_nothing(vocabulary: Path, tmp_path: Path) -> None:
    assert Settings(cache_dir="off").cache_folder() is None
    limits = LoadLimits.from_settings(Settings(cache_dir="off"))
    home = Path(os.environ["XDG_CACHE_HOME"]) / "glossary"
    before = set(home.iterdir()) if home.exists() else set()
    load_snapshot([vocabulary], limits=limits).wait_for_cache()
    assert (set(home.iterdir()) if home.exists() else set()) == before


def test_auto_is_the_xdg_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert Settings().cache_folder() == tmp_path / "glossary"
    assert Settings(cache_dir="/srv/cache").cache_folder() == Path("/srv/cache")


def test_a_strict_load_that_fails_is_not_kept(vocabulary: Path, folder: Path) -> None:
    with pytest.raises(VocabularyError):
        load_snapshot([vocabulary], limits=LoadLimits(cache_dir=folder, strict=True))
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_new_failure_on_reload_refuses_a_warm_load_too(tmp_path: Path, folder: Path) -> None:
    """The rule a reload keeps (a file failing that did not before refuses the new version)
    holds when the new version comes from the cache."""
    files = tmp_path / "files"
    files.mkdir()
    synthetic.write(files / "v.ttl", 60)
    served = load_snapshot([files], limits=LoadLimits(cache_dir=folder))
    shutil.copy(ROOT / "tests/data/bad/syntax.ttl", files / "broken.ttl")
    load_snapshot([files], limits=LoadLimits(cache_dir=folder)).wait_for_cache()
    with pytest.raises(VocabularyError):
        load_snapshot([files], limits=LoadLimits(cache_dir=folder), previous=served)


async def test_reload_swaps_in_a_version_from_the_cache(tmp_path: Path, folder: Path) -> None:
    files = tmp_path / "files"
    files.mkdir()
    synthetic.write(files / "v.ttl", 60)
    limits = LoadLimits(cache_dir=folder)
    first = load_snapshot([files], limits=limits)
    first.wait_for_cache()
    runtime = Runtime(first)
    reloader = Reloader(runtime, [files], limits, max_shrink=0.5)
    synthetic.write(files / "v.ttl", 70)
    await reloader.reload()
    assert runtime.snapshot.index.concept_count == 70
    runtime.snapshot.wait_for_cache()
    synthetic.write(files / "v.ttl", 60)  # back to the first version: in the cache
    await reloader.reload()
    assert runtime.snapshot.digest == first.digest
    assert runtime.snapshot.vocabulary.store_path is not None
    assert dict(runtime.snapshot.index.concepts) == dict(first.index.concepts)


@pytest.fixture
def glossary_folder(tmp_path: Path) -> Path:
    return tmp_path / "glossary-cache"


def test_the_glossary_warm_is_the_glossary_cold(glossary_folder: Path) -> None:
    cold, warm, lines = cold_then_warm([GLOSSARY], glossary_folder)
    assert lines.said("read model and store read from")
    assert warm.digest == cold.digest
    assert dict(warm.index.concepts) == dict(cold.index.concepts)
    assert warm.index.collections == cold.index.collections
    assert set(warm.store) == set(cold.store)


async def answers(settings: Settings) -> tuple[dict[str, tuple[int, bytes]], str | None]:
    """Every concept's JSON and Turtle, and a SPARQL count, from an app of ``settings``."""
    async with running_app(settings) as running:
        snapshot = running.runtime.snapshot
        seen = {}
        for id in snapshot.index.concepts:
            for suffix in ("", ".ttl", ".jsonld"):
                response = await running.client.get(f"/concepts/{id}{suffix}")
                seen[id + suffix] = (response.status_code, response.content)
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        sparql = await running.client.get("/sparql", params={"query": query})
        seen["sparql"] = (sparql.status_code, sparql.content)
        snapshot.wait_for_cache()
        path = snapshot.vocabulary.store_path
    return seen, None if path is None else str(path)


@pytest.mark.parametrize("files", ["synthetic", "glossary"])
async def test_a_warm_app_answers_every_concept_as_a_cold_one(
    files: str, vocabulary: Path, folder: Path
) -> None:
    paths = (vocabulary,) if files == "synthetic" else (GLOSSARY,)
    settings = Settings(vocab=paths, cache_dir=str(folder))
    cold, cold_store = await answers(settings)
    warm, warm_store = await answers(settings)
    assert cold_store is None
    assert warm_store is not None
    assert len(cold) > 60
    assert all(status == 200 for status, _ in cold.values())
    assert warm == cold


def test_sparql_workers_share_the_store_the_cache_wrote(vocabulary: Path, folder: Path) -> None:
    """After a cold load the pool waits for the cache's store instead of writing its own;
    closing the pool leaves the cache's store in place."""
    cold = load_snapshot([vocabulary], limits=LoadLimits(cache_dir=folder))
    shared = SharedStore(cold.store, cold.store_on_disk)
    assert shared.path() == entry_of(folder) / "store"
    shared.remove()
    assert (entry_of(folder) / "store").is_dir()
    assert SharedStore(cold.store, cold.store_on_disk).path() == entry_of(folder) / "store"


def test_without_a_cache_the_workers_write_a_store_of_their_own(vocabulary: Path) -> None:
    snapshot = load_snapshot([vocabulary], limits=LoadLimits())
    assert snapshot.store_on_disk() is None
    shared = SharedStore(snapshot.store, snapshot.store_on_disk)
    try:
        assert shared.path().parent.name.startswith("glossary-sparql-")
    finally:
        shared.remove()
