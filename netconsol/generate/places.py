"""Names the generator draws from: Zaozhuang's 2017 divisions, departments, private networks.

District and town names follow DOMAIN.md (2017-era divisions of 枣庄市).  Each
town carries the pinyin initials used in hostnames (``XC-LC-AR01`` = 薛城区
临城街道, access router 1); where two towns of one district share initials the
second gets a longer code.  Departments, their codes and every network, device
and address are fictitious.  Town administrative codes are deliberately left
out: a made-up 9-digit code would look real.
"""
from __future__ import annotations

from dataclasses import dataclass

# (name, code, slug, hostname prefix, [(town, initials)])
DISTRICTS = (
    ("市中区", "370402", "shizhong", "SZ", (
        ("中心街街道", "ZXJ"), ("垎塔埠街道", "GTB"), ("矿区街道", "KQ"), ("文化路街道", "WHL"),
        ("龙山路街道", "LSL"), ("光明路街道", "GML"), ("税郭镇", "SG"), ("孟庄镇", "MZ"), ("齐村镇", "QC"),
        ("永安镇", "YA"), ("西王庄镇", "XWZ"))),
    ("薛城区", "370403", "xuecheng", "XC", (
        ("临城街道", "LC"), ("兴仁街道", "XR"), ("兴城街道", "XC"), ("沙沟镇", "SG"), ("周营镇", "ZY"),
        ("邹坞镇", "ZW"), ("陶庄镇", "TZ"), ("常庄镇", "CZ"), ("张范镇", "ZF"))),
    ("峄城区", "370404", "yicheng", "YC", (
        ("坛山街道", "TS"), ("吴林街道", "WL"), ("古邵镇", "GS"), ("阴平镇", "YP"), ("底阁镇", "DG"),
        ("榴园镇", "LY"), ("峨山镇", "ES"))),
    ("台儿庄区", "370405", "taierzhuang", "TEZ", (
        ("运河街道", "YH"), ("邳庄镇", "PZ"), ("张山子镇", "ZSZ"), ("泥沟镇", "NG"), ("涧头集镇", "JTJ"),
        ("马兰屯镇", "MLT"))),
    ("山亭区", "370406", "shanting", "ST", (
        ("山城街道", "SC"), ("店子镇", "DZ"), ("西集镇", "XJ"), ("桑村镇", "SAC"), ("北庄镇", "BZ"),
        ("城头镇", "CT"), ("徐庄镇", "XZ"), ("水泉镇", "SQ"), ("冯卯镇", "FM"), ("凫城镇", "FC"))),
    ("滕州市", "370481", "tengzhou", "TZ", (
        ("龙泉街道", "LQ"), ("荆河街道", "JH"), ("善南街道", "SN"), ("北辛街道", "BX"), ("姜屯镇", "JT"),
        ("级索镇", "JS"), ("洪绪镇", "HX"), ("木石镇", "MS"), ("鲍沟镇", "BG"), ("大坞镇", "DW"),
        ("龙阳镇", "LY"), ("界河镇", "JIH"), ("东郭镇", "DG"), ("官桥镇", "GQ"), ("西岗镇", "XG"),
        ("滨湖镇", "BH"), ("南沙河镇", "NSH"), ("张汪镇", "ZW"), ("柴胡店镇", "CHD"), ("羊庄镇", "YZ"),
        ("东沙河镇", "DSH"))),
)
CITY = "枣庄市"
CITY_CODE = "370400"
SEAT = "薛城区"

# Syllables for the fictitious districts and towns of larger generated cases.
SYLLABLES = (
    ("安", "an"), ("平", "ping"), ("兴", "xing"), ("东", "dong"), ("西", "xi"), ("南", "nan"), ("北", "bei"),
    ("河", "he"), ("山", "shan"), ("阳", "yang"), ("清", "qing"), ("泉", "quan"), ("丰", "feng"), ("宁", "ning"),
    ("华", "hua"), ("龙", "long"), ("凤", "feng"), ("永", "yong"), ("新", "xin"), ("石", "shi"), ("桥", "qiao"),
    ("林", "lin"), ("湖", "hu"), ("青", "qing"), ("云", "yun"), ("金", "jin"), ("玉", "yu"), ("长", "chang"),
    ("乐", "le"), ("和", "he"), ("明", "ming"), ("德", "de"), ("福", "fu"), ("庆", "qing"), ("泰", "tai"),
    ("康", "kang"), ("临", "lin"), ("沙", "sha"), ("岭", "ling"), ("源", "yuan"), ("柳", "liu"), ("桃", "tao"),
)

