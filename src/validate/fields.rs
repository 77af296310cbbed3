//! Cross-field rules of a matter: steps, time limit, fees, handling, contact,
//! dates.

use super::{Context, at};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::load::CONFIG_FILE;
use crate::model::{CaseType, Guide, Promised, S, Texts};

fn date(file: &str, s: &S<String>, key: &str, out: &mut Vec<Diagnostic>) -> Option<Date> {
    let d = Date::parse(s.value.trim());
    if d.is_none() {
        out.push(
            Diagnostic::error(
                "bad-date",
                file,
                at(s),
                format!("`{key}` 的日期 `{}` 不是有效日期", s.value),
            )
            .with_hint("写成 年-月-日，例如 `2026-03-01`（四位年份，月和日两位）"),
        );
    }
    d
}

/// An element the national standard expects that the published guide may
/// not state: a warning naming it, never an invented value (`--deny-warnings`
/// keeps CI strict).
fn missing(cx: &Context, file: &str, g: &Guide, key: &str, what: &str, out: &mut Vec<Diagnostic>) {
    let hint =
        format!("办事指南应写明{what}；原文没有写的，就不写，输出里不会出现（也不会被猜测）");
    missing_with(cx, file, g, key, what, hint, out);
}

fn missing_with(
    cx: &Context,
    file: &str,
    g: &Guide,
    key: &str,
    what: &str,
    hint: String,
    out: &mut Vec<Diagnostic>,
) {
    if cx.project.sources.was_removed(file, key) {
        return;
    }
    out.push(
        Diagnostic::warning(
            "missing-element",
            file,
            at(&g.name),
            format!("事项“{}”没有写{what}（`{key}`）", g.name.value),
        )
        .with_hint(hint),
    );
}

fn check_guide(cx: &Context, file: &str, g: &Guide, out: &mut Vec<Diagnostic>) {
    // A 一件事's kind, steps, results and fees are its members'.
    let own = !g.is_bundle();
    if own && g.kind.is_none() {
        missing(cx, file, g, "kind", "事项类型", out);
    }
    if own && g.steps.is_empty() {
        missing(cx, file, g, "steps", "办理流程", out);
    }
    if own && g.result.is_none() {
        missing(cx, file, g, "result", "办理结果", out);
    }
    match &g.handling {
        None => missing(cx, file, g, "handling", "办理方式和到现场次数", out),
        Some(h) if h.visits.is_none() => missing(cx, file, g, "visits", "到现场次数", out),
        _ => {}
    }

    // Time limit.
    let Some(tl) = &g.time_limit else {
        missing(cx, file, g, "time_limit", "办结时限", out);
        return check_fees(cx, file, g, out);
    };
    match (tl.case_type.value, &tl.promised.value) {
        (CaseType::Immediate, Promised::Within(d)) if d.value != 0 => out.push(
            Diagnostic::error(
                "time-limit",
                file,
                at(&tl.promised),
                format!("即办件的承诺时限应为“即办”，这里是{d}"),
            )
            .with_hint("写 `promised: 即办`，或把 `type` 改为 `承诺件`"),
        ),
        (CaseType::Promised, Promised::Immediate) => out.push(
            Diagnostic::error(
                "time-limit",
                file,
                at(&tl.promised),
                "承诺件需要写明承诺时限".into(),
            )
            .with_hint("例如 `promised: {value: 7, unit: 工作日}`，或把 `type` 改为 `即办件`"),
        ),
        (CaseType::Promised, Promised::Within(d)) if d.value == 0 => out.push(
            Diagnostic::error(
                "time-limit",
                file,
                at(&tl.promised),
                "承诺件的承诺时限不能为 0".into(),
            )
            .with_hint("当场办结的事项把 `type` 改为 `即办件`，`promised: 即办`"),
        ),
        (CaseType::Immediate, Promised::Ununified) => out.push(
            Diagnostic::error(
                "time-limit",
                file,
                at(&tl.promised),
                "即办件的承诺时限应为“即办”，这里写的是“未统一”".into(),
            )
            .with_hint("没有统一时限的事项把 `type` 改为 `承诺件`，并在 `note` 里说明"),
        ),
        (_, Promised::Ununified) if tl.note.is_none() => out.push(
            Diagnostic::warning(
                "missing-element",
                file,
                at(&tl.promised),
                "承诺时限“未统一”，但没有说明（`time_limit.note`）".into(),
            )
            .with_hint("写 `note: 全市无统一时限，以各区受理窗口告知为准` 之类，让群众知道怎么办"),
        ),
        _ => {}
    }
    if let (Some(legal), Promised::Within(p)) = (&tl.legal, &tl.promised.value)
        && legal.value.unit == p.unit
        && p.value > legal.value.value
    {
        out.push(
            Diagnostic::error(
                "time-limit",
                file,
                at(&tl.promised),
                format!("承诺时限{p}比法定时限{}还长", legal.value),
            )
            .with_hint("承诺时限应不超过法定时限"),
        );
    }

    check_fees(cx, file, g, out);
}

