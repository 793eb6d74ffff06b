"""The layering of DESIGN.md is checked by import-linter's contracts in pyproject.toml (also run
by `make lint`): the base package imports no app, apps sit in layers with no cycle between them
(no import excused: the debts of issue #17 are paid), and inside each app
views -> forms -> services -> models."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def run(config):
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_contracts_are_kept():
    result = run(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def contracts():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_no_import_is_excused():
    """Issue #17: no upward import is listed as a known debt; a higher app plugs into a lower one
    through a registry the lower one defines (docs/architecture.md), never an excused import."""
    excused = {
        contract["id"]: contract["ignore_imports"]
        for contract in contracts()["contracts"]
        if contract.get("ignore_imports")
    }
    assert excused == {}


def test_the_contracts_see_a_broken_arrow(tmp_path):
    """With follow-ups put below complaints the app layering fails: the check sees real imports
    (follow-ups reads complaints to schedule their callbacks, and fills complaints.callbacks)."""
    config = contracts()
    lines = ["[importlinter]", "root_packages =", *(f"    {p}" for p in config["root_packages"])]
    for contract in config["contracts"]:
        lines += ["", f"[importlinter:contract:{contract['id']}]", f"name = {contract['name']}"]
        lines += [f"type = {contract['type']}"]
        for key in ("source_modules", "forbidden_modules", "layers", "containers"):
            if key not in contract:
                continue
            values = list(contract[key])
            if contract["id"] == "apps" and key == "layers":
                up, down = values.index("followups"), values.index("complaints")
                values[up], values[down] = values[down], values[up]
            lines += [f"{key} =", *(f"    {value}" for value in values)]
    ini = tmp_path / "contracts.ini"
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(ini)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "followups.apps -> complaints.callbacks" in result.stdout
    assert "The base package servicedesk imports no app KEPT" in result.stdout
