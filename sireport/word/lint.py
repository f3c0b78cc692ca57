"""``sireport template check``: find what Word, WPS and an input method did to the tags.

Whoever edits the wording opens the .docx in Word. Word splits a ``{{ … }}`` tag over
several runs (spell-check marks, bookmarks, revision ids between them), turns straight
quotes curly, and a Chinese input method types ｛｝（）“”. This module reads the
template paragraph by paragraph (:mod:`sireport.word.template_xml`) and reports, each with
the place a person finds in Word (正文第12段“…”, 第1个表格第3行第2格):

- tags split over runs, curly quotes and full-width characters inside tags — repaired
  safely (the repair is reported, and applied in memory before every render);
- tags left open at the end of a paragraph; ``{%p``/``{%tr``/``{%tc`` in the wrong place;
- unbalanced ``for``/``if``/… blocks, and any other Jinja syntax error;
- unknown variables (with nested paths and a did-you-mean) and unknown filters,
  checked against what the render context provides (:mod:`sireport.word.context_types`).

Library use: ``check_template(path)`` returns a :class:`CheckResult` (errors, repairs, the
repaired bytes, the variables used); ``template_variables(path)`` the dotted paths only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError

from sireport.errors import Problem, TemplateError
from sireport.files import refuse_existing, write_atomic
from sireport.word.context_types import PHRASES_CONTEXT, check_names, context_for
from sireport.word.engine import make_environment
from sireport.word.jinja_messages import explain_syntax
from sireport.word.macros import MacroSignature, PhrasesFile, read_phrases
from sireport.word.run_format import format_loss
from sireport.word.search import PHRASES, builtin_dir
from sireport.word.search import search_dirs as default_dirs
from sireport.word.template_xml import (
    DocxTemplateFile,
    Part,
    Place,
    markup_between,
    read_template,
    set_text,
    shorten,
    w,
)

# A tag, found on a copy of the text where full-width ｛｝％＃ read as {}%# (same offsets).
_DELIMITERS = str.maketrans("｛｝％＃", "{}%#")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_OPENERS = re.compile(r"\{\{|\{%|\{#")
_PREFIX = re.compile(r"^\{([%{#])([-+]?)(p|tr|tc|r)\s")
_BLOCK = re.compile(r"^\{%[-+]?\s*(?:(?:p|tr|tc|r)\s+)?([a-z_]+)")
_PSEUDO = re.compile(r"^\{%\s*(vm|hm)\s*%\}$|^\{%\s*(colspan|cellbg|vmerge|keepnext)\s+(.*?)\s*%\}$", re.S)
BLOCKS = {"for", "if", "macro", "call", "filter", "with", "block", "raw", "autoescape", "trans"}
MIDDLES = {"else": {"for", "if"}, "elif": {"if"}}
# the other tag words a template may use (Jinja's, and docxtpl's pseudo-tags)
SINGLES = {"set", "include", "import", "from", "extends", "do", "break", "continue", "print",
           "vm", "hm", "colspan", "cellbg", "vmerge", "keepnext"}
_MARKUP_NAMES = {"proofErr": "拼写检查标记", "bookmarkStart": "书签", "bookmarkEnd": "书签",
                 "ins": "修订标记", "del": "修订标记", "rPr": "文字格式", "commentRangeStart": "批注",
                 "commentRangeEnd": "批注", "fldChar": "域代码"}
_CURLY = {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"}
_CLOSERS = {'"': "“”„\"", "'": "‘’'"}


@dataclass
class Tag:
    """One Jinja tag in a paragraph: its text as Word shows it and as it should be."""

    place: Place
    start: int
    end: int
    raw: str
    fixed: str

    @property
    def prefix(self) -> str:
        """docxtpl's tag prefix: p, tr, tc, r or ''."""
        match = _PREFIX.match(self.fixed)
        return match.group(3) if match else ""

    @property
    def jinja(self) -> str:
        """The tag as plain Jinja (docxtpl's prefix removed, its pseudo-tags neutralised)."""
        text = _PREFIX.sub(lambda m: "{" + m.group(1) + m.group(2) + " ", self.fixed, count=1)
        pseudo = _PSEUDO.match(text)
        if pseudo:
            return "" if pseudo.group(1) else "{{ " + pseudo.group(3) + " }}"
        return text

    def where(self) -> str:
        return self.place.where(self.raw)


