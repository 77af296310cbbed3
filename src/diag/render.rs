//! Terminal and JSON output of diagnostics.

use super::{Diagnostic, Severity, SourceMap};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// Byte range within `line` that the caret should cover: the value's length
/// when known, else the token at the column (a key up to its colon, or the
/// rest of the line without a trailing comment).
fn caret_range(line: &str, column: u32, len: u32) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(column.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let mut end = if len > 0 {
        rest.char_indices()
            .nth(len as usize)
            .map_or(line.len(), |(i, _)| start + i)
    } else {
        let stop = rest
            .find(": ")
            .or_else(|| rest.strip_suffix(':').map(|r| r.len()))
            .or_else(|| rest.find(" #"))
            .unwrap_or(rest.len());
        start + rest[..stop].trim_end().len()
    };
    if end <= start && start < line.len() {
        // Point at one character rather than nothing.
        end = start + rest.chars().next().map_or(0, char::len_utf8);
    }
    start..end
}

/// The whole human report: every diagnostic, then nothing else (the summary
/// line is the caller's).
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(d.message.as_str()).id(d.code);
        let line = d
            .pos
            .and_then(|p| sources.line(&d.file, p.line).map(|l| (p, l)));
        let mut group = match line {
            Some((p, text)) => {
                let text = text.replace('\t', "    ");
                let range = caret_range(&text, p.column, p.len);
                let snippet = Snippet::source(text)
                    .line_start(p.line as usize)
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(range));
                title.element(snippet)
            }
            None => {
                let place = match d.pos {
                    Some(p) => format!("{}:{}:{}", d.file, p.line, p.column),
                    None => d.file.clone(),
                };
                title.element(annotate_snippets::Origin::path(place))
            }
        };
        if let Some(h) = &d.hint {
            group = group.element(Level::HELP.message(h.as_str()));
        }
        let report: [Group<'_>; 1] = [group];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
}

#[derive(Serialize)]
struct JsonPos {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'a str,
    message: &'a str,
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    end: Option<JsonPos>,
    hint: Option<&'a str>,
}

/// The position just past the value: `len` characters after the start.
fn end_of(d: &Diagnostic, sources: &SourceMap) -> Option<JsonPos> {
    let p = d.pos?;
    let line_text = sources.line(&d.file, p.line)?;
    if p.len == 0 {
        let r = caret_range(&line_text, p.column, 0);
        let cols = line_text[..r.end].chars().count() as u32;
        return Some(JsonPos {
            line: p.line,
            column: cols + 1,
        });
    }
    let (text, from) = sources.offset(&d.file, p)?;
    let end = text[from..]
        .char_indices()
        .nth(p.len as usize)
        .map_or(text.len(), |(i, _)| from + i);
    let (line, column) = sources.line_column(&d.file, end);
    Some(JsonPos { line, column })
}

/// One JSON object per line, per diagnostic.
pub fn render_json(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        let j = JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: &d.file,
            line: d.pos.map(|p| p.line),
            column: d.pos.map(|p| p.column),
            end: end_of(d, sources),
            hint: d.hint.as_deref(),
        };
        out.push_str(&serde_json::to_string(&j).expect("diagnostic serialises"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_covers_a_key_up_to_its_colon() {
        let line = "  naem: 居民身份证";
        assert_eq!(&line[caret_range(line, 3, 0)], "naem");
    }

    #[test]
    fn caret_covers_a_chinese_value_by_characters() {
        let line = "form: 原本 # 注释";
        assert_eq!(&line[caret_range(line, 7, 2)], "原本");
        assert_eq!(&line[caret_range(line, 7, 0)], "原本");
    }
}
