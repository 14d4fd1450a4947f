"""Debian's Chromium for the browser tests: where it is, how it starts, what happens without it,
and the recorder of every request a page makes (any to a host other than 127.0.0.1 is blocked).

Playwright never downloads a browser here. Without Chromium a browser test is skipped on a
workstation and fails when ``CI`` is set (``.ci/run`` installs it), the policy of
:func:`conftest.need_tool`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:  # conftest imports this module; Playwright is loaded by the browser tests
    from playwright.sync_api import BrowserContext, Page, Route

#: The only host a page under test may ask.
LOCAL_HOST = "127.0.0.1"

CHROMIUM = Path(os.environ.get("HEPKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def find_chromium(path: Path, environ: Mapping[str, str]) -> Path:
    """``path`` when it is an executable; else skip, or fail when ``CI`` is set."""
    if path.is_file() and os.access(path, os.X_OK):
        return path
    reason = (
        f"Chromium not found at {path}: install Debian's package "
        "(apt-get install chromium), as .ci/run does"
    )
    if environ.get("CI"):
        pytest.fail(f"CI is set and the browser tests cannot run. {reason}", pytrace=False)
    pytest.skip(reason)


def is_local(url: str) -> bool:
    """True for a URL on 127.0.0.1 (or data:, blob:, about:), which a page may ask."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname == LOCAL_HOST


@dataclass
class Requests:
    """Every URL the page asked for (including web sockets), in order."""

    urls: list[str] = field(default_factory=list)

    @property
    def outside(self) -> list[str]:
        return [url for url in self.urls if not is_local(url)]

    def assert_local(self) -> None:
        assert self.urls, "no request was recorded"
        assert not self.outside, f"the page asked hosts other than {LOCAL_HOST}: {self.outside}"


def record_requests(context: BrowserContext, page: Page, requests: Requests) -> None:
    """Record in ``requests`` every request of ``context`` and ``page``'s web sockets, and block
    any to another host (so a test never reaches the internet even on a machine that could)."""

    def block_outside(route: Route) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    context.on("request", lambda request: requests.urls.append(request.url))
    page.on("websocket", lambda socket: requests.urls.append(socket.url))
    context.route("**/*", block_outside)