fn check_fees(cx: &Context, file: &str, g: &Guide, out: &mut Vec<Diagnostic>) {
    let Some(fees) = &g.fees else {
        if !g.is_bundle() {
            missing(cx, file, g, "fees", "收费情况", out);
        }
        return check_handling(cx, file, g, out);
    };
    if fees.charged.value {
        if fees.items.is_empty() {
            out.push(
                Diagnostic::error(
                    "fee-items",
                    file,
                    at(&fees.charged),
                    "收费事项没有列出收费项目".into(),
                )
                .with_hint(
                    "在 `items` 里写明 `name`、`standard`、`basis`，或改为 `charged: false`",
                ),
            );
        }
        for item in &fees.items {
            if item
                .basis
                .as_ref()
                .is_none_or(|b| b.value.trim().is_empty())
            {
                out.push(
                    Diagnostic::error(
                        "fee-basis",
                        file,
                        at(&item.name),
                        format!("收费项目“{}”没有写收费依据", item.name.value),
                    )
                    .with_hint("写 `basis: 文件名称及文号`；没有依据的费用不能收取"),
                );
            }
        }
    } else if let Some(item) = fees.items.first() {
        out.push(
            Diagnostic::error(
                "fee-items",
                file,
                at(&item.name),
                "`charged: false`（不收费）却列出了收费项目".into(),
            )
            .with_hint("收费就改为 `charged: true`，不收费就删去 `items`"),
        );
    }

    check_handling(cx, file, g, out);
}

fn check_handling(cx: &Context, file: &str, g: &Guide, out: &mut Vec<Diagnostic>) {
    if let Some(h) = &g.handling {
        check_visits(file, h, out);
    }
    check_delivery(file, g, out);
    check_contact(cx, file, g, out);
}

/// 送达方式 as a list: not empty, 无 alone, and saying what
/// `handling.express` says about the post.
fn check_delivery(file: &str, g: &Guide, out: &mut Vec<Diagnostic>) {
    use crate::model::{Delivery, DeliveryWay};
    let Some(d) = g.result.as_ref().and_then(|r| r.delivery.as_ref()) else {
        return;
    };
    let Delivery::Ways(ways) = &d.value else {
        return;
    };
    if ways.is_empty() {
        out.push(
            Diagnostic::error("empty-value", file, at(d), "`delivery` 是空列表".into())
                .with_hint("写送达方式，例如 `[窗口领取, 邮寄送达]`；没有需要送达的结果写 `[无]`"),
        );
        return;
    }
    if ways.len() > 1
        && let Some(none) = ways.iter().find(|w| w.value == DeliveryWay::None)
    {
        out.push(
            Diagnostic::error(
                "delivery",
                file,
                at(none),
                "送达方式写了“无”，又写了其他方式".into(),
            )
            .with_hint("没有需要送达的结果只写 `[无]`，否则去掉“无”"),
        );
    }
    let post = ways.iter().any(|w| w.value == DeliveryWay::Post);
    if let Some(e) = g.handling.as_ref().and_then(|h| h.express.as_ref())
        && e.value != post
    {
        let message = if e.value {
            "`express: true` 说结果可邮寄送达，但送达方式里没有“邮寄送达”"
        } else {
            "`express: false` 说结果不邮寄，但送达方式里有“邮寄送达”"
        };
        out.push(
            Diagnostic::error("delivery", file, at(e), message.into())
                .with_hint("两处要一致；写了送达方式列表就可以不写 `express`"),
        );
    }
}

fn check_visits(file: &str, h: &crate::model::Handling, out: &mut Vec<Diagnostic>) {
    if let Some(visits) = h.visits.as_ref().filter(|v| v.value.most() > 0) {
        if h.visit_reason
            .as_ref()
            .is_none_or(|r| r.value.trim().is_empty())
        {
            out.push(
                Diagnostic::error(
                    "visit-reason",
                    file,
                    at(visits),
                    format!("需要到现场 {} 次，但没有说明原因", visits.value.most()),
                )
                .with_hint(
                    "写 `visit_reason: …`（例如：现场采集指纹和照片），让群众知道为什么必须跑一趟",
                ),
            );
        }
        if h.locations.is_empty() {
            out.push(
                Diagnostic::error(
                    "no-location",
                    file,
                    at(visits),
                    "需要到现场办理，但没有写办理地点".into(),
                )
                .with_hint("在 `locations` 里写 `address`，以及 `window`、`hours`"),
            );
        }
    }
    if let Some(url) = h.online.as_ref().and_then(|o| o.url.as_ref()) {
        let u = url.value.trim();
        if !(u.starts_with("https://") || u.starts_with("http://")) {
            out.push(
                Diagnostic::error("bad-url", file, at(url), format!("网址 `{u}` 不完整"))
                    .with_hint("以 https:// 或 http:// 开头"),
            );
        }
    }
}

/// The parts of a `contact` (a matter's or `guide.yaml`'s) that rules
/// look at.
pub(super) struct ContactParts<'a> {
    pub consult: Option<&'a S<Texts>>,
    pub complaint: Option<&'a S<Texts>>,
    pub online: Option<&'a S<String>>,
    pub email: Option<&'a S<String>>,
}

