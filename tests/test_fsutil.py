"""Atomic writes leave ordinary files: readable like any other new file, modes of old ones kept."""

from __future__ import annotations

import os

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