@dataclass
class CheckResult:
    """What ``template check`` found: errors stop a render, repairs are applied and said."""

    template: Path
    errors: list[Problem] = field(default_factory=list)
    repairs: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # rendered anyway, but said (external links)
    repaired: bytes | None = None  # the template with the repairs applied (None: nothing to repair)
    variables: set[str] = field(default_factory=set)
    phrases: str = ""  # the phrases.j2 checked, the one a render uses (beside the template, else built in)
    package: DocxTemplateFile | None = field(default=None, repr=False)  # as read, repairs applied

    @property
    def ok(self) -> bool:
        return not self.errors

    def raise_if_errors(self) -> None:
        if self.errors:
            how = "请修改后重试（句式宏文件 phrases.j2 用记事本等文本编辑器修改）" \
                if any(PHRASES in error.where for error in self.errors) else "请在 Word 中修改后重试"
            raise TemplateError(f"{self.template}：模板有 {len(self.errors)} 处错误，{how}", self.errors)


def check_template(template: Path | str, search_dirs: list[Path] | None = None, *,
                   env: jinja2.Environment | None = None) -> CheckResult:
    """Check a .docx template (a trial render with data: sireport.run.render.trial_render).
    ``env``: the template's environment when the caller built it already (make_engine)."""

    path = Path(template)
    dirs = [path.parent, *(search_dirs if search_dirs is not None else [*default_dirs(), builtin_dir()])]
    env = env if env is not None else make_environment(dirs)
    docx = read_template(path)
    result = CheckResult(path, package=docx)
    try:
        macros = _check_phrases(read_phrases(env), env, result)
    except SecurityError as exc:  # phrases.j2 a link out of the template folders
        result.errors.append(Problem(PHRASES, str(exc)))
        macros = {}
    tags_by_part = {part.name: _scan(part, result) for part in docx.parts}
    if result.repairs:
        _apply_repairs([tag for tags in tags_by_part.values() for tag in tags])
        result.repaired = docx.to_bytes()
        docx.keep_parts()
    parsed = []
    for part in docx.parts:
        tags = tags_by_part[part.name]
        _check_placement(tags, result)
        before = len(result.errors)
        patch = _check_balance(tags, result)
        parsed.append(_parse(part, tags, env, result, patch, balanced=len(result.errors) == before))
    context = context_for([tree for _, _, tree in parsed if tree is not None])
    for places, tags, tree in parsed:
        if tree is not None:
            _check_names(places, tags, tree, env, context, macros, result)
    _check_properties(docx.members.get("docProps/core.xml", b""), result)
    _check_external(docx.members, result)
    return result


_EXTERNAL = re.compile(rb'<Relationship\b[^>]*\bTargetMode="External"[^>]*>')
_ATTRIBUTE = re.compile(rb'\b(Type|Target)="([^"]*)"')


def _check_external(members: dict[str, bytes], result: CheckResult) -> None:
    """Links out of the package (a picture on a web server, an attached template on a network
    share, a file:// link) are copied into every report: Word may fetch them when a report
    is opened. Said, so that whoever owns the template can remove them."""
    for name, data in members.items():
        if not name.endswith(".rels"):
            continue
        for match in _EXTERNAL.finditer(data):
            found = {key.decode(): value.decode("utf-8", "replace") for key, value in _ATTRIBUTE.findall(match.group())}
            kind = found.get("Type", "").rsplit("/", 1)[-1]
            result.warnings.append(Problem(f"模板的 {name}", f"外部链接“{found.get('Target', '')[:80]}”（{kind}）会被复制到"
                                           "每份报告中，打开报告时 Word 可能访问该地址；如不需要，请在 Word 中删除"))


