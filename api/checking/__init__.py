"""``glossary check``: SKOS integrity conditions and our profile's structural rules, checked
in plain Python, and SHACL validation, reported one ``FILE:LINE`` line per violation. One
pass over the store collects the triples the rules need (``facts``), so a check of 100,000
concepts takes seconds, not minutes; ``rules`` holds every rule and the rule table,
``report`` runs the check (with SHACL) and reports. May import ``api.build``, ``api.model``,
``api.namespaces``, ``api.languages`` and ``api.settings``; never ``api.runtime``,
``api.http`` or a surface.
"""
