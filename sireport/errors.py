"""The one exception hierarchy of sireport.

Every error a user can cause is a :class:`SireportError`. The CLI catches this base
class once and prints ``message`` (Chinese, with a location) and exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class Located(str):
    """A place in a data source that also knows the data's key path.

    As text it is ``place（key path）`` (``hami.yaml:12:5（funds[失业保险].expense）``), as
    JSON and older callers have always seen it; ``place`` alone (``hami.yaml:12:5``,
    ``填报.xlsx!收入!C7``) is what a clerk is shown, the key path only on request
    (``--verbose``, ``--format json``).
    """

    place: str
    path: str

    def __new__(cls, place: str, path: str = "") -> Located:
        text = super().__new__(cls, f"{place}（{path}）" if path else place)
        text.place, text.path = place, path
        return text

    def __getnewargs__(self) -> tuple[str, str]:  # copies and pickles (batch workers) keep both parts
        return self.place, self.path


def place_of(where: str) -> str:
    """The place a clerk is shown: without the key path when ``where`` knows it."""
    return where.place if isinstance(where, Located) else where


def path_of(where: str) -> str:
    return where.path if isinstance(where, Located) else ""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input, with the place a person can find it; ``code``: the
    rule code when the problem is a check finding (shown with ``--verbose`` only)."""

    where: str
    message: str
    code: str = ""
    label: str = ""  # 错误 / 警告, before the code

    def __str__(self) -> str:  # the full form, for logs and programs; the CLI shows text(verbose=False)
        return self.text(verbose=True)

    def text(self, verbose: bool) -> str:
        """``place：message``; verbose: ``place（key path）：[code] message``."""
        where = self.where if verbose else place_of(self.where)
        message = f"[{self.code}] {self.message}" if verbose and self.code else self.message
        message = f"{self.label} {message}" if self.label else message
        return f"{where}：{message}" if where else message


class SireportError(Exception):
    """Base class: something the user can fix; ``str()`` is a Chinese message."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])
        self.detail = detail  # a library's own (English) wording of the cause, shown with --verbose only

    def __str__(self) -> str:  # the full form, for logs and programs; the CLI shows text(verbose=False)
        return self.text(verbose=True)

    def text(self, verbose: bool) -> str:
        """The message and one line per problem (key paths and rule codes only if ``verbose``)."""
        lines = [self.message] + [f"  - {p.text(verbose)}" for p in self.problems]
        if verbose and self.detail:
            lines.append(f"  （原始信息：{self.detail}）")
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
