"""Settings: environment parsing, validation, and the README documenting every one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.settings import ENV_PREFIX, Settings, SettingsError, default_vocab_path

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_serve_the_shipped_glossary() -> None:
    settings = Settings.from_env({})
    assert settings.vocab == (default_vocab_path(),)
    assert (default_vocab_path() / "glossary.ttl").is_file()


def test_environment_overrides_defaults() -> None:
    settings = Settings.from_env(
        {
            "GLOSSARY_CACHE_MAX_AGE": "5",
            "GLOSSARY_VOCAB": "a.ttl:b",
            "GLOSSARY_SPARQL_TIMEOUT": "1.5",
        }
    )
    assert settings.cache_max_age == 5
    assert settings.vocab == (Path("a.ttl"), Path("b"))
    assert settings.sparql_timeout == 1.5


def test_public_base_url_gets_a_trailing_slash() -> None:
    settings = Settings.from_env({"GLOSSARY_PUBLIC_BASE_URL": "https://example.org/v"})
    assert settings.public_base_url == "https://example.org/v/"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GLOSSARY_MAX_PAGE_SIZE", "0"),
        ("GLOSSARY_CACHE_MAX_AGE", "soon"),
        ("GLOSSARY_PAGE_SIZE", "-1"),
    ],
)
def test_invalid_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({})
    with pytest.raises(ValueError, match="frozen"):
        settings.cache_max_age = 1  # type: ignore[misc]


def test_round_trip_through_the_environment() -> None:
    settings = Settings.from_env({}, public_base_url="https://example.org/", cache_max_age=7)
    assert Settings.from_env(settings.to_env()) == settings


def test_every_setting_has_a_description_and_a_readme_row() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(GLOSSARY_[A-Z_]+)`", readme))
    fields = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    assert documented == fields
    for name, field in Settings.model_fields.items():
        assert field.description, name


#: Settings that are not limits, so docs/security.md need not list them.
NOT_LIMITS = {"vocab", "cache_max_age", "page_size", "watch_interval", "graphiql_assets"}


def test_every_limit_is_in_the_security_guide_and_every_name_there_is_a_setting() -> None:
    guide = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(GLOSSARY_[A-Z_]+)`", guide))
    fields = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    limits = {ENV_PREFIX + name.upper() for name in Settings.model_fields if name not in NOT_LIMITS}
    assert named <= fields
    assert limits <= named


def test_only_from_env_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLOSSARY_PAGE_SIZE", "7")
    assert Settings().page_size == 20
    assert Settings(cache_max_age=1).page_size == 20
    assert Settings.from_env().page_size == 7
    assert Settings.from_env({}).page_size == 20  # a given mapping stands for the environment


def test_overrides_beat_the_environment_and_none_is_no_override() -> None:
    env = {"GLOSSARY_PAGE_SIZE": "7", "GLOSSARY_VOCAB": "a.ttl"}
    settings = Settings.from_env(env, page_size=9, vocab=None)
    assert settings.page_size == 9
    assert settings.vocab == (Path("a.ttl"),)


def test_vocab_is_a_path_list_not_json() -> None:
    assert Settings.from_env({"GLOSSARY_VOCAB": '["a"]'}).vocab == (Path('["a"]'),)
    with pytest.raises(ValueError, match="vocab"):
        Settings(vocab="a.ttl")  # type: ignore[arg-type]
