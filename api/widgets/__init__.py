"""What other sites embed: ``/embed.js``, the framable card, oEmbed and ``POST /annotate``.

``embeds`` serves the web component, the card and oEmbed;
``annotation`` reads a text or HTML, runs the snapshot's annotator (``api.build.annotator``)
and answers JSON or HTML for ``embed.js``; ``markup`` annotates HTML's text nodes between two
``nh3`` sanitisations; ``editor`` is the annotator page for editors (``GET /annotate``, and
its form's post). May import ``api.pages`` (templates, snippets),
``api.payloads``, ``api.http``, ``api.runtime``, ``api.build`` and below.
"""
