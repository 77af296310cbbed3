#!/usr/bin/env python3
"""Generate a synthetic but realistic `guide` project for benchmarks.

    python3 bench/gen_corpus.py N OUTDIR [--seed S]

writes OUTDIR/guide.yaml, OUTDIR/materials.yaml and
OUTDIR/guides/<category-slug>/<id>.yaml for N matters.  Same N and seed give
byte-identical files.  Standard library only; the YAML is emitted by hand
(see `Yaml` below), quoting every scalar that could be read as anything but a
plain string.

The corpus is meant to pass `guide check` with no error and no warning:
every catalogue entry is referenced, every situation is used by a material,
inline material names are unique per matter, form and counts agree, contact
phones differ, no `expires`, no `<` in any text, review_by in 2030.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import sys
import zlib

# ---------------------------------------------------------------------------
# YAML emission
# ---------------------------------------------------------------------------


class Lit(str):
    """A Markdown string emitted as a `|` block scalar."""


class Flow:
    """A short list or map emitted in flow style: [a, b] / {k: v}."""

    def __init__(self, value):
        self.value = value


class Raw(str):
    """Emitted verbatim (dates)."""


class Q(str):
    """A string that is always double-quoted (codes, phones)."""


_RESERVED = {
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
}
_BAD_FIRST = set("-?:,[]{}#&*!|>'\"%@`=")
_BAD_ANY = set(":#,[]{}\\\"'\n\r\t")


def plain_ok(s: str) -> bool:
    if not s or s != s.strip():
        return False
    if s[0] in _BAD_FIRST:
        return False
    if s[0].isascii() and (s[0].isdigit() or s[0] in "+.~"):
        return False
    if any(c in _BAD_ANY for c in s):
        return False
    if s.lower() in _RESERVED:
        return False
    return True


def dq(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, Q):
        return dq(v)
    if isinstance(v, str):
        return v if plain_ok(v) else dq(v)
    raise TypeError(f"cannot emit {type(v).__name__}")


def flow(v) -> str:
    if isinstance(v, Flow):
        v = v.value
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    return scalar(v)


class Yaml:
    def __init__(self):
        self.lines: list[str] = []

    def comment(self, text: str):
        self.lines.append("# " + text)

    def blank(self):
        self.lines.append("")

    def _literal(self, text: str, indent: int):
        for line in text.rstrip("\n").split("\n"):
            self.lines.append(" " * indent + line if line else "")

    def mapping(self, d: dict, indent: int = 0):
        pad = " " * indent
        for k, v in d.items():
            if v is None:
                continue
            if isinstance(v, Flow):
                self.lines.append(f"{pad}{k}: {flow(v)}")
            elif isinstance(v, Lit):
                self.lines.append(f"{pad}{k}: |")
                self._literal(v, indent + 2)
            elif isinstance(v, dict):
                self.lines.append(f"{pad}{k}:")
                self.mapping(v, indent + 2)
            elif isinstance(v, list) and not v:
                self.lines.append(f"{pad}{k}: []")
            elif isinstance(v, list):
                self.lines.append(f"{pad}{k}:")
                self.sequence(v, indent + 2)
            else:
                self.lines.append(f"{pad}{k}: {scalar(v)}")

    def sequence(self, items: list, indent: int):
        pad = " " * indent
        for item in items:
            if isinstance(item, dict):
                start = len(self.lines)
                self.mapping(item, indent + 2)
                first = self.lines[start]
                self.lines[start] = pad + "- " + first[indent + 2:]
            elif isinstance(item, Lit):
                self.lines.append(f"{pad}- |")
                self._literal(item, indent + 2)
            elif isinstance(item, Flow):
                self.lines.append(f"{pad}- {flow(item)}")
            else:
                self.lines.append(f"{pad}- {scalar(item)}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

CITY = "乌鲁木齐市"
BASE_URL = "https://zwfw.example.gov.cn/guide/"
SITE = "https://zwfw.example.gov.cn"

DISTRICTS = [
    ("天山区", "tianshan"), ("沙依巴克区", "shayibake"), ("新市区", "xinshi"),
    ("水磨沟区", "shuimogou"), ("头屯河区", "toutunhe"), ("达坂城区", "dabancheng"),
    ("米东区", "midong"), ("乌鲁木齐县", "wulumuqi-county"),
]

# GB2312 level-1 hanzi (3,755 common characters), for street, community,
# building and enterprise names.
HANZI = "".join(
    bytes([row, cell]).decode("gb2312")
    for row in range(0xB0, 0xD8)
    for cell in range(0xA1, 0xFF)
    if not (row == 0xD7 and cell > 0xF9)
)

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
            "肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏"
            "韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴")

# Action families: (name, slug, colloquial aliases)
ACTIONS = {
    "cert": [
        ("首次申领", "first-apply", ["新办", "第一次办理"]),
        ("换领", "renew", ["换证", "换新证"]),
        ("补领", "reissue", ["补办", "丢失补办"]),
        ("到期换领", "expiry-renew", ["过期换证", "到期换证"]),
        ("信息变更", "info-change", ["信息更正", "改信息"]),
        ("注销", "cancel", ["销证", "证件注销"]),
        ("异地申领", "cross-region", ["异地办理", "外地办理"]),
        ("损坏换领", "damage-renew", ["损坏换证", "破损换证"]),
        ("加急办理", "urgent", ["加急", "急办"]),
    ],
    "reg": [
        ("设立登记", "establish", ["新设登记", "开办登记"]),
        ("变更登记", "change", ["信息变更", "变更"]),
        ("注销登记", "deregister", ["注销", "销户"]),
        ("备案", "filing", ["备案登记", "报备"]),
        ("登记证明开具", "certificate", ["开证明", "登记证明"]),
        ("登记信息查询", "inquiry", ["信息查询", "查档"]),
        ("更正登记", "correct", ["更正", "纠错"]),
        ("转移登记", "transfer", ["过户", "转移"]),
    ],
    "benefit": [
        ("申请", "apply", ["申领", "办理"]),
        ("待遇核定", "assess", ["核定待遇", "待遇计算"]),
        ("资格认证", "qualify", ["年审", "资格认定"]),
        ("发放", "payout", ["领取", "发钱"]),
        ("暂停发放", "suspend", ["停发", "暂停"]),
        ("恢复发放", "resume", ["恢复", "续发"]),
        ("转移接续", "transfer", ["转移", "接续"]),
        ("一次性领取", "lump-sum", ["一次性支取", "一次性申领"]),
        ("标准调整", "adjust", ["调标", "标准变更"]),
    ],
    "permit": [
        ("核发", "issue", ["新办", "办证"]),
        ("延续", "extend", ["续期", "延期"]),
        ("变更", "change", ["变更事项", "改证"]),
        ("注销", "cancel", ["注销许可", "销证"]),
        ("补证", "reissue", ["补办", "遗失补证"]),
        ("年度报告", "annual-report", ["年报", "年检"]),
        ("告知承诺办理", "commitment", ["承诺制", "告知承诺"]),
    ],
    "service": [
        ("申请", "apply", ["申请办理", "办理"]),
        ("网上申请", "online", ["网上办", "掌上办"]),
        ("跨省通办", "cross-province", ["异地通办", "全国通办"]),
        ("预约办理", "booking", ["预约", "约办"]),
        ("证明开具", "proof", ["开证明", "出具证明"]),
        ("结果查询", "query", ["查询", "查进度"]),
        ("审核", "review", ["审批", "审查"]),
        ("档案调取", "archive", ["调档", "查档"]),
    ],
}

RESULTS = {
    "cert": ["《{o}》", "《{o}》及领取回执", "新的《{o}》"],
    "reg": ["《{o}登记通知书》", "《准予{o}登记通知书》", "《{o}登记证明》"],
    "benefit": ["《{o}待遇核定表》", "《{o}审批结果通知书》", "{o}按月发放至本人社会保障卡"],
    "permit": ["《{o}许可证》", "《准予行政许可决定书》及《{o}许可证》", "《{o}批准文件》"],
    "service": ["《{o}办理结果通知书》", "《{o}证明》", "办结回执"],
}

# Each category: name, slug, city department (name, short), district
# department suffix or None, kinds, objects (name, slug, action family).
CATEGORIES = [
    ("户籍办理", "huji", ("乌鲁木齐市公安局", "市公安局"), "公安分局",
     ["行政确认", "公共服务", "行政许可"],
     [("居民身份证", "id-card", "cert"), ("临时居民身份证", "temp-id-card", "cert"),
      ("居住证", "residence-permit", "cert"), ("居民户口簿", "hukou-book", "cert"),
      ("户籍证明", "hukou-proof", "service"), ("新生儿入户", "newborn-hukou", "service"),
      ("户口迁移", "hukou-move", "service"), ("投靠落户", "join-family-hukou", "service"),
      ("人才引进落户", "talent-hukou", "service"), ("姓名变更", "name-change", "service"),
      ("民族成份变更", "ethnicity-change", "service"), ("出生日期更正", "birthdate-fix", "service"),
      ("集体户口", "collective-hukou", "reg"), ("分户", "split-hukou", "service"),
      ("死亡人员户口注销", "death-hukou", "service")]),
    ("出入境", "churujing", ("乌鲁木齐市公安局出入境管理支队", "市公安局出入境"), None,
     ["行政许可", "公共服务", "行政确认"],
     [("普通护照", "passport", "cert"), ("往来港澳通行证", "hk-mo-permit", "cert"),
      ("往来台湾通行证", "tw-permit", "cert"), ("港澳签注", "hk-mo-endorse", "permit"),
      ("台湾签注", "tw-endorse", "permit"), ("外国人签证证件", "foreigner-visa", "permit"),
      ("外国人永久居留", "foreigner-pr", "permit"), ("出入境记录", "entry-exit-record", "service"),
      ("边境管理区通行证", "border-pass", "cert"), ("外国人住宿登记", "foreigner-lodging", "reg"),
      ("港澳台居民居住证", "hmt-residence", "cert")]),
    ("交通出行", "jiaotong", ("乌鲁木齐市公安局交通管理局", "市交管局"), None,
     ["行政许可", "公共服务", "行政确认", "行政处罚"],
     [("机动车驾驶证", "driving-license", "cert"), ("机动车行驶证", "vehicle-license", "cert"),
      ("机动车号牌", "plate", "cert"), ("机动车检验合格标志", "inspection-mark", "cert"),
      ("机动车", "vehicle", "reg"), ("非机动车", "e-bike", "reg"),
      ("道路运输经营许可", "road-transport", "permit"), ("网络预约出租汽车驾驶员证", "ride-hailing-driver", "cert"),
      ("出租汽车经营许可", "taxi-license", "permit"), ("校车使用许可", "school-bus", "permit"),
      ("超限运输车辆通行", "oversize-transport", "permit"), ("交通违法处理", "traffic-violation", "service")]),
    ("社会保障", "shebao", ("乌鲁木齐市人力资源和社会保障局", "市人社局"), "人力资源和社会保障局",
     ["行政给付", "公共服务", "行政确认", "行政征收", "行政裁决"],
     [("城乡居民基本养老保险", "resident-pension", "benefit"), ("企业职工基本养老保险", "employee-pension", "benefit"),
      ("失业保险金", "unemployment-benefit", "benefit"), ("工伤保险待遇", "work-injury-benefit", "benefit"),
      ("社会保障卡", "social-security-card", "cert"), ("就业创业证", "employment-card", "cert"),
      ("职业技能提升补贴", "skill-subsidy", "benefit"), ("一次性创业补贴", "startup-subsidy", "benefit"),
      ("灵活就业人员社会保险补贴", "flexible-subsidy", "benefit"), ("工伤认定", "work-injury-ruling", "service"),
      ("劳动能力鉴定", "work-ability", "service"), ("人力资源服务许可", "hr-service", "permit"),
      ("劳务派遣经营许可", "labor-dispatch", "permit"), ("劳动人事争议仲裁", "labor-arbitration", "service")]),
    ("医疗保障", "yibao", ("乌鲁木齐市医疗保障局", "市医保局"), "医疗保障局",
     ["行政给付", "公共服务", "行政确认"],
     [("城乡居民基本医疗保险参保", "resident-medical", "reg"), ("职工基本医疗保险", "employee-medical", "benefit"),
      ("异地就医", "offsite-care", "reg"), ("门诊慢特病待遇", "chronic-outpatient", "benefit"),
      ("生育保险待遇", "maternity-benefit", "benefit"), ("医疗费用手工报销", "manual-reimburse", "benefit"),
      ("医保关系", "medical-relation", "service"), ("长期护理保险待遇", "ltc-benefit", "benefit"),
      ("定点医药机构", "designated-provider", "reg"), ("医疗救助", "medical-assistance", "benefit")]),
    ("住房公积金", "gongjijin", ("乌鲁木齐住房公积金管理中心", "市公积金中心"), None,
     ["公共服务", "行政确认", "行政给付"],
     [("住房公积金个人账户", "hpf-account", "reg"), ("住房公积金提取", "hpf-withdraw", "service"),
      ("住房公积金贷款", "hpf-loan", "service"), ("住房公积金单位缴存", "hpf-deposit", "reg"),
      ("公积金贷款提前还款", "hpf-prepay", "service"), ("缴存比例调整", "hpf-rate", "service"),
      ("租房提取住房公积金", "hpf-rent", "benefit"), ("住房公积金缴存证明", "hpf-proof", "cert")]),
    ("不动产登记", "budongchan", ("乌鲁木齐市不动产登记中心", "市不动产登记中心"), None,
     ["行政确认", "公共服务", "行政征收"],
     [("国有建设用地使用权", "land-use-right", "reg"), ("房屋所有权", "house-ownership", "reg"),
      ("宅基地使用权", "homestead", "reg"), ("抵押权", "mortgage", "reg"),
      ("商品房预告登记", "advance-notice", "reg"), ("地役权", "easement", "reg"),
      ("不动产登记资料", "property-records", "service"), ("不动产权证书", "property-cert", "cert"),
      ("居住权", "residence-right", "reg"), ("海域使用权", "sea-area", "reg")]),
    ("市场主体登记", "shichang", ("乌鲁木齐市市场监督管理局", "市市场监管局"), "市场监督管理局",
     ["行政许可", "行政确认", "行政检查", "行政处罚", "行政强制"],
     [("有限责任公司", "llc", "reg"), ("个体工商户", "sole-trader", "reg"),
      ("农民专业合作社", "farmer-coop", "reg"), ("合伙企业", "partnership", "reg"),
      ("个人独资企业", "sole-proprietorship", "reg"), ("外商投资企业", "foreign-invested", "reg"),
      ("食品经营许可", "food-business", "permit"), ("食品生产许可", "food-production", "permit"),
      ("药品经营许可", "drug-business", "permit"), ("第二类医疗器械经营", "medical-device", "permit"),
      ("特种设备使用登记", "special-equipment", "reg"), ("计量器具型式批准", "meter-approval", "permit"),
      ("小餐饮经营", "small-catering", "permit")]),
    ("婚姻家庭", "hunyin", ("乌鲁木齐市民政局", "市民政局"), "民政局",
     ["行政确认", "公共服务"],
     [("结婚登记", "marriage", "service"), ("离婚登记", "divorce", "service"),
      ("婚姻登记档案", "marriage-archive", "service"), ("婚姻登记证", "marriage-cert", "cert"),
      ("收养登记", "adoption", "service"), ("生育登记", "birth-registration", "service"),
      ("独生子女父母光荣证", "only-child-cert", "cert"), ("涉外婚姻登记", "foreign-marriage", "service")]),
    ("民政服务", "minzheng", ("乌鲁木齐市民政局", "市民政局"), "民政局",
     ["行政给付", "行政确认", "行政许可", "公共服务"],
     [("最低生活保障", "dibao", "benefit"), ("特困人员救助供养", "extreme-poverty", "benefit"),
      ("临时救助", "temp-assistance", "benefit"), ("高龄津贴", "senior-allowance", "benefit"),
      ("残疾人两项补贴", "disability-subsidy", "benefit"), ("社会团体", "social-group", "reg"),
      ("民办非企业单位", "private-nonprofit", "reg"), ("基金会", "foundation", "reg"),
      ("殡葬服务", "funeral", "service"), ("孤儿基本生活费", "orphan-allowance", "benefit"),
      ("经济困难老年人养老服务补贴", "elder-care-subsidy", "benefit"), ("养老机构", "elder-care-home", "reg")]),
    ("教育服务", "jiaoyu", ("乌鲁木齐市教育局", "市教育局"), "教育局",
     ["公共服务", "行政许可", "行政确认", "行政给付", "行政奖励"],
     [("义务教育入学", "school-enrol", "service"), ("学生资助", "student-aid", "benefit"),
      ("教师资格认定", "teacher-cert", "service"), ("民办学校办学许可", "private-school", "permit"),
      ("校外培训机构", "tutoring-org", "permit"), ("学历证明书", "degree-proof", "cert"),
      ("普通话水平测试", "mandarin-test", "service"), ("转学", "school-transfer", "service"),
      ("优秀教师表彰", "teacher-award", "service")]),
    ("卫生健康", "weijian", ("乌鲁木齐市卫生健康委员会", "市卫健委"), "卫生健康委员会",
     ["行政许可", "公共服务", "行政确认", "行政给付", "行政检查"],
     [("医师执业注册", "physician-reg", "reg"), ("护士执业注册", "nurse-reg", "reg"),
      ("医疗机构执业许可", "hospital-license", "permit"), ("公共场所卫生许可", "public-hygiene", "permit"),
      ("出生医学证明", "birth-cert", "cert"), ("预防接种证", "vaccination-cert", "cert"),
      ("放射诊疗许可", "radiology", "permit"), ("母婴保健技术服务许可", "maternal-care", "permit"),
      ("计划生育家庭特别扶助金", "family-support", "benefit"), ("饮用水供水单位卫生许可", "water-supply", "permit")]),
    ("税务办理", "shuiwu", ("国家税务总局乌鲁木齐市税务局", "市税务局"), "税务局",
     ["行政征收", "公共服务", "行政确认", "行政许可"],
     [("增值税发票领用", "invoice", "service"), ("纳税人信息", "taxpayer", "reg"),
      ("个人所得税综合所得汇算", "iit-settlement", "service"), ("完税证明", "tax-paid-proof", "cert"),
      ("车辆购置税申报", "vehicle-tax", "service"), ("契税申报", "deed-tax", "service"),
      ("房产税申报", "property-tax", "service"), ("出口退税", "export-rebate", "service"),
      ("税收优惠", "tax-relief", "reg"), ("社会保险费缴纳", "social-fee", "service")]),
    ("退役军人服务", "tuiyi", ("乌鲁木齐市退役军人事务局", "市退役军人局"), "退役军人事务局",
     ["行政给付", "公共服务", "行政确认", "行政奖励"],
     [("退役士兵安置", "veteran-placement", "service"), ("退役军人优待证", "veteran-card", "cert"),
      ("伤残抚恤", "disability-pension", "benefit"), ("自主就业退役士兵一次性经济补助", "veteran-grant", "benefit"),
      ("烈士褒扬金", "martyr-grant", "benefit"), ("退役军人创业贷款贴息", "veteran-loan", "benefit"),
      ("军人军属优待", "military-family", "service"), ("光荣牌悬挂", "honor-plaque", "service")]),
    ("文化旅游", "wenlv", ("乌鲁木齐市文化和旅游局", "市文旅局"), None,
     ["行政许可", "公共服务", "行政检查", "行政确认", "其他行政权力"],
     [("旅行社业务经营许可", "travel-agency", "permit"), ("导游证", "tour-guide", "cert"),
      ("营业性演出", "performance", "permit"), ("娱乐场所经营许可", "entertainment", "permit"),
      ("互联网上网服务营业场所", "internet-cafe", "permit"), ("文物保护单位修缮", "heritage-repair", "permit"),
      ("出版物零售", "publication-retail", "permit"), ("艺术品经营单位", "art-dealer", "reg"),
      ("A级旅游景区评定", "scenic-rating", "service"), ("星级饭店评定", "hotel-rating", "service")]),
]

# Catalogue: id|name|form|source|issuer.  Forms: Y 原件, F 复印件, B 原件和复印件,
# E 电子.  Sources: 自 申请人自备, 府 政府部门核发, 电 电子证照, 填 在线填报, 他 其他.
CATALOGUE_SRC = """
id-card|居民身份证|B|府|公安机关
agent-id-card|受托人居民身份证|B|府|公安机关
power-of-attorney|授权委托书|Y|自|
photo|近期二寸免冠彩色照片|Y|自|
guardian-id-card|监护人居民身份证|B|府|公安机关
household-register|居民户口簿|B|府|公安机关
birth-cert|出生医学证明|B|府|助产医疗机构
marriage-cert|结婚证|B|府|婚姻登记机关
business-license|营业执照|F|电|市场监督管理部门
legal-rep-proof|法定代表人身份证明书|Y|自|
lease-contract|房屋租赁合同|B|自|
property-cert|不动产权证书|B|府|不动产登记机构
lost-statement|遗失声明|Y|自|
residence-permit|居住证|B|府|公安机关
foreign-passport|外国人护照|B|他|外国政府主管机关
translation|外文材料中文译本|Y|他|翻译机构
hk-mo-permit|港澳居民来往内地通行证|B|府|出入境管理部门
tw-permit|台湾居民来往大陆通行证|B|府|出入境管理部门
hmt-residence|港澳台居民居住证|B|府|公安机关
spouse-id-card|配偶居民身份证|F|府|公安机关
divorce-cert|离婚证|B|府|婚姻登记机关
divorce-judgment|离婚判决书或调解书|F|府|人民法院
disability-cert|中华人民共和国残疾人证|B|府|残疾人联合会
military-discharge|退出现役证|B|府|部队团级以上政治机关
enrollment-proof|在校学生在读证明|Y|他|就读学校
low-income-cert|最低生活保障证|B|府|民政部门
death-cert|居民死亡医学证明（推断）书|B|府|医疗卫生机构
kinship-proof|亲属关系证明|Y|他|
mortgage-contract|抵押合同|Y|自|
temp-id-card|临时居民身份证|Y|府|公安机关
passport|普通护照|B|府|出入境管理部门
foreign-pr-card|外国人永久居留身份证|B|府|国家移民管理局
cremation-cert|火化证明|Y|他|殡仪馆
photo-receipt|数码照片回执|E|填|
guardian-proof|监护关系证明|Y|他|
marital-statement|婚姻状况声明书|Y|自|
social-security-card|社会保障卡|Y|府|人力资源和社会保障部门
medical-insurance-code|医保电子凭证|E|电|医疗保障部门
bank-card|本人银行卡或存折|F|他|开户银行
driving-license|机动车驾驶证|Y|府|公安机关交通管理部门
vehicle-license|机动车行驶证|Y|府|公安机关交通管理部门
vehicle-invoice|机动车销售统一发票|Y|他|销售企业
vehicle-insurance|机动车交通事故责任强制保险凭证|Y|他|保险公司
vehicle-inspection|机动车安全技术检验合格证明|Y|他|机动车检验机构
vehicle-factory-cert|机动车整车出厂合格证明|Y|他|生产企业
purchase-tax-proof|车辆购置税完税证明|E|电|税务机关
driver-health|机动车驾驶人身体条件证明|Y|他|二级以上医疗机构
legal-rep-id|法定代表人居民身份证|F|府|公安机关
company-charter|公司章程|Y|自|
shareholder-resolution|股东会决议|Y|自|
appointment-docs|董事、监事、经理任职文件|Y|自|
premises-proof|住所（经营场所）使用证明|F|自|
house-ownership-cert|房屋所有权证|B|府|房产管理部门
land-use-cert|国有土地使用证|B|府|自然资源部门
purchase-contract|商品房买卖合同|Y|自|
presale-filing|商品房预售合同备案证明|F|府|住房和城乡建设部门
loan-contract|主债权合同|Y|自|
deed-tax-proof|契税完税凭证|E|电|税务机关
cadastral-survey|不动产权籍调查成果|Y|他|测绘机构
planning-permit|建设工程规划许可证|F|府|自然资源部门
construction-permit|建筑工程施工许可证|F|府|住房和城乡建设部门
completion-filing|竣工验收备案表|F|府|住房和城乡建设部门
fire-acceptance|消防验收意见书|F|府|住房和城乡建设部门
eia-approval|环境影响评价批复文件|F|府|生态环境部门
labor-contract|劳动合同|F|自|
employment-proof|在职证明|Y|他|工作单位
income-proof|收入证明|Y|他|工作单位
unemployment-reg|失业登记证明|E|电|公共就业服务机构
retirement-approval|退休审批表|F|府|人力资源和社会保障部门
work-injury-report|工伤事故报告|Y|他|用人单位
diagnosis-cert|医疗诊断证明书|Y|他|二级以上医疗机构
medical-records|门诊（住院）病历|F|他|医疗机构
hospital-invoice|医疗费用票据|Y|他|医疗机构
discharge-summary|出院小结|F|他|医疗机构
cost-list|住院费用明细清单|Y|他|医疗机构
poverty-cert|特困人员救助供养证|B|府|民政部门
family-check-auth|家庭经济状况核对授权书|Y|填|
family-income-form|家庭收入申报表|Y|填|
residence-proof|居住证明|Y|他|社区居民委员会
graduation-cert|毕业证书|B|他|毕业院校
degree-cert|学位证书|B|他|学位授予单位
student-status|学籍证明|Y|他|就读学校
transcript|成绩单|Y|他|就读学校
teacher-exam|中小学教师资格考试合格证明|E|电|教育考试机构
mandarin-cert|普通话水平测试等级证书|B|府|语言文字工作部门
health-checkup|健康体检报告|Y|他|指定体检医院
physician-qual|医师资格证书|B|府|卫生健康部门
nurse-exam|护士执业资格考试成绩合格证明|E|电|卫生健康部门
health-cert|从业人员健康证明|Y|他|疾病预防控制机构
food-safety-rules|食品安全管理制度文本|Y|自|
equipment-list|主要设备设施清单|Y|自|
floor-plan|经营场所平面布局图|Y|自|
process-flow|生产工艺流程图|Y|自|
staff-list|从业人员名单|Y|自|
quality-manual|质量管理体系文件|Y|自|
tax-info-form|税务信息确认表|E|填|
tax-return|纳税申报表|E|填|
contract-copy|合同（协议）复印件|F|自|
disabled-soldier|残疾军人证|B|府|退役军人事务部门
martyr-cert|烈士证明书|B|府|退役军人事务部门
veteran-file|退役军人档案材料|F|他|档案管理部门
quality-deposit|旅游服务质量保证金存单|F|他|开户银行
guide-qual|导游资格证书|E|电|文化和旅游部门
performance-list|演员名单及演出内容说明|Y|自|
venue-safety|场所安全评价报告|Y|他|安全评价机构
fire-safety|消防安全检查合格意见书|F|府|消防救援机构
site-photos|场所内外景照片|Y|自|
police-report|报案回执|Y|府|公安机关
notarized-doc|公证书|Y|他|公证机构
credit-commitment|信用承诺书|Y|自|
written-application|书面申请|Y|自|
audit-report|年度审计报告|Y|他|会计师事务所
financial-report|财务会计报告|Y|自|
asset-appraisal|资产评估报告|Y|他|资产评估机构
capital-verification|验资报告|Y|他|会计师事务所
safety-rules|安全生产责任制度|Y|自|
emergency-plan|突发事件应急预案|Y|自|
env-measures|环境保护措施方案|Y|自|
site-agreement|场地租赁协议|B|自|
design-review|施工图设计文件审查合格书|F|他|施工图审查机构
survey-report|测绘成果报告|Y|他|测绘机构
parcel-map|宗地图|Y|府|不动产登记机构
boundary-table|界址点成果表|Y|他|测绘机构
house-plan|房产分户图|Y|他|房产测绘机构
inheritance-proof|继承权公证书|Y|他|公证机构
court-ruling|人民法院生效法律文书|B|府|人民法院
arbitration-award|仲裁裁决书|B|府|仲裁机构
hukou-move-permit|准予迁入证明|Y|府|公安机关
hukou-move-cert|户口迁移证|Y|府|公安机关
talent-proof|人才引进审批材料|F|府|人力资源和社会保障部门
degree-verify|学历认证报告|E|电|学历认证机构
property-tax-proof|房产税完税证明|E|电|税务机关
invoice-stamp|发票专用章印模|Y|自|
org-rules|组织章程|Y|自|
member-list|会员（成员）名册|Y|自|
funds-proof|注册资金证明|Y|他|开户银行
office-proof|办公场所使用权证明|F|自|
responsible-resume|负责人简历|Y|自|
medical-device-list|经营医疗器械目录|Y|自|
drug-storage|药品仓储设施设备目录|Y|自|
pharmacist-qual|执业药师注册证|B|府|药品监督管理部门
equipment-cert|特种设备产品合格证|F|他|制造单位
inspection-report|定期检验报告|Y|他|特种设备检验机构
operator-cert|特种设备作业人员证|F|府|市场监督管理部门
meter-sample|计量器具样机照片|Y|自|
school-plan|办学章程及发展规划|Y|自|
teacher-roster|教师名册及资格证明|F|自|
school-building|校舍安全鉴定报告|Y|他|房屋安全鉴定机构
radiation-eval|放射诊疗建设项目卫生审查意见|F|府|卫生健康部门
radiation-monitor|放射防护检测报告|Y|他|职业卫生技术服务机构
water-test|水质检验报告|Y|他|检验检测机构
hygiene-rules|卫生管理制度|Y|自|
prenatal-record|孕产期保健手册|F|他|助产医疗机构
vaccine-record|预防接种记录|Y|他|接种单位
only-child-proof|独生子女证明|Y|府|乡镇人民政府（街道办事处）
family-plan-proof|计划生育情况证明|Y|府|乡镇人民政府（街道办事处）
adoption-agreement|收养协议|Y|自|
adopter-health|收养人健康检查证明|Y|他|县级以上医疗机构
adoptee-status|被收养人生父母死亡或者查找不到的证明|Y|府|公安机关
funeral-contract|殡葬服务合同|Y|他|殡葬服务机构
elder-assessment|老年人能力评估报告|Y|他|评估机构
care-contract|养老服务协议|Y|自|
placement-notice|退役士兵安置通知书|Y|府|退役军人事务部门
veteran-card-photo|优待证制证照片回执|E|填|
loan-approval|创业贷款审批表|Y|府|承办银行
business-plan|创业计划书|Y|自|
training-cert|职业技能等级证书|B|他|职业技能等级认定机构
training-invoice|培训费发票|Y|他|培训机构
employment-reg|就业登记证明|E|电|公共就业服务机构
contribution-record|社会保险缴费记录|E|电|社会保险经办机构
pension-transfer|基本养老保险参保缴费凭证|Y|府|社会保险经办机构
injury-ruling|工伤认定决定书|B|府|人力资源和社会保障部门
ability-conclusion|劳动能力鉴定结论书|B|府|劳动能力鉴定委员会
hr-staff|专职工作人员名单及学历证明|F|自|
dispatch-capital|劳务派遣注册资本证明|F|他|开户银行
offsite-filing|异地就医备案表|E|填|
chronic-diagnosis|慢特病诊断证明|Y|他|二级以上定点医疗机构
birth-expense|分娩费用票据|Y|他|助产医疗机构
care-assessment|失能等级评估结论|Y|他|评估机构
provider-license|医疗机构执业许可证|F|府|卫生健康部门
hpf-card|住房公积金联名卡|Y|他|受托银行
rent-filing|房屋租赁登记备案证明|F|府|住房和城乡建设部门
house-loan-contract|购房贷款合同|F|他|贷款银行
repay-plan|还款计划表|Y|他|贷款银行
deposit-list|住房公积金汇缴清册|E|填|
entry-exit-record|出入境记录查询结果|E|电|出入境管理部门
travel-invitation|邀请函件|Y|他|邀请单位或个人
hotel-reg|住宿登记表|Y|他|住宿单位
border-reason|前往边境管理区事由证明|Y|他|工作单位或社区
road-vehicle-list|营运车辆清单|Y|自|
driver-list|驾驶人员从业资格证|F|府|交通运输部门
safety-officer|安全管理人员名单|Y|自|
school-bus-route|校车行驶线路、站点及时间表|Y|自|
oversize-plan|超限运输护送方案|Y|自|
violation-notice|交通违法处理通知书|Y|府|公安机关交通管理部门
performance-approval|演出举办单位资质证明|F|他|演出经纪机构
heritage-plan|文物保护工程设计方案|Y|他|文物保护工程资质单位
publication-list|出版物经营品种目录|Y|自|
art-source|艺术品来源合法证明|Y|他|
scenic-report|景区自评报告|Y|自|
hotel-facilities|饭店设施设备情况表|Y|自|
"""

# Which catalogue entries belong to which category (the rest are general):
# random references prefer these, so a 护照 matter asks for 护照-like things.
AFFINITY = {
    "huji": "household-register birth-cert temp-id-card hukou-move-permit hukou-move-cert talent-proof "
            "degree-verify residence-proof kinship-proof death-cert cremation-cert guardian-proof marital-statement",
    "churujing": "passport foreign-passport foreign-pr-card hk-mo-permit tw-permit hmt-residence entry-exit-record "
                 "travel-invitation hotel-reg border-reason photo-receipt translation",
    "jiaotong": "driving-license vehicle-license vehicle-invoice vehicle-insurance vehicle-inspection vehicle-factory-cert "
                "purchase-tax-proof driver-health road-vehicle-list driver-list safety-officer school-bus-route "
                "oversize-plan violation-notice",
    "shebao": "social-security-card bank-card labor-contract employment-proof income-proof unemployment-reg "
              "retirement-approval work-injury-report training-cert training-invoice employment-reg "
              "contribution-record pension-transfer injury-ruling ability-conclusion hr-staff dispatch-capital "
              "business-plan diagnosis-cert arbitration-award",
    "yibao": "medical-insurance-code diagnosis-cert medical-records hospital-invoice discharge-summary cost-list "
             "offsite-filing chronic-diagnosis birth-expense care-assessment provider-license social-security-card",
    "gongjijin": "hpf-card rent-filing house-loan-contract repay-plan deposit-list purchase-contract property-cert "
                 "bank-card deed-tax-proof lease-contract",
    "budongchan": "property-cert house-ownership-cert land-use-cert purchase-contract presale-filing loan-contract "
                  "deed-tax-proof cadastral-survey planning-permit construction-permit completion-filing "
                  "fire-acceptance survey-report parcel-map boundary-table house-plan inheritance-proof "
                  "mortgage-contract court-ruling",
    "shichang": "company-charter shareholder-resolution appointment-docs premises-proof food-safety-rules "
                "equipment-list floor-plan process-flow staff-list quality-manual health-cert medical-device-list "
                "drug-storage pharmacist-qual equipment-cert inspection-report operator-cert meter-sample "
                "capital-verification site-agreement env-measures",
    "hunyin": "marriage-cert divorce-cert divorce-judgment marital-statement household-register adoption-agreement "
              "adopter-health adoptee-status only-child-proof family-plan-proof prenatal-record kinship-proof",
    "minzheng": "low-income-cert poverty-cert family-check-auth family-income-form disability-cert org-rules "
                "member-list funds-proof office-proof responsible-resume funeral-contract elder-assessment "
                "care-contract death-cert cremation-cert residence-proof",
    "jiaoyu": "graduation-cert degree-cert student-status transcript teacher-exam mandarin-cert health-checkup "
              "school-plan teacher-roster school-building enrollment-proof household-register",
    "weijian": "physician-qual nurse-exam health-cert radiation-eval radiation-monitor water-test hygiene-rules "
               "prenatal-record vaccine-record birth-cert provider-license only-child-proof family-plan-proof "
               "floor-plan",
    "shuiwu": "tax-info-form tax-return invoice-stamp property-tax-proof deed-tax-proof purchase-tax-proof "
              "financial-report audit-report contract-copy vehicle-invoice",
    "tuiyi": "military-discharge disabled-soldier martyr-cert veteran-file placement-notice veteran-card-photo "
             "loan-approval business-plan bank-card kinship-proof",
    "wenlv": "quality-deposit guide-qual performance-list venue-safety fire-safety site-photos heritage-plan "
             "publication-list art-source scenic-report hotel-facilities performance-approval safety-rules "
             "emergency-plan",
}
AFFINITY = {k: v.split() for k, v in AFFINITY.items()}

CORE = {"id-card", "agent-id-card", "power-of-attorney", "photo", "business-license", "legal-rep-proof"}

FORM_CODE = {"Y": "原件", "F": "复印件", "B": "原件和复印件", "E": "电子"}
SOURCE_CODE = {"自": "申请人自备", "府": "政府部门核发", "电": "电子证照", "填": "在线填报", "他": "其他"}

# Situations: id, label, question, catalogue ids that serve it, inline fallback
SITUATIONS = [
    ("agent", "委托他人代办", "是否委托他人代为办理？", ["power-of-attorney", "agent-id-card"], "代办人身份证明"),
    ("minor", "申请人未满16周岁", "申请人是否未满16周岁？", ["guardian-id-card", "birth-cert", "guardian-proof"], "监护人书面同意书"),
    ("first", "首次办理", "是否第一次办理本事项？", ["photo", "household-register"], "首次办理声明"),
    ("lost", "原证件遗失", "原证件是否已经遗失？", ["lost-statement", "police-report"], "遗失情况说明"),
    ("damaged", "原证件损坏", "原证件是否损坏、无法辨认？", [], "损坏的原证件"),
    ("company", "以单位名义申请", "是否以单位名义申请？", ["business-license", "legal-rep-proof", "legal-rep-id"], "单位介绍信"),
    ("foreigner", "申请人为外国人", "申请人是否持外国护照？", ["foreign-passport", "translation", "foreign-pr-card"], "境外身份证明"),
    ("hmt", "申请人为港澳台居民", "申请人是否为港澳台居民？", ["hk-mo-permit", "tw-permit", "hmt-residence"], "港澳台居民身份证明"),
    ("married", "申请人已婚", "申请人是否已婚？", ["marriage-cert", "spouse-id-card"], "配偶同意书"),
    ("divorced", "申请人离异", "申请人是否离异？", ["divorce-cert", "divorce-judgment"], "财产分割协议"),
    ("elderly", "申请人年满60周岁", "申请人是否年满60周岁？", ["social-security-card"], "老年人优待说明"),
    ("disabled", "申请人持有残疾人证", "申请人是否持有残疾人证？", ["disability-cert"], "残疾情况说明"),
    ("veteran", "申请人为退役军人", "申请人是否为退役军人？", ["military-discharge", "veteran-file"], "退役证明"),
    ("student", "申请人为在校学生", "申请人是否为在校学生？", ["enrollment-proof", "student-status"], "学校推荐意见"),
    ("low-income", "申请人为低保对象", "申请人是否为城乡低保对象？", ["low-income-cert", "poverty-cert"], "困难情况证明"),
    ("nonlocal", "申请人为非本市户籍", "申请人户籍是否不在本市？", ["residence-permit", "residence-proof"], "居住情况说明"),
    ("overdue", "超过规定期限办理", "是否已超过规定的办理期限？", [], "逾期办理情况说明"),
    ("deceased", "权利人已死亡", "原权利人是否已经死亡？", ["death-cert", "kinship-proof", "inheritance-proof"], "继承人协商一致的书面意见"),
    ("mortgaged", "房屋已设定抵押", "房屋是否已设定抵押？", ["mortgage-contract", "loan-contract"], "抵押权人同意书"),
    ("rented", "经营场所为租赁", "经营场所是否为租赁？", ["lease-contract", "site-agreement"], "出租方产权证明"),
    ("renamed", "申请人姓名已变更", "申请人姓名是否已经变更？", ["hukou-move-cert"], "姓名变更证明"),
    ("online", "已在网上提交申请", "是否已在网上提交申请？", ["photo-receipt"], "网上申请受理回执"),
    ("court", "依生效法律文书办理", "是否依据人民法院或仲裁机构的法律文书办理？", ["court-ruling", "arbitration-award"], "协助执行通知书"),
    ("urgent", "因紧急事由加急", "是否因就医、奔丧等紧急事由需要加急？", [], "加急事由证明"),
]

LAWS = [
    ("《中华人民共和国行政许可法》", "中华人民共和国主席令第7号"),
    ("《中华人民共和国居民身份证法》", "中华人民共和国主席令第51号"),
    ("《中华人民共和国户口登记条例》", "全国人民代表大会常务委员会委员长令"),
    ("《居住证暂行条例》", "国务院令第663号"),
    ("《中华人民共和国出境入境管理法》", "中华人民共和国主席令第57号"),
    ("《中华人民共和国护照法》", "中华人民共和国主席令第50号"),
    ("《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》", "公安部令第2号"),
    ("《中华人民共和国外国人入境出境管理条例》", "国务院令第637号"),
    ("《中华人民共和国道路交通安全法》", "中华人民共和国主席令第8号"),
    ("《机动车驾驶证申领和使用规定》", "公安部令第162号"),
    ("《机动车登记规定》", "公安部令第164号"),
    ("《中华人民共和国道路运输条例》", "国务院令第406号"),
    ("《校车安全管理条例》", "国务院令第617号"),
    ("《中华人民共和国社会保险法》", "中华人民共和国主席令第35号"),
    ("《工伤保险条例》", "国务院令第586号"),
    ("《失业保险条例》", "国务院令第258号"),
    ("《中华人民共和国就业促进法》", "中华人民共和国主席令第70号"),
    ("《中华人民共和国劳动合同法》", "中华人民共和国主席令第73号"),
    ("《人力资源市场暂行条例》", "国务院令第700号"),
    ("《劳务派遣行政许可实施办法》", "人力资源社会保障部令第19号"),
    ("《医疗保障基金使用监督管理条例》", "国务院令第735号"),
    ("《住房公积金管理条例》", "国务院令第350号"),
    ("《不动产登记暂行条例》", "国务院令第656号"),
    ("《不动产登记暂行条例实施细则》", "自然资源部令第5号"),
    ("《中华人民共和国民法典》", "中华人民共和国主席令第45号"),
    ("《中华人民共和国市场主体登记管理条例》", "国务院令第746号"),
    ("《中华人民共和国公司法》", "中华人民共和国主席令第15号"),
    ("《中华人民共和国食品安全法》", "中华人民共和国主席令第21号"),
    ("《食品经营许可和备案管理办法》", "国家市场监督管理总局令第78号"),
    ("《中华人民共和国药品管理法》", "中华人民共和国主席令第31号"),
    ("《医疗器械监督管理条例》", "国务院令第739号"),
    ("《中华人民共和国特种设备安全法》", "中华人民共和国主席令第4号"),
    ("《中华人民共和国计量法》", "中华人民共和国主席令第28号"),
    ("《婚姻登记条例》", "国务院令第387号"),
    ("《中国公民收养子女登记办法》", "民政部令第14号"),
    ("《社会救助暂行办法》", "国务院令第649号"),
    ("《中华人民共和国残疾人保障法》", "中华人民共和国主席令第3号"),
    ("《中华人民共和国老年人权益保障法》", "中华人民共和国主席令第24号"),
    ("《社会团体登记管理条例》", "国务院令第250号"),
    ("《基金会管理条例》", "国务院令第400号"),
    ("《殡葬管理条例》", "国务院令第225号"),
    ("《中华人民共和国义务教育法》", "中华人民共和国主席令第52号"),
    ("《教师资格条例》", "国务院令第188号"),
    ("《中华人民共和国民办教育促进法》", "中华人民共和国主席令第24号"),
    ("《中华人民共和国国家通用语言文字法》", "中华人民共和国主席令第37号"),
    ("《中华人民共和国医师法》", "中华人民共和国主席令第94号"),
    ("《护士条例》", "国务院令第517号"),
    ("《医疗机构管理条例》", "国务院令第149号"),
    ("《公共场所卫生管理条例》", "国务院令第24号"),
    ("《中华人民共和国母婴保健法》", "中华人民共和国主席令第33号"),
    ("《放射诊疗管理规定》", "卫生部令第46号"),
    ("《中华人民共和国税收征收管理法》", "中华人民共和国主席令第49号"),
    ("《中华人民共和国个人所得税法》", "中华人民共和国主席令第9号"),
    ("《中华人民共和国发票管理办法》", "国务院令第587号"),
    ("《中华人民共和国车辆购置税法》", "中华人民共和国主席令第19号"),
    ("《中华人民共和国契税法》", "中华人民共和国主席令第52号"),
    ("《中华人民共和国退役军人保障法》", "中华人民共和国主席令第63号"),
    ("《退役士兵安置条例》", "国务院 中央军委令第608号"),
    ("《军人抚恤优待条例》", "国务院 中央军委令第413号"),
    ("《烈士褒扬条例》", "国务院令第601号"),
    ("《旅行社条例》", "国务院令第550号"),
    ("《导游管理办法》", "国家旅游局令第44号"),
    ("《营业性演出管理条例》", "国务院令第439号"),
    ("《娱乐场所管理条例》", "国务院令第458号"),
    ("《互联网上网服务营业场所管理条例》", "国务院令第363号"),
    ("《中华人民共和国文物保护法》", "中华人民共和国主席令第11号"),
    ("《出版管理条例》", "国务院令第594号"),
    ("《优化营商环境条例》", "国务院令第722号"),
    ("《新疆维吾尔自治区优化营商环境条例》", "新疆维吾尔自治区人民代表大会常务委员会公告第23号"),
    ("《乌鲁木齐市政务服务管理办法》", "乌鲁木齐市人民政府令第145号"),
]

# Which laws apply to which category ("*": any).
_LAW_CATS_SRC = {
    "*": "行政许可法 《优化营商环境条例》 新疆维吾尔自治区优化营商环境条例 乌鲁木齐市政务服务管理办法",
    "huji": "居民身份证法 户口登记条例 居住证暂行条例",
    "churujing": "出境入境管理法 护照法 往来香港地区或者澳门地区 外国人入境出境管理条例",
    "jiaotong": "道路交通安全法 机动车驾驶证申领和使用规定 机动车登记规定 道路运输条例 校车安全管理条例",
    "shebao": "中华人民共和国社会保险法 工伤保险条例 失业保险条例 就业促进法 劳动合同法 人力资源市场暂行条例 劳务派遣行政许可实施办法",
    "yibao": "医疗保障基金使用监督管理条例 中华人民共和国社会保险法",
    "gongjijin": "住房公积金管理条例",
    "budongchan": "不动产登记暂行条例》 不动产登记暂行条例实施细则 民法典",
    "shichang": "市场主体登记管理条例 公司法 食品安全法 食品经营许可和备案管理办法 药品管理法 医疗器械监督管理条例 特种设备安全法 计量法",
    "hunyin": "婚姻登记条例 收养子女登记办法 民法典",
    "minzheng": "社会救助暂行办法 残疾人保障法 老年人权益保障法 社会团体登记管理条例 基金会管理条例 殡葬管理条例",
    "jiaoyu": "义务教育法 教师资格条例 民办教育促进法 国家通用语言文字法",
    "weijian": "医师法 护士条例 医疗机构管理条例 公共场所卫生管理条例 母婴保健法 放射诊疗管理规定",
    "shuiwu": "税收征收管理法 个人所得税法 发票管理办法 车辆购置税法 契税法",
    "tuiyi": "退役军人保障法 退役士兵安置条例 军人抚恤优待条例 烈士褒扬条例",
    "wenlv": "旅行社条例 导游管理办法 营业性演出管理条例 娱乐场所管理条例 互联网上网服务营业场所管理条例 文物保护法 出版管理条例",
}
LAW_CATS = {}
for _slug, _words in _LAW_CATS_SRC.items():
    LAW_CATS[_slug] = []
    for _w in _words.split():
        _hits = [i for i, (law, _) in enumerate(LAWS) if _w in law]
        assert len(_hits) == 1, (_w, _hits)
        LAW_CATS[_slug].append(_hits[0])

FEE_BASES = [
    "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）",
    "《国家发展改革委关于调整因私护照和往来港澳通行证收费标准的通知》（发改价格〔2017〕1186号）",
    "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
    "《财政部 国家发展改革委关于机动车号牌工本费等收费标准的通知》（财税〔2004〕101号）",
    "《国家发展改革委 财政部关于降低部分行政事业性收费标准的通知》（发改价格〔2015〕2136号）",
    "《新疆维吾尔自治区发展和改革委员会关于规范证照工本费的通知》（新发改收费〔2019〕512号）",
    "《财政部 国家发展改革委关于清理规范一批行政事业性收费有关政策的通知》（财税〔2017〕20号）",
    "《自治区财政厅 发展改革委关于公布行政事业性收费目录清单的通知》（新财非税〔2023〕8号）",
    "《乌鲁木齐市发展和改革委员会关于公共资源交易服务收费标准的批复》（乌发改价〔2021〕66号）",
]

# (item, standards, indices into FEE_BASES, category slugs or None for any)
FEE_ITEMS = [
    ("工本费", ["20元/证", "40元/证", "10元/本", "120元/本", "5元/张", "15元/本"], [0, 4, 5, 7], None),
    ("登记费", ["80元/件", "550元/件", "每件80元", "住宅类80元/件，非住宅类550元/件"], [2, 6], ["budongchan", "shichang"]),
    ("证书工本费", ["10元/本", "每增加一本加收10元"], [2, 5], None),
    ("签注费", ["15元/次", "一次有效签注15元/件"], [1], ["churujing"]),
    ("护照工本费", ["120元/本", "护照加注20元/项"], [1], ["churujing"]),
    ("号牌工本费", ["100元/副", "汽车号牌100元/副，摩托车号牌35元/副"], [3], ["jiaotong"]),
    ("检验检测费", ["按实际检测项目收取", "200元/台"], [7, 8], ["shichang", "weijian", "jiaotong"]),
    ("鉴定费", ["300元/人次", "按鉴定项目收取"], [7], ["shebao", "weijian"]),
    ("加急费", ["每件加收100元", "200元/件"], [1, 4], ["churujing", "huji"]),
    ("交易服务费", ["按成交金额的0.1%收取", "每宗500元"], [8], ["budongchan", "wenlv"]),
]

REDUCIBLE = [
    "城乡低保对象、特困供养人员凭有效证明免收。",
    "小微企业申请登记的，免收登记费。",
    "因政府部门原因造成证件错误的，免费换领。",
    "首次申领且未满16周岁的，减半收取。",
    "残疾人、烈士遗属凭相关证件免收工本费。",
    "单独申请不动产权证书或登记证明的，只收取证书工本费。",
]


ONLINE_CHANNELS = ["“新疆政务服务”网上办事大厅", "“i乌鲁木齐”App", "“乌鲁木齐政务服务”微信小程序",
                   "“国家政务服务平台”App"]
CHANNELS = [
    "“新疆政务服务”网上办事大厅", "“i乌鲁木齐”App", "“乌鲁木齐政务服务”微信小程序",
    "市民服务中心综合窗口", "各区（县）政务服务大厅", "街道（乡镇）便民服务中心",
    "社区（村）便民服务站", "“国家政务服务平台”App", "12345政务服务便民热线",
]

BUILDINGS = ["市民服务中心", "政务服务中心", "便民服务大厅", "综合服务楼", "行政服务中心",
             "政务服务大厅", "办证中心", "业务受理大厅"]
ROAD_SUFFIX = ["路", "街", "大道", "北路", "南路", "西路", "东路", "巷", "中路"]
ZONES = "ABCDEF"

VISIT_REASONS = [
    "现场采集人像和指纹信息", "核验申请材料原件", "申请人须本人到场签字确认",
    "现场核查经营场所", "领取证件并当面核对信息", "现场采集人像并核验身份",
    "需要现场面谈并制作询问笔录", "现场缴纳工本费并领取证件", "当面签署告知承诺书",
    "核验身份后现场采集签名",
]

PROMISE_LINES = [
    "材料齐全、符合法定形式的，当场受理，{p}办结。",
    "实行“一次告知、一表申请、一窗受理”，承诺{p}内办结。",
    "全程网办的，审核通过后{p}内将结果寄送申请人。",
    "推行“容缺受理”，次要材料可在{n}个工作日内补齐，不影响受理。",
    "本事项纳入“跨省通办”清单，可在全国范围内异地受理。",
]

CONDITION_POOL = [
    "申请人具有{city}常住户口，或持有在有效期内的{city}居住证。",
    "申请人年满{age}周岁，具有完全民事行为能力。",
    "申请人近{n}年内无{bad}记录。",
    "申请单位已依法取得营业执照，且处于存续状态。",
    "经营场所符合规划用途，面积不少于{area}平方米。",
    "所提交的申请材料真实、合法、有效，申请人对材料的真实性负责。",
    "已按规定缴纳社会保险费满{n}个月。",
    "配备与经营规模相适应的专职管理人员不少于{k}名。",
    "申请事项属于本机关管辖范围。",
    "家庭人均月收入低于{city}城乡居民最低生活保障标准（{money}元/月）。",
    "不动产权属清晰，无查封、异议等限制登记情形。",
    "设施设备符合国家标准《{std}》的要求。",
    "已在{place}连续居住满{n}个月，并办理了居住登记。",
    "未被列入严重违法失信名单或经营异常名录。",
    "原证件在有效期内，或有效期届满前{n}个月内申请换领。",
    "有符合要求的安全管理制度和突发事件应急预案。",
]
BAD_RECORDS = ["严重交通违法", "刑事犯罪", "欠缴税款", "骗取社会保险待遇", "重大安全生产事故",
               "食品安全违法", "不良信用", "违规提取住房公积金"]
STANDARDS = ["GB 14881—2013 食品生产通用卫生规范", "GB/T 39046—2020 政务服务平台基础数据规范",
             "GB 50016—2014 建筑设计防火规范", "GB 18871—2002 电离辐射防护与辐射源安全基本标准",
             "GB 5749—2022 生活饮用水卫生标准", "GB 7258—2017 机动车运行安全技术条件",
             "GB 37487—2019 公共场所卫生管理规范", "GB/T 35273—2020 个人信息安全规范"]

SPEC_POOL = [
    "A4纸复印，正反面复印在同一页，字迹清晰。",
    "需在有效期内，信息与申请人一致。",
    "白色背景，不着制式服装，不佩戴饰品，照片尺寸48mm×33mm。",
    "须由出具单位加盖公章，并注明联系人和联系电话。",
    "复印件须注明“与原件一致”并由申请人签字。",
    "外文材料须附具有资质的翻译机构出具的中文译本。",
    "使用黑色签字笔填写，不得涂改；填写错误的应重新填写。",
    "电子证照可通过“新疆政务服务”App亮证，无需提交纸质件。",
    "出具日期须在{n}个月以内。",
    "页数较多的，须按顺序装订并加盖骑缝章。",
]
NOTE_POOL = [
    "可在{ch}下载空白表格，也可在窗口领取。",
    "已通过电子证照库共享的，免于提交。",
    "申请人可在线填写，打印后签字确认。",
    "如信息有误，请先到{dept}办理更正后再申请。",
    "委托办理的，委托书须载明委托事项、权限和期限。",
    "本材料仅需在首次申请时提交，后续办理可免交。",
    "涉及多名共有人的，每名共有人均须提供。",
    "原件核验后当场退还。",
    "联系电话须填写本人常用手机号码，以便接收短信通知。",
    "如为复印件，须加盖出具单位公章。",
]

FAQ_POOL = [
    ("{name}可以委托他人代办吗？",
     "可以。受托人须携带本人居民身份证原件和申请人签字的授权委托书，{extra}"),
    ("办理{name}需要本人到现场吗？",
     "{visit_answer}"),
    ("{name}多长时间可以办结？",
     "本事项承诺时限为{promised}。{urgent}"),
    ("{name}收费吗？",
     "{fee_answer}"),
    ("材料不全怎么办？",
     "窗口工作人员将出具《一次性告知单》，一次性告知需要补正的全部材料。请在{days}个工作日内补齐，逾期视为放弃申请。"),
    ("可以在网上查询{name}的办理进度吗？",
     "可以。登录{ch}，在“我的办件”中输入受理编号即可查询；也可拨打{phone}咨询。"),
    ("非本市户籍人员能否办理{name}？",
     "{nonlocal_answer}"),
    ("{result}丢失了怎么办？",
     "请及时登报声明作废，或在{ch}发布遗失声明，然后持本人身份证件到原办理窗口申请补办。"),
    ("办理{name}时，对照片有什么要求？",
     "请提供近{m}个月内拍摄的正面免冠彩色照片，白色背景，照片尺寸48mm×33mm，头部宽度21—24mm。"),
    ("周末可以办理{name}吗？",
     "{hall}实行“周末不打烊”服务，每周六{sat}可办理本事项，请提前通过{ch}预约。"),
    ("老年人、残疾人办理{name}有什么便利措施？",
     "设有“绿色通道”和“爱心窗口”，优先受理；行动不便的可拨打{phone}申请上门服务。"),
    ("{name}的结果可以邮寄吗？",
     "{express_answer}"),
]

GREEN_POOL = [
    "年满70周岁的老年人、残疾人、孕妇及怀抱婴儿的申请人，可走“绿色通道”优先办理。",
    "行动不便、长期卧床的申请人，可拨打{phone}预约上门服务，工作人员将在{n}个工作日内上门受理。",
    "因就医、就学、奔丧等紧急事由需要加急的，凭相关证明可在{n}个工作日内办结。",
    "工作日中午及周六上午提供预约延时服务，请提前1个工作日预约。",
    "退役军人、军人军属、消防救援人员凭优待证件优先办理。",
    "高层次人才凭《人才服务卡》享受“专人帮办、一对一服务”。",
    "听障人士可通过{ch}使用在线手语服务。",
    "对符合条件的低保对象、特困人员，免收相关费用并提供全程帮办。",
]

CHANGE_POOL = [
    "精简申请材料{k}项，{mat}改为通过电子证照库共享获取。",
    "承诺办结时限由{a}个工作日压缩至{b}个工作日。",
    "新增{ch}网上申请渠道。",
    "取消{mat}，改为申请人书面承诺。",
    "办理地点调整至{addr}。",
    "新增“跨省通办”服务，可在全国范围内异地受理。",
    "调整收费标准，{fee}。",
    "更新设定依据，增加{law}。",
    "新增情形“{sit}”及对应材料。",
    "咨询电话调整为{phone}。",
    "实行告知承诺制，{mat}可容缺后补。",
    "办公时间调整为{hours}。",
]

HOURS = [
    "周一至周五 9:30—13:30，15:30—19:30",
    "周一至周五 10:00—14:00，15:30—19:30（夏季）",
    "周一至周五 9:30—19:30（中午不休息）",
    "周一至周六 9:30—13:30，16:00—19:30",
    "工作日 10:00—13:30，15:30—18:30",
]
SAT_HOURS = ["10:00—14:00", "9:30—13:30", "10:30—15:00"]

MD_LINK_TEXT = ["办事指南", "在线申请", "表格下载", "政策解读", "常见问题"]

AUDIENCES = ["自然人", "法人", "其他组织"]

CN_DIGITS = "零一二三四五六七八九"


def cn_num(n: int) -> str:
    """1..999 in Chinese numerals as used in article numbers (第一百零五条)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    h, rest = divmod(n, 100)
    s = CN_DIGITS[h] + "百"
    if rest == 0:
        return s
    if rest < 10:
        return s + "零" + CN_DIGITS[rest]
    if rest < 20:
        return s + "一" + cn_num(rest)
    return s + cn_num(rest)


