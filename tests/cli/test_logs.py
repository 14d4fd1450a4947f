"""``hepkit logs`` (its parser and run), pseudonyms, options and the report text."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
import pytest
from locations import LOG_FILES

from toolkit.cli import logs as cli_logs
from toolkit.errors import LogFormatError, PseudonymisationError
from toolkit.logs.privacy import MIN_SALT_CHARS, pseudonym, pseudonymise
from toolkit.logs.reading import empty_logs, read_logs

LOGS = LOG_FILES


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="hepkit")
    cli_logs.add_parser(parser.add_subparsers())
    args = parser.parse_args(["logs", *argv])
    return args.run(args)


def test_exit_0_when_every_row_is_read(capsys):
    assert run(str(LOGS / "comma.csv"), "--today", "2026-11-25") == 0
    out = capsys.readouterr().out
    assert "rows used              5" in out and "rows rejected          0" in out


def test_exit_1_and_rejects_file_when_rows_are_rejected(tmp_path, capsys):
    target = tmp_path / "rejects.csv"
    assert (
        run(str(LOGS / "broken_rows.csv"), "--today", "2026-11-25", "--rejects", str(target)) == 1
    )
    written = pd.read_csv(target, keep_default_na=False)
    assert list(written.columns) == ["source", "row", "column", "value", "reason"]
    assert len(written) == 13
    assert f"rejected rows written to {target} (13 lines)" in capsys.readouterr().out


def test_rejects_are_shown_when_not_written(capsys):
    assert run(str(LOGS / "broken_rows.csv"), "--today", "2026-11-25") == 1
    out = capsys.readouterr().out
    assert "  broken_rows.csv row 7, sets_done: '-1': invalid: not a whole number 0 or more" in out
    assert "... 3 more; use --rejects PATH to write all" in out


def test_exit_2_for_a_file_that_is_not_a_log(capsys):
    assert run(str(LOGS / "image.png")) == 2
    assert "hepkit logs: " in capsys.readouterr().err


def test_exit_2_for_bad_options(capsys):
    assert run(str(LOGS / "comma.csv"), "--clinic-tz", "Mars/Olympus") == 2
    assert "unknown time zone 'Mars/Olympus'" in capsys.readouterr().err
    assert run(str(LOGS / "comma.csv"), "--today", "25/11/2026") == 2


def test_dayfirst_and_monthfirst_exclude_each_other():
    with pytest.raises(SystemExit):
        run("x.csv", "--dayfirst", "--monthfirst")


def test_option_errors_are_pinned():
    with pytest.raises(
        LogFormatError, match=r"unknown time zone 'Nowhere'; use an IANA name such as Europe/Berlin"
    ):
        read_logs(LOGS / "comma.csv", clinic_tz="Nowhere")
    with pytest.raises(LogFormatError, match=r"today 'soon' is not a date; write it as YYYY-MM-DD"):
        read_logs(LOGS / "comma.csv", today="soon")
    with pytest.raises(LogFormatError, match=r"no log file given; name at least one file"):
        read_logs([])


def test_report_text():
    report = read_logs(LOGS / "broken_rows.csv", today="2026-11-25").report
    text = str(report)
    assert text.splitlines()[0] == "Read 1 file: broken_rows.csv"
    assert (
        "rows rejected          8  (date_order 1, duplicate 1, future 1, invalid 3, missing 2)"
        in text
    )
    assert "dates          2026-08-03 to 2026-08-08" in text


def test_empty_logs_has_the_documented_dtypes():
    reference = read_logs(LOGS / "comma.csv", today="2026-11-25").logs
    assert empty_logs().dtypes.equals(reference.dtypes)


SALT = "clinic secret 2026"


def test_pseudonyms_are_stable_keyed_and_prefixed():
    logs = read_logs(LOGS / "comma.csv", today="2026-11-25").logs
    shared = pseudonymise(logs, SALT)
    assert shared["patient_id"].iloc[0] == pseudonym("P01", SALT)
    assert shared["patient_id"].str.match(r"^p-[0-9a-f]{16}$").all()
    assert shared["patient_id"].nunique() == 2
    assert pseudonym("P01", "another secret 2026") != pseudonym("P01", SALT)
    assert logs["patient_id"].iloc[0] == "P01"  # the input is not changed
    with pytest.raises(PseudonymisationError, match=r"no 'client' column to pseudonymise"):
        pseudonymise(logs, SALT, column="client")


def test_source_entry_id_and_notes_leave_nothing_that_names_a_patient(tmp_path):
    named = tmp_path / "anna_smith_2026.csv"
    named.write_bytes((LOGS / "comma.csv").read_bytes())
    logs = read_logs(named, today="2026-11-25").logs
    shared = pseudonymise(logs, SALT)
    text = shared.astype(str).to_csv()
    for leak in ("anna_smith", "P01", "a1", "felt good"):
        assert leak not in text
    assert shared["source"].nunique() == 1 and shared["source"].iloc[0].startswith("file-")
    assert shared["entry_id"].str.match(r"^e-[0-9a-f]{16}$").all()
    assert shared["entry_id"].nunique() == logs["entry_id"].nunique()
    assert shared["notes"].isna().all()
    kept = pseudonymise(logs, SALT, keep_notes=True)
    assert kept["notes"].tolist() == logs["notes"].tolist()


@pytest.mark.parametrize(
    "ids",
    [
        pd.Series(["P01", "P02", "P01", None], dtype="category"),
        pd.Series([1001, 1002, 1001, 1003]),
        pd.Series([1001.0, 1002.0, 1001.0, np.nan]),
        pd.Series(["1001", "1002", "1001", None], dtype="string"),
    ],
)
def test_ids_of_every_type_get_pseudonyms(ids):
    shared = pseudonymise(pd.DataFrame({"patient_id": ids}), SALT)["patient_id"]
    assert shared.notna().sum() == ids.notna().sum()
    assert shared.dropna().astype(str).str.match(r"^p-[0-9a-f]{16}$").all()
    assert shared[0] == shared[2] != shared[1]
    assert shared[0] == pseudonym(ids[0], SALT)
    if ids.dtype == "int64" or ids.dtype == "float64" or str(ids.dtype) == "string":
        assert shared[0] == pseudonym("1001", SALT)  # 1001, 1001.0 and "1001": one patient


@pytest.mark.parametrize("salt", ["", "x", "fifteen chars!!", b"short"])
def test_a_salt_shorter_than_16_characters_is_refused(salt):
    frame = pd.DataFrame({"patient_id": ["P01"]})
    with pytest.raises(
        PseudonymisationError,
        match=r"the salt is too short \(\d+ characters\); pass a secret text of at least 16 "
        r"characters and keep it, so that later exports give the same pseudonyms",
    ):
        pseudonymise(frame, salt)
    assert MIN_SALT_CHARS == 16


def test_rejects_never_overwrite_a_log_being_read(tmp_path, capsys):
    from toolkit.cli.main import main

    log = tmp_path / "mylog.csv"
    log.write_bytes((LOGS / "broken_rows.csv").read_bytes())
    before = log.read_bytes()
    (tmp_path / "sub").mkdir()
    link = tmp_path / "same.csv"
    link.hardlink_to(log)
    for target in (log, tmp_path / "sub" / ".." / "mylog.csv", link):
        for extra in ([], ["--overwrite"]):
            assert main(["logs", str(log), "--rejects", str(target), *extra]) == 2
            assert capsys.readouterr().err == (
                f"hepkit logs: {target} is one of the files being read ({log}); nothing was "
                "written, so that it is not lost; write the output somewhere else\n"
            )
    assert log.read_bytes() == before


def test_an_existing_rejects_file_is_replaced_only_when_asked(tmp_path, capsys):
    from toolkit.cli.main import main

    target = tmp_path / "rejects.csv"
    target.write_text("keep me\n", encoding="utf-8")
    log = str(LOGS / "broken_rows.csv")
    assert main(["logs", log, "--today", "2026-11-25", "--rejects", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"hepkit logs: {target} already exists; nothing was written. Choose another file name, "
        "or use --overwrite to replace it\n"
    )
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert (
        main(["logs", log, "--today", "2026-11-25", "--rejects", str(target), "--overwrite"]) == 1
    )
    assert target.read_text(encoding="utf-8").startswith("source,row,column,value,reason\n")
    assert [p.name for p in tmp_path.iterdir()] == ["rejects.csv"]  # no temporary left
