//! `one_of` groups: a group has a name and at least two alternatives, no
//! group sits inside a group, each key is where it means something (the
//! group's `when`, `necessity`, `note`; the alternatives' form and counts),
//! and an alternative is not also asked for on its own.

use super::Context;
use crate::diag::Diagnostic;
use crate::model::resolve::Catalogue;
use crate::model::{MaterialEntry, Pos};

/// The keys written on `e` that a group may not carry, with positions.
fn group_keys(e: &MaterialEntry) -> Vec<(&'static str, Pos)> {
    let mut v = e.material_keys();
    v.retain(|(k, _)| !crate::model::GROUP_KEYS.contains(k));
    if let Some(r) = &e.reference {
        v.insert(0, ("ref", Pos::of(r)));
    }
    v
}

/// What a material is called, for comparing an alternative with the
/// materials listed on their own: its catalogue id, else its name.
fn key(e: &MaterialEntry, catalogue: &Catalogue) -> Option<(String, String)> {
    if let Some(r) = &e.reference {
        let name = catalogue.get(&r.value)?.name.value.clone();
        return Some((format!("ref:{}", r.value), name));
    }
    let name = e.name.as_ref()?.value.clone();
    Some((format!("name:{name}"), name))
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let catalogue = &cx.project.catalogue;
    for g in &cx.project.guides {
        let file = g.file.as_str();
        // Materials listed on their own: key -> line.
        let alone: Vec<((String, String), u32)> = g
            .guide
            .materials
            .iter()
            .filter(|m| m.value.one_of.is_none())
            .filter_map(|m| Some((key(&m.value, catalogue)?, Pos::of(m).line)))
            .collect();
        for m in &g.guide.materials {
            let e = &m.value;
            let Some(group) = &e.one_of else {
                continue;
            };
            let label = e
                .name
                .as_ref()
                .map_or_else(|| "（未命名）".to_owned(), |n| format!("“{}”", n.value));
            if e.name.is_none() {
                out.push(
                    Diagnostic::error(
                        "missing-field",
                        file,
                        Some(Pos::of(m)),
                        "材料组（`one_of`）缺少 `name`".to_owned(),
                    )
                    .with_hint("写 `name: 身份证明` 之类：它是这一组在材料清单和告知单上的名称"),
                );
            }
            let n = group.value.len();
            if n < 2 {
                out.push(
                    Diagnostic::error(
                        "one-of-too-few",
                        file,
                        Some(Pos::of(group)),
                        format!("材料组{label}只有 {n} 项可选材料，至少要两项"),
                    )
                    .with_hint("只有一种材料就不必分组：去掉 `one_of`，直接写成一项材料"),
                );
            }
            for (k, pos) in group_keys(e) {
                out.push(
                    Diagnostic::error(
                        "one-of-key",
                        file,
                        Some(pos),
                        format!("材料组{label}不能写 `{k}`"),
                    )
                    .with_hint(format!(
                        "材料组只写 `name`、`when`、`necessity`、`note` 和 `one_of`；`{k}` 写在 `one_of` 里的各项材料上"
                    )),
                );
            }
            for a in &group.value {
                let alt = &a.value;
                if alt.one_of.is_some() {
                    out.push(
                        Diagnostic::error(
                            "one-of-nested",
                            file,
                            Some(Pos::of(a)),
                            format!("材料组{label}里又套了一个材料组"),
                        )
                        .with_hint("材料组不能嵌套：把里面的各项材料直接列在外层的 `one_of` 里"),
                    );
                }
                let misplaced = [
                    (
                        "when",
                        alt.when
                            .as_ref()
                            .map(|w| w.first().map_or(Pos::of(a), Pos::of)),
                    ),
                    ("necessity", alt.necessity.as_ref().map(Pos::of)),
                ];
                for (k, pos) in misplaced {
                    if let Some(pos) = pos {
                        out.push(
                            Diagnostic::error(
                                "one-of-key",
                                file,
                                Some(pos),
                                format!("材料组{label}里的可选材料不能写 `{k}`"),
                            )
                            .with_hint(format!(
                                "`{k}` 对整组适用：写在材料组上（与 `name`、`one_of` 同级）"
                            )),
                        );
                    }
                }
                let source = alt.source.as_ref().map(|s| s.value).or_else(|| {
                    let id = &alt.reference.as_ref()?.value;
                    catalogue.get(id)?.source.as_ref().map(|s| s.value)
                });
                if source == Some(crate::model::Source::Produced) {
                    out.push(
                        Diagnostic::error(
                            "one-of-produced",
                            file,
                            Some(Pos::of(a)),
                            format!("材料组{label}里有一项是办理过程中生成的材料"),
                        )
                        .with_hint("办理过程中生成的材料由窗口产生，申请人无从选择：把它从 `one_of` 里拿出来，单独列为一项"),
                    );
                }
                let Some((k, name)) = key(alt, catalogue) else {
                    continue;
                };
                if let Some((_, line)) = alone.iter().find(|((x, _), _)| *x == k) {
                    out.push(
                        Diagnostic::warning(
                            "one-of-also-listed",
                            file,
                            Some(Pos::of(a)),
                            format!(
                                "“{name}”是材料组{label}的可选材料，又在第 {line} 行单独列为一项材料"
                            ),
                        )
                        .with_hint(
                            "单独列出就是一定要交，“任选其一”便落空，窗口还会要两次：删去其中一处；只在某些情形单独要的，用 `when` 写清",
                        ),
                    );
                }
            }
        }
    }
}
