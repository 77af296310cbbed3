//! Ids: pattern, equal to the file stem, unique.

use super::{Context, at, is_valid_id};
use crate::diag::Diagnostic;
use crate::load::CATALOGUE_FILE;
use crate::model::{Pos, S};
use std::collections::HashMap;

/// Names Windows reserves for devices, in any case and with any extension:
/// `notices/con.pdf` cannot be created or opened there.
pub fn is_windows_reserved(id: &str) -> bool {
    let base = id.split('.').next().unwrap_or(id).to_ascii_lowercase();
    matches!(base.as_str(), "con" | "prn" | "aux" | "nul")
        || (base.len() == 4
            && (base.starts_with("com") || base.starts_with("lpt"))
            && base.as_bytes()[3].is_ascii_digit()
            && base.as_bytes()[3] != b'0')
}

fn pattern(file: &str, id: &S<String>, what: &str, out: &mut Vec<Diagnostic>) -> bool {
    if is_windows_reserved(&id.value) {
        out.push(
            Diagnostic::error(
                "invalid-id",
                file,
                at(id),
                format!(
                    "{what} `{}` 是 Windows 保留的设备名，不能用作文件名",
                    id.value
                ),
            )
            .with_hint(format!("换一个 id，例如 `{}-matter`", id.value)),
        );
        return false;
    }
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

/// `category_id`: a valid id, one per category, and not another
/// category's.
fn category_ids(cx: &Context, out: &mut Vec<Diagnostic>) {
    // category → (its id, where it was first written)
    let mut seen: Vec<(&str, &str, &str, Pos)> = Vec::new();
    for g in &cx.project.guides {
        let Some(id) = &g.guide.category_id else {
            continue;
        };
        if !pattern(&g.file, id, "分类网址名", out) {
            continue;
        }
        let category = g.guide.category.value.as_str();
        let clash = seen.iter().find(|(c, i, _, _)| {
            (*c == category && *i != id.value) || (*c != category && *i == id.value)
        });
        match clash {
            Some(&(c, i, file, pos)) => {
                let message = if c == category {
                    format!(
                        "分类 `{c}` 的 `category_id` 已写作 `{i}`，这里写的是 `{}`",
                        id.value
                    )
                } else {
                    format!("`category_id` `{i}` 已是分类 `{c}` 的网址名")
                };
                out.push(
                    Diagnostic::error("category-id", &g.file, at(id), message).with_hint(format!(
                        "见 {file}:{}；一个分类一个网址名，同一分类的事项写一个即可",
                        pos.line
                    )),
                );
            }
            None => {
                if !seen.iter().any(|(c, _, _, _)| *c == category) {
                    seen.push((category, &id.value, &g.file, Pos::of(id)));
                }
            }
        }
    }
}

/// Two matters under one 实施编码 (and the same 业务办理项编码, or none):
/// a copied file whose code was not changed. Versions of one matter share
/// their codes.
fn duplicate_codes(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(String, Option<String>), (&str, &str, Pos)> = HashMap::new();
    for g in &cx.project.guides {
        let m = &g.guide;
        let codes = m.codes.as_ref();
        let Some(code) = codes
            .and_then(|c| c.implementation.as_ref())
            .or(m.code.as_ref())
        else {
            continue;
        };
        let item = codes
            .and_then(|c| c.item.as_ref())
            .map(|i| i.value.trim().to_owned());
        let key = (code.value.trim().to_owned(), item);
        match seen.get(&key) {
            Some(&(id, file, pos)) if id != m.id.value => out.push(
                Diagnostic::error(
                    "duplicate-code",
                    &g.file,
                    at(code),
                    format!("实施编码 {} 已是另一个事项（{id}）的编码", key.0),
                )
                .with_hint(format!(
                    "见 {file}:{}；复制事项文件后要改成本事项自己的编码（同一编码下的不同办理项写 `codes.item`）",
                    pos.line
                )),
            ),
            Some(_) => {}
            None => {
                seen.insert(key, (&m.id.value, &g.file, Pos::of(code)));
            }
        }
    }
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    duplicate_codes(cx, out);
    category_ids(cx, out);
    // Versions of one matter share its id: (id, effective) must be unique.
    let mut seen: HashMap<(&str, &str), (&str, Pos)> = HashMap::new();
    for g in &cx.project.guides {
        let id = &g.guide.id;
        let (base, version) = match g.stem.split_once('@') {
            Some((b, v)) => (b, Some(v)),
            None => (g.stem.as_str(), None),
        };
        if let Some(v) = version
            && v != g.guide.effective.value
        {
            out.push(
                Diagnostic::error(
                    "version-date",
                    &g.file,
                    at(&g.guide.effective),
                    format!(
                        "文件名表明这一版自 {v} 起施行，但 `effective` 是 {}",
                        g.guide.effective.value
                    ),
                )
                .with_hint(format!(
                    "新版本文件命名为 `{base}@施行日期.yaml`，与 `effective` 相同"
                )),
            );
        }
        if pattern(&g.file, id, "事项 id", out) && id.value != base {
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
        let key = (id.value.as_str(), g.guide.effective.value.as_str());
        if let Some((file, pos)) = seen.get(&key) {
            out.push(
                Diagnostic::error(
                    "duplicate-id",
                    &g.file,
                    at(id),
                    format!("事项 id `{}` 重复", id.value),
                )
                .with_hint(format!(
                    "已在 {file}:{} 使用；每个事项的 id 必须唯一（新版本另起文件 `{}@施行日期.yaml`，施行日期不同）",
                    pos.line, id.value
                )),
            );
        } else {
            seen.insert(key, (&g.file, Pos::of(id)));
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
    overlaps(cx, out);
    // Two matters with one name: a citizen cannot tell them apart.
    let mut names: HashMap<&str, (&str, &str)> = HashMap::new();
    for g in &cx.project.guides {
        let name = g.guide.name.value.as_str();
        match names.get(name) {
            Some((file, id)) if *id != g.guide.id.value => out.push(
                Diagnostic::warning(
                    "duplicate-name",
                    &g.file,
                    at(&g.guide.name),
                    format!("事项名称“{name}”与 {file} 相同"),
                )
                .with_hint("群众和窗口都靠名称区分事项：把名称写得能区分开"),
            ),
            Some(_) => {}
            None => {
                names.insert(name, (&g.file, &g.guide.id.value));
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

/// Versions of one matter follow each other: an earlier version ends when
/// the next takes effect; if it says it expires later, the two overlap.
fn overlaps(cx: &Context, out: &mut Vec<Diagnostic>) {
    let mut by_id: std::collections::BTreeMap<&str, Vec<&crate::load::GuideFile>> =
        Default::default();
    for g in &cx.project.guides {
        by_id.entry(g.guide.id.value.as_str()).or_default().push(g);
    }
    for versions in by_id.values_mut().filter(|v| v.len() > 1) {
        versions.sort_by(|a, b| a.guide.effective.value.cmp(&b.guide.effective.value));
        for pair in versions.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if let Some(e) = &a.guide.expires
                && e.value > b.guide.effective.value
            {
                out.push(
                    Diagnostic::error(
                        "versions-overlap",
                        &a.file,
                        at(e),
                        format!(
                            "这一版到 {} 才失效，但 {} 的新版本自 {} 起施行：两版同时有效",
                            e.value, b.file, b.guide.effective.value
                        ),
                    )
                    .with_hint(
                        "删去 `expires`（旧版在新版施行时自动停止），或改为不晚于新版的施行日期",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn windows_device_names_are_reserved() {
        for id in ["con", "nul", "aux", "prn", "com1", "lpt9", "CON", "nul.txt"] {
            assert!(super::is_windows_reserved(id), "{id}");
        }
        for id in ["console", "com", "com0", "null", "aux-1", "lpt10"] {
            assert!(!super::is_windows_reserved(id), "{id}");
        }
    }
}
