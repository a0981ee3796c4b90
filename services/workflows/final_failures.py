"""How an activity says that trying again will not help: the workflow then undoes the
change and fails its update instead of waiting on retries that never end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from temporalio.exceptions import ApplicationError

from services.store.timeline import Unstorable
from services.workflows.changes import UNSTORABLE


@contextmanager
def unstorable_is_final() -> Iterator[None]:
    """A record MongoDB can never take fails at once, without retries."""
    try:
        yield
    except Unstorable as err:
        raise ApplicationError(str(err), type=UNSTORABLE, non_retryable=True) from None
