"""Errors a user can cause. Each carries its HTTP status, CLI exit code and slug; every surface
(API, web, CLI) maps them in one handler. Anything else is our bug and becomes a 500 / exit 1.

JSON shape on the API, written down once: {"ok": false, "code": ..., "message": ..., "problems": [...]}.
Every exit code of the `scobank` command lives here too: the classes' own, and the EXIT_* outcomes
that are not errors a user caused.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, positioned the way a spreadsheet user reads it."""

    code: str  # "bad-hs-code"
    message: str  # "HS code '1012' has 4 digits; expected 6"
    file: str  # "baci_2021.csv.gz"
    row: int | None = None  # 1-based data row (header not counted); None = whole file
    column: str | None = None
    value: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


@dataclass
class ValidationReport:
    file: str
    rows_read: int = 0
    rows_accepted: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Problems beyond this many are counted, not kept (a 10M-row file of bad rows stays small).
    problems_total: int = 0
    # Rows that are totals, not flows (a World partner, all products): left out, counted, not errors.
    aggregate_rows: dict[str, int] = field(default_factory=dict)
    # What reading detected (encoding, delimiter, header rows, ...) and each column's type and how
    # many of its values did not fit it; empty for formats with nothing to detect.
    detected: dict[str, Any] = field(default_factory=dict)
    columns: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.problems_total == 0 and not self.problems

    def flatten(self, *keys: str) -> list[tuple]:
        return [tuple(getattr(p, k) for k in keys) for p in self.problems]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "valid": self.valid,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "problems_total": max(self.problems_total, len(self.problems)),
            "problems": [p.to_dict() for p in self.problems],
            "aggregate_rows": dict(self.aggregate_rows),
            **({"detected": self.detected} if self.detected else {}),
            **({"columns": self.columns} if self.columns else {}),
        }


# Exit codes of the `scobank` command that are not a ScobankError's (each class below carries its own).
EXIT_OK = 0
EXIT_BUG = 1  # an unexpected exception: our bug (Python's default for an uncaught exception)
EXIT_USAGE = 2  # a command line the command does not understand (as click and BadRequest)
EXIT_LEDGER_BROKEN = 14  # `ledger verify`: the hash chain is broken (a distinct code for monitoring)
EXIT_SIGNATURE_INVALID = 15  # `verify FILE`: no signature matches the file
EXIT_INTERRUPTED = 130  # aborted at a prompt or by Ctrl-C (128 + SIGINT)


class ScobankError(Exception):
    """Something a user caused and can fix. The message is written for a data steward."""

    status: ClassVar[int] = 400
    exit_code: ClassVar[int] = 2
    code: ClassVar[str] = "error"

    def __init__(self, message: str, *, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": False,
            "code": self.code,
            "message": self.message,
            "problems": [p.to_dict() for p in self.problems],
        }


class BadRequest(ScobankError):
    status, exit_code, code = 400, 2, "bad-request"


class InvalidParameters(ScobankError):
    """A request's parameters or body fields are missing, malformed, out of range or unknown; each
    problem names the parameter (`column`) and where it was sent (`file`: query, path, header, body)."""

    status, exit_code, code = 422, 2, "invalid-parameters"


class Unauthenticated(ScobankError):
    status, exit_code, code = 401, 6, "unauthenticated"


class AccessDenied(ScobankError):
    status, exit_code, code = 403, 4, "access-denied"


class NotFound(ScobankError):
    status, exit_code, code = 404, 3, "not-found"


class MethodNotAllowed(ScobankError):
    status, exit_code, code = 405, 2, "method-not-allowed"


class Conflict(ScobankError):
    status, exit_code, code = 409, 7, "conflict"


class TooLarge(ScobankError):
    status, exit_code, code = 413, 8, "too-large"


class UploadInterrupted(ScobankError):
    """The client stopped sending before the whole body arrived: nothing was read or published."""

    status, exit_code, code = 400, 2, "upload-interrupted"


class UnsupportedFormat(ScobankError):
    status, exit_code, code = 415, 9, "unsupported-format"


