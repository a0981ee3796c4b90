"""The Starlette app: GraphQL over HTTP and graphql-transport-ws at /graphql, and /healthz."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cross_web import HTTPException
from graphql import OperationType
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
)
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from services import accessibility, woo
from services.domain.councils import CouncilRules
from services.graph.auth import TokenVerifier, Viewer, authenticate, issue_token
from services.graph.cache import (
    ResultCache,
    cache_key,
    mutation_owner,
    names_the_caller,
    read_plan,
)
from services.graph.context import Context
from services.graph.downloads import Downloads
from services.graph.feed import EventFeed
from services.graph.headers import SecurityHeaders
from services.graph.limits import BodySizeLimit, RateLimiter
from services.graph.loaders import Loaders
from services.graph.observability import Metrics, trace_id
from services.graph.pages import IssuePages
from services.graph.schema import build_schema
from services.graph.trusted import TrustedDocuments
from services.report_formats import render
from services.reports import FORMATS, MEDIA_TYPES, UnknownCouncil, build_report, parse_moment
from services.settings import Settings
from services.store.database import Store
from services.store.views import OfficerView
from services.tracing import tracing_enabled
from services.workflows.client import CycleClient, connect_temporal

log = logging.getLogger("stelsel.api")

HEALTH_TIMEOUT = 2.0
WEB = Path(__file__).parents[2] / "web"
DEMO_TOKEN_TTL = 12 * 3600
# Callers whose visibility class is remembered (each re-read after a register change).
CLASS_MEMORY = 10_000
# Event results whose JSON is remembered: a few events' worth of visibility classes.
ENCODED_RESULTS = 64
# The collector's thresholds once started (CPython's are 700, 10, 10): a thousand sockets
# hold some 350,000 objects that a full collection walks (~100 ms, in the middle of an
# event's fan-out), and with young collections every 700 objects an event's objects in
# flight were promoted and soon set off another full one (bench.fanout).
COLLECTOR_THRESHOLDS = (50_000, 20, 100)


@dataclass
class Backends:
    """Connected when the app starts (lifespan), used by every request."""

    store: Store | None = None
    cycles: CycleClient | None = None
    feed: EventFeed | None = None
    pages: IssuePages | None = None


class StelselGraphQL(GraphQL):
    def __init__(self, settings: Settings, backends: Backends) -> None:
        super().__init__(
            build_schema(settings, RateLimiter(settings.queries_per_minute, "reads")),
            graphql_ide="graphiql" if settings.dev else None,
            # Only graphql-transport-ws: the older graphql-ws protocol is not offered.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.settings = settings
        self.backends = backends
        self.verifier = TokenVerifier(settings)
        self.limiter = RateLimiter(settings.mutations_per_minute)
        self.trusted = TrustedDocuments.load(settings.trusted_documents)
        self.metrics = Metrics()
        self.cache = ResultCache(settings.read_cache_entries) if settings.read_cache else None
        # The read running now per cache key, with the generation it began in: a caller of
        # the same read waits for it instead of computing it beside it.
        self._flights: dict[str, tuple[int, asyncio.Future]] = {}
        # Results of recent events by id(), with their JSON (encode_json).
        self._encoded: OrderedDict[int, tuple[dict, str]] = OrderedDict()
        # person -> (register generation, "officer" | "public"): who sees what, as last read.
        self._classes: OrderedDict[str, tuple[int, str]] = OrderedDict()
        self.sockets = 0  # WebSockets open now

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL from this server (web/build.mjs copies the same files, whose integrity
        hashes the page keeps): it works offline and behind a proxy."""
        return super().graphql_ide_html.replace("https://unpkg.com/", "/assets/graphiql/")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "websocket":
            await self._socket(scope, receive, send)
            return
        if scope["type"] != "http" or scope["method"] != "POST":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body()  # kept on the request for Strawberry to read again
        data, problem = request_body(body, request.headers.get("content-type"))
        if problem is not None:
            await bad_request(problem)(scope, receive, send)
            return
        key, plan = None, None
        if self.cache is not None and data is not None:
            try:
                document = self._document(data.get("query"), data.get("extensions"))
            except HTTPException as err:
                await bad_request(err.reason)(scope, receive, send)
                return
            plan = read_plan(document, data.get("operationName")) if document else None
            if plan is not None and plan.kind == OperationType.QUERY:
                viewer = await authenticate(self.verifier, self.backends.store,
                                            request.headers.get("authorization"))
                request.state.viewer = viewer  # the context's too, appointments read once
                # Keyed on the document that runs, not the text sent beside a hash.
                seen_as = await self._seen_as(
                    viewer, plan.per_caller or names_the_caller(data.get("variables")))
                key = cache_key(seen_as, {**data, "query": document})
                cached = await self._kept_or_flown(key)
                if cached is not None:
                    await Response(cached, media_type="application/json")(scope, receive, send)
                    return
        generation = self.cache.generation if self.cache is not None else 0
        flight = self._take_off(key, generation) if key else None
        kept = None
        try:
            try:
                response = await self.run(request)
            except HTTPException as err:
                response = PlainTextResponse(err.reason, status_code=err.status_code)
            if self.cache is not None and plan is not None:
                variables = (data.get("variables") if isinstance(data.get("variables"), dict)
                             else {})
                if plan.kind == OperationType.MUTATION:
                    changed = getattr(request.state, "changed", None)
                    if changed is not None:  # set by the mutation: what it changed, to which seq
                        self.cache.answered(*changed)
                    else:
                        self.cache.invalidate(mutation_owner(variables))
                elif (key and response.status_code == 200 and b'"errors"' not in response.body
                      and len(response.body) <= self.settings.read_cache_max_bytes):
                    kept = response.body
                    self.cache.put(key, kept, plan.owner_of(variables), generation)
        finally:
            if flight is not None:
                self._land(key, flight, kept)
        await response(scope, receive, send)

    async def _kept_or_flown(self, key: str) -> bytes | None:
        """The kept answer, or that of the same read running now if it began after the
        last event before this caller came (so it holds every write this caller could
        know of); None: this caller computes it. One computation per read at a time: while
        events arrive faster than a list is made, computations begun beside each other
        would each slow the others until none is ever kept."""
        arrived = self.cache.generation
        while True:
            cached = self.cache.get(key)
            if cached is not None:
                return cached
            flight = self._flights.get(key)
            if flight is None:
                return None  # no await follows before this caller takes off
            began, answer = flight[0], await asyncio.shield(flight[1])
            if began >= arrived and answer is not None:
                return answer

    def _take_off(self, key: str, generation: int) -> tuple[int, asyncio.Future]:
        flight = (generation, asyncio.get_running_loop().create_future())
        self._flights.setdefault(key, flight)
        return flight

    def _land(self, key: str, flight: tuple[int, asyncio.Future], answer: bytes | None
              ) -> None:
        if self._flights.get(key) is flight:
            del self._flights[key]
        flight[1].set_result(answer)

    async def _seen_as(self, viewer: Viewer, per_caller: bool) -> str:
        """Whose result this is: the person's, when it selects their own fields; else the
        visibility class, shared by everyone in it."""
        if not viewer.authenticated:
            return "public"
        if per_caller:
            return "person:" + viewer.person_id
        generation = self.backends.store.register.generation
        known = self._classes.get(viewer.person_id)
        if known is None or known[0] != generation:
            known = (generation, "officer" if await viewer.holds_appointment() else "public")
            self._classes[viewer.person_id] = known
            self._classes.move_to_end(viewer.person_id)
            if len(self._classes) > CLASS_MEMORY:
                self._classes.popitem(last=False)
        return known[1]

    def _document(self, query: str | None, extensions: dict | None) -> str | None:
        """The document that runs: the trusted one a hash names, or the text sent."""
        if self.trusted is None:
            return query
        return self.trusted.resolve(query, extensions,
                                    only=self.settings.trusted_documents_only)

    def encode_json(self, data: object) -> str:
        shared = _shared_next(data)
        if shared is not None:  # an event's result, the same for many sockets
            encoded = ('{"id":' + json.dumps(data["id"]) + ',"type":"next","payload":{"data":'
                       + self._encoded_once(shared) + "}}")
        else:
            encoded = json.dumps(data, separators=(",", ":"))
        if len(encoded) <= self.settings.max_response_bytes:
            return encoded
        return json.dumps(too_large(data, self.settings.max_response_bytes),
                          separators=(",", ":"))

    def _encoded_once(self, result: dict) -> str:
        """The JSON of a result shared by every socket that asked the same
        (services.graph.fanout), made once. Kept with the result itself, so its id
        cannot name another."""
        found = self._encoded.get(id(result))
        if found is None or found[0] is not result:
            found = (result, json.dumps(result, separators=(",", ":")))
            self._encoded[id(result)] = found
            if len(self._encoded) > ENCODED_RESULTS:
                self._encoded.popitem(last=False)
        return found[1]

    async def get_context(self, request, response) -> Context:
        b = self.backends
        viewer = getattr(request.state, "viewer", None) if hasattr(request, "state") else None
        if viewer is None:
            viewer = await authenticate(self.verifier, b.store,
                                        request.headers.get("authorization"))
        return Context(
            request=request,
            response=response,
            settings=self.settings,
            store=b.store,
            cycles=b.cycles,
            feed=b.feed,
            viewer=viewer,
            loaders=Loaders(b.store),
            limiter=self.limiter,
            metrics=self.metrics,
            trace_id=trace_id(request.headers),
            pages=b.pages,
        )

    async def _socket(self, scope, receive, send) -> None:
        """A WebSocket, unless the process holds as many as it may: then it is accepted
        and closed at once with 1013, which clients read as "try again later"."""
        if self.sockets >= self.settings.max_sockets:
            socket = WebSocket(scope, receive, send)
            asked = GRAPHQL_TRANSPORT_WS_PROTOCOL in scope.get("subprotocols", ())
            await socket.accept(GRAPHQL_TRANSPORT_WS_PROTOCOL if asked else None)
            await socket.close(1013, "te veel verbindingen / too many connections")
            return
        self.sockets += 1
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.sockets -= 1

    async def on_ws_connect(self, context: Context):
        # The token travels in connection_init: {"Authorization": "Bearer <jwt>"}. Without
        # one the socket opens and subscribing answers UNAUTHENTICATED; an invalid one
        # closes the socket with 4403.
        params = context.connection_params or {}
        authorization = params.get("Authorization") or params.get("authorization")
        if authorization is None:
            context.viewer = Viewer(_store=context.store)
            return await super().on_ws_connect(context)
        viewer = await authenticate(self.verifier, context.store, str(authorization))
        if not viewer.authenticated:
            raise ConnectionRejectionError({"reason": viewer.refused})
        context.viewer = viewer
        return await super().on_ws_connect(context)

    async def parse_http_body(self, request):
        data = await super().parse_http_body(request)
        if not isinstance(data, list):
            data.query = self._document(data.query, data.extensions)
        return data


