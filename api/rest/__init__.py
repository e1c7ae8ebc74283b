"""The REST API: endpoint functions (their routes are in ``api.app``, mirrored in
``openapi/openapi.yaml``).

Each endpoint reads its parameters strictly (``api.http.parameters``), finds records in the
snapshot's read model, projects them onto wire models (``api.payloads``) and answers. Single
resources go through ``api.http.renderers.respond`` so that every registered format is
offered; lists are JSON. Modules: ``common`` (JSON responses and the JSON renderer),
``schemes``, ``concepts``, ``find`` (lookup, search, resolve), ``service`` (health,
OpenAPI, docs) and ``openapi`` (the document, read once). May import ``api.http``,
``api.payloads``, ``api.runtime``, ``api.build`` and below; no other surface.
"""
