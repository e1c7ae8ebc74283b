"""A terminology service for SKOS vocabularies over REST, GraphQL and linked data."""

from __future__ import annotations

__version__ = "0.1.0"
