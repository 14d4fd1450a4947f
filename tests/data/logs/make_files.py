"""Re-create the binary and encoded test logs in this folder (run from the repo root).

The plain-text files are written by hand; this script writes those whose bytes matter
(encodings, BOM, CRLF) and the Parquet and FHIR files, so that they can be regenerated.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).parent


def main() -> None:
    (HERE / "semicolon_bom_dayfirst.csv").write_bytes(
        b"\xef\xbb\xbf"
        + (
            b"Patient ID;Date;Exercise;Done;Sets;Reps;Side;Pain (0-10);Pain after;Note\r\n"
            b"P01;03/08/2026 07:30;pelvic-tilt;Yes;2;10;;7/10;6;\r\n"
            b'P01;04/08/2026;pelvic-tilt;no;;;;8/10;;"too sore; stopped"\r\n'
            b";;;;;;;;;\r\n"
            b"P02;13/08/2026 18:05;clamshell;Y;2;10;Left;3;3;\r\n"
            b"P02;31/02/2026 18:05;clamshell;Y;2;10;Right;3;3;\r\n"
        )
    )
    (HERE / "cp1252_accents.csv").write_bytes(
        (
            "patient_id,timestamp,exercise_id,pain_before,notes\r\n"
            "José Müller,2026-08-03,cat-cow,5,douleur légère – ça va\r\n"
            "Zoë Ørsted,2026-08-04,cat-cow,4,\r\n"
        ).encode("cp1252")
    )
    (HERE / "utf16_tab.txt").write_bytes(
        "patient_id\ttimestamp\tpain_before\r\nP01\t2026-08-03\t5\r\n".encode("utf-16")
    )
    frame = pd.DataFrame(
        {
            "patient_id": ["P01", "P01", "P02"],
            "timestamp": pd.to_datetime(
                ["2026-08-03 07:30", "2026-08-04 07:45", "2026-08-03 19:00"]
            ),
            "exercise_id": ["bird-dog", "bird-dog", None],
            "completed": [True, False, True],
            "sets_done": [2, None, None],
            "pain_before": [5, 6, None],
        }
    )
    frame.to_parquet(HERE / "exercise_logs.parquet", index=False)
    (HERE / "image.png").write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
            "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )
    (HERE / "empty.csv").write_bytes(b"")


if __name__ == "__main__":
    main()
