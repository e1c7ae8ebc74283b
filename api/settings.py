"""The service's settings: one frozen, typed object, read from ``GLOSSARY_*`` variables.

Built by the app factory or the CLI, never at import, so tests can pass their own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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


class Settings(BaseModel):
    """Everything a deployment can set; each field is ``GLOSSARY_<NAME>`` in the environment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

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
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``GLOSSARY_*`` variables, then ``overrides``; a clear error if invalid."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is not None:
                values[name] = (
                    tuple(Path(p) for p in raw.split(os.pathsep)) if name == "vocab" else raw
                )
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


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        name = ENV_PREFIX + str(item["loc"][0]).upper() if item["loc"] else "settings"
        parts.append(f"{name}: {item['msg']}")
    return "; ".join(parts)
