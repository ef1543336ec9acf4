"""Help text an officer can read: Typer 0.29 shows a flag as ``--strict <bool>`` (as if it took a
value) and a required argument as ``{path}`` in the usage line; here flags show no value and
arguments are written as click always wrote them, ``PATH`` and ``[ISSUES_DIR]``.

Typer 0.29 carries its own copy of click, so only the classes of ``typer.core`` are named here,
and only the hooks click documents for commands are overridden (``get_params``,
``collect_usage_pieces``, ``get_command``).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


def _without_flag_values(params: list[Any]) -> list[Any]:
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""  # a flag takes no value: show none
    return params


class PlainHelpCommand(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_values(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = (param.metavar or param.name or "").upper()
                pieces.append(name if param.required else f"[{name}]")
        return pieces


class PlainHelpGroup(TyperGroup):
    """The ``newsletter`` group: its own options and its commands' help as ``PlainHelpCommand`` shows them."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _without_flag_values(super().get_params(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if type(command) is TyperCommand:
            command.__class__ = PlainHelpCommand  # the same object, with the help hooks above
        return command
