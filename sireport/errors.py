"""The one exception hierarchy of sireport.

Every error a user can cause is a :class:`SireportError`. The CLI catches this base
class once and prints ``message`` (Chinese, with a location) and exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem found in an input, with the place a person can find it."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}：{self.message}" if self.where else self.message


class SireportError(Exception):
    """Base class: something the user can fix; ``str()`` is a Chinese message."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class DataError(SireportError):
    """The data file cannot be read or does not match the schema (file:line, key path)."""


class TemplateError(SireportError):
    """A report template is broken, unsafe or needs data that is not there."""


class OutputError(SireportError):
    """The report cannot be written (hand-edited file without --force, no permission)."""


class ConfigError(SireportError):
    """A setting or threshold is invalid."""


class PdfError(SireportError):
    """No PDF could be written: LibreOffice is missing or does not start. The .docx was
    written all the same, so the exit code is that of a partial result."""

    exit_code = 1


@dataclass
class ProblemList:
    """Collects problems so that all of them are reported at once, then raised once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def raise_if_any(self, error_class: type[SireportError], message: str) -> None:
        if self.problems:
            raise error_class(message, self.problems)


class BatchError(SireportError):
    """Some units of a batch could not be rendered (the others were; see the run summary)."""

    exit_code = 1
