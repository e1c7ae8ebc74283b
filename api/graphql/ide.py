"""GraphiQL served by the service itself: its page, its files and the SDL, never from a CDN.

Many public-sector networks block CDNs, and a page that loads React and GraphiQL from one
stays on "Loading..." there. The files come from the npm packages listed in
``graphiql-packages.txt``, fetched at build time (``python3 tasks.py graphiql``, the
Dockerfile) into the folder the ``graphiql_assets`` setting names; none is committed. Only
the files in ``FILES`` are served from it, by name. Where they are absent the page says how
to get them and links the SDL (``/graphql/schema.graphql``) and the docs. The page starts
GraphiQL from ``graphiql-start.js`` (a file of ours), so the policy needs no inline script.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path
from types import MappingProxyType

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response

from api.graphql.query import print_sdl
from api.http.errors import NotFound

#: The files the page loads, by the name they are served under: (package, path inside it);
#: ``None`` for ours, next to this module.
FILES = MappingProxyType(
    {
        "react.production.min.js": ("react", "umd/react.production.min.js"),
        "react-dom.production.min.js": ("react-dom", "umd/react-dom.production.min.js"),
        "graphiql.min.js": ("graphiql", "graphiql.min.js"),
        "graphiql.min.css": ("graphiql", "graphiql.min.css"),
        "graphiql-start.js": None,
    }
)
#: Fetched by tasks.py and the Dockerfile; the page names them in its scripts' order.
SCRIPTS = ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js",
           "graphiql-start.js")  # fmt: skip
HERE = Path(__file__).resolve().parent
#: The files change only with the packages' pinned versions: a day in caches.
CACHE_CONTROL = "public, max-age=86400"


class SdlResponse(PlainTextResponse):
    """GraphQL SDL: there is no registered media type for it, so plain UTF-8 text."""

    media_type = "text/plain"


def file_path(folder: Path, name: str) -> Path | None:
    """Where the served file ``name`` is (``None``: not one of ``FILES``)."""
    if name not in FILES:
        return None
    source = FILES[name]
    return HERE / name if source is None else folder / source[0] / source[1]


def installed(folder: Path) -> bool:
    """Whether every file of the page is in ``folder``."""
    return all((path := file_path(folder, name)) is not None and path.is_file() for name in FILES)


async def asset(request: Request) -> Response:
    """``/graphql/assets/{name}``: one of GraphiQL's files; anything else is a 404."""
    folder: Path = request.state.settings.graphiql_assets
    path = file_path(folder, request.path_params["name"])
    if path is None or not path.is_file():
        raise NotFound("There is no such GraphiQL file here (see docs/graphql.md).")
    return FileResponse(path, headers={"Cache-Control": CACHE_CONTROL})


async def sdl(request: Request) -> Response:
    """``/graphql/schema.graphql``: the schema in SDL (what ``schema/schema.graphql`` holds)."""
    return SdlResponse(_sdl(), headers={"Cache-Control": CACHE_CONTROL})


@functools.cache
def _sdl() -> str:
    return print_sdl()


def page(request: Request) -> HTMLResponse:
    """GraphiQL's page, or the page saying how to install it."""
    folder: Path = request.state.settings.graphiql_assets
    links = {
        "sdl": str(request.url_for("graphql-schema")),
        "docs": str(request.url_for("docs")),
        "endpoint": str(request.url_for("graphql")),
    }
    if not installed(folder):
        return HTMLResponse(MISSING.format(**{k: html.escape(v) for k, v in links.items()}))
    scripts = "\n".join(
        f'<script src="{html.escape(_url(request, name))}"></script>' for name in SCRIPTS
    )
    return HTMLResponse(
        PAGE.format(
            css=html.escape(_url(request, "graphiql.min.css")),
            scripts=scripts,
            **{k: html.escape(v) for k, v in links.items()},
        )
    )


def _url(request: Request, name: str) -> str:
    return str(request.url_for("graphiql-asset", name=name))


_HEAD = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · engagement glossary</title>
"""
PAGE = (
    _HEAD
    + """<link rel="stylesheet" href="{css}">
<style>
html, body {{ height: 100%; margin: 0; }}
#graphiql {{ height: 100vh; }}
/* GraphiQL's light colours, darkened to a contrast of at least 4.5:1 (WCAG 1.4.3). */
@media not (prefers-color-scheme: dark) {{
  html body .graphiql-container, html body .CodeMirror-info,
  html body .CodeMirror-lint-tooltip, html body .graphiql-dialog,
  html body .graphiql-tooltip, html body [data-radix-popper-content-wrapper] {{
    --color-primary: 320, 95%, 36%; --color-secondary: 242, 51%, 48%;
    --color-tertiary: 188, 100%, 25%; --color-info: 208, 100%, 36%;
    --color-success: 158, 60%, 27%; --color-warning: 36, 100%, 27%;
    --color-error: 13, 93%, 38%; --alpha-secondary: 0.92; --alpha-tertiary: 0.8;
  }}
}}
</style>
</head>
<body>
<div id="graphiql" data-endpoint="{endpoint}">Loading GraphiQL…</div>
<noscript><p>GraphiQL needs JavaScript. Without it, read the schema
(<a href="{sdl}">schema.graphql</a>) and the <a href="{docs}">API documentation</a>,
and send queries to <code>{endpoint}</code> with GET or POST.</p></noscript>
{scripts}
</body>
</html>
"""
)
MISSING = (
    _HEAD
    + """</head>
<body>
<main>
<h1>GraphiQL is not installed on this server</h1>
<p>This service serves GraphiQL's files itself, never from a CDN, and they are not in the
folder its <code>GLOSSARY_GRAPHIQL_ASSETS</code> setting names. To install them, an
operator runs <code>python3 tasks.py graphiql</code> in the source checkout (it fetches
the npm packages <code>graphiql</code>, <code>react</code> and <code>react-dom</code>),
or builds the Docker image, which includes them.</p>
<p>The GraphQL API works without them: the schema is at
<a href="{sdl}">{sdl}</a>, the <a href="{docs}">API documentation</a> says how to query
it, and queries go to <code>{endpoint}</code> by GET or POST, for example:</p>
<pre><code>curl -s {endpoint} -H 'Content-Type: application/json' \\
  -d '{{"query": "{{ concepts(first: 3) {{ nodes {{ id }} }} }}"}}'</code></pre>
</main>
</body>
</html>
"""
)
