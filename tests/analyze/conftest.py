"""Small hand-made inventories for the analyzer tests.

``Case`` writes rows the way the collectors and the attribution would: an interface
address gives an ``interfaces`` row and an ``interfaces``-origin ``prefixes`` row carrying
the network it is attributed to; a network gives a ``networks`` row and its plan as
``manifest`` (or ``sheet``) prefixes.
"""
import pytest

from netconsol.inventory import Inventory, Rows
from netconsol.platforms.base import make_address


class Case:
    def __init__(self):
        self.rows = Rows()
        self._n = 0

    def _loc(self):
        self._n += 1
        return f"line {self._n}"

    def device(self, name, department="", district="", town="", network="", role=""):
        self.rows.add("devices", {"device": name, "vendor": "huawei", "platform": "vrp", "department": department,
                                  "district": district, "town": town, "network": network, "role": role,
                                  "source": f"{name}.cfg", "location": "file"})
        return self

    def iface(self, device, interface, address="", vrf="", kind="physical", admin_up=True, secondary=False,
              unnumbered="", network="", department=""):
        row = {"device": device, "interface": interface, "kind": kind, "admin_up": admin_up, "vrf": vrf,
               "secondary": secondary, "unnumbered": unnumbered, "source": f"{device}.cfg", "location": self._loc()}
        if address:
            ip, plen = address.split("/")
            row.update(make_address(ip, plen))
            self.rows.add("prefixes", {"prefix": row["subnet"], "family": row["family"], "network": network,
                                       "vrf": vrf, "department": department, "device": device,
                                       "interface": interface, "origin": "interface",
                                       "attributed_by": "manifest" if network else "", "source": row["source"],
                                       "location": row["location"]})
        self.rows.add("interfaces", row)
        return self

    def network(self, nid, kind, department="", district="", prefixes=(), origin="manifest", location=None):
        self.rows.add("networks", {"network": nid, "name": nid, "kind": kind, "department": department,
                                   "district": district, "attributed_by": "manifest", "source": "inventory.yaml",
                                   "location": f"networks.{nid}"})
        self.ranges(nid, prefixes, department, district, origin, location)
        return self

    def ranges(self, nid, prefixes, department="", district="", origin="sheet", location=None):
        """Prefix rows of one cell/entry: CIDRs written together share a location."""
        loc = location or (f"networks.{nid}.prefixes" if origin == "manifest" else f"sheet!row {self._loc()}")
        src = "inventory.yaml" if origin == "manifest" else "sheets/a.csv"
        for p in prefixes:
            self.rows.add("prefixes", {"prefix": p, "family": 6 if ":" in p else 4, "network": nid,
                                       "department": department, "district": district, "origin": origin,
                                       "attributed_by": origin if nid else "", "source": src, "location": loc})
        return self

    def unit(self, unit, level, name=None, district="", connected=None):
        self.rows.add("units", {"unit": unit, "name": name or unit.split("/")[-1].removeprefix("dept:"),
                                "level": level, "district": district, "connected": connected,
                                "source": "inventory.yaml", "location": "units"})
        return self

    def inv(self) -> Inventory:
        inv = Inventory.from_rows(self.rows)
        assert inv.validate() == []
        return inv


@pytest.fixture
def case():
    return Case()
