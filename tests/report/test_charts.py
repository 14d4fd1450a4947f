"""Charts: each draws on the Axes it is given, and matches its committed baseline image.

Baselines live in ``tests/baseline/``. After an intended change to a chart, regenerate them
with ``HEPKIT_UPDATE_BASELINES=1 python -m pytest tests/test_charts.py`` and look at them.
"""

from __future__ import annotations

import os

import matplotlib
import matplotlib.figure
import matplotlib.pyplot as plt
import pytest
from analysis_frames import STANDARD_ITEMS, logs, make_routine, prescriptions
from locations import BASELINES
from matplotlib.testing.compare import compare_images

from toolkit.analysis.summary import analyse
from toolkit.errors import AnalysisError
from toolkit.report import charts, cohort_chart

UPDATE = os.environ.get("HEPKIT_UPDATE_BASELINES") == "1"
TOLERANCE = 2.0  # RMS difference of pixel values (0-255)


@pytest.fixture(scope="module")
def analysis():
    from toolkit.routines.library import load_library

    routines = {"r1": make_routine("r1", STANDARD_ITEMS)}
    pres = prescriptions(
        ("p1", "r1", "2026-01-05", None),
        ("p2", "r1", "2026-01-05", None),
        ("p3", "r1", "2026-01-05", None),
        ("p4", "r1", "2026-03-01", None),
    )
    rows = []
    for i in range(28):
        date = f"2026-{1 + (4 + i) // 31:02d}-{(4 + i) % 31 + 1:02d}"
        if i % 5 != 3:  # p1 misses a day in five
            pain = 7 - i // 7 if i % 4 else None
            rows.append({"patient_id": "p1", "timestamp": date, "pain_before": pain})
        if i % 2 == 0:
            rows.append({"patient_id": "p2", "timestamp": date, "pain_before": 5 + i // 10})
        if i < 20:
            rows.append(
                {"patient_id": "p3", "timestamp": date, "pain_before": 6 - i // 5, "notes": None}
            )
    rows.append(
        {"patient_id": "p1", "timestamp": "2026-01-08", "completed": False}
    )  # 0, not missing
    return analyse(logs(*rows), pres, routines, load_library(), as_of="2026-02-01")


def check_image(fig, name, tmp_path):
    actual = tmp_path / f"{name}.png"
    fig.savefig(actual, dpi=60)
    expected = BASELINES / f"{name}.png"
    if UPDATE:
        BASELINES.mkdir(exist_ok=True)
        expected.write_bytes(actual.read_bytes())
    assert expected.is_file(), f"no baseline {expected}; run with HEPKIT_UPDATE_BASELINES=1"
    difference = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert difference is None, difference


@pytest.fixture(autouse=True)
def _fixed_style():
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "figure.dpi": 60}):
        yield


def _of(frame, patient):
    return frame[frame["patient_id"] == patient]


def test_weekly_adherence_chart(analysis, tmp_path):
    ax = charts.weekly_adherence_chart(_of(analysis.weekly, "p1"))
    assert ax.get_title() == "p1: weekly session adherence"
    assert "higher is better" in ax.get_ylabel() and "[% of prescribed]" in ax.get_ylabel()
    check_image(ax.figure, "weekly_adherence", tmp_path)


def test_session_calendar_marks_days_without_a_log(analysis, tmp_path):
    ax = charts.session_calendar(_of(analysis.adherence.daily, "p1"))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "no log (x)",
        "logged, 0 sessions",
        "sessions done",
    ]
    assert len(ax.texts) == 0  # one session a day: the colour says it all, no numbers
    check_image(ax.figure, "session_calendar", tmp_path)


def test_pain_chart(analysis, tmp_path):
    baseline = _of(analysis.summary, "p1")["baseline_pain"].iloc[0]
    ax = charts.pain_chart(_of(analysis.pain.daily, "p1"), baseline)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "daily pain",
        "7-day mean",
        "baseline",
        "baseline - 2",
        "70 % of baseline",
        "no score",
    ]
    assert ax.get_ylabel() == "pain [NRS 0-10]\nlower is better"
    check_image(ax.figure, "pain_chart", tmp_path)


def test_patient_dashboard(analysis, tmp_path):
    fig = charts.patient_dashboard(analysis, "p1")
    assert len(fig.axes) == 4
    check_image(fig, "patient_dashboard", tmp_path)


def test_the_report_draws_the_dashboard_without_its_headline(analysis, tmp_path):
    # The report's page says the key figures in words; its dashboard has only the charts.
    assert charts.NO_HEADLINE_HEIGHT == 7.0
    with_words = charts.patient_dashboard(analysis, "p1")
    assert any("Sessions:" in text.get_text() for text in with_words.axes[0].texts)
    fig = matplotlib.figure.Figure(figsize=(11.7, charts.NO_HEADLINE_HEIGHT))
    charts.patient_dashboard(analysis, "p1", fig, headline=False)
    assert [ax.get_title() for ax in fig.axes] == [
        "p1: weekly session adherence",
        "p1: sessions per day\n(more is better)",
        "p1: pain before exercise",
    ]
    assert not any("Sessions:" in text.get_text() for ax in fig.axes for text in ax.texts)
    check_image(fig, "patient_dashboard_report", tmp_path)


