"""FHIR R4 terminology at ``/fhir/``: ``metadata``, ``CodeSystem`` read and search,
``$lookup``, ``$validate-code``, ``$subsumes`` and ``ValueSet/$expand``, each a projection of
the snapshot's ``Index`` (issue 14; docs/protocols.md, "FHIR terminology").

``resources`` projects a concept scheme onto a ``CodeSystem``; ``operations`` answers the
code system operations and ``expansion`` ``$expand``; ``capabilities`` says what is served;
``inputs`` reads operation parameters from a query or a ``Parameters`` body; ``wire`` owns
the media type; ``outcomes`` turns every error into an ``OperationOutcome``; ``routes`` is
the mount. JSON only.
"""
