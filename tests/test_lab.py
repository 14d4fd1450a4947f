"""JupyterLab as ``make lab`` starts it: notebook 02 runs, no request leaves 127.0.0.1, no news
pop-up, and the editor's widgets fit Lab's notebook column in an 800 px wide window.

Lab runs with the Makefile's ``LAB_OPTIONS`` (read from the Makefile, so the two cannot drift)
and the settings of ``app/lab/settings/overrides.json``, put in a temporary settings folder
(``--LabApp.app_settings_dir``) rather than in the shared environment. The notebook runs from a
temporary copy, so Lab's autosave never writes into ``notebooks/``, with a temporary workspace.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_setup import LOCAL_HOST, Requests, record_requests
from locations import NOTEBOOKS, REPO
from playwright.sync_api import Page, expect

NOTEBOOK = "02_customise_routine.ipynb"
OVERRIDES = REPO / "app" / "lab" / "settings" / "overrides.json"
#: Longest wait for Lab to listen. [s]
STARTUP_S = 90
#: Longest wait for the page, or for the notebook to run. [ms]
WAIT_MS = 120_000
#: The narrow window the widgets must fit. [CSS px]
NARROW = (800, 900)


def makefile_lab_options(makefile: Path = REPO / "Makefile") -> list[str]:
    """The options of ``LAB_OPTIONS`` in the Makefile (continuation lines joined)."""
    text = makefile.read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.search(r"^LAB_OPTIONS\s*:=(.*)$", text, re.MULTILINE)
    assert found, f"no LAB_OPTIONS in {makefile}"
    return shlex.split(found[1])


def test_the_makefile_options_keep_lab_local() -> None:
    assert makefile_lab_options() == [
        "--ServerApp.ip=127.0.0.1",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # the default one searches PyPI
    ]


@dataclass
class Lab:
    url: str
    token: str
    log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL_HOST, 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def lab(chromium_executable: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    folder = tmp_path_factory.mktemp("lab")
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS / NOTEBOOK, notebooks / NOTEBOOK)
    settings = folder / "app-settings"
    settings.mkdir()
    shutil.copy(OVERRIDES, settings / "overrides.json")
    token = secrets.token_hex(16)
    port = _free_port()
    env = dict(
        os.environ,
        HEPKIT_WORKSPACE=str(folder / "workspace"),
        JUPYTERLAB_SETTINGS_DIR=str(folder / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(folder / "lab-workspaces"),
        JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
        JUPYTER_CONFIG_DIR=str(folder / "config"),
    )
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--notebook-dir={notebooks}",
        *makefile_lab_options(),
        f"--LabApp.app_settings_dir={settings}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--no-browser",
        *(["--allow-root"] if os.geteuid() == 0 else []),  # a container's CI runs as root
    ]
    log = folder / "lab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            try:
                socket.create_connection((LOCAL_HOST, port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, f"Lab did not listen within {STARTUP_S} s"
                time.sleep(0.3)
        yield Lab(f"http://{LOCAL_HOST}:{port}", token, log)
    finally:
        process.send_signal(signal.SIGTERM)  # Lab shuts its kernels down
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


#: What is wrong with the editor's layout inside Lab's notebook column: a button or label whose
#: text is cut, or a widget reaching past the right edge of the notebook's panel (where Lab
#: cuts it off).
LAB_LAYOUT_PROBLEMS = """() => {
    const out = [];
    const shown = e => e.offsetParent !== null;
    const name = e => (e.className || e.tagName) + ' "' + (e.textContent || '').trim().slice(0, 30) + '"';
    const editor = document.querySelector('.hepkit-editor');
    if (!editor) return ['no editor'];
    const right = editor.closest('.jp-NotebookPanel').getBoundingClientRect().right;
    for (const e of editor.querySelectorAll('.widget-button, .widget-label')) {
        if (shown(e) && e.scrollWidth > e.clientWidth + 1) out.push('cut: ' + name(e));
    }
    for (const e of editor.querySelectorAll('.widget-button, .widget-dropdown, select, input, textarea, .widget-label')) {
        if (!shown(e) || e.closest('.hepkit-preview')) continue;
        const box = e.getBoundingClientRect();
        if (box.right > right + 1) out.push('past the notebook: ' + name(e) + ' right=' + box.right + ' > ' + right);
    }
    return out;
}"""

#: True once no code cell is waiting or running (its prompt shows a number, not ``*``).
NO_CELL_RUNNING = """() => {
    const prompts = Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'));
    return prompts.length > 0 && prompts.every(p => !p.textContent.includes('*'));
}"""


def _kernel_idle(page: Page) -> None:
    """Wait until the notebook's kernel is idle, choosing the notebook's own kernel (Python 3)
    when Lab asks which to start."""
    status = page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle$"))
    ask = page.locator(".jp-Dialog", has_text="Select Kernel")
    deadline = time.monotonic() + WAIT_MS / 1000
    while status.count() == 0:
        assert time.monotonic() < deadline, "the notebook's kernel did not become idle"
        if ask.count():
            expect(ask.locator(".jp-Dialog-body select")).to_have_value(re.compile("python3"))
            ask.locator("button.jp-mod-accept").click()
        page.wait_for_timeout(300)


def _run_all(page: Page) -> None:
    """Lab's Run > Run All Cells, through the menu bar as a person would."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


@pytest.mark.browser
@pytest.mark.slow
def test_notebook_02_runs_in_lab_asking_only_this_machine(page: Page, lab: Lab) -> None:
    requests = Requests()
    record_requests(page.context, page, requests)
    page.set_viewport_size({"width": NARROW[0], "height": NARROW[1]})
    page.goto(f"{lab.url}/lab/tree/{NOTEBOOK}?token={lab.token}")
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=WAIT_MS)
    _kernel_idle(page)
    _run_all(page)
    # the committed outputs show the editor only as text: a live editor means the cells ran
    editor = page.locator(".jp-Notebook .hepkit-editor")
    expect(editor).to_be_visible(timeout=WAIT_MS)
    expect(editor.locator(".hepkit-preview .handout h1")).to_have_text(
        "Gentle back stretches for home", timeout=WAIT_MS
    )
    page.wait_for_function(NO_CELL_RUNNING, timeout=WAIT_MS)
    _kernel_idle(page)
    assert page.locator(".jp-Notebook .jp-OutputArea-output", has_text="Traceback").count() == 0
    page.wait_for_timeout(2000)  # time for a news question or an update check to show up

    assert page.get_by_text(re.compile("Jupyter news", re.IGNORECASE)).count() == 0
    assert page.locator(".jp-Notification-Toast").count() == 0
    requests.assert_local()

    editor.evaluate("e => e.scrollIntoView({block: 'start'})")  # its top: open, compare
    shots = os.environ.get("HEPKIT_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"lab-{NARROW[0]}.png"))
    assert page.evaluate(LAB_LAYOUT_PROBLEMS) == []