# City-level departments: (name, hostname code, aliases).  Order = priority when
# fewer are asked for: the extranet operator first, then the owners of the
# private networks and mandated exits, then the rest.
CITY_DEPARTMENTS = (
    ("市大数据局", "DSJ", ()),
    ("市公安局", "GA", ()),
    ("市人力资源和社会保障局", "RS", ("市人社局",)),
    ("市医疗保障局", "YB", ("市医保局",)),
    ("市教育局", "JY", ()),
    ("市财政局", "CZ", ()),
    ("市委办公室", "SWB", ()),
    ("市政府办公室", "ZFB", ()),
    ("市12345政务服务便民热线", "RX", ("12345热线",)),
    ("市自然资源和规划局", "ZRZY", ("市自然资源局",)),
    ("市住房公积金管理中心", "GJJ", ("市住房公积金中心", "市公积金中心")),
    ("市城市管理局", "CG", ("市城管局",)),
    ("市应急管理局", "YJ", ("市应急局",)),
    ("国家税务总局枣庄市税务局", "SWJ", ("市税务局",)),
    ("市卫生健康委员会", "WJ", ("市卫健委",)),
    ("市发展和改革委员会", "FGW", ("市发改委",)),
    ("市科学技术局", "KJ", ("市科技局",)),
    ("市工业和信息化局", "GXJ", ("市工信局",)),
    ("市民政局", "MZ", ()),
    ("市司法局", "SF", ()),
    ("市生态环境局", "SHJ", ()),
    ("市住房和城乡建设局", "ZJJ", ("市住建局",)),
    ("市交通运输局", "JT", ()),
    ("市水利局", "SL", ()),
    ("市农业农村局", "NY", ()),
    ("市商务局", "SW", ()),
    ("市文化和旅游局", "WL", ("市文旅局",)),
    ("市退役军人事务局", "TYJR", ()),
    ("市审计局", "SJ", ()),
    ("市市场监督管理局", "SCJ", ("市市场监管局",)),
    ("市统计局", "TJ", ()),
    ("市行政审批服务局", "XZSP", ("市审批局",)),
    ("市信访局", "XF", ()),
    ("市人民防空办公室", "RF", ("市人防办",)),
    ("市机关事务服务中心", "JGSW", ()),
    ("市档案馆", "DA", ()),
    ("市气象局", "QX", ()),
    ("市民族宗教事务局", "MZZJ", ()),
    ("市体育局", "TY", ()),
    ("市国有资产监督管理委员会", "GZW", ("市国资委",)),
    ("市外事办公室", "WSB", ("市外办",)),
    ("市总工会", "ZGH", ()),
    ("市残疾人联合会", "CL", ("市残联",)),
    ("市地震局", "DZJ", ()),
    ("市供销合作社", "GXS", ()),
)
PUBLIC_FACING_DEPTS = {"市12345政务服务便民热线", "市行政审批服务局", "市自然资源和规划局", "市教育局",
                       "市住房公积金管理中心", "市人力资源和社会保障局", "市医疗保障局", "市卫生健康委员会"}

# District-level bureaus: (suffix, code).  The first BASE_DISTRICT_BUREAUS exist in every district.
DISTRICT_BUREAUS = (
    ("大数据中心", "DSJ"), ("政府办公室", "ZFB"), ("教育局", "JY"), ("卫生健康局", "WJ"),
    ("公安分局", "GA"), ("人力资源和社会保障局", "RS"), ("财政局", "CZ"), ("医疗保障局", "YB"),
    ("应急管理局", "YJ"), ("自然资源局", "ZR"), ("城市管理局", "CG"), ("行政审批服务局", "XZSP"),
    ("市场监督管理局", "SCJ"), ("民政局", "MZ"), ("农业农村局", "NY"),
)
BASE_DISTRICT_BUREAUS = 4


def bureau_name(district: str, suffix: str) -> str:
    # a county-level city (滕州市) has its own 公安局, a district a 公安分局
    if district.endswith("市") and suffix == "公安分局":
        suffix = "公安局"
    return district + suffix


