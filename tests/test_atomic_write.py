"""Atomic writes: ``nm.dump`` either replaces the whole file or leaves it exactly as it was.

Failures are injected at every step (creating the temporary file, writing, fsync, chmod, the
rename); afterwards the original file is byte-identical, keeps its permission bits, and no
temporary file is left in the folder.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import newsmodel as nm
from newsmodel import document
from newsmodel.document import write_atomic

ORIGINAL = (
    b"---\n"
    b"category: news\n"
    b'title: "Original Title"\n'
    b'excerpt: "An article."\n'
    b'webUrl: "https://www.example.com/a"\n'
    b"type: article\n"
    b"provider:\n"
    b"  name: Example\n"
    b"  domain: example.com\n"
    b"---\n"
    b"Body.\n"
)


def enospc(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "article.md"
    path.write_bytes(ORIGINAL)
    path.chmod(0o640)
    return path


def edited(path: Path) -> nm.Document:
    doc = nm.load(path)
    doc.article = attrs.evolve(doc.article, title="Edited Title")
    return doc


def assert_untouched(path: Path) -> None:
    assert path.read_bytes() == ORIGINAL
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "a temporary file is left"


def test_dump_replaces_the_file_and_keeps_its_mode(target: Path) -> None:
    doc = edited(target)
    nm.dump(doc, target)
    assert target.read_bytes() == nm.dumps(doc).encode()
    assert b'title: "Edited Title"' in target.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.parametrize("mode", [0o600, 0o644, 0o664, 0o755, 0o400])
def test_permission_bits_are_kept(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(ORIGINAL)
    path.chmod(mode)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.md", ORIGINAL)
    finally:
        os.umask(umask)
    path = tmp_path / "new.md"
    assert path.read_bytes() == ORIGINAL
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["new.md"]


def test_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(ORIGINAL)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "real.md"]


def test_fsync_comes_before_the_rename(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is fsynced, then renamed, then its folder is fsynced (planted bug, issue 15:
    without the folder fsync a crash can lose the rename; the docstring promises it)."""
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    folder = os.stat(target.parent)

    def fsync(fd: int) -> None:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            assert (info.st_dev, info.st_ino) == (folder.st_dev, folder.st_ino)
            calls.append("fsync-folder")
        else:
            calls.append("fsync-file")
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        assert Path(src).parent == target.parent  # the temporary file is in the same folder
        calls.append("replace")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    nm.dump(edited(target), target)
    assert calls == ["fsync-file", "replace", "fsync-folder"]


def test_the_folder_fsynced_is_the_real_files_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written through a symlink, the folder fsynced is the real file's folder (where the
    rename happened), not the link's."""
    real_dir, link_dir = tmp_path / "real", tmp_path / "links"
    real_dir.mkdir()
    link_dir.mkdir()
    (real_dir / "a.md").write_bytes(ORIGINAL)
    (link_dir / "a.md").symlink_to(real_dir / "a.md")
    synced: list[tuple[int, int]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            synced.append((info.st_dev, info.st_ino))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(link_dir / "a.md", b"new")
    real = os.stat(real_dir)
    assert synced == [(real.st_dev, real.st_ino)]
    assert (real_dir / "a.md").read_bytes() == b"new"


class _FailingFile:
    """A file object that writes half the data, then fails."""

    def __init__(self, real: Any, error: BaseException) -> None:
        self.real = real
        self.error = error

    def write(self, data: bytes) -> int:
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise self.error

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def __enter__(self) -> _FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.real.close()


def _failing_fdopen(error: BaseException) -> Callable[..., Any]:
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        return _FailingFile(real_fdopen(fd, *args, **kwargs), error)

    return fdopen


def _deny(*args: Any, **kwargs: Any) -> Any:
    raise PermissionError(errno.EACCES, "Permission denied")


INJECTIONS: dict[str, tuple[str, str, Callable[..., Any], type[BaseException]]] = {
    # name: (module, attribute, replacement, expected exception)
    "disk-full-on-write": ("os", "fdopen", _failing_fdopen(OSError(errno.ENOSPC, "full")), OSError),
    "interrupted-mid-write": (
        "os",
        "fdopen",
        _failing_fdopen(KeyboardInterrupt()),
        KeyboardInterrupt,
    ),
    "bug-mid-write": ("os", "fdopen", _failing_fdopen(RuntimeError("boom")), RuntimeError),
    "disk-full-on-fsync": ("os", "fsync", enospc, OSError),
    "disk-full-on-rename": ("os", "replace", enospc, OSError),
    "chmod-denied": ("os", "chmod", _deny, PermissionError),
    "folder-not-writable": ("tempfile", "mkstemp", _deny, PermissionError),
}


@pytest.mark.parametrize("name", sorted(INJECTIONS))
def test_failure_leaves_the_original_untouched(
    name: str, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module_name, attribute, replacement, expected = INJECTIONS[name]
    doc = edited(target)
    module = {"os": os, "tempfile": tempfile}[module_name]
    monkeypatch.setattr(module, attribute, replacement)
    with pytest.raises(expected):
        nm.dump(doc, target)
    monkeypatch.undo()
    assert_untouched(target)
    assert nm.load(target).article.title == "Original Title"


def test_unlink_failure_does_not_hide_the_error(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the temporary file is already gone when the cleanup runs: the original error surfaces
    real_unlink = os.unlink

    def replace_after_losing_tmp(src: Any, dst: Any) -> None:
        real_unlink(src)
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", replace_after_losing_tmp)
    with pytest.raises(OSError, match="Input/output"):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert_untouched(target)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes into any folder"
)
def test_real_read_only_folder(target: Path) -> None:  # pragma: no cover - not as root
    folder = target.parent
    folder.chmod(0o555)
    try:
        with pytest.raises(PermissionError):
            nm.dump(edited(target), target)
    finally:
        folder.chmod(0o755)
    assert_untouched(target)


def test_missing_folder_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "nope" / "a.md", ORIGINAL)
    assert list(tmp_path.iterdir()) == []


def test_target_that_is_a_folder_is_not_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "x.md"
    folder.mkdir()
    (folder / "inside.md").write_bytes(ORIGINAL)
    with pytest.raises(OSError):
        write_atomic(folder, ORIGINAL)
    assert (folder / "inside.md").read_bytes() == ORIGINAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.md"]


def test_unwritable_document_never_touches_the_file(target: Path) -> None:
    doc = edited(target)
    doc.article = "not an article"  # type: ignore[assignment]
    with pytest.raises(TypeError):
        nm.dump(doc, target)
    assert_untouched(target)


def test_write_atomic_is_the_one_dump_uses(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, bytes]] = []
    monkeypatch.setattr(document, "write_atomic", lambda p, d: seen.append((os.fspath(p), d)))
    doc = edited(target)
    nm.dump(doc, target)
    assert seen == [(str(target), nm.dumps(doc).encode())]
    assert_untouched(target)


