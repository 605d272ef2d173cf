"""One exception hierarchy for the whole library.

Every error a user can trigger derives from ``DatelineError`` and carries a
short machine-readable ``code`` and an HTTP ``status`` so the web layer can
render it in its one JSON error shape without guessing.
"""

from __future__ import annotations


class DatelineError(Exception):
    code = "error"
    status = 500

    def __init__(self, message: str, *, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail

    def to_dict(self) -> dict:
        out = {"error": self.code, "message": self.message, "status": self.status}
        if self.detail:
            out["detail"] = self.detail
        return out


class InputError(DatelineError):
    """Bad input from a user or a document: the item is skipped with this reason."""

    code = "bad_input"
    status = 400


class ExtractionError(InputError):
    """A document held no article we could extract (binary, empty, login page...)."""

    code = "extraction_failed"
    status = 422


class NotFound(DatelineError):
    code = "not_found"
    status = 404


class StoreError(DatelineError):
    code = "store_error"
    status = 500


class ModelMissing(DatelineError):
    """A model package is not installed; the message says how to install it."""

    code = "model_missing"
    status = 500


class FetchError(DatelineError):
    code = "fetch_failed"
    status = 502


class Forbidden(DatelineError):
    """Refused on purpose (SSRF guard, robots.txt, write token)."""

    code = "forbidden"
    status = 403
