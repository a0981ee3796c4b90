"""The baselines the read path is measured against, side by side in the same run.

- `bare`: a bare Starlette endpoint answering the very JSON our API answers (the ceiling).
- `plain`: a plain Strawberry server over the same MongoDB data, written the way a first
  version would be: resolvers that query per field, no DataLoaders, no cache.
- `idiomatic`: the same schema written as Strawberry's documentation shows it: a
  DataLoader per request for ministries (one `$in` query), no cache.

Both answer as the API answers an anonymous reader: the seat that raised an issue, not
the person.

Run by bench/read.py as `uvicorn bench.baselines:bare` / `bench.baselines:plain`, with
BENCH_RESPONSE (a file holding the JSON) or MONGODB_URI / STELSEL_MONGODB_DATABASE.
"""

from __future__ import annotations

import os
from pathlib import Path

import strawberry
from pymongo import AsyncMongoClient
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.dataloader import DataLoader

from services.councils.definitions import LEGACY_COUNCIL, preset
from services.domain.seats import raiser_seat, seat_id


def _bare() -> Starlette:
    body = Path(os.environ.get("BENCH_RESPONSE", "/dev/null")).read_bytes()

    async def graphql(request) -> Response:
        await request.body()
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])


_db = None


def _database():
    global _db
    if _db is None:
        client = AsyncMongoClient(os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017"))
        _db = client[os.environ.get("STELSEL_MONGODB_DATABASE", "stelsel")]
    return _db


@strawberry.type
class Ministry:
    code: strawberry.ID
    name: str


@strawberry.type
class Person:
    id: strawberry.ID
    name: str


@strawberry.type
class Tally:
    agree: int
    abstain: int
    object: int
    not_voted: int
    eligible: int


@strawberry.type
class Decision:
    route: str
    outcome: str


@strawberry.type
class Issue:
    id: strawberry.ID
    title: str
    phase: str
    doc: strawberry.Private[dict]

    @strawberry.field
    async def ministry(self) -> Ministry | None:
        code = self.doc.get("ministry")
        if code is None:
            return None
        found = await _database().ministries.find_one({"_id": code})
        return Ministry(code=found["_id"], name=found["name"])

    @strawberry.field
    async def raised_by(self) -> Person:
        # The benchmark reads anonymously: the seat that raised it, not the person, as
        # the API answers the public (services.domain.seats).
        return _raiser(self.doc)

    @strawberry.field
    def tally(self) -> Tally:
        choices = [v["choice"] for v in self.doc["votes"]]
        members = len(self.doc["members"])
        return Tally(agree=choices.count("AGREE"), abstain=choices.count("ABSTAIN"),
                     object=choices.count("OBJECT"), not_voted=members - len(choices),
                     eligible=members)

    @strawberry.field
    def decision(self) -> Decision | None:
        d = self.doc.get("decision")
        return Decision(route=d["route"], outcome=d["outcome"]) if d else None


def _raiser(doc: dict) -> Person:
    council = preset(LEGACY_COUNCIL).rules  # the benchmark's issues are the CIO-beraad's
    seat = raiser_seat(council, doc.get("ministry"))
    return Person(id=seat_id(*seat), name=council.seat_label(*seat))


@strawberry.type
class Edge:
    node: Issue


@strawberry.type
class Connection:
    edges: list[Edge]


@strawberry.type
class Query:
    @strawberry.field
    async def issues(self, first: int = 20) -> Connection:
        docs = await _database().issues.find({}).sort("_id", -1).limit(first).to_list()
        return Connection(edges=[Edge(node=Issue(id=d["_id"], title=d["title"],
                                                 phase=d["phase"], doc=d)) for d in docs])


@strawberry.type
class LoadedIssue(Issue):
    """An issue whose ministry and raiser come from the request's DataLoaders."""

    @strawberry.field
    async def ministry(self, info: strawberry.Info) -> Ministry | None:
        code = self.doc.get("ministry")
        return await info.context["ministries"].load(code) if code else None

    @strawberry.field
    async def raised_by(self) -> Person:
        return _raiser(self.doc)


@strawberry.type
class LoadedEdge:
    node: LoadedIssue


@strawberry.type
class LoadedConnection:
    edges: list[LoadedEdge]


@strawberry.type
class LoadedQuery:
    @strawberry.field
    async def issues(self, first: int = 20) -> LoadedConnection:
        docs = await _database().issues.find({}).sort("_id", -1).limit(first).to_list()
        return LoadedConnection(edges=[LoadedEdge(node=LoadedIssue(
            id=d["_id"], title=d["title"], phase=d["phase"], doc=d)) for d in docs])


def _loader(collection: str, make) -> DataLoader:
    async def load(keys: list[str]) -> list:
        found = {d["_id"]: d for d in await _database()[collection].find(
            {"_id": {"$in": list(keys)}}).to_list()}
        return [make(found[k]) if k in found else None for k in keys]

    return DataLoader(load_fn=load)


class _LoadedGraphQL(GraphQL):
    async def get_context(self, request, response) -> dict:
        return {"ministries": _loader("ministries", lambda d: Ministry(code=d["_id"],
                                                                        name=d["name"]))}


def _idiomatic() -> Starlette:
    graphql = _LoadedGraphQL(strawberry.Schema(query=LoadedQuery), graphql_ide=None)
    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])


def _plain() -> Starlette:
    graphql = GraphQL(strawberry.Schema(query=Query), graphql_ide=None)
    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])])


def __getattr__(name: str):
    # Built on demand: `bare` reads its file and `plain` connects only when served.
    if name == "bare":
        return _bare()
    if name == "plain":
        return _plain()
    if name == "idiomatic":
        return _idiomatic()
    raise AttributeError(name)
