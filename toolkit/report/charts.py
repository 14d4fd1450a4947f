"""Charts of adherence and pain for one patient and for the cohort.

Every helper takes ``ax=None`` (a new figure is made) and returns the Axes it drew on; none
calls ``plt.show()``. Colours are the Okabe-Ito palette, safe for colour-blind readers, and
every chart says which direction is better. Inputs are the frames of
:class:`toolkit.analysis.summary.Analysis` (or of :func:`toolkit.analysis.adherence.adherence` and
:func:`toolkit.analysis.pain.pain`) for one patient.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.colors
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.textpath import text_to_path

from toolkit.analysis.thresholds import DEFAULT_THRESHOLDS
from toolkit.errors import AnalysisError
from toolkit.report import words

if TYPE_CHECKING:
    from toolkit.analysis.summary import Analysis

__all__ = [
    "PALETTE",
    "COHORT_NAMES",
    "NO_HEADLINE_HEIGHT",
    "weekly_adherence_chart",
    "session_calendar",
    "pain_chart",
    "pain_around_sessions",
    "patient_dashboard",
    "cohort_overview",
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
_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
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
    ax = _axes(ax, (7, 3.2))
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
    ax = _axes(ax, (5, 4))
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
    ax.set_xticks(range(7), _WEEKDAYS)
    ax.set_yticks(range(len(weeks)), [pd.Timestamp(w).strftime("%d %b") for w in weeks])
    ax.set_xticks(np.arange(-0.5, 7), minor=True)
    ax.set_yticks(np.arange(-0.5, len(weeks)), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    ax.xaxis.tick_top()
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
    ax = _axes(ax, (7, 3.2))
    dates = pd.to_datetime(daily["date"])
    scores = daily["daily_pain"].to_numpy(dtype=float)
    unscored = dates[np.isnan(scores)]
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
    ax.set_ylim(0, 10.5)
    ax.set_yticks(range(0, 11, 2))
    ax.set_ylabel("pain [NRS 0-10]\nlower is better")
    ax.set_xlabel("date")
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.set_title(f"{patient}: pain before exercise", y=1.0)
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: labels[i] == "no score")  # shading last
    ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=7,
        frameon=False,
    )
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
    ax = _axes(ax, (8, 3.2))
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
        header = fig.add_subplot(grid[0, :])
        header.axis("off")
        header.text(0, 0.95, _headline(row), va="top", fontsize=12.5, family="DejaVu Sans")
    weekly = analysis.weekly
    daily = analysis.adherence.daily
    pain_daily = analysis.pain.daily
    limits = analysis.thresholds
    weekly_adherence_chart(
        weekly[weekly["patient_id"] == patient_id],
        fig.add_subplot(grid[first, 0]),
        adherent_at=limits.adherent_at,
    )
    session_calendar(daily[daily["patient_id"] == patient_id], fig.add_subplot(grid[first:, 1]))
    pain_chart(
        pain_daily[pain_daily["patient_id"] == patient_id],
        row["baseline_pain"],
        fig.add_subplot(grid[first + 1, 0]),
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


def _print_sizes(fig: Figure) -> None:
    """Fonts large enough to read when the A4-landscape dashboard is printed half size."""
    for ax in fig.axes:
        ax.title.set_fontsize(14)
        ax.xaxis.label.set_fontsize(12)
        ax.yaxis.label.set_fontsize(12)
        ax.tick_params(labelsize=11)
        ax.yaxis.labelpad = 8
        legend = ax.get_legend()
        if legend is not None:
            for text in legend.get_texts():
                text.set_fontsize(10.5)


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
    ax = _axes(ax, (7, 5))
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
