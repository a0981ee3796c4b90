"""An identity provider of our own on loopback (the outside world's only fake here):
discovery document, JWKS, keys that sign tokens with whatever claims a test needs."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.helpers import serving

AUDIENCE = "stelsel-api"


class FakeIssuer:
    """An identity provider of our own: discovery document, JWKS, keys that sign."""

    def __init__(self) -> None:
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        self.published = {"rsa-1": self.rsa.public_key(), "ec-1": self.ec.public_key()}
        self.url = ""
        self.jwks_fetches = 0

    def app(self) -> Starlette:
        async def discovery(request):
            return JSONResponse({"issuer": self.url, "jwks_uri": f"{self.url}/jwks"})

        async def jwks(request):
            self.jwks_fetches += 1
            keys = []
            for kid, key in self.published.items():
                algorithm = jwt.algorithms.RSAAlgorithm if kid.startswith("rsa") else (
                    jwt.algorithms.ECAlgorithm)
                keys.append({**json.loads(algorithm.to_jwk(key)), "kid": kid, "use": "sig"})
            return JSONResponse({"keys": keys})

        return Starlette(routes=[Route("/.well-known/openid-configuration", discovery),
                                 Route("/jwks", jwks)])

    def token(self, kid: str = "rsa-1", algorithm: str = "RS256", key=None, **claims) -> str:
        now = int(time.time())
        body = {"sub": "cio-bzk", "iss": self.url, "aud": AUDIENCE, "iat": now,
                "exp": now + 300, **claims}
        signing = key or (self.rsa if algorithm.startswith("RS") else self.ec)
        return jwt.encode(body, signing, algorithm=algorithm, headers={"kid": kid})


@pytest.fixture(scope="module")
async def issuer() -> AsyncIterator[FakeIssuer]:
    fake = FakeIssuer()
    async with serving(fake.app()) as url:
        fake.url = url
        yield fake
