#!/usr/bin/env python3
"""Writes the three self-inspection sheets of this case and answers.yaml.

Run from this folder:  python3 make_sheets.py   (needs openpyxl and xlwt: pip install openpyxl xlwt)

Every row below is written by hand together with its hand answer (A(...)); the script only
puts the cells into the three file formats and numbers the rows physically (row 1 = first line).
It never parses the cells it writes: the answers are not computed from the cells.
"""
import csv
import datetime as dt
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "sheets")

CSV_FILE = "sheets/金山县-局域网及专网自查表.csv"
XLSX_FILE = "sheets/金山市市直单位网络自查表.xlsx"
XLS_FILE = "sheets/青石区局域网及专网自查表.xls"


def A(status, department="", district="", kind="", cidrs=(), carrier="", model="", vendor="",
      access_device="", vertical_ministry="", built_by_upper=False, on_extranet=False,
      public_facing=False, classified=False, merge_target="", rule="", issues=()):
    return dict(status=status, department=department, district=district, kind=kind,
                cidrs=list(cidrs), carrier=carrier, model=model, vendor=vendor,
                access_device=access_device,
                facts=dict(vertical_ministry=vertical_ministry, built_by_upper=built_by_upper,
                           on_extranet=on_extranet, public_facing=public_facing,
                           classified=classified),
                merge_target=merge_target, rule=rule, issues=list(issues))


def I(column, severity, what):
    return dict(column=column, severity=severity, what=what)


EMPTY = A("empty")
TEL, UNI, MOB, BRN = "China Telecom", "China Unicom", "China Mobile", "China Broadnet"
NO_DEPT = I("单位", "error", "no department: 单位 empty, not merged, no known access device; row rejected")

# ---------------------------------------------------------------- CSV (GBK), 金山县
CSV_TITLE = "金山县局域网及专网自查表"
CSV_DATE = "填报日期：2017年12月20日"
CSV_HEADER = ["序号", "区县", "乡镇", "单位", "网络名称", "网络类型", "连接设备", "设备型号", "IP地址段",
              "运营商", "带宽(M)", "用途", "主管部门", "备注"]
