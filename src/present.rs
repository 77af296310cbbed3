//! The citizen's words: every element of a matter phrased once. The
//! booklet, the notices, the site (through its view model), `guide show`
//! (what the phone line reads out), `guide diff`, `changes.pdf` and
//! `data/guides.json` take their sentences from here. A layout may put a
//! label, brackets or a line break around a phrase; it never rewords one,
//! so every window, the phone line and the website say the same thing.

use crate::load::Project;
use crate::model::resolve::ResolvedMaterial;
use crate::model::{
    Basis, FeeItem, Guide, Location, NoticeTerms, Promised, ResultDoc, SpecialProcedure, Step,
    TimeLimit,
};
use serde::Serialize;

/// The labels printed before an element's phrase.
pub mod label {
    pub const BASIC_CODE: &str = "基本编码";
    pub const CODE: &str = "实施编码";
    pub const ITEM_CODE: &str = "业务办理项编码";
    pub const ENTRUSTED_BY: &str = "委托部门";
    pub const JOINT: &str = "联办机构";
    pub const LEVEL: &str = "行使层级";
    pub const SCOPE: &str = "通办范围";
    pub const QUANTITY: &str = "数量限制";
    pub const INTERMEDIARY: &str = "中介服务";
    pub const REVIEW: &str = "行政复议";
    pub const LITIGATION: &str = "行政诉讼";
    pub const KIND: &str = "事项类型";
    pub const DEPARTMENT: &str = "实施主体";
    pub const LEGAL_LIMIT: &str = "法定办结时限";
    pub const EXCLUDED: &str = "不计入办理时限";
    pub const SPECIAL: &str = "特别程序";
    pub const LIMIT_NOTE: &str = "时限说明";
    pub const PROMISED_LIMIT: &str = "承诺办结时限";
    pub const VISITS: &str = "到现场次数";
    pub const ONLINE: &str = "网上办理";
    pub const CHANNELS: &str = "办理形式";
    pub const MAIL: &str = "材料邮寄";
    pub const TRANSIT: &str = "交通指引";
    pub const APPOINTMENT: &str = "预约";
    pub const DELIVERY: &str = "结果送达";
    pub const RESULT: &str = "办理结果";
    pub const RESULT_KIND: &str = "审批结果类型";
    pub const DELIVERY_WAYS: &str = "送达方式";
    pub const ADDRESS: &str = "办理地点";
    pub const HOURS: &str = "办公时间";
    pub const CONSULT: &str = "咨询电话";
    pub const COMPLAINT: &str = "投诉电话";
    pub const CONTACT_ONLINE: &str = "网上咨询投诉";
    pub const EMAIL: &str = "电子邮箱";
    pub const LETTERS: &str = "来信地址";
    pub const REQUIREMENT: &str = "要求";
    pub const SITUATIONS: &str = "情形";
    pub const FEES: &str = "收费";
    pub const CRITERIA: &str = "受理标准";
    pub const REQUIRED_BY: &str = "依据";
    /// A 一件事's department.
    pub const LEAD_DEPARTMENT: &str = "牵头部门";
    /// A 一件事's member matters.
    pub const MEMBERS: &str = "一件事包含";
    /// The members an applicant chose (a filled notice, `guide show --member`).
    pub const CHOSEN_MEMBERS: &str = "办理事项";
    /// Which members of a 一件事 ask for a material.
    pub const USED_FOR: &str = "用于";
    /// The notice's fields and parts.
    pub const NOTICE_DATE: &str = "告知日期";
    pub const RECEIVED: &str = "收件日期";
    pub const WINDOW_PHONE: &str = "窗口电话";
    pub const MISSING: &str = "缺少的材料";
    pub const DEFECTIVE: &str = "需补正的材料";
    pub const REASON: &str = "补正原因";
    pub const SEAL: &str = "（盖章）";
    pub const STUB: &str = "（存根）";
    /// The booklet's print date (the day of the build).
    pub const PRINTED: &str = "编印日期";
    /// The data edition's digest, as every page's footer prints it.
    pub const CHECKSUM: &str = "数据校验码";
}

/// What a page left blank in the printed booklet says.
pub const NO_TEXT: &str = "此页无正文";

/// Under the booklet's QR code to the site.
pub const SCAN_SITE: &str = "扫码查看网站最新版本";

/// A labelled fact of a matter's header: “实施编码：…”.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// A stable key for programs (`codes.basic`, `time_limit.variants`, …).
    pub key: &'static str,
    pub label: String,
    pub text: String,
}

/// 实施编码: `codes.implementation`, or `code` (its synonym).
pub fn implementation_code(g: &Guide) -> Option<&str> {
    g.codes
        .as_ref()
        .and_then(|c| c.implementation.as_ref())
        .or(g.code.as_ref())
        .map(|c| c.value.as_str())
}

