//! Characters the print font cannot draw. A missing glyph would print as an
//! empty box; each is reported at its line and column with its code point.

use crate::diag::{Diagnostic, SourceMap};
use crate::layout::font::FontSet;
use crate::load::Project;
use crate::model::Pos;
use std::collections::BTreeSet;

/// Where `ch` sits in the value starting at `pos`: its own line and column,
/// found in the source text (a value may be quoted or span lines).
fn locate(sources: &SourceMap, file: &str, pos: Pos, ch: char, nth: usize) -> Pos {
    let Some((text, from)) = sources.offset(file, pos) else {
        return pos;
    };
    match text[from..].match_indices(ch).nth(nth) {
        Some((at, _)) => {
            let (line, column) = sources.line_column(file, from + at);
            Pos {
                line,
                column,
                len: 1,
            }
        }
        None => pos,
    }
}

fn check_text(
    missing: &BTreeSet<char>,
    sources: &SourceMap,
    file: &str,
    text: &str,
    pos: Pos,
    out: &mut Vec<Diagnostic>,
) {
    // One diagnostic per value, at its first such character, naming each
    // missing character once.
    let mut chars: Vec<char> = Vec::new();
    let mut first = None;
    for ch in text.chars().filter(|c| missing.contains(c)) {
        first.get_or_insert(ch);
        if !chars.contains(&ch) {
            chars.push(ch);
        }
    }
    let Some(first) = first else {
        return;
    };
    let at = locate(sources, file, pos, first, 0);
    let named: Vec<String> = chars
        .iter()
        .map(|c| format!("“{c}”（U+{:04X}）", *c as u32))
        .collect();
    out.push(
        Diagnostic::error(
            "missing-glyph",
            file,
            Some(at),
            format!("印刷字体里没有字符{}，印出来会是空框", named.join("、")),
        )
        .with_hint("换用常用字或同义写法；生僻字确需印刷时，在 guide.yaml 的 booklet.fonts.fallback 里指定包含该字的字体（如 Noto Sans CJK）"),
    );
}

/// Calls `f` with every printed text of the project: file, text, start.
fn each_text<'a>(project: &'a Project, mut f: impl FnMut(&'a str, &'a str, Pos)) {
    for g in &project.guides {
        for (_, text, pos) in g.guide.texts() {
            f(&g.file, text, pos);
        }
    }
    for e in &project.catalogue.entries {
        for s in [
            Some(&e.name),
            e.issuer.as_ref(),
            e.spec.as_ref(),
            e.note.as_ref(),
            e.criteria.as_ref(),
            e.required_by.as_ref(),
        ]
        .into_iter()
        .chain(e.substitutes.iter().map(Some))
        .flatten()
        {
            f(crate::load::CATALOGUE_FILE, &s.value, s.pos);
        }
    }
    if let Some(c) = &project.config {
        for s in [Some(&c.title), Some(&c.organization), c.edition.as_ref()]
            .into_iter()
            .flatten()
        {
            f(crate::load::CONFIG_FILE, &s.value, s.pos);
        }
        // What the notices print of their settings.
        if let Some(n) = &c.notice {
            for s in [n.issuer.as_ref(), n.legal_clause.as_ref()]
                .into_iter()
                .flatten()
                .chain(n.legal_clauses.values())
            {
                f(crate::load::CONFIG_FILE, &s.value, s.pos);
            }
        }
    }
}

/// Every distinct character the project prints.
pub fn charset(project: &Project) -> BTreeSet<char> {
    // A bit per code point (136 KB): millions of characters are seen, a
    // few thousand distinct; a tree insert per character was a tenth of a
    // second on 1,000 matters, before any page is laid out.
    let mut seen = vec![0u64; (char::MAX as usize >> 6) + 1];
    each_text(project, |_, t, _| {
        for c in t.chars() {
            let i = c as usize;
            seen[i >> 6] |= 1 << (i & 63);
        }
    });
    let mut set = BTreeSet::new();
    for (w, bits) in seen.iter().enumerate() {
        let mut b = *bits;
        while b != 0 {
            let k = b.trailing_zeros() as usize;
            b &= b - 1;
            set.extend(char::from_u32(((w << 6) | k) as u32));
        }
    }
    set
}

/// Every character of the printed data that `fonts` lacks.
pub fn check(project: &Project, fonts: &FontSet) -> Vec<Diagnostic> {
    // Each distinct character is asked of the font once.
    let missing: BTreeSet<char> = charset(project)
        .into_iter()
        .filter(|c| *c != '\n' && *c != '\r' && !fonts.has(*c))
        .collect();
    let mut out = Vec::new();
    if !missing.is_empty() {
        each_text(project, |file, text, pos| {
            check_text(&missing, &project.sources, file, text, pos, &mut out)
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bitmap gives every distinct character of the data, those beyond
    /// the Basic Multilingual Plane (𠮷) and at its edges included.
    #[test]
    fn the_charset_is_every_distinct_character_of_the_data() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("guides");
        for e in walkdir::WalkDir::new(&root) {
            let e = e.unwrap();
            let to = dir.path().join(e.path().strip_prefix(&root).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
        // A matter's name with characters at the ends of the ranges.
        let file = walkdir::WalkDir::new(dir.path().join("guides"))
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().is_some_and(|x| x == "yaml"))
            .unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        let name = text.lines().find(|l| l.starts_with("name: ")).unwrap();
        let renamed = text.replacen(name, &format!("{name}𠮷~\u{fffd}\u{10ffff}"), 1);
        std::fs::write(file.path(), renamed).unwrap();
        let (p, diagnostics) = crate::load::load(dir.path()).unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let mut naive = BTreeSet::new();
        each_text(&p, |_, t, _| naive.extend(t.chars()));
        let set = charset(&p);
        assert!(set.contains(&'𠮷') && set.contains(&'\u{10ffff}') && set.contains(&'~'));
        assert_eq!(set, naive);
    }
}
