"""Security headers on every HTTP response: the dashboard keeps a token in localStorage, so
no script but our own may run on its pages and no other site may frame them."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; "
       "form-action 'self'")
# GraphiQL (development only) runs inline scripts; its React and itself come from here.
GRAPHIQL_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
                "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                "font-src 'self' data:; frame-ancestors 'none'; "
                "base-uri 'none'; object-src 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, graphiql: bool = False) -> None:
        self.app = app
        self.graphiql = graphiql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = GRAPHIQL_CSP if self.graphiql and scope["path"] == "/graphql" else CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)
