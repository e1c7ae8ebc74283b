"""The quality report page (``/pages/problems``): what is wrong with the loaded vocabulary,
as Skosmos and qSKOS users expect to find it; the same list as ``/problems`` in JSON."""

from __future__ import annotations

import asyncio
from collections import Counter

from starlette.requests import Request
from starlette.responses import Response

from api.build.admission import RULES, SEVERITIES
from api.http import parameters
from api.http.errors import InvalidParameter
from api.pages.templating import cached, page_for, render
from api.runtime.serving import current

#: Most problems one page lists (the JSON route pages through all of them).
PAGE_LIMIT = 500


async def problems(request: Request) -> Response:
    """Counts per rule and severity, then the first problems (of one ``?rule=``), located."""
    snapshot = current(request).snapshot
    page = page_for(request, snapshot)
    rule = parameters.text(request, "rule", required=False, max_length=100)
    if rule is not None and rule not in RULES:
        raise InvalidParameter("rule", "must be one of " + ", ".join(RULES))
    found = snapshot.problems
    located = await asyncio.to_thread(found.located)
    shown = [problem for problem in located if rule in (None, problem.rule)]
    counts = sorted(
        found.counts().items(), key=lambda item: (SEVERITIES.index(item[0][1]), item[0][0])
    )
    return cached(
        request,
        lambda: render(
            page,
            "problems.html",
            rule=rule,
            counts=counts,
            severities=Counter(problem.severity for problem in found.all),
            rules=RULES,
            problems=shown[:PAGE_LIMIT],
            total=len(shown),
        ),
    )
