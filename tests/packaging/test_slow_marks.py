"""The slow list in tests/conftest.py names tests that exist (a renamed test would silently
join the fast loop), and the collection hook really marks them."""

from __future__ import annotations

import ast
from types import SimpleNamespace

import pytest

from tests.conftest import ALL, ROOT, SLOW_TESTS, pytest_collection_modifyitems


def test_every_test_on_the_slow_list_exists():
    for module, names in SLOW_TESTS.items():
        path = ROOT / module
        assert path.exists(), f"{module} is on the slow list but does not exist"
        if names == ALL:
            continue
        defined = {node.name for node in ast.walk(ast.parse(path.read_text()))
                   if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
        assert not set(names) - defined, f"{module}: no such tests {set(names) - defined}"


def _item(module: str, name: str, param: str = "", **params: str) -> SimpleNamespace:
    marks: list[pytest.MarkDecorator] = []
    return SimpleNamespace(path=ROOT / module, originalname=name, name=name + param,
                           marks=marks, add_marker=marks.append, fixturenames=list(params),
                           callspec=SimpleNamespace(params=params),
                           get_closest_marker=lambda name: None)


def test_the_hook_marks_listed_tests_and_whole_modules_only():
    listed = _item("tests/gui/test_input_guards.py", "test_void_without_a_reason_voids_nothing")
    kept = _item("tests/gui/test_input_guards.py", "test_a_pin_typed_fast_stays_a_pin")
    whole = _item("tests/hub/test_schemathesis.py", "test_no_server_errors", "[sqlite-GET]")
    other = _item("tests/unit/test_seed_cases.py", "test_void_without_a_reason_voids_nothing")
    pg = _item("tests/hub/test_flags.py", "test_x", "[postgresql]", hub_backend="postgresql")
    lite = _item("tests/hub/test_flags.py", "test_x", "[sqlite]", hub_backend="sqlite")
    items = [listed, kept, whole, other, pg, lite]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [[m.name for m in item.marks] for item in items] == [
        ["slow"], [], ["slow"], [], ["slow"], []]


def test_the_minute_long_reliability_runs_get_a_longer_timeout():
    crash = _item("tests/reliability/test_crash_kill9.py", "test_anything")
    pytest_collection_modifyitems([crash])  # type: ignore[list-item]
    assert [(m.name, m.args) for m in crash.marks] == [("timeout", (1200,))]