# ---------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------


def parse_catalogue():
    out = []
    for line in CATALOGUE_SRC.strip().split("\n"):
        cid, name, form, src, issuer = line.split("|")
        out.append({"id": cid, "name": name, "form": FORM_CODE[form],
                    "source": SOURCE_CODE[src], "issuer": issuer or None})
    return out


def counts_for(form: str, r: random.Random):
    """(originals, copies) consistent with form."""
    if form == "原件":
        return r.choice([1, 1, 1, 2]), 0
    if form == "复印件":
        return 0, r.choice([1, 1, 1, 2, 3])
    if form == "原件和复印件":
        return r.choice([1, 1, 1, 2]), r.choice([1, 1, 2])
    return 0, 0


class Gen:
    def __init__(self, n: int, seed: int):
        self.n = n
        self.r = random.Random(seed)
        self.departments: dict[str, dict] = {}
        self.used_ids: set[str] = set()
        self.used_names: set[str] = set()

    # ---- small pieces ---------------------------------------------------

    def hz(self, k: int) -> str:
        return "".join(self.r.choice(HANZI) for _ in range(k))

    def phone(self) -> str:
        return f"0991-{self.r.randint(2000000, 8999999)}"

    def road(self) -> str:
        return self.hz(2) + self.r.choice(ROAD_SUFFIX)

    def address(self, district: str | None = None) -> str:
        r = self.r
        d = district or r.choice(DISTRICTS)[0]
        return f"{CITY}{d}{self.road()}{r.randint(1, 999)}号{self.hz(2)}{r.choice(BUILDINGS)}"

    def company(self) -> str:
        r = self.r
        return f"乌鲁木齐{self.hz(2)}{r.choice(['商贸', '科技', '餐饮', '物流', '建筑工程', '文化传媒', '农业开发', '医药'])}有限公司"

    def person(self) -> str:
        return self.r.choice(SURNAMES) + self.hz(self.r.choice([1, 2]))

    def date_between(self, a: dt.date, b: dt.date) -> dt.date:
        return dt.date.fromordinal(self.r.randint(a.toordinal(), b.toordinal()))

    def url(self, path: str) -> str:
        return f"{SITE}/{path}"

    def fill(self, template: str, **kw) -> str:
        r = self.r
        base = {
            "city": CITY, "age": r.choice([16, 18, 18, 22, 60]), "n": r.choice([1, 2, 3, 5, 6]),
            "bad": r.choice(BAD_RECORDS), "area": r.choice([20, 30, 50, 100, 200]),
            "k": r.choice([1, 2, 3]), "money": r.choice([690, 730, 780, 810]),
            "std": r.choice(STANDARDS), "place": r.choice(DISTRICTS)[0],
            "ch": r.choice(ONLINE_CHANNELS), "phone": "12345", "m": r.choice([3, 6]),
        }
        base.update(kw)
        return template.format(**base)

    def department(self, cat, district) -> str:
        (city_name, city_short), suffix = cat[2], cat[3]
        if district and suffix and self.r.random() < 0.45:
            name = f"{CITY}{district}{suffix}"
            short = f"{district}{suffix[:2]}"
        else:
            name, short = city_name, city_short
        if name not in self.departments:
            self.departments[name] = {
                "name": name, "short": short,
                "address": self.address(district),
                "phone": Q(self.phone()),
            }
        return name

    # ---- catalogue ------------------------------------------------------

    def catalogue(self):
        r = self.r
        full = parse_catalogue()
        size = min(len(full), 200, max(8, 5 * self.n))
        cat = full[:size]
        for e in cat:
            o, c = counts_for(e["form"], r)
            e["originals"], e["copies"] = o, c
            e["explicit_counts"] = r.random() < 0.4
            e["necessity"] = "非必要" if e["id"] not in CORE and r.random() < 0.06 else None
            e["spec"] = self.fill(r.choice(SPEC_POOL)) if r.random() < 0.7 else None
            e["note"] = self.fill(r.choice(NOTE_POOL), dept=r.choice(CATEGORIES)[2][0]) if r.random() < 0.4 else None
            e["blank_form"] = (self.url(f"forms/{e['id']}.docx")
                               if e["source"] in ("申请人自备", "在线填报") and r.random() < 0.5 else None)
            e["sample"] = self.url(f"samples/{e['id']}.pdf") if r.random() < 0.25 else None
        self.cat = cat
        self.cat_by_id = {e["id"]: e for e in cat}
        # popularity ranking for random references (Zipf-like)
        specific = {c for ids in AFFINITY.values() for c in ids}
        order = [e["id"] for e in cat if e["id"] not in specific and e["id"] not in CORE]
        r.shuffle(order)
        order = [c for c in sorted(CORE) if c in self.cat_by_id] + order
        self.popular = order or [e["id"] for e in cat]
        self.pop_weights = [1.0 / (i + 1) ** 0.7 for i in range(len(order))]

    def catalogue_yaml(self) -> str:
        y = Yaml()
        y.comment(f"{CITY}政务服务中心 共享材料目录（{len(self.cat)}项）")
        y.comment("每份材料定义一次，各事项通过 ref 引用，确保各窗口口径一致。")
        items = []
        for e in self.cat:
            d = {"id": e["id"], "name": e["name"], "form": e["form"]}
            if e["explicit_counts"]:
                d["originals"] = e["originals"]
                d["copies"] = e["copies"]
            elif (e["originals"], e["copies"]) != counts_default(e["form"]):
                d["originals"] = e["originals"]
                d["copies"] = e["copies"]
            d["necessity"] = e["necessity"]
            d["source"] = e["source"]
            d["issuer"] = e["issuer"]
            d["spec"] = e["spec"]
            d["note"] = e["note"]
            d["blank_form"] = e["blank_form"]
            d["sample"] = e["sample"]
            items.append(d)
        y.sequence(items, 0)
        return y.text()

    # ---- matters --------------------------------------------------------

    def plan_matters(self):
        r = self.r
        ncat = min(r.randint(8, 15), max(1, self.n))
        cats = r.sample(CATEGORIES, ncat)
        cats.sort(key=lambda c: CATEGORIES.index(c))
        self.cats = cats
        weights = [len(c[5]) for c in cats]
        plans = []
        for i in range(self.n):
            cat = cats[i] if i < len(cats) else r.choices(cats, weights)[0]
            obj = r.choice(cat[5])
            act = r.choice(ACTIONS[obj[2]])
            oname = obj[0]
            if oname.endswith("登记") and "登记" in act[0]:
                oname = oname[:-2]
            name = oname + act[0]
            mid = f"{obj[1]}-{act[1]}"
            district = None
            if mid in self.used_ids or name in self.used_names:
                for d_name, d_slug in r.sample(DISTRICTS, len(DISTRICTS)):
                    cand, cand_name = f"{mid}-{d_slug}", f"{name}（{d_name}）"
                    if cand not in self.used_ids and cand_name not in self.used_names:
                        mid, name, district = cand, cand_name, d_name
                        break
                else:
                    # every district taken: a sub-district (街道) implements it
                    d_name, d_slug = r.choice(DISTRICTS)
                    k = 2
                    while True:
                        cand, cand_name = f"{mid}-{d_slug}-{k}", f"{name}（{d_name}{self.hz(2)}街道）"
                        if cand not in self.used_ids and cand_name not in self.used_names:
                            break
                        k += 1
                    mid, name, district = cand, cand_name, d_name
            self.used_ids.add(mid)
            self.used_names.add(name)
            plans.append({"cat": cat, "obj": obj, "oname": oname, "act": act, "name": name, "id": mid,
                          "district": district})
        # guarantee every catalogue entry is referenced by some matter,
        # preferably one of a category it belongs to
        order = [e["id"] for e in self.cat]
        r.shuffle(order)
        by_cat: dict[str, list[int]] = {}
        for j, p in enumerate(plans):
            by_cat.setdefault(p["cat"][1], []).append(j)
        home = {}
        for slug in sorted(AFFINITY):
            for cid in AFFINITY[slug]:
                if slug in by_cat:
                    home.setdefault(cid, []).append(slug)
        next_j = 0
        load = [0] * self.n
        for cid in order:
            slugs = home.get(cid)
            if slugs:
                cands = by_cat[r.choice(slugs)]
                j = min(cands, key=lambda x: (load[x], x))
            else:
                j = next_j % self.n
                next_j += 1
            load[j] += 1
            plans[j].setdefault("must", []).append(cid)
        self.plans = plans

    def matter(self, p) -> tuple[str, str]:
        r = self.r
        cat, obj, act, name, mid = p["cat"], p["obj"], p["act"], p["name"], p["id"]
        family = obj[2]
        district = p["district"] or r.choice(DISTRICTS)[0]
        dept = self.department(cat, p["district"] or (district if r.random() < 0.5 else None))
        kind = r.choice(cat[4])
        if family == "permit" and r.random() < 0.7:
            kind = "行政许可"
        audience = ["自然人"] if r.random() < 0.5 else r.sample(AUDIENCES, r.randint(1, 3))
        audience.sort(key=AUDIENCES.index)
        natural = "自然人" in audience
        obase = obj[0][:-2] if obj[0].endswith("登记") and family == "reg" else obj[0]
        result_name = r.choice(RESULTS[family]).format(o=obase)

        m: dict = {"id": mid, "name": name}
        aliases = [p["oname"] + a for a in r.sample(act[2], r.randint(1, 2))]
        if r.random() < 0.4:
            aliases.append(f"{act[0]}{p['oname']}")
        m["aliases"] = aliases
        m["code"] = Q(f"1165{r.randint(0, 9999):04d}{r.choice(['MB', '00', '11'])}{r.randint(0, 9999999):07d}"
                      f"{r.choice('0123456789X')}{r.choice(['4000', '2000', '1000', '0000'])}{r.randint(0, 999999999):09d}")
        m["kind"] = kind
        m["department"] = dept
        m["category"] = cat[0]
        m["audience"] = Flow(audience) if r.random() < 0.5 else audience

        # time limits first: summary and FAQ mention them
        instant = r.random() < 0.3
        tl: dict = {}
        if instant:
            if r.random() < 0.5:
                tl["legal"] = Flow({"value": r.choice([5, 10, 20]), "unit": "工作日"})
            tl["promised"] = "即办" if r.random() < 0.75 else Flow({"value": 0, "unit": "工作日"})
            tl["type"] = "即办件"
            promised_text = "即时办结"
        else:
            unit = r.choice(["工作日"] * 6 + ["自然日", "小时"])
            if unit == "小时":
                pv = r.choice([2, 4, 24, 48])
                legal = {"value": r.choice([5, 10, 20]), "unit": "工作日"}
            else:
                pv = r.choice([1, 2, 3, 5, 7, 10, 15])
                lv = pv + r.choice([0, 3, 5, 10, 13, 15, 45])
                legal = {"value": lv, "unit": unit if r.random() < 0.8 else "自然日" if unit == "工作日" else "工作日"}
            if r.random() < 0.8:
                tl["legal"] = Flow(legal)
            tl["promised"] = Flow({"value": pv, "unit": unit})
            tl["type"] = "承诺件"
            promised_text = f"{pv}个{unit}" if unit != "小时" else f"{pv}小时"

        channels = [r.choice(ONLINE_CHANNELS), r.choice(CHANNELS[3:])]
        r.shuffle(channels)
        local_laws = [LAWS[i] for i in LAW_CATS.get(cat[1], [])]
        laws = r.sample(local_laws, min(len(local_laws), r.choice([1, 1, 2])))
        if not laws or r.random() < 0.3:
            laws.append(r.choice([LAWS[i] for i in LAW_CATS["*"]]))
        summary = (f"{dept}依据{laws[0][0]}等规定，为{'、'.join(audience)}办理{name}。"
                   f"申请人可通过{channels[0]}或{channels[1]}提交申请，"
                   + self.fill(r.choice(PROMISE_LINES), p=promised_text))
        if r.random() < 0.35:
            link = r.choice(MD_LINK_TEXT)
            summary += f"\n\n详见[{link}]({self.url('matter/' + mid)})，**请以窗口最新告知为准**。"
        m["summary"] = Lit(summary) if "\n" in summary or r.random() < 0.5 else summary

        # basis
        basis = []
        for law, doc in laws:
            b = {"law": law}
            if r.random() < 0.7:
                b["doc_no"] = doc
            if r.random() < 0.85:
                b["article"] = f"第{cn_num(r.randint(2, 120))}条"
                if r.random() < 0.4:
                    b["article"] += f"第{cn_num(r.randint(1, 4))}款"
            if r.random() < 0.4:
                b["text"] = (f"{r.choice(['申请', '办理', '变更', '注销'])}{obj[0]}的，"
                             f"{r.choice(['应当', '可以', '须'])}向{r.choice(['所在地', '户籍所在地', '经常居住地', '住所地'])}"
                             f"{r.choice(['主管部门', '登记机关', '县级以上人民政府有关部门', '经办机构'])}提出申请，"
                             f"{r.choice(['并提交相关证明材料', '如实提供有关情况', '并对材料的真实性负责'])}。")
            basis.append(b)
        m["basis"] = basis

        conds = [self.fill(c) for c in r.sample(CONDITION_POOL, r.randint(2, 3))]
        if r.random() < 0.5:
            m["conditions"] = conds
        else:
            m["conditions"] = Lit("\n".join(f"{i + 1}. {c}" for i, c in enumerate(conds)))

        # situations
        sits = r.sample(SITUATIONS, r.randint(1, 4))
        m["situations"] = []
        for s in sits:
            sd = {"id": s[0], "label": s[1]}
            if r.random() < 0.7:
                sd["question"] = s[2]
            m["situations"].append(sd)

        m["materials"] = self.materials(p, sits, natural, district)
        if r.random() < 0.05:
            m["materials_note"] = "已通过电子证照库共享的材料，申请人可免于提交纸质件；窗口将现场调取核验。"

        m["steps"] = self.steps(name, instant, result_name)
        m["time_limit"] = tl

        # fees
        charged = r.random() < 0.3
        if charged:
            items = []
            fee_pool = [f for f in FEE_ITEMS if f[3] is None or cat[1] in f[3]]
            for fname, stds, bases, _ in r.sample(fee_pool, min(len(fee_pool), r.randint(1, 2))):
                joined = obj[0][:-2] + fname if obj[0].endswith("登记") and fname.startswith("登记") else obj[0] + fname
                it = {"name": fname if r.random() < 0.5 else joined,
                      "standard": r.choice(stds), "basis": FEE_BASES[r.choice(bases)]}
                if r.random() < 0.4:
                    it["reducible"] = r.choice(REDUCIBLE)
                items.append(it)
            m["fees"] = {"charged": True, "items": items}
            fee_answer = "收费。" + "；".join(f"{i['name']}{i['standard']}" for i in items) + "，收费依据见本指南“收费标准”部分。"
        else:
            m["fees"] = {"charged": False}
            fee_answer = "不收费。本事项不收取任何费用，请勿轻信代办中介。"

        # handling
        visits = r.choice([0, 0, 1, 1, 1, 1, 2])
        h: dict = {"visits": visits}
        if visits:
            h["visit_reason"] = r.choice(VISIT_REASONS)
        if visits < 2 or r.random() < 0.5:
            h["online"] = {"url": self.url(f"matter/{mid}/apply")}
        if r.random() < 0.6:
            h["appointment"] = f"可通过{r.choice(CHANNELS[:3])}或拨打12345预约，预约成功后按时段到窗口办理。"
        express = r.random() < 0.5
        h["express"] = express
        if visits or r.random() < 0.4:
            locs = []
            for _ in range(r.randint(1, 3) if visits else 1):
                loc = {"address": self.address(district if r.random() < 0.6 else None)}
                if r.random() < 0.8:
                    a = r.randint(1, 30)
                    loc["window"] = f"{r.choice(ZONES)}区{a}—{a + r.randint(1, 5)}号窗口" if r.random() < 0.7 else f"{r.randint(1, 4)}楼{r.randint(1, 40)}号综合窗口"
                if r.random() < 0.8:
                    loc["hours"] = r.choice(HOURS)
                locs.append(loc)
            h["locations"] = locs
        m["handling"] = h

        res = {"name": result_name}
        if r.random() < 0.5:
            res["sample"] = self.url(f"samples/{mid}-result.pdf")
        res["validity"] = r.choice(["长期有效", "5年", "10年", "20年", "3年", "1年", "有效期内有效", "一次有效"])
        res["delivery"] = r.choice(["窗口领取", "窗口领取或邮寄送达", "电子证照推送至“i乌鲁木齐”App", "邮寄送达（免费）", "短信通知后窗口领取"])
        m["result"] = res

        if r.random() < 0.2:
            consult = self.phone()
            complaint = r.choice(["12345", self.phone()])
            while complaint == consult:
                complaint = self.phone()
            m["contact"] = {"consult": Q(consult), "complaint": Q(complaint)}

        greens = r.sample(GREEN_POOL, r.randint(1, 3))
        greens = [self.fill(g) for g in greens]
        m["green_channel"] = Lit("\n".join("- " + g for g in greens)) if r.random() < 0.6 else "".join(greens)

        # faq
        hall = f"{district}{r.choice(BUILDINGS)}"
        faq = []
        mres = re.search(r"《([^》]+)》", result_name)
        pool = [f for f in FAQ_POOL if mres or "{result}" not in f[0]]
        for q, a in r.sample(pool, r.choice([1, 2, 2, 3])):
            kw = dict(
                name=name, result=mres.group(1) if mres else "", promised=promised_text,
                extra=r.choice(["受托人须年满18周岁。", "委托书须由申请人本人签字。", "未成年人不得作为受托人。"]),
                visit_answer=("不需要。本事项可全程网上办理，" + f"登录{channels[0]}提交即可。" if visits == 0
                              else f"需要到现场{visits}次，原因是{h.get('visit_reason', '')}。"),
                urgent=r.choice(["", "因紧急事由需要加急的，可向窗口提出申请。", "材料需补正的，补正时间不计入办理时限。"]),
                fee_answer=fee_answer, days=r.choice([5, 10, 20]),
                nonlocal_answer=r.choice(["可以。持有本市有效居住证的，与本市户籍人员同等办理。",
                                   "可以。本事项已纳入“跨省通办”，可在本市任一政务服务大厅办理。",
                                   "暂不能办理，请向户籍所在地主管部门申请。"]),
                hall=hall, sat=r.choice(SAT_HOURS),
                express_answer=("可以。办理时选择邮寄送达，结果将通过中国邮政EMS免费寄递。" if express
                                else "暂不提供邮寄服务，请凭受理回执到原窗口领取。"),
            )
            faq.append({"q": self.fill(q, **kw), "a": Lit(self.fill(a, **kw)) if r.random() < 0.3 else self.fill(a, **kw)})
        m["faq"] = faq

        eff = self.date_between(dt.date(2019, 1, 1), dt.date(2026, 6, 30))
        m["effective"] = Raw(eff.isoformat())
        m["review_by"] = Raw(self.date_between(dt.date(2030, 1, 1), dt.date(2030, 12, 31)).isoformat())
        changes = []
        d = eff
        for _ in range(r.randint(1, 3)):
            tmpl = r.choice(CHANGE_POOL)
            a = r.randint(10, 30)
            text = self.fill(tmpl, mat=r.choice(self.cat)["name"], a=a, b=r.randint(1, a - 1),
                             addr=self.address(district), fee=r.choice(["工本费降至10元/本", "免收登记费", "取消加急费"]),
                             law=laws[-1][0], sit=sits[0][1], phone=self.phone(), hours=r.choice(HOURS))
            changes.append({"date": Raw(d.isoformat()), "change": text})
            d = d - dt.timedelta(days=r.randint(60, 700))
        m["changelog"] = changes

        y = Yaml()
        y.comment(f"{name} —— {cat[0]}")
        y.mapping(m)
        return f"guides/{cat[1]}/{mid}.yaml", y.text()

    def steps(self, name, instant, result_name):
        r = self.r
        if instant:
            stages = [("申请", "申请人"), ("受理", "窗口工作人员"), ("办结", "窗口工作人员")]
        else:
            stages = [("申请", "申请人"), ("受理", r.choice(["窗口工作人员", "受理人员", "综合窗口"])),
                      ("审查", r.choice(["审核人员", "业务科室"])), ("决定", r.choice(["审批人员", "分管负责人"]))]
            if r.random() < 0.5:
                stages.append(("制证", "制证中心"))
            stages.append((r.choice(["送达", "领取", "办结"]), r.choice(["窗口工作人员", "综合窗口"])))
        details = {
            "申请": [f"申请人通过{r.choice(CHANNELS)}提交申请材料，填写《{name}申请表》。",
                     f"申请人携带全部材料到窗口现场申请，或登录{r.choice(ONLINE_CHANNELS)}在线申报。"],
            "受理": ["对申请材料进行形式审查。材料齐全、符合法定形式的，当场受理并出具受理回执；材料不全的，出具《一次性告知单》，一次性告知需要补正的全部内容。",
                     "核验申请人身份和材料原件，符合条件的予以受理；不予受理的，书面说明理由。"],
            "审查": ["对申请材料的真实性、合法性进行审查，必要时进行实地核查或组织专家评审。",
                     f"通过信息共享核查申请人{r.choice(['户籍', '社保', '婚姻', '纳税', '不动产', '信用'])}信息，无需申请人另行提供证明。"],
            "决定": [f"作出准予或者不予办理的决定；不予办理的，书面告知理由及申请复议、提起诉讼的权利。",
                     "审批人员签署审批意见，形成办理结果。"],
            "制证": [f"制作{result_name}，核对无误后加盖印章。", "统一制作证照并生成电子证照。"],
            "送达": [f"通过窗口领取、邮寄或电子证照推送方式送达{result_name}。", "电话或短信通知申请人领取办理结果。"],
            "领取": [f"申请人凭受理回执和身份证件领取{result_name}。", "委托他人领取的，受托人须携带本人身份证件和受理回执。"],
            "办结": [f"当场办结并发放{result_name}。", "办结后将结果同步至电子证照库，申请人可在线查看。"],
        }
        out = []
        for sname, role in stages:
            s = {"name": sname}
            if r.random() < 0.85:
                s["role"] = role
            if r.random() < 0.6:
                s["detail"] = r.choice(details[sname])
            if r.random() < 0.7:
                if instant:
                    s["limit"] = "即时"
                else:
                    s["limit"] = r.choice(["即时", "1个工作日", "2个工作日", "3个工作日", "5个工作日", "4小时", "3个自然日"])
            out.append(s)
        return out

    def inline(self, name: str, when=None, kind="form"):
        r = self.r
        if kind == "form":
            form = r.choice(["原件", "原件", "电子"])
            source = "在线填报" if form == "电子" or r.random() < 0.5 else "申请人自备"
        else:
            form = r.choice(list(FORM_CODE.values()))
            source = r.choice(list(SOURCE_CODE.values()))
        d = {"name": name, "form": form}
        o, c = counts_for(form, r)
        if (o, c) != counts_default(form) or r.random() < 0.3:
            d["originals"], d["copies"] = o, c
        if r.random() < 0.2:
            d["necessity"] = r.choice(["非必要", "容缺后补"])
        d["source"] = source
        if source in ("政府部门核发", "其他") and r.random() < 0.7:
            d["issuer"] = r.choice(["社区居民委员会", "街道办事处", "工作单位", "乡镇人民政府", "就读学校", "人民法院", "公证机构"])
        if r.random() < 0.6:
            d["spec"] = self.fill(r.choice(SPEC_POOL))
        if r.random() < 0.5:
            d["note"] = self.fill(r.choice(NOTE_POOL), dept=r.choice(CATEGORIES)[2][0])
            if r.random() < 0.3:
                d["note"] += f"如：{self.company()}，法定代表人{self.person()}。"
        if kind == "form" and r.random() < 0.6:
            d["blank_form"] = self.url(f"forms/{zlib.crc32(name.encode()):08x}.docx")
        if r.random() < 0.2:
            d["sample"] = self.url(f"samples/{zlib.crc32(name.encode()):08x}.pdf")
        if when:
            d["when"] = Flow(when)
        return d

    def ref(self, cid: str, when=None, override=True):
        r = self.r
        e = self.cat_by_id[cid]
        d = {"ref": cid}
        if override and r.random() < 0.35:
            x = r.random()
            if x < 0.4 and e["copies"] >= 1:
                d["copies"] = r.choice([1, 2, 3])
            elif x < 0.55 and e["originals"] >= 1:
                d["originals"] = r.choice([1, 2])
            elif x < 0.75:
                d["necessity"] = r.choice(["非必要", "容缺后补", "必要"])
            else:
                d["note"] = self.fill(r.choice(NOTE_POOL), dept=r.choice(CATEGORIES)[2][0])
        if when:
            d["when"] = Flow(when) if r.random() < 0.8 else list(when)
        return d

    def materials(self, p, sits, natural, district):
        r = self.r
        name = p["name"]
        used: set[str] = set()
        inline_names: set[str] = set()
        mats = []

        def add_inline(nm, when=None, kind="form"):
            if nm in inline_names:
                return
            inline_names.add(nm)
            mats.append(self.inline(nm, when, kind))

        add_inline(f"《{name}申请表》")
        base = []
        if natural and "id-card" in self.cat_by_id and r.random() < 0.85:
            base.append("id-card")
        base += p.get("must", [])
        local = [c for c in AFFINITY.get(p["cat"][1], []) if c in self.cat_by_id]
        if local:
            base += r.sample(local, min(len(local), r.randint(1, 3)))
        base += r.choices(self.popular, self.pop_weights, k=r.randint(1, 3))
        for cid in base:
            if cid not in used:
                used.add(cid)
                mats.append(self.ref(cid))
        # situation-specific materials
        sit_ids = [s[0] for s in sits]
        for s in sits:
            cands = [c for c in s[3] if c in self.cat_by_id and c not in used]
            n_for = r.randint(1, 2)
            for _ in range(n_for):
                when = [s[0]]
                if len(sit_ids) > 1 and r.random() < 0.15:
                    other = r.choice([x for x in sit_ids if x != s[0]])
                    when = sorted({s[0], other}, key=sit_ids.index)
                if cands and r.random() < 0.8:
                    cid = cands.pop(0)
                    used.add(cid)
                    mats.append(self.ref(cid, when))
                else:
                    add_inline(f"{s[4]}（{name}）", when, kind="other")
        if r.random() < 0.6:
            add_inline(f"{name}{r.choice(['承诺书', '告知承诺书', '情况说明', '补充材料'])}", kind="form")
        if r.random() < 0.3:
            add_inline(f"{p['obj'][0]}{r.choice(['现场照片', '相关证明材料', '核查表'])}（{name}）", kind="other")
        return mats

    # ---- project --------------------------------------------------------

    def guide_yaml(self) -> str:
        y = Yaml()
        y.comment("guide 项目设置（基准测试语料，由 bench/gen_corpus.py 生成）")
        d = {
            "title": f"{CITY}政务服务中心 办事指南",
            "organization": f"{CITY}政务服务中心",
            "edition": "2026年第4版",
            "base_url": BASE_URL,
            "contact": {
                "consult": Q("0991-2345678"),
                "complaint": Q("12345"),
                "address": f"{CITY}新市区北京南路337号",
                "hours": HOURS[0],
            },
            "departments": [self.departments[k] for k in self.departments],
            "notice": {
                "issuer": f"{CITY}政务服务中心",
                "number_pattern": "乌政服告〔{year}〕{seq:4}号",
                "correction_days": 20,
                "legal_clause": "《中华人民共和国行政许可法》第三十二条",
            },
            "booklet": {"paper": "A5", "large_print": False},
        }
        y.mapping(d)
        return y.text()

    def run(self):
        self.catalogue()
        self.plan_matters()
        files = {}
        for p in self.plans:
            path, text = self.matter(p)
            files[path] = text
        files["materials.yaml"] = self.catalogue_yaml()
        files["guide.yaml"] = self.guide_yaml()
        return files


def counts_default(form: str):
    return {"原件": (1, 0), "复印件": (0, 1), "原件和复印件": (1, 1), "电子": (0, 0)}[form]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate a benchmark guide project with N matters.")
    ap.add_argument("n", type=int, metavar="N", help="number of matters (≥ 1)")
    ap.add_argument("outdir", metavar="OUTDIR")
    ap.add_argument("--seed", type=int, default=20260401)
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")

    out = args.outdir
    if os.path.exists(out):
        if not os.path.isdir(out):
            ap.error(f"{out} exists and is not a directory")
        entries = [e for e in os.listdir(out) if e not in ("guide.yaml", "materials.yaml", "guides")]
        if entries:
            ap.error(f"{out} is not empty and does not look like a generated corpus; refusing to overwrite")
        shutil.rmtree(os.path.join(out, "guides"), ignore_errors=True)

    files = Gen(args.n, args.seed).run()
    for rel in sorted(files):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(files[rel])
    total = sum(len(t.encode("utf-8")) for t in files.values())
    print(f"wrote {len(files)} files ({total / 1e6:.2f} MB) for {args.n} matters to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
