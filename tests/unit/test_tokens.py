"""A verified token is believed for a minute at most, and never past its own expiry."""

from __future__ import annotations

import time

import pytest

from services.graph import auth
from services.graph.auth import TokenVerifier, issue_token
from services.settings import Settings

SETTINGS = Settings(mode="development", jwt_secret="unit-tests-secret-0123456789abcdef0123")


async def test_a_token_is_checked_again_after_a_minute_or_its_expiry(
        monkeypatch: pytest.MonkeyPatch):
    verifier = TokenVerifier(SETTINGS)
    checked = []
    real = verifier._verify

    async def counting(token: str) -> dict:
        checked.append(token)
        return await real(token)

    monkeypatch.setattr(verifier, "_verify", counting)
    short, long = issue_token(SETTINGS, "cio-bzk", 5), issue_token(SETTINGS, "cio-fin", 3600)
    now = time.time()
    for _ in range(3):
        assert (await verifier.verify(short))["sub"] == "cio-bzk"
        assert (await verifier.verify(long))["sub"] == "cio-fin"
    assert checked == [short, long]
    monkeypatch.setattr(auth.time, "time", lambda: now + 10)  # past `short`'s exp
    await verifier.verify(long)
    assert checked == [short, long], "believed within its minute"
    with pytest.raises(auth.InvalidToken):
        # Checked again; PyJWT reads the real clock, so make the token itself expired.
        monkeypatch.setattr(auth.jwt, "decode", _expired)
        await verifier.verify(short)
    monkeypatch.setattr(auth.time, "time", lambda: now + 61)
    with pytest.raises(auth.InvalidToken):
        await verifier.verify(long)


def _expired(*args, **kwargs):
    raise auth.jwt.ExpiredSignatureError("expired")
