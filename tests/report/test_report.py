"""The clinic report: files, CSV headers, urgency order, as_of, escaping, no network, PDF text."""

from __future__ import annotations

import dataclasses
import re
import subprocess

import pandas as pd
import pytest
from locations import SAMPLE
from report_data import HOSTILE_NOTE, write_small_cohort

from toolkit.analysis.adherence import EXCLUSION_REASONS
from toolkit.analysis.flags import FLAGS
from toolkit.analysis.summary import analyse
from toolkit.analysis.thresholds import Thresholds
from toolkit.errors import ExportError
from toolkit.logs.prescriptions import load_routines, read_prescriptions
from toolkit.logs.reading import read_logs
from toolkit.report import clinic_report as report_module
from toolkit.report import drawing, words
from toolkit.report.actions import action_list
from toolkit.report.clinic_report import (
    LARGE_COHORT,
    MAX_PATIENT_PAGES,
    URGENCY,
    attention_order,
    chart_name,
    make_report,
    next_routines,
    pages_for,
    write_report,
)
from toolkit.routines.library import load_library

AS_OF = "2026-10-31"
TODAY = "2026-11-30"

#: The spec's column lists (analysis spec, section 8), typed from the spec, not the code.
SPEC_HEADERS = {
    "summary.csv": "patient_id,as_of,window_start,window_end,days_in_window,"
    "sessions_prescribed,sessions_done,sessions_logged,session_adherence,adherent,"
    "dose_adherence,reporting_completeness,last_log_date,days_since_last_log,baseline_pain,"
    "current_pain,pain_change,pain_change_pct,improved,worsened,pain_slope_per_week,"
    "pain_slope_ci_low,pain_slope_ci_high,flags,priority,recent_session_adherence,"
    "ready_to_progress",
    "weekly.csv": "patient_id,week_start,days,sessions_prescribed,sessions_done,"
    "sessions_logged,session_adherence,dose_adherence,mean_pain",
    "flags.csv": "patient_id,flag,date,detail",
    "excluded.csv": "source,row,patient_id,date,exercise_id,reason",
    "rejects.csv": "source,row,column,value,reason",
}


@pytest.fixture(scope="module")
def sample_html(sample_report) -> str:
    return sample_report.html.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def small_report(tmp_path_factory):
    """The report of three patients, one of whom wrote a hostile note; no PDF."""
    folder = tmp_path_factory.mktemp("small")
    files = write_small_cohort(folder / "in")
    return make_report(
        files["logs"],
        files["prescriptions"],
        folder / "out",
        as_of=files["as_of"],
        today=TODAY,
        pdf=False,
        progress=False,
    )


def test_every_file_is_written(sample_report):
    out = sample_report.output_dir
    expected = {f"{name}.csv" for name in report_module.TABLE_NAMES} | {
        "report.html",
        "report.pdf",
    }
    assert expected <= {p.name for p in out.iterdir()}
    patients = list(sample_report.analysis.summary["patient_id"])
    assert len(patients) == 40
    charts = {p.name for p in (out / "charts").iterdir()}
    assert charts == {"cohort.png"} | {f"patient-{p}.png" for p in sample_report.pages}
    assert all(path.is_file() and path.stat().st_size > 0 for path in sample_report.files)
    assert not list(out.rglob(".*.tmp")), "a temporary file was left behind"
    for path in (out / "charts").iterdir():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", sorted(SPEC_HEADERS))
def test_csv_headers_are_exactly_the_specs(sample_report, name):
    text = (sample_report.output_dir / name).read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == SPEC_HEADERS[name]


def test_csv_tables_hold_the_analysis(sample_report):
    out = sample_report.output_dir
    summary = pd.read_csv(out / "summary.csv", dtype=str, keep_default_na=False)
    assert len(summary) == 40 and set(summary["as_of"]) == {AS_OF}
    flags = pd.read_csv(out / "flags.csv", dtype=str, keep_default_na=False)
    assert len(flags) == len(sample_report.analysis.flags)
    assert (out / "rejects.csv").read_text(encoding="utf-8") == SPEC_HEADERS["rejects.csv"] + "\n"


