"""The public downloads beside the API: the Woo sitemap and the register report. Each reads
every decision taken, and anyone may ask, so they are counted per address; the sitemap,
which crawlers ask for again and again, is made once until the next event."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from services.graph.cache import ResultCache
from services.graph.limits import RateLimited, RateLimiter


class Downloads:
    def __init__(self, per_minute: int, cache: ResultCache | None) -> None:
        self.limiter = RateLimiter(per_minute, "downloads")
        self.cache = cache
        # The sitemap being made or made, with the read cache's generation it began in.
        self._sitemap: tuple[int, asyncio.Future[str]] | None = None

    def refused(self, request: Request) -> Response | None:
        """429 when this address has asked for more than its share this minute."""
        client = request.client
        try:
            self.limiter.spend(f"ip:{client.host if client else 'unknown'}")
        except RateLimited as limited:
            retry = limited.extensions["retryAfter"]
            return PlainTextResponse(
                f"Te veel downloads: probeer het over {retry} s opnieuw. / "
                f"Too many downloads: try again in {retry} s.",
                429, headers={"Retry-After": str(retry)})
        return None

    async def sitemap(self, make: Callable[[], Awaitable[str]]) -> str:
        """The sitemap as of the last event: made once for every caller until the next
        one (each event moves the read cache's generation on); without a read cache, made
        for each."""
        if self.cache is None:
            return await make()
        generation = self.cache.generation
        if self._sitemap is None or self._sitemap[0] != generation:
            made = asyncio.ensure_future(make())
            self._sitemap = (generation, made)
            made.add_done_callback(self._forget_failure)
        # A caller that goes away must not cancel what the others wait for.
        return await asyncio.shield(self._sitemap[1])

    def _forget_failure(self, made: asyncio.Future[str]) -> None:
        if (made.cancelled() or made.exception() is not None) and self._sitemap is not None \
                and self._sitemap[1] is made:
            self._sitemap = None