/// The facts under a matter's name, each under its own label, in the order
/// of the national guide elements: codes, kind, who acts (and for whom, with
/// whom), level, where it can be handled, quantity limit. What the data does
/// not state is left out.
pub fn facts(g: &Guide) -> Vec<Fact> {
    let mut out = Vec::new();
    let mut push = |key: &'static str, label: &str, text: Option<String>| {
        if let Some(text) = text {
            out.push(Fact {
                key,
                label: label.to_owned(),
                text,
            });
        }
    };
    let codes = g.codes.as_ref();
    let text = |s: &Option<crate::model::S<String>>| s.as_ref().map(|s| s.value.clone());
    push(
        "codes.basic",
        label::BASIC_CODE,
        codes.and_then(|c| text(&c.basic)),
    );
    push(
        "codes.implementation",
        label::CODE,
        implementation_code(g).map(str::to_owned),
    );
    push(
        "codes.item",
        label::ITEM_CODE,
        codes.and_then(|c| text(&c.item)),
    );
    push(
        "kind",
        label::KIND,
        g.kind.as_ref().map(|k| k.value.to_string()),
    );
    push(
        "department",
        if g.is_bundle() {
            label::LEAD_DEPARTMENT
        } else {
            label::DEPARTMENT
        },
        Some(g.department.value.clone()),
    );
    push(
        "bundle",
        label::MEMBERS,
        members(g, crate::model::resolve::Selection::All),
    );
    push("entrusted_by", label::ENTRUSTED_BY, text(&g.entrusted_by));
    push(
        "joint_departments",
        label::JOINT,
        (!g.joint_departments.is_empty()).then(|| {
            g.joint_departments
                .iter()
                .map(|d| d.value.as_str())
                .collect::<Vec<_>>()
                .join("、")
        }),
    );
    push(
        "level",
        label::LEVEL,
        g.level.as_ref().map(|l| l.value.to_string()),
    );
    push(
        "scope",
        label::SCOPE,
        g.scope.as_ref().map(|s| s.value.to_string()),
    );
    push("quantity_limit", label::QUANTITY, text(&g.quantity_limit));
    push(
        "intermediary",
        label::INTERMEDIARY,
        g.intermediary.as_ref().map(|list| {
            if list.is_empty() {
                return "无".to_owned();
            }
            list.iter()
                .map(|i| {
                    let extra: Vec<String> = [
                        i.provider.as_ref().map(|p| p.value.clone()),
                        i.basis.as_ref().map(|b| format!("依据：{}", b.value)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect();
                    if extra.is_empty() {
                        i.name.value.clone()
                    } else {
                        format!("{}（{}）", i.name.value, extra.join("；"))
                    }
                })
                .collect::<Vec<_>>()
                .join("、")
        }),
    );
    out
}

/// Where an applicant may appeal, the matter's own or the project's:
/// “行政复议：测试市人民政府（地址：…；电话：…）”.
pub fn remedies(p: &Project, g: &Guide) -> Vec<Fact> {
    let own = g.remedies.as_ref();
    let dflt = p.config.as_ref().and_then(|c| c.remedies.as_ref());
    let pick = |f: fn(&crate::model::Remedies) -> &Option<crate::model::Remedy>| {
        own.and_then(|r| f(r).as_ref())
            .or_else(|| dflt.and_then(|r| f(r).as_ref()))
    };
    let phrase = |r: &crate::model::Remedy| {
        let extra: Vec<String> = [
            r.address.as_ref().map(|a| format!("地址：{}", a.value)),
            r.phone.as_ref().map(|p| format!("电话：{}", p.value)),
        ]
        .into_iter()
        .flatten()
        .collect();
        if extra.is_empty() {
            r.department.value.clone()
        } else {
            format!("{}（{}）", r.department.value, extra.join("；"))
        }
    };
    let mut out = Vec::new();
    if let Some(r) = pick(|r| &r.review) {
        out.push(Fact {
            key: "remedies.review",
            label: label::REVIEW.to_owned(),
            text: phrase(r),
        });
    }
    if let Some(r) = pick(|r| &r.litigation) {
        out.push(Fact {
            key: "remedies.litigation",
            label: label::LITIGATION.to_owned(),
            text: phrase(r),
        });
    }
    out
}

/// The facts as one line: “实施编码：…　事项类型：…”.
pub fn facts_line(g: &Guide) -> String {
    facts(g)
        .iter()
        .map(|f| format!("{}：{}", f.label, f.text))
        .collect::<Vec<_>>()
        .join("　")
}

/// One section of a matter, in the order every output shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Stable key (the site's anchor).
    pub key: &'static str,
    pub title: &'static str,
}

/// The sections a matter has, in order: those without content are left out.
pub fn sections(p: &Project, g: &Guide) -> Vec<Section> {
    let has_contact = !contacts(p, g).is_empty() || !remedies(p, g).is_empty();
    let all = [
        ("basis", basis_title(g), !g.basis.is_empty()),
        ("conditions", "受理条件", g.conditions.is_some()),
        ("refusals", "不予受理情形", g.refusals.is_some()),
        ("materials", "申请材料", true),
        ("steps", "办理流程", !g.steps.is_empty()),
        (
            "time",
            "办理时限",
            g.time_limit.is_some() || !g.special_procedures.is_empty(),
        ),
        ("fees", "收费标准", g.fees.is_some()),
        (
            "place",
            "办理地点和时间",
            g.handling.is_some() || g.result.is_some(),
        ),
        ("contact", "咨询与投诉", has_contact),
        ("green", "绿色通道", g.green_channel.is_some()),
        ("faq", "常见问题", !g.faq.is_empty()),
    ];
    all.into_iter()
        .filter(|(_, _, has)| *has)
        .map(|(key, title, _)| Section { key, title })
        .collect()
}

/// The title of a section by its key.
pub fn section_title(key: &str) -> &'static str {
    match key {
        "basis" => "设定依据",
        "conditions" => "受理条件",
        "refusals" => "不予受理情形",
        "materials" => "申请材料",
        "steps" => "办理流程",
        "time" => "办理时限",
        "fees" => "收费标准",
        "place" => "办理地点和时间",
        "contact" => "咨询与投诉",
        "green" => "绿色通道",
        "faq" => "常见问题",
        _ => "",
    }
}

pub use crate::model::UNSTATED;

/// “15个工作日”: the legal limit, when the data states one.
pub fn legal_limit(g: &Guide) -> Option<String> {
    let tl = g.time_limit.as_ref()?;
    tl.legal.as_ref().map(|l| l.value.to_string())
}

/// “7个工作日（承诺件）” or “即办（即办件）”, when the data states it.
pub fn promised_limit(g: &Guide) -> Option<String> {
    let tl = g.time_limit.as_ref()?;
    Some(promised(tl))
}

fn promised(tl: &TimeLimit) -> String {
    let promised = match &tl.promised.value {
        Promised::Immediate => "即办".to_owned(),
        Promised::Ununified => "未统一".to_owned(),
        p => p.to_string(),
    };
    let mut s = format!("{promised}（{}）", tl.case_type.value);
    if let Promised::Within(d) = &tl.promised.value
        && let Some(n) = &d.note
    {
        s.push_str(&format!("，{n}"));
    }
    s
}

