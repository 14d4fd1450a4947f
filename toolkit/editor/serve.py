"""Serve the editor app on this machine only: Voila with the Host check on and idle kernels culled.

Voila on its own answers any ``Host`` header (it turns Jupyter's remote-access check off), so a
web page open in the clinician's browser could reach the app through DNS rebinding and drive
the routine over the kernel's websocket. :class:`LocalVoila` turns the check back on: a request
whose Host is not ``localhost`` or a loopback address is refused with 403. Kernels of pages that
were closed are shut down after :data:`CULL_IDLE_S` seconds without a connection.

``make app`` runs ``python -m toolkit.editor.serve``; it takes Voila's own options.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from voila.app import Voila

__all__ = ["CULL_IDLE_S", "CULL_INTERVAL_S", "LOCAL_HOSTNAMES", "LocalVoila", "main"]

#: Host names (besides loopback addresses) the app answers to.
LOCAL_HOSTNAMES = ("localhost",)

#: A kernel whose page is closed is shut down after this long without activity. [s]
CULL_IDLE_S = 60

#: How often idle kernels are looked for. [s]
CULL_INTERVAL_S = 15


class LocalVoila(Voila):
    """Voila that answers only requests addressed to this machine."""

    def init_settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = super().init_settings()
        settings["allow_remote_access"] = False
        settings["local_hostnames"] = list(LOCAL_HOSTNAMES)
        return settings


def voila_arguments(argv: Sequence[str]) -> list[str]:
    """Voila's command line: hepkit's safe defaults, less those ``argv`` sets, then ``argv``."""
    defaults = [
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_S}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_S}",
        "--MappingKernelManager.cull_connected=False",
    ]
    given = {arg.split("=", 1)[0] for arg in argv}
    return [arg for arg in defaults if arg.split("=", 1)[0] not in given] + list(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Start the app: ``python -m toolkit.editor.serve [voila options] NOTEBOOK``."""
    args = voila_arguments(sys.argv[1:] if argv is None else argv)
    LocalVoila.launch_instance(argv=args)


if __name__ == "__main__":  # pragma: no cover
    main()
