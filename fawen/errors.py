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

import os
import re

# An absolute path in a message: a slash not inside a word, then path segments (no spaces or brackets).
_ABSOLUTE = re.compile(r"(?<![\w.~])/(?:[^\s/'\"()（）,，;；`]+/)+([^\s/'\"()（）,，;；`]*)")


class FawenError(Exception):
    """Base of every error fawen raises on purpose."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_json(self) -> dict[str, object]:
        return error_json(self.status, self.message)


def public_message(exc: FawenError, home: object = None) -> str:
    """The message as a client of a server reads it: in a corpus or server error, the server's FAWEN_HOME
    (`home`) reads "FAWEN_HOME" and any other path only its last part (a source directory, a file); the CLI,
    on the operator's own machine, shows them whole."""
    if not (isinstance(exc, CorpusError) or exc.status >= 500):
        return exc.message
    message = exc.message
    if home is not None:
        for path in sorted({str(home), os.path.realpath(str(home))}, key=len, reverse=True):
            message = message.replace(path.rstrip("/"), "FAWEN_HOME")
    return _ABSOLUTE.sub(lambda m: m.group(1) or "…", message)


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
