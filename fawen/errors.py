"""One exception tree for fawen; each error carries an HTTP status and a user message.

    FawenError (500)
    ├── BadInput (400)       bad query, date, file, option
    │   └── TooLarge (413)   input over a documented limit
    ├── NotFound (404)       unknown law, article or version
    ├── CorpusError (503)    index missing, unreadable or malformed source
    └── CitationError (422)  a citation that cannot be parsed
"""

from __future__ import annotations


class FawenError(Exception):
    """Base of every error fawen raises on purpose."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_json(self) -> dict[str, object]:
        return {"ok": False, "error": self.message, "status": self.status}


class BadInput(FawenError):
    status = 400


class TooLarge(BadInput):
    status = 413


class NotFound(FawenError):
    status = 404


class CorpusError(FawenError):
    status = 503


class CitationError(FawenError):
    status = 422
