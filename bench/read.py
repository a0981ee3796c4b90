"""The read path, side by side in one run: `issues(first: 50)` with ministry, raisedBy,
tally and decision, 16 concurrent connections (wrk), against

  stelsel      our API (one process, read cache on)
  uncached     our API with STELSEL_READ_CACHE=false
  idiomatic    Strawberry as its documentation shows it, DataLoaders per request
  plain        a first-version Strawberry server over the same data, N+1 queries
  bare         a bare Starlette endpoint answering the same JSON (the ceiling)

Each target is measured in interleaved rounds; medians are reported with ratios.
Needs `wrk` (Debian package). Writes the table to docs/BENCHMARKS.md with --write.

    .venv/bin/python -m bench.read --rounds 3 --seconds 10 --write
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from bson import ObjectId

from bench.docs import replace_section
from bench.servers import bench_servers, cpu_seconds, process_cpu, process_env
from services.domain.commands import (
    CastVoteInput,
    ClosePhaseInput,
    DecideInput,
    RaiseIssueInput,
)
from services.domain.types import DecisionOutcome, Procedure, Scope, VoteChoice
from services.embedded import free_port, tool_path
from services.store.database import Store
from services.workflows.client import CycleClient, connect_temporal
from services.workflows.worker import build_worker

ROOT = Path(__file__).parents[1]
QUERY = ("{ issues(first: 50) { edges { node { id title phase ministry { code name } "
         "raisedBy { id name } tally { agree abstain object notVoted eligible } "
         "decision { route outcome } } } } }")
MINISTRIES = ["AZ", "BZ", "BZK", "DEF", "EZK", "FIN", "IenW", "JenV", "LVVN", "OCW", "SZW", "VWS"]
LUA = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[%s]]
"""


def raise_input(actor, scope=Scope.GOVERNMENT_WIDE, ministry=None) -> RaiseIssueInput:
    return RaiseIssueInput(issue_id=str(ObjectId()), actor=actor, title="Benchmark",
                           proposal="Voorstel", scope=scope, ministry=ministry,
                           touches_personal_data=False,
                           procedure=Procedure(3600, 3600, 3600, 3600, 2 / 3))


async def seed(settings, client) -> None:
    """60 issues: government-wide ones with votes (some decided) and departmental ones."""
    store = Store.connect(settings.mongodb_uri, settings.mongodb_database)
    async with build_worker(client, store, settings.task_queue):
        cycles = CycleClient(client, settings.task_queue)
        rijk = await store.register.actor("cio-rijk")
        cios = {m: await store.register.actor(f"cio-{m.lower()}") for m in MINISTRIES}
        for i in range(60):
            if i % 3 == 2:
                ministry = MINISTRIES[i % 12]
                await cycles.raise_issue(raise_input(cios[ministry], Scope.DEPARTMENTAL,
                                                     ministry))
                continue
            command = raise_input(rijk)
            await cycles.raise_issue(command)
            for _ in range(2):
                await cycles.change(command.issue_id, ClosePhaseInput(rijk))
            for ministry in MINISTRIES[: 4 + i % 8]:
                choice = VoteChoice.OBJECT if ministry == "VWS" else VoteChoice.AGREE
                await cycles.change(command.issue_id, CastVoteInput(cios[ministry], choice, "Nee"))
            if i % 3 == 1:
                await cycles.change(command.issue_id, ClosePhaseInput(rijk))
                issue = await store.issues.get(command.issue_id)
                if issue.phase == "MANDATE":
                    await cycles.change(command.issue_id, DecideInput(rijk, DecisionOutcome.ADOPTED, "Nodig"))
    await store.close()


def serve(command: list[str], env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": QUERY},
                          timeout=5).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{command} did not answer on {port}")


def wrk(url: str, script: Path, seconds: int, server: int | None = None) -> dict:
    """wrk's figures; with the server's pid, also the CPU it and SecantusDB spent per
    request (milliseconds)."""
    before = (process_cpu(server), cpu_seconds()["SecantusDB"]) if server else None
    out = subprocess.run([shutil.which("wrk"), "-t2", "-c16", f"-d{seconds}s", "--latency",
                          "-s", str(script), url], capture_output=True, text=True,
                         check=True).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
              "p50": ms("50%"), "p99": ms("99%"),
              "errors": "Non-2xx" in out or "Socket errors" in out}
    if before is not None:
        done = int(re.search(r"(\d+) requests in", out).group(1))
        result["cpu"] = (process_cpu(server) - before[0]) * 1000 / done
        result["db_cpu"] = (cpu_seconds()["SecantusDB"] - before[1]) * 1000 / done
    return result


