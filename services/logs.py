"""Structured logs: one JSON object per line, for requests, operations and activities."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

# Fields a record may carry (logger.info("...", extra={...})) that go into the line.
FIELDS = ("trace_id", "operation", "operation_type", "actor", "issue_id", "framework_id",
          "duration_ms", "status", "method", "path", "result", "seq", "kinds", "workflow_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: getattr(record, k) for k in FIELDS if getattr(record, k, None) is not None})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(json_lines: bool, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Our own lines say per request what uvicorn's access log would say again.
    logging.getLogger("uvicorn.access").disabled = True
