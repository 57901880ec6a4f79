"""How budgetdoc's commands present themselves: Chinese placeholders throughout.

The words click and typer print around the help (用法, 选项, [默认：…]) and
their usage errors come from the catalogue (:mod:`budgetdoc.i18n`); what is
left is set here, once for every command:

* the placeholders in the usage line: ``[选项]`` for ``[OPTIONS]``, and
  ``命令 [参数]...`` for ``COMMAND [ARGS]...`` (:data:`APP`);
* arguments shown by their Chinese placeholder (``metavar=``) alone: typer
  would also print the Python parameter name (``year``, ``file``) beside it
  (:class:`Command`).

Every ``app.command(...)`` of budgetdoc passes ``**COMMAND``.
"""

from __future__ import annotations

import click
from typer.core import TyperCommand

OPTIONS_METAVAR = "[选项]"


class Command(TyperCommand):
    """A typer command whose help lists each argument by its placeholder only."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            # An argument's opts hold only its Python name; click parses
            # arguments by position (``dest``), so the name is for show only.
            if isinstance(param, click.Argument):
                param.opts = []


#: Settings for ``typer.Typer(...)``.
APP = {"options_metavar": OPTIONS_METAVAR, "subcommand_metavar": "命令 [参数]..."}
#: Settings for every ``app.command(...)``.
COMMAND = {"cls": Command, "options_metavar": OPTIONS_METAVAR}
