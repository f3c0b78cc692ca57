"""Command line: a thin layer over the library. Every message is Chinese; every user
error is a SireportError turned into one message and a non-zero exit code."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

import sireport
from sireport.data import DATA_SUFFIXES
from sireport.errors import PdfError, SireportError, TemplateError
from sireport.run.jobs import TIME_LIMIT

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class ChineseHelp:
    """Click's help headings in Chinese (click itself prints Usage/Options/Commands)."""

    def format_usage(self, ctx, formatter):
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="用法：")

    def format_options(self, ctx, formatter):
        rows = [r for r in (p.get_help_record(ctx) for p in self.get_params(ctx)) if r]
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
            rows = [(name, cmd.get_short_help_str(60)) for name, cmd in commands if cmd and not cmd.hidden]
            if rows:
                with formatter.section("命令"):
                    formatter.write_dl(rows)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "显示本帮助并退出"
        return option


class Command(ChineseHelp, click.Command):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(ChineseHelp, click.Group):
    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)
        self.debug = False  # set by the hidden --debug option: show the traceback of an internal error
        self.verbose = False  # set by a command's --verbose: key paths and rule codes in messages

    def main(self, *args, **kwargs):  # noqa: D401 - click signature
        self.verbose = False  # per run: the group object outlives one invocation (tests, library use)
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except SireportError as exc:
            click.echo(f"错误：{exc.text(self.verbose)}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("已取消。", err=True)
            sys.exit(130)
        except click.ClickException as exc:
            click.echo(f"错误：{_click_message(exc)}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("已中断，未写出不完整的报告。", err=True)
            sys.exit(130)
        except Exception as exc:  # the last line of defence: never show a traceback
            if self.debug:
                raise
            click.echo(f"内部错误：{type(exc).__name__}: {exc}。请加 --debug 重新运行并把输出报告给开发者。",
                       err=True)
            sys.exit(70)


def _click_message(exc: click.ClickException) -> str:
    message = exc.format_message()
    for english, chinese in (("No such option", "没有这个选项"), ("Missing argument", "缺少参数"),
                             ("does not exist", "不存在"), ("No such command", "没有这个命令"),
                             ("Got unexpected extra argument", "多余的参数"), ("Did you mean", "是否应为")):
        message = message.replace(english, chinese)
    return message


@click.group(cls=Group, context_settings=CONTEXT)
@click.option("--debug", is_flag=True, hidden=True)
def main(debug: bool) -> None:
    """sireport：生成社会保险基金支出绩效自评报告（Word）。

    \b
    常用命令：
      sireport render 数据.yaml        生成报告，默认写到 output/ 目录
      sireport batch 数据目录/          批量生成每个单位的报告和汇总表
      sireport rollup 各县/ -o 地区.yaml 把各县数据汇总为地区数据
      sireport check 数据.yaml         检查数据中的错误（不生成报告）
      sireport audit 报告.docx         审核 Word 报告中写明的数字
      sireport schema                  输出数据格式的 JSON Schema
      sireport template list           列出可用的报告模板
    """
    click.get_current_context().command.debug = debug
    logger = logging.getLogger("sireport")
    logger.handlers[:] = [_EchoHandler()]
    logger.propagate = False


class _EchoHandler(logging.Handler):
    """Library notices (e.g. a template repaired on the fly) go to stderr as "提示：…"."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"提示：{record.getMessage()}", err=True)


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.find_root().command.verbose = True
    return value


VERBOSE_OPTION = click.option(
    "-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbose,
    help="在每条问题后另列数据的键路径和规则代码（供技术人员排查）")


def _verbose() -> bool:
    return bool(getattr(click.get_current_context().find_root().command, "verbose", False))


THRESHOLDS_OPTION = click.option(
    "--thresholds", type=click.Path(dir_okay=False, path_type=Path), metavar="阈值文件",
    help="本单位的阈值文件（只含 thresholds:，见 docs/阈值配置.md），对所有数据文件生效；数据文件自己的 thresholds: 优先")


PDF_OPTION = click.option(
    "--pdf", is_flag=True,
    help="同时用 LibreOffice 转成 PDF（与 .docx 同名，嵌入字体；未安装 LibreOffice 时照常生成 .docx 并说明安装方法）")


@main.command(context_settings=CONTEXT)
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path), metavar="数据文件")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="路径",
              help="输出的 .docx 文件或目录（默认：output/<单位>-<年度>-社会保险基金支出绩效自评报告.docx）")
@click.option("-t", "--template", metavar="模板", help="模板名称或 .docx 路径（默认：default）")
@click.option("-f", "--force", is_flag=True, help="覆盖已被手工修改过的报告")
@click.option("--xlsx", is_flag=True, help="同时把绩效自评表写成 Excel（.xlsx，与报告同名）")
@click.option("--strict", is_flag=True, help="数据检查有警告时也不生成报告")
@THRESHOLDS_OPTION
@VERBOSE_OPTION
@PDF_OPTION
def render(data: Path, output: Path | None, template: str | None, force: bool, xlsx: bool, strict: bool,
           thresholds: Path | None, pdf: bool) -> None:
    """根据数据文件（YAML/JSON/Excel）生成绩效自评报告；根键为 project: 的文件生成项目支出绩效自评表。

    生成前先做数据检查（同 sireport check）：有错误时不生成，警告照常列出。
    """
    rendered = sireport.render(data, template=template, out=output, force=force, strict=strict, xlsx=xlsx,
                               thresholds=thresholds, pdf=pdf)
    for finding in rendered.findings:
        click.echo(finding.text(_verbose()), err=True)
    click.echo(f"已生成报告：{rendered.path}")
    if rendered.workbook is not None:
        click.echo(f"已生成 Excel：{rendered.workbook}")
    if rendered.pdf is not None:
        if not rendered.pdf.ok:
            raise PdfError(f"未生成 PDF：{rendered.pdf.error}")
        click.echo(f"已生成 PDF：{rendered.pdf.pdf}（嵌入字体：{'、'.join(rendered.pdf.fonts)}）")


@main.command(context_settings=CONTEXT)
@click.argument("data", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path),
                metavar="数据文件...")
@click.option("--strict", is_flag=True, help="有警告时也以退出码 1 结束")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="输出格式：text（默认）供阅读，json 供程序处理（格式见 docs/检查规则.md）")
@THRESHOLDS_OPTION
@click.option("-t", "--template", metavar="模板",
              help="同时列出该模板要用、数据中却为空的字段（模板名称或 .docx 路径）")
@VERBOSE_OPTION
def check(data: tuple[Path, ...], strict: bool, fmt: str, thresholds: Path | None, template: str | None) -> None:
    """检查数据文件中的错误（合计、结余、写明的比率、单位、复制粘贴、绩效自评表等）。

    退出码：0 无错误；1 仅有警告且使用了 --strict；2 有错误。规则说明见 docs/检查规则.md。
    """
    from sireport.checks import exit_code  # deferred: command modules load when their command runs
    from sireport.checks.present import as_json, as_text

    results = sireport.check(data, template=template, thresholds=thresholds)
    click.echo(as_json(results, strict) if fmt == "json" else as_text(results, _verbose()))
    sys.exit(exit_code([f for result in results for f in result.findings], strict))


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path),
                metavar="报告.docx... [数据文件]")
@click.option("--data", type=click.Path(dir_okay=False, path_type=Path), metavar="数据文件",
              help="与报告核对的数据文件（也可直接跟在报告之后）")
@click.option("--strict", is_flag=True, help="有警告时也以退出码 1 结束")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="输出格式：text（默认）供阅读，json 供程序处理（格式同 sireport check）")
@click.option("--annotate", type=click.Path(dir_okay=False, path_type=Path), metavar="批注.docx",
              help="另存一份报告副本，在每个有问题的数字处加 Word 批注（只审核一份报告时可用）")
@click.option("-f", "--force", is_flag=True, help="覆盖已存在的批注副本")
@VERBOSE_OPTION
def audit(files: tuple[Path, ...], data: Path | None, strict: bool, fmt: str, annotate: Path | None,
          force: bool) -> None:
    """审核 Word 报告（.docx，或 .pdf）正文和表格中写明的每个数字：增减额、增幅、执行率、结余、
    合计、前后是否一致、单位、复制粘贴；给出数据文件时再与数据核对。

    退出码：0 无错误；1 仅有警告且使用了 --strict；2 有错误。说明见 docs/审核.md。
    """
    from sireport.checks import FileFindings, exit_code  # deferred: command modules load when their command runs
    from sireport.checks.present import as_json, as_text

    reports = [path for path in files if path.suffix.lower() not in DATA_SUFFIXES]
    given = [path for path in files if path.suffix.lower() in DATA_SUFFIXES] + ([data] if data else [])
    if len(given) > 1:
        raise click.UsageError("只能给一个数据文件：" + "、".join(map(str, given)))
    if not reports:
        raise click.UsageError("请给出要审核的报告（.docx 或 .pdf）")
    results = sireport.audit_reports(reports, data=given[0] if given else None, annotate=annotate, force=force)
    shown = [FileFindings(result.path, result.findings) for result in results]
    click.echo(as_json(shown, strict) if fmt == "json" else as_text(shown, _verbose()))
    if annotate is not None:
        click.echo(f"已写出带批注的副本：{results[0].annotated}（{len(results[0].findings)} 条批注）", err=True)
    sys.exit(exit_code([f for result in results for f in result.findings], strict))


@main.command(context_settings=CONTEXT)
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), metavar="工作簿.xlsx",
              help="写出空白的 Excel 填报工作簿（含各基金的标准收支项目）")
@click.option("--funds", metavar="基金,基金,...",
              help="工作簿包含的基金，逗号或顿号分隔（默认：全部 8 项基金，按标准顺序）")
@click.option("--from", "last_year", type=click.Path(dir_okay=False, path_type=Path), metavar="上年数据文件",
              help="根据上年数据文件生成下一年度的数据文件（上年数、上年滚存结余自动填入）")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="路径",
              help="与 --from 同用：输出文件，按扩展名写 .yaml/.json/.xlsx（默认：文件名中的年度加一）")
@click.option("-f", "--force", is_flag=True, help="覆盖已存在的文件")
def init(xlsx: Path | None, funds: str | None, last_year: Path | None, output: Path | None, force: bool) -> None:
    """新建数据文件：空白 Excel 填报工作簿（--xlsx），或由上年数据生成下一年度文件（--from）。"""
    if (xlsx is None) == (last_year is None):
        raise click.UsageError("请指定 --xlsx 工作簿.xlsx（新建空白工作簿）或 --from 上年数据文件（生成下一年度文件）之一")
    if xlsx is not None:
        names = [n for n in funds.replace("，", ",").replace("、", ",").split(",") if n.strip()] if funds else None
        click.echo(f"已生成填报工作簿：{sireport.new_workbook(xlsx, funds=names, force=force)}")
    else:
        click.echo(f"已生成下一年度数据文件：{sireport.next_year(last_year, out=output, force=force)}")


@main.command(context_settings=CONTEXT)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path), metavar="输入文件")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path), metavar="输出文件")
@click.option("-f", "--force", is_flag=True, help="覆盖已存在的输出文件")
def convert(source: Path, target: Path, force: bool) -> None:
    """数据文件格式互转：YAML、JSON、Excel 工作簿（.xlsx）之间转换，内容不变。"""
    click.echo(f"已转换：{sireport.convert(source, target, force=force)}")


@main.command(context_settings=CONTEXT)
def schema() -> None:
    """输出数据文件格式的 JSON Schema（Draft 2020-12），供编辑器校验数据文件（见 docs/数据格式.md）。

    报告数据文件和根键为 project: 的项目支出绩效自评表都在同一个 Schema 中。
    """
    click.echo(json.dumps(sireport.schema(), ensure_ascii=False, indent=2))


@main.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="输入...")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              metavar="目录", help="报告和汇总表的输出目录（默认：output）")
@click.option("-j", "--jobs", type=int, metavar="N", help="并行进程数（默认：CPU 核数）")
@click.option("-t", "--template", metavar="模板", help="模板名称或 .docx 路径（默认：default）")
@click.option("-f", "--force", is_flag=True, help="覆盖已被手工修改过的报告")
@click.option("--strict", is_flag=True, help="数据检查有警告的单位也不生成报告（记为失败）")
@VERBOSE_OPTION
@THRESHOLDS_OPTION
@click.option("--timeout", type=float, default=TIME_LIMIT, show_default=True, metavar="秒",
              help="每个单位的时间限制：超时的单位停止处理并记为失败")
@PDF_OPTION
def batch(inputs: tuple[Path, ...], output: Path, jobs: int | None, template: str | None, force: bool,
          strict: bool, thresholds: Path | None, timeout: float, pdf: bool) -> None:
    """批量生成：为目录、数据文件和 Excel 工作簿中的每个单位各生成一份报告，并写出汇总表。

    \b
    输入可以是目录（其中所有 .yaml/.yml/.json/.xlsx 文件）或单个文件。
    某个单位出错不影响其他单位；结束时列出已生成、警告和失败（含原因），
    有失败时退出码非 0。汇总表写在输出目录的“汇总表.xlsx”，全部失败原因和警告写在“问题清单.xlsx”。
    加 --pdf 时由 -j 个常驻的 LibreOffice 同时转换 PDF，结束时列出 PDF 嵌入的字体。
    """
    from sireport.run.batch import describe, raise_if_failed  # deferred: command modules load when their command runs

    result = sireport.batch(inputs, out=output, jobs=jobs, template=template, force=force, strict=strict,
                            thresholds=thresholds, time_limit=timeout, pdf=pdf)
    click.echo(describe(result, _verbose()))
    raise_if_failed(result)


@main.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="输入...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              metavar="文件.yaml", help="汇总后的数据文件（YAML，必填）")
@click.option("--unit", metavar="名称", help="汇总单位名称，如“巴州”（默认：各县数据中共同的上级地区名）")
@click.option("-f", "--force", is_flag=True, help="覆盖已存在的数据文件")
@VERBOSE_OPTION
def rollup(inputs: tuple[Path, ...], output: Path | None, unit: str | None, force: bool) -> None:
    """汇总：把各县（市）的数据加总为地区的数据文件，可再用同一模板生成报告。

    \b
    按基金和项目名称逐项相加（人数相加）；增幅、执行率等比率由汇总后的数重新计算，
    从不取平均；文字部分留空，由地区填写。
    """
    rolled = sireport.rollup(inputs, out=output, unit=unit, force=force)
    click.echo(f"已汇总 {rolled.units} 个单位的数据：{rolled.path}")
    for finding in rolled.findings:
        click.echo(f"  {finding.text(_verbose())}", err=True)
    click.echo(f"下一步：补充文字部分后运行 sireport render {rolled.path}")


@main.command(context_settings=CONTEXT)
@click.option("-t", "--template", "templates", multiple=True, metavar="模板",
              help="只看这个模板（名称或 .docx 路径，可重复；默认：全部内置模板）")
def fonts(templates: tuple[str, ...]) -> None:
    """列出模板使用的字体：本机是否安装，生成 PDF 时由哪个字体替代（Linux 上按 fontconfig 查询）。"""
    from sireport.word.page_layout import WORD_NAMES  # deferred: command modules load when their command runs

    faces = sireport.fonts(templates=templates)
    click.echo("模板中的字体\t本机\t生成 PDF 时使用\t所在样式")
    for face in faces:
        installed = {True: "已安装", False: "未安装", None: "无法查询"}[face.installed]
        stand_in = face.stand_in or "（未安装 fontconfig，由 LibreOffice 自行替代）"
        styles = "、".join(dict.fromkeys(WORD_NAMES.get(style.lower(), style) for style in face.styles))
        click.echo(f"{face.name}\t{installed}\t{stand_in}\t{styles or '正文中直接指定'}")
    if any(face.installed is False for face in faces):
        click.echo("\n未安装的字体在 PDF 中由替代字体显示（Word 中打开 .docx 时仍用原字体名）；"
                   "替代规则见 sireport/pdf/fonts.conf 和 docs/PDF输出.md。")


@main.group(cls=Group, context_settings=CONTEXT)
def template() -> None:
    """列出、导出（供在 Word 中修改）和检查报告模板。"""


@template.command("list", context_settings=CONTEXT)
def template_list() -> None:
    """按查找顺序列出可用的模板（--template 名称、用户模板目录、templates/、内置模板）。"""
    for entry in sireport.list_templates():
        note = "（被前面的同名模板覆盖）" if entry.shadowed else ""
        click.echo(f"{entry.name}\t{entry.origin}\t{entry.path}{note}")


@template.command("export", context_settings=CONTEXT)
@click.argument("name", metavar="模板名称")
@click.argument("path", type=click.Path(path_type=Path), metavar="路径")
@click.option("-f", "--force", is_flag=True, help="覆盖已存在的文件")
def template_export(name: str, path: Path, force: bool) -> None:
    """复制一个模板（连同句式宏文件 phrases.j2）到 路径（目录或 .docx 文件），供在 Word 中修改。"""
    for copy in sireport.export_template(name, path, force=force):
        click.echo(f"已导出：{copy}")


@template.command("check", context_settings=CONTEXT)
@click.argument("path", type=click.Path(path_type=Path), metavar="模板或目录")
@click.option("-d", "--data", type=click.Path(dir_okay=False, path_type=Path), metavar="数据文件",
              help="再用此数据试生成一次（不写文件），报告运行时的问题")
@click.option("--fix", "fix", type=click.Path(dir_okay=False, path_type=Path), metavar="输出.docx",
              help="把可安全修复的问题修好，另存为此文件")
def template_check(path: Path, data: Path | None, fix: Path | None) -> None:
    """检查模板（或目录中的每个模板）及其句式宏文件 phrases.j2：语法、未配对的块、被 Word 拆开的标签、
    全角符号、未知变量、过滤器和宏，并指出段落、表格位置或 phrases.j2 的行号。"""
    templates = sorted(p for p in path.glob("*.docx") if not p.name.startswith("~$")) if path.is_dir() else [path]
    if not templates:
        raise TemplateError(f"{path}：目录中没有 .docx 模板")
    if fix is not None and len(templates) > 1:
        raise TemplateError("--fix 只能用于一个模板文件，请指定 .docx 文件")
    failed = 0
    for template in templates:
        try:
            _check_one_template(template, data, fix)
        except TemplateError as exc:
            if len(templates) == 1:
                raise
            click.echo(f"错误：{exc.text(_verbose())}", err=True)
            failed += 1
    if failed:
        raise TemplateError(f"{path}：{len(templates)} 个模板中有 {failed} 个有错误（见上）")


def _check_one_template(path: Path, data: Path | None, fix: Path | None) -> None:
    result = sireport.check_template(path, data=data, fix=fix)
    for repair in result.repairs:
        click.echo(f"可自动修复：{repair}")
    for warning in result.warnings:
        click.echo(f"警告：{warning}")
    if fix is not None:
        click.echo(f"已另存修复后的模板：{fix}")
    result.raise_if_errors()
    click.echo(f"{path}：模板检查通过（句式宏文件：{result.phrases}）" +
               (f"，{len(result.repairs)} 处可自动修复，生成报告时会自动修复" if result.repairs else ""))


if __name__ == "__main__":
    main()