/// Every line of the time-limit section, labelled: the legal and promised
/// limits (with their notes), the other limits (加急 …), what is not
/// counted, and the note of the whole.
pub fn time_limits(g: &Guide) -> Vec<Fact> {
    let mut out = limits(g);
    out.extend(g.special_procedures.iter().map(|sp| Fact {
        key: "special_procedures",
        label: format!("{}（{}）", label::SPECIAL, sp.name.value),
        text: special_procedure(sp),
    }));
    out
}

/// “30个工作日，不计入办理时限，不收费；依据：…”: a 特别程序 after its name.
pub fn special_procedure(sp: &SpecialProcedure) -> String {
    let mut s = sp.limit.value.clone();
    s.push_str(if sp.counted.value {
        "，计入办理时限"
    } else {
        "，不计入办理时限"
    });
    if let Some(c) = &sp.charged {
        s.push_str(if c.value { "，收费" } else { "，不收费" });
    }
    if let Some(b) = &sp.basis {
        s.push_str(&format!("；{}：{}", label::REQUIRED_BY, b.value));
    }
    s
}

fn limits(g: &Guide) -> Vec<Fact> {
    let Some(tl) = &g.time_limit else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(l) = &tl.legal {
        let mut text = l.value.to_string();
        if let Some(n) = &l.value.note {
            text.push_str(&format!("，{n}"));
        }
        out.push(Fact {
            key: "time_limit.legal",
            label: label::LEGAL_LIMIT.to_owned(),
            text,
        });
    }
    out.push(Fact {
        key: "time_limit.promised",
        label: label::PROMISED_LIMIT.to_owned(),
        text: promised(tl),
    });
    for v in &tl.variants {
        let mut text = v.promised.value.to_string();
        if let Some(n) = &v.promised.value.note {
            text.push_str(&format!("，{n}"));
        }
        out.push(Fact {
            key: "time_limit.variants",
            label: v.label.value.clone(),
            text,
        });
    }
    if !tl.excluded.is_empty() {
        out.push(Fact {
            key: "time_limit.excluded",
            label: label::EXCLUDED.to_owned(),
            text: tl
                .excluded
                .iter()
                .map(|e| e.value.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        });
    }
    if let Some(n) = &tl.note {
        out.push(Fact {
            key: "time_limit.note",
            label: label::LIMIT_NOTE.to_owned(),
            text: n.value.clone(),
        });
    }
    out
}

/// “1次（现场采集指纹）”, “0次（全程网上办理）”, or per channel
/// “网上办理0次；窗口办理1次（…）”, when the data states it. “全程网上办理”
/// only when applying online is how it is done (not for a mail-in matter).
pub fn visits(g: &Guide) -> Option<String> {
    use crate::model::{Channel, Visits};
    let h = g.handling.as_ref()?;
    let reason = h
        .visit_reason
        .as_ref()
        .map_or(String::new(), |r| format!("（{}）", r.value));
    match &h.visits.as_ref()?.value {
        Visits::Total(0) => {
            let has = |c: Channel| h.channels.iter().any(|x| x.value == c);
            let online = has(Channel::Online)
                || has(Channel::Mobile)
                || (h.channels.is_empty() && h.online.is_some());
            Some(if online {
                "0次（全程网上办理）".to_owned()
            } else if has(Channel::Mail) {
                "0次（邮寄办理）".to_owned()
            } else {
                "0次".to_owned()
            })
        }
        Visits::Total(n) => Some(format!("{n}次{reason}")),
        Visits::PerChannel(v) => {
            let parts: Vec<String> = v.iter().map(|(c, n)| format!("{c}{n}次")).collect();
            let on_site = if v.iter().any(|(_, n)| *n > 0) {
                reason
            } else {
                String::new()
            };
            Some(format!("{}{on_site}", parts.join("；")))
        }
    }
}

/// “窗口办理、网上办理”: the ways a matter can be applied for.
pub fn channels(g: &Guide) -> Option<String> {
    let h = g.handling.as_ref()?;
    (!h.channels.is_empty()).then(|| {
        h.channels
            .iter()
            .map(|c| c.value.word())
            .collect::<Vec<_>>()
            .join("、")
    })
}

/// What the online channel says besides its address: “可网上办理”
/// when no address is given, the app, and the note.
pub fn online(g: &Guide) -> Option<String> {
    let o = g.handling.as_ref()?.online.as_ref()?;
    let mut parts = Vec::new();
    if o.url.is_none() && o.app.is_none() {
        parts.push("可网上办理".to_owned());
    }
    if let Some(a) = &o.app {
        parts.push(format!("可通过{}办理", a.value));
    }
    if let Some(n) = &o.note {
        parts.push(n.value.clone());
    }
    (!parts.is_empty()).then(|| parts.join("；"))
}

/// The online address, when it may be a link.
pub fn online_url(g: &Guide) -> Option<&str> {
    let o = g.handling.as_ref()?.online.as_ref()?;
    o.url
        .as_ref()
        .map(|u| u.value.as_str())
        .filter(|u| crate::markdown::safe_url(u))
}

/// “乌鲁木齐市…（收件人：张三，电话：0991-…）”: where materials may be mailed.
pub fn mail(g: &Guide) -> Option<String> {
    let m = g.handling.as_ref()?.mail.as_ref()?;
    let extra: Vec<String> = [
        m.recipient.as_ref().map(|r| format!("收件人：{}", r.value)),
        m.phone.as_ref().map(|p| format!("电话：{}", p.value)),
    ]
    .into_iter()
    .flatten()
    .collect();
    Some(if extra.is_empty() {
        m.address.value.clone()
    } else {
        format!("{}（{}）", m.address.value, extra.join("，"))
    })
}

/// What a matter that charges nothing says.
pub const NO_FEES: &str = "不收费";

/// “（依据：…）” after a fee's standard.
pub fn fee_basis(f: &FeeItem) -> Option<String> {
    f.basis.as_ref().map(|b| format!("（依据：{}）", b.value))
}

/// “减免：…” under a fee.
pub fn fee_reducible(f: &FeeItem) -> Option<String> {
    f.reducible.as_ref().map(|r| format!("减免：{}", r.value))
}

/// A fee as one line: “护照：120元/本（依据：…）”.
pub fn fee(f: &FeeItem) -> String {
    format!(
        "{}：{}{}",
        f.name.value,
        f.standard.value,
        fee_basis(f).unwrap_or_default()
    )
}

/// The fees of a matter, one line each, or [`NO_FEES`]; `None` when the
/// data does not say.
pub fn fees(g: &Guide) -> Option<Vec<String>> {
    let f = g.fees.as_ref()?;
    Some(if f.charged.value {
        f.items.iter().map(fee).collect()
    } else {
        vec![NO_FEES.to_owned()]
    })
}

/// The result being sent by post, when the matter offers it.
pub const EXPRESS: &str = "可邮寄送达";

/// [`EXPRESS`] when the result may be posted — unless the result's
/// 送达方式 is a list, which says so itself.
pub fn express(g: &Guide) -> Option<&'static str> {
    let listed = g
        .result
        .as_ref()
        .and_then(|r| r.delivery.as_ref())
        .is_some_and(|d| matches!(d.value, crate::model::Delivery::Ways(_)));
    let express = g
        .handling
        .as_ref()
        .and_then(|h| h.express.as_ref())
        .is_some_and(|e| e.value);
    (express && !listed).then_some(EXPRESS)
}

