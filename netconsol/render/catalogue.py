"""The words of the deliverables, in one place: figure and metric names, their definitions, and the
message catalogue of issue codes (issue 21, points 2 and 3).

Analyzers give ids and codes (``connectivity_rate``, ``bad-ip-range``) and English definitions;
the Chinese deliverables take their words from here, the English ones too, so a figure has one
name and one definition wherever it is shown.  :func:`metric_labels` joins these names with the
exit and merge plans' summary names and refuses a code with two names or a name with two codes.
"""
from __future__ import annotations

from ..analyze.figures import FIGURES
from ..analyze.metrics import METRICS
from .plans import L

__all__ = ["FIGURE_LABELS", "METRIC_LABELS", "DEFINITIONS", "ISSUE_LABELS", "issue_text", "metric_labels"]

FIGURE_LABELS = {
    "districts": L("区(市)数", "districts"),
    "departments": L("部门数", "departments"),
    "departments_connected": L("联通电子政务外网的部门", "departments connected"),
    "towns": L("镇（街）数", "towns/streets"),
    "towns_attached": L("接入电子政务外网的镇（街）", "towns/streets attached"),
    "devices": L("网络设备", "network devices"),
    "networks": L("网络（全部类型）", "networks (every kind)"),
    "private_and_lan_networks": L("专网及局域网", "private networks and LANs"),
    "prefixes": L("地址段", "address ranges"),
    "exit_records": L("互联网出口记录（自查表与配置各计一条）", "exit records (a sheet row and a config each count)"),
    "exits_before": L("互联网出口数", "internet exits"),
    "exits_after": L("整合后互联网出口数", "internet exits after consolidation"),
    "conflicts": L("地址冲突", "address conflicts"),
    "links": L("链路", "links"),
    "candidate_links": L("待核实链路", "candidate links"),
    "errors": L("错误（已拒绝的行等）", "errors (rejected rows...)"),
    "warnings": L("警告", "warnings"),
    "info": L("提示", "info"),
}
METRIC_LABELS = {
    "town_connectivity": L("镇（街）外网联通率", "town connectivity"),
    "town_coverage_public": L("镇（街）公共服务域覆盖率", "town public-domain coverage"),
    "connectivity_rate": L("系统联通率", "connectivity rate"),
    "private_networks": L("专网", "private networks"),
    "lan_networks": L("部门局域网", "department LANs"),
    "exits": L("互联网出口数", "internet exits"),
    "conflicts": L("地址冲突", "address conflicts"),
    "address_overlaps": L("地址重叠", "address overlaps"),
    "duplicate_ips": L("重复IP地址", "duplicate IPs"),
}
_ZH = {
    "town_connectivity": "netconsol 定义：接入电子政务外网的镇（街）÷ 全部镇（街）。镇（街）内有设备由外网 PE/核心经链路可达即为接入；"
                         "没有设备的镇（街）按清单标注",
    "town_coverage_public": "netconsol 定义：已接入设备在公共服务域有地址的镇（街）÷ 全部镇（街）；没有设备的按清单标注",
    "connectivity_rate": "netconsol 定义（系统联通率）：联通电子政务外网的部门 ÷ 范围内部门（设备经链路可达、外网为其承载 VPN，"
                         "或无设备时按清单标注）",
    "private_networks": "netconsol 定义：类型为政务专网或业务专网的网络数",
    "lan_networks": "netconsol 定义：类型为局域网的网络数（部门自身局域网）",
    "exits": "netconsol 定义：互联网出口数，自查表与配置中同一条线路只计一次",
    "conflicts": "netconsol 定义：未解决的地址冲突数（冲突表中除“按设计共用”外的每一行）",
    "address_overlaps": "netconsol 定义：类型为相同、包含、部分重叠或地址池重叠的冲突数",
    "duplicate_ips": "netconsol 定义：类型为重复 IP 的冲突数",
    "districts": "netconsol 定义：清单中层级为区(市)的单位数",
    "departments": "netconsol 定义：范围内部门数（清单中层级为部门的单位；系统联通率的分母，出口整合方案的部门数）",
    "departments_connected": "netconsol 定义：联通电子政务外网的部门数（系统联通率的分子）",
    "towns": "netconsol 定义：镇（街）数（清单中层级为镇街的单位）",
    "towns_attached": "netconsol 定义：接入电子政务外网的镇（街）数（镇街联通率的分子）",
    "devices": "netconsol 定义：设备表的行数（读取的配置与自查表列出的设备）",
    "networks": "netconsol 定义：网络表的行数，全部类型",
    "private_and_lan_networks": "netconsol 定义：类型为政务专网、业务专网、局域网、电子政务内网或专用网络区的网络数（报告按部门列出）",
    "prefixes": "netconsol 定义：地址段表的行数",
    "exit_records": "netconsol 定义：出口表的行数（自查表一行与配置一处各计一条）",
    "exits_before": "netconsol 定义：现有在用互联网出口数，自查表与配置中同一条线路只计一次（出口整合方案的整合前出口数）",
    "exits_after": "netconsol 定义：按出口整合方案整合后的互联网出口数（保留的出口加统一出口线路）",
    "links": "netconsol 定义：发现的链路数（待核实链路不计）",
    "candidate_links": "netconsol 定义：待核实链路数（列出供核实，不计入链路）",
    "errors": "netconsol 定义：级别为错误的问题数",
    "warnings": "netconsol 定义：级别为警告的问题数",
    "info": "netconsol 定义：级别为提示的问题数",
}
# one definition per id: the English is the analyzers' own text (the snapshot's metrics.definition)
DEFINITIONS = {k: L(_ZH[k], v) for k, v in METRICS.items()}
DEFINITIONS.update({k: L(_ZH[k], v[1]) for k, v in FIGURES.items() if k not in DEFINITIONS})