def test_cohort_overview_names_who_to_call_or_review_and_draws_the_unscored(analysis, tmp_path):
    ax = cohort_chart.cohort_overview(analysis.summary)
    # p2 is to call, p3 to review (no pain change: drawn in the band), p1 on track; p4 has
    # not started and is left out.
    assert [t.get_text() for t in ax.texts] == ["p2", "p3"]
    assert ax.get_title() == (
        "Cohort: adherence and pain change (3 patients; 1 not started yet)\n"
        "named: all to call or review"
    )
    groups = {c.get_label(): c.get_offsets() for c in ax.collections if c.get_label()}
    assert list(groups) == [
        "Call (1)",
        "Review this week (1)",
        "Monitor (0)",
        "On track or ready (1)",
    ]
    band = min(-2.0, -3.0)  # the lowest pain change (p1, -3) or the improvement line
    assert groups["Call (1)"].tolist() == [[50.0, 2.0]]
    assert groups["Review this week (1)"][0, 1] == pytest.approx(band - 1.5 + 0.15)
    assert ax.get_yticklabels()[-1].get_text() == "no pain\nchange"
    check_image(ax.figure, "cohort_overview", tmp_path)


def test_cohort_overview_names_at_most_the_most_urgent_in_the_order_given(analysis):
    assert cohort_chart.COHORT_NAMES == 12
    ax = cohort_chart.cohort_overview(analysis.summary, order=["p3", "p2"], names=1)
    assert [t.get_text() for t in ax.texts] == ["p3"]
    assert ax.get_title().endswith("named: 1 most urgent of 2 to call or review")
    ax = cohort_chart.cohort_overview(analysis.summary, names=1)  # without an order: calls first
    assert [t.get_text() for t in ax.texts] == ["p2"]


def test_cohort_overview_lifts_a_name_that_would_overlap_another(analysis):
    summary = analysis.summary.copy()
    summary.loc[summary["patient_id"] == "p3", ["session_adherence", "pain_change"]] = [0.5, 2.0]
    ax = cohort_chart.cohort_overview(summary)
    first, second = ax.texts
    assert first.xy == second.xy == (50.0, 2.0)
    assert 8 <= second.xyann[1] - first.xyann[1] < 12  # one line of 8 pt names higher [pt]
    assert first.arrow_patch is None and second.arrow_patch is not None  # a leader line


def test_helpers_draw_on_the_axes_given(analysis):
    fig, axes = plt.subplots(2, 2)
    assert charts.weekly_adherence_chart(_of(analysis.weekly, "p2"), axes[0, 0]) is axes[0, 0]
    assert charts.session_calendar(_of(analysis.adherence.daily, "p2"), axes[0, 1]) is axes[0, 1]
    assert charts.pain_chart(_of(analysis.pain.daily, "p2"), None, axes[1, 0]) is axes[1, 0]
    assert cohort_chart.cohort_overview(analysis.summary, axes[1, 1]) is axes[1, 1]
    assert len(plt.get_fignums()) == 1


def test_a_chart_of_several_patients_is_refused(analysis):
    with pytest.raises(AnalysisError, match=r"pain_chart: give the rows of one patient \(found 3"):
        charts.pain_chart(analysis.pain.daily)


def test_a_dashboard_needs_a_started_window(analysis):
    with pytest.raises(AnalysisError, match="patient 'p4': the programme starts on 2026-03-01"):
        charts.patient_dashboard(analysis, "p4")
    with pytest.raises(AnalysisError, match="patient 'nobody' is not in the analysis"):
        charts.patient_dashboard(analysis, "nobody")


def test_pain_around_sessions_draws_before_and_after_and_marks_the_rises():
    import pandas as pd

    sessions = pd.DataFrame(
        {
            "patient_id": "p1",
            "timestamp": pd.to_datetime(
                ["2026-01-05 08:00", "2026-01-06 08:00", "2026-01-07 08:00"]
            ),
            "pain_before": [2.0, 3.0, 4.0],
            "pain_after": [2.0, 6.0, 5.0],
        }
    )
    fig, ax = plt.subplots()
    assert charts.pain_around_sessions(sessions, ax) is ax
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["pain before"].get_ydata()) == [2.0, 3.0, 4.0]
    assert list(lines["pain after, 2+ points higher"].get_ydata()) == [6.0]
    assert list(lines["pain after, other"].get_ydata()) == [2.0, 5.0]
    assert ax.get_title() == "p1: pain before and after each session"
    assert ax.title.get_fontsize() >= 12
    with pytest.raises(AnalysisError, match="pain_around_sessions: give the rows of one patient"):
        charts.pain_around_sessions(sessions.assign(patient_id=["a", "b", "b"]))
