"""Call Dash callbacks over HTTP the way the browser does, from the app's own callback map."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def _split(output_key: str) -> list[tuple[str, str]]:
    """'..a.b...c.d..' or 'a.b' -> [(id, prop), ...]."""
    key = output_key
    parts = key[2:-2].split("...") if key.startswith("..") and key.endswith("..") else [key]
    return [tuple(part.rsplit(".", 1)) for part in parts]  # type: ignore[misc]


def callbacks_of(dash_app) -> list[dict[str, Any]]:
    """Every server-side callback: output key, inputs, states and its (page, action) from security.access."""
    found = []
    for output_key, spec in dash_app.callback_map.items():
        if (output_key.startswith("..") and "_pages_" in output_key) or output_key.startswith("_pages"):
            continue
        if "callback" not in spec:
            continue  # client-side (callbacks/shell.py): runs in the browser, never reaches the server
        func = spec.get("callback")
        found.append(
            {
                "output": output_key,
                "inputs": spec["inputs"],
                "state": spec.get("state", []),
                "access": getattr(func, "access", None),
                "name": getattr(func, "__name__", output_key),
            }
        )
    return found


def call(client, dash_app, output_key: str, values: dict[str, Any] | None = None, *,
         changed: list[str] | None = None) -> Any:
    """POST /_dash-update-component for one callback; `values` maps 'id.prop' to the value sent (default None).
    Every input counts as changed, unless `changed` lists the ones that did ([] is the call a page makes when it
    opens)."""
    values = values or {}
    spec = dash_app.callback_map[output_key]
    outputs = [{"id": i, "property": p} for i, p in _split(output_key)]
    if len(outputs) == 1 and not output_key.startswith(".."):
        outputs = outputs[0]

    def props(items: list[dict]) -> list[dict]:
        return [{"id": item["id"], "property": item["property"],
                 "value": values.get(f"{item['id']}.{item['property']}")} for item in items]

    inputs = props(spec["inputs"])
    body = {
        "output": output_key,
        "outputs": outputs,
        "inputs": inputs,
        "state": props(spec.get("state", [])),
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in inputs] if changed is None else changed,
    }
    return client.post("/_dash-update-component", json=body)


def split_callbacks(dash_app, names: tuple[str, ...], inputs: list[tuple[str, str]], access: tuple[str, str], *,
                    max_figures: int = 2) -> tuple[list[dict[str, Any]], list[str]]:
    """The callbacks a page's statistics were split into, checked alike: all of them present, the same inputs and
    access, at most `max_figures` figures each. Returns their specs and every output 'id.prop' they write."""
    specs = [spec for spec in callbacks_of(dash_app) if spec["name"] in names and spec["access"] == access]
    assert sorted(spec["name"] for spec in specs) == sorted(names)
    outputs: list[str] = []
    for spec in specs:
        assert [(i["id"], i["property"]) for i in spec["inputs"]] == inputs, spec["name"]
        parts = [f"{component}.{prop}" for component, prop in _split(spec["output"])]
        assert sum(part.endswith(".figure") for part in parts) <= max_figures, spec["name"]
        outputs += parts
    assert len(outputs) == len(set(outputs)), "an output is written by two callbacks"
    return specs, outputs


def writing(dash_app, output: str) -> str:
    """The output key of the callback that writes `output` ('id' or 'id.prop', e.g. 'overview-kpi-black-value')."""
    return next(spec["output"] for spec in callbacks_of(dash_app)
                if any(f"{c}.{p}".startswith(output) for c, p in _split(spec["output"])))


def page_layout(client, dash_app, path: str) -> Any:
    """A page's layout as the signed-in client receives it (the router callback of Dash pages)."""
    response = call(client, dash_app, ".._pages_content.children..._pages_store.data..",
                    {"_pages_location.pathname": path, "_pages_location.search": ""})
    assert response.status_code == 200, (path, response.status_code)
    return response.json["response"]["_pages_content"]["children"]


def components(node: Any) -> Iterator[dict]:
    """Every component of a serialised layout ({'type', 'namespace', 'props'}), those in the layouts deferred
    sections hold in their stores included."""
    if isinstance(node, dict):
        if isinstance(node.get("props"), dict) and "type" in node:
            yield node
        for value in node.values():
            yield from components(value)
    elif isinstance(node, list):
        for value in node:
            yield from components(value)
