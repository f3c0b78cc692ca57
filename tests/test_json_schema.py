"""``sireport schema`` describes exactly the files sireport reads (issue 18).

Every shipped example and every file the tool writes (convert, init --from, rollup) is
valid under the printed schema; a file with a value of the wrong type is rejected by
both the schema and the loader, and both name the same field.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import EXAMPLES
from sireport.data.evaluation_model import ProjectFile
from sireport.data.kind import is_project_tree
from sireport.data.load import read_tree
from sireport.data.locate import Source, key_path
from sireport.data.model import Report
from sireport.data.schema import SCHEMA_FILE
from sireport.data.validate import validate
from sireport.errors import DataError

ALL_EXAMPLES = sorted(EXAMPLES.glob("*.yaml")) + sorted((EXAMPLES / "published").glob("*.yaml"))
REPORTS = [path for path in ALL_EXAMPLES if "project" not in path.name]


@pytest.fixture(scope="module")
def printed_schema() -> dict:
    from click.testing import CliRunner

    from sireport.cli import main

    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def validator(printed_schema):
    jsonschema.Draft202012Validator.check_schema(printed_schema)
    return jsonschema.Draft202012Validator(printed_schema)


def as_editor_sees(tree: Any) -> Any:
    """The data as a JSON Schema tool sees it: numbers as numbers, dates as text (YAML 1.2)."""
    if isinstance(tree, dict):
        return {key: as_editor_sees(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [as_editor_sees(value) for value in tree]
    if isinstance(tree, Decimal):
        return int(tree) if tree == tree.to_integral_value() and tree.as_tuple().exponent >= 0 else float(tree)
    if isinstance(tree, dt.date):
        return tree.isoformat()
    return tree


def errors_of(validator, path: Path) -> list[str]:
    raw, _ = read_tree(path)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(as_editor_sees(raw))]


def test_the_shipped_schema_file_is_what_sireport_schema_prints(printed_schema):
    shipped = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert shipped == printed_schema, "stale: sireport schema > sireport/data/sireport.schema.json"


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_is_valid_under_the_printed_schema(validator, path):
    assert errors_of(validator, path) == []


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_file_convert_writes_is_valid(validator, cli, tmp_path, path):
    for suffix in (".yaml", ".json"):
        target = tmp_path / f"out{suffix}"
        assert cli("convert", path, target).exit_code == 0
        assert errors_of(validator, target) == []
    assert cli("convert", path, tmp_path / "out.xlsx").exit_code == 0
    assert cli("convert", tmp_path / "out.xlsx", tmp_path / "back.yaml").exit_code == 0
    assert errors_of(validator, tmp_path / "back.yaml") == []


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_file_init_from_writes_is_valid(validator, cli, tmp_path, path):
    target = tmp_path / "next.yaml"
    assert cli("init", "--from", path, "-o", target).exit_code == 0
    assert errors_of(validator, target) == []


def test_the_file_rollup_writes_is_valid(validator, cli, tmp_path):
    target = tmp_path / "region.yaml"
    result = cli("rollup", EXAMPLES / "hami-2019.yaml", EXAMPLES / "hejing-2019.yaml", "-o", target, "--unit", "某地区")
    assert result.exit_code == 0, result.stderr
    assert errors_of(validator, target) == []


@pytest.mark.parametrize("command", [("convert", EXAMPLES / "hami-2019.yaml"), ("init", "--from", EXAMPLES / "hami-2019.yaml", "-o")])
def test_written_yaml_points_editors_at_the_schema(cli, tmp_path, command):
    target = tmp_path / "written.yaml"
    assert cli(*command, target).exit_code == 0
    first = target.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILE.as_uri()}"
    assert SCHEMA_FILE.is_file()


# ---------------------------------------------------------------- wrong types, both ways

WRONG = ["十万", [1], {"x": 1}, True, Decimal("1.5"), 7, None]


def places(tree: Any, loc: tuple = ()) -> Iterator[tuple]:
    """Every key path in the tree (mappings' values and list entries)."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield (*loc, key)
            yield from places(value, (*loc, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield (*loc, index)
            yield from places(value, (*loc, index))


def replaced(tree: Any, loc: tuple, value: Any) -> Any:
    out = copy.deepcopy(tree)
    node = out
    for key in loc[:-1]:
        node = node[key]
    node[loc[-1]] = value
    return out


def schema_paths(errors) -> set[tuple]:
    """The paths of every error, including those inside a oneOf/anyOf."""
    found: set[tuple] = set()
    for error in errors:
        found.add(tuple(error.absolute_path))
        found |= schema_paths(error.context or [])
    return found


def loader_problems(raw: Any) -> list[str] | None:
    root = ProjectFile if is_project_tree(raw) else Report
    try:
        validate(raw, Source("f.yaml"), root)
    except DataError as exc:
        return [problem.where for problem in exc.problems]
    return None


def mutations(count: int) -> Iterator[tuple[str, dict, tuple, Any]]:
    rng = random.Random(18)
    trees = [(path.name, read_tree(path)[0]) for path in ALL_EXAMPLES]
    for _ in range(count):
        name, tree = rng.choice(trees)
        loc = rng.choice(list(places(tree)))
        yield name, tree, loc, rng.choice(WRONG)


@pytest.mark.parametrize("name,tree,loc,value", list(mutations(400)),
                         ids=lambda v: v if isinstance(v, str) else None)
def test_schema_and_loader_agree_on_a_changed_value(validator, name, tree, loc, value):
    raw = replaced(tree, loc, value)
    schema_errors = list(validator.iter_errors(as_editor_sees(raw)))
    problems = loader_problems(raw)
    assert bool(schema_errors) == (problems is not None), (loc, value, [e.message for e in schema_errors], problems)
    if problems is None:
        return
    # both name the changed field, a place inside the new value, or (a field not allowed there) its parent
    assert any(named(path, loc) for path in schema_paths(schema_errors)), (loc, value)
    where, parent = key_path(raw, loc), key_path(raw, loc[:-1])
    assert any(where in problem or problem.endswith(f"（{parent}）") for problem in problems), (where, problems)


def named(path: tuple, loc: tuple) -> bool:
    return path[:len(loc)] == loc or path == loc[:-1]