# the message catalogue: what each issue code means, in both languages
ISSUE_LABELS = {
    "attribution-ambiguous": L("归属不明确", "attribution ambiguous"),
    "attribution-conflict": L("归属冲突", "attribution conflict"),
    "bad-access-type": L("接入类型无法识别", "access type not recognised"),
    "bad-address": L("地址无法识别", "address not readable"),
    "bad-asn": L("AS号无法识别", "AS number not readable"),
    "bad-bandwidth": L("带宽无法识别", "bandwidth not readable"),
    "bad-capacity": L("容量无法识别", "capacity not readable"),
    "bad-cloud": L("上云意向无法识别", "cloud intent not readable"),
    "bad-count": L("数量无法识别", "count not readable"),
    "bad-date": L("日期无法识别", "date not readable"),
    "bad-fee": L("费用无法识别", "fee not readable"),
    "bad-ip-range": L("IP地址段无法识别", "IP range not readable"),
    "bad-network-kind": L("网络类型无法识别", "network class not readable"),
    "bad-utilisation": L("利用率无法识别", "utilisation not readable"),
    "bad-value": L("取值无法识别", "value not readable"),
    "bad-yes-no": L("是/否无法识别", "yes/no not readable"),
    "department-from-device": L("部门取自设备", "department taken from the device"),
    "device-not-found": L("设备未找到", "device not found"),
    "duplicate-column": L("列名重复", "duplicate column"),
    "duplicate-hostname": L("设备名重复", "duplicate hostname"),
    "duplicate-row": L("重复行", "duplicate row"),
    "empty-inventory": L("清单为空", "empty inventory"),
    "empty-sheet": L("空表", "empty sheet"),
    "formula-no-value": L("公式无计算结果", "formula without a value"),
    "host-bits-set": L("地址含主机位", "host bits set"),
    "host-range-subnet": L("主机地址范围按子网读取", "host range read as its subnet"),
    "link-outside-source": L("链接指向来源目录之外", "link outside the source folder"),
    "live-auth-failed": L("在线采集认证失败", "live collection: authentication failed"),
    "live-driver-missing": L("在线采集缺少驱动", "live collection: driver missing"),
    "live-error": L("在线采集出错", "live collection error"),
    "live-getter-failed": L("在线采集取数失败", "live collection: getter failed"),
    "live-getter-unsupported": L("在线采集不支持该取数", "live collection: getter unsupported"),
    "live-mock-missing": L("在线采集模拟数据缺失", "live collection: mock data missing"),
    "live-timeout": L("在线采集超时", "live collection timed out"),
    "live-unreachable": L("设备不可达", "device unreachable"),
    "missing-column": L("缺少列", "missing column"),
    "missing-value": L("缺少必填值", "missing value"),
    "model-disagrees": L("设备型号不一致", "model disagrees"),
    "network-conflict": L("网络归属冲突", "network conflict"),
    "no-header": L("未找到表头", "no header row"),
    "no-hostname": L("配置缺少设备名", "config without a hostname"),
    "out-of-range": L("数值超出范围", "value out of range"),
    "parse-error": L("配置解析错误", "config parse error"),
    "parser-crash": L("配置解析异常", "config parser crash"),
    "same-name-disagrees": L("同名记录不一致", "same-name rows disagree"),
    "same-network-rows": L("同一网络多行申报（一致，已合并）", "same network in several rows (they agree, merged)"),
    "unbalanced-quote": L("引号不配对", "unbalanced quote"),
    "unknown-carrier": L("运营商未识别", "carrier not recognised"),
    "unknown-department": L("部门未识别", "department not recognised"),
    "unknown-network-kind": L("网络类型未识别", "network class not recognised"),
    "unreadable-file": L("文件无法读取", "file not readable"),
    "unreadable-sheet": L("表格无法读取", "sheet not readable"),
    "unrecognized-file": L("文件类型未识别", "file not recognised"),
    "unrecognized-line": L("配置行未识别", "config line not recognised"),
}


def issue_text(code: str, lang: str) -> str:
    """The catalogue's words for an issue *code* (a code it does not know: 其他问题 / other problem)."""
    hit = ISSUE_LABELS.get(code)
    if hit:
        return hit[lang]
    return "其他问题" if lang == "zh" else "other problem"


def metric_labels(*plan_values: dict) -> dict:
    """{code: L} for every figure, metric and plan-summary code (*plan_values*: the plans' own
    ``values["metric"]``); a code with two names, or a name with two codes, is an error."""
    out = dict(FIGURE_LABELS)
    for d in (METRIC_LABELS, *plan_values):
        for k, v in d.items():
            if k in out and out[k] != v:
                raise ValueError(f"metric {k!r} named twice: {out[k]} and {v}")
            out[k] = v
    return out
