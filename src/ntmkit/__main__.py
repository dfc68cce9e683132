"""``python -m ntmkit``: the ``ntmkit`` command."""

import sys

from ntmkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
