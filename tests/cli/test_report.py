"""``hepkit report``: its options, messages and exit codes (0 written, 1 rejects, 2 refused)."""

from __future__ import annotations

import argparse
import re

import pytest
from report_data import write_small_cohort

from toolkit.cli import report as cli_report

TODAY = "2026-11-30"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="hepkit")
    cli_report.add_parser(parser.add_subparsers())
    args = parser.parse_args(["report", *argv])
    return args.run(args)


@pytest.fixture
def cohort(tmp_path):
    return write_small_cohort(tmp_path / "in")


def options(cohort, out, *extra):
    return [
        str(cohort["logs"]),
        "--prescriptions",
        str(cohort["prescriptions"]),
        "--as-of",
        cohort["as_of"],
        "--today",
        TODAY,
        "--output",
        str(out),
        *extra,
    ]


def test_exit_0_when_written_and_every_row_was_read(cohort, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(*options(cohort, out)) == 0
    printed = capsys.readouterr().out
    assert "Report as of 2026-10-20: 3 patients, 1 with flags;" in printed
    assert str(out / "report.pdf") in printed
    assert (out / "report.html").is_file() and (out / "report.pdf").is_file()


def test_exit_1_when_written_but_rows_were_rejected(tmp_path, capsys):
    cohort = write_small_cohort(tmp_path / "in", bad_row=True)
    out = tmp_path / "out"
    assert run(*options(cohort, out, "--no-pdf")) == 1
    printed = capsys.readouterr().out
    assert (
        f"1 log rows could not be read and are left out of every figure; they are listed in "
        f"{out / 'rejects.csv'}"
    ) in printed
    assert not (out / "report.pdf").exists()
    assert len((out / "rejects.csv").read_text(encoding="utf-8").splitlines()) == 2


def test_exit_2_for_a_file_that_is_not_a_log(cohort, tmp_path, capsys):
    not_a_log = tmp_path / "notes.txt"
    not_a_log.write_text("just some words\n", encoding="utf-8")
    argv = options(cohort, tmp_path / "out", "--no-pdf")
    argv[0] = str(not_a_log)
    assert run(*argv) == 2
    assert capsys.readouterr().err.startswith(f"hepkit report: {not_a_log}")
    assert not (tmp_path / "out" / "summary.csv").exists()


def test_exit_2_for_bad_prescriptions(cohort, tmp_path, capsys):
    cohort["prescriptions"].write_text(
        "patient_id,routine,start_date,end_date\nA1,no-such-routine,2026-10-01,\n",
        encoding="utf-8",
    )
    assert run(*options(cohort, tmp_path / "out", "--no-pdf")) == 2
    err = capsys.readouterr().err
    assert "1 problem in the prescriptions" in err and "no-such-routine" in err


def test_exit_2_for_an_unreadable_as_of(cohort, tmp_path, capsys):
    argv = options(cohort, tmp_path / "out", "--no-pdf")
    argv[argv.index("--as-of") + 1] = "last tuesday"
    assert run(*argv) == 2
    assert "as_of" in capsys.readouterr().err


def test_exit_2_and_nothing_replaced_when_the_report_exists(cohort, tmp_path, capsys):
    out = tmp_path / "out"
    assert run(*options(cohort, out, "--no-pdf")) == 0
    before = (out / "report.html").read_bytes()
    capsys.readouterr()
    assert run(*options(cohort, out, "--no-pdf")) == 2
    assert capsys.readouterr().err == (
        f"hepkit report: {out / 'summary.csv'} already exists; nothing was written. Choose "
        "another output folder, or add --overwrite to replace the report's files\n"
    )
    assert (out / "report.html").read_bytes() == before
    assert run(*options(cohort, out, "--no-pdf", "--overwrite")) == 0


def test_dayfirst_and_monthfirst_exclude_each_other(cohort, tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        run(*options(cohort, tmp_path / "out", "--dayfirst", "--monthfirst"))
    assert stop.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_prescriptions_and_output_are_required(cohort, capsys):
    with pytest.raises(SystemExit) as stop:
        run(str(cohort["logs"]))
    assert stop.value.code == 2
    assert "--prescriptions" in capsys.readouterr().err


def test_the_report_never_writes_over_a_file_it_reads(cohort, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    log = out / "rejects.csv"
    log.write_bytes(cohort["logs"].read_bytes())
    before = log.read_bytes()
    argv = options(cohort, out, "--no-pdf", "--overwrite")
    argv[0] = str(log)
    assert run(*argv) == 2
    assert capsys.readouterr().err == (
        f"hepkit report: {log} is one of the files being read ({log}); nothing was written, "
        "so that it is not lost; write the output somewhere else\n"
    )
    assert log.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["rejects.csv"]


def test_every_row_rejected_names_the_fix_in_command_line_words(tmp_path, capsys):
    cohort = write_small_cohort(tmp_path / "in")
    text = cohort["logs"].read_text(encoding="utf-8")
    dayfirst = tmp_path / "in" / "dayfirst.csv"
    dayfirst.write_text(
        re.sub(r"(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d)", r"\3/\2/\1 \4", text), encoding="utf-8"
    )
    out = tmp_path / "out"
    argv = options(cohort, out, "--no-pdf")
    argv[0] = str(dayfirst)
    without_as_of = [a for a in argv if a not in ("--as-of", cohort["as_of"])]
    assert run(*without_as_of) == 2
    err = capsys.readouterr().err
    assert "the dates look like 31/12/2026: add --dayfirst or --monthfirst" in err
    assert "give the as-of date (--as-of YYYY-MM-DD)" in err
    assert run(*argv) == 1
    captured = capsys.readouterr()
    assert "Likely fix: the dates look like 31/12/2026: add --dayfirst or --monthfirst" in (
        captured.out
    )
    assert "hepkit report: No log row could be used" in captured.err
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<div class="banner" role="alert">' in html
    assert "a date could be day-first or month-first" in html


@pytest.mark.parametrize("phrase", ["give as_of", "overwrite=True", "pass a mapping", ":mod:"])
def test_no_message_speaks_python(cohort, tmp_path, capsys, phrase):
    out = tmp_path / "out"
    run(*options(cohort, out, "--no-pdf"))
    run(*options(cohort, out, "--no-pdf"))  # exists already
    empty = tmp_path / "in" / "empty.csv"
    empty.write_text("patient_id,timestamp\n", encoding="utf-8")
    argv = options(cohort, tmp_path / "other", "--no-pdf")
    argv[0] = str(empty)
    run(*[a for a in argv if a not in ("--as-of", cohort["as_of"])])
    wrong = tmp_path / "in" / "wrong.csv"
    wrong.write_text("who,when\nP1,2026-10-01\n", encoding="utf-8")
    argv[0] = str(wrong)
    run(*argv)
    captured = capsys.readouterr()
    assert phrase not in captured.out + captured.err
