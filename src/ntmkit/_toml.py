"""Reading TOML from user files: one place that turns every failure into an NtmkitError."""

from __future__ import annotations

import sys
from typing import Any

from ntmkit.errors import CriteriaDataError, NtmkitError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = ["TOMLDecodeError", "loads", "read_toml"]

TOMLDecodeError = tomllib.TOMLDecodeError
loads = tomllib.loads


def read_toml(origin: str, text: bytes, *, what: str = "a set file",
              error: type[NtmkitError] = CriteriaDataError) -> dict[str, Any]:
    """Parse *text* (the bytes of the file *origin*) as TOML.

    Text that is not UTF-8, is not TOML or is nested too deeply for the parser raises *error*
    naming the file; *what* names the kind of file in the message.
    """
    try:
        data: dict[str, Any] = tomllib.loads(text.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(f"{origin}: not UTF-8 text ({exc})", file=origin) from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{origin}: not valid TOML: {exc}", file=origin) from None
    except RecursionError:
        raise error(f"{origin}: the TOML is nested too deeply for {what}",
                    file=origin) from None
    return data
