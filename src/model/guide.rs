//! One matter (事项): the guide file.

use super::{Audience, BasisRole, CaseType, Channel, Kind, Level, MaterialEntry, S, Scope, Unit};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub id: S<String>,
    pub name: S<String>,
    #[serde(default)]
    pub aliases: Vec<S<String>>,
    /// 实施编码 (the same as `codes.implementation`).
    pub code: Option<S<String>>,
    /// 基本编码, 实施编码, 业务办理项编码.
    pub codes: Option<Codes>,
    pub kind: Option<S<Kind>>,
    pub department: S<String>,
    /// 委托部门: the department acts on its behalf.
    pub entrusted_by: Option<S<String>>,
    /// 联办机构.
    #[serde(default)]
    pub joint_departments: Vec<S<String>>,
    /// 行使层级.
    pub level: Option<S<Level>>,
    /// 通办范围.
    pub scope: Option<S<Scope>>,
    /// 数量限制 (`无` is stated and printed).
    pub quantity_limit: Option<S<String>>,
    /// 中介服务; `[]` states that there is none (printed 无).
    pub intermediary: Option<Vec<Intermediary>>,
    /// 行政复议 and 行政诉讼; the project's (`guide.yaml`) by default.
    pub remedies: Option<Remedies>,
    pub category: S<String>,
    /// The name of the category's page (`categories/ID.html`), when not
    /// its folder's name; one matter of the category saying it is enough.
    pub category_id: Option<S<String>>,
    #[serde(default)]
    pub audience: Vec<S<Audience>>,
    pub summary: Option<S<String>>,
    #[serde(default)]
    pub basis: Vec<Basis>,
    pub conditions: Option<S<Markdowns>>,
    /// 不予受理 / 不予许可情形.
    pub refusals: Option<S<Markdowns>>,
    #[serde(default)]
    pub situations: Vec<Situation>,
    #[serde(default)]
    pub materials: Vec<S<MaterialEntry>>,
    pub materials_note: Option<S<String>>,
    #[serde(default)]
    pub steps: Vec<Step>,
    pub time_limit: Option<TimeLimit>,
    /// 特别程序 / 特殊环节 (专家评审, 现场核查, …).
    #[serde(default)]
    pub special_procedures: Vec<SpecialProcedure>,
    pub fees: Option<Fees>,
    pub handling: Option<Handling>,
    pub result: Option<ResultDoc>,
    pub contact: Option<S<Contact>>,
    pub green_channel: Option<S<String>>,
    #[serde(default)]
    pub faq: Vec<Faq>,
    pub effective: S<String>,
    pub expires: Option<S<String>>,
    pub review_by: Option<S<String>>,
    #[serde(default)]
    pub changelog: Vec<Change>,
    /// 一件事: the member matters this file merges into one application.
    pub bundle: Option<Bundle>,
    /// A 一件事's members as they are in force, filled by the loader
    /// (`Project::link_bundles`); empty for a matter.
    #[serde(skip)]
    pub linked: Vec<Member>,
    /// The matter's own notice settings (legal clause, correction deadline).
    pub notice: Option<super::MatterNotice>,
}

/// `bundle: {members, optional}`: a 一件事 (国发〔2024〕3号). `members` are
/// always part of it; `optional` are the ones an applicant may pick, a
/// separate list (a matter is in one of the two, once).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub members: Vec<S<String>>,
    #[serde(default)]
    pub optional: Vec<S<String>>,
}

impl Bundle {
    /// Every member id, `members` first, then `optional`, with whether it is optional.
    pub fn all(&self) -> impl Iterator<Item = (&S<String>, bool)> {
        self.members
            .iter()
            .map(|m| (m, false))
            .chain(self.optional.iter().map(|m| (m, true)))
    }
}

