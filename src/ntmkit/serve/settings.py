"""The settings of ``ntmkit serve``: limits, CORS, address; from options or the environment.

Every setting has a command-line option and an environment variable (the option wins):

========================  ==============================  ===========================
setting                   environment variable            default
========================  ==============================  ===========================
``max_body``              ``NTMKIT_SERVE_MAX_BODY``       10,000,000 bytes (413)
``max_rows``              ``NTMKIT_SERVE_MAX_ROWS``       100,000 rows (413)
``timeout``               ``NTMKIT_SERVE_TIMEOUT``        30 seconds (503)
``cors_origins``          ``NTMKIT_SERVE_CORS_ORIGINS``   none: CORS off
========================  ==============================  ===========================

This module imports nothing of the web stack, so the CLI can list its options without the
``serve`` extra installed.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import Any

import attrs

from ntmkit.errors import NtmkitError

__all__ = ["ENV", "Settings", "add_arguments", "run"]

#: Environment variables by setting name.
ENV = {
    "max_body": "NTMKIT_SERVE_MAX_BODY",
    "max_rows": "NTMKIT_SERVE_MAX_ROWS",
    "timeout": "NTMKIT_SERVE_TIMEOUT",
    "cors_origins": "NTMKIT_SERVE_CORS_ORIGINS",
}


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not value > 0:
        raise NtmkitError(f"{attribute.name} must be more than 0, not {value!r}")


@attrs.frozen
class Settings:
    """The limits and options of one service.

    ``max_body`` bounds a request body in bytes (413 beyond it); ``max_rows`` the communes of
    one batch or report (413); ``timeout`` the seconds one request may compute (503 beyond
    it); ``cors_origins`` the origins allowed to call the service from a browser page of
    another site (empty: CORS off; ``("*",)``: any).
    """

    max_body: int = attrs.field(default=10_000_000, validator=_positive)
    max_rows: int = attrs.field(default=100_000, validator=_positive)
    timeout: float = attrs.field(default=30.0, validator=_positive)
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **given: object) -> Settings:
        """Settings from *environ* (default: ``os.environ``), overridden by *given* values.

        A value that is not a number names its variable:

        >>> Settings.from_env({"NTMKIT_SERVE_MAX_ROWS": "500"}).max_rows
        500
        >>> Settings.from_env({"NTMKIT_SERVE_CORS_ORIGINS": "https://a.vn, https://b.vn"})
        ... # doctest: +ELLIPSIS
        Settings(..., cors_origins=('https://a.vn', 'https://b.vn'))
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, var in ENV.items():
            text = env.get(var, "").strip()
            if not text:
                continue
            if name == "cors_origins":
                values[name] = tuple(o.strip() for o in text.split(",") if o.strip())
                continue
            try:
                values[name] = int(text) if name != "timeout" else float(text)
            except ValueError:
                raise NtmkitError(f"{var}={text!r}: expected a number") from None
        values.update({k: v for k, v in given.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``ntmkit serve`` to *parser*."""
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--max-body", type=int,
                        help=f"largest request body in bytes (env {ENV['max_body']}; "
                        "default 10000000)")
    parser.add_argument("--max-rows", type=int,
                        help=f"most communes in one upload (env {ENV['max_rows']}; "
                        "default 100000)")
    parser.add_argument("--timeout", type=float,
                        help=f"seconds one request may compute (env {ENV['timeout']}; "
                        "default 30)")
    parser.add_argument("--cors-origin", action="append", dest="cors_origins",
                        help=f"an origin allowed to call the service from another site's page; "
                        f"repeat for several, '*' for any (env {ENV['cors_origins']}, "
                        "comma-separated; default: CORS off)")


def run(args: argparse.Namespace) -> None:
    """Start the service with the options of *args* (blocks until stopped)."""
    settings = Settings.from_env(
        max_body=args.max_body, max_rows=args.max_rows, timeout=args.timeout,
        cors_origins=tuple(args.cors_origins) if args.cors_origins else None)
    try:
        import uvicorn

        from ntmkit.serve.app import create_app
    except ImportError as exc:
        raise NtmkitError(f"ntmkit serve needs the 'serve' extra ({exc.name} is missing): "
                          "pip install 'ntmkit[serve]'") from None
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning",
                access_log=False)