/// “普通护照（有效期：10年）”.
pub fn result(r: &ResultDoc) -> String {
    let mut v = r.name.value.clone();
    if let Some(x) = &r.validity {
        v.push_str(&format!("（有效期：{}）", x.value));
    }
    v
}

/// The result's lines: 办理结果, 审批结果类型 and 送达方式, each when the
/// data states it.
pub fn results(g: &Guide) -> Vec<Fact> {
    let Some(r) = &g.result else {
        return Vec::new();
    };
    let mut out = vec![Fact {
        key: "result",
        label: label::RESULT.to_owned(),
        text: result(r),
    }];
    if let Some(k) = &r.kind {
        out.push(Fact {
            key: "result.kind",
            label: label::RESULT_KIND.to_owned(),
            text: k.value.word().to_owned(),
        });
    }
    if let Some(d) = &r.delivery {
        out.push(Fact {
            key: "result.delivery",
            label: label::DELIVERY_WAYS.to_owned(),
            text: d.value.phrase(),
        });
    }
    out
}

/// “《中华人民共和国护照法》（主席令第50号）第五条”.
pub fn basis(b: &Basis) -> String {
    let mut law = b.law.value.clone();
    if let Some(d) = &b.doc_no {
        law.push_str(&format!("（{}）", d.value));
    }
    if let Some(a) = &b.article {
        law.push_str(&a.value);
    }
    law
}

/// The basis of a matter in its groups: one group (设定依据) unless the data
/// also names 实施依据, then both, each with its laws, in the order written.
pub fn basis_groups(g: &Guide) -> Vec<(&'static str, Vec<&Basis>)> {
    use crate::model::BasisRole;
    let role = |b: &Basis| b.role.as_ref().map_or(BasisRole::Setting, |r| r.value);
    [BasisRole::Setting, BasisRole::Implementing]
        .into_iter()
        .map(|r| {
            (
                r.word(),
                g.basis.iter().filter(|b| role(b) == r).collect::<Vec<_>>(),
            )
        })
        .filter(|(_, list)| !list.is_empty())
        .collect()
}

/// The basis section's title: 设定依据, 实施依据, or 办理依据 for both.
pub fn basis_title(g: &Guide) -> &'static str {
    match basis_groups(g).as_slice() {
        [(only, _)] => only,
        _ => "办理依据",
    }
}

/// “受理（窗口工作人员）”: a step's name with who does it.
pub fn step(s: &Step) -> String {
    match &s.role {
        Some(r) => format!("{}（{}）", s.name.value, r.value),
        None => s.name.value.clone(),
    }
}

