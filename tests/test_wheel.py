"""The wheel built from the repository installs in a fresh virtual environment and `evx run` works."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    """Build the wheel, install it alone in a new venv, run `evx run rules/ seeds/` from it."""
    dist = tmp_path / "dist"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if build.returncode != 0 and "hatchling" in build.stderr:
        # no hatchling in this environment: let pip fetch the build backend itself
        build = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(ROOT)],
            capture_output=True,
            text=True,
            check=False,
        )
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("evx-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr

    # run from a directory that is not the repository, so nothing is imported from source
    work = tmp_path / "work"
    shutil.copytree(ROOT / "rules", work / "rules")
    shutil.copytree(ROOT / "seeds", work / "seeds", ignore=shutil.ignore_patterns("gold"))
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(bin_dir / "evx"), "run", "rules/", "seeds/"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        env=clean_env,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["type"] for r in records} == {"CeasefirePhase", "HostageRelease", "AnonymousSource"}

    where = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import evx, pathlib; print(pathlib.Path(evx.__file__).parent)",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
        env=clean_env,
    ).stdout.strip()
    installed = Path(where)
    assert env_dir.resolve() in installed.resolve().parents
    assert (installed / "grammar" / "evx.lark").is_file()
    assert (installed / "py.typed").is_file()
