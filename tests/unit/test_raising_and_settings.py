from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.councils.definitions import preset
from services.domain.appointments import check_appoint
from services.domain.errors import Rejection, RejectionCode
from services.domain.procedure import ProcedureOverrides, WindowBounds, resolve_procedure
from services.domain.raising import check_raise
from services.domain.types import Actor, Appointment, Procedure, Scope
from services.settings import Settings
from tests.unit.builders import CIO_BERAAD as C
from tests.unit.builders import Role

IN_FORCE = ["BZK", "FIN"]
RIJK = Actor("rijk", "R", [Appointment(Role.CIO_RIJK)])
CIO_BZK = Actor("cio-bzk", "C", [Appointment(Role.CIO, "BZK")])
CPO_BZK = Actor("cpo-bzk", "P", [Appointment(Role.CPO, "BZK")])
DEFAULTS = Procedure(864000, 1209600, 604800, 432000, 2 / 3)


def code_of(action, *args) -> RejectionCode:
    with pytest.raises(Rejection) as err:
        action(*args)
    return err.value.code


def test_a_cio_raises_for_their_own_ministry_only():
    assert check_raise(CIO_BZK, C, Scope.DEPARTMENTAL, "BZK", IN_FORCE, "t", "p", []) == "BZK"
    assert check_raise(CIO_BZK, C, Scope.GOVERNMENT_WIDE, None, IN_FORCE, "t", "p", []) == "BZK"
    assert code_of(check_raise, CIO_BZK, C, Scope.DEPARTMENTAL, "FIN", IN_FORCE, "t", "p", []) \
        == RejectionCode.FORBIDDEN


def test_the_cio_rijk_raises_government_wide_issues_without_a_ministry():
    assert check_raise(RIJK, C, Scope.GOVERNMENT_WIDE, None, IN_FORCE, "t", "p", []) is None
    assert code_of(check_raise, RIJK, C, Scope.DEPARTMENTAL, "BZK", IN_FORCE, "t", "p", []) \
        == RejectionCode.FORBIDDEN


def test_advisors_do_not_raise_and_bad_input_is_refused():
    assert code_of(check_raise, CPO_BZK, C, Scope.GOVERNMENT_WIDE, None, IN_FORCE, "t", "p", []) \
        == RejectionCode.FORBIDDEN
    assert code_of(check_raise, CIO_BZK, C, Scope.DEPARTMENTAL, None, IN_FORCE, "t", "p", []) \
        == RejectionCode.INVALID_INPUT
    assert code_of(check_raise, CIO_BZK, C, Scope.DEPARTMENTAL, "BZK", IN_FORCE, " ", "p", []) \
        == RejectionCode.INVALID_INPUT
    assert code_of(check_raise, CIO_BZK, C, Scope.DEPARTMENTAL, "EZ", IN_FORCE, "t", "p", []) \
        == RejectionCode.INVALID_INPUT


def test_only_the_cio_rijk_sets_windows_and_only_within_bounds():
    bounds = WindowBounds(86400, 365 * 86400)
    week = ProcedureOverrides(vote_window_seconds=7 * 86400)
    assert resolve_procedure(DEFAULTS, week, RIJK, bounds, C).vote_window_seconds == 7 * 86400
    assert code_of(resolve_procedure, DEFAULTS, week, CIO_BZK, bounds, C) == RejectionCode.FORBIDDEN
    short = ProcedureOverrides(advice_window_seconds=60)
    assert code_of(resolve_procedure, DEFAULTS, short, RIJK, bounds, C) \
        == RejectionCode.INVALID_INPUT
    assert code_of(resolve_procedure, DEFAULTS, ProcedureOverrides(quorum=1.5), RIJK, bounds, C) \
        == RejectionCode.INVALID_INPUT
    assert resolve_procedure(DEFAULTS, ProcedureOverrides(), CIO_BZK, bounds, C) == DEFAULTS


def test_only_the_secretariat_appoints():
    secretary = Actor("s", "S", [Appointment(Role.SECRETARIAT)])
    check_appoint(secretary, C, "p1", "Piet", Role.CIO, "BZK", IN_FORCE)
    assert code_of(check_appoint, RIJK, C, "p1", "Piet", Role.CIO, "BZK", IN_FORCE) \
        == RejectionCode.FORBIDDEN
    assert code_of(check_appoint, secretary, C, "p1", "Piet", Role.CIO, None, IN_FORCE) \
        == RejectionCode.INVALID_INPUT
    assert code_of(check_appoint, secretary, C, "p1", "Piet", Role.CIO_RIJK, "BZK", IN_FORCE) \
        == RejectionCode.INVALID_INPUT


def test_the_secretariat_never_appoints_itself_to_a_deciding_seat():
    secretary = Actor("s", "S", [Appointment(Role.SECRETARIAT)])
    for role, ministry in ((Role.CIO_RIJK, None), (Role.CIO, "BZK")):
        assert code_of(check_appoint, secretary, C, "s", "S", role, ministry, IN_FORCE) \
            == RejectionCode.FORBIDDEN
    check_appoint(secretary, C, "s", "S", Role.CPO, "BZK", IN_FORCE)  # advising decides nothing
    check_appoint(secretary, C, "p2", "Anna", Role.CIO_RIJK, None, IN_FORCE)


OIDC = {"oidc_issuer": "https://login.example.nl", "oidc_audience": "stelsel"}


def test_production_needs_an_oidc_issuer(monkeypatch):
    monkeypatch.delenv("STELSEL_JWT_SECRET", raising=False)
    with pytest.raises(ValidationError, match="STELSEL_OIDC_ISSUER"):
        Settings(mode="production")
    with pytest.raises(ValidationError, match="STELSEL_OIDC_AUDIENCE"):
        Settings(mode="production", oidc_issuer="https://login.example.nl")


@pytest.mark.parametrize("secret", ["changethis", "a-long-and-random-secret-0123456789abcdef"])
def test_production_refuses_any_hs256_secret(secret, monkeypatch):
    with pytest.raises(ValidationError, match="development only"):
        Settings(mode="production", jwt_secret=secret, **OIDC)


def test_only_asymmetric_algorithms_for_the_issuer():
    with pytest.raises(ValidationError, match="OIDC_ALGORITHMS"):
        Settings(mode="production", oidc_algorithms=["HS256"], **OIDC)


def test_development_allows_a_missing_secret_and_second_windows(monkeypatch):
    monkeypatch.delenv("STELSEL_JWT_SECRET", raising=False)
    dev = Settings(mode="development")
    cio_beraad = preset("cio-beraad")
    assert dev.bounds(cio_beraad).min_seconds == 1
    prod = Settings(mode="production", **OIDC)
    assert prod.bounds(cio_beraad).min_seconds == 86400
    assert prod.procedure(cio_beraad).vote_window_seconds == 7 * 86400


def test_cluster_addresses_come_from_the_usual_variables(monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://db.example:27017/?replicaSet=rs0")
    monkeypatch.setenv("TEMPORAL_ADDRESS", "temporal.example:7233")
    settings = Settings(mode="development")
    assert settings.mongodb_uri == "mongodb://db.example:27017/?replicaSet=rs0"
    assert settings.temporal_address == "temporal.example:7233"
