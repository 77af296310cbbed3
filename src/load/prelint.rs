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

pub use crate::diag::is_forbidden_char;

/// How a forbidden character is named in a message: `U+001B`.
pub fn char_name(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// Control characters and bidi overrides in `text`, each run an error at
/// its place. When there are any, also a copy of `text` with each replaced
/// by one visible character (a control picture, or U+FFFD), so decoding
/// goes on with every line and column unchanged and a quoted line never
/// sends a control byte to the terminal.
pub fn control_chars(text: &str, file: &str) -> (Option<String>, Vec<Diagnostic>) {
    if !text.chars().any(is_forbidden_char) {
        return (None, Vec::new());
    }
    let mut out = Vec::new();
    let mut clean = String::with_capacity(text.len());
    let (mut line, mut column) = (1u32, 1u32);
    let mut run: Option<(Pos, Vec<char>)> = None;
    let flush = |run: &mut Option<(Pos, Vec<char>)>, out: &mut Vec<Diagnostic>| {
        if let Some((pos, chars)) = run.take() {
            let names: Vec<String> = chars.iter().take(3).map(|c| char_name(*c)).collect();
            out.push(
                Diagnostic::error(
                    "control-char",
                    file,
                    Some(pos),
                    format!(
                        "文字里有看不见的控制字符（{}{}）",
                        names.join("、"),
                        if chars.len() > 3 { "等" } else { "" }
                    ),
                )
                .with_hint("删去它：多半是从别的软件复制时带进来的，会让打印和网页显示错乱"),
            );
        }
    };
    for c in text.chars() {
        if is_forbidden_char(c) {
            match &mut run {
                Some((p, chars)) if p.line == line && p.column + p.len == column => {
                    p.len += 1;
                    chars.push(c);
                }
                _ => {
                    flush(&mut run, &mut out);
                    run = Some((
                        Pos {
                            line,
                            column,
                            len: 1,
                        },
                        vec![c],
                    ));
                }
            }
            clean.push(match c as u32 {
                n @ 0..=0x1F => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
                0x7F => '\u{2421}',
                _ => '\u{FFFD}',
            });
        } else {
            clean.push(c);
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    flush(&mut run, &mut out);
    (Some(clean), out)
}

/// The English key for the Chinese name of an element, as a policy
/// officer copying a published guide would write it.
const CHINESE_KEYS: &[(&str, &str)] = &[
    ("事项名称", "name"),
    ("名称", "name"),
    ("别名", "aliases"),
    ("实施编码", "code"),
    ("基本编码", "codes.basic"),
    ("事项类型", "kind"),
    ("实施主体", "department"),
    ("分类", "category"),
    ("服务对象", "audience"),
    ("简介", "summary"),
    ("设定依据", "basis"),
    ("受理条件", "conditions"),
    ("不予受理情形", "refusals"),
    ("情形", "situations"),
    ("申请材料", "materials"),
    ("材料名称", "name"),
    ("材料形式", "form"),
    ("形式", "form"),
    ("份数", "originals` 或 `copies"),
    ("原件份数", "originals"),
    ("复印件份数", "copies"),
    ("必要性", "necessity"),
    ("来源渠道", "source"),
    ("出具机构", "issuer"),
    ("备注", "note"),
    ("填报须知", "note"),
    ("办理流程", "steps"),
    ("办结时限", "time_limit"),
    ("办理时限", "time_limit"),
    ("法定时限", "legal"),
    ("承诺时限", "promised"),
    ("收费", "fees"),
    ("收费标准", "fees"),
    ("办理方式", "handling"),
    ("到现场次数", "visits"),
    ("办理地点", "locations"),
    ("办公时间", "hours"),
    ("办理结果", "result"),
    ("咨询电话", "consult"),
    ("投诉电话", "complaint"),
    ("常见问题", "faq"),
    ("施行日期", "effective"),
];

/// `份数：一份` or `- 材料名称: 身份证` — a key in Chinese (with either
/// colon), asked about a line YAML could not read or a key it did not
/// know (prose with a colon is common in guide text: never on its own). Returns the key, its 1-based column, and the English key meant.
pub fn chinese_key(line: &str) -> Option<(&str, u32, Option<&'static str>)> {
    let trimmed = line.trim_start_matches([' ', '\u{3000}']);
    let body = trimmed
        .strip_prefix("- ")
        .map(|b| b.trim_start_matches(' '))
        .unwrap_or(trimmed);
    if body.starts_with('#') {
        return None;
    }
    let end = body.find([':', '：'])?;
    let key = body[..end].trim_end();
    let is_han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    if key.is_empty() || key.chars().count() > 8 || !key.chars().all(is_han) {
        return None;
    }
    // `：` then anything, or `:` then a space or the end: a key, not a
    // sentence with a colon in it.
    let after = &body[end..];
    let is_key = after.starts_with('：') || after.len() == 1 || after[1..].starts_with([' ', '\t']);
    if !is_key {
        return None;
    }
    let col = line[..line.len() - body.len()].chars().count() as u32 + 1;
    let english = CHINESE_KEYS
        .iter()
        .find(|(c, _)| *c == key)
        .map(|(_, e)| *e);
    Some((key, col, english))
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
    fn a_chinese_key_is_named_with_the_english_one_meant() {
        assert_eq!(
            chinese_key("份数：一份"),
            Some(("份数", 1, Some("originals` 或 `copies")))
        );
        assert_eq!(
            chinese_key("  - 材料名称: 身份证"),
            Some(("材料名称", 5, Some("name")))
        );
        assert_eq!(chinese_key("  note: 注意：带原件"), None);
        assert_eq!(
            chinese_key("  - 注意：须本人到场，不得代办"),
            Some(("注意", 5, None))
        );
        // A sentence with a colon in a list item is no key.
        assert_eq!(chinese_key("  - 本人到场:须带原件"), None);
        // Prose in a list or a text block is left to YAML (only a line YAML
        // cannot read is said to be a Chinese key).
        assert!(prelint("conditions:\n  - 注意：须本人到场\n", "x.yaml").is_empty());
    }

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
    fn control_characters_and_bidi_overrides_are_errors_at_their_column() {
        let (clean, d) = control_chars("a: 1\nname: 张\u{1b}[31m三\u{202E}x\tok\r\n", "x.yaml");
        assert_eq!(
            clean.as_deref(),
            Some("a: 1\nname: 张\u{241b}[31m三\u{FFFD}x\tok\r\n")
        );
        let at: Vec<_> = d
            .iter()
            .map(|d| d.pos.map(|p| (p.line, p.column, p.len)))
            .collect();
        assert_eq!(at, vec![Some((2, 8, 1)), Some((2, 14, 1))]);
        assert!(d[0].message.contains("U+001B"), "{}", d[0].message);
        assert!(d[1].message.contains("U+202E"), "{}", d[1].message);
        assert_eq!(control_chars("tab\tand crlf\r\n", "x").1.len(), 0);
        // C1 controls too.
        assert_eq!(control_chars("a: \u{85}\u{9b}", "x").1.len(), 1);
    }

    #[test]
    fn ideographic_space_in_indent_is_an_error_at_its_column() {
        let d = prelint("a:\n\u{3000}\u{3000}b: 1\n", "x.yaml");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "fullwidth-space");
        assert_eq!(d[0].pos.map(|p| (p.line, p.column, p.len)), Some((2, 1, 2)));
    }
}