/// No phone both for asking and for complaining, no empty list of phones,
/// a web address that is one, an e-mail address that is one.
pub(super) fn contact_rules(file: &str, c: ContactParts, out: &mut Vec<Diagnostic>) {
    for t in [c.consult, c.complaint].into_iter().flatten() {
        if t.value
            .items(t.pos)
            .iter()
            .all(|(v, _)| v.trim().is_empty())
        {
            out.push(
                Diagnostic::error("empty-value", file, at(t), "电话不能为空".into())
                    .with_hint("写一个电话，或一个电话列表：[\"0991-4681180\", \"12345\"]"),
            );
        }
    }
    if let (Some(a), Some(b)) = (c.consult, c.complaint) {
        let asks: Vec<&str> = a.value.items(a.pos).iter().map(|(v, _)| v.trim()).collect();
        for (v, pos) in b.value.items(b.pos) {
            if !v.trim().is_empty() && asks.contains(&v.trim()) {
                out.push(
                    Diagnostic::error(
                        "same-phone",
                        file,
                        Some(pos),
                        "投诉电话与咨询电话相同".into(),
                    )
                    .with_hint("投诉应能打到办理部门以外的监督电话，例如 12345"),
                );
            }
        }
    }
    if let Some(u) = c.online
        && !crate::load::access::is_web_address(u.value.trim())
    {
        out.push(
            Diagnostic::error(
                "bad-url",
                file,
                at(u),
                format!("网上咨询投诉的网址 `{}` 不完整", u.value.trim()),
            )
            .with_hint("以 https:// 或 http:// 开头"),
        );
    }
    if let Some(e) = c.email {
        let v = e.value.trim();
        let ok = v.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.contains('@')
        }) && !v.chars().any(|ch| ch.is_whitespace() || ch == ':');
        if !ok {
            out.push(
                Diagnostic::error("bad-email", file, at(e), format!("`{v}` 不是电子邮箱地址"))
                    .with_hint("例如 zwfw@example.gov.cn"),
            );
        }
    }
}

/// Contact phones, then the dates.
fn check_contact(cx: &Context, file: &str, g: &Guide, out: &mut Vec<Diagnostic>) {
    match &g.contact {
        Some(S { value: c, pos }) => {
            let parts = ContactParts {
                consult: c.consult.as_ref(),
                complaint: c.complaint.as_ref(),
                online: c.online.as_ref(),
                email: c.email.as_ref(),
            };
            if parts.consult.is_none()
                && parts.complaint.is_none()
                && parts.online.is_none()
                && parts.email.is_none()
                && c.letters.is_none()
            {
                out.push(
                    Diagnostic::error(
                        "empty-value",
                        file,
                        Some(*pos),
                        "`contact` 是空的".into(),
                    )
                    .with_hint("写 consult（咨询电话）、complaint（投诉电话）、online、email 或 letters；不写 contact 则用 guide.yaml 的"),
                );
            }
            contact_rules(file, parts, out);
        }
        None => {
            let has_default = cx
                .project
                .config
                .as_ref()
                .is_none_or(|c| c.contact.is_some());
            if !has_default {
                let hint = format!(
                    "在本事项写 `contact: {{consult: …, complaint: …}}`，或在 {CONFIG_FILE} 的 `contact` 里写默认电话"
                );
                missing_with(cx, file, g, "contact", "咨询和投诉电话", hint, out);
            }
        }
    }

    // Dates.
    let effective = date(file, &g.effective, "effective", out);
    if let Some(e) = &g.expires
        && let Some(exp) = date(file, e, "expires", out)
        && effective.is_some_and(|eff| exp <= eff)
    {
        out.push(
            Diagnostic::error(
                "expires-before-effective",
                file,
                at(e),
                format!("失效日期 {} 不晚于施行日期 {}", e.value, g.effective.value),
            )
            .with_hint("`expires` 必须晚于 `effective`"),
        );
    }
    if let Some(r) = &g.review_by
        && let Some(review) = date(file, r, "review_by", out)
        && review < cx.today
    {
        out.push(
            Diagnostic::warning(
                "review-overdue",
                file,
                at(r),
                format!("应在 {} 前复核政策，已过期（今天是 {}）", r.value, cx.today),
            )
            .with_hint("复核内容后把 `review_by` 改为下一次复核日期"),
        );
    }
    let mut previous: Option<Date> = None;
    for c in &g.changelog {
        if let Some(d) = date(file, &c.date, "changelog.date", out) {
            if previous.is_some_and(|p| d > p) {
                out.push(
                    Diagnostic::error(
                        "changelog-order",
                        file,
                        at(&c.date),
                        format!("变更记录 {} 比上一条更新；应最新的写在最前", c.date.value),
                    )
                    .with_hint("按日期从新到旧排列 `changelog`"),
                );
            }
            previous = Some(d);
        }
    }
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for g in &cx.project.guides {
        check_guide(cx, &g.file, &g.guide, out);
    }
}
