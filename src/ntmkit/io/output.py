"""Writing output files safely: whole or not at all, never through a planted file.

Every file ntmkit writes (``ntmkit assess -o``, ``ntmkit report``, ``ntmkit criteria
template`` and ``fill``, :func:`ntmkit.io.fill.write_template`) goes through
:func:`write_file`:

* the text is written to a new temporary file in the output's folder, created with a random
  name and opened exclusively (``O_CREAT | O_EXCL``, which never follows a symbolic link), so
  a file or link planted beside the output is never written through;
* the temporary file is then renamed over the output in one step (``os.replace``): a reader
  sees the old file or the new one, never half of one, and on any error the temporary file is
  removed and the output is left as it was;
* an existing output file is **replaced** (as ``cp``, ``curl -o`` or ``pandoc -o`` do); a
  symbolic link at the output's name is replaced by the file, its target is left alone; a
  folder at that name, a missing folder, or the output being one of the command's input files
  is an :class:`~ntmkit.errors.OutputFileError`, raised before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ntmkit.errors import OutputFileError

__all__ = ["check_output", "spreadsheet_safe", "write_file"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    r"""*text* made safe to open in a spreadsheet: a leading formula character is quoted.

    A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
    prefixed with ``'`` (as OWASP advises against CSV formula injection); spreadsheets show
    the text as written and never evaluate it.

    >>> spreadsheet_safe("=HYPERLINK(\"http://x\")"), spreadsheet_safe("Tứ Dân")
    ('\'=HYPERLINK("http://x")', 'Tứ Dân')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _umask_mode() -> int:
    # The mode a new file gets from open(): 0o666 less the process umask (read, not changed
    # for longer than the two calls).
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def check_output(path: str | Path, *, inputs: Iterable[str | Path] = ()) -> Path:
    """Check that *path* can be written as an output file; return it as a :class:`Path`.

    Raises :class:`~ntmkit.errors.OutputFileError` when its folder is missing, when a folder
    (or anything but a file or a link) is at its name, or when it is one of *inputs*.
    Nothing is created.
    """
    path = Path(path)
    if not path.name or path.name in (".", ".."):
        raise OutputFileError(f"{path}: give a file name to write, not a folder", file=str(path),
                              key="errors.output_no_name", fields={"file": path})
    parent = path.parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise OutputFileError(f"{path}: cannot write: the folder {str(parent)!r} {what}; "
                              "create it first or write elsewhere", file=str(path))
    try:
        info = path.lstat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write: {exc.strerror}", file=str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputFileError(f"{path}: is a folder; give the name of a file to write",
                              file=str(path), key="errors.output_is_folder",
                              fields={"file": path})
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise OutputFileError(f"{path}: is not a regular file; ntmkit writes only files",
                              file=str(path))
    for source in inputs:
        same = False
        with contextlib.suppress(OSError):
            same = Path(source).samefile(path)
        if same:
            raise OutputFileError(f"{path}: is the input file {str(source)!r}; write the "
                                  "output to another file", file=str(path),
                                  key="errors.output_is_input",
                                  fields={"file": path, "source": repr(str(source))})
    return path


def write_file(path: str | Path, text: str | Iterable[str], *, encoding: str = "utf-8",
               inputs: Iterable[str | Path] = ()) -> None:
    """Write *text* to *path* whole or not at all (see the module documentation).

    *text* may be one string or its chunks, written as they come (a long JSON output is
    produced and written piece by piece).  *inputs* are the files the output was computed
    from; writing over one of them is refused.
    Raises :class:`~ntmkit.errors.OutputFileError` when the file cannot be written; the output
    is then unchanged and no temporary file is left behind.
    """
    path = check_output(path, inputs=inputs)
    chunks = [text] if isinstance(text, str) else text
    try:
        existing = path.stat()
        mode = stat.S_IMODE(existing.st_mode) if stat.S_ISREG(existing.st_mode) else None
    except OSError:
        mode = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                        dir=path.parent)
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write: {exc.strerror}", file=str(path)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                # Text that cannot be encoded (a lone surrogate) is written escaped, not lost.
                handle.write(chunk.encode(encoding, errors="backslashreplace"))
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(_umask_mode() if mode is None else mode)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputFileError(f"{path}: cannot write: {exc.strerror}", file=str(path)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
