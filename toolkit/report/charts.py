"""Charts of adherence and pain for one patient and for the cohort.

Every helper takes ``ax=None`` (a new figure is made) and returns the Axes it drew on; none
calls ``plt.show()``. Colours are the Okabe-Ito palette, safe for colour-blind readers, and
every chart says which direction is better. Inputs are the frames of
:class:`toolkit.analysis.summary.Analysis` (or of :func:`toolkit.analysis.adherence.adherence` and
:func:`toolkit.analysis.pain.pain`) for one patient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.colors
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.gridspec import SubplotSpec
from matplotlib.patches import Patch

from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS
from toolkit.errors import AnalysisError
from toolkit.report import words

if TYPE_CHECKING:
    from toolkit.analysis.summary import Analysis

__all__ = [
    "PALETTE",
    "axes_or_new",
    "NO_HEADLINE_HEIGHT",
    "weekly_adherence_chart",
    "session_calendar",
    "pain_chart",
    "pain_around_sessions",
    "patient_dashboard",
]

#: Okabe-Ito colours by role.
PALETTE = {
    "done": "#0072B2",  # blue
    "adherent_at": "#D55E00",  # vermilion
    "pain": "#000000",
    "rolling": "#E69F00",  # orange
    "baseline": "#56B4E9",  # sky blue
    "improved": "#009E73",  # bluish green
    "missing": "#BBBBBB",
    "flagged": "#CC79A7",  # reddish purple
}
#: Height of a dashboard drawn without its headline, as the clinic report draws it. [inch]
NO_HEADLINE_HEIGHT = 7.0
_PRINT_TICK_SIZE = 11  # tick labels of the dashboard [pt]
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def axes_or_new(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """``ax``, or the Axes of a new figure of ``size`` inches (constrained layout)."""
    if ax is not None:
        return ax
    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def _one_patient(frame: pd.DataFrame, what: str) -> str:
    ids = frame["patient_id"].unique()
    if len(ids) != 1:
        raise AnalysisError(
            f"{what}: give the rows of one patient (found {len(ids)} patients); "
            "select them with frame[frame.patient_id == ...]"
        )
    return str(ids[0])


def weekly_adherence_chart(
    weekly: pd.DataFrame,
    ax: Axes | None = None,
    *,
    adherent_at: float = DEFAULT_THRESHOLDS.adherent_at,
) -> Axes:
    """Bars of weekly session adherence with the adherence target as a line.

    Parameters
    ----------
    weekly : DataFrame
        One patient's rows of the weekly table (``week_start``, ``session_adherence``).
    ax : Axes, optional
        Where to draw; a new figure when not given.
    adherent_at : float
        Adherence target drawn as a line (``Thresholds.adherent_at``). [fraction]
    """
    patient = _one_patient(weekly, "weekly_adherence_chart")
    ax = axes_or_new(ax, (7, 3.2))
    percent = 100 * weekly["session_adherence"].to_numpy(dtype=float)
    weeks = pd.to_datetime(weekly["week_start"])
    bars = ax.bar(weeks, percent, width=5, color=PALETTE["done"], label="sessions done")
    ax.bar_label(bars, labels=[f"{p:.0f}" for p in percent], fontsize=8, padding=2)
    ax.axhline(
        100 * adherent_at,
        color=PALETTE["adherent_at"],
        linestyle="--",
        linewidth=1.5,
        label=f"target {100 * adherent_at:.0f} %",
    )
    ax.set_ylim(0, 115)
    ax.set_ylabel("sessions done [% of prescribed]\nhigher is better")
    ax.set_xlabel("week starting [date]")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.set_title(f"{patient}: weekly session adherence", y=1.0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return ax


def session_calendar(daily: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Sessions done on each window day, one row per week; days with no log are hatched.

    Parameters
    ----------
    daily : DataFrame
        One patient's rows of ``Adherence.daily`` (``date``, ``sessions_done``, ``any_row``).
    ax : Axes, optional
        Where to draw; a new figure when not given.
    """
    patient = _one_patient(daily, "session_calendar")
    ax = axes_or_new(ax, (5, 4))
    dates = pd.to_datetime(daily["date"])
    monday = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    weeks = sorted(monday.unique())
    row = np.searchsorted(np.array(weeks, dtype="datetime64[ns]"), monday.to_numpy())
    column = dates.dt.day_of_week.to_numpy()
    done = daily["sessions_done"].to_numpy(dtype=float)
    logged = daily["any_row"].to_numpy(dtype=bool)

    grid = np.full((len(weeks), 7), np.nan)
    grid[row, column] = np.where(logged, done, -1)  # -1: no log at all
    top = max(1, int(np.nanmax(grid)) if np.isfinite(np.nanmax(grid)) else 1)
    colours = [PALETTE["missing"], "#FFFFFF", *_blues(top)]
    cmap = ListedColormap(colours).with_extremes(bad="#F4F4F4")  # bad: not a window day
    norm = BoundaryNorm(np.arange(-1.5, top + 1.5), cmap.N)
    ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, norm=norm, aspect="auto")
    missing_r, missing_c = np.nonzero(grid == -1)
    ax.scatter(missing_c, missing_r, marker="x", color="#555555", s=30, linewidths=1)
    # With one session a day the colour says it all; numbers only when more are prescribed.
    present_r, present_c = np.nonzero(grid >= 0) if top > 1 else ((), ())
    for r, c in zip(present_r, present_c, strict=True):
        value = grid[r, c]
        ax.text(
            float(c),
            float(r),
            f"{value:.0f}",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if value >= max(1, top) else "black",
        )
    # Weekdays on top, set before the ticks are made: moving them afterwards re-styles each.
    ax.xaxis.tick_top()
    ax.set_xticks(range(7), _WEEKDAYS)
    ax.set_yticks(range(len(weeks)), [pd.Timestamp(w).strftime("%d %b") for w in weeks])
    # White lines between the cells, drawn as two line collections where the grid of minor
    # ticks stood (same places, colour, width and drawing order): every minor tick is an
    # artist of its own, and the grid of 20-odd of them was a tenth of a dashboard's time.
    # zorder 1.5: where a grid is drawn (above the cells and the crosses, below the numbers)
    ax.vlines(np.arange(-0.5, 7), -0.5, len(weeks) - 0.5, colors="white", lw=2, zorder=1.5)
    ax.hlines(np.arange(-0.5, len(weeks)), -0.5, 6.5, colors="white", lw=2, zorder=1.5)
    ax.set_ylabel("week starting [date]")
    ax.set_title(f"{patient}: sessions per day\n(more is better)", y=1.0, pad=24)
    ax.legend(
        handles=[
            Patch(facecolor=PALETTE["missing"], edgecolor="#555555", label="no log (x)"),
            Patch(facecolor="white", edgecolor="#555555", label="logged, 0 sessions"),
            Patch(facecolor=PALETTE["done"], label="sessions done"),
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=2,
        fontsize=7,
        frameon=False,
    )
    return ax


def _blues(count: int) -> list[str]:
    """``count`` shades from light blue to the palette's blue."""
    light = np.array([0.78, 0.88, 0.96])
    dark = np.array([0.0, 0.447, 0.698])
    steps = np.linspace(0, 1, count) if count > 1 else np.array([1.0])
    return [matplotlib.colors.to_hex(light + (dark - light) * s) for s in steps]


def pain_chart(
    daily: pd.DataFrame,
    baseline: float | None = None,
    ax: Axes | None = None,
    *,
    improved_points: float = DEFAULT_THRESHOLDS.improved_points,
    improved_percent: float = DEFAULT_THRESHOLDS.improved_percent,
) -> Axes:
    """Daily pain, its rolling mean, the baseline and the MCID lines; unscored days shaded.

    Parameters
    ----------
    daily : DataFrame
        One patient's rows of ``Pain.daily`` (``date``, ``daily_pain``, ``rolling_pain``).
    baseline : float, optional
        Baseline pain; without it no baseline or MCID line is drawn. [NRS points]
    ax : Axes, optional
        Where to draw; a new figure when not given.
    improved_points, improved_percent : float
        Clinically important fall (``Thresholds.improved_points`` and
        ``improved_percent``): baseline - points [NRS points] and the baseline less this
        percentage [%].
    """
    patient = _one_patient(daily, "pain_chart")
    ax = axes_or_new(ax, (7, 3.2))
    dates = pd.to_datetime(daily["date"])
    scores = daily["daily_pain"].to_numpy(dtype=float)
    ax.plot(dates, scores, "o", color=PALETTE["pain"], markersize=3.5, label="daily pain")
    ax.plot(
        dates,
        daily["rolling_pain"].to_numpy(dtype=float),
        color=PALETTE["rolling"],
        linewidth=2,
        label="7-day mean",
    )
    if baseline is not None and not pd.isna(baseline):
        ax.axhline(baseline, color=PALETTE["baseline"], linewidth=1.5, label="baseline")
        ax.axhline(
            baseline - improved_points,
            color=PALETTE["improved"],
            linestyle="--",
            linewidth=1.2,
            label=f"baseline - {improved_points:g}",
        )
        ax.axhline(
            baseline * (1 - improved_percent / 100),
            color=PALETTE["improved"],
            linestyle=":",
            linewidth=1.5,
            label=f"{100 - improved_percent:g} % of baseline",
        )
    unscored = dates[np.isnan(scores)]  # shaded last: last in the legend, drawn behind
    if len(unscored):
        starts = mdates.date2num(unscored.to_numpy()) - 0.5  # one shape, not a bar a day
        ax.broken_barh(
            [(start, 1.0) for start in starts],
            (0, 10.5),
            color=PALETTE["missing"],
            alpha=0.35,
            label="no score",
            linewidth=0,
        )
    ax.set_ylim(0, 10.5)
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel("pain [NRS 0-10]\nlower is better")
    ax.set_xlabel("date")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.set_title(f"{patient}: pain before exercise", y=1.0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
    return ax


def pain_around_sessions(
    sessions: pd.DataFrame,
    ax: Axes | None = None,
    *,
    rise_points: float = DEFAULT_THRESHOLDS.rise_points,
) -> Axes:
    """Pain before and after each session, joined by a line; a rise of ``rise_points`` marked.

    Parameters
    ----------
    sessions : DataFrame
        One patient's rows of ``Pain.sessions`` (``timestamp``, ``pain_before``,
        ``pain_after``, ``rise``).
    ax : Axes, optional
        Where to draw; a new figure when not given.
    rise_points : float
        A session whose pain after is at least this much above pain before is drawn in the
        flag colour (``Thresholds.rise_points``). [NRS points]
    """
    patient = _one_patient(sessions, "pain_around_sessions")
    ax = axes_or_new(ax, (8, 3.2))
    when = pd.to_datetime(sessions["timestamp"]).to_numpy()
    before = sessions["pain_before"].to_numpy(dtype=float)
    after = sessions["pain_after"].to_numpy(dtype=float)
    rose = (after - before) >= rise_points
    colours = [PALETTE["flagged"] if up else PALETTE["missing"] for up in rose]
    ax.vlines(when, before, after, colors=colours, linewidth=2.5)
    ax.plot(when, before, "o", color=PALETTE["pain"], markersize=4, label="pain before")
    ax.plot(
        when[rose],
        after[rose],
        "^",
        color=PALETTE["flagged"],
        markersize=7,
        label=f"pain after, {rise_points:g}+ points higher",
    )
    ax.plot(
        when[~rose], after[~rose], "^", color="#777777", markersize=5, label="pain after, other"
    )
    ax.set_ylim(0, 10.5)
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel("pain [NRS 0-10]", fontsize=10)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.tick_params(labelsize=9)
    ax.set_title(f"{patient}: pain before and after each session", fontsize=12, y=1.0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=False)
    return ax


def patient_dashboard(
    analysis: Analysis, patient_id: str, fig: Figure | None = None, *, headline: bool = True
) -> Figure:
    """One patient's page: key figures, weekly adherence, calendar and pain.

    The target and MCID lines are those of the thresholds the analysis ran with
    (``analysis.thresholds``).

    Parameters
    ----------
    analysis : Analysis
        From :func:`toolkit.analysis.summary.analyse`.
    patient_id : str
        The patient to show.
    fig : Figure, optional
        Where to draw; a new A4-landscape-sized figure when not given.
    headline : bool
        Write the key figures above the charts. The clinic report's patient page says them in
        words beside the chart and draws it without (in a figure :data:`NO_HEADLINE_HEIGHT`
        inches tall), which also saves a tenth of the drawing time.

    Raises
    ------
    AnalysisError
        The patient is not in the analysis, or their window has not started.
    """
    summary = analysis.summary
    chosen = summary[summary["patient_id"] == patient_id]
    if chosen.empty:
        raise AnalysisError(f"patient {patient_id!r} is not in the analysis")
    row = chosen.iloc[0]
    if row["days_in_window"] == 0:
        raise AnalysisError(
            f"patient {patient_id!r}: the programme starts on "
            f"{row['window_start']:%Y-%m-%d}, after the as-of date; there is nothing to show yet"
        )
    fig = fig or plt.figure(figsize=(11.7, 8.3))
    # Fixed margins rather than a layout engine: the same page every time, drawn in half the
    # time (the layout engine measures every label twice).
    grid = fig.add_gridspec(
        3 if headline else 2,
        2,
        height_ratios=[0.3, 1, 1] if headline else [1, 1],
        width_ratios=[1.5, 1],
        left=0.08,
        right=0.98,
        top=0.97 if headline else 0.86,
        bottom=0.1,
        hspace=0.5,
        wspace=0.75,
    )
    first = 1 if headline else 0  # the row of the weekly chart
    if headline:
        header = _print_axes(fig, grid[0, :])
        header.axis("off")
        header.text(0, 0.95, _headline(row), va="top", fontsize=12.5, family="DejaVu Sans")
    weekly = analysis.weekly
    daily = analysis.adherence.daily
    pain_daily = analysis.pain.daily
    limits = analysis.thresholds
    weekly_adherence_chart(
        weekly[weekly["patient_id"] == patient_id],
        _print_axes(fig, grid[first, 0]),
        adherent_at=limits.adherent_at,
    )
    session_calendar(daily[daily["patient_id"] == patient_id], _print_axes(fig, grid[first:, 1]))
    pain_chart(
        pain_daily[pain_daily["patient_id"] == patient_id],
        row["baseline_pain"],
        _print_axes(fig, grid[first + 1, 0]),
        improved_points=limits.improved_points,
        improved_percent=limits.improved_percent,
    )
    _print_sizes(fig)
    return fig


def _headline(row: pd.Series) -> str:
    """The dashboard's key figures in words: whole counts whole, halves rounded up."""
    flags = "; ".join(
        words.FLAG_LABELS.get(code, code.replace("_", " ")).lower()
        for code in sorted(
            (c for c in str(row["flags"] or "").split(";") if c and c != "nan"),
            key=lambda c: words.URGENCY.index(c) if c in words.URGENCY else len(words.URGENCY),
        )
    )
    trend = row["pain_slope_per_week"]
    return "\n".join(
        [
            f"Patient {row['patient_id']}    as of {words.day(row['as_of'])}    "
            f"window {words.day(row['window_start'])} to {words.day(row['window_end'])} "
            f"({words.sessions_text(row['days_in_window'])} days)",
            f"Sessions: {words.sessions_text(row['sessions_done'])} done of "
            f"{words.sessions_text(row['sessions_prescribed'])} prescribed "
            f"({words.percent(row['session_adherence'])}), "
            f"{words.sessions_text(row['sessions_logged'])} logged    dose "
            f"{words.percent(row['dose_adherence'])}    days reported "
            f"{words.percent(row['reporting_completeness'])}",
            f"Pain: baseline {words.one_decimal(row['baseline_pain'])}, "
            + (
                "no current value"
                if pd.isna(row["current_pain"])
                else f"now {words.one_decimal(row['current_pain'])}, change "
                f"{words.one_decimal(row['pain_change'], sign=True)} points"
            )
            + "; trend "
            + ("not computed" if pd.isna(trend) else f"{float(trend):+.2f} points a week"),
            f"Flags: {flags or 'none'}",
        ]
    )


def _print_axes(fig: Figure, spec: SubplotSpec) -> Axes:
    """A new Axes of the dashboard whose tick labels are made at print size (see
    :func:`_print_sizes`)."""
    ax = fig.add_subplot(spec)
    # Given while the Axes has one tick a side: each tick made later takes this size as it is
    # made, whereas giving it after the charts re-styled all 50-odd of them one by one.
    ax.tick_params(labelsize=_PRINT_TICK_SIZE)
    return ax


def _print_sizes(fig: Figure) -> None:
    """Fonts large enough to read when the A4-landscape dashboard is printed half size
    (tick labels: given as the Axes is made, by :func:`_print_axes`)."""
    for ax in fig.axes:
        ax.title.set_fontsize(14)
        ax.xaxis.label.set_fontsize(12)
        ax.yaxis.label.set_fontsize(12)
        ax.yaxis.labelpad = 8
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                text.set_fontsize(10.5)