class BadFile(ScobankError):
    """The file cannot be read at all: empty, binary, truncated, wrong encoding, ragged."""

    status, exit_code, code = 422, 10, "bad-file"


class IngestRejected(ScobankError):
    """The file was read but its rows break the schema; `.report` has every problem."""

    status, exit_code, code = 422, 5, "ingest-rejected"

    def __init__(self, report: ValidationReport) -> None:
        n = max(report.problems_total, len(report.problems))
        super().__init__(
            f"{report.file}: {n} problem{'s' if n != 1 else ''}; nothing was written",
            problems=report.problems,
        )
        self.report = report

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["report"] = self.report.to_dict()
        return data


class AnalyticsInputError(ScobankError):
    """Degenerate analytics input: a year that would come out NaN, a disconnected network, ..."""

    status, exit_code, code = 422, 11, "analytics-input"


class EngineUnsupported(ScobankError):
    status, exit_code, code = 501, 12, "engine-unsupported"


class EngineOutOfMemory(ScobankError):
    """The query engine needed more memory than its cap (SCOBANK_QUERY_MEMORY_LIMIT) lets it use."""

    status, exit_code, code = 507, 21, "engine-out-of-memory"


class RateLimited(ScobankError):
    status, exit_code, code = 429, 13, "rate-limited"


class NotInitialised(ScobankError):
    """The bank's database has no tables yet: `scobank init` was never run for this SCOBANK_HOME."""

    status, exit_code, code = 503, 15, "not-initialised"


class StorageError(ScobankError):
    """The bank could not write or read its own files: the disk is full, or a folder is not writable.
    Not the user's file: the message says which path and why."""

    status, exit_code, code = 507, 16, "storage"


STORAGE_ERRNOS = frozenset({28, 122, 13, 1, 30})  # ENOSPC, EDQUOT, EACCES, EPERM, EROFS


def storage_error(exc: BaseException) -> StorageError | None:
    """A StorageError telling the truth about `exc` when it is the bank's storage failing, else None."""
    if isinstance(exc, OSError) and exc.errno in STORAGE_ERRNOS:
        where = f" ({exc.filename})" if exc.filename else ""
        return StorageError(f"the bank could not write its files{where}: {exc.strerror}; the data given "
                            "was not at fault; an administrator must free space or fix permissions")
    text = str(exc)
    for marker in ("No space left on device", "Disk quota exceeded", "Permission denied", "Read-only file system"):
        if marker in text:
            return StorageError(f"the bank could not write its files: {marker.lower()} ({text.splitlines()[0][:200]}); "
                                "the data given was not at fault; an administrator must free space or fix permissions")
    return None


class UnknownCode(ScobankError):
    """A well-formed code that the reference nomenclature does not hold (HS `999999`, a search field)."""

    status, exit_code, code = 422, 17, "unknown-code"


class MailUnavailable(ScobankError):
    """The SMTP server the exchange hands its e-mail to cannot be reached; nothing was marked sent."""

    status, exit_code, code = 503, 18, "mail-unavailable"


class NotAcceptable(ScobankError):
    """No format the caller accepts (its Accept header, an SDMX `format`) is one the bank writes."""

    status, exit_code, code = 406, 19, "not-acceptable"


class NotImplementedHere(ScobankError):
    """A feature of a standard the bank speaks (an SDMX REST parameter) that it does not offer."""

    status, exit_code, code = 501, 20, "not-implemented"


ALL_ERRORS: tuple[type[ScobankError], ...] = (
    ScobankError,
    BadRequest,
    InvalidParameters,
    Unauthenticated,
    AccessDenied,
    NotFound,
    MethodNotAllowed,
    Conflict,
    TooLarge,
    UploadInterrupted,
    UnsupportedFormat,
    BadFile,
    IngestRejected,
    AnalyticsInputError,
    EngineUnsupported,
    RateLimited,
    NotInitialised,
    StorageError,
    UnknownCode,
    MailUnavailable,
    NotAcceptable,
    NotImplementedHere,
)
