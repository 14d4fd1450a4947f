"""Every real-world shape of log file in tests/data/logs/, with its rejects pinned."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from locations import LOG_FILES

from toolkit.errors import LogFormatError, MissingColumnsError, NotALogError, Reason
from toolkit.logs.reading import LOG_COLUMNS, REJECT_COLUMNS, read_logs

LOGS = LOG_FILES
TODAY = dt.date(2026, 11, 25)


def read(name: str, **options):
    return read_logs(LOGS / name, today=TODAY, **options)


def rejects_of(reading) -> list[tuple]:
    return [
        tuple(r)
        for r in reading.rejects[["row", "column", "value", "reason"]].itertuples(index=False)
    ]


def test_comma_file_reads_every_row_with_canonical_dtypes():
    logs, rejects, report = read("comma.csv")
    assert list(logs.columns) == list(LOG_COLUMNS)
    assert logs.dtypes.astype(str).to_dict() == {
        "patient_id": "str",
        "timestamp": "datetime64[us]",
        "exercise_id": "str",
        "completed": "bool",
        "sets_done": "Int64",
        "reps_done": "Int64",
        "duration_s": "Float64",
        "side": "str",
        "pain_before": "Int64",
        "pain_after": "Int64",
        "notes": "str",
        "entry_id": "str",
        "date": "datetime64[us]",
        "has_time": "bool",
        "utc_offset_min": "Int64",
        "source": "str",
        "row": "int64",
    }
    assert rejects.empty and list(rejects.columns) == list(REJECT_COLUMNS)
    assert logs["row"].tolist() == [2, 3, 4, 5, 6]
    assert logs["completed"].tolist() == [True, True, True, True, False]
    assert logs["side"].tolist()[1:3] == ["left", "right"]
    assert logs.loc[3, "duration_s"] == 600.0
    assert logs.loc[3, "utc_offset_min"] == 120
    assert logs.loc[3, "timestamp"] == pd.Timestamp("2026-08-03 18:00")
    assert logs.loc[3, "notes"] == "felt good, walked to the park"
    assert not logs.loc[4, "has_time"] and logs.loc[4, "timestamp"] == pd.Timestamp("2026-08-04")
    assert (report.rows_read, report.rows_used, report.rows_rejected) == (5, 5, 0)


def test_semicolon_bom_crlf_dayfirst():
    reading = read("semicolon_bom_dayfirst.csv", dayfirst=True)
    assert reading.report.details["semicolon_bom_dayfirst.csv"] == {
        "encoding": "utf-8-sig",
        "delimiter": "semicolon",
    }
    assert reading.logs["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-08-03",
        "2026-08-04",
        "2026-08-13",
    ]
    assert reading.logs["pain_before"].tolist() == [7, 8, 3]
    assert reading.logs["notes"].tolist()[1] == "too sore; stopped"
    assert reading.report.blank_lines == 1
    assert rejects_of(reading) == [
        (6, "timestamp", "31/02/2026 18:05", "invalid: not a real date in day/month/year order")
    ]


def test_day_first_dates_without_the_order_stated_are_rejected_not_guessed():
    reading = read("semicolon_bom_dayfirst.csv")
    assert reading.logs.empty
    assert set(reading.rejects["reason"].str.split(":").str[0]) == {"date_order"}
    assert reading.report.reasons == {"date_order": 4}


def test_month_first_reads_the_same_text_the_other_way():
    reading = read("semicolon_bom_dayfirst.csv", dayfirst=False)
    assert reading.logs["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-08", "2026-04-08"]
    assert (
        reading.rejects["reason"].tolist()
        == ["invalid: not a real date in month/day/year order"] * 2
    )


def test_windows_1252_with_accents():
    reading = read("cp1252_accents.csv")
    assert reading.logs["patient_id"].tolist() == ["José Müller", "Zoë Ørsted"]
    assert reading.logs["notes"].iloc[0] == "douleur légère – ça va"
    assert reading.report.details["cp1252_accents.csv"]["encoding"] == "windows-1252"


def test_utf16_tab_text_from_excel():
    reading = read("utf16_tab.txt")
    assert reading.logs["pain_before"].tolist() == [5]
    assert reading.report.details["utf16_tab.txt"] == {"encoding": "utf-16", "delimiter": "tab"}


def test_tab_separated():
    reading = read("tab.tsv")
    assert reading.logs["timestamp"].dt.strftime("%H:%M:%S").tolist() == ["07:30:00", "07:31:00"]


def test_parquet_with_typed_columns():
    logs, rejects, _ = read("exercise_logs.parquet")
    assert rejects.empty
    assert logs["row"].tolist() == [2, 3, 4]
    assert logs["completed"].tolist() == [True, False, True]
    assert logs["sets_done"].tolist()[0] == 2 and pd.isna(logs["sets_done"].iloc[1])
    assert logs["has_time"].all()


def test_fhir_bundle_with_a_pain_observation_from_another_system():
    logs, rejects, report = read("bundle.json")
    assert rejects.empty and report.rows_read == 6
    assert logs["pain_before"].tolist()[:1] == [6]
    foreign = logs.iloc[-1]
    assert (foreign["patient_id"], foreign["pain_before"], foreign["completed"]) == (
        "P03",
        8,
        False,
    )
    assert logs["utc_offset_min"].tolist()[0] == 120


def test_header_only_file_reads_as_zero_rows():
    logs, rejects, report = read("header_only.csv")
    assert logs.empty and rejects.empty
    assert list(logs.columns) == list(LOG_COLUMNS)
    assert report.rows_read == 0 and report.first_date is None


BROKEN_REJECTS = [
    (5, "patient_id", "", "missing: no patient id"),
    (6, "timestamp", "", "missing: no date"),
    (7, "completed", "maybe", "invalid: completed is yes/no, true/false, 1/0 or y/n"),
    (7, "sets_done", "-1", "invalid: not a whole number 0 or more"),
    (7, "side", "up", "invalid: side is left, right or both"),
    (7, "pain_before", "7.5", "invalid: not a whole number; pain is a whole number 0 to 10"),
    (7, "pain_after", "11", "invalid: outside 0 to 10; pain is a whole number 0 to 10"),
    (8, "", "P01,2026-08-06,cat-cow,2,10", "invalid: the line has 5 fields; the header has 10"),
    (9, "pain_before", "high", "invalid: not a number; pain is a whole number 0 to 10"),
    (9, "pain_after", "7/8", "invalid: a fraction other than N/10; pain is a whole number 0 to 10"),
    (
        10,
        "timestamp",
        "08/07/2026",
        "date_order: not ISO 8601 and the day/month order was not "
        "stated; pass dayfirst (True for 31/12/2026, False for 12/31/2026)",
    ),
    (12, "", "", "duplicate: identical to row 11"),
    (13, "timestamp", "2099-01-01", "future: dated after today (2026-11-25)"),
]


def test_broken_rows_are_rejected_one_line_per_bad_cell_and_numbered_like_a_spreadsheet():
    reading = read("broken_rows.csv")
    assert rejects_of(reading) == BROKEN_REJECTS
    # Row 4 repeats row 2 without a time and without entry_id: a paper log's second session.
    assert reading.logs["row"].tolist() == [2, 4, 11]
    report = reading.report
    assert (report.rows_read, report.rows_used, report.rows_rejected) == (11, 3, 8)
    assert (report.duplicates, report.future, report.blank_lines) == (1, 1, 1)
    assert report.reasons == {
        "missing": 2,
        "invalid": 3,
        "date_order": 1,
        "duplicate": 1,
        "future": 1,
    }
    # the codes are the members of the one list of reason codes, shared with prescriptions
    assert {Reason(code) for code in report.reasons} == {
        Reason.MISSING,
        Reason.INVALID,
        Reason.DATE_ORDER,
        Reason.DUPLICATE,
        Reason.FUTURE,
    }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "routine.yaml",
            r"routine\.yaml: looks like a YAML document \(a routine or exercise file\?\), not a log",
        ),
        ("image.png", r"image\.png: this is a PNG image, not a log"),
        ("empty.csv", r"empty\.csv: the file is empty; a log needs a header row"),
        ("missing.csv", r"missing\.csv: file not found"),
    ],
)
def test_files_that_are_not_logs(name, message):
    with pytest.raises(NotALogError, match=message):
        read(name)


def test_a_file_without_header_lists_the_columns_found():
    with pytest.raises(
        MissingColumnsError,
        match=(
            r"no_header\.csv: not a log: no patient_id and no timestamp column \(columns found: "
            r"'P01', '2026-08-03', '5'\); rename the columns to names hepkit knows "
            r"\(docs/analysis\.md, section 9\)"
        ),
    ):
        read("no_header.csv")


def test_missing_timestamp_suggests_the_nearest_header(tmp_path):
    path = tmp_path / "near.csv"
    path.write_text("patient,Dates taken,pain\nP01,2026-08-03,4\n")
    with pytest.raises(
        MissingColumnsError, match=r"no timestamp column .*timestamp: nearest 'Dates taken'"
    ):
        read_logs(path, today=TODAY)


def test_a_clinic_mapping_names_its_own_columns():
    reading = read("wrong_columns.csv", mapping={"Day": "timestamp", "Remark": "notes"})
    assert reading.logs[["patient_id", "notes"]].values.tolist() == [["P01", "hi"]]


def test_a_mapping_to_an_unknown_column_is_refused():
    with pytest.raises(
        LogFormatError,
        match=r"mapping 'Day' -> 'time': 'time' is not a log column \(nearest: timestamp\)",
    ):
        read("wrong_columns.csv", mapping={"Day": "time"})


def test_two_columns_with_one_meaning_are_refused(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("patient_id,Date,DateTime\nP01,2026-08-03,2026-08-03\n")
    with pytest.raises(LogFormatError, match=r"columns 'Date' and 'DateTime' both mean timestamp"):
        read_logs(path, today=TODAY)


@pytest.fixture
def workbook(tmp_path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Logs"
    sheet.append(["Patient ID", "Date", "Exercise", "Sets", "Pain (0-10)", "Done"])
    sheet.append(["P01", dt.datetime(2026, 8, 3, 7, 30), "cat-cow", 2, 5, True])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["P01", dt.date(2026, 8, 4), "cat-cow", 2.0, "7/10", "no"])
    sheet.append(["P02", "2026-08-05", "cat-cow", 2.5, 12, "yes"])
    path = tmp_path / "logs.xlsx"
    book.save(path)
    return path


def test_excel_workbook_uses_the_sheets_row_numbers(workbook):
    logs, rejects, report = read_logs(workbook, today=TODAY)
    assert logs["row"].tolist() == [2, 4]
    assert logs["has_time"].tolist() == [True, False]
    assert logs["sets_done"].tolist() == [2, 2]
    assert logs["pain_before"].tolist() == [5, 7]
    assert logs["completed"].tolist() == [True, False]
    assert rejects_of(type("R", (), {"rejects": rejects})) == [
        (5, "sets_done", "2.5", "invalid: not a whole number 0 or more"),
        (5, "pain_before", "12", "invalid: outside 0 to 10; pain is a whole number 0 to 10"),
    ]
    assert report.blank_lines == 1 and report.details["logs.xlsx"] == {"sheet": "Logs"}


def test_a_far_cell_in_a_workbook_costs_nothing(workbook, tmp_path):
    """One cell at XFD1048576 makes the sheet's size the whole grid; only filled cells count."""
    from bounded import run_bounded

    book = openpyxl.load_workbook(workbook)
    book["Logs"]["XFD1048576"] = "far away"
    book.create_sheet("Notes").append(["see the other sheet", "please"])
    bomb = tmp_path / "far.xlsx"
    book.save(bomb)
    assert bomb.stat().st_size < 10_000
    prescriptions = tmp_path / "prescriptions.xlsx"
    table = openpyxl.Workbook()
    table.active.append(["patient_id", "routine", "start", "end"])
    table.active.append(["P01", "gentle-back-stretches", "2026-08-01", None])
    table.active["XFD1048576"] = 1
    table.save(prescriptions)
    result = run_bounded(
        f"""
        import time
        from toolkit.logs.reading import read_logs
        from toolkit.logs.prescriptions import read_prescriptions
        start = time.perf_counter()
        logs, rejects, report = read_logs({str(bomb)!r}, today="2026-11-25")
        print(logs["row"].tolist(), report.blank_lines, report.details["far.xlsx"])
        print(read_prescriptions({str(prescriptions)!r})["patient_id"].tolist())
        print(f"{{time.perf_counter() - start:.1f}}")
        """,
        timeout_s=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows, patients, seconds = result.stdout.splitlines()
    assert rows == "[2, 4] 1 {'sheet': 'Logs', 'other sheets': 'Notes'}"
    assert patients == "['P01']"
    assert float(seconds) < 5, seconds


def test_several_files_at_once_keep_their_source(tmp_path):
    shutil.copy(LOGS / "tab.tsv", tmp_path / "b.tsv")
    reading = read_logs([LOGS / "comma.csv", tmp_path / "b.tsv"], today=TODAY)
    assert reading.logs["source"].tolist() == ["comma.csv"] * 5 + ["b.tsv"] * 2
    assert reading.report.sources == ("comma.csv", "b.tsv")
    assert reading.report.patients == 2


def test_one_very_long_row_is_rejected_and_the_others_are_read(tmp_path):
    from toolkit.logs.formats import MAX_ROW_BYTES

    good = "P01,2026-08-0{}T07:30,cat-cow,true,fine\n"
    path = tmp_path / "long.csv"
    path.write_text(
        "patient_id,timestamp,exercise_id,completed,notes\n"
        + good.format(3)
        + "P01,2026-08-04T07:30,cat-cow,true,"
        + "x" * 3_000_000
        + "\n"
        + good.format(5),
        encoding="utf-8",
    )
    logs, rejects, report = read_logs(path, today=TODAY)
    assert logs["row"].tolist() == [2, 4]
    assert rejects_of(type("R", (), {"rejects": rejects})) == [
        (
            3,
            "",
            ("P01,2026-08-04T07:30,cat-cow,true," + "x" * 200)[:200],
            "invalid: the row is 3,000,030 bytes long; a log row may have at most 1,000,000",
        )
    ]
    assert rejects["source"].tolist() == ["long.csv"]
    assert MAX_ROW_BYTES == 1_000_000


def test_a_file_past_the_size_limit_is_refused_by_name(tmp_path):
    from toolkit.logs.formats import MAX_INPUT_BYTES

    assert MAX_INPUT_BYTES == 2 * 1024**3
    with pytest.raises(
        NotALogError,
        match=r"^/dev/zero: not read: larger than the limit of 1,000 bytes; split the file, or "
        r"raise the limit \(max_bytes, or toolkit.logs.formats.MAX_INPUT_BYTES\)$",
    ):
        read_logs("/dev/zero", today=TODAY, max_bytes=1000)
    regular = tmp_path / "big.csv"
    shutil.copy(LOGS / "comma.csv", regular)
    with pytest.raises(
        NotALogError, match=r"big.csv: not read: larger than the limit of 100 bytes"
    ):
        read_logs(regular, today=TODAY, max_bytes=100)
    assert len(read_logs(regular, today=TODAY, max_bytes=10_000).logs) == 5


def test_a_workbook_that_unpacks_past_the_limit_is_refused(workbook):
    with pytest.raises(
        NotALogError,
        match=r"logs.xlsx: not read: the workbook unpacks to [\d,]+ bytes, more than the limit of "
        r"6,000 bytes",
    ):
        read_logs(workbook, today=TODAY, max_bytes=6_000)
