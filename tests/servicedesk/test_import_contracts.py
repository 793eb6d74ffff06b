"""The layering of DESIGN.md is checked by import-linter's contracts in pyproject.toml (also run
by `make lint`): the base package imports no app, apps sit in layers with no cycle between them
(known debts listed import by import), and inside each app views -> forms -> services -> models."""

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


def test_the_contracts_see_a_broken_arrow(tmp_path):
    """Without its list of known debts the app layering fails: the check sees real imports."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    lines = ["[importlinter]", "root_packages =", *(f"    {p}" for p in config["root_packages"])]
    for contract in config["contracts"]:
        lines += ["", f"[importlinter:contract:{contract['id']}]", f"name = {contract['name']}"]
        lines += [f"type = {contract['type']}"]
        for key in ("source_modules", "forbidden_modules", "layers", "containers"):
            if key in contract:
                lines += [f"{key} =", *(f"    {value}" for value in contract[key])]
    ini = tmp_path / "contracts.ini"
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(ini)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "complaints.prefill -> followups.models" in result.stdout
    assert "The base package servicedesk imports no app KEPT" in result.stdout