def _check_properties(core: bytes, result: CheckResult) -> None:
    """docxtpl also renders the document properties (标题、作者…); tags there are refused."""
    text = core.decode("utf-8", errors="replace").translate(_DELIMITERS)
    for match in _TAG.finditer(text):
        result.errors.append(Problem(f"文档属性（文件 → 信息 → 属性）“{match.group(0)[:40]}”",
                                     "文档属性中不能写模板标签，请删去"))


def write_fixed(result: CheckResult, target: Path | str) -> Path:
    """Write the repaired template (``template check --fix``); never over an existing file."""
    target = Path(target)
    refuse_existing(target, option="")
    data = result.repaired if result.repaired is not None else result.template.read_bytes()
    return write_atomic(target, data, force=True)


def prepare_template(template: Path | str, search_dirs: list[Path], *,
                     env: jinja2.Environment | None = None) -> CheckResult:
    """Check before rendering: raise TemplateError listing every error; return the repairs."""
    result = check_template(template, search_dirs, env=env)
    result.raise_if_errors()
    return result


def template_variables(template: Path | str, search_dirs: list[Path] | None = None) -> set[str]:
    """The dotted context paths a template needs, e.g. ``{"report.unit", "funds.income.actual"}``.

    Loop variables are replaced by the list they walk (``f`` in ``for f in funds`` →
    ``funds``); list levels and indexes are dropped. Left out, because the template provides
    for their absence: paths it tests before use (``{% if report.cover %}``, ``x if cond``)
    with everything below them, and the lists its ``for`` loops walk (an empty list writes
    nothing). ``sireport.checks.check_report(template_vars=…)`` reports those the data leaves empty.
    """
    return check_template(template, search_dirs).variables


# --- scanning paragraphs ---------------------------------------------------------------------

def _scan(part: Part, result: CheckResult) -> list[Tag]:
    tags = []
    for place in part.places:
        text = place.text
        if "{" not in text and "｛" not in text and "}" not in text and "｝" not in text:
            continue
        detect = text.translate(_DELIMITERS)
        covered = []
        for match in _TAG.finditer(detect):
            raw = text[match.start():match.end()]
            tag = Tag(place, match.start(), match.end(), raw, fix_tag(raw))
            tags.append(tag)
            covered.append((match.start(), match.end()))
            _note_repairs(tag, result)
        rest = "".join(" " if any(a <= i < b for a, b in covered) else ch for i, ch in enumerate(detect))
        for opener in _OPENERS.finditer(rest):
            result.errors.append(Problem(place.where(text[opener.start():]),
                                         f"标签“{shorten(text[opener.start():], 20)}”在本段内没有结束"
                                         "（缺少 }}、%} 或 #}，或被拆到了下一段）"))
    return tags


def fix_tag(raw: str) -> str:
    """Straight quotes for curly ones and ASCII for full-width characters, outside string literals."""
    out, closers = [], ""
    for ch in raw:
        if closers:
            if ch in closers:
                out.append(_CURLY.get(ch, ch))
                closers = ""
            else:
                out.append(ch)
        elif ch in "'\"":
            closers = ch
            out.append(ch)
        elif ch in _CURLY:
            straight = _CURLY[ch]
            closers = _CLOSERS[straight]
            out.append(straight)
        elif "\uff01" <= ch <= "\uff5e" or ch == "\u3000":
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


