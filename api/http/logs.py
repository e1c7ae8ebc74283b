"""The service's logs: plain lines or one JSON object a line, and the sampled access log.

``glossary serve`` configures logging with :func:`log_config` (the ``log_format``
setting). The access log is ours, not uvicorn's: :class:`~api.http.metrics.MetricsMiddleware`
writes a line for a sample of the requests (the ``access_log`` setting: 0 off, 1 every
request), with the route template and the time taken, on the ``api.access`` logger.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, Final

from starlette.types import Scope

#: The logger of the access lines.
ACCESS: Final = logging.getLogger("api.access")
#: Attributes every ``LogRecord`` has: the rest were passed as ``extra`` and go in the JSON.
_STANDARD: Final = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, the ``extra``
    fields, and the traceback as one string when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and not name.startswith("_") and name != "color_message":
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(log_format: str) -> dict[str, Any]:
    """uvicorn's logging configuration, with our ``api`` loggers at INFO beside its own, in
    ``log_format`` (``text`` or ``json``)."""
    if log_format == "json":
        formatter: dict[str, Any] = {"()": f"{__name__}.JsonFormatter"}
    else:
        formatter = {"format": "%(levelname)s:     %(name)s: %(message)s"}
    handler = {
        "formatter": "default",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "api": {"handlers": ["default"], "level": "INFO", "propagate": False},
        },
    }


def access_line(scope: Scope, route: str, status: int, seconds: float) -> None:
    """Log one request: client, method, path (without the query), status, milliseconds."""
    client = scope.get("client")
    ACCESS.info(
        '%s "%s %s" %d %.2fms',
        client[0] if client else "-",
        scope["method"],
        scope["path"],
        status,
        seconds * 1000,
        extra={
            "client": client[0] if client else None,
            "method": scope["method"],
            "path": scope["path"],
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 3),
        },
    )
