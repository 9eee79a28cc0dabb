"""netconsol: network inventory and consolidation analyzer.

The Python API (see README, "Python API")::

    import netconsol
    p = netconsol.open("inventories/zaozhuang-demo")    # an inventory directory or a snapshot
    p.inventory["networks"], p.links(), p.conflicts(), p.metrics()
    p.merge_plan().networks, p.exit_plan().tables["exits"]
"""
__version__ = "0.1.0"
__all__ = ["open", "Pipeline", "Inventory", "NetconsolError", "TABLES", "__version__"]


def open(path, *, rules_dir=None, platform=None):  # noqa: A001 -- netconsol.open, as io.open
    """A :class:`Pipeline` over *path*: an inventory directory (its sheets and configs are collected
    when first asked for; its own ``rules/`` apply) or a snapshot directory (loaded).
    *rules_dir*: rules files replacing the inventory's and the shipped ones, one by one."""
    from .pipeline import Pipeline

    return Pipeline(path, rules_dir=rules_dir, platform=platform)


def __getattr__(name):
    # the heavy modules (pandas, networkx) load when a name is first used, not at `import netconsol`
    if name == "Pipeline":
        from .pipeline import Pipeline
        return Pipeline
    if name == "Inventory":
        from .inventory import Inventory
        return Inventory
    if name == "NetconsolError":
        from .errors import NetconsolError
        return NetconsolError
    if name == "TABLES":
        from .schema import TABLES
        return TABLES
    raise AttributeError(f"module 'netconsol' has no attribute {name!r}")
