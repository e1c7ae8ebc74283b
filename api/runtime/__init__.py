"""The running service's state: immutable snapshots, and the one object that owns what changes.

``snapshot`` holds one load of the vocabulary (the read model, the store, the digest): data
only. ``serving`` holds the :class:`~api.runtime.serving.Runtime` the lifespan builds, which
owns everything mutable (the current snapshot, its caches, the annotator and services such
as the SPARQL workers) with explicit ``start()`` / ``close()``, and swaps snapshots on
reload; ``reload`` watches the files, or polls the SPARQL endpoint they come from. ``lru``
is the one bounded cache type. May import ``api.build``, ``api.model``, ``api.settings``
and the standard library; never Starlette routing, ``api.http`` or a surface, and this
``__init__`` imports nothing, so that a SPARQL worker process importing
``api.runtime.lru`` stays light.
"""
