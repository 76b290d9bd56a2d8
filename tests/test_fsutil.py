"""Atomic writes leave ordinary files: readable like any other new file, modes of old ones kept;
a symlink is followed, a FIFO written through, a directory refused."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pathway_export.errors import WriteError
from pathway_export.fsutil import atomic_write_bytes


def test_new_file_gets_the_usual_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        path = atomic_write_bytes(tmp_path / "a.xml", b"<a/>")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name != "a.xml"]


def test_replaced_file_keeps_its_mode(tmp_path):
    path = tmp_path / "b.xml"
    path.write_bytes(b"old")
    path.chmod(0o640)
    atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o640


def test_symlink_is_followed_and_kept(tmp_path):
    real = tmp_path / "real.xml"
    real.write_bytes(b"old")
    real.chmod(0o600)
    link = tmp_path / "link.xml"
    link.symlink_to(real)
    assert atomic_write_bytes(link, b"new") == link
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert real.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.xml", "real.xml"]


def test_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.xml"
    link.symlink_to(tmp_path / "sub" / "made.xml")
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and (tmp_path / "sub" / "made.xml").read_bytes() == b"new"


def _read_fifo(path, into: list) -> threading.Thread:
    def read():
        with open(path, "rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _read_fifo(fifo, received)
    atomic_write_bytes(fifo, b"x" * 200_000)  # more than a pipe buffer holds
    reader.join(timeout=10)
    assert received == [b"x" * 200_000]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_symlink_to_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(fifo)
    received: list[bytes] = []
    reader = _read_fifo(fifo, received)
    atomic_write_bytes(link, b"data")
    reader.join(timeout=10)
    assert received == [b"data"] and link.is_symlink() and stat.S_ISFIFO(fifo.stat().st_mode)


def test_directory_is_refused_by_name(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(WriteError, match=r"folder: it is a directory; name a file"):
        atomic_write_bytes(folder, b"data")
    assert list(folder.iterdir()) == []


def test_cli_import_writes_through_a_fifo_and_follows_a_symlink(tmp_path):
    """``import FILE -o`` on a FIFO and a symlink, as a user runs it (a new process)."""
    source = Path(__file__).parent / "data" / "sbml" / "rich.sbml.xml"
    real = tmp_path / "model.yaml"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    command = [sys.executable, "-m", "pathway_export", "import", str(source), "-o"]
    done = subprocess.run([*command, str(link)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("id:")

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = _read_fifo(fifo, received)
    done = subprocess.run([*command, str(fifo), "--no-progress"], capture_output=True, text=True,
                          timeout=300)
    reader.join(timeout=10)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0] == real.read_bytes()


def test_link_to_an_anonymous_pipe_is_written_through(tmp_path):
    """As ``--output /dev/stdout`` when standard output is a pipe: the link names a pipe that has
    no path of its own to rename over (here a temporary link to a pipe of this process)."""
    read_end, write_end = os.pipe()
    try:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{write_end}")
        atomic_write_bytes(link, b"report\n")
        assert os.read(read_end, 100) == b"report\n"
        assert link.is_symlink() and [p.name for p in tmp_path.iterdir()] == ["stdout"]
    finally:
        os.close(read_end)
        os.close(write_end)
