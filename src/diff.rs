//! What changed for citizens between two versions of a project: matters
//! added and removed, and for a changed matter, field by field in the words
//! a window would use (materials, fees, time limits, steps, places, phones).

use crate::load::Project;
use crate::model::Guide;
use crate::model::resolve::{ResolvedMaterial, Selection, materials};
use crate::present;
use serde::Serialize;

/// One change of one field: what it was and what it is (None: absent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// A stable key for programs (`fees`, `materials.added`,
    /// `handling.locations.hours`, …; see docs/format.md).
    pub field: &'static str,
    /// The same in a window's words, naming the material or place
    /// (`材料“居民身份证”的要求`).
    pub label: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatterRef {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangedMatter {
    pub id: String,
    pub name: String,
    pub changes: Vec<FieldChange>,
}

/// The whole difference, in a stable order (by id).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub added: Vec<MatterRef>,
    pub removed: Vec<MatterRef>,
    pub changed: Vec<ChangedMatter>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

fn change(
    out: &mut Vec<FieldChange>,
    (field, label): (&'static str, &str),
    old: Option<String>,
    new: Option<String>,
) {
    if old != new {
        out.push(FieldChange {
            field,
            label: label.to_owned(),
            old,
            new,
        });
    }
}

/// A material as a window describes it: “原件1份，必要；仅限：未满16周岁”.
fn describe(g: &Guide, m: &ResolvedMaterial) -> String {
    let mut s = present::requirement(m);
    if let Some(p) = present::produced(m) {
        s.push('；');
        s.push_str(&p);
    }
    if let Some(scope) = present::scope(g, &m.when) {
        s.push('；');
        s.push_str(&scope);
    }
    s
}

/// Pairs old and new materials: the same catalogue `ref`, else the same
/// name, else (for what is left, when `renames`) the same position — a
/// rename. Alternatives of a group are not renamed: another document that
/// will do is another alternative.
fn pair_materials<'a>(
    old: &'a [ResolvedMaterial],
    new: &'a [ResolvedMaterial],
    renames: bool,
) -> (
    Vec<(&'a ResolvedMaterial, &'a ResolvedMaterial)>,
    Vec<&'a ResolvedMaterial>,
    Vec<&'a ResolvedMaterial>,
) {
    let mut used_new = vec![false; new.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut lone_old = Vec::new();
    for (i, o) in old.iter().enumerate() {
        let by_ref = o.catalogue_id.as_ref().and_then(|r| {
            new.iter()
                .enumerate()
                .position(|(j, n)| !used_new[j] && n.catalogue_id.as_ref() == Some(r))
        });
        let by_name = || {
            new.iter()
                .enumerate()
                .position(|(j, n)| !used_new[j] && n.name == o.name)
        };
        match by_ref.or_else(by_name) {
            Some(j) => {
                used_new[j] = true;
                pairs.push((i, j));
            }
            None => lone_old.push(i),
        }
    }
    // What is left at the same position in both lists is one material renamed.
    let mut removed = Vec::new();
    for i in lone_old {
        let j = old[i].position - 1;
        if renames
            && j < new.len()
            && !used_new[j]
            && new[j].catalogue_id.is_none()
            && old[i].catalogue_id.is_none()
        {
            used_new[j] = true;
            pairs.push((i, j));
        } else {
            removed.push(&old[i]);
        }
    }
    pairs.sort();
    let added = new
        .iter()
        .enumerate()
        .filter(|(j, _)| !used_new[*j])
        .map(|(_, n)| n)
        .collect();
    (
        pairs.into_iter().map(|(i, j)| (&old[i], &new[j])).collect(),
        removed,
        added,
    )
}

fn places(g: &Guide) -> Vec<String> {
    present::locations(g)
        .iter()
        .map(|l| {
            let mut s = present::place(l);
            if let Some(h) = &l.hours {
                s.push_str(&format!("（{}）", h.value));
            }
            s
        })
        .collect()
}

/// Places and hours: as many places as before, each compared by its
/// address and by its hours, so a change of hours is not told as a move;
/// else the whole list.
fn place_changes(out: &mut Vec<FieldChange>, old: &Guide, new: &Guide) {
    let (o, n) = (present::locations(old), present::locations(new));
    if o.len() != n.len() {
        let place = |g: &Guide| {
            let p = places(g);
            (!p.is_empty()).then(|| p.join("；"))
        };
        change(
            out,
            ("handling.locations", "办理地点和时间"),
            place(old),
            place(new),
        );
        return;
    }
    for (a, b) in o.iter().zip(n) {
        change(
            out,
            ("handling.locations.address", present::label::ADDRESS),
            Some(present::place(a)),
            Some(present::place(b)),
        );
        let hours = |l: &crate::model::Location| l.hours.as_ref().map(|h| h.value.clone());
        let label = if n.len() > 1 {
            format!("{}（{}）", present::label::HOURS, present::place(b))
        } else {
            present::label::HOURS.to_owned()
        };
        change(
            out,
            ("handling.locations.hours", &label),
            hours(a),
            hours(b),
        );
    }
}

/// A change for every label of `old` or `new` whose text differs (the
/// department is told apart, as 实施主体).
/// A 一件事's members added, removed, or made optional or required.
fn members(out: &mut Vec<FieldChange>, old: &Guide, new: &Guide) {
    for m in new
        .linked
        .iter()
        .filter(|m| !old.linked.iter().any(|o| o.id == m.id))
    {
        change(
            out,
            ("bundle.added", "新增成员事项"),
            None,
            Some(present::member_name(m)),
        );
    }
    for m in old
        .linked
        .iter()
        .filter(|m| !new.linked.iter().any(|n| n.id == m.id))
    {
        change(
            out,
            ("bundle.removed", "取消成员事项"),
            Some(present::member_name(m)),
            None,
        );
    }
    for n in &new.linked {
        if let Some(o) = old.linked.iter().find(|o| o.id == n.id)
            && o.optional != n.optional
        {
            change(
                out,
                ("bundle.optional", &format!("成员事项“{}”", n.name)),
                Some(present::member_kind(o).to_owned()),
                Some(present::member_kind(n).to_owned()),
            );
        }
    }
}

fn by_label(out: &mut Vec<FieldChange>, old: &[present::Fact], new: &[present::Fact]) {
    let mut seen: Vec<&str> = Vec::new();
    for f in old.iter().chain(new) {
        let label = f.label.as_str();
        // The department is compared on its own; a 一件事's members member by member.
        if seen.contains(&label)
            || label == present::label::DEPARTMENT
            || label == present::label::LEAD_DEPARTMENT
            || label == present::label::MEMBERS
        {
            continue;
        }
        seen.push(label);
        let find =
            |fs: &[present::Fact]| fs.iter().find(|f| f.label == label).map(|f| f.text.clone());
        let key = old
            .iter()
            .chain(new)
            .find(|f| f.label == label)
            .map_or("", |f| f.key);
        change(out, (key, label), find(old), find(new));
    }
}

/// What changes for citizens from `old` to `new` (one matter), field by field.
pub fn compare(old_p: &Project, old: &Guide, new_p: &Project, new: &Guide) -> Vec<FieldChange> {
    let mut out = Vec::new();
    let text = |s: &crate::model::S<String>| Some(s.value.clone());
    change(
        &mut out,
        ("name", "事项名称"),
        text(&old.name),
        text(&new.name),
    );
    change(
        &mut out,
        ("category", "分类"),
        text(&old.category),
        text(&new.category),
    );
    change(
        &mut out,
        ("department", "实施主体"),
        text(&old.department),
        text(&new.department),
    );

    // The header's facts (codes, kind, level, scope, …), by label.
    by_label(&mut out, &present::facts(old), &present::facts(new));
    members(&mut out, old, new);
    let plain = |g: &Guide, m: &Option<crate::model::S<crate::model::Markdowns>>| {
        m.as_ref().map(|m| match &m.value {
            crate::model::Markdowns::One(t) => crate::markdown::plain(t),
            crate::model::Markdowns::Many(items) => items
                .iter()
                .map(|i| {
                    let text = crate::markdown::plain(&i.text.value);
                    match present::item_scope(g, i) {
                        Some(scope) => format!("{text}（{scope}）"),
                        None => text,
                    }
                })
                .collect::<Vec<_>>()
                .join("；"),
        })
    };
    change(
        &mut out,
        ("conditions", "受理条件"),
        plain(old, &old.conditions),
        plain(new, &new.conditions),
    );
    change(
        &mut out,
        ("refusals", "不予受理情形"),
        plain(old, &old.refusals),
        plain(new, &new.refusals),
    );

    let om = materials(old, &old_p.catalogue, Selection::All);
    let nm = materials(new, &new_p.catalogue, Selection::All);
    let (pairs, removed, added) = pair_materials(&om, &nm, true);
    // A group added or removed says its alternatives too.
    let whole = |g: &Guide, m: &ResolvedMaterial| {
        let mut s = format!("{}（{}）", m.name, describe(g, m));
        if m.is_group() {
            s.push('：');
            s.push_str(&present::alternatives(m).join("；"));
        }
        s
    };
    for m in added {
        change(
            &mut out,
            ("materials.added", "新增材料"),
            None,
            Some(whole(new, m)),
        );
    }
    for m in removed {
        change(
            &mut out,
            ("materials.removed", "取消材料"),
            Some(whole(old, m)),
            None,
        );
    }
    for (o, n) in pairs {
        let label = if o.name == n.name {
            format!("材料“{}”", n.name)
        } else {
            format!("材料“{}”改名", o.name)
        };
        if o.name != n.name {
            change(
                &mut out,
                ("materials.renamed", &label),
                Some(o.name.clone()),
                Some(n.name.clone()),
            );
        }
        let label = format!("材料“{}”", n.name);
        change(
            &mut out,
            ("materials.counts", &label),
            Some(describe(old, o)),
            Some(describe(new, n)),
        );
        // The alternatives of a group: which may now be brought, which no
        // longer, and what is asked of each.
        let (alt_pairs, alt_removed, alt_added) =
            pair_materials(&o.alternatives, &n.alternatives, false);
        for a in alt_added {
            change(
                &mut out,
                (
                    "materials.alternatives.added",
                    &format!("{label}新增可选材料"),
                ),
                None,
                Some(present::alternative(a)),
            );
        }
        for a in alt_removed {
            change(
                &mut out,
                (
                    "materials.alternatives.removed",
                    &format!("{label}取消可选材料"),
                ),
                Some(present::alternative(a)),
                None,
            );
        }
        for (x, y) in alt_pairs {
            change(
                &mut out,
                (
                    "materials.alternatives.changed",
                    &format!("{label}的可选材料“{}”", y.name),
                ),
                Some(present::alternative(x)),
                Some(present::alternative(y)),
            );
        }
        change(
            &mut out,
            ("materials.requirement", &format!("{label}的要求")),
            present::material_detail(o),
            present::material_detail(n),
        );
        change(
            &mut out,
            (
                "materials.required_by",
                &format!("{label}的{}", present::label::REQUIRED_BY),
            ),
            present::required_by(o),
            present::required_by(n),
        );
    }

    let fee = |g: &Guide| present::fees(g).map(|f| f.join("；"));
    change(&mut out, ("fees", "收费"), fee(old), fee(new));
    by_label(
        &mut out,
        &present::time_limits(old),
        &present::time_limits(new),
    );
    let steps = |g: &Guide| {
        Some(
            g.steps
                .iter()
                .map(|s| s.name.value.clone())
                .collect::<Vec<_>>()
                .join(" → "),
        )
    };
    change(&mut out, ("steps", "办理流程"), steps(old), steps(new));
    change(
        &mut out,
        ("handling.visits", "到现场次数"),
        present::visits(old),
        present::visits(new),
    );
    let online = |g: &Guide| {
        let url = present::online_url(g).map(str::to_owned);
        match (url, present::online(g)) {
            (Some(u), Some(x)) => Some(format!("{u}；{x}")),
            (u, x) => u.or(x),
        }
    };
    change(
        &mut out,
        ("handling.channels", "办理形式"),
        present::channels(old),
        present::channels(new),
    );
    change(
        &mut out,
        ("handling.online", "网上办理"),
        online(old),
        online(new),
    );
    change(
        &mut out,
        ("handling.mail", "材料邮寄"),
        present::mail(old),
        present::mail(new),
    );
    place_changes(&mut out, old, new);
    by_label(&mut out, &present::results(old), &present::results(new));
    by_label(
        &mut out,
        &present::remedies(old_p, old),
        &present::remedies(new_p, new),
    );
    by_label(
        &mut out,
        &present::contacts(old_p, old),
        &present::contacts(new_p, new),
    );
    change(
        &mut out,
        ("effective", "施行日期"),
        text(&old.effective),
        text(&new.effective),
    );
    change(
        &mut out,
        ("expires", "失效日期"),
        old.expires.as_ref().map(|e| e.value.clone()),
        new.expires.as_ref().map(|e| e.value.clone()),
    );
    out
}

/// The difference between two loaded, valid projects.
pub fn diff(old: &Project, new: &Project) -> Diff {
    let mut d = Diff::default();
    let by_id = |p: &Project| -> std::collections::BTreeMap<String, usize> {
        p.guides
            .iter()
            .enumerate()
            .map(|(i, g)| (g.guide.id.value.clone(), i))
            .collect()
    };
    let (o, n) = (by_id(old), by_id(new));
    for (id, &j) in &n {
        let g = &new.guides[j].guide;
        match o.get(id) {
            None => d.added.push(MatterRef {
                id: id.clone(),
                name: g.name.value.clone(),
            }),
            Some(&i) => {
                let changes = compare(old, &old.guides[i].guide, new, g);
                if !changes.is_empty() {
                    d.changed.push(ChangedMatter {
                        id: id.clone(),
                        name: g.name.value.clone(),
                        changes,
                    });
                }
            }
        }
    }
    for (id, &i) in &o {
        if !n.contains_key(id) {
            d.removed.push(MatterRef {
                id: id.clone(),
                name: old.guides[i].guide.name.value.clone(),
            });
        }
    }
    d
}

/// “收费：不收费 → 工本费 20元/证”.
pub fn line(c: &FieldChange) -> String {
    // A whole material comes or goes; any other element that is newly
    // stated or no longer stated says so, so “通办范围：全国通办” cannot be
    // read as still in force.
    let whole = matches!(
        c.field,
        "materials.added"
            | "materials.removed"
            | "materials.alternatives.added"
            | "materials.alternatives.removed"
            | "bundle.added"
            | "bundle.removed"
    );
    match (&c.old, &c.new) {
        (None, Some(n)) if whole => format!("{}：{n}", c.label),
        (Some(o), None) if whole => format!("{}：{o}", c.label),
        (None, Some(n)) => format!("{}：（未注明） → {n}", c.label),
        (Some(o), None) => format!("{}：{o} → （未注明）", c.label),
        (Some(o), Some(n)) => format!("{}：{o} → {n}", c.label),
        (None, None) => c.label.clone(),
    }
}

/// Plain text, for a terminal.
pub fn text(d: &Diff) -> String {
    if d.is_empty() {
        return "没有变化。\n".into();
    }
    let mut o = String::new();
    if !d.added.is_empty() {
        o.push_str(&format!("新增事项（{}）\n", d.added.len()));
        for m in &d.added {
            o.push_str(&format!("  + {}（{}）\n", m.name, m.id));
        }
    }
    if !d.removed.is_empty() {
        o.push_str(&format!("取消事项（{}）\n", d.removed.len()));
        for m in &d.removed {
            o.push_str(&format!("  - {}（{}）\n", m.name, m.id));
        }
    }
    if !d.changed.is_empty() {
        o.push_str(&format!("变更事项（{}）\n", d.changed.len()));
        for m in &d.changed {
            o.push_str(&format!("  * {}（{}）\n", m.name, m.id));
            for c in &m.changes {
                o.push_str(&format!("      {}\n", line(c)));
            }
        }
    }
    o
}

/// Markdown, for a merge request or a CI summary.
pub fn markdown(d: &Diff) -> String {
    if d.is_empty() {
        return "没有对群众有影响的变化。\n".into();
    }
    let mut o = String::from("## 政策变更\n");
    let esc = |s: &str| {
        s.replace('|', "\\|")
            .replace('*', "\\*")
            .replace('_', "\\_")
    };
    if !d.added.is_empty() {
        o.push_str(&format!("\n### 新增事项（{}）\n\n", d.added.len()));
        for m in &d.added {
            o.push_str(&format!("- {}（`{}`）\n", esc(&m.name), m.id));
        }
    }
    if !d.removed.is_empty() {
        o.push_str(&format!("\n### 取消事项（{}）\n\n", d.removed.len()));
        for m in &d.removed {
            o.push_str(&format!("- {}（`{}`）\n", esc(&m.name), m.id));
        }
    }
    for m in &d.changed {
        o.push_str(&format!("\n### {}（`{}`）\n\n", esc(&m.name), m.id));
        for c in &m.changes {
            o.push_str(&format!("- {}\n", esc(&line(c))));
        }
    }
    o
}
