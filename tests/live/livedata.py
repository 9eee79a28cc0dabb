"""Test data for the live-collection tests: the login, and NAPALM mock folders from the corpus."""
from __future__ import annotations

import json
from pathlib import Path

# distinctive, so a grep for them cannot match anything else
PASSWORD = "Pw-Zq81!kestrel"
SECRET = "En-Sx93!heron"
USERNAME = "netops"

NAPALM_IOS = "napalm/test/ios/mocked_data"
BATFISH_CONFIG = "batfish/networks/example/live/configs/as2dept1.cfg"
MOCK_GETTERS = ("get_facts", "get_interfaces", "get_interfaces_ip", "get_lldp_neighbors")


def write_mock_host(corpus: Path, folder: Path, config: str | None = None, **overrides) -> Path:
    """A NAPALM mock-driver folder for one IOS host from the corpus' expected results.

    get_facts / get_interfaces / get_interfaces_ip / get_lldp_neighbors are the
    'normal' cases of NAPALM's IOS tests; get_config's running config is a
    Batfish example router unless *config* is given.  *overrides* replace a
    getter's data (a dict with 'exception' makes the mock driver raise; None
    leaves the getter out, so the mock driver raises NotImplementedError).
    """
    folder.mkdir(parents=True, exist_ok=True)
    base = Path(corpus) / NAPALM_IOS
    data = {g: json.loads((base / f"test_{g}/normal/expected_result.json").read_text(encoding="utf-8"))
            for g in MOCK_GETTERS}
    running = config if config is not None else (Path(corpus) / BATFISH_CONFIG).read_text(encoding="utf-8")
    data["get_config"] = {"running": running, "startup": "", "candidate": ""}
    data.update(overrides)
    for getter, value in data.items():
        if value is not None:
            (folder / f"{getter}.1").write_text(json.dumps(value), encoding="utf-8")
    return folder
