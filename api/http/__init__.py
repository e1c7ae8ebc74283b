"""HTTP plumbing every surface shares; no routes of its own.

``headers`` parses request headers (Accept, Accept-Language, Accept-Encoding, Content-Type,
If-None-Match); ``negotiation`` picks a format; ``renderers`` is the registry of formats a
resource is offered in and answers negotiated resources; ``caching`` makes ETags, 304s and
replayable prepared responses; ``errors`` is the problem hierarchy and its one RFC 9457
body; ``parameters`` reads query parameters strictly (paging cursors included);
``bodies`` reads request bodies within a limit; ``security`` adds security and CORS
headers to every response; ``fairness`` shares the expensive routes out per client;
``metrics`` counts and times requests; ``front`` replays answers asked again before the
router and the middleware inside it. May import ``api.runtime``, ``api.build`` and below; never a
surface.
"""