/// A member matter of a 一件事, copied from its file when the project's
/// matters are settled: what resolution and the situation pickers read.
#[derive(Clone, Debug)]
pub struct Member {
    pub id: String,
    pub name: String,
    /// The applicant picks it (`bundle.optional`).
    pub optional: bool,
    pub situations: Vec<Situation>,
    pub materials: Vec<S<MaterialEntry>>,
}

/// A 中介服务 the applicant needs.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Intermediary {
    pub name: S<String>,
    pub provider: Option<S<String>>,
    pub basis: Option<S<String>>,
}

/// Where an applicant may appeal: 行政复议 and 行政诉讼.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Remedies {
    pub review: Option<Remedy>,
    pub litigation: Option<Remedy>,
}

/// A review body or a court: its name (`department` or `court`), address
/// and phone.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Remedy {
    #[serde(alias = "court")]
    pub department: S<String>,
    pub address: Option<S<String>>,
    pub phone: Option<S<String>>,
}

/// The codes of a matter, each printed under its own label.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Codes {
    /// 基本编码.
    pub basic: Option<S<String>>,
    /// 实施编码.
    pub implementation: Option<S<String>>,
    /// 业务办理项编码.
    pub item: Option<S<String>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Basis {
    /// 设定依据 (the default) or 实施依据.
    pub role: Option<S<BasisRole>>,
    pub law: S<String>,
    pub doc_no: Option<S<String>>,
    pub article: Option<S<String>>,
    pub text: Option<S<String>>,
}

/// Markdown, or a list of Markdown paragraphs (`conditions`); an item may
/// hold only in some situations (`{text, when: [situation…]}`).
#[derive(Debug)]
pub enum Markdowns {
    One(String),
    Many(Vec<MdItem>),
}

/// One paragraph of a list, and the situations it is limited to (none:
/// always).
#[derive(Debug)]
pub struct MdItem {
    pub text: S<String>,
    pub when: Vec<S<String>>,
}