async def _check(probe, connected_meanwhile) -> str:
    """ok; slow (no answer in time, yet the connection stands); or unavailable: why."""
    try:
        await asyncio.wait_for(probe, HEALTH_TIMEOUT)
        return "ok"
    except TimeoutError:
        return "slow" if connected_meanwhile() else "unavailable: no answer"
    except Exception as err:  # any failure of a dependency makes us unhealthy
        return f"unavailable: {type(err).__name__}"


def _shared_next(message: object) -> dict | None:
    """The data of a graphql-transport-ws `next` message that carries nothing else."""
    if not (isinstance(message, dict) and message.get("type") == "next"
            and isinstance(message.get("id"), str) and len(message) == 3):
        return None
    payload = message.get("payload")
    if isinstance(payload, dict) and len(payload) == 1 and isinstance(payload.get("data"), dict):
        return payload["data"]
    return None


def too_large(data: object, limit: int) -> object:
    """The answer that replaces one over the size cap: an HTTP result or a WebSocket
    `next` message keeps its shape, with the data dropped and a coded error."""
    error = {"message": f"the answer is larger than {limit:,} bytes: ask for less",
             "extensions": {"code": "RESPONSE_TOO_LARGE"}}
    if isinstance(data, dict) and "payload" in data and "type" in data:
        return {**data, "payload": {"data": None, "errors": [error]}}
    return {"data": None, "errors": [error]}


