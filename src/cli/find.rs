//! Finding a matter the way a clerk or a caller names it: by its id, its
//! Chinese name or an alias — exactly, then a unique part of one — and
//! otherwise suggesting matters, never folder names.

use super::EXIT_USAGE;
use crate::load::GuideFile;
use std::path::Path;

/// What a query names.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// One matter: its id.
    One(String),
    /// A part of several matters' names: “name（id）” of each.
    Several(Vec<String>),
    /// None; the nearest matters as “name（id）”.
    None(Vec<String>),
}

/// “居住证申领（residence-permit）”.
fn label(g: &GuideFile) -> String {
    format!("{}（{}）", g.guide.name.value, g.guide.id.value)
}

/// The names a matter is known by: its id, name and aliases.
fn names(g: &GuideFile) -> impl Iterator<Item = &str> {
    let g = &g.guide;
    [g.id.value.as_str(), g.name.value.as_str()]
        .into_iter()
        .chain(g.aliases.iter().map(|a| a.value.as_str()))
}

/// Looks `query` up among `guides`: the same id, name or alias; else the one
/// matter of which it is a part of the name or an alias; else suggestions.
pub fn find(guides: &[GuideFile], query: &str) -> Found {
    let q = query.trim();
    let exact: Vec<&GuideFile> = guides.iter().filter(|g| names(g).any(|n| n == q)).collect();
    if let [one] = exact[..] {
        return Found::One(one.guide.id.value.clone());
    }
    if exact.len() > 1 {
        return Found::Several(exact.into_iter().map(label).collect());
    }
    let partial: Vec<&GuideFile> = if q.is_empty() {
        Vec::new()
    } else {
        guides
            .iter()
            .filter(|g| names(g).skip(1).any(|n| n.contains(q)))
            .collect()
    };
    match partial[..] {
        [one] => return Found::One(one.guide.id.value.clone()),
        [_, _, ..] => return Found::Several(partial.into_iter().map(label).collect()),
        [] => {}
    }
    let all: Vec<&str> = guides.iter().flat_map(names).collect();
    let near = crate::diag::nearest(q, all.iter().copied());
    let mut out: Vec<String> = Vec::new();
    for n in near {
        if let Some(g) = guides.iter().find(|g| names(g).any(|x| x == n)) {
            let l = label(g);
            if !out.contains(&l) {
                out.push(l);
            }
        }
    }
    Found::None(out)
}

/// Whether `query` could be a matter id whose file exists: then only that
/// file need be read.
fn id_with_file(root: &Path, query: &str) -> bool {
    let id_like = !query.is_empty()
        && query
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    id_like
        && walkdir::WalkDir::new(root.join(crate::load::GUIDES_DIR))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .any(|e| {
                let stem = e.path().file_stem().unwrap_or_default().to_string_lossy();
                stem.split('@').next() == Some(query)
            })
}

/// The id of the matter `query` names, or the exit code after saying why
/// there is none (or more than one).
pub fn matter_id(project: Option<&Path>, query: &str) -> anyhow::Result<Result<String, u8>> {
    let root = crate::load::find_root(project)?;
    if id_with_file(&root, query) {
        return Ok(Ok(query.to_owned()));
    }
    // Names need every matter; a mistake in another file is `check`'s
    // business, not a reason to refuse the phone line.
    let (mut p, _) = crate::load::load(&root)?;
    p.in_force(crate::date::Date::today());
    match find(&p.guides, query) {
        Found::One(id) => Ok(Ok(id)),
        Found::Several(list) => {
            eprintln!("“{query}”可能是这几个事项，请写出完整名称或 id：");
            for l in list {
                eprintln!("  {l}");
            }
            Ok(Err(EXIT_USAGE))
        }
        Found::None(near) => {
            if let Found::One(id) = find(&p.future, query) {
                return Ok(Ok(id));
            }
            eprintln!("没有名为“{query}”的事项（按 id、名称和别名查找）");
            if !near.is_empty() {
                eprintln!("你是不是想找：{}", near.join("、"));
            }
            eprintln!("用 `guide list` 查看全部事项");
            Ok(Err(EXIT_USAGE))
        }
    }
}
