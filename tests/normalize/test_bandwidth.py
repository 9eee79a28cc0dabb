import pytest

from netconsol.errors import NormalizeError
from netconsol.normalize.bandwidth import EXPECTED_BANDWIDTH, to_mbps

MBPS = [
    ("100M", 100), ("100m", 100), ("100Mbps", 100), ("100 Mbps", 100), ("100MBPS", 100),
    ("100Mb/s", 100), ("100Mbit/s", 100), ("100 mb", 100), ("100兆", 100), ("100兆比特", 100),
    ("100兆每秒", 100),
    ("1G", 1000), ("1g", 1000), ("1Gbps", 1000), ("1 Gbps", 1000), ("1000M", 1000),
    ("1.5G", 1500), ("2.5Gbps", 2500), ("10G", 10000),
    ("2*100M", 200), ("2×100M", 200), ("2x100M", 200), ("2X100M", 200), ("2 * 100M", 200),
    ("100M*2", 200), ("100M×2", 200), ("4*E1", 8.192), ("2*GE", 2000), ("２＊１００Ｍ", 200),
    ("百兆", 100), ("千兆", 1000), ("万兆", 10000),
    ("10GE", 10000), ("GE", 1000), ("FE", 100), ("ge", 1000), ("40GE", 40000),
    ("E1", 2.048),
    ("512K", 0.5), ("512Kbps", 0.5), ("512k", 0.5), ("2048K", 2), ("256Kb/s", 0.25),
    ("100", 100), ("20", 20), ("0.5", 0.5), (100, 100), (100.0, 100), (2.5, 2.5),
    ("１００Ｍ", 100), ("１Ｇ", 1000), ("１００", 100),
    ("100M/100M", 100), ("1000M/1000M", 1000), ("100M/20M", 100), ("20M/100M", 100),
    ("上行100M下行200M", 200), ("上行100M 下行200M", 200), ("上行20M/下行100M", 100),
    ("下行100M上行10M", 100),
    ("100M（共享）", 100), ("100M(独享)", 100), ("200M【含IPv6】", 200), ("100M 共享", 100),
    ("带宽：100M", 100), ("带宽100M", 100), ("对称100M", 100),
    ("1,000M", 1000),
    (" 100M ", 100),
]


@pytest.mark.parametrize("raw, mbps", MBPS)
def test_to_mbps(raw, mbps):
    got = to_mbps(raw)
    assert isinstance(got, float)
    assert got == pytest.approx(mbps)


def test_numpy_numbers():
    np = pytest.importorskip("numpy")
    assert to_mbps(np.int64(100)) == 100.0
    assert to_mbps(np.float64(1000.0)) == 1000.0


REJECT = [
    ("快", "not a bandwidth: '快'"),
    ("-5M", "negative bandwidth"),
    ("-5", "negative bandwidth"),
    (-5, "negative bandwidth"),
    ("abc", "not a bandwidth: 'abc'"),
    ("0", "bandwidth must be more than 0"),
    ("0M", "bandwidth must be more than 0"),
    (0, "bandwidth must be more than 0"),
    ("100Q", "unknown unit 'q'"),
    ("100M,200M", "not a bandwidth: '100m,200m'"),
    ("", "empty"),
    ("  ", "empty"),
    (None, "empty"),
    (float("nan"), "empty"),
    ("（共享）", "empty"),
    (True, "not a bandwidth: a yes/no value"),
    ("很大", "not a bandwidth: '很大'"),
]


@pytest.mark.parametrize("raw, reason", REJECT)
def test_rejected(raw, reason):
    with pytest.raises(NormalizeError) as e:
        to_mbps(raw)
    assert e.value.reason == reason
    assert e.value.expected == EXPECTED_BANDWIDTH
