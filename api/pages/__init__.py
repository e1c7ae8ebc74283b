"""HTML pages for people: home, A-Z, search, and each concept, scheme and collection.

``routes`` holds the page endpoints and the ``html`` renderer; ``templating`` the Jinja2
environment and what templates read (``templates/``, assets in ``static/``);
``presenters`` shapes the read model for pages (the spectrum, A-Z letters, schema.org
JSON-LD); ``snippets`` the embedding snippets a concept page offers. Every page reads
without JavaScript. May import ``api.payloads``, ``api.http``, ``api.runtime``,
``api.build`` and below; of the surfaces, none.
"""