# The twelve department private networks of the demo, in priority order.
# target/rule: the expected domain per DOMAIN.md's default rules.
PRIVATE_NETWORKS = (
    dict(id="gongan-video", name="公安视频专网", kind="business_private", dept="市公安局", purpose="视频监控",
         vertical_ministry="公安部", on_extranet=False, public_facing=False, classified=False,
         target="keep", rule="R2", sheet_kind="业务专网", carrier="China Telecom", tags=""),
    dict(id="renshe", name="人社专网", kind="business_private", dept="市人力资源和社会保障局", purpose="社保经办",
         vertical_ministry="人力资源和社会保障部", on_extranet=True, public_facing=False, classified=False,
         target="extranet_vpn", rule="R3", sheet_kind="业务专网", carrier="China Unicom", tags="", vrf="renshe"),
    dict(id="yibao", name="医保专网", kind="business_private", dept="市医疗保障局", purpose="医保结算",
         vertical_ministry="国家医疗保障局", on_extranet=True, public_facing=False, classified=False,
         target="extranet_vpn", rule="R3", sheet_kind="业务专网", carrier="China Unicom", tags="split-from-renshe",
         vrf="yibao"),
    dict(id="jiaoyu", name="教育城域网", kind="gov_private", dept="市教育局", purpose="学校上网与教育资源公共服务",
         vertical_ministry="", on_extranet=False, public_facing=True, classified=False,
         target="extranet_public", rule="R4", sheet_kind="政务专网", carrier="China Telecom", tags=""),
    dict(id="caizheng", name="财政专网", kind="gov_private", dept="市财政局", purpose="预算与国库集中支付",
         vertical_ministry="", on_extranet=False, public_facing=False, classified=False,
         target="extranet_admin", rule="R5", sheet_kind="政务专网", carrier="China Mobile", tags=""),
    dict(id="shemi", name="机要涉密网", kind="gov_private", dept="市委办公室", purpose="涉密公文传输",
         vertical_ministry="", on_extranet=False, public_facing=False, classified=True,
         target="intranet", rule="R1", sheet_kind="政务专网", carrier="", tags="classified"),
    dict(id="shipin", name="视频会议网", kind="gov_private", dept="市政府办公室", purpose="视频会议",
         vertical_ministry="", on_extranet=False, public_facing=False, classified=False,
         target="extranet_admin", rule="R5", sheet_kind="政务专网", carrier="China Unicom", tags=""),
    dict(id="rexian-12345", name="12345热线网", kind="gov_private", dept="市12345政务服务便民热线",
         purpose="12345热线受理与便民服务", vertical_ministry="", on_extranet=False, public_facing=True,
         classified=False, target="extranet_public", rule="R4", sheet_kind="政务专网", carrier="China Telecom", tags=""),
    dict(id="budongchan", name="不动产登记网", kind="gov_private", dept="市自然资源和规划局",
         purpose="不动产登记便民服务", vertical_ministry="", on_extranet=False, public_facing=True,
         classified=False, target="extranet_public", rule="R4", sheet_kind="政务专网", carrier="China Mobile", tags=""),
    dict(id="gongjijin", name="公积金网", kind="gov_private", dept="市住房公积金管理中心",
         purpose="公积金数据共享交换", vertical_ministry="", on_extranet=False, public_facing=False,
         classified=False, target="extranet_public", rule="R6", sheet_kind="政务专网", carrier="China Telecom",
         tags="exchange-client"),
    dict(id="chengguan", name="城管网", kind="gov_private", dept="市城市管理局", purpose="数字城管外勤站点",
         vertical_ministry="", on_extranet=False, public_facing=False, classified=False,
         target="extranet_admin", rule="R7", sheet_kind="政务专网", carrier="China Mobile",
         tags="remote-sites no-leased-line"),
    dict(id="yingji", name="应急指挥网", kind="gov_private", dept="市应急管理局", purpose="应急指挥调度",
         vertical_ministry="", on_extranet=False, public_facing=False, classified=False,
         target="extranet_admin", rule="R5", sheet_kind="政务专网", carrier="China Unicom", tags=""),
)
# Templates for district copies of private networks in larger cases: (template id, bureau code).
EXTRA_TEMPLATES = (
    ("jiaoyu", "JY"), ("gongan-video", "GA"), ("chengguan", "CG"), ("yingji", "YJ"), ("budongchan", "ZR"),
    ("renshe", "RS"), ("yibao", "YB"), ("caizheng", "CZ"), ("shipin", "ZFB"),
)