def test_report_states_as_of_and_today(sample_html):
    assert "Figures as of <strong>2026-10-31</strong>" in sample_html
    assert "report made 2026-11-30" in sample_html
    assert "<title>Clinic report - figures as of 2026-10-31</title>" in sample_html


def test_report_states_where_the_data_came_from(sample_html):
    assert "logs.csv" in sample_html and "prescriptions.csv" in sample_html
    assert "gentle-back-stretches (gentle-back-stretches.yaml)" in sample_html
    assert "<th>Log rows read</th><td>16,002 (blank lines skipped: 0)</td>" in sample_html
    assert "<th>Log rows rejected</th><td>0</td>" in sample_html


def _actions_section(html: str) -> str:
    start = html.index('<section class="actions">')
    return html[start : html.index("</section>", start)]


def test_page_one_is_the_action_list_by_priority_then_severity(sample_report, sample_html):
    section = _actions_section(sample_html)
    headings = [h.strip() for h in re.findall(r"<h3>([^<]+)<span", section)]
    assert headings == ["Call", "Review this week", "Monitor", "Ready to progress", "On track"]
    listed = re.findall(r'<a href="#patient-(P\d+)">(P\d+)</a>', section)
    assert all(anchor == shown for anchor, shown in listed)
    actions = sample_report.actions
    assert sorted(actions["patient_id"]) == sorted(sample_report.analysis.summary["patient_id"])
    groups = actions.groupby("group", sort=False)["patient_id"].agg(list).to_dict()
    # A red-flag note before rising pain; P002, whose current pain is empty, is called.
    assert groups["Call"] == ["P004", "P002"]
    # Pain rising after exercise, then stopped logging, the longest silence first.
    assert groups["Review this week"] == ["P005", "P003", "P010", "P014", "P039", "P009", "P019"]
    # Low adherence, the lowest first; a baseline-only flag after every adherence flag.
    monitor = actions[actions["group"] == "Monitor"]
    assert groups["Monitor"][0] == "P032" and groups["Monitor"][-1] == "P020"
    shares = sample_report.analysis.summary.set_index("patient_id")["session_adherence"]
    assert list(shares[groups["Monitor"][:-1]]) == sorted(shares[groups["Monitor"][:-1]])
    assert "Ready to progress" not in groups  # nobody in the sample is ready on 2026-10-31
    assert len(groups["On track"]) == 9
    assert [p for p, _ in listed] == list(actions["patient_id"][actions["group"] != "On track"])
    reasons = actions.set_index("patient_id")["reason"]
    assert reasons["P002"] == (
        "pain rising: about 3.2 points higher than at the start (trend +0.26 points a week); "
        "also low adherence: 61 of 86 sessions (71 %)"
    )
    assert reasons["P004"].startswith("note to read: it mentions saddle numbness, written 2026")
    assert reasons["P005"].startswith("pain rises after exercise: in 2 sessions of the last 14")
    assert reasons["P032"] == "low adherence: 44 of 71 sessions (62 %)"
    assert monitor["reason"].iloc[:-1].str.contains(" sessions (", regex=False).all()


def test_p002_with_rising_pain_is_called(sample_report):
    actions = sample_report.actions.set_index("patient_id")
    assert actions.loc["P002", "group"] == "Call"
    assert sample_report.pages[:2] == ("P004", "P002")


@pytest.mark.parametrize(
    "code",
    [
        *FLAGS,
        *EXCLUSION_REASONS,
        *words.REJECT_LABELS,
        "ISO 8601",
        "flag-name",
    ],
)
def test_the_report_speaks_no_code_names(sample_html, code):
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", sample_html, flags=re.S)
    assert code not in text


def test_words_cover_every_exclusion_and_reject_reason():
    assert set(words.EXCLUSION_LABELS) == set(EXCLUSION_REASONS)
    assert set(words.REJECT_LABELS) == {"missing", "invalid", "date_order", "future", "duplicate"}