CSV_ROWS = [
    (["1", "金山县", "城关", "县教育局", "政务外网接入", "电子政务外网", "JS-JY-AR01", "华为AR2240",
      "10.2.3.1-10.2.3.254", "电信", "20", "机关日常办公", "", "正常使用"],
     A("accepted", "金山县教育局", "金山县", "extranet_admin", ["10.2.3.0/24"], TEL, "AR2240", "Huawei",
       "JS-JY-AR01",
       issues=[I("IP地址段", "info", "host range 10.2.3.1-10.2.3.254 read as the subnet 10.2.3.0/24")])),
    (["2", "金山", "城关", "金山县教育局", "教育城域网", "专网", "JS-JY-R02", "H3C MSR3620",
      "172.18.0.0/16，172.19.0.0/16", "联通", "1000", "教育管理系统、OA办公", "", "无"],
     A("accepted", "金山县教育局", "金山县", "business_private", ["172.18.0.0/16", "172.19.0.0/16"], UNI,
       "MSR3620", "H3C", "JS-JY-R02", merge_target="extranet_admin", rule="R5")),
    (["3", "金山", "北岭", "金山县教育局", "北岭中心校宽带", "宽带", "", "", "动态地址",
      "中国电信金山分公司", "100", "学校上网", "", "无"],
     A("accepted", "金山县教育局", "金山县", "internet", [], TEL)),
    (["4", "金山", "城关", "金山县公安局", "公安信息网", "垂直专网", "JS-GA-FW01", "Huawei USG6330",
      "10.40.0.0/16", "电信", "100", "公安业务", "公安部", "公安部统一建设，与互联网、政务外网物理隔离"],
     A("accepted", "金山县公安局", "金山县", "business_private", ["10.40.0.0/16"], TEL, "USG6330", "Huawei",
       "JS-GA-FW01", vertical_ministry="公安部", built_by_upper=True, merge_target="keep", rule="R2")),
    (["5", "金山", "城关", "县公安局", "执法办案区网络", "局域网", "JS-GA-SW03", "华为S5720-28X-SI",
      "１９２．１６８．２０．０／２４", "", "", "执法办案", "", "正常使用"],
     A("accepted", "金山县公安局", "金山县", "lan", ["192.168.20.0/24"], "", "S5720-28X-SI", "Huawei",
       "JS-GA-SW03")),
    (["6", "金山", "城关", "县政府办", "视频会议网", "政务专网", "JS-ZF-R01", "华为AR2240",
      "10.60.8.0/22", "电信", "50", "县镇两级视频会议", "", "无"],
     A("accepted", "金山县人民政府办公室", "金山县", "gov_private", ["10.60.8.0/22"], TEL, "AR2240", "Huawei",
       "JS-ZF-R01", merge_target="extranet_admin", rule="R5")),
    (["7", "金山", "河口", "金山县政府办", "视频会议网", "政务专网", "JS-ZF-R02", "华为AR2240",
      "10.60.8.0/22", "网通", "50", "县镇两级视频会议", "", "正常使用"],
     A("accepted", "金山县人民政府办公室", "金山县", "gov_private", ["10.60.8.0/22"], UNI, "AR2240", "Huawei",
       "JS-ZF-R02", merge_target="extranet_admin", rule="R5",
       issues=[I("运营商", "warning", "same network 视频会议网 of 金山县人民政府办公室 as row 9 disagrees: "
                                     "carrier China Unicom (网通) here, China Telecom (电信) in row 9")])),
    (None, EMPTY),
    (["8", "金山", "城关", "金山县人民政府办公室", "县政府内网", "内网", "", "",
      "192.168.100.0 255.255.255.0", "", "", "公文处理", "", "涉密"],
     A("accepted", "金山县人民政府办公室", "金山县", "intranet", ["192.168.100.0/24"], "",
       classified=True, merge_target="intranet", rule="R1")),
    (["9", "金山", "城关", "城关镇政府\u3000", "镇政务外网", "外网", "CG-ZF-AR01", "思科ISR4331",
      "10.2.40.0/24", "电信", "20", "镇机关办公", "", "无"],
     A("accepted", "城关镇人民政府", "金山县", "extranet_admin", ["10.2.40.0/24"], TEL, "ISR4331", "Cisco",
       "CG-ZF-AR01")),
    (["10", "金山", "城关", "城关镇人民政府", "镇村便民服务网", "公共服务网", "CG-ZF-AR02", "华为AR2240",
      "10.5.16.1-10.5.16.255", "移动", "50", "便民服务中心，为群众办事提供服务", "", "正常使用"],
     A("accepted", "城关镇人民政府", "金山县", "extranet_public", ["10.5.16.0/24"], MOB, "AR2240", "Huawei",
       "CG-ZF-AR02", public_facing=True,
       issues=[I("IP地址段", "info", "range 10.5.16.1-10.5.16.255 (network address left out) read as 10.5.16.0/24")])),
    (["11", "金山", "城关", "城关镇人民政府", "镇机关办公网", "办公网", "CG-ZF-SW01", "锐捷RG-S2928G-E",
      "192.168.1.0/24", "", "100", "镇机关办公", "", "无"],
     A("accepted", "城关镇人民政府", "金山县", "lan", ["192.168.1.0/24"], "", "RG-S2928G-E", "Ruijie",
       "CG-ZF-SW01")),
    (["12", "金山", "河口", "金山县水利局", "水雨情监测网", "物联网", "", "", "172.21.*.*", "铁通", "20",
      "水位、雨量监测", "", "正常使用"],
     A("accepted", "金山县水利局", "金山县", "unknown", ["172.21.0.0/16"], MOB,
       issues=[I("单位", "warning", "department 金山县水利局 is not in the manifest; kept as written"),
               I("网络类型", "warning", "unknown network type 物联网: kind unknown, for review")])),
    (["13", "金山", "河口", "金山县教育局", "学校安防监控网", "局域网", "", "", "192.168.300.0/24", "电信",
      "100", "校园安防监控", "", "无"],
     A("accepted", "金山县教育局", "金山县", "lan", [], TEL,
       issues=[I("IP地址段", "error", "bad IP 192.168.300.0/24 (octet 300): blanked, row kept")])),
    (["14", "金山", "河口", "", "河口监控点", "局域网", "", "", "192.168.8.0/24", "电信", "20", "", "", ""],
     A("rejected", "", "金山县", "lan", ["192.168.8.0/24"], TEL, issues=[NO_DEPT])),
    (["15", "金山", "城关", "", "县政府机房网", "局域网", "JS-ZF-SW01", "H3C S5130-28S-EI",
      "10.61.1.0/24;10.61.2.0/24", "", "1000", "机房服务器", "", "无"],
     A("accepted", "金山县人民政府办公室", "金山县", "lan", ["10.61.1.0/24", "10.61.2.0/24"], "",
       "S5130-28S-EI", "H3C", "JS-ZF-SW01",
       issues=[I("单位", "warning", "单位 empty: department 金山县人民政府办公室 taken from access device "
                                  "JS-ZF-SW01 (inventory.yaml devices)")])),
    (["16", "金山", "城关", "金山公安局", "人口信息共享前置", "业务专网", "JS-GA-R05", "华为AR2240",
      "10.42.0.0/24", "电信", "10", "政务信息资源共享交换平台前置机", "", "无"],
     A("accepted", "金山县公安局", "金山县", "business_private", ["10.42.0.0/24"], TEL, "AR2240", "Huawei",
       "JS-GA-R05", merge_target="extranet_public", rule="R6")),
]