# Carriers: canonical English name (DOMAIN.md) -> spellings people use in sheets, and in configs.
CARRIERS = {
    "China Telecom": dict(sheet=("电信", "中国电信", "中国电信枣庄分公司", "天翼", "CTCC", "ChinaNet"),
                          config=("ChinaNet", "电信", "CT", "中国电信")),
    "China Unicom": dict(sheet=("联通", "中国联通", "中国联通枣庄分公司", "网通", "CUCC"),
                         config=("CUCC", "联通", "China169", "中国联通")),
    "China Mobile": dict(sheet=("移动", "中国移动", "CMCC", "中国移动枣庄分公司", "铁通"),
                         config=("CMCC", "移动", "CMNET", "中国移动")),
    "China Broadnet": dict(sheet=("广电", "广电网络", "有线"), config=("广电", "CATV")),
}
CARRIER_ASN = {"China Telecom": 4134, "China Unicom": 4837, "China Mobile": 9808}
UNKNOWN_CARRIER = "中国铁塔"   # a tower company, not an ISP: the planted unknown carrier

MINISTRY_EXITS = (("市公安局", "公安部"), ("国家税务总局枣庄市税务局", "国家税务总局"))


# ------------------------------------------------------------------------------------------------
# City profiles.  The demo is Zaozhuang's 2017 divisions; ``hongchuan`` is a second city made up
# whole (泓川市 does not exist): its districts and towns share no name with Zaozhuang's, so what a
# plan written for it says can be checked for demo place names (issue 17: rules that fit any city).
HONGCHUAN_DISTRICTS = (
    ("澜湾区", "", "lanwan", "LW", (
        ("滨江街道", "BJ"), ("望潮街道", "WC"), ("渔浦镇", "YP"), ("芦汀镇", "LT"), ("潮音镇", "CY"))),
    ("柳岸区", "", "liuan", "LA", (
        ("杏坛街道", "XT"), ("桑园镇", "SY"), ("荷塘镇", "HT"), ("石埠镇", "SB"))),
    ("云溪县", "", "yunxi", "YX", (
        ("云溪镇", "YX"), ("松岭镇", "SL"), ("竹坪镇", "ZP"), ("茶溪镇", "CX"), ("鹭汀镇", "LUT"))),
    ("青枫县", "", "qingfeng", "QF", (
        ("青枫镇", "QF"), ("枫林镇", "FL"), ("鹤鸣镇", "HM"), ("砚田镇", "YT"))),
)


@dataclass(frozen=True)
class CityProfile:
    """What differs from one generated city to another: its name, divisions, seat, the core's
    hostname prefix, and the names that carry the city's name (the tax bureau, carrier branches)."""
    key: str
    city: str
    city_code: str
    seat: str
    districts: tuple
    core_prefix: str
    description: str           # one line for the generated README

    @property
    def short(self) -> str:    # 枣庄 for 枣庄市: carrier branches are 中国电信枣庄分公司
        return self.city[:-1] if self.city.endswith("市") else self.city

    @property
    def departments(self) -> tuple:
        return tuple((n.replace(CITY, self.city), c, a) for n, c, a in CITY_DEPARTMENTS)

    @property
    def ministry_exits(self) -> tuple:
        return tuple((n.replace(CITY, self.city), m) for n, m in MINISTRY_EXITS)

    @property
    def public_facing(self) -> set:
        return {n.replace(CITY, self.city) for n in PUBLIC_FACING_DEPTS}

    @property
    def carriers(self) -> dict:
        short = CITY[:-1]
        return {c: dict(sheet=tuple(a.replace(short, self.short) for a in v["sheet"]), config=v["config"])
                for c, v in CARRIERS.items()}

    def place_names(self) -> set:
        """Every district and town name of the profile (what a plan for another city must not name)."""
        return {d[0] for d in self.districts} | {t for d in self.districts for t, _ in d[4]}


PROFILES = {
    "zaozhuang": CityProfile("zaozhuang", CITY, CITY_CODE, SEAT, DISTRICTS, "ZZ",
                             "A consolidation case for a city like Zaozhuang in 2017 (6 districts, 64 towns and "
                             "streets)"),
    "hongchuan": CityProfile("hongchuan", "泓川市", "", "澜湾区", HONGCHUAN_DISTRICTS, "HC",
                             "A consolidation case for 泓川市, a city made up whole (4 districts, 18 towns and "
                             "streets; no real place)"),
}
DEFAULT_PROFILE = "zaozhuang"
