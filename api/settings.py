"""The service's settings: one frozen, typed object, read from ``GLOSSARY_*`` variables.

Built by the app factory or the CLI, never at import, so tests can pass their own. A
pydantic-settings ``BaseSettings``, but only ``Settings.from_env()`` reads the environment:
``Settings(...)`` takes its arguments and the defaults, whatever variables are set.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

ENV_PREFIX = "GLOSSARY_"
#: Settings that are lists of names, written ``a,b`` in the environment.
COMMA_LISTS = frozenset(
    (
        "allowed_hosts",
        "trusted_proxies",
        "rate_limit_exempt",
        "metrics_allow",
        "source_graphs",
        "mcp_allowed_origins",
    )
)


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
    default_language: str = Field(
        default="",
        pattern=r"^(?:[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)?$",
        description=(
            "The language (a BCP 47 tag, e.g. en or cy) labels are shown in when a request "
            "names none, for every vocabulary; empty: each scheme's dct:language, else the "
            "language most of its preferred labels use (docs/vocabulary.md)."
        ),
    )
    public_base_url: str | None = Field(
        default=None,
        description=(
            "The service's public base URL, e.g. https://w3id.org/engagement-glossary/. "
            "When it equals a vocabulary's IRI namespace, IRIs resolve to their own paths."
        ),
    )
    site_title: str | None = Field(
        default=None,
        max_length=200,
        description=(
            "The site's name on every page and in oEmbed; by default the only scheme's "
            "dct:title, or how many vocabularies are served."
        ),
    )
    site_publisher: str | None = Field(
        default=None,
        max_length=200,
        description="Who publishes the site (page footers); by default the schemes' dct:publisher.",
    )
    site_feedback: str | None = Field(
        default=None,
        max_length=300,
        pattern=r"^(?:https?://\S+|[^\s@:/]+@[^\s@/]+)$",
        description=(
            "Where readers send feedback: an email address or an http(s) URL, linked from "
            "every page's footer; unset: no feedback link is shown."
        ),
    )
    site_accessibility_contact: str | None = Field(
        default=None,
        max_length=300,
        pattern=r"^(?:https?://\S+|[^\s@:/]+@[^\s@/]+)$",
        description=(
            "Where readers report accessibility problems (the accessibility statement): an "
            "email address or an http(s) URL; unset: the feedback setting, else none."
        ),
    )
    site_accessibility_reviewed: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description=(
            "The date (YYYY-MM-DD) the accessibility statement was last reviewed, as the "
            "statement says; unset: the statement gives no date."
        ),
    )
    cache_max_age: int = Field(
        default=3600, ge=0, description="Seconds in Cache-Control: public, max-age for GETs."
    )
    cache_mb: int = Field(
        default=64,
        ge=1,
        le=65536,
        description="Megabytes of answers each in-memory cache (prepared REST and RDF "
        "representations, rendered JSON, GraphQL, SPARQL and reconciliation answers) may "
        "hold, per snapshot; with --workers N each worker holds 1/N of every cache, so "
        "that the service's caches together hold what one process's would.",
    )
    front_replays: int = Field(
        default=16384,
        ge=0,
        le=1_048_576,
        description="Whole answers (status, headers, body as sent) replayed in front of the "
        "router and middleware to a GET or HEAD asked again with the same URL, Host, Accept, "
        "Accept-Language, Accept-Encoding and Origin and no other header that could change "
        "the answer (docs/architecture.md), per snapshot, within cache_mb; 0: none (every "
        "request goes through the whole stack); with --workers N, 1/N in each worker.",
    )
    access_log: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="The share of requests logged, a line each (`glossary serve`): false or 0 "
        "none, true or 1 every one, 0.01 one in a hundred, chosen at random. uvicorn's access "
        "log cost about 60 us a request, as much as a cached answer (docs/benchmarks.md), so "
        "it is off by default, as in gunicorn: the proxy or CDN in front usually logs requests.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="How `glossary serve` writes its log: lines of text, or one JSON object "
        "a line (time, level, logger, message, and a request's fields in the access log).",
    )
    metrics: bool = Field(
        default=True,
        description="Whether requests are counted and timed and GET /metrics answers "
        "Prometheus' text format (docs/deployment.md); false: neither, at no cost a request.",
    )
    metrics_allow: tuple[str, ...] = Field(
        default=("127.0.0.0/8", "::1", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"),
        description="Addresses or networks that may read /metrics (several: separate with "
        "','); others get a 404. By default this machine and private networks, where a "
        "Prometheus server scrapes from.",
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
    sparql_max_bytes: int = Field(
        default=10_000_000,
        ge=1000,
        description="Most bytes of one SPARQL answer; it is cut at the last whole row that fits.",
    )
    sparql_worker_memory_mb: int = Field(
        default=1024,
        ge=0,
        description=(
            "Memory (address space, MiB) of each SPARQL worker process, its copy of the data "
            "included (a worker holding 100,000 concepts peaks at ~750 MiB while loading); a "
            "query that needs more is stopped (0: no limit)."
        ),
    )
    sparql_client_queries: int = Field(
        default=1,
        ge=1,
        description=(
            "SPARQL queries one client (address) may have running or waiting at once; "
            "more get a 429."
        ),
    )
    rate_limit_per_second: float = Field(
        default=10.0,
        ge=0,
        description=(
            "Requests per second one client (address) may make to /sparql, /search, "
            "/annotate, /graphql, /reconcile, /mcp and Skosmos search (/rest/v1/.../search), "
            "on average; more get a 429 (0: no limit)."
        ),
    )
    rate_limit_burst: int = Field(
        default=50,
        ge=1,
        description="Requests one client may make at once to those routes before the rate applies.",
    )
    rate_limit_clients: int = Field(
        default=10_000,
        ge=1,
        description=(
            "Clients whose request rate is remembered; the least recently seen are forgotten."
        ),
    )
    rate_limit_exempt: tuple[str, ...] = Field(
        default=("127.0.0.1", "::1"),
        description=(
            "Addresses or networks never limited per client (several: separate with ','): "
            "by default this machine, such as a reverse proxy whose clients all share its address."
        ),
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
        default=200,
        ge=1,
        description=(
            "Most concepts a transitive answer returns: a transitive broader/narrower list, "
            "or all the paths of a hierarchy together."
        ),
    )
    dump_builds: int = Field(
        default=1,
        ge=1,
        description=(
            "Most different dumps made at the same time (each holds its whole graph in memory "
            "while it is made, once per vocabulary version); the others wait."
        ),
    )
    annotate_max_chars: int = Field(
        default=100_000, ge=1, description="Longest text /annotate accepts, in characters."
    )
    annotate_max_matches: int = Field(
        default=1000,
        ge=1,
        description=(
            "Most occurrences /annotate marks in one text; the answer then says it was "
            "truncated (100 KB of text can hold about 8,000, over 2 MB of JSON)."
        ),
    )
    annotate_max_elements: int = Field(
        default=5000,
        ge=1,
        description=(
            "Most HTML elements /annotate accepts in one HTML input; more is a 413 (nested "
            "markup costs the sanitiser quadratic time, so a hostile document is refused "
            "before it is parsed into a tree)."
        ),
    )
    annotate_max_depth: int = Field(
        default=100,
        ge=1,
        description=(
            "Deepest nesting of HTML elements /annotate accepts in HTML input; deeper is a 413."
        ),
    )
    fhir_max_body_bytes: int = Field(
        default=65_536,
        ge=1024,
        description=(
            "Largest Parameters body POSTed to a /fhir/ operation, in bytes; more get a 413 "
            "OperationOutcome."
        ),
    )
    reconcile_max_queries: int = Field(
        default=50,
        ge=1,
        le=1000,
        description=(
            "Most queries in one /reconcile batch, and most ids in one data extension "
            "request (OpenRefine sends 10 at a time); more get a 413."
        ),
    )
    reconcile_max_candidates: int = Field(
        default=25,
        ge=1,
        le=500,
        description="Largest `limit` of one /reconcile query, and of /reconcile/suggest/entity.",
    )
    reconcile_max_body_bytes: int = Field(
        default=262_144,
        ge=1024,
        description="Largest /reconcile request body (a form or JSON), in bytes; more get a 413.",
    )
    mcp_allowed_origins: tuple[str, ...] = Field(
        default=(),
        description=(
            "Web origins (such as https://assistant.example) whose browser pages may call /mcp; "
            "'*' for any. Requests without an Origin header (desktop and server-side "
            "assistants) and from the service's own origin are always answered; others get "
            "a 403, as the MCP specification asks (DNS rebinding)."
        ),
    )
    graphql_ide: bool = Field(
        default=True,
        description="Whether GET /graphql from a browser shows GraphiQL (false: a 400 instead).",
    )
    graphiql_assets: Path = Field(
        default_factory=lambda: Path(__file__).resolve().parent.parent / "build" / "graphiql",
        description=(
            "Folder holding GraphiQL's files (the npm packages graphiql, react and react-dom, "
            "each unpacked into a folder of its name), which the service serves itself, never "
            "from a CDN. Default: build/graphiql in the source checkout, where `python3 "
            "tasks.py graphiql` puts them; the Docker image sets /opt/graphiql. Without them "
            "/graphql in a browser says how to get them."
        ),
    )
    watch_interval: float = Field(
        default=0.0,
        ge=0,
        description=(
            "Seconds between checks of the vocabulary files for changes (0: never). A changed "
            "file that fails to load is refused and the service keeps serving what it had."
        ),
    )
    max_file_bytes: int = Field(
        default=1_000_000_000,
        ge=1,
        description=(
            "Largest vocabulary file loaded, in bytes (1,000,000 concepts of Turtle are about "
            "570 MB). The service needs about 20 times a vocabulary's size in memory."
        ),
    )
    load_max_memory_mb: int = Field(
        default=4096,
        ge=64,
        description=(
            "Memory (address space, MB) of the child process that checks the vocabulary files "
            "before each load, at start-up and on reload; a file that needs more is refused."
        ),
    )
    load_timeout: float = Field(
        default=300.0,
        gt=0,
        description=(
            "Seconds the child process that checks the vocabulary files may take; a file "
            "that takes longer is refused."
        ),
    )
    cache_dir: str = Field(
        default="auto",
        description=(
            "Folder of the start-up cache: each load's read model and an on-disk copy of its "
            "store, kept by the files' digest so that the next start with the same files, "
            "settings and release skips the check, the parse and the build. 'auto': "
            "$XDG_CACHE_HOME/glossary, else ~/.cache/glossary; 'off': none. Made 0700; it must "
            "be writable by the service's user only (entries of others are refused)."
        ),
    )
    strict: bool = Field(
        default=False,
        description=(
            "Refuse to serve (listing every problem) a vocabulary with any integrity "
            "violation (SKOS S13, S14) or any file that cannot be read; by default they are "
            "served and reported at /problems."
        ),
    )
    base_iri: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"]+$",
        description=(
            "The base IRI for relative IRIs in vocabulary files that state no base of their "
            "own (default: each file's file: URI); a warning at /problems says it was used."
        ),
    )
    reload_max_shrink: float = Field(
        default=0.2,
        ge=0,
        le=1,
        description=(
            "Largest share of the concepts a reload may drop (0.2: a fifth); a reload that "
            "drops more is held back until SIGHUP or a restart (1: never held back)."
        ),
    )
    source: str = Field(
        default="files",
        pattern=r"^(?:files|https?://[^\s@]+)$",
        description=(
            "Where the vocabulary is read from: `files` (the vocab setting) or the URL of a "
            'SPARQL 1.1 endpoint (docs/deployment.md, "A triplestore as the source"); '
            "with an endpoint, /sparql forwards queries to it, within the sparql_* limits."
        ),
    )
    source_graphs: tuple[str, ...] = Field(
        default=(),
        description=(
            "With an endpoint: the graph IRIs to read and query (several: separate with ','); "
            "none: the endpoint's default graph."
        ),
    )
    source_user: str | None = Field(
        default=None, description="With an endpoint: the user name for HTTP basic authentication."
    )
    source_password: SecretStr | None = Field(
        default=None,
        description="With an endpoint: the password for HTTP basic authentication (never shown).",
    )
    source_token: SecretStr | None = Field(
        default=None,
        description="With an endpoint: a bearer token, sent instead of basic credentials "
        "(never shown).",
    )
    source_page_size: int = Field(
        default=2000,
        ge=1,
        le=100_000,
        description="With an endpoint: subjects whose triples one CONSTRUCT query reads.",
    )
    source_timeout: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description=(
            "With an endpoint: seconds the store may take over one answer while loading or "
            "polling (the whole load is bounded by load_timeout)."
        ),
    )
    source_max_bytes: int = Field(
        default=1_000_000_000,
        ge=1000,
        description="With an endpoint: most bytes of all the store's answers in one load.",
    )
    source_poll_query: str = Field(
        default="",
        max_length=10_000,
        description=(
            "With an endpoint and a watch_interval: a cheap SELECT or ASK whose answer changes "
            "when the data does (a count, a modification date); empty: the whole vocabulary is "
            "read at every interval and swapped in only if its digest changed."
        ),
    )
    allowed_hosts: tuple[str, ...] = Field(
        default=("localhost", "127.0.0.1", "[::1]"),
        description=(
            "Host names (any port) whose Host header is answered when no public base URL is "
            "set; others get a 400 (several: separate with ','). Unused with a public base URL."
        ),
    )
    trusted_proxies: tuple[str, ...] = Field(
        default=(),
        description=(
            "Addresses or networks whose X-Forwarded-For / -Proto headers are believed "
            "(several: separate with ','; '*' for any); none by default."
        ),
    )
    max_header_bytes: int = Field(
        default=16_384,
        ge=1024,
        le=1_048_576,
        description="Most bytes in a request line and headers together; more gets a 431.",
    )
    max_header_count: int = Field(
        default=100, ge=10, le=10_000, description="Most header lines in a request; more, a 431."
    )
    header_timeout: float = Field(
        default=5.0,
        gt=0,
        le=300,
        description=(
            "Seconds a connection may take to send a request line and headers (from connecting "
            "or its first byte) before a 408 and close."
        ),
    )
    body_timeout: float = Field(
        default=10.0,
        gt=0,
        le=3600,
        description="Seconds a client may take to send a request body before a 408 and close.",
    )
    max_connections: int = Field(
        default=500,
        ge=1,
        description="Most open connections per worker process; more are answered 503 and closed.",
    )
    keep_alive_timeout: int = Field(
        default=5, ge=1, le=300, description="Seconds an idle keep-alive connection is kept open."
    )
    shutdown_timeout: int = Field(
        default=8,
        ge=0,
        le=3600,
        description=(
            "Seconds a graceful shutdown (SIGTERM) waits for requests in flight before "
            "cancelling them; under Docker's default 10 s before SIGKILL."
        ),
    )

    @field_validator("public_base_url")
    @classmethod
    def _base_ends_with_slash(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        return value if value.endswith("/") else value + "/"

    @field_validator("access_log", mode="before")
    @classmethod
    def _access_log_share(cls, value: object) -> object:
        # The setting was a flag before it was a share: true and false still mean all, none.
        words = {"true": 1.0, "on": 1.0, "yes": 1.0, "false": 0.0, "off": 0.0, "no": 0.0}
        if isinstance(value, str) and value.strip().lower() in words:
            return words[value.strip().lower()]
        return float(value) if isinstance(value, bool) else value

    @field_validator("rate_limit_exempt", "metrics_allow")
    @classmethod
    def _exempt_are_networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            ipaddress.ip_network(item, strict=False)  # a ValueError names the bad one
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts_in_lower_case(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(host.lower() for host in value)  # host names are case-insensitive

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

    def cache_folder(self) -> Path | None:
        """The start-up cache's folder (``cache_dir`` resolved), or ``None`` when off."""
        if self.cache_dir.strip().lower() == "off":
            return None
        if self.cache_dir.strip().lower() in ("", "auto"):
            try:
                base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
            except RuntimeError:  # no home folder (a bare container user): no cache
                return None
            return Path(base) / "glossary"
        return Path(self.cache_dir).expanduser()

    def to_env(self) -> dict[str, str]:
        """The environment that recreates these settings (for uvicorn worker processes)."""
        env: dict[str, str] = {}
        for name, value in self.model_dump().items():
            if value is None:
                continue
            if name == "vocab":
                text = os.pathsep.join(str(p) for p in value)
            elif name in COMMA_LISTS:
                text = ",".join(value)
            elif isinstance(value, SecretStr):
                text = value.get_secret_value()
            else:
                text = str(value)
            env[ENV_PREFIX + name.upper()] = text
        return env


class _Environment(EnvSettingsSource):
    """pydantic-settings' reading of ``GLOSSARY_*`` variables (names in any case), from
    ``environ`` rather than always ``os.environ``, with ``GLOSSARY_VOCAB`` a ':'-separated list
    (``os.pathsep``) and :data:`COMMA_LISTS` ','-separated where pydantic-settings would
    expect JSON."""

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
        if field_name in COMMA_LISTS and isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return super().prepare_field_value(field_name, field, value, value_is_complex)


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        name = ENV_PREFIX + str(item["loc"][0]).upper() if item["loc"] else "settings"
        parts.append(f"{name}: {item['msg']}")
    return "; ".join(parts)
