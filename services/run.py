"""The long-running commands: the API, the worker, and `dev` with everything embedded.

Each one stops on SIGINT/SIGTERM in order (API, worker, clients, servers) and returns, so
the process exits 0 with no Temporal client or worker left open.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import secrets
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import httpx
import uvicorn
from temporalio.client import Client
from temporalio.common import SearchAttributeIndexedValueType

from services import woo
from services.councils.definitions import InvalidDefinition, read
from services.demo_issues import DemoFailed, seed_issues
from services.domain.errors import Rejection, RejectionCode
from services.embedded import (
    ServerProcess,
    die_with_parent,
    mongodb_uri,
    start_secantus,
    start_temporal,
    tool_path,
)
from services.graph.app import create_app
from services.graph.auth import issue_token
from services.report_formats import render
from services.reports import UnknownCouncil, build_report
from services.settings import Settings
from services.store.database import Store
from services.store.demo import demo_register, seed_demo
from services.tracing import configure_tracing, tracing_enabled
from services.workflows.client import (
    CycleClient,
    connect_temporal,
    missing_search_attributes,
    setup_search_attributes,
)
from services.workflows.search_attributes import SEARCH_ATTRIBUTES
from services.workflows.worker import build_worker, webhooks_of

DEMO_TOKEN_TTL = 30 * 86_400
# How long a stop signal waits for requests, then for activities, to finish.
GRACE_SECONDS = 3
SEARCH_ATTRIBUTE_KINDS = {SearchAttributeIndexedValueType.KEYWORD: "Keyword",
                          SearchAttributeIndexedValueType.BOOL: "Bool"}


class ApiServer(uvicorn.Server):
    # Signals are ours: uvicorn would re-raise SIGINT after shutting down.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.contextmanager
def _on_stop_signal(stop: Callable[[], None]) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    try:
        yield
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def _shared_port(host: str, port: int) -> socket.socket:
    """A listening socket several processes open on one port (SO_REUSEPORT): the kernel
    spreads new connections over them."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                         socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


async def _serve(settings: Settings, host: str, port: int, shared: bool = False) -> None:
    config = uvicorn.Config(create_app(settings), host=host, port=port, log_level="warning",
                            lifespan="on", ws="websockets-sansio",
                            # A stop signal ends even requests still waiting on Temporal.
                            timeout_graceful_shutdown=GRACE_SECONDS,
                            ws_max_size=settings.max_body_bytes,
                            # Events are small: compressing each frame for each socket
                            # cost more than it saved (bench.fanout).
                            ws_per_message_deflate=False)
    server = ApiServer(config)

    def stop() -> None:
        server.should_exit = True

    with _on_stop_signal(stop):
        await server.serve(sockets=[_shared_port(host, port)] if shared else None)
    if not server.started:
        raise SystemExit(f"the API could not start on {host}:{port}")


async def run_api(settings: Settings, host: str, port: int, processes: int = 1,
                  shared: bool = False) -> None:
    """The API; with `processes` > 1, that many on one port, each with its own event loop,
    change stream and read cache (this one and its children, which end with it)."""
    configure_tracing(settings, "stelsel-api")
    if processes <= 1:
        await _serve(settings, host, port, shared)
        return
    command = [tool_path("stelsel"), "api", "--host", host, "--port", str(port),
               "--shared-port"]
    # They stop with this one however it ends (a SIGTERM from the kernel if it is killed).
    children = [subprocess.Popen(command, preexec_fn=functools.partial(
        die_with_parent, signal.SIGTERM) if sys.platform == "linux" else None)
        for _ in range(processes - 1)]
    try:
        await _serve(settings, host, port, shared=True)
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                await asyncio.to_thread(child.wait, GRACE_SECONDS + 5)
            except subprocess.TimeoutExpired:
                child.kill()


async def require_search_attributes(client: Client, settings: Settings) -> None:
    if not settings.temporal_search_attributes:
        return
    missing = await missing_search_attributes(client, settings.temporal_namespace)
    if missing:
        raise SystemExit(f"stelsel: Temporal lacks the search attributes {', '.join(missing)}: "
                         "run `stelsel setup-temporal` once for this namespace")


async def run_setup_temporal(settings: Settings) -> None:
    client = await connect_temporal(settings)
    added = await setup_search_attributes(client, settings.temporal_namespace)
    print("added search attributes: " + ", ".join(added) if added
          else "the search attributes are registered already")


def _store(settings: Settings, traced: bool = False) -> Store:
    """The configured database (a local one when none is configured)."""
    return Store.connect(settings.mongodb_uri or "mongodb://127.0.0.1:27017",
                         settings.mongodb_database, traced=traced)