def _note_repairs(tag: Tag, result: CheckResult) -> None:
    pieces = tag.place.segments_between(tag.start, tag.end)
    what, lost = [], None
    if len(pieces) > 1:
        markup = sorted({_MARKUP_NAMES[name] for name in markup_between(tag.place, pieces[0], pieces[-1])
                         if name in _MARKUP_NAMES})
        what.append(f"标签被 Word 拆成了 {len(pieces)} 段文字" + (f"（中间夹有{'、'.join(markup)}）" if markup else "")
                    + "，已合并")
        lost = format_loss([(piece.text[max(tag.start - piece.start, 0):tag.end - piece.start], piece.element.getparent())
                            for piece in pieces])
    if any(a != b for a, b in zip(tag.raw, tag.fixed) if a in _CURLY):
        what.append("标签内的弯引号“”‘’已改为直引号")
    if any(("\uff01" <= a <= "\uff5e" or a == "\u3000") and a != b for a, b in zip(tag.raw, tag.fixed)):
        shown = "".join(sorted({a for a, b in zip(tag.raw, tag.fixed) if a != b and a not in _CURLY}))
        what.append(f"标签内的全角字符“{shown}”已改为半角")
    if what:
        result.repairs.append(Problem(tag.where(), "；".join(what) + f"，即“{tag.fixed}”" + (f"；{lost}" if lost else "")))


def _apply_repairs(tags: list[Tag]) -> None:
    """Put each repaired tag whole into its first text piece (right to left, offsets stay valid)."""
    for tag in sorted(tags, key=lambda t: (id(t.place), t.start), reverse=True):
        pieces = tag.place.segments_between(tag.start, tag.end)
        if len(pieces) == 1 and tag.fixed == tag.raw:
            continue
        first, last = pieces[0], pieces[-1]
        head = (first.element.text or "")[: tag.start - first.start]
        if first is last:
            set_text(first, head + tag.fixed + (first.element.text or "")[tag.end - first.start:])
            continue
        set_text(first, head + tag.fixed)
        for middle in pieces[1:-1]:
            set_text(middle, "")
        set_text(last, (last.element.text or "")[tag.end - last.start:])


# --- docxtpl placement and block balance -----------------------------------------------------

def _check_placement(tags: list[Tag], result: CheckResult) -> None:
    for tag in tags:
        prefix, place = tag.prefix, tag.place
        if prefix in ("tr", "tc") and not place.in_table:
            result.errors.append(Problem(tag.where(), f"{{%{prefix} …%}} 只能写在表格的单元格里"
                                         f"（{'tr 控制整行' if prefix == 'tr' else 'tc 控制整格'}）；正文段落请用 {{%p …%}}"))
        elif prefix == "p":
            others = _other_text(place.text, tag)
            if others:
                result.errors.append(Problem(tag.where(), f"{{%p …%}} 必须单独成段，渲染时整段会被删除，"
                                             f"同段的文字“{others[:20]}”会丢失；请把它移到单独的一段"))
        elif prefix == "tc":
            others = _other_text(_cell_text(place), tag)
            if others:
                result.errors.append(Problem(tag.where(), f"{{%tc …%}} 所在的单元格只能有这个标签，"
                                             f"格内的文字“{others[:20]}”会丢失"))
        elif prefix == "tr":
            others = _other_text(_row_text(place), tag)
            if others:
                result.errors.append(Problem(tag.where(), f"{{%tr …%}} 所在的表格行只能有这个标签，"
                                             f"该行的文字“{others[:20]}”会丢失"))


def _other_text(text: str, tag: Tag) -> str:
    return _TAG.sub("", text.translate(_DELIMITERS).replace(tag.raw.translate(_DELIMITERS), "", 1)).strip()


def _cell_text(place: Place) -> str:
    cell = place.element.getparent()
    return "".join(t.text or "" for t in cell.iter(w("t"))) if cell is not None else place.text


def _row_text(place: Place) -> str:
    row = place.element.getparent().getparent() if place.element.getparent() is not None else None
    return "".join(t.text or "" for t in row.iter(w("t"))) if row is not None else place.text


@dataclass
class _BalancePatch:
    """How to make an unbalanced part parse anyway, so that names can still be checked."""

    drop: set[int] = field(default_factory=set)  # id() of tags left out
    instead: dict[int, str] = field(default_factory=dict)  # id() of a misspelt tag -> the tag it was meant to be
    before: dict[int, str] = field(default_factory=dict)  # id() of a tag -> end tags put before it
    tail: str = ""  # end tags put at the end


