"""Jinja's errors in Chinese, for whoever edits the wording (docs/模板指南.md §3).

Jinja words its errors for programmers ("Unexpected end of template. Jinja was looking
for the following tags: 'endfor' or 'else'…"). :func:`explain_syntax` turns the common
ones into Chinese in the terms of a template: unclosed or stray blocks, unknown tags,
unclosed ``{{ }}``/``{% %}``/``{# #}``, unbalanced brackets and quotes. Every message
becomes Chinese: an unknown one gets a general explanation (the original text is kept
for ``--verbose`` by the caller).
"""

from __future__ import annotations

import re

# Jinja's names of tokens (lexer.describe_token_type) as a template author writes them
_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "begin of print statement": "{{",
    "begin of statement block": "{%",
    "end of comment": "#}",
    "begin of comment": "{#",
    "end of template": "模板末尾",
    "name": "名称",
    "integer": "整数",
    "float": "数字",
    "string": "带引号的文字",
}
_BLOCK_NAMES = {"for": "for 循环", "if": "if 条件", "macro": "macro 宏", "call": "call 块", "filter": "filter 块",
                "set": "set 块", "with": "with 块", "raw": "raw 块", "block": "block 块", "autoescape": "autoescape 块"}
_UNCLOSED = re.compile(r"Unexpected end of template\. Jinja was looking for the following tags: (.*?)\. "
                       r"The innermost block that needs to be closed is '([^']+)'\.", re.S)
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '([^']+)'\.(?: Jinja was looking for the following tags: (.*?)\. "
                          r"The innermost block that needs to be closed is '([^']+)'\.)?", re.S)


def token(name: str) -> str:
    """A Jinja token name as a template author knows it (``end of print statement`` → ``}}``)."""
    return _TOKENS.get(name, name)


def _tags(listed: str) -> str:
    """``'endfor' or 'else'`` → ``{% endfor %} 或 {% else %}``."""
    return " 或 ".join("{% " + name + " %}" for name in re.findall(r"'([^']+)'", listed))


def _unknown_tag(match: re.Match) -> str:
    name, wanted, innermost = match.groups()
    if name.startswith("end") or name in ("else", "elif"):
        if innermost:
            return (f"“{{% {name} %}}”与前面未结束的 {_BLOCK_NAMES.get(innermost, innermost)}不配套"
                    f"（此处应为 {_tags(wanted)}）")
        return f"多余的“{{% {name} %}}”：前面没有与它配对的开始标签"
    hint = f"；此处需要的是 {_tags(wanted)}" if wanted else ""
    return f"不认识的标签“{{% {name} %}}”（是否拼错？可用的有 for、if、set、macro 等）{hint}"


def _expected(match: re.Match) -> str:
    wanted, got = token(match.group(1)), token(match.group(2))
    if wanted == "}}":
        return f"“{{{{ … }}}}”中只能写一个表达式，“{got}”前面缺少运算符、逗号或右括号，或者标签应在此结束（缺少 }}}}）"
    if wanted == "%}":
        return f"“{{% … %}}”中“{got}”之前就该结束（多写了内容，或缺少运算符、逗号）"
    return f"此处应为“{wanted}”，却是“{got}”"


def _unexpected(match: re.Match) -> str:
    got, wanted = token(match.group(1)), match.group(2)
    if wanted:
        opener = {")": "(", "]": "[", "}": "{"}.get(wanted, "")
        return f"括号没有配对：此处应先写“{wanted}”" + (f"闭合前面的“{opener}”" if opener else "") + f"，却是“{got}”"
    if got in ("}}", "%}"):
        return f"“{got}”之前的表达式不完整（运算符或逗号后面缺少内容）"
    if got == "}":
        return "“}”不成对：标签应以“}}”结束，花括号要成对"
    if got in (")", "]"):
        return f"多余的“{got}”：前面没有与它配对的左括号"
    return f"这里不应出现“{got}”"