# ---------------------------------------------------------------- XLSX, 市直 + 东港
EXIT_SHEET = "互联网接入"
EXIT_TITLE = "金山市市直单位互联网接入情况自查表"
EXIT_DATE = "填报日期：2017年12月25日"
EXIT_HEADER = ["序号", "区县", "单位", "网络类型", "接入类型", "接入设备", "设备型号", "公网IP", "运营商",
               "带宽(M)", "费用(元/年)", "合同到期时间", "用途", "备注"]
# merges: (column index 0-based, first row, last row) -- the value sits in the first cell only
EXIT_MERGES = [(1, 4, 9), (2, 4, 5), (2, 7, 8), (1, 10, 11), (2, 10, 11)]
D = dt.datetime
EXIT_ROWS = [
    ([1, "市直", "市大数据局", "互联网", "互联网专线", "JSS-DSJ-FW01", "Huawei USG6330", "203.0.113.0/28", "电信",
      1000, 360000, D(2018, 6, 30), "全市统一互联网出口", "正常使用"],
     A("accepted", "市大数据局", "", "internet", ["203.0.113.0/28"], TEL, "USG6330", "Huawei", "JSS-DSJ-FW01")),
    ([2, None, None, "互联网", "互联网专线", "JSS-DSJ-FW02", "Huawei USG6330", "198.51.100.17-198.51.100.22",
      "联通", 1000, 300000, D(2018, 12, 31), "全市统一互联网出口", "无"],
     A("accepted", "市大数据局", "", "internet", ["198.51.100.16/29"], UNI, "USG6330", "Huawei", "JSS-DSJ-FW02",
       issues=[I("公网IP", "info", "host range 198.51.100.17-198.51.100.22 read as the subnet 198.51.100.16/29")])),
    ([3, None, "政务服务中心", "互联网", "光纤专线", "JSS-SP-R01", "思科ISR4331", "203.0.113.32/29", "网通",
      100, 24000, D(2019, 3, 31), "网上办事大厅", "面向公众"],
     A("accepted", "市行政审批服务局", "", "internet", ["203.0.113.32/29"], UNI, "ISR4331", "Cisco",
       "JSS-SP-R01", public_facing=True)),
    ([4, None, "市税务局", "宽带", "光纤宽带", "", "", "动态地址", "CMCC", 200, 2400, None,
      "办税服务厅访客上网", "无"],
     A("accepted", "市税务局", "", "internet", [], MOB)),
    ([5, None, None, "互联网", "ADSL", "JSS-SW-R01", "H3C MSR3620", "100.64.23.10", "铁通", 20, 1200,
      D(2018, 3, 31), "网上申报", "无"],
     A("accepted", "市税务局", "", "internet", ["100.64.23.10/32"], MOB, "MSR3620", "H3C", "JSS-SW-R01")),
    ([6, None, "市人社局", "互联网", "光纤专线", "JSS-RS-FW01", "华为USG6330", "203.0.113.64/27", "广电",
      "快", None, None, "机关上网", "正常使用"],
     A("accepted", "市人力资源和社会保障局", "", "internet", ["203.0.113.64/27"], BRN, "USG6330", "Huawei",
       "JSS-RS-FW01",
       issues=[I("带宽(M)", "warning", "bandwidth 快 is not a number: blanked, row kept")])),
    ([7, "东港", "东港税务局", "互联网", "光纤专线", "DG-SW-FW01", "Huawei USG6330", "198.51.100.64/29",
      "金山信息港", 100, 36000, D(2019, 6, 30), "机关上网", "无"],
     A("accepted", "东港市税务局", "东港市", "internet", ["198.51.100.64/29"], "金山信息港", "USG6330", "Huawei",
       "DG-SW-FW01",
       issues=[I("运营商", "warning", "unknown carrier 金山信息港: kept as written, flagged")])),
    ([8, None, None, "宽带", "4G", "", "", "拨号", "ＣＭＣＣ", 50, None, None, "备用线路", "无"],
     A("accepted", "东港市税务局", "东港市", "internet", [], MOB)),
    ([9, "市直", "", "互联网", "光纤宽带", "", "", "192.0.2.8/29", "电信", 100, None, None, "", "无"],
     A("rejected", "", "", "internet", ["192.0.2.8/29"], TEL, issues=[NO_DEPT])),
    (["填表人：王芳　　联系电话：0000-1234567"],
     A("rejected", "", "", "", [], "",
       issues=[I("单位", "error", "footer line (填表人/联系电话), no department: rejected")])),
]

