"""Bearer tokens: who the caller is. What they may do comes from the appointment register,
never from the token."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import jwt

from services.domain.types import Actor
from services.settings import Settings
from services.store.database import Store

ALGORITHMS = ["HS256"]


def issue_token(settings: Settings, person_id: str, ttl_seconds: int) -> str:
    now = int(time.time())
    claims = {"sub": person_id, "aud": settings.jwt_audience, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, settings.secret(), algorithm="HS256")


def bearer(value: str | None) -> str | None:
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else ""


@dataclass
class Viewer:
    """The caller of one request (or one WebSocket connection)."""

    person_id: str | None = None
    # Why a presented token was refused, to tell the caller when a field needs identity.
    refused: str | None = None
    _store: Store | None = None
    # One lookup per request, however many resolvers ask at once.
    _actor: asyncio.Future[Actor | None] | None = field(default=None, repr=False)

    async def actor(self) -> Actor | None:
        if self.person_id is None or self._store is None:
            return None
        if self._actor is None:
            self._actor = asyncio.ensure_future(self._store.register.actor(self.person_id))
        return await asyncio.shield(self._actor)

    async def holds_appointment(self) -> bool:
        actor = await self.actor()
        return bool(actor and actor.appointments)


def authenticate(settings: Settings, store: Store, authorization: str | None) -> Viewer:
    token = bearer(authorization)
    if token is None:
        return Viewer(_store=store)
    if not token:
        return Viewer(refused="the Authorization header must be 'Bearer <token>'")
    try:
        claims = jwt.decode(
            token,
            settings.secret(),
            algorithms=ALGORITHMS,
            audience=settings.jwt_audience,
            options={"require": ["sub", "exp", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        return Viewer(refused="the token has expired")
    except jwt.InvalidTokenError as err:
        return Viewer(refused=f"the token is invalid: {err}")
    return Viewer(person_id=str(claims["sub"]), _store=store)
