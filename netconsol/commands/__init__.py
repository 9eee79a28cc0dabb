"""Click commands beyond collect/show, one module per area.

Each module defines ``commands``: a list of click commands (or groups) that
:mod:`netconsol.cli` adds to the ``netconsol`` group.  Commands stay thin: they
call the library and turn NetconsolError into one line (the group does that).
"""
MODULES = ("analysis", "plans", "topology", "live", "scan", "generate", "export", "reconcile", "init")


import click


class PlatformChoice(click.Choice):
    """``--platform``: the names in the platform registry when the option is read (a vendor module
    registered after the CLI was built is a choice too)."""

    def __init__(self):
        super().__init__(())

    @property
    def choices(self):
        from .. import platforms

        return platforms.names()

    @choices.setter
    def choices(self, value):
        # click.Choice.__init__ assigns the choices it was given (none here): the registry is the one
        # source, read each time the option is, so the assignment is deliberately not kept
        del value
