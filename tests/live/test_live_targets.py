"""Targets files: nornir-style hosts.yaml (+ groups.yaml, defaults.yaml) and CSV, with errors for people."""
from __future__ import annotations

import textwrap

import pytest

from netconsol.collectors.live import load_targets
from netconsol.errors import CollectError


def write(path, text):
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_hosts_groups_defaults_precedence(tmp_path):
    hosts = write(tmp_path / "hosts.yaml", """
        XC-PE-01:
          hostname: 10.0.0.1
          groups: [xuecheng, pe]
          data: {town: 临城街道}
        XC-CE-02:
          hostname: 10.0.0.2
          platform: eos
          port: 2222
          groups: [xuecheng]
          data: {department: 市公安局, network: gongan-video}
        core.example.net:
          platform: cisco_ios
    """)
    write(tmp_path / "groups.yaml", """
        xuecheng:
          groups: [city]
          data: {district: 薛城区, department: 市大数据局}
        pe:
          platform: huawei
          data: {role: pe, department: 电信}
        city:
          port: 22
          data: {district: 枣庄市, network: extranet-admin}
    """)
    write(tmp_path / "defaults.yaml", """
        platform: ios
        username: netops
    """)
    t = {x.name: x for x in load_targets(hosts)}
    pe = t["XC-PE-01"]
    assert (pe.address, pe.driver, pe.port, pe.username) == ("10.0.0.1", "huawei_vrp", 22, "netops")
    # host data, then groups in order (xuecheng before pe, xuecheng's own group city after it), then defaults
    assert pe.data == {"department": "市大数据局", "district": "薛城区", "town": "临城街道", "network": "extranet-admin",
                       "role": "pe"}
    ce = t["XC-CE-02"]
    assert (ce.driver, ce.port) == ("eos", 2222)
    assert ce.data["department"] == "市公安局" and ce.data["network"] == "gongan-video"
    core = t["core.example.net"]
    assert (core.address, core.driver, core.port) == ("core.example.net", "ios", None)
    assert pe.location == "hosts.yaml:XC-PE-01"


def test_csv_targets(tmp_path):
    f = write(tmp_path / "targets.csv", """
        name,host,platform,port,department,district
        R1,192.0.2.1,ios,22,市公安局,薛城区
        R2,192.0.2.2,junos,,,
        ,,,,,
    """)
    t = load_targets(f)
    assert [x.name for x in t] == ["R1", "R2"]
    assert (t[0].address, t[0].driver, t[0].port, t[0].data) == ("192.0.2.1", "ios", 22,
                                                                 {"department": "市公安局", "district": "薛城区"})
    assert (t[1].driver, t[1].port, t[1].data) == ("junos", None, {})


@pytest.mark.parametrize("hosts,groups,needles", [
    ("R1: {hostname: 10.0.0.1, platform: ios, passwd: x}\n", None, ["hosts.yaml", "'R1'", "'passwd'", "known:"]),
    ("R1: {hostname: 10.0.0.1, platform: ios, password: x}\n", None,
     ["hosts.yaml", "'R1'", "'password'", "NETCONSOL_PASSWORD"]),
    ("R1: {hostname: 10.0.0.1, platform: cisco}\n", None, ["'R1'", "'platform'", "'cisco'", "nxos_ssh"]),
    ("R1: {hostname: 10.0.0.1, platform: ios, port: 70000}\n", None, ["'R1'", "'port'", "70000"]),
    ("R1: {hostname: 10.0.0.1}\n", None, ["'R1'", "'platform' is missing"]),
    ("R1: {hostname: 10.0.0.1, platform: ios, groups: [nope]}\n", "other: {}\n",
     ["hosts.yaml", "'R1'", "'groups'", "'nope'"]),
    ("R1: {hostname: 10.0.0.1, platform: ios, groups: [a]}\n", "a: {groups: [b]}\nb: {groups: [a]}\n",
     ["groups.yaml", "include each other"]),
    ("R1: {hostname: 10.0.0.1, platform: ios, data: [x]}\n", None, ["'R1'", "'data'"]),
    ("../R1: {hostname: 10.0.0.1, platform: ios}\n", None, ["'../R1'", "folder"]),
    ("R1: {hostname: [10.0.0.1], platform: ios}\n", None, ["'R1'", "'hostname'"]),
    ("- R1\n", None, ["hosts.yaml", "mapping"]),
    ("R1: {hostname: 10.0.0.1, platform: ios\n", None, ["hosts.yaml:", "not valid YAML"]),
])
def test_hosts_yaml_errors_name_file_host_and_key(tmp_path, hosts, groups, needles):
    f = write(tmp_path / "hosts.yaml", hosts)
    if groups:
        write(tmp_path / "groups.yaml", groups)
    with pytest.raises(CollectError) as e:
        load_targets(f)
    for n in needles:
        assert n in str(e.value), (n, str(e.value))


@pytest.mark.parametrize("text,needles", [
    ("name,host,platform\nR1,10.0.0.1,cisco\n", ["targets.csv", "row 2", "'R1'", "'platform'", "'cisco'"]),
    ("name,host,platform,port\nR1,10.0.0.1,ios,ssh\n", ["row 2", "'port'", "'ssh'"]),
    ("name,host,platform\nR1,10.0.0.1,ios\nR1,10.0.0.2,ios\n", ["row 3", "'R1'", "row 2"]),
    ("name,host,platform,password\nR1,10.0.0.1,ios,x\n", ["unknown column 'password'"]),
    ("host,platform\n10.0.0.1,ios\n", ["column 'name' is missing"]),
])
def test_csv_errors_name_file_row_and_column(tmp_path, text, needles):
    f = write(tmp_path / "targets.csv", text)
    with pytest.raises(CollectError) as e:
        load_targets(f)
    for n in needles:
        assert n in str(e.value), (n, str(e.value))


def test_missing_or_empty_targets_file(tmp_path):
    with pytest.raises(CollectError, match="does not exist"):
        load_targets(tmp_path / "nope.yaml")
    with pytest.raises(CollectError, match="no hosts"):
        load_targets(write(tmp_path / "hosts.yaml", "{}\n"))
    with pytest.raises(CollectError, match="expected a hosts .yaml or a .csv"):
        load_targets(write(tmp_path / "hosts.txt", "R1\n"))
