"""The GraphQL API at ``/graphql`` (docs/graphql.md): strawberry types projecting the read
model, the ``Query`` root, a frozen ``Context`` per request, limits (depth, aliases, tokens),
automatic persisted queries and the ASGI view with caching and problem bodies. May import
``api.http``, ``api.runtime``, ``api.build`` and below; no other surface.
"""
