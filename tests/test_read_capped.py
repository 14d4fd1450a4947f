"""Reading an input file whole, but never more than a limit: regular files, pipes."""

from __future__ import annotations

import os
import threading

import pytest

from toolkit.storage import InputTooLargeError, read_capped


def test_a_file_is_read_whole_up_to_the_limit_and_refused_above(tmp_path) -> None:
    path = tmp_path / "logs.csv"
    data = bytes(range(256)) * 1000  # 256,000 bytes
    path.write_bytes(data)
    assert read_capped(path, len(data)) == data
    with pytest.raises(
        InputTooLargeError, match=r"logs\.csv: not read: larger than the limit of 255,999 bytes$"
    ):
        read_capped(path, len(data) - 1)
    (tmp_path / "empty.csv").write_bytes(b"")
    assert read_capped(tmp_path / "empty.csv", 10) == b""


@pytest.mark.parametrize("over", [False, True])
def test_a_pipe_has_no_size_and_is_read_in_chunks_up_to_the_limit(tmp_path, over) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    data = b"x" * ((3 << 24) + 5)  # longer than three chunks of 16 MiB

    def write() -> None:
        try:
            with open(fifo, "wb") as handle:
                handle.write(data)
        except BrokenPipeError:  # the reader stopped at the limit
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        if over:
            with pytest.raises(InputTooLargeError, match=r"fifo: not read: larger than the limit"):
                read_capped(fifo, len(data) - 1)
        else:
            assert read_capped(fifo, len(data)) == data
    finally:
        writer.join(timeout=10)
    assert not writer.is_alive()
