"""Bearer tokens: who the caller is. What they may do comes from the appointment register,
never from the token.

Production accepts only tokens of an OpenID Connect issuer (RS256/ES256, keys from its
JWKS, `iss`, `aud`, `exp` and `nbf` checked: RFC 8725). Development also accepts HS256
tokens signed with STELSEL_JWT_SECRET, as `stelsel token` prints them.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt

from services.domain.appointments import OIN, seats_of_organisation
from services.domain.types import Actor
from services.settings import Settings
from services.store.database import Store

DEV_ALGORITHM = "HS256"


def issue_token(settings: Settings, person_id: str, ttl_seconds: int) -> str:
    now = int(time.time())
    claims = {"sub": person_id, "aud": settings.jwt_audience, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, settings.secret(), algorithm=DEV_ALGORITHM)


class InvalidToken(Exception):
    pass


class IssuerKeys:
    """The issuer's signing keys, from its discovery document and JWKS, cached."""

    def __init__(self, issuer: str, cache_seconds: int, min_refresh_seconds: float) -> None:
        self.issuer = issuer.rstrip("/")
        self.cache_seconds = cache_seconds
        # An unknown kid refreshes the key set, but not more often than this.
        self.min_refresh_seconds = min_refresh_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        self._failures = 0
        self._retry_at = 0.0

    async def key(self, kid: str | None) -> jwt.PyJWK:
        stale = time.monotonic() - self._fetched_at > self.cache_seconds
        if stale or (kid not in self._keys and self._may_refresh()):
            await self._refresh(seen=self._fetched_at)
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        if kid not in self._keys:
            raise InvalidToken(f"unknown key id {kid!r}")
        return self._keys[kid]

    def _may_refresh(self) -> bool:
        return time.monotonic() - self._fetched_at >= self.min_refresh_seconds

    async def _refresh(self, seen: float) -> None:
        """Fetches the key set once for everyone waiting: a caller that waited for the lock
        while another fetched uses that fetch. After a failure, waits before trying again
        (1, 2, 4, ... up to 60 s) rather than hammering an issuer that is down."""
        async with self._lock:
            if self._fetched_at != seen:
                return
            now = time.monotonic()
            if now < self._retry_at:
                raise InvalidToken("the issuer's keys are unavailable; trying again shortly")
            try:
                async with httpx.AsyncClient(timeout=5) as http:
                    config = (await http.get(
                        f"{self.issuer}/.well-known/openid-configuration")).json()
                    jwks = (await http.get(config["jwks_uri"])).json()
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as err:
                self._failures += 1
                self._retry_at = now + min(60.0, 2.0 ** (self._failures - 1))
                raise InvalidToken(f"the issuer's keys are unavailable ({err})") from err
            self._failures = 0
            keys = {}
            for entry in jwks.get("keys", []) if isinstance(jwks, dict) else []:
                if entry.get("use", "sig") != "sig":
                    continue
                try:
                    keys[entry.get("kid")] = jwt.PyJWK(entry)
                except jwt.PyJWKError:
                    continue  # a key type we do not use
            self._keys = keys
            self._fetched_at = time.monotonic()


