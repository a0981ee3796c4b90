"""One validated settings object for every process: environment variables prefixed
STELSEL_, plus MONGODB_URI and TEMPORAL_ADDRESS for real clusters."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.councils.definitions import presets
from services.domain.procedure import CouncilDefinition, WindowBounds
from services.domain.types import Procedure

DAY = 86_400
ASYMMETRIC_ALGORITHMS = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STELSEL_", extra="ignore", populate_by_name=True)

    mode: Literal["development", "production"] = "production"
    # HS256 tokens signed with this secret: development and tests only.
    jwt_secret: SecretStr | None = None
    jwt_audience: str = "stelsel"
    # An OpenID Connect issuer: RS256/ES256 tokens, keys from its JWKS. Required in production.
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_algorithms: list[str] = ["RS256", "ES256"]
    jwks_cache_seconds: int = Field(3600, ge=0)
    jwks_min_refresh_seconds: float = Field(30, ge=0)
    # The claim that names the person in the register (government SSO often carries a
    # personnel number beside `sub`); and, when set, the claim with the caller's
    # organisation number (OIN), which must be the unit's of the seat they act in.
    identity_claim: str = Field("sub", min_length=1, max_length=100)
    oin_claim: str | None = Field(None, min_length=1, max_length=100)

    # Abuse limits (OWASP GraphQL Cheat Sheet); see docs/SECURITY.md.
    max_query_depth: int = Field(10, ge=1)
    max_aliases: int = Field(15, ge=0)
    max_tokens: int = Field(2000, ge=1)
    max_body_bytes: int = Field(64 * 1024, ge=1024)
    mutations_per_minute: int = Field(120, ge=1)
    # Queries and subscriptions per person, or per address for anonymous callers (a wall
    # screen behind one address shares it); answers from the read cache are not counted.
    queries_per_minute: int = Field(1_200, ge=1)
    # What one operation may cost (services/graph/cost.py) and answer.
    max_query_cost: int = Field(20_000, ge=1)
    max_response_bytes: int = Field(4 * 1024 * 1024, ge=1024)
    max_subscriptions_per_socket: int = Field(20, ge=1)
    # Woo sitemap and register report downloads per address: each reads every decision.
    downloads_per_minute: int = Field(30, ge=1)
    # WebSockets open at once in one API process, anonymous ones included; more are closed
    # at once with 1013 (try again later) instead of taking the process's memory.
    max_sockets: int = Field(10_000, ge=1)
    # A JSON object {sha256 of the document: document}; with trusted_documents_only, no other
    # document is executed.
    trusted_documents: Path | None = None
    trusted_documents_only: bool = False
    # Errors that escape a resolver become "Unexpected error."; None: in production only.
    mask_errors: bool | None = None
    # Results of read-only requests kept until the next event (see services/graph/cache.py).
    read_cache: bool = True
    read_cache_entries: int = Field(2_000, ge=1)
    # Larger results are answered but never kept.
    read_cache_max_bytes: int = Field(256 * 1024, ge=0)

    mongodb_uri: str | None = Field(
        None, validation_alias=AliasChoices("MONGODB_URI", "STELSEL_MONGODB_URI")
    )
    mongodb_database: str = "stelsel"
    temporal_address: str | None = Field(
        None, validation_alias=AliasChoices("TEMPORAL_ADDRESS", "STELSEL_TEMPORAL_ADDRESS")
    )
    temporal_namespace: str = "default"
    # TLS or mTLS to a Temporal cluster (PEM files), or an API key (Temporal Cloud).
    temporal_tls: bool = False
    temporal_tls_ca: Path | None = None
    temporal_tls_cert: Path | None = None
    temporal_tls_key: Path | None = None
    temporal_api_key: SecretStr | None = None
    # Workflows keep StelselPhase & co. current; needs `stelsel setup-temporal` once.
    temporal_search_attributes: bool = True
    task_queue: str = "stelsel-issues"

    # The council an issue belongs to when it names none (docs/COUNCILS.md).
    default_council: str = "cio-beraad"
    # Presets (services/councils/presets) published when the service starts; None: the
    # default council's in production, every preset in development.
    presets: list[str] | None = None
    # Each, when set, overrides the default council's definition (demos, tests).
    advice_window_seconds: int | None = Field(None, ge=0)
    deliberation_window_seconds: int | None = Field(None, ge=0)
    vote_window_seconds: int | None = Field(None, ge=1)
    mandate_window_seconds: int | None = Field(None, ge=1)
    quorum: float | None = Field(None, gt=0, le=1)
    adoption_window_seconds: int | None = Field(None, ge=1)
    adoption_reminder_seconds: int | None = Field(None, ge=1)
    # Notifications (reminders, overdue, decisions) are POSTed to these URLs, signed with
    # HMAC-SHA256 using webhook_secret.
    # Woo active publication (docs/WOO.md): the address the decision pages are published
    # under, and the publisher of decisions that belong to no unit (a council-wide one):
    # by default BZK, where the CIO Rijk sits.
    public_url: str = "http://localhost:8000"
    woo_publisher: str = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"
    woo_publisher_name: str = "ministerie van Binnenlandse Zaken en Koninkrijksrelaties"
    # The dashboard's look (NL Design System themes): "neutraal" for any organisation;
    # "rijkshuisstijl" only for central government, to which its licence limits it.
    theme: Literal["neutraal", "rijkshuisstijl"] = "neutraal"
    webhook_urls: list[str] = []
    webhook_secret: SecretStr | None = None
    # Delivery of a notification is tried this long, then it waits as a dead letter.
    webhook_give_up_seconds: int = Field(3 * DAY, ge=1)
    # Reminders to whoever still has to act, this long before a phase's deadline; 0: none.
    reminder_lead_seconds: int | None = Field(None, ge=0)
    # What the chair may set per issue; None: the definition's bounds (a second at least
    # in development and tests).
    min_window_seconds: int | None = Field(None, ge=1)
    max_window_seconds: int | None = Field(None, ge=1)

    data_dir: Path = Path(".stelsel")
    # JSON lines (one object per request, operation, activity); None: JSON in production.
    log_json: bool | None = None
    log_level: str = "INFO"
    # OpenTelemetry: OTLP/HTTP endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT); `tracing` forces
    # the instrumentation on or off (None: on when an endpoint is set).
    otlp_endpoint: str | None = None
    tracing: bool | None = None

    @property
    def dev(self) -> bool:
        return self.mode == "development"

    @model_validator(mode="after")
    def _refuse_unsafe_identity(self) -> Settings:
        if (self.min_window_seconds and self.max_window_seconds
                and self.min_window_seconds > self.max_window_seconds):
            raise ValueError("STELSEL_MIN_WINDOW_SECONDS exceeds STELSEL_MAX_WINDOW_SECONDS")
        unknown = set(self.preset_ids) - set(presets())
        if unknown:
            raise ValueError(f"STELSEL_PRESETS: no preset {sorted(unknown)}; "
                             f"known: {sorted(presets())}")
        if self.oidc_issuer and not self.oidc_audience:
            raise ValueError("STELSEL_OIDC_AUDIENCE is required with STELSEL_OIDC_ISSUER")
        if not set(self.oidc_algorithms) <= ASYMMETRIC_ALGORITHMS:
            raise ValueError(f"STELSEL_OIDC_ALGORITHMS must be among {sorted(ASYMMETRIC_ALGORITHMS)}")
        if self.webhook_urls and (self.webhook_secret is None
                                  or len(self.webhook_secret.get_secret_value()) < 16):
            raise ValueError("STELSEL_WEBHOOK_SECRET (16+ characters) signs the webhooks")
        if self.trusted_documents_only and self.trusted_documents is None:
            raise ValueError("STELSEL_TRUSTED_DOCUMENTS_ONLY needs STELSEL_TRUSTED_DOCUMENTS")
        if self.dev:
            return self
        if not self.oidc_issuer:
            raise ValueError(
                "STELSEL_OIDC_ISSUER and STELSEL_OIDC_AUDIENCE must be set outside development "
                "mode: production accepts only tokens of an OpenID Connect issuer"
            )
        if self.jwt_secret is not None:
            raise ValueError(
                "STELSEL_JWT_SECRET is for development only: production refuses HS256 tokens"
            )
        return self

    @property
    def preset_ids(self) -> tuple[str, ...]:
        if self.presets is not None:
            return tuple(self.presets)
        if self.dev:
            return tuple(presets())
        return (self.default_council,) if self.default_council in presets() else ()

    def bounds(self, council: CouncilDefinition) -> WindowBounds:
        """What the chair may set per issue: the definition's bounds, these settings first."""
        minimum = self.min_window_seconds or (1 if self.dev else council.bounds.min_seconds)
        return WindowBounds(minimum, self.max_window_seconds or council.bounds.max_seconds)

    def procedure(self, council: CouncilDefinition) -> Procedure:
        """A council's procedure: its definition's, and for the default council each
        procedure setting that is set."""
        if council.id != self.default_council:
            return council.procedure
        changes = {f.name: getattr(self, f.name) for f in fields(Procedure)
                   if getattr(self, f.name, None) is not None}
        return replace(council.procedure, **changes)

    def secret(self) -> str:
        if self.jwt_secret is None:
            raise RuntimeError("STELSEL_JWT_SECRET is not set")
        return self.jwt_secret.get_secret_value()