def test_the_file_is_complete_when_fsynced_and_named_as_a_hidden_temporary(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data is flushed before the file fsync (an fsync of a half-written buffer would
    make nothing durable), and the temporary file is ``.<name>.*.tmp`` beside the target."""
    data = b"x" * 100_000
    sizes: list[int] = []
    names: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        info = os.fstat(fd)
        if not stat.S_ISDIR(info.st_mode):
            sizes.append(info.st_size)
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        names.append(Path(src).name)
        assert Path(dst) == target
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_atomic(target, data)
    assert sizes == [len(data)]
    (name,) = names
    assert name.startswith(".article.md.") and name.endswith(".tmp")
    assert target.read_bytes() == data


def test_the_umask_is_left_as_it_was(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.md", b"x")
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(old)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_the_owner_is_kept(target: Path) -> None:  # pragma: no cover - only as root
    os.chown(target, 4321, 4321)
    write_atomic(target, b"new")
    info = target.stat()
    assert (info.st_uid, info.st_gid) == (4321, 4321)


def test_a_folder_that_cannot_be_opened_or_fsynced_is_no_error(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder fsync is best effort: some platforms and file systems refuse it."""
    real_open, real_fsync = os.open, os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "Invalid argument")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(target, b"one")
    assert target.read_bytes() == b"one"

    def no_folder_open(path: Any, flags: int, *args: Any) -> int:
        if Path(path) == target.parent:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_folder_open)
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"


def test_no_file_descriptor_is_left_open(target: Path) -> None:
    fds = Path("/proc/self/fd")
    if not fds.is_dir():  # pragma: no cover - not Linux
        pytest.skip("no /proc/self/fd")
    before = len(list(fds.iterdir()))
    for i in range(20):
        write_atomic(target, b"x" * i)
    assert len(list(fds.iterdir())) == before


def test_the_folder_is_opened_read_only_as_a_directory(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flags: list[int] = []
    real_open = os.open

    def spy(path: Any, f: int, *args: Any) -> int:
        if Path(path) == target.parent:
            flags.append(f)
        return real_open(path, f, *args)

    monkeypatch.setattr(os, "open", spy)
    write_atomic(target, b"x")
    (f,) = flags
    assert f & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) == 0  # read only, creates nothing
    assert f & getattr(os, "O_DIRECTORY", 0) == getattr(os, "O_DIRECTORY", 0)


def test_a_failing_fdopen_surfaces_its_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(ORIGINAL)

    def fdopen(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("no buffer")

    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(MemoryError, match="no buffer"):
        write_atomic(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == ORIGINAL
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_is_never_executable(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "new.md", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == mode


def test_an_owner_that_cannot_be_kept_is_no_error(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not allowed to give the file away (not root): the new file keeps the writer's owner."""
    calls: list[str] = []

    def chown(path: Any, uid: int, gid: int) -> None:
        calls.append(os.fspath(path))
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "chown", chown)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    (tmp,) = calls
    assert Path(tmp).parent == target.parent and Path(tmp).name.startswith(".article.md.")