/// An item as written: a string, or `{text, when}`.
enum MdItemRaw {
    Text(String),
    Limited(MdItemLimited),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MdItemLimited {
    text: S<String>,
    #[serde(default)]
    when: Vec<S<String>>,
}

impl<'de> Deserialize<'de> for MdItemRaw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MdItemRaw;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Markdown string, or {text, when}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MdItemRaw, E> {
                Ok(MdItemRaw::Text(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MdItemRaw, A::Error> {
                MdItemLimited::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(MdItemRaw::Limited)
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Markdowns {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        match self {
            Markdowns::One(t) => t.serialize(s),
            Markdowns::Many(v) => v.serialize(s),
        }
    }
}

/// A plain item as its text, a limited one as `{text, when}`.
impl Serialize for MdItem {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        use serde::ser::SerializeMap;
        if self.when.is_empty() {
            return self.text.serialize(s);
        }
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("text", &self.text)?;
        m.serialize_entry("when", &self.when)?;
        m.end()
    }
}

impl Markdowns {
    pub fn items(&self) -> Vec<&str> {
        match self {
            Markdowns::One(s) => vec![s.as_str()],
            Markdowns::Many(v) => v.iter().map(|s| s.text.value.as_str()).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for Markdowns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Markdowns;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Markdown string or a list of Markdown strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Markdowns, E> {
                Ok(Markdowns::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Markdowns, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<S<MdItemRaw>>()? {
                    items.push(match item.value {
                        MdItemRaw::Text(t) => {
                            super::limits::note(&t, item.pos);
                            MdItem {
                                text: S {
                                    value: t,
                                    pos: item.pos,
                                },
                                when: Vec::new(),
                            }
                        }
                        MdItemRaw::Limited(l) => MdItem {
                            text: l.text,
                            when: l.when,
                        },
                    });
                }
                Ok(Markdowns::Many(items))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Situation {
    pub id: S<String>,
    pub label: S<String>,
    pub question: Option<S<String>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub name: S<String>,
    pub role: Option<S<String>>,
    pub detail: Option<S<String>>,
    pub limit: Option<S<String>>,
    /// 审查标准.
    pub criteria: Option<S<String>>,
    /// 环节结果: the documents issued at this step.
    pub outcome: Option<S<String>>,
    /// 窗口办理, 网上办理, …: steps of different channels are separate flows.
    pub channel: Option<S<Channel>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    pub legal: Option<S<Duration>>,
    pub promised: S<Promised>,
    #[serde(rename = "type")]
    pub case_type: S<CaseType>,
    /// 时限说明 of the whole limit (e.g. why there is no unified one).
    pub note: Option<S<String>>,
    /// Other limits: 加急, 跨省异地, 可延长至….
    #[serde(default)]
    pub variants: Vec<LimitVariant>,
    /// Steps not counted in the limit (网上预审, 制证及邮寄).
    #[serde(default)]
    pub excluded: Vec<S<String>>,
}

/// Another time limit of the matter: “加急：5个工作日”.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LimitVariant {
    pub label: S<String>,
    pub promised: S<Duration>,
    #[serde(default)]
    pub when: Vec<S<String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Duration {
    pub value: u32,
    pub unit: Unit,
    /// 时限说明 (“自受理之日起计算”).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.unit {
            Unit::WorkingDay => write!(f, "{}个工作日", self.value),
            Unit::Day => write!(f, "{}日", self.value),
            Unit::Hour => write!(f, "{}小时", self.value),
        }
    }
}

/// The promised time: a duration, the word `即办`, or `未统一` (no unified
/// limit: the published guide says why in `time_limit.note`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Promised {
    Immediate,
    Ununified,
    Within(Duration),
}

impl Serialize for Promised {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        match self {
            Promised::Immediate => "即办".serialize(s),
            Promised::Ununified => "未统一".serialize(s),
            Promised::Within(d) => d.serialize(s),
        }
    }
}

impl fmt::Display for Promised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Promised::Immediate => f.write_str("即办"),
            Promised::Ununified => f.write_str("未统一"),
            Promised::Within(d) if d.value == 0 => f.write_str("即办"),
            Promised::Within(d) => d.fmt(f),
        }
    }
}

impl<'de> Deserialize<'de> for Promised {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Promised;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`即办`, `未统一` or {value, unit}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Promised, E> {
                match v {
                    "即办" => Ok(Promised::Immediate),
                    "未统一" => Ok(Promised::Ununified),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Promised, A::Error> {
                Duration::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Promised::Within)
            }
        }
        d.deserialize_any(V)
    }
}

