"""The Dask cluster ``hepkit report --engine dask`` runs on: a local one, or one given by address.

With no address, a ``distributed.LocalCluster`` sized to this machine: one worker process per
core, one thread each, listening on 127.0.0.1 only (patient data stays on this machine), with
the Dask dashboard when ``bokeh`` is installed. With an address (``tcp://host:8786``), a client
of that existing cluster, started by its owner with ``dask scheduler`` / ``dask worker`` or a
deployment tool (see docs/scale.md).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from toolkit.errors import HepkitError

__all__ = ["local_cluster_options", "dask_client", "dashboard_link", "DASHBOARD_ADDRESS"]

#: Where the local cluster's dashboard listens when bokeh is installed.
DASHBOARD_ADDRESS = "127.0.0.1:8787"


def local_cluster_options(cores: int | None = None) -> dict[str, Any]:
    """Keyword arguments of the ``LocalCluster`` for this machine (``cores`` default: all)."""
    has_bokeh = importlib.util.find_spec("bokeh") is not None
    return {
        "n_workers": cores or os.cpu_count() or 1,
        "threads_per_worker": 1,
        "processes": True,
        "host": "127.0.0.1",
        "dashboard_address": DASHBOARD_ADDRESS if has_bokeh else None,
    }


@contextmanager
def dask_client(scheduler: str | None) -> Iterator[Any]:
    """A ``distributed.Client``: of the cluster at ``scheduler``, or of a new local cluster.

    Raises
    ------
    HepkitError
        Dask is not installed (``pip install hepkit[scale]``).
    """
    try:
        import distributed
    except ImportError:
        raise HepkitError(
            "--engine dask needs Dask, an optional dependency that is missing; install it with "
            "pip install 'hepkit[scale]'"
        ) from None
    if scheduler is not None:
        with distributed.Client(scheduler) as client:
            yield client
        return
    with (
        distributed.LocalCluster(**local_cluster_options()) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def dashboard_link(client: Any, scheduler: str | None) -> str | None:
    """The dashboard's address, or None when the cluster serves none.

    A local cluster has one only when bokeh is installed here; a remote scheduler says itself
    whether it serves one.
    """
    if scheduler is None and local_cluster_options()["dashboard_address"] is None:
        return None
    if "dashboard" not in client.scheduler_info().get("services", {}):
        return None
    return str(client.dashboard_link)