# A verified token is believed this long without checking its signature again (never past
# its own `exp`): a dashboard sends the same token with every request.
VERIFIED_SECONDS = 60.0
VERIFIED_TOKENS = 10_000


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.issuer_keys = (
            IssuerKeys(settings.oidc_issuer, settings.jwks_cache_seconds,
                       settings.jwks_min_refresh_seconds)
            if settings.oidc_issuer else None
        )
        # token -> (believed until, claims)
        self._verified: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()

    async def verify(self, token: str) -> dict[str, Any]:
        """The token's claims, its signature and times checked (again once a minute)."""
        now = time.time()
        known = self._verified.get(token)
        if known is not None and now < known[0]:
            return known[1]
        claims = await self._verify(token)
        until = min(now + VERIFIED_SECONDS, float(claims["exp"]))
        self._verified[token] = (until, claims)
        self._verified.move_to_end(token)
        if len(self._verified) > VERIFIED_TOKENS:
            self._verified.popitem(last=False)
        return claims

    async def _verify(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as err:
            raise InvalidToken(f"malformed token ({err})") from err
        algorithm = header.get("alg")
        if algorithm == DEV_ALGORITHM and self.settings.dev and self.settings.jwt_secret:
            return self._decode(token, self.settings.secret(), DEV_ALGORITHM,
                                self.settings.jwt_audience, None)
        if self.issuer_keys is None or algorithm not in self.settings.oidc_algorithms:
            raise InvalidToken(f"tokens signed with {algorithm!r} are not accepted")
        key = await self.issuer_keys.key(header.get("kid"))
        if key.algorithm_name not in (None, algorithm):
            raise InvalidToken("the token's algorithm does not match its key")
        return self._decode(token, key, algorithm, self.settings.oidc_audience,
                            self.settings.oidc_issuer)

    def _decode(self, token: str, key: Any, algorithm: str, audience: str | None,
                issuer: str | None) -> dict[str, Any]:
        required = [self.settings.identity_claim, "exp", "aud"] + (["iss"] if issuer else [])
        try:
            return jwt.decode(
                token, key, algorithms=[algorithm], audience=audience, issuer=issuer,
                options={"require": required, "verify_nbf": True},
            )
        except jwt.ExpiredSignatureError as err:
            raise InvalidToken("the token has expired") from err
        except jwt.ImmatureSignatureError as err:
            raise InvalidToken("the token is not valid yet") from err
        except jwt.InvalidTokenError as err:
            raise InvalidToken(f"the token is invalid: {err}") from err


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
    expires_at: float | None = None
    # With organisation checks on (settings.oin_claim): the token's organisation number.
    oin: str | None = None
    _store: Store | None = None
    # One lookup however many resolvers ask at once, until the register changes (a
    # WebSocket lives long: its caller may lose an appointment while it is open).
    _actor: asyncio.Future[Actor | None] | None = field(default=None, repr=False)
    _generation: int = field(default=-1, repr=False)

    @property
    def authenticated(self) -> bool:
        return self.person_id is not None and (
            self.expires_at is None or time.time() < self.expires_at
        )

    async def actor(self) -> Actor | None:
        """For reading: the caller's appointments as this process last heard of them."""
        if not self.authenticated or self._store is None:
            return None
        generation = self._store.register.generation
        if self._actor is None or generation != self._generation:
            self._generation = generation
            self._actor = asyncio.ensure_future(self._lookup())
        return await asyncio.shield(self._actor)

    async def _lookup(self) -> Actor | None:
        """The person's seats; with organisation checks on, only those the organisation
        that signed them in may act in."""
        assert self._store is not None and self.person_id is not None
        actor = await self._store.register.actor(self.person_id)
        if actor is None or self.oin is None:
            return actor
        units = sorted({a.ministry for a in actor.appointments if a.ministry})
        return seats_of_organisation(actor, self.oin,
                                     await self._store.register.unit_oins(units))

    async def actor_now(self) -> Actor | None:
        """For acting: the caller's appointments read from the register at this moment, so
        an appointment that ended on another replica a moment ago no longer acts."""
        if not self.authenticated or self._store is None:
            return None
        self._generation = self._store.register.generation
        self._actor = asyncio.ensure_future(self._lookup())
        return await asyncio.shield(self._actor)

    async def holds_appointment(self) -> bool:
        actor = await self.actor()
        return bool(actor and actor.appointments)


async def authenticate(verifier: TokenVerifier, store: Store, authorization: str | None
                       ) -> Viewer:
    token = bearer(authorization)
    if token is None:
        return Viewer(_store=store)
    if not token:
        return Viewer(refused="the Authorization header must be 'Bearer <token>'")
    try:
        claims = await verifier.verify(token)
    except InvalidToken as err:
        return Viewer(refused=str(err))
    settings = verifier.settings
    subject = claims.get(settings.identity_claim)
    if not isinstance(subject, str) or not subject.strip():
        # An empty subject would be nobody in particular: never the anonymous caller's peer.
        return Viewer(refused=f"the token names no subject ({settings.identity_claim})")
    oin = None
    if settings.oin_claim is not None:
        oin = claims.get(settings.oin_claim)
        if not isinstance(oin, str) or not OIN.fullmatch(oin):
            return Viewer(refused=f"the token carries no organisation number "
                                  f"({settings.oin_claim}: 20 digits)")
    return Viewer(person_id=subject, expires_at=float(claims["exp"]), oin=oin, _store=store)
