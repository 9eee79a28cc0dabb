"""netconsol and a ttp template extract the same interfaces, addresses and VRFs.

A small, fast slice of benchmarks/bench_parsers.py (issue #3): the benchmark's
own derivation and ttp template on 52 Batfish-derived IOS configs, covering
``vrf forwarding``, ``ip vrf forwarding`` and one or two ``secondary`` addresses.
The benchmark asserts the same equality on 5,200 files before it times anything.
"""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench(name="bench_parsers"):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_netconsol_matches_ttp_on_derived_ios(corpus, tmp_path):
    bench = _bench()
    bases = sorted((corpus / "batfish/networks/example/live/configs").glob("*.cfg"))
    assert len(bases) == 13
    items = []
    for b in bases:
        text = b.read_text()
        for r in (0, 1, 2, 4):   # two secondaries, vrf forwarding, ip vrf forwarding, one secondary
            host, out = bench.derive_ios(text, b.stem, r)
            p = tmp_path / f"{host}.cfg"
            p.write_text(out)
            items.append((p, "ios"))

    _, nc = bench.run_netconsol(items, detect=False)
    _, tt = bench.run_ttp(tmp_path)
    assert nc == tt, (sorted(nc - tt)[:5], sorted(tt - nc)[:5])
    _, mn = bench.run_minimal(items)       # the benchmark's reference row reads the same
    assert mn == nc, (sorted(mn - nc)[:5], sorted(nc - mn)[:5])
    assert len({t[0] for t in nc}) == len(items)
    assert sum(1 for t in nc if t[4]) > 50                          # secondaries kept apart from primaries
    assert {t[3] for t in nc} >= {"", "CUST1", "MGMT2"}             # both VRF spellings
    assert any(t[2] == "" for t in nc)                              # interfaces without an address


def test_netconsol_with_detection_agrees(corpus, tmp_path):
    bench = _bench()
    b = corpus / "batfish/networks/example/live/configs/as2border1.cfg"
    host, out = bench.derive_ios(b.read_text(), b.stem, 8)
    p = tmp_path / f"{host}.cfg"
    p.write_text(out)
    _, known = bench.run_netconsol([(p, "ios")], detect=False)
    _, detected = bench.run_netconsol([(p, "ios")], detect=True)
    assert known == detected and known


def test_collect_matches_ttp_on_generated_configs(tmp_path):
    """bench_collect.py's check on a slice: ttp's three templates and netconsol collect read the same
    (device, interface, address, vrf, secondary) tuples from generated VRP, Comware and IOS configs."""
    import json

    from netconsol.collectors import collect

    bench = _bench("bench_collect")
    directory, files = bench.generate(150, bench.SEED, 200.0, work=tmp_path)
    assert {p for _, p in files} == {"vrp", "comware", "ios"}
    dump = tmp_path / "ttp.json"
    bench.child_ttp(str(directory), str(directory.parent / "index.json"), 40, "one", str(dump))
    tt = {tuple(t) for t in json.loads(dump.read_text())}
    collect([directory], workers=1).save(tmp_path / "snapshot")
    nc = bench.netconsol_tuples(tmp_path / "snapshot")
    assert nc == tt, (sorted(nc - tt)[:5], sorted(tt - nc)[:5])
    assert len({t[0] for t in nc}) == 150 and sum(1 for t in nc if t[3]) > 50
