"""Click commands beyond collect/show, one module per area.

Each module defines ``commands``: a list of click commands (or groups) that
:mod:`netconsol.cli` adds to the ``netconsol`` group.  Commands stay thin: they
call the library and turn NetconsolError into one line (the group does that).
"""
MODULES = ("analysis", "plans", "topology", "live", "scan", "generate", "init")