def request_body(body: bytes, content_type: str | None) -> tuple[dict | None, str | None]:
    """A JSON GraphQL request checked for shape: (its fields, None) or (None, why not).
    Bodies of other types are Strawberry's to judge."""
    if not (content_type or "").startswith("application/json"):
        return None, None
    try:
        data = json.loads(body)
    except ValueError:
        return None, "the body is not JSON"
    if isinstance(data, list):
        return None, None  # a batch: Strawberry refuses it (batching is off)
    if not isinstance(data, dict):
        return None, "the body must be a JSON object"
    for name, kinds in REQUEST_FIELDS.items():
        if data.get(name) is not None and not isinstance(data[name], kinds):
            return None, f"{name} must be {REQUEST_FIELD_KINDS[name]}"
    return data, None


REQUEST_FIELDS = {"query": str, "operationName": str, "variables": dict, "extensions": dict}
REQUEST_FIELD_KINDS = {"query": "a string", "operationName": "a string",
                       "variables": "an object", "extensions": "an object"}


def bad_request(why: str) -> Response:
    return JSONResponse({"errors": [{"message": why, "extensions": {"code": "BAD_REQUEST"}}]},
                        status_code=400)


def create_app(settings: Settings, **mongo_options: Any) -> Starlette:
    """Connects to MongoDB and Temporal when it starts; `MONGODB_URI` and
    `TEMPORAL_ADDRESS` say where. `mongo_options` go to the MongoDB client (say, command
    listeners)."""
    backends = Backends()
    graphql = StelselGraphQL(settings, backends)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        started = time.perf_counter()
        store = Store.connect(settings.mongodb_uri or "mongodb://127.0.0.1:27017",
                              settings.mongodb_database, traced=tracing_enabled(settings),
                              **mongo_options)
        await store.ensure_indexes(settings.preset_ids)
        indexed = time.perf_counter()
        temporal = await connect_temporal(settings)
        log.info("started: indexes %.2f s, Temporal %.2f s", indexed - started,
                 time.perf_counter() - indexed)
        backends.store = store
        backends.cycles = CycleClient(temporal, settings.task_queue)
        backends.feed = EventFeed(store)
        if graphql.cache is not None:
            cache = graphql.cache
            backends.pages = IssuePages(store)
            cache.listeners.append(backends.pages.touched)
            backends.feed.listeners.append(lambda stored: cache.heard(
                stored.timeline, stored.owner, getattr(stored.event, "seq", None)))
        backends.feed.start()
        # What start-up made lives as long as the process; full collections stop walking
        # it again and again (a fifth of an uncached list's CPU, docs/BENCHMARKS.md).
        gc.collect()
        gc.freeze()
        gc.set_threshold(*COLLECTOR_THRESHOLDS)
        try:
            yield
        finally:
            await backends.feed.stop()
            await store.close()

    async def healthz(request: Request) -> JSONResponse:
        """Whether this API can serve: its MongoDB and Temporal connections answer. A busy
        server that answers late is slow, not down: a loaded machine must not make a
        healthy API look dead (a restart would only add load)."""
        store, temporal = backends.store, backends.cycles.temporal
        mongodb, temporal_state = await asyncio.gather(
            _check(store.ping(), lambda: store.reachable()),
            _check(temporal.service_client.check_health(), lambda: True),
        )
        report = {"api": "ok", "mongodb": mongodb, "temporal": temporal_state}
        healthy = not any(v.startswith("unavailable") for v in report.values())
        return JSONResponse(report, status_code=200 if healthy else 503)

    page = (WEB / "index.html").read_text().replace("{{theme}}", settings.theme).replace(
        "{{theme_class}}", THEME_CLASSES[settings.theme])

    async def dashboard(request: Request):
        if not (WEB / "dist" / "app.js").exists():
            return PlainTextResponse("The dashboard is not built: run `make setup`.", 503)
        return HTMLResponse(page)

    async def demo_tokens(request: Request) -> JSONResponse:
        """Development only: a token per officer of the register, for the role picker."""
        officers = await backends.store.register.officers()
        people = await backends.store.register.persons_by_id(
            sorted({o.person_id for o in officers}))
        councils = {c.id: c.rules for c in await backends.store.councils.current(
            datetime.now(timezone.utc))}
        choices = [
            {
                "label": f"{_seat_name(councils.get(o.council), o)} — {people[o.person_id].name}",
                "token": issue_token(settings, o.person_id, DEMO_TOKEN_TTL),
            }
            for o in officers if o.person_id in people
        ]
        choices.append({"label": "Publiek (geen benoeming) / public (no appointment)",
                        "token": issue_token(settings, "publiek", DEMO_TOKEN_TTL)})
        return JSONResponse(choices)

    downloads = Downloads(settings.downloads_per_minute, graphql.cache)

    async def woo_sitemap_text() -> str:
        return woo.sitemap(await woo.publications(
            backends.store, settings.public_url, settings.woo_publisher,
            settings.woo_publisher_name))

    async def woo_sitemap(request: Request) -> Response:
        """Every decision with its DiWoo metadata (docs/WOO.md)."""
        if (refused := downloads.refused(request)) is not None:
            return refused
        return Response(await downloads.sitemap(woo_sitemap_text),
                        media_type="application/xml; charset=utf-8")

    async def accessibility_statement(request: Request) -> Response:
        """How accessible the dashboard is, from what the browser tests recorded."""
        return HTMLResponse(accessibility.statement(
            accessibility.evidence(), settings.theme, THEME_CLASSES[settings.theme]))

    async def decision_page(request: Request) -> Response:
        """A decision's public, permanent page."""
        found = await woo.publication(backends.store, request.path_params["issue_id"],
                                      settings.public_url, settings.woo_publisher,
                                      settings.woo_publisher_name)
        if found is None:
            return PlainTextResponse("Dit besluit bestaat niet (nog).", 404)
        return HTMLResponse(woo.page(found, settings.theme, THEME_CLASSES[settings.theme]))

    async def report(request: Request) -> Response:
        """The decision register, framework compliance and the register's changes;
        ?from= and ?to= (ISO dates), ?council= (an id; default: every council), ?taal=nl|en,
        and for CSV ?tabel= (besluiten, kaders, uitzonderingen, register)."""
        fmt = request.path_params["fmt"]
        if fmt not in FORMATS:
            return PlainTextResponse(f"format must be one of {', '.join(FORMATS)}", 404)
        if (refused := downloads.refused(request)) is not None:
            return refused
        params = request.query_params
        try:
            start, end = (parse_moment(params.get(k)) for k in ("from", "to"))
        except ValueError:
            return PlainTextResponse("from and to are ISO dates or times between the years "
                                     "1 and 9999", 400)
        try:
            built = await build_report(backends.store, start, end,
                                       params.get("council") or None)
        except UnknownCouncil as err:
            return PlainTextResponse(str(err), 404)
        table = params.get("tabel") or "besluiten"
        try:
            body = render(built, fmt, table, params.get("taal") or "nl")
        except ValueError as err:
            return PlainTextResponse(str(err), 400)
        name = f"stelsel-register-{table}.csv" if fmt == "csv" else f"stelsel-register.{fmt}"
        return Response(body, media_type=MEDIA_TYPES[fmt], headers={
            "Content-Disposition": f'attachment; filename="{name}"'})

    async def metrics(request: Request) -> Response:
        body = await graphql.metrics.render(backends.store, backends.feed.subscriber_count)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/metrics", metrics),
        Route("/", dashboard),
        Route("/issues/{issue_id}", dashboard),
        Route("/frameworks", dashboard),
        Route("/register", dashboard),
        Route("/toegankelijkheid", accessibility_statement),
        Route("/reports/register.{fmt}", report),
        Route("/woo/sitemap.xml", woo_sitemap),
        Route("/besluiten/{issue_id}", decision_page),
        Mount("/assets", app=StaticFiles(directory=WEB / "dist", check_dir=False)),
    ]
    if settings.dev:
        routes.append(Route("/dev/tokens", demo_tokens))
    return Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(SecurityHeaders, graphiql=settings.dev),
                    Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)],
    )


# The class each NL Design System theme's tokens are scoped to.
THEME_CLASSES = {"neutraal": "voorbeeld-theme", "rijkshuisstijl": "rhc-theme"}


def _seat_name(council: CouncilRules | None, officer: OfficerView) -> str:
    """"CIO-beraad Rijksdienst: CIO BZK": a demo seat in its council's words."""
    if council is None:
        return officer.role
    role = council.role(officer.role)
    name = role.name.nl if role else officer.role
    return f"{council.name.nl}: {name}{' ' + officer.ministry if officer.ministry else ''}"
