"""The service's settings: one frozen, typed object, read from ``GLOSSARY_*`` variables.

Built by the app factory or the CLI, never at import, so tests can pass their own. A
pydantic-settings ``BaseSettings``, but only ``Settings.from_env()`` reads the environment:
``Settings(...)`` takes its arguments and the defaults, whatever variables are set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

ENV_PREFIX = "GLOSSARY_"


def default_vocab_path() -> Path:
    """The shipped glossary: packaged data in a wheel, ``vocab/`` in a source checkout."""
    package = Path(__file__).resolve().parent
    packaged = package / "_data" / "vocab"
    return packaged if packaged.is_dir() else package.parent / "vocab"


def data_path(name: str) -> Path:
    """A shipped data folder (``schema``, ``openapi``) in a wheel or a source checkout."""
    package = Path(__file__).resolve().parent
    packaged = package / "_data" / name
    return packaged if packaged.is_dir() else package.parent / name


class SettingsError(ValueError):
    """A setting from the environment has a value that cannot be used."""


class Settings(BaseSettings):
    """Everything a deployment can set; each field is ``GLOSSARY_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    vocab: tuple[Path, ...] = Field(
        default_factory=lambda: (default_vocab_path(),),
        description="Vocabulary files or folders to serve (several: separate with ':').",
    )
    public_base_url: str | None = Field(
        default=None,
        description=(
            "The service's public base URL, e.g. https://w3id.org/engagement-glossary/. "
            "When it equals a vocabulary's IRI namespace, IRIs resolve to their own paths."
        ),
    )
    cache_max_age: int = Field(
        default=3600, ge=0, description="Seconds in Cache-Control: public, max-age for GETs."
    )
    page_size: int = Field(default=20, ge=1, le=100, description="Default page size of lists.")
    max_page_size: int = Field(
        default=100, ge=1, le=1000, description="Largest `limit` / `first` a client may ask for."
    )
    max_search_results: int = Field(
        default=50, ge=1, le=500, description="Largest `limit` for /search."
    )
    sparql_timeout: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description="Seconds a SPARQL query may run before it is stopped.",
    )
    sparql_max_rows: int = Field(
        default=10_000, ge=1, description="Most result rows (or triples) a SPARQL query returns."
    )
    graphql_max_depth: int = Field(
        default=10, ge=1, le=100, description="Deepest GraphQL selection nesting accepted."
    )
    graphql_max_aliases: int = Field(
        default=30, ge=1, le=1000, description="Most aliases in one GraphQL document."
    )
    graphql_max_tokens: int = Field(
        default=5000, ge=10, description="Most lexical tokens in one GraphQL document."
    )
    max_transitive: int = Field(
        default=200, ge=1, description="Most concepts a transitive broader/narrower list returns."
    )
    annotate_max_chars: int = Field(
        default=100_000, ge=1, description="Longest text /annotate accepts, in characters."
    )
    watch_interval: float = Field(
        default=0.0,
        ge=0,
        description=(
            "Seconds between checks of the vocabulary files for changes (0: never). A changed "
            "file that fails to load is refused and the service keeps serving what it had."
        ),
    )

    @field_validator("public_base_url")
    @classmethod
    def _base_ends_with_slash(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        return value if value.endswith("/") else value + "/"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The arguments alone: no variables, ``.env`` or secrets files (see ``from_env``)."""
        return (init_settings,)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``GLOSSARY_*`` variables, then ``overrides``; a clear error if invalid.

        ``environ`` stands for ``os.environ``; an override of ``None`` is no override.
        """
        values = _Environment(cls, os.environ if environ is None else environ)()
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**values)
        except ValidationError as error:
            raise SettingsError(_describe(error)) from None

    def to_env(self) -> dict[str, str]:
        """The environment that recreates these settings (for uvicorn worker processes)."""
        env: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if value is None:
                continue
            text = os.pathsep.join(str(p) for p in value) if name == "vocab" else str(value)
            env[ENV_PREFIX + name.upper()] = text
        return env


class _Environment(EnvSettingsSource):
    """pydantic-settings' reading of ``GLOSSARY_*`` variables (names in any case), from
    ``environ`` rather than always ``os.environ``, with ``GLOSSARY_VOCAB`` a ':'-separated list
    (``os.pathsep``) where pydantic-settings would expect JSON."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self.environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        # The hook pydantic-settings' own dotenv source overrides to read somewhere else.
        return parse_env_vars(
            self.environ, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str
        )

    def prepare_field_value(
        self, field_name: str, field: FieldInfo, value: Any, value_is_complex: bool
    ) -> Any:
        if field_name == "vocab" and isinstance(value, str):
            return tuple(Path(p) for p in value.split(os.pathsep))
        return super().prepare_field_value(field_name, field, value, value_is_complex)


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        name = ENV_PREFIX + str(item["loc"][0]).upper() if item["loc"] else "settings"
        parts.append(f"{name}: {item['msg']}")
    return "; ".join(parts)
