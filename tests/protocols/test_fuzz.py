"""Hypothesis against /reconcile and /mcp: no query parameter, form field or JSON body makes
a server error (the app's harness and strategies from ``tests.http.test_fuzz``)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.http.test_fuzz import FUZZ, Client, any_text, query_values
from tests.http.test_fuzz import client as client  # the module's app, as a fixture here

RECONCILE_PARAMETERS = ["queries", "query", "extend", "callback", "prefix", "type", "limit",
                        "cursor", "lang"]  # fmt: skip
KEYS = ["queries", "query", "type", "limit", "properties", "pid", "v", "ids", "id", "q0",
        "type_strict", "lang", "term", "text", "first", "second", "label"]  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS) | any_text, inner, max_size=4)
    ),
    max_leaves=12,
)
TOOLS = ["define", "lookup", "search", "compare", "spectrum", "annotate", "nope"]
ACCEPT = {"Accept": "application/json, text/event-stream"}


def answered(response: Any, what: str) -> None:
    assert response.status_code < 500, what


@FUZZ
@given(data=st.data())
def test_no_reconciliation_request_makes_a_server_error(client: Client, data: Any) -> None:
    for path in ("/reconcile", "/reconcile/suggest/entity", "/reconcile/properties"):
        chosen = data.draw(
            st.lists(st.tuples(st.sampled_from(RECONCILE_PARAMETERS), query_values), max_size=3)
        )
        query = "&".join(f"{key}={value}" for key, value in chosen)
        answered(client.get(f"{path}?{query}"), f"GET {path}?{query}")
    document = json.dumps(data.draw(json_values))
    answered(
        client.post("/reconcile", content=document, headers={"Content-Type": "application/json"}),
        f"POST /reconcile {document}",
    )
    field = data.draw(st.sampled_from(["queries", "query", "extend"]))
    answered(client.post("/reconcile", data={field: document}), f"POST {field}={document}")


@FUZZ
@given(data=st.data())
def test_no_tool_call_makes_a_server_error(client: Client, data: Any) -> None:
    arguments, tool = data.draw(json_values), data.draw(st.sampled_from(TOOLS))
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": tool, "arguments": arguments}}  # fmt: skip
    response = client.post("/mcp", content=json.dumps(call), headers=ACCEPT)
    answered(response, f"POST /mcp {call}")
    read = {"jsonrpc": "2.0", "id": 2, "method": "resources/read",
            "params": {"uri": data.draw(any_text)}}  # fmt: skip
    answered(client.post("/mcp", content=json.dumps(read), headers=ACCEPT), f"read {read}")
