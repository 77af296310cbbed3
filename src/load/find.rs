//! Finding a matter the way a clerk or a caller names it: by its id, its
//! Chinese name or an alias — exactly, then a unique part of one — and
//! otherwise suggesting matters, never folder names.

use super::GuideFile;
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
pub fn id_with_file(root: &Path, query: &str) -> bool {
    let id_like = !query.is_empty()
        && query
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    id_like
        && walkdir::WalkDir::new(root.join(super::GUIDES_DIR))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .any(|e| {
                let stem = e.path().file_stem().unwrap_or_default().to_string_lossy();
                stem.split('@').next() == Some(query)
            })
}