LAN_SHEET = "局域网及专网"
LAN_TITLE = "金山市市直单位局域网及专网自查表"
LAN_DATE = "填报日期：2017年12月25日"
LAN_HEADER = ["序号", "区县", "单位", "网络名称", "网络类型", "连接设备", "设备型号", "IP地址段", "运营商",
              "带宽(M)", "用途", "主管部门", "备注"]
LAN_MERGES = [(1, 4, 16), (2, 4, 6), (2, 7, 8), (2, 9, 10), (2, 14, 15)]
LAN_ROWS = [
    ([1, "市直", "市大数据局", "行政服务域", "行政服务域", "JSS-DSJ-CE01", "H3C MSR3620", "10.0.1.0 255.255.255.0",
      "电信", 1000, "行政服务域城域网核心", "", "无"],
     A("accepted", "市大数据局", "", "extranet_admin", ["10.0.1.0/24"], TEL, "MSR3620", "H3C", "JSS-DSJ-CE01")),
    ([2, None, None, "公共服务域", "公共服务域", "JSS-DSJ-CE02", "H3C MSR3620", "10.4.1.0/24\n10.4.2.0/24", "联通",
      1000, "面向公众的网上办事平台", "", "正常使用"],
     A("accepted", "市大数据局", "", "extranet_public", ["10.4.1.0/24", "10.4.2.0/24"], UNI, "MSR3620", "H3C",
       "JSS-DSJ-CE02", public_facing=True)),
    ([3, None, None, "物联网感知平台", "物联网", "", "", "172.20.0.0/22", "移动", 100, "城市物联网感知设备接入", "",
      "正常使用"],
     A("accepted", "市大数据局", "", "unknown", ["172.20.0.0/22"], MOB,
       issues=[I("网络类型", "warning", "unknown network type 物联网: kind unknown, for review")])),
    ([4, None, "市税务局", "金税三期专网", "纵向网", "JSS-SW-R02", "思科ISR4331", "10.70.0.0/16", "电信", 100,
      "税收征管", "", "税务总局垂直管理的纵向网"],
     A("accepted", "市税务局", "", "business_private", ["10.70.0.0/16"], TEL, "ISR4331", "Cisco", "JSS-SW-R02",
       vertical_ministry="国家税务总局", merge_target="keep", rule="R2")),
    ([5, None, None, "电子税务局", "公共服务网", "JSS-SW-R03", "思科ISR4331", "10.5.8.0/24", "电信", 50,
      "为纳税人网上办税，面向公众", "", "无"],
     A("accepted", "市税务局", "", "extranet_public", ["10.5.8.0/24"], TEL, "ISR4331", "Cisco", "JSS-SW-R03",
       public_facing=True)),
    ([6, None, "市人社局", "人社专网", "业务专网", "JSS-RS-R01", "华为AR2240", "10.80.0.0/16", "联通", 100,
      "社保经办", "人力资源和社会保障部", "跑在外网专用网络区上"],
     A("accepted", "市人力资源和社会保障局", "", "business_private", ["10.80.0.0/16"], UNI, "AR2240", "Huawei",
       "JSS-RS-R01", vertical_ministry="人力资源和社会保障部", on_extranet=True,
       merge_target="extranet_vpn", rule="R3")),
    ([7, None, None, "人社专网", "业务专网", "JSS-RS-R02", "华为AR2240", "10.81.0.0/16", "联通", 100,
      "社保经办", "人力资源和社会保障部", "跑在外网专用网络区上"],
     A("accepted", "市人力资源和社会保障局", "", "business_private", ["10.81.0.0/16"], UNI, "AR2240", "Huawei",
       "JSS-RS-R02", vertical_ministry="人力资源和社会保障部", on_extranet=True,
       merge_target="extranet_vpn", rule="R3",
       issues=[I("IP地址段", "warning", "same network 人社专网 of 市人力资源和社会保障局 as row 9 disagrees: "
                                     "range 10.81.0.0/16 here, 10.80.0.0/16 in row 9")])),
    ([8, None, "市卫健委", "全民健康信息专网", "专网", "JSS-WJ-R01", "H3C MSR3620", "10.90.0.0/16", "电信", 200,
      "医疗机构数据上报", "", "省卫健委统一建设，已接入政务外网"],
     A("accepted", "市卫生健康委员会", "", "business_private", ["10.90.0.0/16"], TEL, "MSR3620", "H3C",
       "JSS-WJ-R01", vertical_ministry="省卫健委", built_by_upper=True, on_extranet=True,
       merge_target="extranet_vpn", rule="R3")),
    ([9, None, "市审批局", "政务服务网", "政务专网", "JSS-SP-R02", "华为AR2240", "172.16.10.0/24、172.16.11.0/24",
      "联通", 100, "政务服务大厅窗口受理，为群众办事提供服务", "", "正常使用"],
     A("accepted", "市行政审批服务局", "", "gov_private", ["172.16.10.0/24", "172.16.11.0/24"], UNI, "AR2240",
       "Huawei", "JSS-SP-R02", public_facing=True, merge_target="extranet_public", rule="R4")),
    ([10, None, "市统计局", "统计联网直报网", "垂直专网", "JSS-TJ-R01", "华为AR2240", "10.100.0.0/24", "电信", 20,
      "统计数据直报", "国家统计局", "国家局统建"],
     A("accepted", "市统计局", "", "business_private", ["10.100.0.0/24"], TEL, "AR2240", "Huawei", "JSS-TJ-R01",
       vertical_ministry="国家统计局", built_by_upper=True, merge_target="keep", rule="R2")),
    ([11, None, "市档案局", "档案涉密网", "涉密网", "", "", "192.168.50.0/24", "", None, "档案管理", "", "无"],
     A("accepted", "市档案局", "", "intranet", ["192.168.50.0/24"], "", classified=True,
       merge_target="intranet", rule="R1")),
    ([12, None, None, "档案馆局域网", "局域网", "JSS-DA-SW01", "H3C S5130-28S-EI", "192.168.1.0/24", "", 100,
      "馆内办公", "", "无"],
     A("accepted", "市档案局", "", "lan", ["192.168.1.0/24"], "", "S5130-28S-EI", "H3C", "JSS-DA-SW01")),
    ([13, None, "", "监控专网", "专网", "", "", "172.30.0.0/24", "电信", 20, "", "", ""],
     A("rejected", "", "", "business_private", ["172.30.0.0/24"], TEL, issues=[NO_DEPT])),
    ([14, "东港", "东港市税务局", "金税三期专网", "纵向网", "DG-SW-R01", "思科ISR4331", "10.70.128.0/20", "电信", 50,
      "税收征管", "国家税务总局", "已承载于政务外网专用网络区"],
     A("accepted", "东港市税务局", "东港市", "business_private", ["10.70.128.0/20"], TEL, "ISR4331", "Cisco",
       "DG-SW-R01", vertical_ministry="国家税务总局", on_extranet=True, merge_target="extranet_vpn", rule="R3")),
]