/// What a step adds under its name: “审查标准：…”, “环节结果：…”.
pub fn step_details(s: &Step) -> Vec<String> {
    [
        s.criteria
            .as_ref()
            .map(|c| format!("审查标准：{}", c.value)),
        s.outcome.as_ref().map(|o| format!("环节结果：{}", o.value)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The steps as flows: one, or one per channel when steps name different
/// channels (网上办理 apart from 窗口办理), in the order first met; a
/// flow's title is its channel.
pub fn step_flows(g: &Guide) -> Vec<(Option<&'static str>, Vec<&Step>)> {
    let mut flows: Vec<(Option<&'static str>, Vec<&Step>)> = Vec::new();
    for s in &g.steps {
        let c = s.channel.as_ref().map(|c| c.value.word());
        match flows.iter_mut().find(|(t, _)| *t == c) {
            Some((_, list)) => list.push(s),
            None => flows.push((c, vec![s])),
        }
    }
    if flows.len() == 1 {
        flows[0].0 = None;
    }
    flows
}

/// “时限：当场” after a step.
pub fn step_limit(s: &Step) -> Option<String> {
    s.limit.as_ref().map(|l| format!("时限：{}", l.value))
}

/// “北京南路337号　B区12号窗口”: a place with its window.
pub fn place(l: &Location) -> String {
    match &l.window {
        Some(w) => format!("{}　{}", l.address.value, w.value),
        None => l.address.value.clone(),
    }
}

/// Where the matter is handled (none when the data does not say).
pub fn locations(g: &Guide) -> &[Location] {
    g.handling.as_ref().map_or(&[], |h| h.locations.as_slice())
}

/// How to ask about a matter and complain: 咨询电话, 投诉电话 (each one or
/// several), 网上咨询投诉, 电子邮箱, 来信地址 — each as the matter states it,
/// else as `guide.yaml` does.
pub fn contacts(p: &Project, g: &Guide) -> Vec<Fact> {
    let own = g.contact.as_ref().map(|c| &c.value);
    let project = p.config.as_ref().and_then(|c| c.contact.as_ref());
    let mut out = Vec::new();
    let mut push = |key: &'static str, label: &str, text: Option<String>| {
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            out.push(Fact {
                key,
                label: label.to_owned(),
                text,
            });
        }
    };
    let texts = |t: &crate::model::S<crate::model::Texts>| t.value.joined();
    let text = |t: &crate::model::S<String>| t.value.clone();
    push(
        "contact.consult",
        label::CONSULT,
        own.and_then(|c| c.consult.as_ref())
            .map(texts)
            .or_else(|| project.map(|c| texts(&c.consult))),
    );
    push(
        "contact.complaint",
        label::COMPLAINT,
        own.and_then(|c| c.complaint.as_ref())
            .map(texts)
            .or_else(|| project.map(|c| texts(&c.complaint))),
    );
    push(
        "contact.online",
        label::CONTACT_ONLINE,
        own.and_then(|c| c.online.as_ref())
            .or_else(|| project.and_then(|c| c.online.as_ref()))
            .map(text),
    );
    push(
        "contact.email",
        label::EMAIL,
        own.and_then(|c| c.email.as_ref())
            .or_else(|| project.and_then(|c| c.email.as_ref()))
            .map(text),
    );
    push(
        "contact.letters",
        label::LETTERS,
        own.and_then(|c| c.letters.as_ref())
            .or_else(|| project.and_then(|c| c.letters.as_ref()))
            .map(text),
    );
    out
}

/// How to reach the issuing organisation, from `guide.yaml`'s `contact`:
/// 咨询电话, 投诉电话, 网上咨询投诉, 电子邮箱, 来信地址, 办理地点 and
/// 办公时间 (what it gives), labelled as each matter's contacts are.
pub fn project_contacts(p: &Project) -> Vec<Fact> {
    let Some(c) = p.config.as_ref().and_then(|c| c.contact.as_ref()) else {
        return Vec::new();
    };
    let text = |t: &Option<crate::model::S<String>>| t.as_ref().map(|t| t.value.clone());
    [
        (
            "contact.consult",
            label::CONSULT,
            Some(c.consult.value.joined()),
        ),
        (
            "contact.complaint",
            label::COMPLAINT,
            Some(c.complaint.value.joined()),
        ),
        ("contact.online", label::CONTACT_ONLINE, text(&c.online)),
        ("contact.email", label::EMAIL, text(&c.email)),
        ("contact.letters", label::LETTERS, text(&c.letters)),
        ("contact.address", label::ADDRESS, text(&c.address)),
        ("contact.hours", label::HOURS, text(&c.hours)),
    ]
    .into_iter()
    .filter_map(|(key, label, text)| {
        let text = text.filter(|t| !t.trim().is_empty())?;
        Some(Fact {
            key,
            label: label.to_owned(),
            text,
        })
    })
    .collect()
}

/// The consult and complaint phones only (the notice and the site's
/// footer have room for no more).
pub fn phones(p: &Project, g: &Guide) -> Vec<Fact> {
    contacts(p, g)
        .into_iter()
        .filter(|f| matches!(f.key, "contact.consult" | "contact.complaint"))
        .collect()
}

/// A material that may be shown as an electronic licence (电子证照).
pub const E_LICENCE: &str = "可用电子证照";

/// “原件1份，必要” (“原件1份，必要，可用电子证照”): what is asked of one
/// material, as a clerk reads it out, the notice prints it and the register
/// keeps it.
/// For a `one_of` group: “任选其一，必要”, its alternatives listed apart
/// ([`alternatives`]).
pub fn requirement(m: &ResolvedMaterial) -> String {
    if m.is_group() {
        return format!("{ANY_ONE}，{}", m.necessity);
    }
    let mut v = format!("{}，{}", m.counts_or_electronic(), m.necessity);
    if m.e_licence {
        v.push('，');
        v.push_str(E_LICENCE);
    }
    v
}

pub use crate::model::{ANY_ONE, SEE_ALTERNATIVES};

/// “居民身份证（原件1份，可用电子证照）：…”: one alternative of a `one_of`
/// group, what is asked of it and its own detail (the group's necessity
/// is the group's).
pub fn alternative(a: &ResolvedMaterial) -> String {
    let mut ask = a.counts_or_electronic();
    if a.e_licence {
        ask.push('，');
        ask.push_str(E_LICENCE);
    }
    let mut v = format!("{}（{ask}）", a.name);
    if let Some(d) = material_detail(a) {
        v.push('：');
        v.push_str(&d);
    }
    v
}

/// Each alternative of a `one_of` group ([`alternative`]); empty for one
/// material.
pub fn alternatives(m: &ResolvedMaterial) -> Vec<String> {
    m.alternatives.iter().map(alternative).collect()
}

/// “任选其一：居民身份证（原件1份）；户口簿（原件1份）”: a group's
/// alternatives as one line, where a layout has one line (the register,
/// `guide diff`).
pub fn alternatives_line(m: &ResolvedMaterial) -> Option<String> {
    m.is_group()
        .then(|| format!("{ANY_ONE}：{}", alternatives(m).join("；")))
}

/// What the register keeps of a material besides its requirement: a
/// group's alternatives ([`alternatives_line`]), then [`material_detail`].
pub fn told_detail(m: &ResolvedMaterial) -> Option<String> {
    let parts: Vec<String> = [alternatives_line(m), material_detail(m)]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join("；"))
}

/// “可用临时居民身份证代替”: what is accepted in a material's place.
pub fn substitutes(m: &ResolvedMaterial) -> Option<String> {
    (!m.substitutes.is_empty()).then(|| format!("可用{}代替", m.substitutes.join("或")))
}

/// “受理标准：…”: a material's acceptance criteria as one line.
pub fn criteria(m: &ResolvedMaterial) -> Option<String> {
    let c = one_line(m.criteria.as_deref()?);
    (!c.is_empty()).then(|| format!("{}：{c}", label::CRITERIA))
}

/// “依据：…”: why the material is asked for.
pub fn required_by(m: &ResolvedMaterial) -> Option<String> {
    m.required_by
        .as_ref()
        .map(|r| format!("{}：{}", label::REQUIRED_BY, r.trim()))
}

/// What a material produced inside the process says (a layout puts it in
/// brackets after the name).
pub const PRODUCED: &str = "办理过程中生成，无需提交";

/// [`PRODUCED`] for a material of source 办理过程中生成; in a 一件事, for a
/// material another chosen member produces, “由出生登记办理过程中生成，无需提交”.
/// With every member of a 一件事 shown, for a material an optional member
/// would produce: “一并办理社保卡申领的，由其办理过程中生成，无需提交”.
pub fn produced(m: &ResolvedMaterial) -> Option<String> {
    match (&m.produced_by, &m.produced_if) {
        (Some(by), _) => Some(format!("由{}{PRODUCED}", by.name)),
        (None, Some(by)) => Some(format!("一并办理{}的，由其{PRODUCED}", by.name)),
        (None, None) => m.is_produced().then(|| PRODUCED.to_owned()),
    }
}

/// What a 一件事 member that the applicant picks is marked with.
pub const OPTIONAL_MEMBER: &str = "可选";
/// What a 一件事 member that is always handled is (in `guide diff`).
pub const REQUIRED_MEMBER: &str = "必办";

/// A member's name, “（可选）” after an optional one.
pub fn member_name(m: &crate::model::Member) -> String {
    optional_name(&m.name, m.optional)
}

/// `name`, with “（可选）” after it for an optional member.
fn optional_name(name: &str, optional: bool) -> String {
    if optional {
        format!("{name}（{OPTIONAL_MEMBER}）")
    } else {
        name.to_owned()
    }
}

/// “可选” or “必办”.
pub fn member_kind(m: &crate::model::Member) -> &'static str {
    if m.optional {
        OPTIONAL_MEMBER
    } else {
        REQUIRED_MEMBER
    }
}

