"""Logs whose exercise ids are not the library's: the CLI warns, and --exercise-map fixes it."""

from __future__ import annotations

import argparse

import pandas as pd
import pytest
from locations import SAMPLE

from toolkit.cli import logs as cli_logs
from toolkit.cli import report as cli_report

PATIENTS = ["P002", "P004"]


def run(module, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="hepkit")
    module.add_parser(parser.add_subparsers())
    args = parser.parse_args([module.__name__.rsplit(".", 1)[1], *argv])
    return args.run(args)


@pytest.fixture(scope="module")
def app_cohort(tmp_path_factory):
    """Two sample patients, logged by an app that writes pelvic_tilt for pelvic-tilt."""
    folder = tmp_path_factory.mktemp("app")
    logs = pd.read_csv(SAMPLE / "logs.csv", dtype=str, keep_default_na=False)
    logs = logs[logs["patient_id"].isin(PATIENTS)]
    logs["exercise_id"] = logs["exercise_id"].str.replace("-", "_")
    logs.to_csv(folder / "logs.csv", index=False)
    plan = pd.read_csv(SAMPLE / "prescriptions.csv", dtype=str, keep_default_na=False)
    plan[plan["patient_id"].isin(PATIENTS)].to_csv(folder / "prescriptions.csv", index=False)
    ids = sorted(set(logs["exercise_id"]) - {""})
    with (folder / "map.csv").open("w") as handle:
        handle.write("as_written,exercise_id\n")
        handle.writelines(f"{name},{name.replace('_', '-')}\n" for name in ids)
    unmatched = (logs["exercise_id"].str.contains("_")).mean()
    assert unmatched > 0.9  # the case of the issue: about 90 % of the rows
    return folder


def report(folder, out, *extra):
    return run(
        cli_report,
        str(folder / "logs.csv"),
        "--prescriptions",
        str(folder / "prescriptions.csv"),
        "--as-of",
        "2026-10-31",
        "--today",
        "2026-10-31",
        "--output",
        str(out),
        "--no-pdf",
        *extra,
    )


def test_report_warns_about_ids_that_match_no_routine_exercise(app_cohort, tmp_path, capsys):
    assert report(app_cohort, tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert err.startswith(
        "hepkit report: warning: exercise ids that match no exercise of the patient's routine "
        "make up more than 10% of the exercise rows of 2 patients; those rows count for no "
        "session:\n"
    )
    assert "  single_knee_to_chest: " in err
    assert "(did you mean single-knee-to-chest?)" in err
    assert "map them with --exercise-map FILE" in err
    excluded = pd.read_csv(tmp_path / "out" / "excluded.csv")
    assert (excluded["reason"] == "not_in_routine").sum() > 700
    assert "single_knee_to_chest" in set(excluded["exercise_id"])  # as written
    banner = (tmp_path / "out" / "report.html").read_text().split('class="banner"')[1]
    banner = banner.split("</div>")[0]
    assert "<h2>The logs look incomplete</h2>" in banner
    assert (
        "<p>Exercise ids that match no exercise of the patient&#39;s routine make up more than "
        "10% of the exercise rows of 2 patients; those rows count for no session:\n"
    ) in banner
    assert "  single_knee_to_chest: " in banner
    assert "(did you mean single-knee-to-chest?)" in banner
    assert "map them with an exercise map (hepkit report --exercise-map FILE)" in banner


def test_with_the_map_the_rows_count_and_nothing_is_said(app_cohort, tmp_path, capsys):
    out = tmp_path / "out"
    assert report(app_cohort, out, "--exercise-map", str(app_cohort / "map.csv")) == 0
    assert "warning" not in capsys.readouterr().err
    assert 'class="banner"' not in (out / "report.html").read_text()
    excluded = pd.read_csv(out / "excluded.csv")
    assert (excluded["reason"] == "not_in_routine").sum() == 0
    summary = pd.read_csv(out / "summary.csv")
    assert (summary["sessions_done"] > 10).all()


def test_a_bad_map_stops_the_report_with_exit_2(app_cohort, tmp_path, capsys):
    bad = tmp_path / "map.csv"
    bad.write_text("as_written,exercise_id\npelvic_tilt,pelvic-tlt\n")
    assert report(app_cohort, tmp_path / "out", "--exercise-map", str(bad)) == 2
    assert capsys.readouterr().err == (
        f"hepkit report: {bad}: 'pelvic_tilt' maps to 'pelvic-tlt', which is not in the "
        "exercise library; did you mean pelvic-tilt?\n"
    )
    assert not (tmp_path / "out").exists()


def test_logs_warns_and_maps(app_cohort, capsys):
    assert run(cli_logs, str(app_cohort / "logs.csv"), "--today", "2026-10-31") == 0
    err = capsys.readouterr().err
    assert err.startswith("hepkit logs: warning: ")
    assert "exercise rows name no exercise of the library; they will count for no session:" in err
    assert "  pelvic_tilt: " in err and "(did you mean pelvic-tilt?)" in err
    mapped = ["--exercise-map", str(app_cohort / "map.csv")]
    assert run(cli_logs, str(app_cohort / "logs.csv"), "--today", "2026-10-31", *mapped) == 0
    assert capsys.readouterr().err == ""