_MESSAGES = (
    (_UNCLOSED, lambda m: f"{_BLOCK_NAMES.get(m.group(2), m.group(2))}没有结束：模板到末尾还缺少 {_tags(m.group(1))}"),
    (_UNKNOWN_TAG, _unknown_tag),
    (re.compile(r"unexpected end of template, expected '([^']+)'\.?"),
     lambda m: f"标签没有结束（缺少“{token(m.group(1))}”）"),
    (re.compile(r"unexpected end of template.*", re.S), lambda m: "模板在标签或块结束之前就结束了（缺少 }}、%} 或 endfor/endif）"),
    (re.compile(r"unexpected char (['\"])(.)\1 at \d+"), lambda m: (
        f"引号“{m.group(2)}”没有闭合（文字两端的引号要成对，且都用英文直引号）" if m.group(2) in "'\""
        else f"标签里有不能识别的字符“{m.group(2)}”（是否用了全角符号，或前面的引号没有配对？）")),
    (re.compile(r"unexpected '([^']+)', expected '([^']+)'"), _unexpected),
    (re.compile(r"unexpected '([^']+)'()"), _unexpected),
    (re.compile(r"expected token '([^']+)', got '([^']+)'"), _expected),
    (re.compile(r"Expected an expression, got '([^']+)'"), lambda m: f"“{token(m.group(1))}”之前缺少表达式（变量、数字或文字）"),
    (re.compile(r"expected name or number"), lambda m: "点号“.”后面缺少属性名"),
    (re.compile(r"Missing end of comment tag"), lambda m: "注释“{#”没有结束（缺少 #}）"),
    (re.compile(r"Missing end of raw directive"), lambda m: "{% raw %} 没有结束（缺少 {% endraw %}）"),
    (re.compile(r"non-default argument follows default argument"), lambda m: "宏的参数中，没有默认值的参数必须写在有默认值的参数前面"),
    (re.compile(r"No filter named '([^']+)'\.?"), lambda m: f"没有名为“{m.group(1)}”的过滤器"),
    (re.compile(r"No test named '([^']+)'\.?"), lambda m: f"没有名为“{m.group(1)}”的判断（is 后面）"),
    (re.compile(r"Block tag '([^']+)' .*", re.S), lambda m: f"块“{m.group(1)}”用法不对"),
)


_RUNTIME = (
    (re.compile(r"macro '([^']+)' takes not more than (\d+) argument"), lambda m: f"宏“{m.group(1)}”最多接受 {m.group(2)} 个参数"),
    (re.compile(r"macro '([^']+)' takes no keyword argument '([^']+)'"), lambda m: f"宏“{m.group(1)}”没有名为“{m.group(2)}”的参数"),
    (re.compile(r"macro '([^']+)' was invoked with two values for the special caller argument"), lambda m: "call 块的用法不对"),
    (re.compile(r"unsupported operand type|can only concatenate|bad operand type|not supported between"),
     lambda m: "不能对这样的值做这种运算或比较（例如把文字当作数字，或过滤器的参数类型不对）"),
    (re.compile(r"'[^']+' object is not iterable"), lambda m: "它不是列表，不能用 for 循环逐项处理"),
    (re.compile(r"(float )?division( or modulo)? by zero|DivisionByZero|DivisionUndefined"), lambda m: "除数为零"),
    (re.compile(r"ConversionSyntax|InvalidOperation"), lambda m: "不是有效的数字"),
    (re.compile(r"'[^']+' object is not callable"), lambda m: "它不能像宏或函数那样加括号调用"),
)


def explain_runtime(exc: Exception) -> str:
    """A Chinese rendering of an error raised while a template runs (the original is kept
    for ``--verbose`` by the caller)."""
    text = f"{type(exc).__name__}: {exc}"
    for pattern, chinese in _RUNTIME:
        match = pattern.search(text)
        if match:
            return chinese(match)
    return "请检查这个标签中的运算、过滤器和它们的参数"


def explain_syntax(message: str) -> str:
    """A Chinese rendering of a Jinja syntax error message; never English."""
    for pattern, chinese in _MESSAGES:
        match = pattern.match(message.strip())
        if match:
            return chinese(match)
    return "标签写法有误，请检查括号、引号是否成对，以及 {{ }}、{% %} 是否完整"
