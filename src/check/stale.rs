//! `guide check --since REV`: a matter whose content changed since `REV`
//! but whose `changelog` did not keeps an old “本页更新于” date and stays out
//! of the site's 最近变更 — a warning names it.

use crate::diag::Diagnostic;
use crate::load::{CATALOGUE_FILE, GuideFile, Project};
use crate::model::Pos;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// A file's YAML as plain data (comments and layout do not count), if it
/// exists and decodes.
fn data(root: &Path, file: &str) -> Option<Value> {
    let bytes = std::fs::read(root.join(file)).ok()?;
    let text = crate::load::decode_text(bytes, file).ok()?;
    crate::load::decode::<Value>(&text, file).value
}

/// Catalogue entries by id.
fn catalogue(root: &Path) -> BTreeMap<String, Value> {
    let Some(Value::Array(entries)) = data(root, CATALOGUE_FILE) else {
        return BTreeMap::new();
    };
    entries
        .into_iter()
        .filter_map(|e| Some((e.get("id")?.as_str()?.to_owned(), e)))
        .collect()
}

/// Every `ref` under `v` (materials, `one_of` groups).
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// Whether `g`'s content (its own data but the changelog, and the catalogue
/// entries it refers to) differs between the two versions, while its
/// changelog stayed the same.
fn stale(
    g: &GuideFile,
    (old_root, old_cat): (&Path, &BTreeMap<String, Value>),
    (new_root, new_cat): (&Path, &BTreeMap<String, Value>),
) -> bool {
    let (Some(mut old), Some(mut new)) = (data(old_root, &g.file), data(new_root, &g.file)) else {
        return false;
    };
    let take = |v: &mut Value, key: &str| v.as_object_mut().and_then(|m| m.remove(key));
    let (old_log, new_log) = (take(&mut old, "changelog"), take(&mut new, "changelog"));
    if old_log != new_log {
        return false;
    }
    // Without a changelog the page dates from `effective`: a new date is
    // an update of its own.
    if new_log.is_none() && old.get("effective") != new.get("effective") {
        return false;
    }
    let mut ids = Vec::new();
    refs(&new, &mut ids);
    old != new || ids.iter().any(|id| old_cat.get(id) != new_cat.get(id))
}

/// A warning for each matter file changed since `rev` (unpacked at
/// `old_root`) without a new changelog entry.
pub fn changelog_not_updated(p: &Project, old_root: &Path, rev: &str) -> Vec<Diagnostic> {
    let (old_cat, new_cat) = (catalogue(old_root), catalogue(&p.root));
    p.guides
        .iter()
        .filter(|g| stale(g, (old_root, &old_cat), (&p.root, &new_cat)))
        .map(|g| {
            let at = g
                .guide
                .changelog
                .first()
                .map_or(Pos::of(&g.guide.effective), |c| Pos::of(&c.date));
            Diagnostic::warning(
                "changelog-not-updated",
                &g.file,
                Some(at),
                format!(
                    "`{}` 与 `{rev}` 相比内容有改动，但 `changelog` 没有新的一条：网站上的“本页更新于”仍是旧日期，“最近变更”里也没有这次修改",
                    g.guide.id.value
                ),
            )
            .with_hint(
                "在 `changelog` 最前面加一条，如 `- {date: 2026-06-01, change: 办结时限缩短为5个工作日}`，用群众看得懂的话写改了什么；只改错别字、不影响办事的，可以不管这条警告",
            )
        })
        .collect()
}
