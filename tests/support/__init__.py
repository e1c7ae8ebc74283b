"""Shared test material: small SKOS vocabularies and a synthetic generator."""
