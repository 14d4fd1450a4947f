"""hepkit installed from its wheel, outside the checkout, has its library, routines and schemas.

The wheel is built from a copy of the sources (so the checkout gets no ``build/``), installed
into a fresh virtual environment in a temporary folder, and run from there. The new
environment gets the dependencies without a network: a ``.pth`` file names the site-packages
of the environment running the tests. A plain folder line in a ``.pth`` file does not run the
``.pth`` files of that folder, so the editable install of the checkout stays inactive and
``toolkit`` is the wheel's copy (the test checks).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from locations import REPO

from toolkit._version import __version__

pytestmark = pytest.mark.slow


def run(*command: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build_wheel(source: Path, out: Path, env: dict[str, str]) -> Path:
    """The wheel of ``source``: built with this environment's setuptools when it can make
    wheels, else in pip's isolated build environment (from the configured package index)."""
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out)]
    done = subprocess.run(
        [*pip, "--no-build-isolation", str(source)], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        done = subprocess.run([*pip, str(source)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"the wheel could not be built:\n{done.stderr}"
    (wheel,) = out.glob("hepkit-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A fresh virtual environment outside the checkout with hepkit installed from its wheel."""
    root = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "HEPKIT_DATA")}
    env["HEPKIT_WORKSPACE"] = str(root / "workspace")
    source = root / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(
        REPO / "toolkit", source / "toolkit", ignore=shutil.ignore_patterns("__pycache__")
    )
    wheel = build_wheel(source, root / "dist", env)

    venv = root / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root, env=env)
    python = venv / "bin" / "python"
    purelib = run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root, env=env
    ).strip()
    Path(purelib, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "--quiet",
        wheel,
        cwd=root,
        env=env,
    )
    work = root / "elsewhere"
    work.mkdir()
    return {
        "venv": venv,
        "python": python,
        "hepkit": venv / "bin" / "hepkit",
        "cwd": work,
        "env": env,
    }


def test_toolkit_is_the_wheels_copy_with_its_data(installed):
    code = (
        "import toolkit, toolkit.paths as p; print(toolkit.__file__); "
        "print(p.routines_dir() / 'gentle-back-stretches.yaml'); "
        "print(len(list(p.exercises_dir().glob('*.yaml')))); "
        "print(len(list(p.schema_dir().glob('*.json'))))"
    )
    lines = run(installed["python"], "-c", code, cwd=installed["cwd"], env=installed["env"])
    module, routine, exercises, schemas = lines.splitlines()
    assert Path(module).is_relative_to(installed["venv"])
    assert Path(routine).is_relative_to(installed["venv"]) and Path(routine).is_file()
    assert int(exercises) >= 20 and int(schemas) >= 1


def test_hepkit_version(installed):
    out = run(installed["hepkit"], "--version", cwd=installed["cwd"], env=installed["env"])
    assert out.strip() == f"hepkit {__version__}"


def test_hepkit_validates_the_installed_routine(installed):
    code = "import toolkit.paths as p; print(p.routines_dir() / 'gentle-back-stretches.yaml')"
    routine = run(installed["python"], "-c", code, cwd=installed["cwd"], env=installed["env"])
    out = run(
        installed["hepkit"], "validate", routine.strip(), cwd=installed["cwd"], env=installed["env"]
    )
    assert "routine 'gentle-back-stretches'" in out


def test_hepkit_exports_a_builtin_routine_by_id_to_pdf(installed):
    run(
        installed["hepkit"],
        "export",
        "gentle-back-stretches",
        "--format",
        "pdf",
        "--output",
        "handout.pdf",
        cwd=installed["cwd"],
        env=installed["env"],
    )
    pdf = installed["cwd"] / "handout.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_the_wheel_hands_out_in_spanish(installed):
    """The catalogues and the exercises' Spanish files are in the wheel."""
    run(
        installed["hepkit"],
        "export",
        "gentle-back-stretches",
        "--format",
        "html",
        "--language",
        "es",
        "--output",
        "handout.es.html",
        cwd=installed["cwd"],
        env=installed["env"],
    )
    text = (installed["cwd"] / "handout.es.html").read_text(encoding="utf-8")
    assert "Lea esto primero" in text and "Respirar con la barriga" in text
