"""``ntmkit serve``: the registry and assessments over HTTP, and a web page for offices.

Install with ``pip install 'ntmkit[serve]'`` (Starlette and uvicorn).  The service is
stateless and read-only; see the guide "HTTP service and static export" for the endpoints,
and :mod:`ntmkit.serve.settings` for the limits.

>>> from ntmkit.serve import Settings
>>> Settings(max_rows=10).max_rows
10
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ntmkit.serve.settings import Settings

if TYPE_CHECKING:
    from starlette.applications import Starlette

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings | None = None) -> Starlette:
    """The service as an ASGI application; see :func:`ntmkit.serve.app.create_app`."""
    from ntmkit.serve.app import create_app as _create

    return _create(settings)
