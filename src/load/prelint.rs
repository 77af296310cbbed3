//! Catches the typing traps of Chinese input methods before YAML sees them:
//! a full-width colon after a key, and full-width spaces (or tabs) used as
//! indentation. The YAML parser's own message for these is baffling.

use crate::diag::Diagnostic;
use crate::model::Pos;

/// Every trap in `text`, at its line and column.
pub fn prelint(text: &str, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (n, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let lineno = n as u32 + 1;
        // Indentation: the leading run of blanks, of any width.
        let indent: Vec<(usize, char)> = line
            .chars()
            .enumerate()
            .take_while(|(_, c)| matches!(c, ' ' | '\t' | '\u{3000}'))
            .collect();
        if let Some((col, _)) = indent.iter().find(|(_, c)| *c == '\u{3000}') {
            out.push(
                Diagnostic::error(
                    "fullwidth-space",
                    file,
                    Some(Pos {
                        line: lineno,
                        column: *col as u32 + 1,
                        len: indent.iter().filter(|(_, c)| *c == '\u{3000}').count() as u32,
                    }),
                    "缩进里有全角空格（U+3000）".to_owned(),
                )
                .with_hint("YAML 的缩进只能用半角空格：把行首的全角空格换成半角空格（输入法切换到半角再按空格）"),
            );
        } else if let Some((col, _)) = indent.iter().find(|(_, c)| *c == '\t') {
            out.push(
                Diagnostic::error(
                    "tab-indent",
                    file,
                    Some(Pos {
                        line: lineno,
                        column: *col as u32 + 1,
                        len: indent.iter().filter(|(_, c)| *c == '\t').count() as u32,
                    }),
                    "缩进里有制表符（Tab）".to_owned(),
                )
                .with_hint("YAML 的缩进只能用半角空格：把 Tab 换成两个空格"),
            );
        }
        if let Some((key, col)) = fullwidth_colon_after_key(line) {
            out.push(
                Diagnostic::error(
                    "fullwidth-colon",
                    file,
                    Some(Pos {
                        line: lineno,
                        column: col,
                        len: 1,
                    }),
                    format!("键 `{key}` 后面是全角冒号“：”，应为半角冒号“:”"),
                )
                .with_hint(format!("改成 `{key}: …`（半角冒号，后面加一个空格）")),
            );
        }
    }
    out
}

/// `name：值` or `- ref：id` — an English key followed by `：`. Returns the
/// key and the 1-based column of the colon.
fn fullwidth_colon_after_key(line: &str) -> Option<(&str, u32)> {
    let trimmed = line.trim_start_matches([' ', '\u{3000}']);
    let body = trimmed
        .strip_prefix("- ")
        .map(|b| b.trim_start_matches(' '))
        .unwrap_or(trimmed);
    if body.starts_with('#') {
        return None;
    }
    let key_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    if key_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let key = &body[..key_len];
    let after = body[key_len..].trim_start_matches(' ');
    if !after.starts_with('：') {
        return None;
    }
    let colon_byte = line.len() - after.len();
    let col = line[..colon_byte].chars().count() as u32 + 1;
    Some((key, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_colon_is_found_after_a_key_only() {
        assert_eq!(fullwidth_colon_after_key("name：护照"), Some(("name", 5)));
        assert_eq!(
            fullwidth_colon_after_key("  - ref：id-card"),
            Some(("ref", 8))
        );
        assert_eq!(fullwidth_colon_after_key("note: 注意：带原件"), None);
        assert_eq!(fullwidth_colon_after_key("# name：x"), None);
    }

    #[test]
    fn ideographic_space_in_indent_is_an_error_at_its_column() {
        let d = prelint("a:\n\u{3000}\u{3000}b: 1\n", "x.yaml");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "fullwidth-space");
        assert_eq!(d[0].pos.map(|p| (p.line, p.column, p.len)), Some((2, 1, 2)));
    }
}