/// The members of a 一件事 that `selection` includes, joined with “、”; an
/// optional member is marked “（可选）” unless the applicant chose it.
/// `None` for a matter.
pub fn members(g: &Guide, selection: crate::model::resolve::Selection<'_>) -> Option<String> {
    g.bundle.as_ref()?;
    let chose = matches!(selection, crate::model::resolve::Selection::Chosen { .. });
    let names: Vec<String> = g
        .linked
        .iter()
        .filter(|m| selection.has_member(m))
        .map(|m| {
            if chose {
                m.name.clone()
            } else {
                member_name(m)
            }
        })
        .collect();
    Some(names.join("、"))
}

/// “一件事包含：出生登记、医保参保（可选）”, or with the optional members
/// chosen (`Some`), “办理事项：出生登记、医保参保”: the line that says what
/// a 一件事's notice or reading covers. `None` for a matter.
pub fn members_line(g: &Guide, chosen: Option<&[String]>) -> Option<String> {
    use crate::model::resolve::Selection;
    match chosen {
        Some(chosen) => {
            let s = Selection::Chosen {
                situations: None,
                members: chosen,
            };
            members(g, s).map(|m| format!("{}：{m}", label::CHOSEN_MEMBERS))
        }
        None => members(g, Selection::All).map(|m| format!("{}：{m}", label::MEMBERS)),
    }
}

/// Checks the optional members an applicant chose (`--member`): each one
/// an optional member of the 一件事 `g` (a member it always includes is
/// accepted too). The error says why, and what may be chosen.
pub fn check_members(g: &Guide, chosen: &[String]) -> Result<(), String> {
    if chosen.is_empty() {
        return Ok(());
    }
    if !g.is_bundle() {
        return Err(format!(
            "事项“{}”不是一件事，没有可选的成员事项（`--member`）",
            g.name.value
        ));
    }
    for id in chosen {
        if !g.linked.iter().any(|m| &m.id == id) {
            let optional: Vec<String> = g
                .linked
                .iter()
                .filter(|m| m.optional)
                .map(|m| format!("  {}\t{}", m.id, m.name))
                .collect();
            let mut why = format!("{}没有成员事项 `{id}`。", g.name.value);
            if optional.is_empty() {
                why.push_str("\n它没有可选的成员事项");
            } else {
                why.push_str("\n可选的成员事项：\n");
                why.push_str(&optional.join("\n"));
            }
            return Err(why);
        }
    }
    Ok(())
}

/// “用于：出生登记、城乡居民医保参保登记”: in a 一件事, the members that ask
/// for a material.
pub fn used_for(m: &ResolvedMaterial) -> Option<String> {
    (!m.members.is_empty()).then(|| {
        let names: Vec<String> = m
            .members
            .iter()
            .map(|x| optional_name(&x.name, x.optional))
            .collect();
        format!("{}：{}", label::USED_FOR, names.join("、"))
    })
}

/// What a material of necessity 告知承诺 says under it.
pub const PLEDGE: &str = "可签署告知承诺书代替";

/// [`PLEDGE`] for a material of necessity 告知承诺.
pub fn pledge(m: &ResolvedMaterial) -> Option<&'static str> {
    (m.necessity == crate::model::Necessity::Pledge).then_some(PLEDGE)
}

/// A material's spec and note, what may replace it and its acceptance
/// criteria, as one line of plain text (the notice's “要求：…”).
pub fn material_detail(m: &ResolvedMaterial) -> Option<String> {
    let both: Vec<&str> = [&m.spec, &m.note]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let mut text = one_line(&both.join("\n\n"));
    for part in [substitutes(m), criteria(m)].into_iter().flatten() {
        append_clause(&mut text, &part);
    }
    (!text.is_empty()).then_some(text)
}

/// Appends `part` to one line of text, after “；” unless the line already
/// ends in punctuation.
fn append_clause(out: &mut String, part: &str) {
    if let Some(last) = out.chars().last()
        && !"：；。，、！？:;".contains(last)
    {
        out.push('；');
    }
    out.push_str(part);
}