def _check_balance(tags: list[Tag], result: CheckResult) -> _BalancePatch:
    """Match block openers with their ends; report each unmatched one."""
    stack: list[tuple[str, Tag]] = []
    patch = _BalancePatch()
    for tag in tags:
        match = _BLOCK.match(tag.fixed)
        if not match:
            continue
        word = match.group(1)
        if word == "set" and "=" not in tag.fixed:
            word = "set-block"
        if not _known_word(word):
            word = _misspelt(tag, word, [opened for opened, _ in reversed(stack)], patch, result)
            if word is None:
                continue
        if word in BLOCKS or word == "set-block":
            stack.append((word.replace("-block", ""), tag))
        elif word in MIDDLES:
            if not stack or stack[-1][0] not in MIDDLES[word]:
                patch.drop.add(id(tag))
                result.errors.append(Problem(tag.where(), f"“{tag.fixed}”前面没有对应的 "
                                             f"{' 或 '.join('{% ' + b + ' %}' for b in sorted(MIDDLES[word]))}"))
            else:
                _same_kind(stack[-1][1], tag, result)
        elif word.startswith("end"):
            name = word[3:]
            if stack and stack[-1][0] == name:
                _same_kind(stack[-1][1], tag, result)
                stack.pop()
            elif any(opened == name for opened, _ in stack):
                while stack[-1][0] != name:
                    opened, opener = stack.pop()
                    patch.before[id(tag)] = patch.before.get(id(tag), "") + f"{{% end{opened} %}}"
                    result.errors.append(Problem(opener.where(), f"“{opener.fixed}”没有对应的 "
                                                 f"{{% end{opened} %}}（在{tag.where()}之前就该结束）"))
                stack.pop()
            else:
                patch.drop.add(id(tag))
                innermost = f"（前面最近一个未结束的是{stack[-1][1].where()}，应以“{{% end{stack[-1][0]} %}}”结束）" \
                    if stack else ""
                result.errors.append(Problem(tag.where(), f"多余的“{tag.fixed}”：前面没有与它配对的“{{% {name} … %}}”"
                                             + innermost))
    for opened, opener in stack:
        result.errors.append(Problem(opener.where(), f"“{opener.fixed}”没有对应的 {{% end{opened} %}}"))
    patch.tail = "".join(f"{{% end{opened} %}}" for opened, _ in reversed(stack))
    return patch


def _known_word(word: str) -> bool:
    return word in BLOCKS or word in MIDDLES or word in SINGLES or word == "set-block" or word[3:] in BLOCKS and \
        word.startswith("end") or word == "endset"


def _misspelt(tag: Tag, word: str, open_blocks: list[str], patch: _BalancePatch, result: CheckResult) -> str | None:
    """A tag word that is no tag (``{%p endfo %}``, ``{% fo x in y %}``): said with the tag
    it most likely was, which stands in for it so that the rest is still checked; None if
    there is no likely one (the tag is then left out)."""
    if word.startswith("end"):
        # the innermost open block is what must end here; with none open, the likeliest end tag
        guess = [f"end{open_blocks[0]}"] if open_blocks else \
            get_close_matches(word, sorted(f"end{b}" for b in BLOCKS), n=1, cutoff=0.6)
        meant = f"{{%{tag.prefix} {guess[0]} %}}" if guess else ""
    else:
        guess = get_close_matches(word, sorted(BLOCKS | set(MIDDLES)), n=1, cutoff=0.6)
        meant = re.sub(rf"^(\{{%[-+]?\s*(?:(?:p|tr|tc|r)\s+)?){word}", lambda m: m.group(1) + guess[0], tag.fixed) \
            if guess else ""
    result.errors.append(Problem(tag.where(), f"不认识的标签“{tag.fixed}”" +
                                 (f"，是否应为“{meant}”？" if meant else "（可用的有 for、if、else、endfor、endif 等）")))
    if not guess:
        patch.drop.add(id(tag))
        return None
    patch.instead[id(tag)] = Tag(tag.place, tag.start, tag.end, meant, meant).jinja
    return guess[0]


