"""The public API of netconsol.normalize: what __all__ promises exists and is documented."""
import inspect

import netconsol.normalize as normalize

PUBLIC = {
    "fold", "is_blank", "RangeResult", "to_cidrs", "is_public", "Carriers", "default_carriers",
    "to_mbps", "access_type", "network_kind", "ACCESS_TYPES", "NETWORK_KINDS", "to_bool",
    "to_yuan_per_year", "to_date",
}


def test_all_is_the_public_api():
    assert set(normalize.__all__) == PUBLIC
    for name in normalize.__all__:
        assert hasattr(normalize, name), name


def test_every_public_callable_is_documented():
    for name in normalize.__all__:
        obj = getattr(normalize, name)
        if callable(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"
    for name in ("canonical", "by_asn", "find_in_text", "zh", "load"):
        assert inspect.getdoc(getattr(normalize.Carriers, name)), name


def test_signatures():
    assert list(inspect.signature(normalize.fold).parameters) == ["s", "keep_newlines"]
    assert list(inspect.signature(normalize.to_cidrs).parameters) == ["value"]
    assert list(inspect.signature(normalize.Carriers.load).parameters) == ["path"]
