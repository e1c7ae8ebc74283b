"""The W3C Reconciliation Service API (0.2, with the 1.0 draft's JSON bodies) at
``/reconcile``, for OpenRefine and other data-cleaning tools: a thin projection of the
snapshot's search index.

Modules, lowest first: ``matching`` (candidates, scores and ``match``; no HTTP), ``batch``
(query batches read strictly), ``extension`` (data extension properties and values),
``manifest`` (the service manifest), ``wire`` (candidates as JSON bytes, joined into
answers), ``answers`` (what the snapshot keeps: each query's candidates, whole answers by
request) and ``routes`` (the endpoints). Entity ids are concept ids; the view is the concept
page, the preview the framable card (``api.widgets.embeds``).
"""

from __future__ import annotations

from api.protocols.reconciliation.routes import routes

__all__ = ["routes"]
