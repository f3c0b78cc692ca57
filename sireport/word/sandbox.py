"""The template sandbox: Jinja's, tightened so that no template can eat the machine.

A template is untrusted input. Beyond Jinja's :class:`SandboxedEnvironment` (no Python
internals), :class:`ReportSandbox` bounds what a template can build:

- strings and lists: at most :data:`MAX_SIZE` characters or items from ``*``, ``+``,
  ``~``, ``%``, ``center``/``ljust``/``rjust``/``zfill``/``expandtabs``/``replace``/``join``,
  ``format`` widths, the ``center``/``indent``/``format``/``replace``/``join`` filters,
  ``append``/``extend``/``insert``; a template's whole output at most :data:`MAX_OUTPUT`,
  counted as it is produced (:class:`BoundedTemplate`);
- numbers: ``**`` at most :data:`MAX_DIGITS` digits; ``range()`` at most :data:`MAX_RANGE` items;
- time: a render stops after :data:`RENDER_SECONDS` seconds (:func:`time_limit`);
- files: ``include``/``import``/``extends`` read only ``.j2`` files inside the template
  folders, symbolic links resolved (:class:`TemplateFolders`).

A refusal is a :class:`jinja2.sandbox.SecurityError` whose message is Chinese.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import re
import signal
import string
import threading
import types
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, Template
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.runtime import Context, Macro, Undefined
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

MAX_RANGE = 1000  # range() in a template: a report never needs more
MAX_SIZE = 100_000  # longest string or list a template may build
MAX_POWER = 64  # largest exponent of **
MAX_DIGITS = 400  # largest result of ** in digits
RENDER_SECONDS = 20  # a report renders in well under a second
MAX_OUTPUT = 20_000_000  # characters of one rendered template part (a report's body: ~100,000)

_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}
_GROWING_METHODS = {"append", "extend", "insert", "__iadd__"}
_NUMBER = re.compile(r"\d+")


def _too_long(size: int) -> SecurityError:
    return SecurityError(f"生成的文字或列表过长（{size:,}，上限 {MAX_SIZE:,}）")


_CONTAINERS = (list, tuple, set, frozenset, dict)


def printed_size(value: Any, limit: int = MAX_SIZE) -> int:
    """About how many characters ``str(value)`` has, counted only until it passes ``limit``.

    A list of 100,000 references to one 100,000-character string is small in memory but
    prints as 10 GB: the count walks containers (each once) without printing them.
    """
    if not isinstance(value, _CONTAINERS):
        return len(value) if isinstance(value, str) else 0
    total, seen, stack = 0, set(), [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 4  # quotes, comma, space
        elif isinstance(item, _CONTAINERS):
            if id(item) in seen:
                total += 5  # [...]
                continue
            seen.add(id(item))
            total += 2
            stack.extend(itertools.chain.from_iterable(item.items()) if isinstance(item, dict) else item)
        else:
            total += 24  # a number or an object's short form
    return total


def check_size(value: Any) -> Any:
    """``value`` if it is no longer than :data:`MAX_SIZE` (printed, for a container), else
    SecurityError."""
    if isinstance(value, str):
        if len(value) > MAX_SIZE:
            raise _too_long(len(value))
    elif isinstance(value, _CONTAINERS):
        if len(value) > MAX_SIZE:
            raise _too_long(len(value))
        size = printed_size(value)
        if size > MAX_SIZE:
            raise _too_long(size)
    return value


def printable(value: Any) -> Any:
    """What ``{{ value }}`` and ``~`` print, refused before printing if a container would
    print past :data:`MAX_SIZE` (Jinja's ``finalize``)."""
    if type(value) is str:
        return value
    return check_size(value)


def _check_spec(spec: str) -> None:
    """A format specification (``%-20s``, ``>30``) with no width or precision past MAX_SIZE."""
    if "{" in spec or "*" in spec:
        raise SecurityError("格式说明中不能再嵌套宽度参数")
    for number in _NUMBER.findall(spec):
        if len(number) > 6 or int(number) > MAX_SIZE:
            raise _too_long(int(number) if len(number) < 30 else MAX_SIZE + 1)


def _check_format_string(text: str) -> None:
    """Every field of a ``str.format`` template within bounds."""
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return  # str.format itself reports it
    for _, _, spec, _ in fields:
        if spec:
            _check_spec(spec)


_PERCENT_SPEC = re.compile(r"%[-#0 +(\w)]*[\d*.]*[a-zA-Z%]")


def printed(value: Any) -> str:
    """``{{ value }}`` under autoescaping: the text of ``escape(printable(value))``, without making
    a Markup of a string that has nothing to escape (escaping it again changes nothing) or of a
    Markup (a macro's text, a ``set`` block, ``|e``: escaped already, and checked for size as
    ``printable`` checks it)."""
    kind = type(value)
    if kind is str:
        if "&" in value or "<" in value or ">" in value or '"' in value or "'" in value:
            return escape(value)
        return value
    if kind is Markup:
        return check_size(value)
    if kind is Undefined:  # ``'，' if not loop.last`` with no else, when false: prints nothing
        return ""
    return escape(printable(value))


def printed_text(value: Any) -> str:
    """``{{ value }}`` without autoescaping (the phrase macros): Jinja's ``str(finalize(value))``
    in one call."""
    kind = type(value)
    if kind is str:
        return value
    if kind is Undefined:  # as in printed (StrictUndefined is another type: it still fails)
        return ""
    return str(printable(value))


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` so that each operand is checked before it is printed
    (:func:`printable`) and the result after (:func:`check_size`), and ``{{ value }}`` as
    :func:`printed` or :func:`printed_text` (Jinja's ``escape(finalize(value))`` or
    ``str(finalize(value))``: ~1,000 in a render)."""

    def _printed(self, frame: Any) -> bool:
        return not frame.eval_ctx.volatile and self.environment.finalize is printable

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if self._printed(frame):
            self.write("environment.printed(" if frame.eval_ctx.autoescape else "environment.printed_text(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Any, frame: Any, finalize: Any) -> None:
        if self._printed(frame):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    @optimizeconst
    def visit_Concat(self, node: Any, frame: Any) -> None:  # noqa: N802  (Jinja's visitor name)
        if frame.eval_ctx.volatile:  # as Jinja's own visit_Concat
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.checked_size({join}((")
        for operand in node.nodes:
            self.write("environment.printable(")
            self.visit(operand, frame)
            self.write("), ")
        self.write(")))")


_CHUNK = 256  # pieces of output joined at a time (each at most MAX_SIZE: see check_size)


def bounded_output(pieces: Iterable[str]) -> str:
    """The rendered text of a template, joined as it is produced and stopped once it passes
    :data:`MAX_OUTPUT` characters (a loop printing for ever never fills the memory).

    The count is kept per chunk of :data:`_CHUNK` pieces, joined in C: a counter per piece
    costs ~5% of a report. Macros and blocks are pieces of this output, so one count covers
    the whole render; a single piece is bounded by the sandbox's size checks.
    """
    pieces, chunks, total = iter(pieces), [], 0
    while True:
        batch = list(itertools.islice(pieces, _CHUNK))
        if not batch:
            return "".join(chunks)
        chunk = "".join(batch)
        total += len(chunk)
        if total > MAX_OUTPUT:
            error = SecurityError(f"生成的内容过长（超过 {MAX_OUTPUT:,} 个字符，模板中的循环可能过多）")
            if hasattr(pieces, "throw"):  # raised inside the template, so that the error names its line
                pieces.throw(error)
            raise error
        chunks.append(chunk)


class BoundedTemplate(Template):
    """A template whose output is counted while it renders (:func:`bounded_output`)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = self.new_context(dict(*args, **kwargs))
        try:
            return bounded_output(self.root_render_func(context))
        except Exception:
            self.environment.handle_exception()


class ReportSandbox(SandboxedEnvironment):
    """Jinja's sandbox, tightened: no pydantic internals, and nothing that eats the machine.

    Its attribute verdicts are remembered per (type, attribute): the check depends only on
    those two, yet cost ~40% of a render when run again for every ``f.income.actual``.
    """

    code_generator_class = _BoundedCodeGenerator
    template_class = BoundedTemplate
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    checked_size = staticmethod(check_size)
    printable = staticmethod(printable)
    printed = staticmethod(printed)
    printed_text = staticmethod(printed_text)
    # Callables of our own, called without the per-call checks of :meth:`call` (their result's
    # size is still checked): Jinja's macros (template code, sandboxed itself: nothing unsafe to
    # call, not a method of str or list) and what the engine adds (``p``'s phrase calls). Exact
    # types only; each takes the eval context first, as Macro.__call__ (pass_eval_context).
    trusted_calls: frozenset[type] = frozenset({Macro})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("finalize", printable)  # {{ value }}: a container that would print past MAX_SIZE is refused
        super().__init__(*args, **kwargs)
        self._verdicts: dict[type, dict[str, bool]] = {}  # type -> attribute -> safe
        self._subscriptable: dict[type, bool] = {}  # type -> obj[...] can work
        if not self.is_async:  # Jinja's filters that have an async variant ask which one at every call
            for name, function in list(self.filters.items()):
                if getattr(function, "jinja_async_variant", False):
                    self.filters[name] = function.__wrapped__  # the sync one
        for name in ("center", "indent", "format", "wordwrap", "replace", "join", "string", "pprint", "tojson"):
            self.filters[name] = _bounded_filter(self.filters[name], name)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        verdicts = self._verdicts.setdefault(type(obj), {})
        verdict = verdicts.get(attr)
        if verdict is None:
            verdict = verdicts[attr] = not attr.startswith("model_") and super().is_safe_attribute(obj, attr, value)
        return verdict

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute`` in a template: the remembered verdict, or the full sandbox check."""
        verdicts = self._verdicts.get(type(obj))
        if verdicts is not None and verdicts.get(attribute):
            try:
                value = getattr(obj, attribute)
            except AttributeError:
                return super().getattr(obj, attribute)
            kind = type(value)  # (method types cannot be subclassed: no isinstance needed)
            if kind is not types.MethodType and kind is not types.BuiltinMethodType:
                return value  # methods get the full check (str.format is wrapped)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """``obj[argument]``, also selectattr's and map's lookups of an attribute: for an object
        that cannot be subscripted it is ``obj.argument`` (Jinja's getitem tries ``obj[argument]``
        first, and its TypeError costs more than the lookup, ~120 times a report)."""
        if type(argument) is str:
            cls = type(obj)
            subscriptable = self._subscriptable.get(cls)
            if subscriptable is None:  # a class can be subscripted by its __class_getitem__
                subscriptable = self._subscriptable[cls] = hasattr(cls, "__getitem__") or issubclass(cls, type)
            if not subscriptable:
                return self.getattr(obj, argument)  # what Jinja's getitem falls back to, checks included
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """A call in a template: methods that build long strings or lists are checked first."""
        if type(__obj) in __self.trusted_calls:
            return check_size(_call_trusted(__context, __obj, args, kwargs))
        method = getattr(__obj, "__wrapped__", __obj)  # Jinja wraps str.format
        name = getattr(method, "__name__", "")
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            if name in _WIDTH_METHODS and args and isinstance(args[0], int) and args[0] > MAX_SIZE:
                raise _too_long(args[0])
            if name in {"format", "format_map"}:
                _check_format_string(owner)
                for value in (*args, *kwargs.values()):
                    check_size(value)
            if name == "replace" and len(args) >= 2:
                _check_replace(owner, *args[:2])
            if name == "join" and args:
                _check_join(owner, args[0])
        elif isinstance(owner, list) and name in _GROWING_METHODS:
            added = len(args[0]) if name == "extend" and hasattr(args[0], "__len__") else 1
            if len(owner) + added > MAX_SIZE:
                raise _too_long(len(owner) + added)
        result = SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)
        return check_size(result)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _too_big_power(left, right):
            raise SecurityError(f"乘方的结果过大（超过 {MAX_DIGITS} 位数字）")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_SIZE:
                    raise SecurityError(f"用 * 重复生成的内容过长（{len(seq) * times:,}，上限 {MAX_SIZE:,}）")
        if (operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple))
                and len(left) + len(right) > MAX_SIZE):
            raise _too_long(len(left) + len(right))
        if operator == "%" and isinstance(left, str):
            for spec in _PERCENT_SPEC.findall(left):
                _check_spec(spec[1:])
            for value in right if isinstance(right, tuple) else (right,):
                check_size(value)
        return check_size(super().call_binop(context, operator, left, right))


def _call_trusted(context: Context, function: Any, args: tuple, kwargs: dict[str, Any]) -> Any:
    """What ``context.call`` does for a callable that takes the eval context (a macro), without
    the lookups it makes to find that out (~1.5 µs of ~250 macro calls per report)."""
    kwargs.pop("_loop_vars", None)  # only for pass_context callables
    kwargs.pop("_block_vars", None)
    try:
        return function(context.eval_ctx, *args, **kwargs)
    except StopIteration:  # as context.call
        return context.environment.undefined(
            "value was undefined because a callable raised a StopIteration exception")


def _check_replace(text: str, old: Any, new: Any) -> None:
    if isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * (len(new) - len(old)) > MAX_SIZE:
            raise _too_long(len(text) + count * (len(new) - len(old)))


def _check_join(separator: Any, items: Any) -> None:
    if isinstance(items, (list, tuple)):
        size = sum(len(i) if isinstance(i, str) else 20 for i in items) + len(str(separator)) * len(items)
        if size > MAX_SIZE:
            raise _too_long(size)


def _bounded_filter(function: Any, name: str) -> Any:
    """A Jinja filter whose width argument and result are bounded."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        numbers = [a for a in (*args[1:], *kwargs.values()) if isinstance(a, int) and not isinstance(a, bool)]
        if any(n > MAX_SIZE for n in numbers):
            raise _too_long(max(numbers))
        values = [a for a in args if not hasattr(a, "environment")]  # past the eval context Jinja may pass
        for value in (*values, *kwargs.values()):  # a container's printed size, before printing it
            check_size(value)
        if name == "format":
            text = next((a for a in values if isinstance(a, str)), "")
            for spec in _PERCENT_SPEC.findall(text):
                _check_spec(spec[1:])
        if name == "replace" and len(values) >= 3 and isinstance(values[0], str):
            _check_replace(*values[:3])
        if name == "join" and values:
            _check_join(values[1] if len(values) > 1 else kwargs.get("d", ""), list(values[0])
                        if isinstance(values[0], (list, tuple)) else None)
        return check_size(function(*args, **kwargs))

    for attribute in ("jinja_pass_arg",):  # keep Jinja's pass_context/pass_eval_context marks
        if hasattr(function, attribute):
            setattr(bounded, attribute, getattr(function, attribute))
    return bounded


def _too_big_power(base: Any, exponent: Any) -> bool:
    """More than MAX_DIGITS digits, or an exponent beyond MAX_POWER."""
    if not isinstance(exponent, (int, float, Decimal)) or not isinstance(base, (int, float, Decimal)):
        return False
    if abs(exponent) > MAX_POWER:
        return True
    return abs(base) > 1 and float(abs(exponent)) * math.log10(abs(base)) > MAX_DIGITS


def capped_range(*args: int) -> range:
    """range() with at most MAX_RANGE items."""
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"range() 的范围过大（{len(numbers)} 项，上限 {MAX_RANGE}）")
    return numbers


class TemplateFolders(FileSystemLoader):
    """The template folders: only ``.j2`` files, and only those really inside a folder
    (``..`` and symbolic links pointing elsewhere are refused)."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        if not template.endswith(".j2"):
            raise SecurityError(f"只能引用模板目录中的 .j2 文件，不能引用“{template}”")
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(os.path.realpath(filename))
        if not any(real.is_relative_to(os.path.realpath(folder)) for folder in self.searchpath):
            raise SecurityError(f"“{template}”指向模板目录之外（符号链接或 ..），不能引用")
        return source, filename, uptodate


class RenderTimeout(SecurityError):
    """A render ran past :data:`RENDER_SECONDS`."""


@contextlib.contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Stop the code inside after ``seconds`` (default :data:`RENDER_SECONDS`: a template
    looping for ever). Only where signals can be used (the main thread on POSIX); elsewhere
    it does not limit."""
    seconds = seconds if seconds is not None else RENDER_SECONDS
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise RenderTimeout(f"生成时间超过 {seconds:g} 秒（模板中的循环可能过多），已停止")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