/// A 特别程序: its own time, whether it counts in the matter's limit and
/// whether it is charged.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialProcedure {
    pub name: S<String>,
    /// “30个工作日”, “最长不超过3个月”.
    pub limit: S<String>,
    pub basis: Option<S<String>>,
    pub charged: Option<S<bool>>,
    /// Whether its time counts in the matter's time limit.
    pub counted: S<bool>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fees {
    pub charged: S<bool>,
    #[serde(default)]
    pub items: Vec<FeeItem>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FeeItem {
    pub name: S<String>,
    pub standard: S<String>,
    pub basis: Option<S<String>>,
    pub reducible: Option<S<String>>,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Handling {
    /// 办理形式.
    #[serde(default)]
    pub channels: Vec<S<Channel>>,
    /// 到现场次数: one number, or one per channel.
    pub visits: Option<S<Visits>>,
    pub visit_reason: Option<S<String>>,
    pub online: Option<Online>,
    /// 材料邮寄.
    pub mail: Option<Mail>,
    pub appointment: Option<S<String>>,
    pub express: Option<S<bool>>,
    #[serde(default)]
    pub locations: Vec<Location>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Online {
    /// `{}` states 可网上办理 without an address.
    pub url: Option<S<String>>,
    pub app: Option<S<String>>,
    pub note: Option<S<String>>,
}

/// Where materials may be mailed.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mail {
    pub address: S<String>,
    pub recipient: Option<S<String>>,
    pub phone: Option<S<String>>,
}

/// 到现场次数: `visits: 1`, or per channel `{网上办理: 0, 窗口办理: 1}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visits {
    Total(u32),
    PerChannel(Vec<(Channel, u32)>),
}

impl Visits {
    /// The most visits any way of applying takes.
    pub fn most(&self) -> u32 {
        match self {
            Visits::Total(n) => *n,
            Visits::PerChannel(v) => v.iter().map(|(_, n)| *n).max().unwrap_or(0),
        }
    }
}

impl Serialize for Visits {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        use serde::ser::SerializeMap;
        match self {
            Visits::Total(n) => n.serialize(s),
            Visits::PerChannel(v) => {
                let mut m = s.serialize_map(Some(v.len()))?;
                for (c, n) in v {
                    m.serialize_entry(c.word(), n)?;
                }
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Visits {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Visits;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number of visits, or {办理形式: number}")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Visits, E> {
                u32::try_from(v)
                    .map(Visits::Total)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Visits, E> {
                u32::try_from(v)
                    .map(Visits::Total)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Visits, A::Error> {
                let mut v = Vec::new();
                while let Some((c, n)) = map.next_entry::<Channel, u32>()? {
                    v.push((c, n));
                }
                Ok(Visits::PerChannel(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    pub address: S<String>,
    pub window: Option<S<String>>,
    pub hours: Option<S<String>>,
    /// 交通指引.
    pub transit: Option<S<String>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResultDoc {
    pub name: S<String>,
    /// 审批结果类型.
    pub kind: Option<S<super::ResultKind>>,
    pub sample: Option<S<String>>,
    pub validity: Option<S<String>>,
    /// 送达方式: the standard's words as a list, or a sentence.
    pub delivery: Option<S<Delivery>>,
}

/// 送达方式: `[窗口领取, 邮寄送达]`, or a sentence as a guide words it.
#[derive(Debug)]
pub enum Delivery {
    Text(String),
    Ways(Vec<S<super::DeliveryWay>>),
}

impl Delivery {
    /// “窗口领取、邮寄送达”, or the sentence.
    pub fn phrase(&self) -> String {
        match self {
            Delivery::Text(t) => t.clone(),
            Delivery::Ways(v) => v
                .iter()
                .map(|w| w.value.word())
                .collect::<Vec<_>>()
                .join("、"),
        }
    }
}

impl Serialize for Delivery {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        match self {
            Delivery::Text(t) => t.serialize(s),
            Delivery::Ways(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Delivery {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Delivery;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of 窗口领取/邮寄送达/委托他人领取/网上下载/无, or a sentence")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Delivery, E> {
                Ok(Delivery::Text(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Delivery, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Delivery::Ways(items))
            }
        }
        d.deserialize_any(V)
    }
}

/// How to ask and how to complain: phones (one or several), a web address,
/// an e-mail address and an address for letters. What a matter leaves out
/// comes from `guide.yaml`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub consult: Option<S<Texts>>,
    pub complaint: Option<S<Texts>>,
    /// 网上咨询投诉 (a web address).
    pub online: Option<S<String>>,
    /// 电子邮箱.
    pub email: Option<S<String>>,
    /// 来信地址.
    pub letters: Option<S<String>>,
}

/// One text, or a list of them (`consult: ["0991-4681180", "12345"]`).
#[derive(Debug)]
pub enum Texts {
    One(String),
    Many(Vec<S<String>>),
}

impl Texts {
    /// Each text with its position (`pos`: the value's own, for `One`).
    pub fn items(&self, pos: super::Pos) -> Vec<(&str, super::Pos)> {
        match self {
            Texts::One(t) => vec![(t.as_str(), pos)],
            Texts::Many(v) => v.iter().map(|t| (t.value.as_str(), t.pos)).collect(),
        }
    }

    /// The texts joined as printed: “0991-4681180、12345”.
    pub fn joined(&self) -> String {
        match self {
            Texts::One(t) => t.clone(),
            Texts::Many(v) => v
                .iter()
                .map(|t| t.value.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        }
    }
}

impl Serialize for Texts {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        match self {
            Texts::One(t) => t.serialize(s),
            Texts::Many(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Texts;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Texts, E> {
                Ok(Texts::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Texts, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<S<String>>()? {
                    items.push(item);
                }
                Ok(Texts::Many(items))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Faq {
    pub q: S<String>,
    pub a: S<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    pub date: S<String>,
    pub change: S<String>,
}

impl Guide {
    /// Every text of the matter that gets printed: key, text, position.
    pub fn texts(&self) -> Vec<(&'static str, &str, super::Pos)> {
        let mut out: Vec<(&'static str, &str, super::Pos)> = Vec::new();
        fn push<'a>(
            out: &mut Vec<(&'static str, &'a str, super::Pos)>,
            k: &'static str,
            v: &'a S<String>,
        ) {
            out.push((k, v.value.as_str(), v.pos));
        }
        let mut f = |k: &'static str, v| push(&mut out, k, v);
        let codes = self.codes.as_ref();
        for (k, v) in [
            ("code", &self.code),
            ("codes", codes.map_or(&None, |c| &c.basic)),
            ("codes", codes.map_or(&None, |c| &c.implementation)),
            ("codes", codes.map_or(&None, |c| &c.item)),
            ("entrusted_by", &self.entrusted_by),
            ("quantity_limit", &self.quantity_limit),
            ("summary", &self.summary),
            ("materials_note", &self.materials_note),
            ("green_channel", &self.green_channel),
            ("expires", &self.expires),
        ] {
            if let Some(v) = v {
                f(k, v);
            }
        }
        f("name", &self.name);
        f("department", &self.department);
        f("category", &self.category);
        f("effective", &self.effective);
        for a in &self.aliases {
            f("aliases", a);
        }
        for d in &self.joint_departments {
            f("joint_departments", d);
        }
        for i in self.intermediary.iter().flatten() {
            f("intermediary", &i.name);
            for v in [&i.provider, &i.basis].into_iter().flatten() {
                f("intermediary", v);
            }
        }
        if let Some(r) = &self.remedies {
            for x in [&r.review, &r.litigation].into_iter().flatten() {
                f("remedies", &x.department);
                for v in [&x.address, &x.phone].into_iter().flatten() {
                    f("remedies", v);
                }
            }
        }
        if let Some(c) = &self.refusals
            && let Markdowns::Many(items) = &c.value
        {
            items.iter().for_each(|i| f("refusals", &i.text));
        }
        for b in &self.basis {
            f("basis", &b.law);
            for v in [&b.doc_no, &b.article, &b.text].into_iter().flatten() {
                f("basis", v);
            }
        }
        if let Some(c) = &self.conditions
            && let Markdowns::Many(items) = &c.value
        {
            items.iter().for_each(|i| f("conditions", &i.text));
        }
        for s in &self.situations {
            f("situations", &s.label);
            if let Some(q) = &s.question {
                f("situations", q);
            }
        }
        for m in self
            .materials
            .iter()
            .flat_map(|m| m.value.with_alternatives())
        {
            for v in [
                &m.name,
                &m.issuer,
                &m.spec,
                &m.note,
                &m.criteria,
                &m.required_by,
            ]
            .into_iter()
            .flatten()
            .chain(&m.substitutes)
            {
                f("materials", v);
            }
        }
        for s in &self.steps {
            f("steps", &s.name);
            for v in [&s.role, &s.detail, &s.limit, &s.criteria, &s.outcome]
                .into_iter()
                .flatten()
            {
                f("steps", v);
            }
        }
        for sp in &self.special_procedures {
            f("special_procedures", &sp.name);
            f("special_procedures", &sp.limit);
            if let Some(b) = &sp.basis {
                f("special_procedures", b);
            }
        }
        for i in self.fees.iter().flat_map(|f| &f.items) {
            f("fees", &i.name);
            f("fees", &i.standard);
            for v in [&i.basis, &i.reducible].into_iter().flatten() {
                f("fees", v);
            }
        }
        if let Some(h) = &self.handling {
            for v in [&h.visit_reason, &h.appointment].into_iter().flatten() {
                f("handling", v);
            }
            if let Some(o) = &h.online {
                for v in [&o.url, &o.app, &o.note].into_iter().flatten() {
                    f("handling", v);
                }
            }
            if let Some(m) = &h.mail {
                f("handling", &m.address);
                for v in [&m.recipient, &m.phone].into_iter().flatten() {
                    f("handling", v);
                }
            }
            for l in &h.locations {
                f("handling", &l.address);
                for v in [&l.window, &l.hours, &l.transit].into_iter().flatten() {
                    f("handling", v);
                }
            }
        }
        if let Some(r) = &self.result {
            f("result", &r.name);
            if let Some(v) = &r.validity {
                f("result", v);
            }
        }
        for q in &self.faq {
            f("faq", &q.q);
            f("faq", &q.a);
        }
        for c in &self.changelog {
            f("changelog", &c.change);
        }
        if let Some(c) = self.notice.as_ref().and_then(|n| n.legal_clause.as_ref()) {
            f("notice", c);
        }
        if let Some(c) = &self.conditions
            && let Markdowns::One(t) = &c.value
        {
            out.push(("conditions", t.as_str(), c.pos));
        }
        if let Some(d) = self.result.as_ref().and_then(|r| r.delivery.as_ref())
            && let Delivery::Text(t) = &d.value
        {
            out.push(("result", t.as_str(), d.pos));
        }
        if let Some(c) = self.contact.as_ref().map(|c| &c.value) {
            for t in [&c.consult, &c.complaint].into_iter().flatten() {
                for (v, pos) in t.value.items(t.pos) {
                    out.push(("contact", v, pos));
                }
            }
            for v in [&c.online, &c.email, &c.letters].into_iter().flatten() {
                push(&mut out, "contact", v);
            }
        }
        out
    }

    /// Whether the matter is applied for online only: every way of applying
    /// it states (`handling.channels`, else the channels of
    /// `handling.visits`) is 网上办理 or 移动端, or, with no channels
    /// listed, it takes no visit and has an online entry (全程网上办理). A
    /// notice then asks for the materials online, not at the window.
    pub fn online_only(&self) -> bool {
        let Some(h) = &self.handling else {
            return false;
        };
        let online = |c: Channel| matches!(c, Channel::Online | Channel::Mobile);
        if !h.channels.is_empty() {
            return h.channels.iter().all(|c| online(c.value));
        }
        match h.visits.as_ref().map(|v| &v.value) {
            Some(Visits::PerChannel(v)) if !v.is_empty() => v.iter().all(|(c, _)| online(*c)),
            // No channels listed, no visit, an online entry: 全程网上办理,
            // as `guide show` says.
            Some(Visits::Total(0)) => h.online.is_some(),
            _ => false,
        }
    }

    /// Whether this file is a 一件事.
    pub fn is_bundle(&self) -> bool {
        self.bundle.is_some()
    }

    /// Its own situations, then (a 一件事) those of its members: they carry
    /// over, ids unique across them (a clash is an error of `guide check`).
    pub fn all_situations(&self) -> impl Iterator<Item = &Situation> {
        self.situations
            .iter()
            .chain(self.linked.iter().flat_map(|m| m.situations.iter()))
    }

    /// The printed name of situation `id` (the id itself if unknown).
    pub fn situation_label(&self, id: &str) -> String {
        self.all_situations()
            .find(|s| s.id.value == id)
            .map_or(id.to_owned(), |s| s.label.value.clone())
    }

    /// The date the matter's text last changed: the newest changelog entry,
    /// else the date it took effect.
    pub fn updated(&self) -> &str {
        self.changelog
            .first()
            .map_or(self.effective.value.as_str(), |c| c.date.value.as_str())
    }
}
