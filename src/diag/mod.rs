//! Diagnostics for guide authors: severity, a stable code, a Chinese message,
//! file:line:col, the source line with a caret placed by display width, and a
//! hint. Collected in full, then rendered for a terminal or as JSON.

mod render;
mod source_map;

pub use render::{render_human, render_json};
pub use source_map::SourceMap;

use crate::model::Pos;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case (`unknown-field`); CI may filter on it.
    pub code: &'static str,
    /// Simplified Chinese, names in backticks.
    pub message: String,
    /// Path relative to the project root, `/`-separated.
    pub file: String,
    /// Where; `None` for a problem of the whole file.
    pub pos: Option<Pos>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: &str, pos: Option<Pos>, message: String) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message,
            file: file.to_owned(),
            pos,
            hint: None,
        }
    }

    pub fn warning(code: &'static str, file: &str, pos: Option<Pos>, message: String) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, pos, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts by file, line, column, then code, so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (
            &a.file,
            a.pos.map(|p| (p.line, p.column)),
            a.code,
            &a.message,
        )
            .cmp(&(
                &b.file,
                b.pos.map(|p| (p.line, p.column)),
                b.code,
                &b.message,
            ))
    });
}

/// Removes exact repeats after [`sort`] (the same problem reached twice, e.g.
/// through a YAML alias, is told once).
pub fn dedup(diags: &mut Vec<Diagnostic>) {
    diags.dedup();
}

/// The closest candidates to `word` by edit distance, best first.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| {
            // An abbreviation (`dept` for `department`) is as good as a typo.
            let prefix = word.chars().count() >= 3
                && word.chars().next() == c.chars().next()
                && is_subsequence(word, c);
            let score = strsim::normalized_damerau_levenshtein(word, c);
            (if prefix { score.max(0.75) } else { score }, c)
        })
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().map(|(_, c)| c).take(3).collect()
}

/// Whether the characters of `short` appear in `long` in order.
fn is_subsequence(short: &str, long: &str) -> bool {
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|l| l == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_knows_typos_and_abbreviations() {
        let keys = ["department", "category", "name"];
        assert_eq!(nearest("departmnt", keys), vec!["department"]);
        assert_eq!(nearest("dept", keys), vec!["department"]);
        assert!(nearest("zzz", keys).is_empty());
    }
}