async def main(rounds: int, seconds: int, write: bool) -> None:
    if shutil.which("wrk") is None:
        sys.exit("bench/read.py needs wrk: apt-get install wrk")
    async with bench_servers("stelsel_bench") as settings:
        folder = settings.data_dir
        client = await connect_temporal(settings)
        await seed(settings, client)
        env = process_env(settings, PYTHONPATH=str(ROOT))
        stelsel = tool_path("stelsel")
        uvicorn = [sys.executable, "-m", "uvicorn", "--log-level", "warning"]
        ports = {name: free_port()
                 for name in ("stelsel", "uncached", "idiomatic", "plain", "bare")}
        processes = {
            "stelsel": serve([stelsel, "api", "--port", str(ports["stelsel"])], env,
                             ports["stelsel"]),
            "uncached": serve([stelsel, "api", "--port", str(ports["uncached"])],
                              {**env, "STELSEL_READ_CACHE": "false"}, ports["uncached"]),
            "idiomatic": serve([*uvicorn, "bench.baselines:idiomatic", "--port",
                                str(ports["idiomatic"])], env, ports["idiomatic"]),
            "plain": serve([*uvicorn, "bench.baselines:plain", "--port",
                            str(ports["plain"])], env, ports["plain"]),
        }
        ours = httpx.post(f"http://127.0.0.1:{ports['stelsel']}/graphql",
                          json={"query": QUERY}).content
        response = Path(folder) / "response.json"
        response.write_bytes(ours)
        processes["bare"] = serve([*uvicorn, "bench.baselines:bare", "--port",
                                   str(ports["bare"])],
                                  {**env, "BENCH_RESPONSE": str(response)}, ports["bare"])
        plain = httpx.post(f"http://127.0.0.1:{ports['plain']}/graphql",
                           json={"query": QUERY}).json()
        assert plain["data"] == json.loads(ours)["data"], "the baselines answer differently"
        idiomatic = httpx.post(f"http://127.0.0.1:{ports['idiomatic']}/graphql",
                               json={"query": QUERY}).json()
        assert idiomatic["data"] == plain["data"], "the baselines answer differently"
        script = Path(folder) / "post.lua"
        script.write_text(LUA % json.dumps({"query": QUERY}))
        try:
            results: dict[str, list[dict]] = {name: [] for name in ports}
            for port in ports.values():  # warm-up
                wrk(f"http://127.0.0.1:{port}/graphql", script, 2)
            for _ in range(rounds):
                for name, port in ports.items():
                    results[name].append(wrk(f"http://127.0.0.1:{port}/graphql", script,
                                             seconds, processes[name].pid))
        finally:
            for process in processes.values():
                process.terminate()
                process.wait(30)
    report(results, rounds, seconds, write)


def report(results: dict[str, list[dict]], rounds: int, seconds: int, write: bool) -> None:
    median = {name: {k: statistics.median(r[k] for r in runs)
                     for k in ("rps", "p50", "p99", "cpu", "db_cpu")}
              for name, runs in results.items()}
    idiomatic, bare = median["idiomatic"]["rps"], median["bare"]["rps"]
    lines = [
        f"Read path: `issues(first: 50)` with ministry, raisedBy, tally and decision; wrk, "
        f"16 connections, 2 threads, {rounds} interleaved rounds of {seconds} s per target, "
        f"medians; {os.cpu_count()} cores, server and wrk on the same machine.",
        "",
        "| target | req/s | p50 ms | p99 ms | × idiomatic Strawberry | ceiling ÷ target "
        "| server CPU ms/req | SecantusDB CPU ms/req |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, label in (("stelsel", "Stelsel API (read cache)"),
                        ("uncached", "Stelsel API, cache off"),
                        ("idiomatic", "idiomatic Strawberry, DataLoaders (baseline)"),
                        ("plain", "first-version Strawberry, N+1 (second baseline)"),
                        ("bare", "bare Starlette, same JSON (ceiling)")):
        m = median[name]
        lines.append(f"| {label} | {m['rps']:,.0f} | {m['p50']:.1f} | {m['p99']:.1f} | "
                     f"{m['rps'] / idiomatic:.2f}× | {bare / m['rps']:.2f}× | {m['cpu']:.2f} | "
                     f"{m['db_cpu']:.2f} |")
    errors = [name for name, runs in results.items() if any(r["errors"] for r in runs)]
    if errors:
        lines.append(f"\nErrors (non-2xx or socket) seen for: {', '.join(errors)}")
    text = "\n".join(lines)
    print(text)
    if write:
        replace_section("read", text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.seconds, arguments.write))
