"""HTML pages (Jinja2, in ``templates/``): home, concept, scheme, collection, search, A-Z.

Concept, scheme and collection pages are the ``html`` renderer of the negotiated resources
(``/concepts/{id}`` with ``Accept: text/html``, or ``/concepts/{id}.html``); the other pages
have routes of their own under ``/`` and ``/pages/``. Every page reads without JavaScript;
scripts and styles come from ``static/`` so the content security policy needs no inline code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.http import parameters
from api.http.caching import conditional_async
from api.http.errors import NotFound
from api.http.negotiation import Format
from api.http.renderers import Renderer, Resource, origin
from api.model import Collection, Concept, Scheme
from api.pages import entry as entries
from api.pages import presenters as views
from api.pages import sections, snippets
from api.pages.templating import Page, cached, environment, page_for, page_language, render
from api.pages.translations import interface_languages
from api.payloads.listings import Browse, Listing, browse
from api.rest.service import Documentation
from api.runtime.serving import ServiceKind, Serving, current
from api.runtime.snapshot import Snapshot
from api.settings import Settings

#: The home page lists every concept A-Z up to this many; beyond, it links a page per letter.
HOME_A_TO_Z_LIMIT = 1000
#: Most concepts a letter's page lists; more go on further pages.
LETTER_PAGE_SIZE = 1000
#: With more schemes than this, the home page lists the schemes, not each one's top concepts.
HOME_SCHEMES_WITH_TOPS = 6
#: Most hits the search page shows.
SEARCH_LIMIT = 50
#: Most terms a scheme's or collection's JSON-LD lists.
JSONLD_TERMS = 500

# Resource pages (the ``html`` renderer) -----------------------------------------------------


def alternates(request: Request, route: str, resource_id: str) -> list[tuple[Format, str]]:
    """Every other format of this resource, from the registry, with its URL."""
    formats: Sequence[Format] = request.state.renderers.formats
    base = str(request.url_for(route, id=resource_id))
    return [(f, f"{base}.{f.name}") for f in formats if f.name != "html"]


def concept_jsonld(page: Page, concept: Concept) -> dict[str, Any]:
    schemes = [page.index.schemes[s].iri for s in concept.schemes if s in page.index.schemes]
    return views.document(
        views.defined_term(
            concept.iri,
            page.url("concept", id=concept.id),
            page.label(concept.id),
            description=page.pick(concept.definitions),
            alternate_names=page.texts(concept.alt_labels),
            code=concept.notations[0] if concept.notations else None,
            term_set=schemes[0] if schemes else None,
        )
    )


def term_nodes(page: Page, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Short ``DefinedTerm`` nodes (name and URL) for a term set's JSON-LD."""
    concepts = page.index.concepts
    return [
        views.defined_term(concepts[i].iri, page.url("concept", id=i), page.label(i))
        for i in ids[:JSONLD_TERMS]
        if i in concepts
    ]


def concept_paths(
    request: Request, snapshot: Snapshot, concept: Concept
) -> tuple[tuple[str, ...], ...]:
    """The concept's ways up, for its breadcrumb: as capped as the REST hierarchy."""
    settings: Settings = request.state.settings
    return snapshot.index.hierarchy(
        concept.id, limit=10, max_concepts=settings.max_transitive
    ).paths


def replacements(page: Page, iris: Sequence[str]) -> list[tuple[Concept | None, str]]:
    """The concepts ``dct:isReplacedBy``/``dct:replaces`` name: loaded ones, or their IRIs."""
    return [(page.index.concept_by_iri(iri), iri) for iri in iris]


def concept_page(request: Request, snapshot: Snapshot, concept: Concept) -> Response:
    page = page_for(request, snapshot, snapshot.index.language(concept))
    found = references(page, concept)
    return render(
        page,
        "concept.html",
        concept=concept,
        replaced_by=replacements(page, concept.replaced_by),
        replaces=replacements(page, concept.replaces),
        other_languages=views.by_language(concept, page.label(concept.id).language),
        alternates=alternates(request, "concept", concept.id),
        structured=concept_jsonld(page, concept),
        paths=concept_paths(request, snapshot, concept),
        embed=snippets.embedding_for(page, concept),
        differences=sections.differences(snapshot.index, concept),
        groups=sections.relation_groups(snapshot.index, concept, listed(page, found)),
        places=sections.places(snapshot.index, concept),
        references=found,
        entry=entries.entry(snapshot.index, concept),
    )


