"""The limits of DOMAIN.md §9 are defined once, in servicedesk/limits.py (issue #17): no app
writes 2,000 characters or 10,000,000 yuan as a number of its own."""

import ast
from decimal import Decimal
from pathlib import Path

from servicedesk.limits import AMOUNT_MAX, TEXT_MAX

ROOT = Path(__file__).resolve().parents[2]
LIMIT_NAMES = {"TEXT_MAX", "AMOUNT_MAX", "MAX_AMOUNT"}
APPS = tuple(sorted(path.parent.name for path in ROOT.glob("*/apps.py")))


def literals():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path.name == "limits.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.keyword)
                    and node.arg == "max_length"
                    and isinstance(node.value, ast.Constant)
                    and node.value.value == 2000
                ):
                    yield f"{path.relative_to(ROOT)}:{node.value.lineno} max_length=2000"
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    try:
                        if Decimal(node.value) == Decimal("10000000"):
                            yield f"{path.relative_to(ROOT)}:{node.lineno} Decimal({node.value!r})"
                    except ArithmeticError:
                        pass
                if (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id in LIMIT_NAMES for t in node.targets)
                    and isinstance(node.value, ast.Constant | ast.Call)
                ):
                    yield f"{path.relative_to(ROOT)}:{node.lineno} a limit of its own"


def test_the_values_are_those_of_domain_md():
    assert TEXT_MAX == 2000
    assert Decimal("10000000.00") == AMOUNT_MAX


def test_no_app_defines_them_again():
    assert list(literals()) == []
