//! `guide show ID [--situation S]…`: what a clerk or the phone line reads out.

use super::{EXIT_OK, EXIT_USAGE};
use crate::load::Project;
use crate::markdown::plain;
use crate::model::resolve::{Selection, materials};
use crate::model::{Guide, Promised};
use std::fmt::Write;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 事项 id、名称或别名（见 `guide list`）；名称的一部分也可以，只要只对应一个事项
    pub id: String,
    /// 申请人所属情形（可写多次）
    #[arg(long = "situation", short = 's', value_name = "S")]
    pub situations: Vec<String>,
}

pub fn run(project: Option<&Path>, mut args: Args) -> anyhow::Result<u8> {
    args.id = match super::find::matter_id(project, &args.id)? {
        Ok(id) => id,
        Err(code) => return Ok(code),
    };
    // Only this matter's file is read: the phone line is not held up by a
    // mistake in another matter.
    let p = match super::load_valid_one(project, &args.id)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let Some(gf) = p.guide(&args.id) else {
        super::not_in_force_or_unknown(&p, &args.id);
        return Ok(EXIT_USAGE);
    };
    let g = &gf.guide;
    for s in &args.situations {
        if !g.situations.iter().any(|x| &x.id.value == s) {
            eprintln!("事项“{}”没有情形 `{s}`。", g.name.value);
            if g.situations.is_empty() {
                eprintln!("这个事项不分情形，直接 `guide show {}` 即可", g.id.value);
            } else {
                eprintln!("可选的情形：");
                for x in &g.situations {
                    eprintln!("  {}\t{}", x.id.value, x.label.value);
                }
            }
            return Ok(EXIT_USAGE);
        }
    }
    print!(
        "{}",
        crate::diag::terminal_safe(&render(&p, g, &args.situations))
    );
    Ok(EXIT_OK)
}

fn indent(text: &str, prefix: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(prefix);
        }
        out.push_str(line);
    }
    out
}

/// The matter as plain text for the given situations.
pub fn render(p: &Project, g: &Guide, situations: &[String]) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{}（{}）", g.name.value, g.id.value);
    let mut facts = vec![
        g.category.value.clone(),
        g.department.value.clone(),
        g.kind.value.to_string(),
    ];
    if let Some(c) = &g.code {
        facts.push(format!("实施编码 {}", c.value));
    }
    let _ = writeln!(o, "{}", facts.join(" · "));
    let label = |id: &str| g.situation_label(id);
    if !situations.is_empty() {
        let names: Vec<String> = situations.iter().map(|s| label(s)).collect();
        let _ = writeln!(o, "情形：{}", names.join("；"));
    }

    let list = materials(g, &p.catalogue, Selection::Situations(situations));
    let _ = writeln!(o, "\n申请材料（共 {} 项）", list.len());
    if list.is_empty()
        && let Some(n) = &g.materials_note
    {
        let _ = writeln!(o, "  {}", indent(&plain(&n.value), "  "));
    }
    for (i, m) in list.iter().enumerate() {
        let _ = write!(
            o,
            "  {:>2}. {} —— {}，{}",
            i + 1,
            m.name,
            m.counts(),
            m.necessity
        );
        if !m.when.is_empty() {
            let names: Vec<String> = m.when.iter().map(|w| label(w)).collect();
            let _ = write!(o, "（{}）", names.join("或"));
        }
        o.push('\n');
        if let Some(s) = &m.spec {
            let _ = writeln!(o, "      要求：{}", indent(&plain(s), "            "));
        }
        if let Some(n) = &m.note {
            let _ = writeln!(o, "      备注：{}", indent(&plain(n), "            "));
        }
    }
    let others: Vec<String> = g
        .situations
        .iter()
        .filter(|s| !situations.contains(&s.id.value))
        .map(|s| format!("{}（--situation {}）", s.label.value, s.id.value))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(o, "  另有情形需加材料：{}", others.join("；"));
    }

    let _ = writeln!(o, "\n办理流程");
    for (i, s) in g.steps.iter().enumerate() {
        let _ = write!(o, "  {}. {}", i + 1, s.name.value);
        if let Some(r) = &s.role {
            let _ = write!(o, "（{}）", r.value);
        }
        if let Some(l) = &s.limit {
            let _ = write!(o, " —— {}", l.value);
        }
        o.push('\n');
        if let Some(d) = &s.detail {
            let _ = writeln!(o, "     {}", indent(&plain(&d.value), "     "));
        }
    }

    let tl = &g.time_limit;
    let _ = write!(o, "\n办结时限：");
    if let Some(l) = &tl.legal {
        let _ = write!(o, "法定{}，", l.value);
    }
    match tl.promised.value {
        Promised::Immediate => {
            let _ = writeln!(o, "即办（{}）", tl.case_type.value);
        }
        p => {
            let _ = writeln!(o, "承诺{}（{}）", p, tl.case_type.value);
        }
    }
    if g.fees.charged.value {
        let _ = writeln!(o, "收费：");
        for f in &g.fees.items {
            let _ = write!(o, "  {} {}", f.name.value, f.standard.value);
            if let Some(b) = &f.basis {
                let _ = write!(o, "（依据：{}）", b.value);
            }
            o.push('\n');
            if let Some(r) = &f.reducible {
                let _ = writeln!(o, "    减免：{}", r.value);
            }
        }
    } else {
        let _ = writeln!(o, "收费：不收费");
    }

    let h = &g.handling;
    if h.visits.value == 0 {
        let _ = writeln!(o, "到现场次数：0 次（全程网办）");
    } else {
        let reason = h
            .visit_reason
            .as_ref()
            .map_or(String::new(), |r| format!("（{}）", r.value));
        let _ = writeln!(o, "到现场次数：{} 次{}", h.visits.value, reason);
    }
    if let Some(u) = &h.online {
        let _ = writeln!(o, "网上办理：{}", u.url.value);
    }
    if let Some(a) = &h.appointment {
        let _ = writeln!(o, "预约：{}", a.value);
    }
    if h.express.as_ref().is_some_and(|e| e.value) {
        let _ = writeln!(o, "结果可邮寄送达");
    }
    for l in &h.locations {
        let _ = write!(o, "办理地点：{}", l.address.value);
        if let Some(w) = &l.window {
            let _ = write!(o, " {}", w.value);
        }
        o.push('\n');
        if let Some(hours) = &l.hours {
            let _ = writeln!(o, "  办公时间：{}", hours.value);
        }
    }
    if let Some(r) = &g.result {
        let _ = write!(o, "办理结果：{}", r.name.value);
        if let Some(v) = &r.validity {
            let _ = write!(o, "（有效期：{}）", v.value);
        }
        o.push('\n');
    }
    let (consult, complaint) = p.phones(g).unwrap_or(("", ""));
    let _ = writeln!(o, "咨询电话：{consult}　投诉电话：{complaint}");
    if let Some(gc) = &g.green_channel {
        let _ = writeln!(o, "\n绿色通道\n  {}", indent(&plain(&gc.value), "  "));
    }
    o
}
