"""The compose file documents a real deployment: it parses, and names every service the
docs promise, each waiting for what it needs to be healthy."""

from pathlib import Path

import yaml

INFRA = Path(__file__).parents[2] / "infra"
PROMISED = {"mongodb", "postgresql", "temporal", "temporal-ui", "setup-temporal", "worker", "api"}


def test_the_compose_file_names_every_promised_service():
    compose = yaml.safe_load((INFRA / "compose.yml").read_text())
    services = compose["services"]
    assert set(services) == PROMISED
    readme = (INFRA / "README.md").read_text()
    assert all(name in readme for name in ("MongoDB", "PostgreSQL", "Temporal", "worker", "API"))
    for name in ("mongodb", "postgresql", "temporal", "api"):
        assert "healthcheck" in services[name], name
    for name in ("worker", "api"):
        needs = services[name]["depends_on"]
        assert needs["mongodb"] == needs["temporal"] == {"condition": "service_healthy"}
        assert services[name]["environment"]["MONGODB_URI"].endswith("replicaSet=rs0")
    assert services["temporal"]["depends_on"]["postgresql"]["condition"] == "service_healthy"
    assert "rs.initiate" in " ".join(services["mongodb"]["healthcheck"]["test"])
    assert services["worker"]["depends_on"]["setup-temporal"] == {
        "condition": "service_completed_successfully"}


def test_the_env_example_names_what_production_needs():
    example = (INFRA / ".env.example").read_text()
    for variable in ("STELSEL_MODE=production", "STELSEL_OIDC_ISSUER=", "STELSEL_OIDC_AUDIENCE=",
                     "TEMPORAL_DB_PASSWORD="):
        assert variable in example
    assert "STELSEL_JWT_SECRET" not in example
