"""One validated settings object for every process: environment variables prefixed
STELSEL_, plus MONGODB_URI and TEMPORAL_ADDRESS for real clusters."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.domain.procedure import WindowBounds
from services.domain.types import Procedure

DAY = 86_400
PLACEHOLDER_SECRETS = {"", "changethis", "change-me", "changeme", "secret", "dev", "test"}
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STELSEL_", extra="ignore", populate_by_name=True)

    mode: Literal["development", "production"] = "production"
    jwt_secret: SecretStr | None = None
    jwt_audience: str = "stelsel"

    mongodb_uri: str | None = Field(
        None, validation_alias=AliasChoices("MONGODB_URI", "STELSEL_MONGODB_URI")
    )
    mongodb_database: str = "stelsel"
    temporal_address: str | None = Field(
        None, validation_alias=AliasChoices("TEMPORAL_ADDRESS", "STELSEL_TEMPORAL_ADDRESS")
    )
    temporal_namespace: str = "default"
    task_queue: str = "stelsel-issues"

    advice_window_seconds: int = 10 * DAY
    deliberation_window_seconds: int = 14 * DAY
    vote_window_seconds: int = 7 * DAY
    mandate_window_seconds: int = 5 * DAY
    quorum: float = Field(2 / 3, gt=0, le=1)
    # None: a day in production, a second in development and tests.
    min_window_seconds: int | None = Field(None, ge=1)
    max_window_seconds: int = Field(365 * DAY, ge=1)

    data_dir: Path = Path(".stelsel")

    @property
    def dev(self) -> bool:
        return self.mode == "development"

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.dev:
            return self
        secret = self.jwt_secret.get_secret_value() if self.jwt_secret else ""
        if secret.lower() in PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                "STELSEL_JWT_SECRET must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters outside development mode"
            )
        if self.bounds.min_seconds > self.bounds.max_seconds:
            raise ValueError("STELSEL_MIN_WINDOW_SECONDS exceeds STELSEL_MAX_WINDOW_SECONDS")
        return self

    @cached_property
    def bounds(self) -> WindowBounds:
        minimum = self.min_window_seconds or (1 if self.dev else DAY)
        return WindowBounds(minimum, self.max_window_seconds)

    @property
    def procedure(self) -> Procedure:
        return Procedure(
            self.advice_window_seconds,
            self.deliberation_window_seconds,
            self.vote_window_seconds,
            self.mandate_window_seconds,
            self.quorum,
        )

    def secret(self) -> str:
        if self.jwt_secret is None:
            raise RuntimeError("STELSEL_JWT_SECRET is not set")
        return self.jwt_secret.get_secret_value()
