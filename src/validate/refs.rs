//! References: catalogue `ref`s, situations named in `when`, and what is
//! defined but never used.

use super::{Context, at};
use crate::diag::{Diagnostic, nearest};
use crate::load::CATALOGUE_FILE;
use crate::model::{MaterialEntry, Pos, S};
use std::collections::HashSet;

/// Keys a `ref` entry may not redefine, with their positions.
fn redefined(e: &MaterialEntry) -> Vec<(&'static str, Pos)> {
    let mut v = e.material_keys();
    v.retain(|(k, _)| !crate::model::REF_OVERRIDES.contains(k));
    v
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let catalogue = &cx.project.catalogue;
    let mut used: HashSet<&str> = HashSet::new();
    for g in &cx.project.guides {
        let file = g.file.as_str();
        // A 一件事's own materials may name its members' situations.
        let situations: Vec<&str> = g
            .guide
            .all_situations()
            .map(|s| s.id.value.as_str())
            .collect();
        let mut used_situations: HashSet<&str> = HashSet::new();
        // A group's alternatives are materials too: their refs resolve.
        let entries = g
            .guide
            .materials
            .iter()
            .flat_map(|m| std::iter::once(m).chain(m.value.alternatives()));
        for m in entries {
            let e = &m.value;
            // What a group may not carry (`ref` among it) is said by the
            // `one_of` rules.
            if e.one_of.is_some() {
                continue;
            }
            match &e.reference {
                Some(r) => {
                    used.insert(&r.value);
                    if catalogue.get(&r.value).is_none() {
                        let near = nearest(&r.value, catalogue.ids());
                        let d = Diagnostic::error(
                            "unknown-ref",
                            file,
                            at(r),
                            format!("材料目录里没有 `{}`", r.value),
                        );
                        out.push(if near.is_empty() {
                            d.with_hint(format!(
                                "先在 {CATALOGUE_FILE} 里定义它，或改为内联写出 `name` 和 `form`"
                            ))
                        } else {
                            d.with_hint(format!(
                                "你是不是想写 {}？",
                                near.iter()
                                    .map(|n| format!("`{n}`"))
                                    .collect::<Vec<_>>()
                                    .join("、")
                            ))
                        });
                    }
                    for (key, pos) in redefined(e) {
                        out.push(
                            Diagnostic::error(
                                "ref-redefines",
                                file,
                                Some(pos),
                                format!("引用目录材料 `{}` 时不能再写 `{key}`", r.value),
                            )
                            .with_hint(format!(
                                "引用时只能改 `originals`、`copies`、`necessity`、`note`、`when`、`produced_by`；\
                                 要改 `{key}` 请改 {CATALOGUE_FILE}，或去掉 `ref` 改为内联定义"
                            )),
                        );
                    }
                }
                None => {
                    // A group without a name: see `one_of`.
                    if e.name.is_none() && e.one_of.is_none() {
                        out.push(
                            Diagnostic::error(
                                "missing-field",
                                file,
                                Some(Pos::of(m)),
                                "材料缺少 `name`（或用 `ref` 引用材料目录）".to_owned(),
                            )
                            .with_hint(
                                "写 `name: 材料名称` 和 `form: 原件`，或 `ref: 目录里的材料 id`",
                            ),
                        );
                    }
                }
            }
        }
        for m in &g.guide.materials {
            let e = &m.value;
            if e.when.as_ref().is_some_and(|w| w.is_empty()) {
                out.push(
                    Diagnostic::warning(
                        "empty-when",
                        file,
                        Some(Pos::of(m)),
                        "`when: []` 没有列出情形，等于所有情形都要".into(),
                    )
                    .with_hint("所有情形都要就删去 `when`；只在某些情形要就写上情形 id"),
                );
            }
            for w in e.when() {
                used_situations.insert(&w.value);
                if !situations.contains(&w.value.as_str()) {
                    out.push(unknown_situation(file, w, &situations));
                }
            }
        }
        // Conditions and refusals for some situations only.
        for c in [&g.guide.conditions, &g.guide.refusals]
            .into_iter()
            .flatten()
        {
            if let crate::model::Markdowns::Many(items) = &c.value {
                for w in items.iter().flat_map(|i| &i.when) {
                    used_situations.insert(&w.value);
                    if !situations.contains(&w.value.as_str()) {
                        out.push(unknown_situation(file, w, &situations));
                    }
                }
            }
        }
        // Materials the decoder had to drop cannot be said to leave a
        // situation unused.
        let materials_dropped = cx.project.sources.was_removed(file, "materials");
        for s in g.guide.situations.iter().filter(|_| !materials_dropped) {
            if !used_situations.contains(s.id.value.as_str()) {
                out.push(
                    Diagnostic::warning(
                        "unused-situation",
                        file,
                        at(&s.id),
                        format!(
                            "情形 `{}`（{}）没有被任何材料的 `when` 用到",
                            s.id.value, s.label.value
                        ),
                    )
                    .with_hint("在需要它的材料上加 `when: [...]`，或删去这个情形"),
                );
            }
        }
    }
    for e in &catalogue.entries {
        if cx.project.incomplete {
            break;
        }
        if !used.contains(e.id.value.as_str()) {
            out.push(
                Diagnostic::warning(
                    "unused-material",
                    CATALOGUE_FILE,
                    at(&e.id),
                    format!(
                        "目录材料 `{}`（{}）没有被任何事项引用",
                        e.id.value, e.name.value
                    ),
                )
                .with_hint("在事项的 `materials` 里用 `ref` 引用它，或从目录中删去"),
            );
        }
    }
}

fn unknown_situation(file: &str, w: &S<String>, situations: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(
        "unknown-situation",
        file,
        at(w),
        format!("本事项没有定义情形 `{}`", w.value),
    );
    if situations.is_empty() {
        return d
            .with_hint("先在 `situations` 里定义情形：`- {id: minor, label: 申请人未满16周岁}`");
    }
    let near = nearest(&w.value, situations.iter().copied());
    let list = situations
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join("、");
    match near.first() {
        Some(n) => d.with_hint(format!("你是不是想写 `{n}`？本事项的情形：{list}")),
        None => d.with_hint(format!("本事项的情形：{list}")),
    }
}
