"""Expected refusals are `Rejected` union members; only a missing identity or a malformed
request is a GraphQL error, with its code in `extensions.code`."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from services.domain.errors import Rejection
from services.graph.enums import RejectionCode


@strawberry.type
class Rejected:
    code: RejectionCode
    message: str

    @classmethod
    def of(cls, rejection: Rejection, context=None) -> Rejected:
        metrics = getattr(context, "metrics", None)
        if metrics is not None:
            metrics.rejections.labels(rejection.code.value).inc()
        return cls(code=rejection.code, message=rejection.message)


class Unauthenticated(GraphQLError):
    def __init__(self, message: str = "a valid bearer token is required") -> None:
        super().__init__(message, extensions={"code": "UNAUTHENTICATED"})


class TryAgain(GraphQLError):
    def __init__(self) -> None:
        super().__init__("the change could not be completed in time; it was applied at most "
                         "once — read the issue, then try again", extensions={"code": "TRY_AGAIN"})


class BadUserInput(GraphQLError):
    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})
