"""Command line: a thin layer over the library. Every message is Chinese; every user
error is a SireportError turned into one message and a non-zero exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import SireportError

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

    def main(self, *args, **kwargs):  # noqa: D401 - click signature
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except SireportError as exc:
            click.echo(f"错误：{exc}", err=True)
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
            if "--debug" in sys.argv:
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
      sireport schema                  输出数据格式的 JSON Schema
    """


@main.command(context_settings=CONTEXT)
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path), metavar="数据文件")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="路径",
              help="输出的 .docx 文件或目录（默认：output/<单位>-<年度>-社会保险基金支出绩效自评报告.docx）")
@click.option("-t", "--template", metavar="模板", help="模板名称或 .docx 路径（默认：default）")
@click.option("-f", "--force", is_flag=True, help="覆盖已被手工修改过的报告")
@click.option("--xlsx", is_flag=True, help="同时把绩效自评表写成 Excel（.xlsx，与报告同名）")
def render(data: Path, output: Path | None, template: str | None, force: bool, xlsx: bool) -> None:
    """根据数据文件（YAML/JSON/Excel）生成绩效自评报告；根键为 project: 的文件生成项目支出绩效自评表。"""
    from .render import render_file

    warnings: list = []
    path = render_file(data, output, template, force, xlsx=xlsx, warnings=warnings)
    for warning in warnings:
        click.echo(f"提示：{warning}", err=True)
    click.echo(f"已生成报告：{path}")
    if xlsx:
        click.echo(f"已生成 Excel：{path.with_suffix('.xlsx')}")


@main.command(context_settings=CONTEXT)
def schema() -> None:
    """输出数据文件格式的 JSON Schema（可供编辑器校验数据文件）。"""
    from .model import Report

    click.echo(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2, default=str))


@main.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="输入...")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              metavar="目录", help="报告和汇总表的输出目录（默认：output）")
@click.option("-j", "--jobs", type=int, metavar="N", help="并行进程数（默认：CPU 核数）")
@click.option("-t", "--template", metavar="模板", help="模板名称或 .docx 路径（默认：default）")
@click.option("-f", "--force", is_flag=True, help="覆盖已被手工修改过的报告")
def batch(inputs: tuple[Path, ...], output: Path, jobs: int | None, template: str | None, force: bool) -> None:
    """批量生成：为目录、数据文件和 Excel 工作簿中的每个单位各生成一份报告，并写出汇总表。

    \b
    输入可以是目录（其中所有 .yaml/.yml/.json/.xlsx 文件）或单个文件。
    某个单位出错不影响其他单位；结束时列出已生成、警告和失败（含原因），
    有失败时退出码非 0。汇总表写在输出目录的“汇总表.xlsx”。
    """
    from .batch import describe, raise_if_failed, run_batch

    result = run_batch(inputs, output, jobs, template, force)
    click.echo(describe(result))
    raise_if_failed(result)


@main.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="输入...")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              metavar="文件.yaml", help="汇总后的数据文件（YAML，必填）")
@click.option("--unit", metavar="名称", help="汇总单位名称，如“巴州”（默认：各县数据中共同的上级地区名）")
@click.option("-f", "--force", is_flag=True, help="覆盖已存在的数据文件")
def rollup(inputs: tuple[Path, ...], output: Path | None, unit: str | None, force: bool) -> None:
    """汇总：把各县（市）的数据加总为地区的数据文件，可再用同一模板生成报告。

    \b
    按基金和项目名称逐项相加（人数相加）；增幅、执行率等比率由汇总后的数重新计算，
    从不取平均；文字部分留空，由地区填写。
    """
    from .rollup import rollup_files

    path, count = rollup_files(inputs, output, unit, force)
    click.echo(f"已汇总 {count} 个单位的数据：{path}")
    click.echo(f"下一步：补充文字部分后运行 sireport render {path}")


if __name__ == "__main__":
    main()
