"""A directory of output replaced whole: a run that is killed at any instant leaves the
old directory or the new one, never a mix of the two, and no temporary file.

The new files are written into a fresh directory beside the target (hidden, named after
it and this process), which then takes the target's place in one step: renameat2
RENAME_EXCHANGE on Linux swaps the two directories atomically, and the old one, now under
the temporary name, is removed. Files in the old directory that are not the run's own
(a report rendered there, notes) are carried into the new one first, as hard links.
Where no atomic exchange exists (another system, a file system without it) the old
directory is renamed aside and the new one into place: a kill between the two renames
leaves the target missing and the old directory beside it under its hidden name.

A directory that cannot take part in renames is updated in place instead: a mount
point, the working directory or one holding it, or one holding subdirectories or
special files (`--out .`, `--out ~`). There the `marker_last` file (SHA256SUMS) is
removed first and written last, so an interrupted run leaves a directory whose files
the marker does not vouch for — one that `evidence export` refuses.

Leftovers of a killed run (the hidden directory) are removed by the next run into the
same target, once their process is gone.
"""

import ctypes
import errno
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import InputError
from .jsonio import UMASK

_STAGING = ".genmei-new-"  # + the target's name, the process id, a random part
_STAGING_TAIL = re.compile(r"(\d+)\.[a-z0-9_]{8}")  # the process id, mkdtemp's random part


def replace_directory(target: str | Path, files: dict, owned: set[str], marker_last: str) -> None:
    """Make `target` hold `files` (name → bytes, or an object that writes itself in order:
    write_to(file); `marker_last` among them) and, of what it held before, only what is
    not in `owned` (the names a run writes)."""
    target = Path(os.path.realpath(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target.parent, _prefix(target))
        if target.exists() and _in_place(target):
            _remove_stale(target, _prefix(target))
            _replace_in_place(target, files, owned, marker_last)
        else:
            _replace_by_rename(target, files, owned)
    except OSError as e:
        raise InputError(f"--out {target}: cannot write ({e.strerror or e})") from None


def _prefix(target: Path) -> str:
    return f"{_STAGING}{target.name}."


def _replace_by_rename(target: Path, files: dict[str, bytes], owned: set[str]) -> None:
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o777 & ~UMASK
    staging = _staging(target.parent, target)
    old = None
    try:
        os.chmod(staging, mode)
        _write_files(staging, files)
        while True:
            if target.exists():
                _carry_over(target, staging, owned | set(files))
                old = _swap(staging, target)
                break
            try:
                os.rename(staging, target)
                return
            except OSError as e:  # created meanwhile by another run: swap with it instead
                if e.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
    finally:
        shutil.rmtree(old or staging, ignore_errors=True)


def _staging(directory: Path, target: Path) -> Path:
    return Path(tempfile.mkdtemp(dir=directory, prefix=f"{_prefix(target)}{os.getpid()}."))


def _replace_in_place(target: Path, files: dict[str, bytes], owned: set[str], marker_last: str) -> None:
    staging = _staging(target, target)
    try:
        _write_files(staging, files)
        (target / marker_last).unlink(missing_ok=True)
        for name in sorted(owned - set(files)):  # the old run's files this run does not write
            (target / name).unlink(missing_ok=True)
        for name in sorted(files, key=lambda n: n == marker_last):
            os.replace(staging / name, target / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _in_place(target: Path) -> bool:
    cwd = Path(os.path.realpath(os.getcwd()))
    if os.path.ismount(target) or cwd == target or target in cwd.parents:
        return True
    with os.scandir(target) as entries:
        return any(not (e.is_file(follow_symlinks=False) or e.is_symlink()) for e in entries)


def _write_files(directory: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        fd = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # less the umask
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:  # a file streamed in (evidence_files.FileCopy, JsonFile, Sums)
                data.write_to(f)


def _carry_over(old: Path, new: Path, owned: set[str]) -> None:
    """The old directory's other files, linked into the new one (copied where the file
    system refuses a hard link)."""
    with os.scandir(old) as entries:
        for e in entries:
            if e.name in owned:
                continue
            if e.is_symlink():
                os.symlink(os.readlink(e.path), new / e.name)
                continue
            try:
                os.link(e.path, new / e.name, follow_symlinks=False)
            except OSError:
                shutil.copy2(e.path, new / e.name)


def _swap(new: Path, target: Path) -> Path:
    """Put `new` in the place of `target` — in one step where the system can exchange two
    directories, else by renaming the old one aside first — and return where the old one
    now is."""
    if _exchange(new, target):
        return new
    aside = _staging(target.parent, target)
    os.rename(target, aside / "old")
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(aside / "old", target)
        raise
    return aside


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _load_renameat2():
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_renameat2 = _load_renameat2()


def _exchange(a: Path, b: Path) -> bool:
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # not on this file system
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove_stale(directory: Path, prefix: str) -> None:
    """Hidden directories of killed runs into the same target: removed once their process is gone."""
    try:
        entries = [e for e in os.scandir(directory) if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for e in entries:
        m = _STAGING_TAIL.fullmatch(e.name[len(prefix):])  # not another target whose name extends this one's
        if m and not _alive(int(m.group(1))):
            shutil.rmtree(e.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