# ---------------------------------------------------------------- XLS (BIFF8), 青石区
XLS_SHEET = "Sheet1"
XLS_TITLE = "青石区局域网及专网自查表"
XLS_DATE = "填报日期：2017年12月22日"
XLS_HEADER = ["序号", "区县", "镇街", "单位", "网络名称", "网络类型", "连接设备", "设备型号", "IP地址段", "运营商",
              "带宽", "用途", "主管部委", "备注"]
XLS_MERGES = [(1, 4, 13), (3, 4, 5), (3, 6, 7), (3, 8, 9)]
XLS_ROWS = [
    ([1, "青石", "青石街道", "青石审批局", "政务服务专网", "专网", "QS-SP-R01", "华为AR2240", "172.24.0.0/24", "移动",
      100, "12345热线及便民服务，面向企业和群众", "", "无"],
     A("accepted", "青石区行政审批服务局", "青石区", "business_private", ["172.24.0.0/24"], MOB, "AR2240", "Huawei",
       "QS-SP-R01", public_facing=True, merge_target="extranet_public", rule="R4")),
    ([2, None, "南湖", None, "政务服务专网", "专网", "QS-SP-R01", "华为AR2240", "172.24.0.0 255.255.255.0",
      "中国移动", 100, "12345热线及便民服务", "", "正常使用"],
     A("accepted", "青石区行政审批服务局", "青石区", "business_private", ["172.24.0.0/24"], MOB, "AR2240", "Huawei",
       "QS-SP-R01", public_facing=True, merge_target="extranet_public", rule="R4")),
    ([3, None, "青石街道", "青石区卫健局", "区域卫生专网", "专网", "QS-WJ-R01", "H3C MSR3620", "10.91.0.0/16", "电信",
      100, "基层医疗机构业务", "省卫健委", "省卫健委统一建设，暂未接入政务外网"],
     A("accepted", "青石区卫生健康局", "青石区", "business_private", ["10.91.0.0/16"], TEL, "MSR3620", "H3C",
       "QS-WJ-R01", vertical_ministry="省卫健委", built_by_upper=True, merge_target="keep", rule="R2")),
    ([4, None, "青石街道", None, "卫健办公网", "办公网", "QS-WJ-SW01", "华为S5720-28X-SI", "192.168.1.0/24", "", "",
      "机关办公", "", "无"],
     A("accepted", "青石区卫生健康局", "青石区", "lan", ["192.168.1.0/24"], "", "S5720-28X-SI", "Huawei",
       "QS-WJ-SW01")),
    ([5, None, "青石街道", "区财政局", "财政专网", "业务专网", "QS-CZ-FW01", "Huawei USG6330",
      "10.110.0.0/16\n10.111.0.0/16", "联通", 100, "国库集中支付", "财政部", "不涉密，已接入政务外网"],
     A("accepted", "青石区财政局", "青石区", "business_private", ["10.110.0.0/16", "10.111.0.0/16"], UNI,
       "USG6330", "Huawei", "QS-CZ-FW01", vertical_ministry="财政部", on_extranet=True,
       merge_target="extranet_vpn", rule="R3")),
    ([6, None, "青石街道", None, "财政内网", "内网", "", "", "192.168.200.0/24", "", "", "涉密文件处理", "", "涉密"],
     A("accepted", "青石区财政局", "青石区", "intranet", ["192.168.200.0/24"], "", classified=True,
       merge_target="intranet", rule="R1")),
    ([7, None, "南湖", "", "临时监控", "局域网", "", "", "192.168.9.0/24", "电信", 10, "", "", ""],
     A("rejected", "", "青石区", "lan", ["192.168.9.0/24"], TEL, issues=[NO_DEPT])),
    ([8, None, "青石街道", "青石区行政审批服务局", "政务外网", "政务外网", "QS-SP-CE01", "华为AR2240", "10.3.20.0/24",
      "电信", 100, "审批业务办公", "", "正常使用"],
     A("accepted", "青石区行政审批服务局", "青石区", "extranet_admin", ["10.3.20.0/24"], TEL, "AR2240", "Huawei",
       "QS-SP-CE01")),
    ([9, None, "青石街道", "青石区卫生健康局", "健康档案前置机", "业务专网", "", "", "10.9.0.10-10.9.0.20", "电信", 10,
      "共享交换平台前置机，交换健康档案数据", "", "无"],
     A("accepted", "青石区卫生健康局", "青石区", "business_private",
       ["10.9.0.10/31", "10.9.0.12/30", "10.9.0.16/30", "10.9.0.20/32"], TEL,
       merge_target="extranet_public", rule="R6")),
    ([10, None, "青石街道", "区财政局", "财政外网", "外网", "QS-CZ-R02", "思科ISR4331", "10.2.50.0/24", "网通", 20,
      "预算编制", "", "无"],
     A("accepted", "青石区财政局", "青石区", "extranet_admin", ["10.2.50.0/24"], UNI, "ISR4331", "Cisco",
       "QS-CZ-R02")),
]

