"""``deploy/kubernetes``: every manifest is valid for Kubernetes (kubernetes-validate, strict
schemas: no unknown fields), and the pieces fit: probes on /health, resource requests, a
PodDisruptionBudget and a Service for each Deployment, and the cache's VCL the same as
deploy/varnish's but for its backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
VERSION = "1.30.0"  # the oldest Kubernetes release still supported when this was written


def documents() -> list[dict[str, Any]]:
    found = []
    for path in MANIFESTS:
        found += [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]
    return found


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in documents() if doc["kind"] == kind}


@pytest.mark.parametrize(
    "document", documents(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}"
)
def test_every_manifest_is_valid(document: dict[str, Any]) -> None:
    kubernetes_validate.validate(document, VERSION, strict=True)


def test_an_unknown_field_is_refused() -> None:
    broken = of_kind("Deployment")["glossary"]
    broken = {**broken, "spec": {**broken["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSION, strict=True)


def test_the_service_is_probed_on_health_and_asks_for_what_it_was_measured_to_use() -> None:
    [container] = of_kind("Deployment")["glossary"]["spec"]["template"]["spec"]["containers"]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] == "/health", probe
    mebibytes = {"Mi": 1, "Gi": 1024}
    request, limit = (
        int(value[:-2]) * mebibytes[value[-2:]]
        for value in (
            container["resources"]["requests"]["memory"],
            container["resources"]["limits"]["memory"],
        )
    )
    assert 921 <= request < limit  # the tree's measured PSS at 100,000 concepts fits
    assert "--workers" in container["args"]
    names = {item["name"] for item in container["env"]}
    assert {"GLOSSARY_PUBLIC_BASE_URL", "PYTHONHASHSEED", "GLOSSARY_TRUSTED_PROXIES"} <= names


@pytest.mark.parametrize("name", ["glossary", "glossary-cache"])
def test_each_deployment_has_a_service_and_a_disruption_budget(name: str) -> None:
    deployment = of_kind("Deployment")[name]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert of_kind("Service")[name]["spec"]["selector"].items() <= labels.items()
    budget = of_kind("PodDisruptionBudget")[name]["spec"]
    assert budget["selector"]["matchLabels"].items() <= labels.items()
    assert budget["minAvailable"] < deployment["spec"]["replicas"]


def test_the_cache_runs_deploy_varnish_vcl_with_the_service_as_backend() -> None:
    shipped = (ROOT / "deploy" / "varnish" / "glossary.vcl").read_text(encoding="utf-8")
    configured = of_kind("ConfigMap")["glossary-cache-vcl"]["data"]["default.vcl"]
    assert '.host = "glossary";' in configured
    assert (
        configured[configured.index("sub vcl_recv") :] == shipped[shipped.index("sub vcl_recv") :]
    )
    [container] = of_kind("Deployment")["glossary-cache"]["spec"]["template"]["spec"]["containers"]
    assert "/etc/varnish/default.vcl" in container["command"]