def listed(page: Page, references: Mapping[str, sections.Reference]) -> frozenset[str]:
    """The concepts the criteria list already (members of the collections they count)."""
    collections = page.index.collections
    return frozenset(m for r in references.values() for m in collections[r.collection].members)


def references(page: Page, concept: Concept) -> dict[str, sections.Reference]:
    """The collections the concept's recognition criteria count, by the criterion's text."""
    found = {}
    for text in page.texts(concept.criteria):
        reference = sections.reference_in(page.index, concept, text)
        if reference is not None:
            found[text.value] = reference
    return found


def top_concepts(serving: Serving, scheme: Scheme) -> tuple[str, ...]:
    """A scheme's top concepts as its pages list them: withdrawn ones left out, and by
    notation when every one has a notation (a classification), else by label."""
    listed = browse(serving)
    tops = listed.top_concepts(scheme.id)
    concepts = serving.index.concepts
    if tops and all(concepts[t].notations for t in tops):
        return listed.top_concepts(scheme.id, Listing(sort="notation"))
    return tops


def scheme_page(request: Request, serving: Serving, scheme: Scheme) -> Response:
    snapshot = serving.snapshot
    page = page_for(request, snapshot, scheme.default_language)
    tops = top_concepts(serving, scheme)
    jsonld = views.defined_term_set(
        scheme.iri,
        page.url("scheme", id=scheme.id),
        page.pick(scheme.titles),
        description=page.pick(scheme.descriptions),
        terms=term_nodes(page, tops),
    )
    collections = [c for c in snapshot.index.collections.values() if scheme.id in c.schemes]
    return render(
        page,
        "scheme.html",
        scheme=scheme,
        tops=tops,
        alternates=alternates(request, "scheme", scheme.id),
        structured=views.document(jsonld),
        collections=collections,
        concept_count=len(snapshot.index.concept_ids(scheme=scheme.id)),
    )


def collection_page(request: Request, snapshot: Snapshot, collection: Collection) -> Response:
    schemes = [snapshot.index.schemes[s] for s in collection.schemes if s in snapshot.index.schemes]
    page = page_for(request, snapshot, schemes[0].default_language if schemes else None)
    members = [m for m in collection.members if m in snapshot.index.concepts]
    if not collection.ordered:
        members.sort(key=lambda m: views.sort_key(page.label(m).value))
    jsonld = views.defined_term_set(
        collection.iri,
        page.url("collection", id=collection.id),
        page.pick(collection.labels),
        description=page.pick(collection.definitions),
        terms=term_nodes(page, members),
    )
    return render(
        page,
        "collection.html",
        collection=collection,
        members=members,
        alternates=alternates(request, "collection", collection.id),
        structured=views.document(jsonld),
    )


def render_html(request: Request, serving: Serving, resource: Resource) -> Response:
    """The HTML page of a concept, scheme or collection."""
    snapshot = serving.snapshot
    if isinstance(resource, Concept):
        return concept_page(request, snapshot, resource)
    if isinstance(resource, Scheme):
        return scheme_page(request, serving, resource)
    return collection_page(request, snapshot, resource)


#: The pages surface's renderer (``http.renderers.Registry``).
RENDERERS: Mapping[str, Renderer] = {"html": Renderer(render_html)}


# Pages with routes of their own ----------------------------------------------------------


# The home page and the A-Z walk every concept (its label, folded): 0.5 s at 172,000
# concepts. So the A-Z is made once per snapshot and language preference, in a thread, and
# each page's bytes are kept per snapshot too: a request costs the event loop a lookup.


