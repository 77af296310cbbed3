//! Ids: pattern, equal to the file stem, unique.

use super::{Context, at, is_valid_id};
use crate::diag::Diagnostic;
use crate::load::CATALOGUE_FILE;
use crate::model::{Pos, S};
use std::collections::HashMap;

fn pattern(file: &str, id: &S<String>, what: &str, out: &mut Vec<Diagnostic>) -> bool {
    if is_valid_id(&id.value) {
        return true;
    }
    out.push(
        Diagnostic::error(
            "invalid-id",
            file,
            at(id),
            format!("{what} `{}` 不合规则", id.value),
        )
        .with_hint("只用小写英文字母、数字和连字符“-”，以字母或数字开头，例如 `passport-renewal`"),
    );
    false
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, (&str, Pos)> = HashMap::new();
    for g in &cx.project.guides {
        let id = &g.guide.id;
        if pattern(&g.file, id, "事项 id", out) && id.value != g.stem {
            out.push(
                Diagnostic::error(
                    "id-mismatch",
                    &g.file,
                    at(id),
                    format!("id `{}` 与文件名 `{}` 不一致", id.value, g.stem),
                )
                .with_hint(format!(
                    "把 id 改成 `{}`，或把文件改名为 `{}.yaml`",
                    g.stem, id.value
                )),
            );
        }
        if let Some((file, pos)) = seen.get(id.value.as_str()) {
            out.push(
                Diagnostic::error(
                    "duplicate-id",
                    &g.file,
                    at(id),
                    format!("事项 id `{}` 重复", id.value),
                )
                .with_hint(format!(
                    "已在 {file}:{} 使用；每个事项的 id 必须唯一",
                    pos.line
                )),
            );
        } else {
            seen.insert(&id.value, (&g.file, Pos::of(id)));
        }
        let mut situations: HashMap<&str, Pos> = HashMap::new();
        for s in &g.guide.situations {
            pattern(&g.file, &s.id, "情形 id", out);
            if let Some(first) = situations.insert(&s.id.value, Pos::of(&s.id)) {
                out.push(
                    Diagnostic::error(
                        "duplicate-id",
                        &g.file,
                        at(&s.id),
                        format!("情形 id `{}` 重复", s.id.value),
                    )
                    .with_hint(format!("第 {} 行已定义", first.line)),
                );
            }
        }
    }
    let mut catalogue: HashMap<&str, Pos> = HashMap::new();
    for e in &cx.project.catalogue.entries {
        pattern(CATALOGUE_FILE, &e.id, "材料 id", out);
        if let Some(first) = catalogue.insert(&e.id.value, Pos::of(&e.id)) {
            out.push(
                Diagnostic::error(
                    "duplicate-id",
                    CATALOGUE_FILE,
                    at(&e.id),
                    format!("材料 id `{}` 重复", e.id.value),
                )
                .with_hint(format!("第 {} 行已定义", first.line)),
            );
        }
    }
}