def test_urgency_order_of_the_flags_is_pinned():
    assert URGENCY == (
        "red_flag_note",
        "pain_worsened",
        "pain_trend_up",
        "pain_rises_after_exercise",
        "stopped_logging",
        "low_adherence",
        "insufficient_baseline",
    )
    assert set(URGENCY) == set(FLAGS) and set(words.FLAG_LABELS) == set(FLAGS)


def flag_rows(*rows):
    return pd.DataFrame(
        {
            "patient_id": [r[0] for r in rows],
            "flag": [r[1] for r in rows],
            "date": pd.to_datetime([r[2] for r in rows]),
            "detail": "",
        }
    )


def test_attention_order_ranks_by_the_most_urgent_flag_then_its_date():
    flags = flag_rows(
        ("a", "insufficient_baseline", "2026-10-30"),
        ("b", "low_adherence", "2026-10-01"),
        ("b", "red_flag_note", "2026-09-01"),
        ("c", "red_flag_note", "2026-09-20"),
        ("d", "stopped_logging", "2026-10-20"),
        ("e", "stopped_logging", None),
        ("f", "pain_worsened", "2026-10-31"),
        ("g", "low_adherence", "2026-10-31"),
        ("h", "low_adherence", "2026-10-31"),
        ("h", "insufficient_baseline", "2026-08-01"),
    )
    order = attention_order(flags)
    assert list(order["patient_id"]) == ["c", "b", "f", "e", "d", "h", "g", "a"]
    assert list(order["top_flag"])[:3] == ["red_flag_note", "red_flag_note", "pain_worsened"]
    assert order.loc[order["patient_id"] == "b", "flags"].item() == "red_flag_note;low_adherence"
    assert pd.isna(order.loc[order["patient_id"] == "e", "top_date"].item())


def test_attention_order_of_no_flags_is_empty():
    assert attention_order(flag_rows()).empty


def test_hostile_note_is_escaped_and_quoted(small_report):
    html = small_report.html.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "fever &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<blockquote class="patient-note">fever &lt;script&gt;alert(1)&lt;/script&gt;' in html
    assert HOSTILE_NOTE in small_report.analysis.flags["detail"].iloc[-1]
    assert list(small_report.attention["patient_id"])[0] == "B2"


def test_a_page_quotes_exactly_the_notes_that_raised_the_flag(tmp_path):
    """C3 starts after as_of but wrote "feverish" before it: the analysis raises no flag.

    Before, the page searched the notes a second time, without the analysis' choice of
    patients, and quoted C3's note as one to read although no flag said so.
    """
    files = write_small_cohort(tmp_path / "in")
    with files["logs"].open("a", encoding="utf-8") as handle:
        handle.write("C3,2026-10-10T09:00,,2,feverish since Monday\n")
    result = make_report(
        files["logs"],
        files["prescriptions"],
        tmp_path / "out",
        as_of=files["as_of"],
        today=TODAY,
        pdf=False,
    )
    html = result.html.read_text(encoding="utf-8")
    flagged = result.analysis.flags[result.analysis.flags["flag"] == "red_flag_note"]
    assert list(flagged["patient_id"]) == ["B2"]
    assert "C3" not in result.pages  # on track: not started yet
    assert "feverish since Monday" not in html
    assert html.count('<blockquote class="patient-note">') == len(flagged) == 1


def test_counts_in_the_report_are_written_whole(sample_html):
    assert re.search(r"\d\.0 (of|/|sessions|days|patients|prescribed)", sample_html) is None
    assert re.search(r"Sessions: \d+ of \d+ prescribed sessions done", sample_html)


def test_report_refers_to_no_network(sample_html):
    assert re.search(r"(?i)https?:", sample_html) is None
    sources = re.findall(r'(?:src|href)="([^"]*)"', sample_html)
    assert sources
    assert all(s.startswith(("data:image/png;base64,", "#patient-")) for s in sources)
    assert "<link" not in sample_html and "@import" not in sample_html


def test_each_patient_not_on_track_has_a_page_in_plain_words(sample_report, sample_html):
    not_ok = sample_report.analysis.summary.query("priority != 'ok'")["patient_id"]
    assert sorted(sample_report.pages) == sorted(not_ok) and len(not_ok) == 31
    assert sample_html.count('<section class="patient"') == 31
    assert 'id="patient-P002"' in sample_html and 'id="patient-P008"' not in sample_html
    assert sample_report.pages[0] == "P004"
    assert "Sessions: 55 of 84 prescribed sessions done, a session adherence of 65 %" in (
        sample_html
    )
    assert "numbness in my groin since yesterday, worried</blockquote>" in sample_html