async def cached_later(request: Request, build: Callable[[], Awaitable[Response]]) -> Response:
    """A cacheable page made off the event loop: 304 when the client has it."""
    return await conditional_async(request, "html", build, {"Vary": "Accept-Language"})


async def prebuilt(serving: Serving, key: Hashable, make: Callable[[], bytes]) -> bytes:
    """A page's body, made on first use in a thread (once: concurrent first requests wait
    for the same making) and kept with the snapshot's documents."""
    documents = serving.caches.documents
    made = documents.get(key)
    if made is not None:
        return made
    return await run_in_threadpool(documents.get_or_make, key, make)


def a_to_z(serving: Serving, page: Page, withdrawn: bool = False) -> tuple[views.Letter, ...]:
    """The A-Z of every concept but the withdrawn (unless ``withdrawn``), labelled in the
    page's language: made once per snapshot, language and choice (the default one as the
    snapshot starts, see :func:`warm`), since it walks every concept (slow on large
    vocabularies: call it in a thread, or through :func:`letters`)."""
    return letters_in(browse(serving), page.language, withdrawn)


def letters_in(listed: Browse, language: str, withdrawn: bool = False) -> tuple[views.Letter, ...]:
    index = listed.index
    made = listed.memo(
        ("a-z", language, "withdrawn") if withdrawn else ("a-z", language),
        lambda: views.a_to_z(
            listed.concepts(Listing(withdrawn)), lambda i: index.label(i, (language,))
        ),
    )
    assert isinstance(made, tuple)
    return made


#: The templates of the pages that read from every concept, compiled before the first request.
PAGE_TEMPLATES = ("base.html", "macros.html", "home.html", "letter.html", "concept.html")


def warm(listed: Browse) -> None:
    """What the first home and A-Z pages need, made as a snapshot starts: the A-Z in the
    language pages are in when a request asks for none, and the compiled templates
    (``Browse.start`` calls this)."""
    index = listed.index
    letters_in(listed, page_language(listed.languages, (), index.default_language))
    for language in interface_languages():  # compiled once per process (tens of ms each)
        for template in PAGE_TEMPLATES:
            environment(language).get_template(template)


def browsing() -> ServiceKind[Browse]:
    """The runtime service that makes each snapshot's lists, and its A-Z in the default
    language, as the snapshot starts (in a thread: the first home page need not wait)."""
    return ServiceKind(Browse, lambda snapshot: Browse(snapshot.index, warm), _always)


def _always(snapshot: Snapshot) -> bool:
    return True


async def letters(
    serving: Serving, page: Page, withdrawn: bool = False
) -> tuple[views.Letter, ...]:
    """:func:`a_to_z`, from the cache when made, else made in a thread."""
    return await run_in_threadpool(a_to_z, serving, page, withdrawn)


def body(page: Page, template: str, **context: Any) -> bytes:
    """A template rendered to bytes, to keep."""
    return bytes(render(page, template, **context).body)


def home_jsonld(page: Page) -> dict[str, Any]:
    sets = [
        views.defined_term_set(s.iri, page.url("scheme", id=s.id), page.pick(s.titles),
                               description=page.pick(s.descriptions))
        for s in page.index.schemes.values()
    ]  # fmt: skip
    return {"@context": views.SCHEMA_ORG, "@graph": sets}


async def home(request: Request) -> Response:
    """The spectrum, the top concepts, the collections, the A-Z and a search form."""
    serving = current(request)
    page = page_for(request, serving.snapshot)

    def make() -> bytes:
        return body(
            page,
            "home.html",
            spectrum=views.find_spectrum(page.index),
            tops=home_tops(serving),
            counts=scheme_counts(serving),
            letters=a_to_z(serving, page),
            full_a_to_z=page.index.concept_count <= HOME_A_TO_Z_LIMIT,
            structured=home_jsonld(page),
        )

    async def build() -> Response:
        return HTMLResponse(await prebuilt(serving, page_key(page, "home"), make))

    return await cached_later(request, build)


