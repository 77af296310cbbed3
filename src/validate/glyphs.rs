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
    let mut set = BTreeSet::new();
    each_text(project, |_, t, _| set.extend(t.chars()));
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
