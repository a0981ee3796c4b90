"""The `stelsel` command as a user runs it: every command exits 0, and `stelsel dev`
restarted on the same data folder still fires the timers of running issues."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pymongo
import pytest
from temporalio.client import Client

from services.embedded import free_port, mongodb_uri, start_secantus, tool_path

STELSEL = tool_path("stelsel")
RAISE = """mutation($input: RaiseIssueInput!) { raiseIssue(input: $input) {
  __typename ... on Issue { id phase } ... on Rejected { code message } } }"""
CLOSE = "mutation($id: ID!) { closePhase(issueId: $id) { ... on Issue { phase } } }"
PHASE = "query($id: ID!) { issue(id: $id) { phase timeline { kind } } }"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("STELSEL_") and k not in ("MONGODB_URI", "TEMPORAL_ADDRESS")}
    return {**env, **extra}


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"exited early with {process.returncode}"
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never became healthy")


def stop(process: subprocess.Popen, sig: int = signal.SIGINT) -> int:
    process.send_signal(sig)
    return process.wait(60)


def graphql(url: str, query: str, variables: dict, token: str) -> dict:
    response = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables},
                          headers={"Authorization": f"Bearer {token}"}, timeout=30)
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


PHASES = ("ADVICE", "DELIBERATION", "VOTING", "MANDATE", "DEPARTMENTAL_DECISION", "DECIDED",
          "WITHDRAWN")


class Dev:
    def __init__(self, data_dir: Path, demo: bool = False, **env: str) -> None:
        self.data_dir = data_dir
        self.demo = demo
        self.env = env
        self.ports = {name: free_port() for name in ("api", "temporal", "ui", "mongo")}
        self.url = f"http://127.0.0.1:{self.ports['api']}"

    def start(self) -> subprocess.Popen:
        command = [STELSEL, "dev", "--data-dir", str(self.data_dir),
                   "--api-port", str(self.ports["api"]),
                   "--temporal-port", str(self.ports["temporal"]),
                   "--ui-port", str(self.ports["ui"]), "--mongo-port", str(self.ports["mongo"])]
        if not self.demo:  # the demo's issues would only add load to what a test measures
            command.append("--no-demo-issues")
        log = open(self.data_dir.parent / "dev.log", "ab")
        process = subprocess.Popen(command, env=clean_env(**self.env), stdout=log,
                                   stderr=subprocess.STDOUT)
        wait_healthy(self.url, process)
        return process

    def token(self, person_id: str) -> str:
        result = subprocess.run([STELSEL, "token", person_id, "--data-dir", str(self.data_dir)],
                                env=clean_env(), capture_output=True, text=True, check=True)
        return result.stdout.strip()


def test_dev_restarted_while_voting_still_closes_the_vote(tmp_path: Path):
    dev = Dev(tmp_path / "data", demo=True)
    process = dev.start()
    output = (tmp_path / "dev.log").read_text()
    assert "Temporal UI" in output and "Bearer ey" in output
    rijk = dev.token("cio-rijk")
    # A fresh data folder gets demo issues in every phase, raised through the API.
    deadline = time.monotonic() + 60
    while "Demo: 9 zaken" not in (tmp_path / "dev.log").read_text():
        assert time.monotonic() < deadline, "no demo issues"
        time.sleep(0.5)
    counts = graphql(dev.url, "{ " + " ".join(
        f"{phase}: issues(filter: {{phase: {phase}}}) {{ totalCount }}" for phase in PHASES)
        + " }", None, rijk)
    assert all(counts[phase]["totalCount"] >= 1 for phase in PHASES), counts
    procedure = {"adviceWindowSeconds": 3600, "deliberationWindowSeconds": 3600,
                 "voteWindowSeconds": 8, "mandateWindowSeconds": 3600}
    raised = graphql(dev.url, RAISE, {"input": {
        "title": "Herstart", "proposal": "p", "scope": "GOVERNMENT_WIDE",
        "touchesPersonalData": False, "procedure": procedure}}, rijk)["raiseIssue"]
    assert raised["__typename"] == "Issue", raised
    for _ in range(2):
        graphql(dev.url, CLOSE, {"id": raised["id"]}, rijk)
    assert graphql(dev.url, PHASE, {"id": raised["id"]}, rijk)["issue"]["phase"] == "VOTING"
    assert stop(process) == 0

    process = dev.start()
    try:
        deadline = time.monotonic() + 60
        while True:
            issue = graphql(dev.url, PHASE, {"id": raised["id"]}, rijk)["issue"]
            kinds = [e["kind"] for e in issue["timeline"]]
            if "NO_CONSENSUS" in kinds or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert issue["phase"] == "MANDATE"
        assert issue["timeline"][-1]["kind"] == "NO_CONSENSUS"
        # The same token still works: the dev secret is kept in the data folder.
        assert dev.token("cio-rijk").count(".") == 2
        # A restart raises no second set of demo issues.
        assert (tmp_path / "dev.log").read_text().count("Demo: 9 zaken") == 1
    finally:
        assert stop(process) == 0


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def gone(port: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while listening(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_sigterm_stops_dev_within_seconds_while_a_write_retries(tmp_path: Path):
    mongo = start_secantus(free_port(), tmp_path / "mongo", tmp_path / "mongo.log",
                           test_commands=True)
    dev = Dev(tmp_path / "data", MONGODB_URI=mongodb_uri(mongo.port))
    process = dev.start()
    try:
        rijk = dev.token("cio-rijk")
        raised = graphql(dev.url, RAISE, {"input": {
            "title": "Stop", "proposal": "p", "scope": "GOVERNMENT_WIDE",
            "touchesPersonalData": False}}, rijk)["raiseIssue"]
        with pymongo.MongoClient(mongodb_uri(mongo.port)) as client:
            client.admin.command({"configureFailPoint": "failCommand", "mode": "alwaysOn",
                                  "data": {"failCommands": ["insert", "update"],
                                           "errorCode": 2}})
        # A change whose record now retries without end, its request still open.
        hanging = threading.Thread(target=lambda: httpx.post(
            f"{dev.url}/graphql", json={"query": CLOSE, "variables": {"id": raised["id"]}},
            headers={"Authorization": f"Bearer {rijk}"}, timeout=60), daemon=True)
        hanging.start()
        time.sleep(3)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
        assert time.monotonic() - started < 10
        assert gone(dev.ports["temporal"]) and gone(dev.ports["api"])
    finally:
        if process.poll() is None:
            process.kill()
        mongo.stop()


def test_embedded_servers_do_not_outlive_a_killed_dev(tmp_path: Path):
    dev = Dev(tmp_path / "data")
    process = dev.start()
    assert listening(dev.ports["mongo"]) and listening(dev.ports["temporal"])
    process.kill()
    process.wait(10)
    # The kernel kills both with their parent at once; a graceful stop there drained its
    # connections for seconds, and once hung for over 45 s.
    left = [name for name in ("mongo", "temporal") if not gone(dev.ports[name], 5)]
    assert left == []


# A server that ignores SIGTERM, started the way `stelsel dev` starts its servers, by a
# parent that then waits to be killed.
STUBBORN = """
import signal, socket, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
s = socket.socket(); s.bind(("127.0.0.1", {port})); s.listen(); time.sleep(60)
"""
PARENT = """
import sys, time
from pathlib import Path
from services.embedded import _start
_start("stubborn", [sys.executable, "-c", {code!r}], {port}, Path({log!r}))
print("started", flush=True); time.sleep(60)
"""


def test_a_server_slow_to_stop_still_dies_with_a_killed_parent(tmp_path: Path):
    port = free_port()
    code = PARENT.format(code=STUBBORN.format(port=port), port=port,
                         log=str(tmp_path / "stubborn.log"))
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                              cwd=Path(__file__).parents[2])
    try:
        assert parent.stdout.readline() == b"started\n"
        assert listening(port)
        parent.kill()
        parent.wait(10)
        assert gone(port, 5)
    finally:
        if parent.poll() is None:
            parent.kill()


def test_export_schema_and_token_exit_0(tmp_path: Path):
    out = tmp_path / "schema.graphql"
    subprocess.run([STELSEL, "export-schema", "--output", str(out)], env=clean_env(), check=True)
    assert "type Query" in out.read_text()
    subprocess.run([STELSEL, "token", "cio-rijk", "--ttl", "60", "--data-dir", str(tmp_path)],
                   env=clean_env(), check=True, capture_output=True)


def test_production_refuses_to_start_without_an_identity_provider():
    result = subprocess.run([STELSEL, "api"], env=clean_env(), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert "STELSEL_OIDC_ISSUER" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def cluster_env(mongo_uri: str, temporal_client: Client) -> dict[str, str]:
    return clean_env(
        MONGODB_URI=mongo_uri,
        TEMPORAL_ADDRESS=temporal_client.service_client.config.target_host,
        STELSEL_MODE="production",
        # Nothing here presents a token: the issuer is never asked for its keys.
        STELSEL_OIDC_ISSUER="http://127.0.0.1:9/issuer",
        STELSEL_OIDC_AUDIENCE="stelsel",
        STELSEL_MONGODB_DATABASE="stelsel_cli",
        STELSEL_TASK_QUEUE="cli-test",
    )


def test_api_and_worker_run_alone_against_given_clusters_and_exit_0(cluster_env):
    port = free_port()
    api = subprocess.Popen([STELSEL, "api", "--port", str(port)], env=cluster_env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    worker = subprocess.Popen([STELSEL, "worker"], env=cluster_env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", api)
        assert "worker polling task queue cli-test" in worker.stdout.readline()
        # Production mode: no GraphiQL.
        page = httpx.get(f"http://127.0.0.1:{port}/graphql", headers={"Accept": "text/html"})
        assert "graphiql" not in page.text.lower()
    finally:
        assert stop(worker, signal.SIGTERM) == 0
        assert stop(api, signal.SIGTERM) == 0


def test_healthz_tells_slow_from_down(cluster_env, tmp_path: Path):
    """A database that answers late under load leaves the API healthy (slow), answered
    within the health check's own time; one that cannot be reached makes it unhealthy."""
    mongo = start_secantus(free_port(), tmp_path / "mongo", tmp_path / "mongo.log",
                           test_commands=True)
    port = free_port()
    health = f"http://127.0.0.1:{port}/healthz"
    env = {**cluster_env, "MONGODB_URI": mongodb_uri(mongo.port)}
    api = subprocess.Popen([STELSEL, "api", "--port", str(port)], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", api)
        with pymongo.MongoClient(mongodb_uri(mongo.port)) as client:
            client.admin.command({"configureFailPoint": "failCommand", "mode": "alwaysOn",
                                  "data": {"failCommands": ["ping"], "blockConnection": True,
                                           "blockTimeMS": 4000}})
        started = time.monotonic()
        response = httpx.get(health, timeout=10)
        assert time.monotonic() - started < 3.5
        assert (response.status_code, response.json()["mongodb"]) == (200, "slow")

        mongo.stop()
        deadline = time.monotonic() + 20
        while True:
            response = httpx.get(health, timeout=10)
            if response.status_code == 503 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert response.status_code == 503
        assert response.json()["mongodb"].startswith("unavailable")
        assert response.json()["temporal"] == "ok"
    finally:
        mongo.stop()
        assert stop(api, signal.SIGTERM) == 0


async def test_council_validate_publish_and_show(mongo_uri: str, tmp_path: Path):
    """`stelsel council`: validate names the first problem and exits 1; publish holds the
    API's rules (the council's own secretariat) against the configured database."""
    from services.councils.definitions import presets
    from services.store.database import Store
    from services.store.demo import seed_demo

    database = "stelsel_cli_councils"
    store = Store.connect(mongo_uri, database)
    try:
        await store.ensure_indexes()
        await seed_demo(store, datetime.now(timezone.utc))
    finally:
        await store.close()
    env = clean_env(MONGODB_URI=mongo_uri, STELSEL_MONGODB_DATABASE=database,
                    STELSEL_MODE="development")
    good = tmp_path / "gemeente.yaml"
    good.write_text(presets()["gemeente-voorbeeld"].replace('"2026-01-01"', '"2026-04-01"'))
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("rule: MAJORITY", "rule: UNANIMOUS"))

    def council(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([STELSEL, "council", *args], env=env, capture_output=True,
                              text=True, timeout=60)

    checked = council("validate", str(good))
    assert checked.returncode == 0 and "gemeente-voorbeeld version 2026-04-01" in checked.stdout
    refused = council("validate", str(bad))
    assert refused.returncode == 1
    assert "procedure.vote.rule: 'UNANIMOUS' is not one of" in refused.stderr
    not_secretary = council("publish", str(good), "--as", "cio-bzk")
    assert not_secretary.returncode == 1 and "secretariat" in not_secretary.stderr
    published = council("publish", str(good), "--as", "gemeente-voorbeeld-sec")
    assert published.returncode == 0, published.stderr
    shown = council("show", "gemeente-voorbeeld")
    assert shown.returncode == 0
    assert "# 2026-04-01" in shown.stdout and "published by" in shown.stdout
    assert 'version: "2026-04-01"' in shown.stdout
    assert council("show", "no-such-council").returncode == 1
