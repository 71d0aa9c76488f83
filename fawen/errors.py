"""One exception tree for fawen; each error carries an HTTP status and a user message.

    FawenError (500)
    ├── BadInput (400)       bad query, date, file, option
    │   └── TooLarge (413)   input over a documented limit
    ├── NotFound (404)       unknown law, article or version
    └── CorpusError (503)    corpus missing, damaged or unreadable; malformed source

Every door shows an error the same way: the CLI prints its message, the HTTP API and the MCP server send
`error_json(status, message)`.
"""

from __future__ import annotations


class FawenError(Exception):
    """Base of every error fawen raises on purpose."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_json(self) -> dict[str, object]:
        return error_json(self.status, self.message)


def error_json(status: int, message: str) -> dict[str, object]:
    """The one error shape of the HTTP API and the MCP server."""
    return {"ok": False, "error": message, "status": status}


class BadInput(FawenError):
    status = 400


class TooLarge(BadInput):
    status = 413


class NotFound(FawenError):
    status = 404


class CorpusError(FawenError):
    status = 503
