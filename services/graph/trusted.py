"""Trusted (persisted) documents: known frontends send a document's sha256 instead of its
text; with `trusted_documents_only`, nothing else is executed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cross_web import HTTPException


def document_id(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


class TrustedDocuments:
    def __init__(self, documents: dict[str, str]) -> None:
        for key, document in documents.items():
            if document_id(document) != key.removeprefix("sha256:"):
                raise ValueError(f"trusted document {key} does not match its sha256")
        self.documents = {k.removeprefix("sha256:"): v for k, v in documents.items()}

    @classmethod
    def load(cls, path: Path | None) -> TrustedDocuments | None:
        return cls(json.loads(path.read_text())) if path else None

    def resolve(self, query: str | None, extensions: dict[str, Any] | None, only: bool
                ) -> str | None:
        """The document to run: looked up by id (`extensions.persistedQuery.sha256Hash`, as
        Apollo clients send it), or the text given when that is allowed."""
        persisted = (extensions or {}).get("persistedQuery") or {}
        wanted = persisted.get("sha256Hash")
        if wanted is not None:
            if wanted not in self.documents:
                raise HTTPException(400, "unknown trusted document")
            return self.documents[wanted]
        if only and (query is None or document_id(query) not in self.documents):
            raise HTTPException(400, "only trusted documents are accepted")
        return query
