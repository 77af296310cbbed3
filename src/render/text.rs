//! The matter as plain text: what `guide show` prints for a clerk or the
//! phone line to read out. Every phrase comes from [`crate::present`], so
//! the phone line says what the booklet and the site say.

use crate::load::Project;
use crate::markdown::plain;
use crate::model::resolve::{Selection, materials};
use crate::model::{Guide, Markdowns};
use crate::present::{self, label};
use std::fmt::Write;

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

/// The matter `g` for the given situations (and, for a 一件事, the optional
/// members chosen; `None`: every member), as plain text.
pub fn matter(p: &Project, g: &Guide, situations: &[String], members: Option<&[String]>) -> String {
    let selection = match members {
        Some(members) => Selection::Chosen {
            situations: Some(situations),
            members,
        },
        None => Selection::Situations(situations),
    };
    let mut o = String::new();
    let _ = writeln!(o, "{}（{}）", g.name.value, g.id.value);
    let _ = writeln!(o, "{}", g.category.value);
    let _ = writeln!(o, "{}", present::facts_line(g));
    if let Some(chosen) = members.and_then(|m| present::members_line(g, Some(m))) {
        let _ = writeln!(o, "{chosen}");
    }
    if !situations.is_empty() {
        let _ = writeln!(
            o,
            "{}：{}",
            label::SITUATIONS,
            present::situation_labels(g, situations)
        );
    }

    for (key, text) in [("conditions", &g.conditions), ("refusals", &g.refusals)] {
        let Some(c) = text else {
            continue;
        };
        let _ = writeln!(o, "\n{}", present::section_title(key));
        match &c.value {
            Markdowns::One(t) => {
                let _ = writeln!(o, "  {}", indent(&plain(t), "  "));
            }
            Markdowns::Many(items) => {
                for (i, it) in items.iter().enumerate() {
                    let _ = write!(
                        o,
                        "  {}. {}",
                        i + 1,
                        indent(&plain(&it.text.value), "     ")
                    );
                    if let Some(scope) = present::item_scope(g, it) {
                        let _ = write!(o, "〔{scope}〕");
                    }
                    o.push('\n');
                }
            }
        }
    }

    let list = materials(g, &p.catalogue, selection);
    let _ = writeln!(
        o,
        "\n{}（共 {} 项）",
        present::section_title("materials"),
        list.len()
    );
    if list.is_empty()
        && let Some(n) = &g.materials_note
    {
        let _ = writeln!(o, "  {}", indent(&plain(&n.value), "  "));
    }
    for (i, m) in list.iter().enumerate() {
        let _ = write!(
            o,
            "  {:>2}. {}（{}）",
            i + 1,
            m.name,
            present::requirement(m)
        );
        if let Some(p) = present::produced(m) {
            let _ = write!(o, "（{p}）");
        }
        if let Some(scope) = present::scope(g, &m.when) {
            let _ = write!(o, "〔{scope}〕");
        }
        o.push('\n');
        for a in present::alternatives(m) {
            let _ = writeln!(o, "      · {a}");
        }
        if let Some(d) = present::material_detail(m) {
            let _ = writeln!(o, "      {}：{d}", label::REQUIREMENT);
        }
        for line in [
            present::required_by(m).as_deref(),
            present::pledge(m),
            present::used_for(m).as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            let _ = writeln!(o, "      {line}");
        }
    }
    // A 一件事: the situations of the members handled.
    let handled = g.situations.iter().chain(
        g.linked
            .iter()
            .filter(|m| selection.has_member(m))
            .flat_map(|m| m.situations.iter()),
    );
    let others: Vec<String> = handled
        .filter(|s| !situations.contains(&s.id.value))
        .map(|s| format!("{}（--situation {}）", s.label.value, s.id.value))
        .collect();
    if !others.is_empty() {
        let _ = writeln!(o, "  另有情形需加材料：{}", others.join("；"));
    }

    if !g.steps.is_empty() {
        let _ = writeln!(o, "\n{}", present::section_title("steps"));
    }
    for (flow, steps) in present::step_flows(g) {
        if let Some(title) = flow {
            let _ = writeln!(o, "  {title}");
        }
        for (i, s) in steps.into_iter().enumerate() {
            let _ = write!(o, "  {}. {}", i + 1, present::step(s));
            if let Some(l) = present::step_limit(s) {
                let _ = write!(o, "　{l}");
            }
            o.push('\n');
            if let Some(d) = &s.detail {
                let _ = writeln!(o, "     {}", indent(&plain(&d.value), "     "));
            }
            for x in present::step_details(s) {
                let _ = writeln!(o, "     {x}");
            }
        }
    }

    if !present::time_limits(g).is_empty() {
        let _ = writeln!(o, "\n{}", present::section_title("time"));
    }
    for f in present::time_limits(g) {
        let _ = writeln!(o, "  {}：{}", f.label, f.text);
    }

    if let Some(fees) = &g.fees {
        let _ = writeln!(o, "\n{}", present::section_title("fees"));
        if fees.charged.value {
            for f in &fees.items {
                let _ = writeln!(o, "  {}", present::fee(f));
                if let Some(r) = present::fee_reducible(f) {
                    let _ = writeln!(o, "    {r}");
                }
            }
        } else {
            let _ = writeln!(o, "  {}", present::NO_FEES);
        }
    }

    if let Some(h) = &g.handling {
        let _ = writeln!(o, "\n{}", present::section_title("place"));
        if let Some(c) = present::channels(g) {
            let _ = writeln!(o, "  {}：{c}", label::CHANNELS);
        }
        if let Some(v) = present::visits(g) {
            let _ = writeln!(o, "  {}：{v}", label::VISITS);
        }
        let url = h.online.as_ref().and_then(|u| u.url.as_ref());
        match (url, present::online(g)) {
            (Some(u), Some(x)) => {
                let _ = writeln!(o, "  {}：{}；{x}", label::ONLINE, u.value);
            }
            (Some(u), None) => {
                let _ = writeln!(o, "  {}：{}", label::ONLINE, u.value);
            }
            (None, Some(x)) => {
                let _ = writeln!(o, "  {}：{x}", label::ONLINE);
            }
            (None, None) => {}
        }
        if let Some(m) = present::mail(g) {
            let _ = writeln!(o, "  {}：{m}", label::MAIL);
        }
        if let Some(a) = &h.appointment {
            let _ = writeln!(o, "  {}：{}", label::APPOINTMENT, a.value);
        }
        if let Some(x) = present::express(g) {
            let _ = writeln!(o, "  {}：{x}", label::DELIVERY);
        }
    }
    for l in present::locations(g) {
        let _ = writeln!(o, "  {}：{}", label::ADDRESS, present::place(l));
        if let Some(hours) = &l.hours {
            let _ = writeln!(o, "    {}：{}", label::HOURS, hours.value);
        }
        if let Some(tr) = &l.transit {
            let _ = writeln!(o, "    {}：{}", label::TRANSIT, tr.value);
        }
    }
    for f in present::results(g) {
        let _ = writeln!(o, "  {}：{}", f.label, f.text);
    }
    let remedies = present::remedies(p, g);
    let contacts = present::contacts(p, g);
    if !contacts.is_empty() || !remedies.is_empty() {
        let _ = writeln!(o, "\n{}", present::section_title("contact"));
    }
    for f in contacts.iter().chain(&remedies) {
        let _ = writeln!(o, "  {}：{}", f.label, f.text);
    }
    if let Some(gc) = &g.green_channel {
        let _ = writeln!(
            o,
            "\n{}\n  {}",
            present::section_title("green"),
            indent(&plain(&gc.value), "  ")
        );
    }
    o
}