def _same_kind(opener: Tag, closer: Tag, result: CheckResult) -> None:
    """A block that spans paragraphs must use the same docxtpl prefix at both ends."""
    if opener.prefix != closer.prefix and opener.place is not closer.place:
        want = "{%" + opener.prefix + " …%}" if opener.prefix else "同一段内"
        result.errors.append(Problem(closer.where(), f"“{closer.fixed}”与{opener.where()}的“{opener.fixed}”"
                                     f"不配套：跨段落的块两端都要用 {want} 形式（如 {{%p endfor %}}），"
                                     "否则生成的文档会损坏"))


# --- Jinja syntax, variables and filters -----------------------------------------------------

def _skeleton(part: Part, tags: list[Tag], patch: _BalancePatch) -> tuple[str, list[Place]]:
    """The part as plain Jinja, one line per paragraph (line n is ``places[n-1]``)."""
    by_place: dict[int, list[str]] = {}
    for tag in tags:
        if id(tag) not in patch.drop:
            by_place.setdefault(id(tag.place), []).append(patch.before.get(id(tag), "")
                                                          + patch.instead.get(id(tag), tag.jinja))
    lines = [" ".join(by_place.get(id(place), [])) for place in part.places]
    return "\n".join(lines) + patch.tail, part.places


def _parse(part: Part, tags: list[Tag], env: jinja2.Environment, result: CheckResult,
           patch: _BalancePatch, balanced: bool) -> tuple[list[Place], list[Tag], jinja2.nodes.Template | None]:
    """The part's Jinja tree (None after a syntax error, which is reported)."""
    source, places = _skeleton(part, tags, patch)
    try:
        return places, tags, env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        if balanced:  # otherwise the unbalanced blocks are the cause, already reported
            place = places[min(max(exc.lineno - 1, 0), len(places) - 1)] if places else None
            message = f"模板语法错误：{explain_syntax(exc.message or '')}"
            result.errors.append(Problem(place.where(_tag_text_on(tags, place, message)) if place else part.label, message))
        return places, tags, None


def _check_names(places: list[Place], tags: list[Tag], tree: jinja2.nodes.Template, env: jinja2.Environment,
                 context: dict, macros: dict[str, MacroSignature], result: CheckResult) -> None:
    names, variables = check_names(tree, env, context, macros)
    for lineno, message in names:
        place = places[min(max(lineno - 1, 0), len(places) - 1)]
        problem = Problem(place.where(_tag_text_on(tags, place, message)), message)
        if problem not in result.errors:  # the same mistake twice in one paragraph is said once
            result.errors.append(problem)
    result.variables |= variables


def _check_phrases(phrases: PhrasesFile | None, env: jinja2.Environment,
                   result: CheckResult) -> dict[str, MacroSignature]:
    """The phrases.j2 a render would use: its syntax, then its names, fields, filters and the
    calls between its macros, each at file:line; return its macros (none if it is broken)."""
    if phrases is None:
        result.errors.append(Problem(PHRASES, "找不到句式宏文件 phrases.j2（应放在模板旁，"
                                     "可用 sireport template export 连同模板一起导出）"))
        return {}
    result.phrases = phrases.shown
    if phrases.error is not None:
        result.errors.append(Problem(f"{phrases.shown}:{phrases.error.lineno}",
                                     f"句式宏文件语法错误：{explain_syntax(phrases.error.message or '')}"))
        return {}
    macros = phrases.macros()
    problems, _ = check_names(phrases.tree, env, PHRASES_CONTEXT, macros)
    result.errors += [Problem(f"{phrases.shown}:{line}", message) for line, message in problems]
    return macros


def _tag_text_on(tags: list[Tag], place: Place | None, message: str = "") -> str | None:
    """The tags of a paragraph, as an excerpt; those naming what ``message`` quotes if any do."""
    texts = [t.raw for t in tags if t.place is place]
    quoted = re.findall(r"“([^”]+)”", message)[:1]  # the first quoted: what the message is about
    named = [text for text in texts if any(q in text.translate(_DELIMITERS) for q in quoted)]
    texts = named or texts
    return " ".join(texts) if texts else None