/// Markdown as one line: its lines joined with “；” unless a line already
/// ends in punctuation.
pub fn one_line(text: &str) -> String {
    let mut out = String::new();
    for line in crate::markdown::plain(text)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        append_clause(&mut out, line);
    }
    out
}

/// The labels of situations, joined: “委托他人代办；未满16周岁”.
pub fn situation_labels(g: &Guide, ids: &[String]) -> String {
    ids.iter()
        .map(|w| g.situation_label(w))
        .collect::<Vec<_>>()
        .join("；")
}

/// “仅限：委托他人代办；未满16周岁”: when a material is needed only in
/// some situations.
pub fn scope(g: &Guide, when: &[String]) -> Option<String> {
    (!when.is_empty()).then(|| format!("仅限：{}", situation_labels(g, when)))
}

/// “仅限：…” of a condition or refusal that holds in some situations only.
pub fn item_scope(g: &Guide, item: &crate::model::MdItem) -> Option<String> {
    let when: Vec<String> = item.when.iter().map(|w| w.value.clone()).collect();
    scope(g, &when)
}

/// The notice's opening sentence: blank (tick the boxes) or filled (ticked).
/// It cites the matter's legal clause only when there is one (see
/// [`crate::model::NoticeSettings::terms`]).
pub fn notice_intro(g: &Guide, terms: &NoticeTerms, filled: bool) -> String {
    let tail = if filled {
        "如下（已勾选）："
    } else {
        "（请在方框内打“√”）："
    };
    let law = terms
        .legal_clause
        .as_ref()
        .map_or(String::new(), |c| format!("根据{c}的规定，"));
    format!(
        "您申请办理的{}事项，经审查，申请材料不齐全或者不符合法定形式。{law}现一次性告知您需要补正的全部材料{tail}",
        quoted(&g.name.value)
    )
}

/// “…” around a name; quotation marks inside it become ‘…’, as Chinese
/// nests them (“新生儿出生‘一件事’”).
pub fn quoted(name: &str) -> String {
    format!("“{}”", name.replace('“', "‘").replace('”', "’"))
}

/// “20个工作日”: the correction deadline with its unit.
pub fn correction_period(terms: &NoticeTerms) -> String {
    format!("{}个{}", terms.correction_days, terms.correction_unit)
}

/// The sentence a notice adds when the time to correct is not counted.
pub const NOT_COUNTED: &str = "补正时间不计入办理时限。";

/// The running head of a notice's later pages: who issues it, and the
/// number to be written in (`（续页）` says the head is not a new notice).
pub fn notice_running_head(issuer: &str) -> (String, &'static str) {
    (
        format!("{issuer} 一次性告知单（续页）"),
        "编号：＿＿＿＿＿＿＿＿",
    )
}

/// The foot of every page of a notice, before its page numbers: whose
/// notice it is (as the PDF notice).
pub fn notice_page_owner(g: &Guide) -> String {
    format!("{} · ", g.name.value)
}

/// The notice's deadline sentences: the deadline and its unit, where to
/// correct (the window with this notice, or online for a matter applied
/// for online only; the notice prints the address under 网上办理), and
/// whether the time counts.
pub fn notice_deadline(g: &Guide, terms: &NoticeTerms) -> String {
    let period = correction_period(terms);
    let mut out = match correction_away(g) {
        Some(how) => format!(
            "请您自收到本告知单之日起{period}内补正上述材料，{how}逾期未补正的，视为放弃本次申请；补正后材料齐全、符合法定形式的，我们将予以受理。"
        ),
        None => format!(
            "请您自收到本告知单之日起{period}内补正上述材料，补正时请携带本告知单。逾期未补正的，视为放弃本次申请；补正后材料齐全、符合法定形式的，我们将当场受理。"
        ),
    };
    if terms.not_counted {
        out.push_str(NOT_COUNTED);
    }
    out
}

/// How materials are corrected for a matter not handled at a window:
/// “请在线补正。”, by post to the mailing address, or both. `None`: at the
/// window, with the notice.
fn correction_away(g: &Guide) -> Option<String> {
    use crate::model::Channel;
    if g.online_only() {
        return Some("请在线补正。".to_owned());
    }
    let h = g.handling.as_ref()?;
    let has = |c: &[Channel]| h.channels.iter().any(|x| c.contains(&x.value));
    if h.channels.is_empty() || has(&[Channel::Window, Channel::Kiosk]) {
        return None;
    }
    let post = || {
        let to = mail(g).unwrap_or_else(|| "材料邮寄地址".to_owned());
        format!("将补正材料连同本告知单复印件邮寄至{to}")
    };
    match (
        has(&[Channel::Online, Channel::Mobile]),
        has(&[Channel::Mail]),
    ) {
        (true, true) => Some(format!("请在线补正，或{}。", post())),
        (false, true) => Some(format!("请{}。", post())),
        _ => None,
    }
}

/// Where a matter not handled at a window is corrected online: its online
/// address (the notice prints it under 网上办理).
pub fn online_correction(g: &Guide) -> Option<String> {
    correction_away(g)
        .filter(|how| how.contains("在线"))
        .and_then(|_| g.handling.as_ref()?.online.as_ref()?.url.as_ref())
        .map(|u| u.value.clone())
}

/// “补正原因：照片背景不符合要求”: why a material brought must be
/// corrected.
pub fn defect_reason(reason: &str) -> String {
    format!("{}：{reason}", label::REASON)
}

/// What the applicant signs on the office's stub.
pub const RECEIPT: &str = "已收到本告知单。";

/// The phone of the window that handles `g`: the phone of its department
/// in guide.yaml (`departments`), unless it is one of the consult and
/// complaint phones printed anyway. None when the data does not say: a
/// phone is never guessed.
pub fn window_phone(p: &Project, g: &Guide) -> Option<String> {
    let phone = p
        .config
        .as_ref()?
        .department(&g.department.value)?
        .phone
        .as_ref()?
        .value
        .trim()
        .to_owned();
    let printed = phones(p, g).iter().any(|f| f.text.contains(phone.as_str()));
    (!phone.is_empty() && !printed).then_some(phone)
}