def home_tops(serving: Serving) -> dict[str, tuple[str, ...]]:
    """Each scheme's top concepts, when the home page lists them (few schemes)."""
    schemes = serving.index.schemes.values()
    if len(schemes) > HOME_SCHEMES_WITH_TOPS:
        return {}
    return {scheme.id: top_concepts(serving, scheme) for scheme in schemes}


def scheme_counts(serving: Serving) -> dict[str, int]:
    """How many concepts each scheme has (withdrawn ones included)."""
    index = serving.index
    return {scheme: len(index.concept_ids(scheme=scheme)) for scheme in index.schemes}


def page_key(page: Page, *facts: object) -> tuple[object, ...]:
    """What a page's bytes depend on besides the snapshot: which page, the languages asked
    for and the origin its links are built on (decisions, not raw header bytes)."""
    return ("page", *facts, page.preferred, page.carried, origin(page.request))


def chosen_letter(found: Sequence[views.Letter], slug: str) -> views.Letter:
    chosen = next((group for group in found if group.slug == slug.lower()), None)
    if chosen is None:
        raise NotFound(f"No concept's label starts with '{slug[:10]}'.")
    return chosen


def page_of(concepts: Sequence[str], number: int) -> dict[str, Any]:
    """Page ``number`` of a letter's concepts: what the template needs to show and link it."""
    pages = max(1, -(-len(concepts) // LETTER_PAGE_SIZE))
    if number > pages:
        raise NotFound(f"There are {pages} page(s) of these concepts.")
    first = (number - 1) * LETTER_PAGE_SIZE
    shown = concepts[first : first + LETTER_PAGE_SIZE]
    return {"shown": shown, "first": first + 1, "number": number, "pages": pages}


async def letter(request: Request) -> Response:
    """The concepts whose label starts with one letter (``/pages/a-z/{letter}?page=``),
    withdrawn ones too, marked, with ``?deprecated=include``."""
    serving = current(request)
    page = page_for(request, serving.snapshot)
    number = parameters.integer(request, "page", default=1, minimum=1, maximum=1_000_000)
    withdrawn = parameters.include_deprecated(request)
    found = await letters(serving, page, withdrawn)
    chosen = chosen_letter(found, request.path_params["letter"])
    context = page_of(chosen.concepts, number)
    any_withdrawn = bool(browse(serving).withdrawn)

    def make() -> bytes:
        return body(page, "letter.html", letters=found, letter=chosen, withdrawn=withdrawn,
                    any_withdrawn=any_withdrawn, **context)  # fmt: skip

    async def build() -> Response:
        key = page_key(page, "a-z", chosen.slug, number, withdrawn)
        return HTMLResponse(await prebuilt(serving, key, make))

    return await cached_later(request, build)


def query(request: Request) -> str | None:
    """``?q=``; an empty box is no query (a form submitted empty), not an error."""
    raw = parameters.value(request, "q") or ""
    return parameters.text(request, "q", required=False) if raw.strip() else None


async def search(request: Request) -> Response:
    """Search results for ``?q=`` (``/pages/search``), with the form to search again."""
    snapshot = current(request).snapshot
    page = page_for(request, snapshot)
    text = query(request)
    lang = parameters.language(request)
    hits = snapshot.index.search(text, lang=lang, limit=SEARCH_LIMIT) if text else ()
    return cached(request, lambda: render(page, "search.html", q=text, hits=hits))


async def accessibility(request: Request) -> Response:
    """The accessibility statement (``/pages/accessibility``), in the UK public-sector form."""
    page = page_for(request, current(request).snapshot)
    return cached(request, lambda: render(page, "accessibility.html"))


def documentation(docs: Documentation) -> Callable[[Request], Awaitable[Response]]:
    """``/docs``: the REST API's operations (rendered by ``api.rest.openapi`` from the
    OpenAPI document) inside the site's layout, without the pages' script."""

    async def endpoint(request: Request) -> Response:
        page = page_for(request, current(request).snapshot)
        body = Markup(docs.docs_body(request))  # escaped where it was made
        return cached(request, lambda: render(page, "docs.html", body=body, title=docs.title))

    return endpoint
