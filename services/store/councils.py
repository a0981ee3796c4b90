"""Council definitions as published: every version of every council, with when it came
into force and how (a preset, a publication by the secretariat, a decision). An issue pins
one version; a version is never changed or removed."""

from __future__ import annotations

from datetime import datetime, timezone

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.councils.definitions import LEGACY_COUNCIL, preset, read
from services.domain.procedure import CouncilDefinition
from services.store.views import CouncilVersionView

# Presets count from the start of time: issues raised before councils were data are the
# default council's, in its first version.
BEGINNING = datetime(2000, 1, 1, tzinfo=timezone.utc)


class VersionConflict(Exception):
    """The version exists with other content: a new content needs a new version."""


def _view(doc: dict) -> CouncilVersionView:
    return CouncilVersionView(doc["council"], doc["version"], doc["hash"],
                              doc["in_force_from"], doc["source"], doc["text"])


class CouncilRepository:
    def __init__(self, db: AsyncDatabase) -> None:
        self.versions = db["councils"]
        # Parsed definitions by content hash, pinned versions by id: a version never changes.
        self._parsed: dict[str, CouncilDefinition] = {}
        self._pinned: dict[tuple[str, str], CouncilDefinition] = {}

    def parsed(self, version: CouncilVersionView) -> CouncilDefinition:
        found = self._parsed.get(version.hash)
        if found is None:
            found = self._parsed[version.hash] = read(version.text)
        return found

    async def publish(self, definition: CouncilDefinition, in_force_from: datetime,
                      source: str) -> tuple[CouncilVersionView, bool]:
        """Stores a version, answering it and whether it is new; the same version with the
        same content again is a no-op (a retry), with other content a VersionConflict."""
        doc = {"_id": f"{definition.id}@{definition.version}", "council": definition.id,
               "version": definition.version, "hash": definition.rules.hash,
               "in_force_from": in_force_from, "source": source, "text": definition.text}
        try:
            await self.versions.insert_one(doc)
        except DuplicateKeyError:
            existing = await self.versions.find_one({"_id": doc["_id"]})
            if existing is None or existing["hash"] != doc["hash"]:
                raise VersionConflict(
                    f"{definition.id} version {definition.version} exists with other "
                    "content: give the new content a new version") from None
            return _view(existing), False
        return _view(doc), True

    async def all_versions(self, council: str | None = None) -> list[CouncilVersionView]:
        query = {} if council is None else {"council": council}
        docs = await self.versions.find(query).sort([("council", 1), ("in_force_from", 1)]
                                                    ).to_list()
        return [_view(d) for d in docs]

    async def in_force(self, council: str, at: datetime) -> CouncilDefinition | None:
        """The version in force at `at`: the latest that came into force by then."""
        docs = await self.versions.find(
            {"council": council, "in_force_from": {"$lte": at}}).to_list()
        if not docs:
            return None
        latest = max(docs, key=lambda d: (d["in_force_from"], d["_id"]))
        return self.parsed(_view(latest))

    async def current(self, at: datetime) -> list[CouncilDefinition]:
        """Every council, each in the version in force at `at`."""
        latest: dict[str, dict] = {}
        for doc in await self.versions.find({"in_force_from": {"$lte": at}}).to_list():
            seen = latest.get(doc["council"])
            if seen is None or (doc["in_force_from"], doc["_id"]) > (
                    seen["in_force_from"], seen["_id"]):
                latest[doc["council"]] = doc
        return [self.parsed(_view(latest[c])) for c in sorted(latest)]

    async def pinned(self, council: str, version: str) -> CouncilDefinition | None:
        """The version an issue pinned."""
        found = self._pinned.get((council, version))
        if found is None:
            doc = await self.versions.find_one({"_id": f"{council}@{version}"})
            if doc is None:
                return None
            found = self._pinned[(council, version)] = self.parsed(_view(doc))
        return found

    async def of_issue(self, council: str | None, version: str | None) -> CouncilDefinition:
        """The definition an issue keeps to; one raised before councils were data keeps to
        the rules of that time (the legacy council's preset)."""
        if council is None or version is None:
            return preset(LEGACY_COUNCIL)
        found = await self.pinned(council, version)
        if found is None:
            raise LookupError(f"council {council} has no version {version}")
        return found