def test_definitions_are_stated(sample_html):
    assert "How the figures are computed" in sample_html
    assert "docs/analysis.md" in sample_html
    assert "Adherent means at least 80 %" in sample_html


#: The sample report's PDF pages, at most (measured).
PDF_PAGES = 38


@pytest.mark.needs("pdftotext", "pdffonts", "pdfinfo")
def test_pdf_text_has_as_of_and_every_flagged_patient(sample_report):
    text = subprocess.run(
        ["pdftotext", "-layout", str(sample_report.pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Figures as of 2026-10-31" in text
    assert "figures as of 2026-10-31" in text  # the page footer
    for patient in sample_report.pages:
        assert f"Patient {patient}" in text
    pages = subprocess.run(
        ["pdfinfo", str(sample_report.pdf)], capture_output=True, text=True, check=True
    ).stdout
    # 40 patients made 49 pages when every patient had one; 40 with pages only for the 31 not
    # on track; 38 once each patient page fitted one printed page.
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) <= PDF_PAGES
    fonts = subprocess.run(
        ["pdffonts", str(sample_report.pdf)], capture_output=True, text=True, check=True
    ).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded


def test_an_existing_report_is_not_overwritten(sample_report):
    with pytest.raises(
        ExportError,
        match=re.escape(
            f"{sample_report.output_dir / 'summary.csv'} already exists; nothing was written. "
            "Choose another output folder, or add --overwrite to replace the report's files"
        ),
    ):
        make_report(SAMPLE / "logs.csv", SAMPLE / "prescriptions.csv", sample_report.output_dir)


def test_an_existing_chart_stops_the_report_before_anything_is_written(tmp_path):
    files = write_small_cohort(tmp_path / "in")
    out = tmp_path / "out"
    (out / "charts").mkdir(parents=True)
    (out / "charts" / "patient-B2.png").write_bytes(b"old")
    with pytest.raises(ExportError, match=r"patient-B2\.png already exists; nothing was written"):
        make_report(files["logs"], files["prescriptions"], out, as_of=files["as_of"], pdf=False)
    assert sorted(p.name for p in out.rglob("*")) == ["charts", "patient-B2.png"]


def test_overwrite_replaces_an_earlier_report(tmp_path):
    files = write_small_cohort(tmp_path / "in")
    out = tmp_path / "out"
    options = {"as_of": files["as_of"], "today": TODAY, "pdf": False, "progress": False}
    make_report(files["logs"], files["prescriptions"], out, **options)
    (out / "summary.csv").write_text("old", encoding="utf-8")
    result = make_report(files["logs"], files["prescriptions"], out, overwrite=True, **options)
    assert (out / "summary.csv").read_text(encoding="utf-8").startswith("patient_id,as_of,")
    assert result.pdf is None and not (out / "report.pdf").exists()


def test_an_output_folder_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="taken is a file; give a folder"):
        make_report(SAMPLE / "logs.csv", SAMPLE / "prescriptions.csv", target)


def test_a_patient_whose_programme_has_not_started_is_on_track_without_a_page(small_report):
    html = small_report.html.read_text(encoding="utf-8")
    assert "C3" not in small_report.pages and "C3" not in small_report.charts
    assert "<strong>C3</strong>: programme starts on 2026-11-02" in html


def test_progress_bar_is_shown_when_asked(tmp_path, capsys):
    files = write_small_cohort(tmp_path / "in")
    make_report(
        files["logs"],
        files["prescriptions"],
        tmp_path / "out",
        as_of=files["as_of"],
        pdf=False,
        progress=True,
    )
    assert "Drawing dashboards" in capsys.readouterr().err


def test_thresholds_reach_the_analysis_and_the_words(tmp_path):
    files = write_small_cohort(tmp_path / "in")
    result = make_report(
        files["logs"],
        files["prescriptions"],
        tmp_path / "out",
        as_of=files["as_of"],
        pdf=False,
        adherent_at=0.5,
    )
    assert "Adherent means at least 50 %" in result.html.read_text(encoding="utf-8")
    with pytest.raises(TypeError, match="unknown threshold 'adherent'"):
        make_report(
            files["logs"], files["prescriptions"], tmp_path / "other", pdf=False, adherent=0.5
        )


def test_pages_go_to_patients_not_on_track_in_action_order_up_to_the_cap():
    assert (LARGE_COHORT, MAX_PATIENT_PAGES) == (50, 100)
    actions = pd.DataFrame(
        {
            "group": ["Call", "Review this week", "Monitor", "Ready to progress", "On track"],
            "patient_id": ["z", "b", "a", "r", "o"],
            "reason": "",
        }
    )
    assert pages_for(actions) == ["z", "b", "a"]
    many = pd.DataFrame({"group": "Monitor", "patient_id": [f"p{i:03d}" for i in range(150)]})
    assert pages_for(many) == list(many["patient_id"][:MAX_PATIENT_PAGES])


def test_chart_names_are_safe_and_distinct():
    assert chart_name("P001") == "patient-P001.png"
    unsafe = chart_name("../etc/passwd")
    assert "/" not in unsafe and re.fullmatch(r"patient-___etc_passwd_[0-9a-f]{16}\.png", unsafe)
    assert chart_name("a b") != chart_name("a_b")


# --- the words --------------------------------------------------------------------------------


def summary_row(**values):
    row = {
        "days_in_window": 30,
        "baseline_pain": 6.0,
        "current_pain": 3.0,
        "pain_change": -3.0,
        "pain_change_pct": -50.0,
        "improved": True,
        "worsened": False,
    }
    row.update(values)
    return pd.Series(row)


def test_the_definitions_quote_the_thresholds_given():
    quoted = dict(words.definitions(Thresholds(adherent_at=0.7, trend_rise_points=1.5)))
    assert "Adherent means at least 70 %" in quoted["Session adherence"]
    assert "climbs at least 1.5 points" in quoted["Flags"]
    assert "at least 28 window days" in quoted["Ready to progress"]


@pytest.mark.parametrize(
    ("values", "reading"),
    [
        ({}, "Clinically important improvement: at least 2 points and at least 30 % below"),
        (
            {"improved": False, "current_pain": 5.0, "pain_change": -1.0, "pain_change_pct": -17},
            "Lower than at baseline, but less than the clinically important change",
        ),
        (
            {"improved": False, "worsened": True, "current_pain": 8.0, "pain_change": 2.0},
            "Worse: at least 2 points above baseline.",
        ),
        (
            {"improved": False, "current_pain": 6.0, "pain_change": 0.0, "pain_change_pct": 0},
            "No important change from baseline.",
        ),
        ({"baseline_pain": None, "current_pain": None}, "No baseline: fewer than 3 of the first 7"),
        (
            {"current_pain": None, "days_in_window": 10},
            "Too early to judge: current pain needs a window of at least 14 days.",
        ),
        ({"current_pain": None}, "No current value: fewer than 3 of the last 7 window days"),
    ],
)
def test_pain_reading(values, reading):
    assert words.pain_reading(summary_row(**values), Thresholds()).startswith(reading)


def test_a_report_of_an_analysis_already_made_is_the_same(tmp_path):
    files = write_small_cohort(tmp_path / "in")
    made = make_report(
        files["logs"],
        files["prescriptions"],
        tmp_path / "made",
        as_of=files["as_of"],
        today=TODAY,
        pdf=False,
        progress=False,
    )
    reading = read_logs(files["logs"], today=TODAY)
    prescriptions = read_prescriptions(files["prescriptions"])
    library = load_library()
    routines = load_routines(prescriptions, library)
    analysis = analyse(reading.logs, prescriptions, routines, library, files["as_of"])
    written = write_report(
        analysis,
        reading,
        prescriptions,
        tmp_path / "written",
        logs_paths=[files["logs"]],
        prescriptions_path=files["prescriptions"],
        pdf=False,
        progress=False,
    )
    assert [p.name for p in written.files] == [p.name for p in made.files]
    for name in ("summary.csv", "weekly.csv", "flags.csv", "excluded.csv", "rejects.csv"):
        assert (tmp_path / "written" / name).read_bytes() == (
            tmp_path / "made" / name
        ).read_bytes(), name
    assert written.html.read_text() == made.html.read_text()


def test_a_report_of_an_analysis_names_the_files_it_was_read_from(small_report, tmp_path):
    written = write_report(
        small_report.analysis,
        small_report.reading,
        small_report.prescriptions,
        tmp_path,
        pdf=False,
        progress=False,
    )
    html = written.html.read_text()
    assert "<tr><th>Log files</th><td>logs.csv</td></tr>" in html
    assert "<tr><th>Prescriptions</th><td>-</td></tr>" in html


def test_the_dashboards_quote_the_thresholds_the_report_ran_with(tmp_path, monkeypatch):
    # The bug of issue 9: the words said 50 % while the dashboard legend still said 80 %.
    legends = []
    real = drawing.patient_dashboard

    def spying(analysis, patient_id, fig=None, **options):
        figure = real(analysis, patient_id, fig, **options)
        legends.extend(
            text.get_text()
            for ax in figure.axes
            if ax.get_legend() is not None
            for text in ax.get_legend().get_texts()
        )
        return figure

    monkeypatch.setattr(drawing, "patient_dashboard", spying)
    files = write_small_cohort(tmp_path / "in")
    result = make_report(
        files["logs"],
        files["prescriptions"],
        tmp_path / "out",
        as_of=files["as_of"],
        today=TODAY,
        pdf=False,
        adherent_at=0.5,
        improved_points=1.5,
    )
    html = result.html.read_text(encoding="utf-8")
    assert "Adherent means at least 50 %" in html
    assert result.analysis.thresholds == Thresholds(adherent_at=0.5, improved_points=1.5)
    assert "target 50 %" in legends and "target 80 %" not in legends
    assert "baseline - 1.5" in legends


def test_an_unknown_threshold_stops_the_report_before_reading(tmp_path):
    with pytest.raises(TypeError, match=r"unknown threshold 'target'; allowed: .*adherent_at"):
        make_report(tmp_path / "none.csv", tmp_path / "none.csv", tmp_path / "out", target=0.5)


def test_ready_to_progress_names_the_next_routine(sample_report):
    following = next_routines(sample_report.prescriptions, AS_OF, load_library())
    assert following["P002"] == "back-strength-progression"  # gentle-back-stretches names it
    assert following["P001"] is None  # already on back-strength-progression
    summary = sample_report.analysis.summary.copy()
    summary.loc[summary["patient_id"] == "P016", "ready_to_progress"] = True
    analysis = dataclasses.replace(sample_report.analysis, summary=summary)
    actions = action_list(analysis, {"P016": "back-strength-progression"})
    ready = actions[actions["group"] == "Ready to progress"]
    assert list(ready["patient_id"]) == ["P016"]
    assert ready["reason"].item() == (
        "move on to back-strength-progression: recent adherence 100 %, pain now 1.8"
    )
    assert "P016" not in pages_for(actions)
    assert (
        action_list(analysis, {})
        .set_index("patient_id")
        .loc["P016", "reason"]
        .startswith("the current routine names no next routine; choose one")
    )
    unknown = action_list(analysis).set_index("patient_id")["reason"]
    assert unknown["P016"].startswith("ready for the next routine: recent adherence 100 %")
    found = action_list(analysis, prescriptions=sample_report.prescriptions)
    assert found.equals(action_list(analysis, following))  # the next routines found alike


def test_log_files_given_as_a_generator_are_each_read(sample_report, tmp_path):
    result = make_report(
        (path for path in [SAMPLE / "logs.csv"]),
        SAMPLE / "prescriptions.csv",
        tmp_path / "report",
        as_of="2026-10-31",
        today="2026-11-30",
        pdf=False,
        progress=False,
    )
    assert result.reading.report.rows_used == sample_report.reading.report.rows_used > 0