/// Every phrase of a matter that more than one output prints, for
/// `data/guides.json` and for the test that holds all outputs to them.
#[derive(Debug, Serialize)]
pub struct Words {
    pub facts: Vec<Fact>,
    pub remedies: Vec<Fact>,
    pub time_limits: Vec<Fact>,
    pub sections: Vec<Section>,
    pub legal_limit: Option<String>,
    pub promised_limit: Option<String>,
    pub visits: Option<String>,
    pub fees: Option<Vec<String>>,
    pub result: Option<String>,
    /// 办理结果, 审批结果类型, 送达方式.
    pub results: Vec<Fact>,
    pub basis: Vec<String>,
    pub steps: Vec<String>,
    pub places: Vec<String>,
    pub contacts: Vec<Fact>,
    /// Each material of the matter (all situations).
    pub materials: Vec<MaterialWords>,
}

#[derive(Debug, Serialize)]
pub struct MaterialWords {
    pub name: String,
    pub requirement: String,
    pub scope: Option<String>,
    pub detail: Option<String>,
    /// “可用临时居民身份证代替” (also part of `detail`).
    pub substitutes: Option<String>,
    /// “依据：…”.
    pub required_by: Option<String>,
    /// [`produced`], for a material produced inside the process.
    pub produced: Option<String>,
    /// [`used_for`], in a 一件事.
    pub used_for: Option<String>,
    /// [`PLEDGE`], for a material of necessity 告知承诺.
    pub pledge: Option<&'static str>,
    /// A `one_of` group's alternatives ([`alternative`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
}

/// The phrases of `g`.
pub fn words(p: &Project, g: &Guide) -> Words {
    let list =
        crate::model::resolve::materials(g, &p.catalogue, crate::model::resolve::Selection::All);
    Words {
        facts: facts(g),
        remedies: remedies(p, g),
        time_limits: time_limits(g),
        sections: sections(p, g),
        legal_limit: legal_limit(g),
        promised_limit: promised_limit(g),
        visits: visits(g),
        fees: fees(g),
        result: g.result.as_ref().map(result),
        results: results(g),
        basis: g.basis.iter().map(basis).collect(),
        steps: g.steps.iter().map(step).collect(),
        places: locations(g).iter().map(place).collect(),
        contacts: contacts(p, g),
        materials: list
            .iter()
            .map(|m| MaterialWords {
                name: m.name.clone(),
                requirement: requirement(m),
                scope: scope(g, &m.when),
                detail: material_detail(m),
                substitutes: substitutes(m),
                required_by: required_by(m),
                produced: produced(m),
                used_for: used_for(m),
                pledge: pledge(m),
                alternatives: alternatives(m),
            })
            .collect(),
    }
}

/// The web page of a matter, for the QR code and printed links.
pub fn matter_url(project: &Project, id: &str) -> Option<String> {
    let base = project.config.as_ref()?.base_url.as_ref()?.value.trim();
    let sep = if base.ends_with('/') { "" } else { "/" };
    Some(format!("{base}{sep}matters/{id}.html"))
}

/// The desk's address as `notice.desk_url` gives it, without the slash
/// at its end: an `http://` or `https://` address with a host, no query
/// and no fragment; `None` when it is not one.
pub fn desk_origin(url: &str) -> Option<String> {
    let v = url.trim().trim_end_matches('/');
    let lower = v.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let bad = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\');
    if rest.is_empty() || rest.starts_with('/') || v.chars().any(bad) {
        return None;
    }
    Some(v.to_owned())
}

/// The path on the desk that opens notice `seq` of `year`; with halls
/// numbering on their own (`{hall}` in the pattern) year and sequence name
/// no single notice, so the path carries the whole `number`.
pub fn desk_notice_path(year: i32, seq: u32, number: Option<&str>) -> String {
    match number {
        Some(n) => format!("/desk/n/{}", url_segment(n)),
        None => format!("/desk/n/{year}-{seq}"),
    }
}

/// `s` as one segment of a URL path or a query value: everything but the
/// unreserved ASCII characters percent-encoded.
pub fn url_segment(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// What the desk code of notice `seq` of `year` encodes: its page on the
/// desk `notice.desk_url` names (none when the project names no desk).
/// Short (`https://dating.example.gov.cn/desk/n/2026-1`), so the code
/// stays coarse enough for a window's scanner.
pub fn desk_link(project: &Project, year: i32, seq: u32, number: Option<&str>) -> Option<String> {
    let u = project
        .config
        .as_ref()?
        .notice
        .as_ref()?
        .desk_url
        .as_ref()?;
    Some(format!(
        "{}{}",
        desk_origin(&u.value)?,
        desk_notice_path(year, seq, number)
    ))
}

/// `2026-11-29` → `2026年11月29日`.
pub fn chinese_date(d: &str) -> String {
    match crate::date::Date::parse(d) {
        Some(d) => format!("{}年{}月{}日", d.year, d.month, d.day),
        None => d.to_owned(),
    }
}

/// One colour per category (sRGB), for the booklet's headings and thumb
/// tabs and the site's category marks: the same category, the same colour.
pub const PALETTE: [u32; 8] = [
    0x0B6E8A, 0xB5521B, 0x2F6B2F, 0x6A3D8F, 0xA11D3A, 0x7A5A12, 0x2E4A8F, 0x55606B,
];

/// The colour of the category at `index` (in the one category order).
pub fn category_colour(index: usize) -> u32 {
    PALETTE[index % PALETTE.len()]
}

/// The 形式 column: “原件”, or 未注明 when the data does not say.
/// A `one_of` group's: [`ANY_ONE`].
pub fn form_word(m: &ResolvedMaterial) -> &'static str {
    if m.is_group() {
        return ANY_ONE;
    }
    m.form.map_or(UNSTATED, |f| f.word())
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn a_quoted_name_nests_its_own_quotes_as_single_ones() {
        assert_eq!(quoted("新生儿出生“一件事”"), "“新生儿出生‘一件事’”");
        assert_eq!(quoted("护照"), "“护照”");
    }
}
