"""Refusals: a business rule says no. Each carries a code of the public contract."""

from __future__ import annotations

from enum import Enum


class RejectionCode(str, Enum):
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    WRONG_PHASE = "WRONG_PHASE"
    DUPLICATE = "DUPLICATE"
    INVALID_INPUT = "INVALID_INPUT"
    PRECONDITION_FAILED = "PRECONDITION_FAILED"


class Rejection(Exception):
    def __init__(self, code: RejectionCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def reject(code: RejectionCode, message: str) -> Rejection:
    return Rejection(code, message)
