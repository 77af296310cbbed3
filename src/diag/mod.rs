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

/// A character no guide text may hold: C0 and C1 controls (but tab, line
/// feed and carriage return) and the bidi embeddings, overrides and
/// isolates that make text read other than it is stored (U+202A–202E,
/// U+2066–2069).
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` as it may go to a terminal: control characters (but newline and
/// tab) and bidi overrides shown as `\u{1b}`, never sent raw, so no data
/// can move the cursor, clear the screen or reverse what a clerk reads.
pub fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c == '\r' || is_forbidden_char(c);
    if !text.chars().any(bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// How many diagnostics of one code one file shows; a file that repeats a
/// mistake a thousand times gets one line for the rest.
pub const MAX_PER_CODE: usize = 50;

/// Keeps the first [`MAX_PER_CODE`] diagnostics of each code in each file
/// (after [`sort`]); each group cut short ends with one line that counts
/// the rest.
pub fn capped(diags: &[Diagnostic]) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for d in diags {
        *seen.entry((d.file.as_str(), d.code)).or_default() += 1;
    }
    let mut shown: HashMap<(&str, &str), usize> = HashMap::new();
    let mut out = Vec::with_capacity(diags.len().min(4096));
    for d in diags {
        let key = (d.file.as_str(), d.code);
        let n = shown.entry(key).or_default();
        *n += 1;
        if *n <= MAX_PER_CODE {
            out.push(d.clone());
        }
        let total = seen[&key];
        if *n == MAX_PER_CODE + 1 {
            out.push(Diagnostic {
                pos: None,
                hint: None,
                message: format!(
                    "同一文件里还有 {} 处同样的问题（`{}`），只显示了前 {MAX_PER_CODE} 处",
                    total - MAX_PER_CODE,
                    d.code
                ),
                ..d.clone()
            });
        }
    }
    out
}

/// The closest candidates to `word` by edit distance, best first.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    // Edit distance is quadratic: a pasted paragraph is no typo of a key.
    if word.chars().count() > 64 {
        return Vec::new();
    }
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
    fn terminal_output_never_carries_control_bytes() {
        assert_eq!(terminal_safe("张三\t1\n"), "张三\t1\n");
        assert_eq!(
            terminal_safe("张\u{1b}[2J三\u{202e}"),
            "张\\u{1b}[2J三\\u{202e}"
        );
        assert_eq!(terminal_safe("a\rb\u{9b}"), "a\\u{d}b\\u{9b}");
    }

    #[test]
    fn a_mistake_repeated_is_shown_fifty_times_then_counted() {
        let mut v: Vec<Diagnostic> = (1..=120)
            .map(|l| Diagnostic::error("control-char", "a.yaml", Some(Pos::at(l, 1)), "x".into()))
            .collect();
        v.push(Diagnostic::error(
            "other",
            "a.yaml",
            Some(Pos::at(1, 1)),
            "y".into(),
        ));
        v.push(Diagnostic::error(
            "control-char",
            "b.yaml",
            Some(Pos::at(1, 1)),
            "x".into(),
        ));
        sort(&mut v);
        let c = capped(&v);
        assert_eq!(c.len(), MAX_PER_CODE + 1 + 2);
        let summary: Vec<_> = c.iter().filter(|d| d.pos.is_none()).collect();
        assert_eq!(summary.len(), 1);
        assert!(
            summary[0].message.contains("还有 70 处"),
            "{}",
            summary[0].message
        );
    }

    #[test]
    fn nearest_knows_typos_and_abbreviations() {
        let keys = ["department", "category", "name"];
        assert_eq!(nearest("departmnt", keys), vec!["department"]);
        assert_eq!(nearest("dept", keys), vec!["department"]);
        assert!(nearest("zzz", keys).is_empty());
    }
}
