"""The ``budgetdoc`` console script.

Kept apart from :mod:`budgetdoc.cli` so that the Chinese catalogue for
click and typer is installed before they are imported, and so that Ctrl-C
while the libraries load ends quietly instead of with a traceback.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from . import i18n

        i18n.install()
        from .cli import main as run
    except KeyboardInterrupt:
        print("已中断，没有修改任何文件。", file=sys.stderr)
        sys.exit(130)
    run()
