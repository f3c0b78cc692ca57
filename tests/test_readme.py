"""The README's two commands work as written on a fresh copy of the project."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # starts subprocesses

IGNORE = shutil.ignore_patterns(".git", "output", "build", "dist", "*.egg-info", "__pycache__",
                                ".pytest_cache", "test-artifacts", ".venv")


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block, "README.md must open with a ```bash block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("```bash") < 200, "the commands must come first"
    commands = readme_commands()
    assert len(commands) == 2
    assert "data_examples/" in commands[0] and "sireport render" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and "sed -n 2p" in ci


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A copy of the project and a new virtual environment (reusing installed wheels)."""
    base = tmp_path_factory.mktemp("fresh")
    project = base / "sireport"
    shutil.copytree(ROOT, project, ignore=IGNORE)
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    environment = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}",
                       VIRTUAL_ENV=str(env_dir), PIP_DISABLE_PIP_VERSION_CHECK="1")
    environment.pop("PYTHONPATH", None)
    return project, environment


def run(command: str, cwd: Path, environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=environment, capture_output=True,
                          text=True, timeout=600)


def test_first_command_installs_and_renders_the_example(fresh, tmp_path):
    project, environment = fresh
    result = run(readme_commands()[0], project, environment)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = project / "output" / "哈密市-2019-社会保险基金支出绩效自评报告.docx"
    assert report.is_file()
    # the installed (non-editable) package finds its built-in templates from any folder
    elsewhere = run(f"sireport render {project / 'data_examples' / 'hejing-2019.yaml'} -o r.docx", tmp_path, environment)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert (tmp_path / "r.docx").is_file()


def test_second_command_installs_and_runs_tests(fresh):
    project, environment = fresh
    # run the command exactly as written, on one quick test, so the suite does not recurse
    environment = dict(environment, PYTEST_ADDOPTS="-k test_round_half_up -p no:cacheprovider")
    result = run(readme_commands()[1], project, environment)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)
