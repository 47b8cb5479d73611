"""Charts (being written)."""
import importlib
CHARTS: tuple[str, ...] = ()

def get(name):
    return importlib.import_module(f"{__name__}.{name}")
