"""The public downloads beside the API: the Woo sitemap and the register report. Each reads
every decision taken, and anyone may ask, so they are counted per address; the sitemap,
which crawlers ask for again and again, is made once until the next event."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from services.graph.cache import ResultCache
from services.graph.limits import RateLimited, RateLimiter, address
from services.graph.shared import SharedResult


class Downloads:
    def __init__(self, per_minute: int, cache: ResultCache | None) -> None:
        self.limiter = RateLimiter(per_minute, "downloads")
        self.cache = cache
        # The sitemap being made or made, with the read cache's generation it began in.
        self._sitemap: tuple[int, SharedResult] | None = None

    def refused(self, request: Request) -> Response | None:
        """429 when this address has asked for more than its share this minute."""
        try:
            self.limiter.spend(address(request))
        except RateLimited as limited:
            retry = limited.extensions["retryAfter"]
            return PlainTextResponse(
                f"Te veel downloads: probeer het over {retry} s opnieuw. / "
                f"Too many downloads: try again in {retry} s.",
                429, headers={"Retry-After": str(retry)})
        return None

    async def sitemap(self, make: Callable[[], Coroutine[Any, Any, str]]) -> str:
        """The sitemap as of the last event: made once for every caller until the next
        one (each event moves the read cache's generation on; a failure is made again);
        without a read cache, made for each."""
        if self.cache is None:
            return await make()
        kept = self._sitemap
        if kept is None or kept[0] != self.cache.generation or kept[1].failed():
            kept = self._sitemap = (self.cache.generation, SharedResult(make()))
        return await kept[1].wait()
