"""The OpenAPI description: read once at start-up, served as JSON and as a small HTML page.

The page is rendered here, without Swagger UI, because the service runs offline behind a
strict Content-Security-Policy: no CDN, no inline script. Forms submit ordinary GETs.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from api.build.index import Index
from api.namespaces import GLOSSARY_NAMESPACE
from api.settings import data_path

METHODS = ("get", "post", "put", "patch", "delete", "head", "options")


def spec_path() -> Path:
    """``openapi/openapi.yaml`` in a source checkout, or the copy packaged in the wheel."""
    return data_path("openapi") / "openapi.yaml"


def load_spec(path: Path | None = None) -> dict[str, Any]:
    """The OpenAPI document as a mapping (raises ``OSError``/``yaml.YAMLError`` if unreadable)."""
    with (path or spec_path()).open(encoding="utf-8") as handle:
        # libyaml's parser where PyYAML was built with it: the pure-Python one took a
        # tenth of the glossary's start (0.12 s of about 1.3).
        document: dict[str, Any] = yaml.load(handle, Loader=_SAFE_LOADER)
    return document


_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def as_json(spec: Mapping[str, Any]) -> bytes:
    return json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode()


def operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(path, method, operation) for every operation, in document order."""
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def resolve(spec: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """``node``, or what its local ``$ref`` (``#/components/...``) points to."""
    while "$ref" in node:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _prose(text: object) -> str:
    """Escaped text with Markdown `code` spans as <code>, as the descriptions use them."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(str(text)))


def docs_title(spec: Mapping[str, Any]) -> str:
    """The documentation page's title (unescaped)."""
    return f"{spec.get('info', {}).get('title', 'API')}: REST API"


def docs_body(spec: Mapping[str, Any]) -> str:
    """A readable HTML rendering of the operations, with a form for each GET: the content
    of the page, which the pages surface puts inside the site's layout (``/docs``)."""
    info = spec.get("info", {})
    title = html.escape(str(info.get("title", "API")))
    body = "".join(_operation(spec, path, method, op) for path, method, op in operations(spec))
    toc = "".join(
        f'<li><a href="#{_anchor(op)}"><code>{method.upper()} {html.escape(path)}</code></a> '
        f"{html.escape(op.get('summary', ''))}</li>"
        for path, method, op in operations(spec)
    )
    return (
        f"<h1>{title}</h1><p>{_prose(info.get('description', ''))}</p>"
        '<p>Machine-readable description: <a href="openapi.json">openapi.json</a> '
        f"(OpenAPI {html.escape(str(spec.get('openapi', '')))}).</p>"
        f'<nav aria-labelledby="operations-heading"><h2 id="operations-heading">Operations</h2>'
        f"<ul>{toc}</ul></nav>{body}"
    )


def _anchor(operation: Mapping[str, Any]) -> str:
    return html.escape(str(operation.get("operationId", "")), quote=True)


def _operation(
    spec: Mapping[str, Any], path: str, method: str, operation: Mapping[str, Any]
) -> str:
    params = [_parameter(spec, p) for p in operation.get("parameters", [])]
    rows = "".join(_parameter_row(p) for p in params)
    # A wide table scrolls inside its own focusable region (WCAG 1.4.10 excepts data
    # tables), so the page itself never scrolls sideways on a phone.
    label = html.escape(f"Parameters of {method.upper()} {path}", quote=True)
    table = (
        f'<div class="table-scroll" role="region" aria-label="{label}" tabindex="0">'
        "<table><thead><tr><th>name</th><th>in</th><th>required</th><th>schema</th>"
        f"<th>description</th></tr></thead><tbody>{rows}</tbody></table></div>"
        if rows
        else "<p>No parameters.</p>"
    )
    statuses = ", ".join(html.escape(str(code)) for code in operation.get("responses", {}))
    return (
        f'<section id="{_anchor(operation)}"><h2><code>{method.upper()} {html.escape(path)}'
        f"</code></h2><p><strong>{_prose(operation.get('summary', ''))}</strong></p>"
        f"<p>{_prose(operation.get('description', ''))}</p>{table}"
        f"<p>Responses: {statuses}</p>{_try(path, method, params)}</section>"
    )


def _parameter(spec: Mapping[str, Any], parameter: Mapping[str, Any]) -> Mapping[str, Any]:
    """A parameter with its own ``$ref`` and its schema's resolved."""
    found = dict(resolve(spec, parameter))
    found["schema"] = resolve(spec, found.get("schema", {}))
    return found


def _parameter_row(parameter: Mapping[str, Any]) -> str:
    cells = (
        parameter.get("name", ""),
        parameter.get("in", ""),
        "yes" if parameter.get("required") else "no",
        _schema_text(parameter.get("schema", {})),
        parameter.get("description", ""),
    )
    return "<tr>" + "".join(f"<td>{_prose(cell)}</td>" for cell in cells) + "</tr>"


def _schema_text(schema: Mapping[str, Any]) -> str:
    keys = ("type", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern", "default")
    return "; ".join(f"{key} {schema[key]}" for key in keys if key in schema)


def _example(parameter: Mapping[str, Any]) -> object:
    return parameter.get("example", parameter.get("schema", {}).get("example"))


def _try(path: str, method: str, params: list[Mapping[str, Any]]) -> str:
    """A GET form, or a link when there is nothing to fill in; path parameters take their
    examples. Optional parameters without an example are left out, because a form sends
    empty fields and an empty value is a 400."""
    if method != "get":
        return ""
    target = path
    for param in (p for p in params if p.get("in") == "path"):
        target = target.replace("{" + str(param["name"]) + "}", str(_example(param) or ""))
    query = [p for p in params if p.get("in") == "query" and (p.get("required") or _example(p))]
    action = html.escape(target.lstrip("/") or ".", quote=True)
    if not query:
        return f'<p>Try it: <a href="{action}">{html.escape(target)}</a></p>'
    inputs = "".join(_input(p) for p in query)
    return (
        f'<form method="get" action="{action}"><fieldset><legend>Try it</legend>{inputs}'
        '<button type="submit">Send</button></fieldset></form>'
    )


def _input(parameter: Mapping[str, Any]) -> str:
    name = html.escape(str(parameter["name"]), quote=True)
    example = _example(parameter)
    value = "" if example is None else html.escape(str(example), quote=True)
    required = " required" if parameter.get("required") else ""
    return f'<p><label>{name} <input name="{name}" value="{value}"{required}></label></p>'


# Examples from the served vocabulary -------------------------------------------------------

#: The shipped glossary's resources the document's examples name.
GLOSSARY_EXAMPLES = {
    "scheme": "engagement-glossary",
    "collection": "engagement-spectrum",
    "concept": "consultation",
    "other": "co-design",
    "iri": "https://w3id.org/engagement-glossary/concepts/consultation",
    "label": "citizen engagement",
    "prefix": "co-prod",
    "text": "Our consultation closes soon.",
}


def examples_of(index: Index) -> dict[str, str] | None:
    """The served vocabulary's own example values for the document, by the keys of
    :data:`GLOSSARY_EXAMPLES`; ``None`` when the glossary is served (the document's own)."""
    if any(s.iri.startswith(GLOSSARY_NAMESPACE) for s in index.schemes.values()):
        return None
    current = (c for c in index.concepts.values() if not c.deprecated)
    concepts = list(itertools.islice(current, 2))
    if not concepts:
        return None
    first, other = concepts[0], concepts[-1]
    label = index.label(first.id).value
    return {
        "scheme": next(iter(index.schemes), "") or first.id,
        "collection": next(iter(index.collections), ""),
        "concept": first.id,
        "other": other.id,
        "iri": first.iri,
        "label": label,
        "prefix": label[:4],
        "text": f"A text about {label}.",
    }


def with_examples(spec: Any, examples: Mapping[str, str]) -> Any:
    """``spec`` with every example (and id in a description) that names one of the
    glossary's resources naming the served vocabulary's instead."""
    swaps = [(GLOSSARY_EXAMPLES[key], value) for key, value in examples.items()]
    swaps.sort(key=lambda swap: -len(swap[0]))  # the IRI before the ids it contains

    def swapped(text: str) -> str:
        for old, new in swaps:
            text = text.replace(old, new)
        return text

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return swapped(node) if isinstance(node, str) else node

    return walk(spec)
