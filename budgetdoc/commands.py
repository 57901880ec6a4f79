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

Importing this module also defers rich (:func:`defer_rich`): typer imports
it, with markdown-it and pygments, at start-up (about 70 ms), but only the
help screens draw with it.
"""

from __future__ import annotations

import importlib
import sys
import types


class _Deferred(types.ModuleType):
    """A stand-in for a module that is imported on its first attribute look-up."""

    def __init__(self, name: str, load: str) -> None:
        super().__init__(name)
        self._load = load

    def __getattr__(self, attr: str):
        importlib.import_module("typer.rich_utils")      # rich and every part of it the help draws with
        return getattr(sys.modules[self._load], attr)


def defer_rich() -> None:
    """Import typer without rich; rich is imported when a help screen is drawn.

    typer (0.16) imports rich in ``typer.core`` and ``typer.main`` and reads
    it, and ``typer.rich_utils``, from module globals only while drawing
    help or a pretty traceback (budgetdoc disables those).  So typer is
    imported while rich is hidden, then those two globals of ``typer.core``
    are given stand-ins that import the real modules on first use.  Output is
    the same: the first help screen imports exactly what typer would have.
    Does nothing when typer is already imported, or when typer is not shaped
    as expected (then typer imports rich itself, as before).
    """
    if "typer" in sys.modules or "rich" in sys.modules:
        return
    sys.modules["rich"] = None  # type: ignore[assignment]  # "import rich" raises ImportError
    try:
        import typer.core
        import typer.main  # noqa: F401
    finally:
        del sys.modules["rich"]
    core = sys.modules["typer.core"]
    if getattr(core, "rich", "absent") is None and not hasattr(core, "rich_utils"):
        core.rich = _Deferred("rich", "rich")
        core.rich_utils = _Deferred("typer.rich_utils", "typer.rich_utils")
        core.DEFAULT_MARKUP_MODE = "rich"
    else:       # not the typer this was written for: let it import rich as it wants
        for name in [n for n in sys.modules if n == "typer" or n.startswith("typer.")]:
            del sys.modules[name]


defer_rich()

import difflib  # noqa: E402

import click  # noqa: E402
from typer.core import TyperCommand, TyperGroup  # noqa: E402

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


class Group(TyperGroup):
    """budgetdoc's commands: a mistyped command (``reprot``) is answered with the closest names, as click
    answers a mistyped option (“是不是“--pdf”？”)."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            name = args[0] if args else ""
            if name and not name.startswith("-") and self.get_command(ctx, name) is None:
                close = difflib.get_close_matches(name, self.list_commands(ctx), n=3)
                if len(close) == 1:
                    exc.message += f"是不是“{close[0]}”？"
                elif close:
                    exc.message += f"相近的命令有：{'、'.join(close)}。"
            raise


#: Settings for ``typer.Typer(...)``.
APP = {"cls": Group, "options_metavar": OPTIONS_METAVAR, "subcommand_metavar": "命令 [参数]..."}
#: Settings for every ``app.command(...)``.
COMMAND = {"cls": Command, "options_metavar": OPTIONS_METAVAR}