async def run_worker(settings: Settings) -> None:
    configure_tracing(settings, "stelsel-worker")
    store = _store(settings, traced=tracing_enabled(settings))
    client = await connect_temporal(settings)
    stopped = asyncio.Event()
    try:
        await require_search_attributes(client, settings)
        await store.ensure_indexes(settings.preset_ids)
        async with build_worker(client, store, settings.task_queue, webhooks_of(settings)):
            gc.collect()
            gc.freeze()  # start-up's objects, out of every later full collection
            with _on_stop_signal(stopped.set):
                # Only now: whoever waits for this line may stop us at once.
                print(f"worker polling task queue {settings.task_queue}", flush=True)
                await stopped.wait()
    finally:
        await store.close()


async def run_report(settings: Settings, fmt: str, start: datetime | None,
                     end: datetime | None, output: Path | None, council: str | None = None,
                     table: str = "besluiten", language: str = "nl") -> int:
    store = _store(settings)
    try:
        text = render(await build_report(store, start, end, council), fmt, table, language)
    except UnknownCouncil as err:
        print(f"stelsel report: {err}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    if isinstance(text, bytes):
        if output is None:
            print("stelsel report: a zip goes to a file (--output)", file=sys.stderr)
            return 2
        output.write_bytes(text)
    elif output is None:
        print(text, end="")
    else:
        output.write_text(text)
    return 0


async def run_export_diwoo(settings: Settings, output: Path) -> int:
    """The DiWoo sitemap and every decision's page, as files for a publication platform."""
    store = _store(settings)
    try:
        items = await woo.publications(store, settings.public_url, settings.woo_publisher,
                                       settings.woo_publisher_name)
    finally:
        await store.close()
    (output / "besluiten").mkdir(parents=True, exist_ok=True)
    (output / "sitemap.xml").write_text(woo.sitemap(items))
    for item in items:
        (output / "besluiten" / f"{item.issue_id}.html").write_text(woo.page(item))
    print(f"wrote {output / 'sitemap.xml'} and {len(items)} decision pages")
    return 0


async def run_notifications(settings: Settings, retry: bool) -> None:
    """Lists the dead letters; with `retry`, sends each again."""
    store = _store(settings)
    try:
        dead = await store.outbox.dead_letters()
        for letter in dead:
            print(f"{letter.id}\t{letter.kind}\tgiven up {letter.dead_at:%Y-%m-%d %H:%M} UTC"
                  f"\t{letter.last_error}")
        if retry and dead:
            client = await connect_temporal(settings)
            cycles = CycleClient(client, settings.task_queue)
            now = datetime.now(timezone.utc)
            for letter in dead:
                await store.outbox.revive(letter.id, now)
                await cycles.redeliver(letter.id)
        print(f"{len(dead)} undelivered notification(s)"
              + (", sent again" if retry and dead else ""))
    finally:
        await store.close()


async def run_council_publish(settings: Settings, file: Path, person_id: str) -> int:
    """Publishes a definition as `person_id`, under the rules of the API's defineCouncil."""
    store = _store(settings)
    try:
        definition = read(file.read_text())
        actor = await store.register.actor(person_id)
        if actor is None:
            raise Rejection(RejectionCode.FORBIDDEN, f"{person_id} is not in the register")
        published = await store.define_council(actor, definition, settings.default_council,
                                               datetime.now(timezone.utc))
    except (InvalidDefinition, Rejection, OSError) as problem:
        print(f"{file}: {problem}", file=sys.stderr)
        return 1
    finally:
        await store.close()
    print(f"{published.council} version {published.version} in force from "
          f"{published.in_force_from.isoformat()} ({published.source})")
    return 0


async def run_council_show(settings: Settings, council_id: str) -> int:
    """The version in force (its text) and every version with how it came."""
    store = _store(settings)
    try:
        current = await store.councils.in_force(council_id, datetime.now(timezone.utc))
        versions = await store.councils.all_versions(council_id)
    finally:
        await store.close()
    if current is None:
        print(f"no council {council_id}", file=sys.stderr)
        return 1
    for version in versions:
        print(f"# {version.version}\t{version.hash[:12]}\tin force from "
              f"{version.in_force_from.isoformat()}\t{version.source}")
    print(current.text, end="" if current.text.endswith("\n") else "\n")
    return 0


@dataclass
class DevOptions:
    api_port: int = 8000
    temporal_port: int = 7233
    ui_port: int = 8233
    mongo_port: int = 27017
    data_dir: Path | None = None
    # Demo issues in every phase on a fresh data folder.
    demo_issues: bool = True


log = logging.getLogger("stelsel")


def dev_secret(data_dir: Path) -> str:
    """A random secret kept in the data folder, so printed tokens survive a restart."""
    path = data_dir / "jwt-secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def dev_settings(data_dir: Path | None = None, **overrides) -> Settings:
    settings = Settings(mode="development", **overrides)
    folder = data_dir or settings.data_dir
    updates: dict = {"data_dir": folder}
    if settings.jwt_secret is None:
        updates["jwt_secret"] = dev_secret(folder)
    return Settings(**{**settings.model_dump(), **updates})


@contextlib.asynccontextmanager
async def embedded_servers(settings: Settings, options: DevOptions
                           ) -> AsyncIterator[Settings]:
    """Starts SecantusDB and the Temporal dev server unless MONGODB_URI / TEMPORAL_ADDRESS
    point elsewhere; yields the settings that point at them."""
    folder = settings.data_dir
    started: list[ServerProcess] = []
    updates: dict = {}
    try:
        # Started from this (the main) thread, whose end ends them too (embedded._start).
        if settings.mongodb_uri is None:
            mongo = start_secantus(options.mongo_port, folder / "mongo", folder / "mongo.log")
            started.append(mongo)
            updates["mongodb_uri"] = mongodb_uri(mongo.port)
        if settings.temporal_address is None:
            temporal = start_temporal(
                options.temporal_port, options.ui_port,
                folder / "temporal.db", folder / "temporal.log",
                {key.name: SEARCH_ATTRIBUTE_KINDS[key.indexed_value_type]
                 for key in SEARCH_ATTRIBUTES},
            )
            started.append(temporal)
            updates["temporal_address"] = f"127.0.0.1:{temporal.port}"
        yield Settings(**{**settings.model_dump(), **updates})
    finally:
        for server in reversed(started):
            await asyncio.to_thread(server.stop)


async def run_dev(options: DevOptions) -> None:
    settings = dev_settings(options.data_dir)
    configure_tracing(settings, "stelsel")
    async with embedded_servers(settings, options) as settings:
        store = Store.connect(settings.mongodb_uri, settings.mongodb_database,
                              traced=tracing_enabled(settings))
        try:
            await store.ensure_indexes(settings.preset_ids)
            seeded = await seed_demo(store, datetime.now(timezone.utc))
            client = await connect_temporal(settings)
            await require_search_attributes(client, settings)
            async with build_worker(client, store, settings.task_queue, webhooks_of(settings)):
                _print_banner(settings, options, seeded)
                api = f"http://127.0.0.1:{options.api_port}"
                seeding = (asyncio.create_task(_seed_when_up(api, settings))
                           if seeded and options.demo_issues else None)
                await _serve(settings, "127.0.0.1", options.api_port)
                if seeding is not None:
                    seeding.cancel()
            print("stopped", flush=True)
        finally:
            await store.close()


async def _seed_when_up(api: str, settings: Settings) -> None:
    """The demo issues, once the API answers (a fresh data folder only)."""
    async with httpx.AsyncClient() as http:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(f"{api}/healthz")).status_code == 200:
                    break
            await asyncio.sleep(0.1)
    try:
        count = await seed_issues(api, settings)
        print(f"Demo: {count} zaken in elke fase aangemaakt / demo issues in every phase",
              flush=True)
    except (DemoFailed, httpx.HTTPError) as err:
        log.warning("demo issues not (all) made: %s", err)
    except Exception:  # a demo never stops the service; say why it is incomplete
        log.exception("demo issues not (all) made")


