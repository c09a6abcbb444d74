"""Where the indexes live on disk, the single-writer lock, and generations.

Layout under SEARCH_INDEX_DIR::

    .writer.lock            flock held by whoever writes any index (drain, rebuild, backup)
    <name>/CURRENT          the generation readers open, e.g. "3" (replaced atomically)
    <name>/gen-000003/      a Whoosh index
    <name>/gen-000004.build-<pid>/   a rebuild in progress, invisible to readers

A rebuild writes a new generation folder, renames it into place, then replaces CURRENT with
os.replace: readers see the old index or the new one, never a half-built one. The previous
generation is kept (a reader in another process may still have it open); older ones are removed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.index import Index

LOCK_FILE = ".writer.lock"
POINTER = "CURRENT"
GEN_PREFIX = "gen-"
BUILD_MARK = ".build-"


class LockTimeout(Exception):
    """The index writer lock stayed busy longer than the caller was willing to wait."""


def index_root(app: Flask) -> Path:
    return Path(app.config["SEARCH_INDEX_DIR"])


@contextmanager
def writer_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the one writer lock of every index under `root` (None: wait as long as it takes).

    flock locks belong to the open file, so two threads of one process exclude each other too,
    and the kernel releases the lock when a process dies.
    """
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise LockTimeout(f"The search index writer lock in {root} is busy.") from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def generation(root: Path, name: str) -> int:
    """The generation readers should open, 0 when the index was never built."""
    try:
        return int((root / name / POINTER).read_text().strip() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def generation_dir(root: Path, name: str, gen: int) -> Path:
    return root / name / f"{GEN_PREFIX}{gen:06d}"


def open_current(root: Path, name: str) -> tuple[int, Index] | None:
    """Open the current generation of an index, or None when it does not exist yet."""
    gen = generation(root, name)
    if gen == 0:
        return None
    return gen, whoosh_index.open_dir(str(generation_dir(root, name, gen)))


def new_build_dir(root: Path, name: str) -> tuple[int, Path]:
    """A fresh folder for the next generation (caller holds the writer lock)."""
    gen = generation(root, name) + 1
    build = root / name / f"{GEN_PREFIX}{gen:06d}{BUILD_MARK}{os.getpid()}"
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    return gen, build


def publish(root: Path, name: str, gen: int, build: Path) -> None:
    """Move a finished build into place and point readers at it (caller holds the lock)."""
    final = generation_dir(root, name, gen)
    shutil.rmtree(final, ignore_errors=True)
    os.rename(build, final)
    pointer = root / name / POINTER
    partial = pointer.with_suffix(f".{os.getpid()}.tmp")
    with open(partial, "w", encoding="ascii") as handle:
        handle.write(f"{gen}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, pointer)
    _fsync_dir(root / name)
    _remove_old_generations(root, name, keep_from=gen - 1)


def create_empty(root: Path, name: str, schema: Schema) -> None:
    """Create generation 1 of an index with no documents (caller holds the writer lock)."""
    gen, build = new_build_dir(root, name)
    whoosh_index.create_in(str(build), schema)
    publish(root, name, gen, build)


def _remove_old_generations(root: Path, name: str, keep_from: int) -> None:
    for child in (root / name).iterdir():
        if not child.name.startswith(GEN_PREFIX):
            continue
        if BUILD_MARK in child.name:
            shutil.rmtree(child, ignore_errors=True)  # a build abandoned by a dead process
            continue
        try:
            number = int(child.name[len(GEN_PREFIX) :])
        except ValueError:
            continue
        if number < keep_from:
            shutil.rmtree(child, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