FIRST_DATA_ROW = 4  # row 1 title, row 2 填报日期, row 3 header


def numbered(rows):
    return [(FIRST_DATA_ROW + i, cells, ans) for i, (cells, ans) in enumerate(rows)]


def write_csv():
    path = os.path.join(HERE, CSV_FILE)
    width = len(CSV_HEADER)
    with open(path, "w", encoding="gbk", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow([CSV_TITLE] + [""] * (width - 1))
        w.writerow([CSV_DATE] + [""] * (width - 1))
        w.writerow(CSV_HEADER)
        for cells, _ in CSV_ROWS:
            w.writerow(cells if cells is not None else [""] * width)


def write_xlsx():
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for name, title, date, header, rows, merges in (
            (EXIT_SHEET, EXIT_TITLE, EXIT_DATE, EXIT_HEADER, EXIT_ROWS, EXIT_MERGES),
            (LAN_SHEET, LAN_TITLE, LAN_DATE, LAN_HEADER, LAN_ROWS, LAN_MERGES)):
        ws = wb.create_sheet(name)
        last = get_column_letter(len(header))
        ws["A1"] = title
        ws["A1"].font = Font(size=16, bold=True)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.merge_cells(f"A1:{last}1")
        ws["A2"] = date
        for c, h in enumerate(header, 1):
            ws.cell(row=3, column=c, value=h).font = Font(bold=True)
        for r, cells, _ in numbered(rows):
            for c, v in enumerate(cells, 1):
                if v is None or v == "":
                    continue   # an empty cell stays empty (no empty-string cell)
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
                if isinstance(v, str) and "\n" in v:
                    cell.alignment = Alignment(wrap_text=True)
        for col, r1, r2 in merges:
            letter = get_column_letter(col + 1)
            ws.merge_cells(f"{letter}{r1}:{letter}{r2}")
            ws[f"{letter}{r1}"].alignment = Alignment(vertical="center")
        for c in range(1, len(header) + 1):
            ws.column_dimensions[get_column_letter(c)].width = 16
    wb.save(os.path.join(HERE, XLSX_FILE))


def write_xls():
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(XLS_SHEET)
    title_style = xlwt.easyxf("font: bold on, height 320; align: horiz center")
    bold = xlwt.easyxf("font: bold on")
    wrap = xlwt.easyxf("align: wrap on")
    datefmt = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    n = len(XLS_HEADER)
    ws.write_merge(0, 0, 0, n - 1, XLS_TITLE, title_style)         # row 1
    ws.write_merge(1, 1, n - 3, n - 1, XLS_DATE)                    # row 2, right-hand side
    for c, h in enumerate(XLS_HEADER):
        ws.write(2, c, h, bold)                                     # row 3
    merged_starts = {(col, r1): r2 for col, r1, r2 in XLS_MERGES}
    merged_cells = {(col, r) for col, r1, r2 in XLS_MERGES for r in range(r1, r2 + 1)}
    for r, cells, _ in numbered(XLS_ROWS):
        for c, v in enumerate(cells):
            if (c, r) in merged_starts:
                ws.write_merge(r - 1, merged_starts[(c, r)] - 1, c, c, v)
                continue
            if (c, r) in merged_cells or v is None or v == "":
                continue
            if isinstance(v, dt.datetime):
                ws.write(r - 1, c, v, datefmt)
            elif isinstance(v, str) and "\n" in v:
                ws.write(r - 1, c, v, wrap)
            else:
                ws.write(r - 1, c, v)
    for c in range(n):
        ws.col(c).width = 256 * 16
    wb.save(os.path.join(HERE, XLS_FILE))


# ---------------------------------------------------------------- answers.yaml
def q(s):
    """YAML scalar: quote everything that is a string, so nothing is re-typed by a YAML reader."""
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_answers():
    files = [(CSV_FILE, "", CSV_ROWS), (XLSX_FILE, EXIT_SHEET, EXIT_ROWS), (XLSX_FILE, LAN_SHEET, LAN_ROWS),
             (XLS_FILE, XLS_SHEET, XLS_ROWS)]
    out = ["# Hand answers for the blind sheet case (issue 18). See README.md for every decision.",
           "# row = physical row number as Excel / a text editor shows it (row 1 = title, 2 = 填报日期, 3 = header).",
           "files:"]
    for f, sheet, rows in files:
        st = [a["status"] for _, a in rows]
        out += [f"  - file: {q(f)}", f"    sheet: {q(sheet)}",
                f"    data_rows: {st.count('accepted') + st.count('rejected')}",
                f"    accepted: {st.count('accepted')}", f"    rejected: {st.count('rejected')}"]
    out.append("rows:")
    for f, sheet, rows in files:
        for r, _, a in numbered(rows):
            fa = a["facts"]
            out += [f"  - file: {q(f)}", f"    sheet: {q(sheet)}", f"    row: {r}", f"    status: {a['status']}",
                    f"    department: {q(a['department'])}", f"    district: {q(a['district'])}",
                    f"    kind: {q(a['kind'])}",
                    "    cidrs: [" + ", ".join(a["cidrs"]) + "]",
                    f"    carrier: {q(a['carrier'])}", f"    model: {q(a['model'])}", f"    vendor: {q(a['vendor'])}",
                    f"    access_device: {q(a['access_device'])}",
                    "    facts:",
                    f"      vertical_ministry: {q(fa['vertical_ministry'])}",
                    f"      built_by_upper: {str(fa['built_by_upper']).lower()}",
                    f"      on_extranet: {str(fa['on_extranet']).lower()}",
                    f"      public_facing: {str(fa['public_facing']).lower()}",
                    f"      classified: {str(fa['classified']).lower()}",
                    f"    merge_target: {q(a['merge_target'])}", f"    rule: {q(a['rule'])}"]
            if a["issues"]:
                out.append("    issues:")
                for i in a["issues"]:
                    out.append(f"      - {{column: {q(i['column'])}, severity: {i['severity']}, what: {q(i['what'])}}}")
            else:
                out.append("    issues: []")
    with open(os.path.join(HERE, "answers.yaml"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write_csv()
    write_xlsx()
    write_xls()
    write_answers()
    print("written:", CSV_FILE, XLSX_FILE, XLS_FILE, "answers.yaml")
