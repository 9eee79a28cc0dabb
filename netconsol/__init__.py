"""netconsol: network inventory and consolidation analyzer."""
__version__ = "0.1.0"
__all__ = ["__version__"]
