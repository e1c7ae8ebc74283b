"""A reconciliation client written to the specification, as OpenRefine drives a service:
it knows only the endpoint URL and finds everything else in the manifest. Each answer is
checked against the specification's JSON structure (``schemas``) before it is returned."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from tests.protocols.reconciliation import schemas

#: OpenRefine's default batch size.
BATCH = 10


@dataclass
class SpecClient:
    """Talks to the reconciliation endpoint at ``endpoint`` through ``http``."""

    http: httpx.AsyncClient
    endpoint: str
    manifest: dict[str, Any] | None = None

    async def _json(self, response: httpx.Response, schema: dict[str, Any]) -> Any:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/json")
        document = response.json()
        schemas.check(schema, document)
        return document

    async def add_service(self) -> dict[str, Any]:
        """§3: GET the endpoint without parameters: the manifest."""
        self.manifest = await self._json(await self.http.get(self.endpoint), schemas.MANIFEST)
        return self.manifest

    async def reconcile(self, queries: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """§4: queries POSTed as a form, ``BATCH`` at a time, keyed q0, q1, ...; the
        candidates of each query in order."""
        found: list[list[dict[str, Any]]] = []
        for start in range(0, len(queries), BATCH):
            batch = {f"q{i}": q for i, q in enumerate(queries[start : start + BATCH])}
            response = await self.http.post(self.endpoint, data={"queries": json.dumps(batch)})
            answer = await self._json(response, schemas.RESULT_BATCH)
            assert set(answer) == set(batch)
            found += [answer[key]["result"] for key in batch]
        return found

    def _service(self, kind: str, name: str) -> str:
        assert self.manifest is not None
        service = self.manifest[kind][name]
        return str(service["service_url"]) + str(service["service_path"])

    async def suggest(self, prefix: str) -> list[dict[str, Any]]:
        """§6: the entity suggest service the manifest names."""
        response = await self.http.get(
            self._service("suggest", "entity"), params={"prefix": prefix}
        )
        return list((await self._json(response, schemas.SUGGEST_ENTITIES))["result"])

    async def preview(self, entity: str) -> httpx.Response:
        """§5: the preview URL template, filled in; HTML for an iframe of the stated size."""
        assert self.manifest is not None
        url = self.manifest["preview"]["url"].replace("{{id}}", entity)
        response = await self.http.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/html")
        return response

    def view(self, entity: str) -> str:
        assert self.manifest is not None
        return str(self.manifest["view"]["url"]).replace("{{id}}", entity)

    async def propose_properties(self, type_id: str) -> list[dict[str, Any]]:
        """§7.1: the properties the service offers for ``type_id``."""
        params = {"type": type_id, "limit": "10"}
        url = self._service("extend", "propose_properties")
        answer = await self._json(
            await self.http.get(url, params=params), schemas.PROPOSED_PROPERTIES
        )
        return list(answer["properties"])

    async def extend(self, ids: list[str], properties: list[str]) -> dict[str, Any]:
        """§7.2: the values of ``properties`` for ``ids``, POSTed as ``extend=``."""
        request = {"ids": ids, "properties": [{"id": p} for p in properties]}
        response = await self.http.post(self.endpoint, data={"extend": json.dumps(request)})
        answer: dict[str, Any] = await self._json(response, schemas.EXTENSION)
        assert set(answer["rows"]) == set(ids)
        return answer