def _print_banner(settings: Settings, options: DevOptions, seeded: bool) -> None:
    api = f"http://127.0.0.1:{options.api_port}"
    lines = [
        "",
        "Stelsel draait (ontwikkelmodus) / Stelsel is running (development mode)",
        f"  Dashboard           {api}/",
        f"  GraphQL + GraphiQL  {api}/graphql",
        f"  Woo (besluiten)     {api}/woo/sitemap.xml",
        f"  Rapportage/report   {api}/reports/register.md",
        f"  Toegankelijkheid    {api}/toegankelijkheid",
        f"  Health              {api}/healthz",
    ]
    if settings.temporal_address == f"127.0.0.1:{options.temporal_port}":
        lines.append(f"  Temporal UI         http://127.0.0.1:{options.ui_port}")
    lines += [
        f"  Data folder         {settings.data_dir.resolve()}"
        + (" (demo register loaded)" if seeded else ""),
        "",
        "Demotokens / demo tokens: als header in GraphiQL / as a header in GraphiQL,"
        " {\"Authorization\": \"Bearer …\"}",
    ]
    names = {p["id"]: p["name"] for p in demo_register()["persons"]}
    for person_id, what in DEMO_ROLES:
        token = issue_token(settings, person_id, DEMO_TOKEN_TTL)
        lines.append(f"  {what:<22} {names.get(person_id, person_id)} ({person_id})")
        lines.append(f"    Bearer {token}")
    lines += ["", "Ctrl-C stopt alles / stops everything.", ""]
    print("\n".join(lines), flush=True)


DEMO_ROLES = [
    ("cio-rijk", "CIO Rijk"),
    ("secretariaat", "Secretariat"),
    ("cio-bzk", "CIO of BZK"),
    ("cio-fin", "CIO of FIN"),
    ("cpo-bzk", "CPO of BZK"),
    ("cdo-bzk", "CDO of BZK"),
    ("cto-bzk", "CTO of BZK"),
]
