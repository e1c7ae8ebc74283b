"""The ``glossary`` command: ``serve`` (the default), ``check``, ``export-schema``, ``get``,
``mcp``."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from api.settings import Settings, SettingsError


class DefaultGroup(click.Group):
    """A group that runs ``serve`` when no sub-command is named (like Datasette)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup)
@click.version_option(package_name="engagement-glossary")
def main() -> None:
    """Serve SKOS vocabularies over REST, GraphQL and linked data."""


#: ``--vocab``, as ``serve`` and ``mcp`` both take it.
VOCAB_OPTION = click.option(
    "--vocab",
    "vocab",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Vocabulary file or folder (repeatable); default: the shipped glossary.",
)


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings.from_env(**overrides)
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@VOCAB_OPTION
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option("--public-base-url", default=None, help="The service's public base URL.")
@click.option(
    "--strict",
    is_flag=True,
    default=None,
    help="Refuse to start, listing every problem, if a file cannot be read or S13/S14 fail.",
)
@click.option(
    "--base", "base_iri", default=None, help="Base IRI for relative IRIs in files without one."
)
@click.option(
    "--source",
    default=None,
    metavar="files|URL",
    help="Read the vocabulary from the files (default) or a SPARQL 1.1 endpoint's URL.",
)
@click.option(
    "--cache-dir",
    default=None,
    metavar="DIR|auto|off",
    help="The start-up cache's folder (default auto: $XDG_CACHE_HOME/glossary); off: none.",
)
def serve(
    host: str,
    port: int,
    vocab: tuple[Path, ...],
    workers: int,
    public_base_url: str | None,
    strict: bool | None,
    base_iri: str | None,
    source: str | None,
    cache_dir: str | None,
) -> None:
    """Serve the vocabulary (the default command)."""
    from api.build.files import VocabularyError
    from api.build.isolation import LoadLimits
    from api.runtime.reload import source_of
    from api.runtime.snapshot import load_snapshot

    # SIGTERM is how containers and supervisors ask us to stop, so stopping is success: at
    # any time before uvicorn takes the signal over, and after its graceful shutdown, when
    # it restores this handler and raises the signal again.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    settings = _settings(
        vocab=vocab or None,
        public_base_url=public_base_url,
        strict=strict,
        base_iri=base_iri,
        source=source,
        cache_dir=cache_dir,
    )
    try:  # refuse a bad vocabulary before binding the port, with file and line
        snapshot = load_snapshot(
            source_of(settings),
            progress=lambda m: click.echo(f"glossary: {m}", err=True),
            limits=LoadLimits.from_settings(settings),
        )
    except VocabularyError as error:
        raise click.ClickException(str(error)) from None
    # Processes started later (SPARQL workers, a reload's checker) see the same settings.
    os.environ.update(settings.to_env())
    from api import workers as forked

    if workers > 1:  # load once, fork: the workers share the read model (api.workers)
        snapshot.wait_for_cache()  # a fork copies one thread: not the cache's writer
        with forked.shared_metrics():
            forked.serve(settings, snapshot, host, port, workers)
        return
    # One process: serve the snapshot just loaded rather than parse the files again.
    import uvicorn

    from api.app import create_app

    app = create_app(settings, snapshot=snapshot)
    uvicorn.Server(forked.config(settings, app, host=host, port=port)).run()


def _exit_cleanly(signum: int, frame: object) -> None:
    sys.exit(0)


@main.command()
@VOCAB_OPTION
@click.option("--cache-dir", default=None, metavar="DIR|auto", help="The start-up cache's folder.")
def warm(vocab: tuple[Path, ...], cache_dir: str | None) -> None:
    """Load the vocabulary into the start-up cache and exit (an image warms it when built)."""
    from api.build.files import VocabularyError
    from api.build.isolation import LoadLimits
    from api.runtime.snapshot import load_snapshot

    settings = _settings(vocab=vocab or None, cache_dir=cache_dir)
    if settings.source != "files" or settings.cache_folder() is None:
        raise click.ClickException("no start-up cache: GLOSSARY_CACHE_DIR is off, or no files")
    try:
        snapshot = load_snapshot(
            settings.vocab,
            progress=lambda m: click.echo(f"glossary: {m}", err=True),
            limits=LoadLimits.from_settings(settings),
        )
    except VocabularyError as error:
        raise click.ClickException(str(error)) from None
    snapshot.wait_for_cache()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--summary", is_flag=True, help="Counts per rule and severity only.")
@click.option("--select", multiple=True, metavar="RULE", help="Report only RULE (repeatable).")
@click.option("--ignore", multiple=True, metavar="RULE", help="Leave RULE out (repeatable).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="Lines of text, a JSON document, or SARIF 2.1.0 for code scanning in CI.",
)
@click.option(
    "--base", "base_iri", default=None, help="Base IRI for relative IRIs in files without one."
)
def check(
    paths: tuple[Path, ...],
    summary: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    output_format: str,
    base_iri: str | None,
) -> None:
    """Validate vocabulary files (default: the shipped glossary): SKOS integrity and SHACL."""
    from api.build.isolation import LoadLimits
    from api.checking.report import FORMATS, Options, run
    from api.settings import default_vocab_path

    options = Options(
        frozenset(select),
        frozenset(ignore),
        next(name for name in FORMATS if name == output_format),
        summary,
    )
    # GLOSSARY_DEFAULT_LANGUAGE names terms in reports as it does on the served pages.
    limits = LoadLimits(base_iri=base_iri, default_language=_settings().default_language)
    sys.exit(run(paths or (default_vocab_path(),), sys.stdout, options=options, limits=limits))


@main.command("export-schema")
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the SDL (default: standard output).",
)
def export_schema(output: Path | None) -> None:
    """Print the GraphQL schema (SDL) that the code defines."""
    from api.graphql.query import print_sdl

    sdl = print_sdl()
    if output is None:
        click.echo(sdl, nl=False)
    else:
        output.write_text(sdl, encoding="utf-8")


@main.command()
@click.argument("path")
@click.option("-H", "--header", "headers", multiple=True, help="A request header, 'Name: value'.")
def get(path: str, headers: tuple[str, ...]) -> None:
    """Request PATH in-process and print the body; exit 1 if the status is not 2xx."""
    status, body = asyncio.run(_get(path, _parse_headers(headers)))
    click.echo(body, nl=not body.endswith("\n"))
    if not 200 <= status < 300:
        sys.exit(1)


@main.command()
@VOCAB_OPTION
def mcp(vocab: tuple[Path, ...]) -> None:
    """Answer the Model Context Protocol on stdin/stdout, for a desktop assistant."""
    from api.build.files import VocabularyError
    from api.protocols.mcp.stdio import serve_stdio

    try:
        serve_stdio(_settings(vocab=vocab or None))
    except VocabularyError as error:
        raise click.ClickException(str(error)) from None


def _parse_headers(headers: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for header in headers:
        name, colon, value = header.partition(":")
        if not colon:
            raise click.BadParameter(f"'{header}' is not 'Name: value'", param_hint="--header")
        parsed[name.strip()] = value.strip()
    return parsed


async def _get(path: str, headers: dict[str, str]) -> tuple[int, str]:
    import httpx
    from asgi_lifespan import LifespanManager

    from api.app import create_app
    from api.build.files import VocabularyError

    try:
        async with LifespanManager(create_app(_settings()), startup_timeout=120) as manager:
            transport = httpx.ASGITransport(app=manager.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as c:
                response = await c.get(path, headers=headers)
    except VocabularyError as error:
        raise click.ClickException(str(error)) from None
    return response.status_code, response.text


if __name__ == "__main__":
    main()
