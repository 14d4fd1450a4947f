"""The cohort chart: session adherence against pain change, one point per patient.

Each action group of the report has its own colour and marker; patients without a pain change
are drawn in a band at the foot, so that a patient to call is never left off for want of a
score; at most :data:`COHORT_NAMES` of the patients to call or review are named, placed so
that no name overlaps another.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS
from toolkit.report.charts import PALETTE, axes_or_new

__all__ = ["COHORT_NAMES", "cohort_overview"]

#: The cohort chart names at most this many patients, the most urgent first. [patients]
COHORT_NAMES = 12
_NAME_SIZE = 8  # of the names on the cohort chart [pt]
#: How the cohort chart draws each action group: (key, legend label, colour, marker, size).
_COHORT_GROUPS = (
    ("urgent", "Call", PALETTE["flagged"], "D", 70),
    ("review", "Review this week", PALETTE["adherent_at"], "^", 55),
    ("monitor", "Monitor", PALETTE["baseline"], "s", 28),
    ("ok", "On track or ready", PALETTE["done"], "o", 22),
)


def cohort_overview(
    summary: pd.DataFrame,
    ax: Axes | None = None,
    *,
    adherent_at: float = DEFAULT_THRESHOLDS.adherent_at,
    improved_points: float = DEFAULT_THRESHOLDS.improved_points,
    order: Sequence[str] | None = None,
    names: int = COHORT_NAMES,
) -> Axes:
    """Session adherence against pain change, one point per patient, by action group.

    Each group of the action list (its ``priority``: call, review, monitor, on track) has its
    own colour and marker, so that the groups differ in shape as well as colour. Patients
    without a pain change (no current score, or too few baseline scores) are drawn in a band
    under the chart at their adherence, so that a patient to call is never left off for want
    of a score. The patients to call or review are named, at most ``names`` of them.

    Parameters
    ----------
    summary : DataFrame
        The summary table (``patient_id``, ``session_adherence``, ``pain_change``,
        ``priority``).
    ax : Axes, optional
        Where to draw; a new figure when not given.
    adherent_at : float
        Adherence target drawn as a vertical line (``Thresholds.adherent_at``). [fraction]
    improved_points : float
        Improvement threshold drawn at minus this value (``Thresholds.improved_points``).
        [NRS points]
    order : sequence of str, optional
        Patient ids, most urgent first (the action list's order): who is named first. Without
        it, patients to call come before those to review, each by lower adherence.
    names : int
        At most this many patients are named (:data:`COHORT_NAMES`). [patients]
    """
    ax = axes_or_new(ax, (7, 5))
    shown = summary[summary["session_adherence"].notna()]
    x = 100 * shown["session_adherence"].to_numpy(dtype=float)
    change = shown["pain_change"].to_numpy(dtype=float)
    scored = np.isfinite(change)
    low = min(float(np.min(change[scored])) if scored.any() else 0.0, -improved_points)
    high = max(float(np.max(change[scored])) if scored.any() else 0.0, 0.0)
    band = np.floor(low) - 1.5  # where patients without a pain change are drawn
    priority = shown["priority"].astype(object).fillna("ok").to_numpy()
    row = np.select(  # in the band, one row per group, the most urgent on top [NRS points]
        [priority == "urgent", priority == "review", priority == "monitor"],
        [0.45, 0.15, -0.15],
        -0.45,
    )
    y = np.where(scored, change, band + row)
    for key, label, colour, marker, size in _COHORT_GROUPS:
        mine = (
            priority == key if key != "ok" else ~np.isin(priority, ["urgent", "review", "monitor"])
        )
        ax.scatter(
            x[mine],
            y[mine],
            color=colour,
            marker=marker,
            s=size,
            edgecolors="white" if key in ("monitor", "ok") else "black",
            linewidths=0.5,
            alpha=0.85,
            zorder=3 if key in ("urgent", "review") else 2,
            label=f"{label} ({int(mine.sum())})",
        )
    named = _most_urgent(shown, order, names)
    ax.axvline(100 * adherent_at, color=PALETTE["adherent_at"], linestyle="--", linewidth=1.2)
    ax.axhline(-improved_points, color=PALETTE["improved"], linestyle="--", linewidth=1.2)
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.axhspan(band - 0.7, band + 0.7, color="#F2F2F2", zorder=0)
    ticks = np.arange(np.ceil(low), np.floor(high) + 1)
    step = 1 if len(ticks) <= 8 else 2
    ticks = ticks[ticks % step == 0]
    ax.set_yticks([*ticks, band], [f"{t:g}" for t in ticks] + ["no pain\nchange"])
    ax.set_ylim(band - 0.7, high + 0.8)
    ax.set_xlim(0, 105)
    ax.set_xlabel("session adherence [% of prescribed]  (right is better)")
    ax.set_ylabel("pain change since baseline [NRS points]\n(down is better)")
    urgent = int(np.isin(priority, ["urgent", "review"]).sum())
    said = f"{len(named)} most urgent of {urgent}" if urgent > len(named) else "all"
    hidden = len(summary) - len(shown)
    note = f"; {hidden} not started yet" if hidden else ""
    title = f"Cohort: adherence and pain change ({len(shown)} patients{note})"
    ax.set_title(f"{title}\nnamed: {said} to call or review" if urgent else title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    where = {patient: i for i, patient in enumerate(shown["patient_id"].astype(str))}
    # Last, once the axes' size is known: names are placed so that none overlaps another.
    _name_points(ax, [(patient, x[where[patient]], y[where[patient]]) for patient in named])
    return ax


def _most_urgent(shown: pd.DataFrame, order: Sequence[str] | None, names: int) -> list[str]:
    """The patients to call or review, most urgent first, at most ``names`` of them."""
    chosen = shown[shown["priority"].isin(["urgent", "review"])]
    if order is not None:
        rank = {str(patient): i for i, patient in enumerate(order)}
        key = chosen["patient_id"].astype(str).map(lambda p: rank.get(p, len(rank)))
        chosen = chosen.assign(_rank=key.to_numpy()).sort_values(
            ["_rank", "patient_id"], kind="stable"
        )
    else:
        chosen = chosen.assign(_rank=(chosen["priority"] != "urgent").to_numpy()).sort_values(
            ["_rank", "session_adherence", "patient_id"], kind="stable"
        )
    return [str(patient) for patient in chosen["patient_id"]][: max(0, names)]


def _name_points(ax: Axes, points: list[tuple[str, float, float]]) -> None:
    """Name each point beside it, lifting a name (with a leader line) that would overlap another.

    ``points`` are (name, x, y) in data units, most urgent first; the axes' limits are set.
    Names are measured in the font they are drawn in, on the axes as laid out.
    """
    figure = ax.get_figure(root=True)
    engine = figure.get_layout_engine() if figure is not None else None
    if figure is not None and engine is not None:
        engine.execute(figure)  # where the axes will be drawn
    points_per_pixel = 72 / ax.figure.dpi
    width = ax.bbox.width * points_per_pixel  # the axes' size [pt]
    height = ax.bbox.height * points_per_pixel
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    font = FontProperties(size=_NAME_SIZE)
    placed: list[tuple[float, float, float]] = []  # (left, bottom, right) of each name [pt]
    for name, x, y in points:
        text_width, text_height, _ = text_to_path.get_text_width_height_descent(
            name, font, ismath=False
        )
        left = (x - x0) / (x1 - x0) * width + 5
        right = left + text_width
        lift = 4.0
        bottom = (y - y0) / (y1 - y0) * height + lift
        step = text_height + 2  # a line of names [pt]
        while any(
            left < other_right + 2
            and other_left < right + 2
            and abs(bottom - other_bottom) < step - 1e-6
            for other_left, other_bottom, other_right in placed
        ):
            lift += step
            bottom += step
        placed.append((left, bottom, right))
        ax.annotate(
            name,
            (x, y),
            textcoords="offset points",
            xytext=(5, lift),
            fontsize=_NAME_SIZE,
            zorder=4,
            arrowprops={"arrowstyle": "-", "color": "#777777", "linewidth": 0.6}
            if lift > 4
            else None,
        )
