"""Read a data file (YAML or JSON, same schema; a workbook through sireport.excel.read)
into a validated :class:`Report` (sireport.data.validate).

Every problem is collected and raised once as a :class:`DataError` whose lines say
where: ``file:line:column`` and the key path. Numbers become ``Decimal`` exactly as
written (never through binary floating point arithmetic).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from sireport.data import TEXT_SUFFIXES, WORKBOOK_SUFFIXES, yaml_fast
from sireport.data.limits import MAX_DEPTH, Budget, LimitExceeded, check_size
from sireport.data.locate import Source
from sireport.data.validate import LoadedReport, validate
from sireport.errors import DataError


def load_report(path: str | Path) -> LoadedReport:
    """Load and validate one YAML/JSON data file; raise DataError listing every problem."""
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from sireport.excel.read import load_workbook_report  # deferred: only Excel users pay for openpyxl

        return load_workbook_report(path)
    raw, source = read_tree(path)
    return validate(raw, source)


def read_tree(path: Path) -> tuple[Any, Source]:
    """Parse the file into plain Python data and a map of key positions."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise DataError(f"{path}：不支持的文件类型“{path.suffix}”，请使用 .yaml、.yml、.json 或 .xlsx 文件")
    try:
        check_size(str(path), path.stat().st_size)
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{path}：找不到数据文件") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}：文件不是 UTF-8 编码（第 {exc.start} 字节），请用 UTF-8 另存") from None
    except OSError as exc:
        raise DataError(f"{path}：无法读取数据文件（{exc.strerror}）") from None
    if path.suffix.lower() == ".json":
        try:
            json.loads(text, parse_int=str, parse_float=str)  # only the syntax: numbers are read below
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{exc.lineno}:{exc.colno}：JSON 格式错误（{_json_reason(exc.msg)}）") from None
    budget = Budget(text)
    try:
        raw, positions = yaml_fast.plain_tree(text, budget)
    except (LimitExceeded, yaml_fast.Refused) as exc:
        raise DataError(f"{path}{':' + exc.position if exc.position else ''}：{exc.message}") from None
    except yaml.YAMLError as exc:
        raise _syntax_error(path, text, exc) from None
    return raw, Source(str(path), positions, in_bounds=budget.in_bounds)


def _syntax_error(path: Path, text: str, exc: yaml.YAMLError) -> DataError:
    """A YAML syntax error in Chinese, worded from ruamel's diagnosis where it has one
    (its messages are the ones the wording table knows), else from libyaml's."""
    from ruamel.yaml import YAML  # only a broken file pays for ruamel
    from ruamel.yaml.error import MarkedYAMLError

    try:
        YAML(typ="rt", pure=True).load(text)
    except MarkedYAMLError as found:
        exc = found  # type: ignore[assignment]
    except RecursionError:
        return DataError(f"{path}：嵌套层数过多（超过 {MAX_DEPTH} 层），未读取")
    except Exception:  # noqa: S110  (ruamel raises several unrelated classes; libyaml's error stands)
        pass
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
    reason = (_line_reason(text, mark.line) if mark else None) or _yaml_reason(exc)
    return DataError(f"{where}：格式错误（{reason}）", detail=str(exc))


def _line_reason(text: str, line: int) -> str | None:
    """Two slips seen from the line itself: a value holding ": " (``unit: 甲: 乙``), and
    "key: value" indented deeper than the "key: value" line above it (a sub-key under a
    key that already has its value, the most common slip when copying lines)."""
    lines = text.splitlines()
    if line >= len(lines) or not re.match(r"\s*[^\s#:][^:]*:\s", lines[line] + " "):
        return None
    if re.match(r"\s*(- )?[^\s#:'\"][^:]*:\s+[^'\"#\s][^#]*:(\s|$)", lines[line]):
        return "值中有“: ”（冒号加空格）：这样的值要用引号括起来，如 名称: \"甲: 乙\""
    above = next((lines[i] for i in range(line - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), "")
    depth, above_depth = len(lines[line]) - len(lines[line].lstrip(" ")), len(above) - len(above.lstrip(" "))
    if depth > above_depth and re.match(r"\s*(- )?[^\s#:][^:]*:\s*\S", above):
        return f"缩进不对：这一行比上一行多缩进了 {depth - above_depth} 个空格；同一层的键要左对齐"
    return None


def _json_reason(msg: str) -> str:
    table = {
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Expecting value": "缺少值或多了逗号",
        "Expecting property name enclosed in double quotes": "键名须用英文双引号括起，或多了逗号",
        "Unterminated string starting at": "引号没有闭合",
        "Extra data": "多余的内容",
        "Invalid control character at": "字符串中有不允许的控制字符",
    }
    return table.get(msg, msg)


def _yaml_reason(exc: Any) -> str:
    problem = (getattr(exc, "problem", None) or "").strip()
    table = {
        "mapping values are not allowed here": "此处不能出现冒号“:”（可能缺少空格或缩进不对）",
        "could not find expected ':'": "缺少冒号“:”",
        "found character '\\t' that cannot start any token": "不能用制表符缩进，请用空格",
        "expected <block end>, but found '<block sequence start>'": "缩进不一致",
        "found duplicate key": "键重复",
        "found invalid Unicode character escape code": "无效的 \\u 转义（不成对的代理字符，Word 无法保存）",
        "found unknown escape character": "双引号中的反斜杠“\\”后面不是有效的转义字符（反斜杠本身要写成 \\\\，或改用单引号）",
    }
    for english, chinese in table.items():
        if problem.startswith(english.split(" with")[0]):
            return chinese
    stray = re.match(r"expected <block end>, but found '([\]}])'", problem)
    if stray:
        return f"多余的“{stray.group(1)}”：前面没有与它配对的括号"
    if problem.startswith("expected <block end>, but found '-'"):
        return "列表项“- ”与上面的键混在同一层：列表项应比它所属的键多缩进，或这一行缺少键名"
    if problem.startswith("expected <block end>") or "block mapping" in problem:
        return "缩进不一致，请检查这一行与上一层的对齐"
    if "duplicate key" in str(exc):
        return "键重复"
    if "found undefined alias" in problem:
        return "引用了未定义的别名"
    context = (getattr(exc, "context", None) or "").strip()
    if "quoted scalar" in context:
        start = exc.context_mark
        begun = f"（第 {start.line + 1} 行第 {start.column + 1} 列开始的引号）" if start is not None else ""
        return f"引号没有闭合{begun}"
    if problem.startswith("expected ',' or '}'") or "flow mapping" in context:
        return "花括号 { } 没有闭合，或缺少逗号"
    if problem.startswith("expected ',' or ']'") or "flow sequence" in context:
        return "方括号 [ ] 没有闭合，或缺少逗号"
    return "写法有误，请检查这一行和上一行的缩进、冒号“:”和引号"
