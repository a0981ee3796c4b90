"""First pages of issue lists, kept between events and mended from the issues an event
touched, so a list made anew after a vote reads one issue, not fifty.

A vote changes one issue; every list that shows it must be made anew (services.graph.cache),
and reading the whole page again for each event kept the database busy enough that no list
was ever ready before the next vote. Here a page remembers when it was read; the issues
touched since are read by id and put in their places. Whenever that cannot be sure of the
page's membership (an issue enters or leaves it: raised, or a phase filter it no longer
meets), the page is read anew. Kept by content, not by caller: the graph's guards decide
what each caller sees of it.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.store.database import Store
from services.store.issues import IssueSelection
from services.store.views import IssueView

# Lists kept (each with its filter and size), and issues remembered as touched.
PAGES = 64
TOUCHES = 10_000

PageKey = tuple
Fetch = Callable[[list[str]], Awaitable[list[IssueView | None]]]


@dataclass
class Page:
    # The page and the next issue after it, if any: whether there is a next page stays
    # known when an issue beyond it changes (it stays beyond this one, or leaves).
    views: list[IssueView]
    read_at: int  # every touch up to this one is in the page


class IssuePages:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._stamp = 0
        # issue id -> its latest touch, in the order of touching
        self._touched: OrderedDict[str, int] = OrderedDict()
        self._forgotten_up_to = 0  # touches before this one are no longer known
        self._pages: OrderedDict[PageKey, Page] = OrderedDict()
        # Pages being read or mended now, with the touch they are brought up to.
        self._flights: dict[PageKey, tuple[int, asyncio.Future]] = {}

    def touched(self, issue_id: str | None) -> None:
        """An issue (or framework) changed; None: anything may have (a register event)."""
        self._stamp += 1
        if issue_id is None:
            self._pages.clear()
            return
        self._touched[issue_id] = self._stamp
        self._touched.move_to_end(issue_id)
        if len(self._touched) > TOUCHES:
            _, stamp = self._touched.popitem(last=False)
            self._forgotten_up_to = stamp

    @staticmethod
    def keeps(selection: IssueSelection, after: str | None) -> bool:
        """First pages whose filter this module can judge an issue by."""
        return after is None and selection.title is None and selection.waiting is None

    async def first(self, selection: IssueSelection, first: int, fetch: Fetch
                    ) -> tuple[list[IssueView], bool]:
        """`fetch` reads issues by id: the request's loader, so the lists of one request
        that show a touched issue read it once."""
        key = (selection.phase, selection.scope, selection.ministry, selection.council,
               selection.overdue, first)
        now = self._stamp
        flight = self._flights.get(key)
        if flight is not None and flight[0] == now:
            # The same page being brought up to this very touch (say, for the public and
            # for officers after one event): wait for it rather than read beside it.
            page = await asyncio.shield(flight[1])
            if page is not None:  # else it failed or its caller left: read it here
                return page.views[:first], len(page.views) > first
        done = asyncio.get_running_loop().create_future()
        self._flights[key] = (now, done)
        page = None
        try:
            page = await self._bring_up(key, selection, first, now, fetch)
        finally:
            if self._flights.get(key, (None, done))[1] is done:
                del self._flights[key]
            done.set_result(page)
        return page.views[:first], len(page.views) > first

    async def _bring_up(self, key: PageKey, selection: IssueSelection, first: int, now: int,
                        fetch: Fetch) -> Page:
        page = self._pages.get(key)
        if page is not None and page.read_at >= self._forgotten_up_to:
            mended = await self._mend(page, selection, first, now, fetch)
            if mended is not None:
                return self._keep(key, mended)
        views, _ = await self.store.issues.page(selection, first + 1, None)
        return self._keep(key, Page(views, now))

    def _keep(self, key: PageKey, page: Page) -> Page:
        kept = self._pages.get(key)
        if kept is None or kept.read_at <= page.read_at:
            self._pages[key] = page
            self._pages.move_to_end(key)
            if len(self._pages) > PAGES:
                self._pages.popitem(last=False)
        return page

    async def _mend(self, page: Page, selection: IssueSelection, first: int, now: int,
                    fetch: Fetch) -> Page | None:
        """The page with the issues touched since it was read put in their places; None
        when its membership may have changed."""
        touched = []
        for issue_id, stamp in reversed(self._touched.items()):
            if stamp <= page.read_at:
                break
            touched.append(issue_id)
        if not touched:
            return page
        fresh = dict(zip(touched, await fetch(touched), strict=True))
        views = list(page.views)
        where = {view.id: n for n, view in enumerate(views)}
        # Without a next issue, every issue that matches is in the page.
        last = views[-1].id if len(views) > first else None
        for issue_id in touched:
            view = fresh.get(issue_id)
            if view is None:
                continue  # a framework's event, or no such issue
            kept, belongs = issue_id in where, selection.matches(view)
            if kept and belongs:
                views[where[issue_id]] = view
            elif kept or (belongs and (last is None or issue_id > last)):
                return None  # it leaves the page (or its next), or enters it
            # else: it did not match and still does not, or it stays beyond the next
        return Page(views, now)
