"""The app answers only its own host, and the kernels of closed pages are shut down
(20 page loads and closes in Chromium leave at most 2 kernels).

These start the real server (``python -m toolkit.editor.serve``, as ``make app`` does) on a free
loopback port and speak HTTP to it directly; no browser is needed to send a forged Host header.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import psutil
import pytest
from locations import REPO
from playwright.sync_api import Browser, expect

from toolkit.editor.serve import CULL_IDLE_S, LOCAL_HOSTNAMES, voila_arguments

pytestmark = pytest.mark.slow

LOCAL = "127.0.0.1"
CULL_FOR_TEST_S = 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOCAL, 0))
        return int(probe.getsockname()[1])


def _status(port: int, path: str, host: str, headers: dict[str, str] | None = None) -> int:
    connection = http.client.HTTPConnection(LOCAL, port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": host, **(headers or {})})
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, subprocess.Popen]]:
    folder = tmp_path_factory.mktemp("app-server")
    port = _free_port()
    env = dict(os.environ, HEPKIT_WORKSPACE=str(folder), JUPYTER_PATH=str(REPO / "app" / "jupyter"))
    command = [
        sys.executable,
        "-m",
        "toolkit.editor.serve",
        f"--port={port}",
        "--template=hepkit",
        f"--MappingKernelManager.cull_idle_timeout={CULL_FOR_TEST_S}",
        "--MappingKernelManager.cull_interval=1",
        str(REPO / "app" / "editor.ipynb"),
    ]
    log = (folder / "voila.log").open("wb")
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection((LOCAL, port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, (folder / "voila.log").read_text()
                assert time.monotonic() < deadline, "the app did not start within 60 s"
                time.sleep(0.3)
        yield port, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _kernels(process: subprocess.Popen) -> int:
    """Kernel processes of the app still alive (a shut-down kernel may linger as a zombie)."""
    alive = 0
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                alive += 1
        except psutil.NoSuchProcess:
            continue
    return alive


def test_defaults_are_local_and_cull_idle_kernels() -> None:
    assert LOCAL_HOSTNAMES == ("localhost",)
    assert CULL_IDLE_S == 60
    args = voila_arguments(["--port=9999"])
    assert args[:2] == ["--no-browser", "--Voila.ip=127.0.0.1"]
    assert "--MappingKernelManager.cull_connected=False" in args
    assert args[-1] == "--port=9999"
    overridden = voila_arguments(["--MappingKernelManager.cull_idle_timeout=5"])
    assert [a for a in overridden if "cull_idle_timeout" in a] == [
        "--MappingKernelManager.cull_idle_timeout=5"
    ]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "192.168.1.20:{port}"])
def test_a_foreign_host_is_refused(server: tuple[int, subprocess.Popen], host: str) -> None:
    port, _ = server
    assert _status(port, "/", host.format(port=port)) == 403


def test_a_foreign_host_cannot_open_a_kernel_socket(server: tuple[int, subprocess.Popen]) -> None:
    port, _ = server
    upgrade = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    channels = "/api/kernels/00000000-0000-0000-0000-000000000000/channels"
    assert _status(port, channels, f"rebound.example:{port}", upgrade) == 403
    # the same request addressed to this machine gets past the Host check (no such kernel)
    assert _status(port, channels, f"{LOCAL}:{port}", upgrade) == 404


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}"])
def test_this_machine_is_served(server: tuple[int, subprocess.Popen], host: str) -> None:
    port, _ = server
    assert _status(port, "/", host.format(port=port)) == 200


#: Page loads and closes in the kernel test, and the kernels they may leave running.
LOADS = 20
KERNELS_LEFT = 2


@pytest.mark.browser
def test_kernels_of_closed_pages_are_shut_down(
    server: tuple[int, subprocess.Popen], browser: Browser
) -> None:
    """20 loads and closes of the app, one after another, leave at most 2 kernels running."""
    port, process = server
    context = browser.new_context()
    running = []
    try:
        for _ in range(LOADS):
            page = context.new_page()
            page.goto(f"http://{LOCAL}:{port}/")
            expect(page.locator(".hepkit-editor")).to_be_visible(timeout=60_000)
            running.append(_kernels(process))
            page.close()
    finally:
        context.close()
    assert min(running) >= 1  # each open page has its kernel
    # a closed page's kernel goes within the idle timeout and one look of the culler
    deadline = time.monotonic() + CULL_FOR_TEST_S + 5
    while _kernels(process) > KERNELS_LEFT and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _kernels(process) <= KERNELS_LEFT, f"kernels running at each load: {running}"
    assert max(running) <= KERNELS_LEFT + 1, f"kernels piled up: {running}"
    deadline = time.monotonic() + 30
    while _kernels(process) > 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _kernels(process) == 0
