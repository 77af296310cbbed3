//! What a clerk types onto a notice, and what the register shows on a
//! terminal: no control characters, no invisible marks that reorder text.

use std::borrow::Cow;

/// Characters no single-line value on a notice may contain: what no guide
/// text may hold ([`crate::diag::is_forbidden_char`]: C0 and C1 controls,
/// bidi embeddings, overrides and isolates) and, the value being one line,
/// tab, line feed and carriage return, the line and paragraph separators,
/// and the invisible bidi marks (LRM, RLM, ALM).
pub fn forbidden(c: char) -> bool {
    crate::diag::is_forbidden_char(c)
        || matches!(
            c,
            '\t' | '\n' | '\r' | '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
        )
}

fn kind(c: char) -> &'static str {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' => "换行符",
        '\t' => "制表符",
        c if c.is_control() => "控制字符",
        _ => "文字方向控制符",
    }
}

/// `Err` with a message naming `field` and the position (counted in
/// characters, from 1) of the first forbidden character of `value`.
pub fn check_typed(field: &str, value: &str) -> Result<(), String> {
    match value.chars().enumerate().find(|&(_, c)| forbidden(c)) {
        None => Ok(()),
        Some((i, c)) => Err(format!(
            "{field}“{}”的第 {} 个字符是{}（U+{:04X}），不能印在告知单上；没有打印，也没有登记。请重新输入{field}",
            visible(value),
            i + 1,
            kind(c),
            c as u32
        )),
    }
}

/// `s` with every forbidden character written out as `\u{1b}`, so that
/// nothing read from the register can move the cursor, recolour or clear
/// the terminal, or reorder what the clerk reads.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(forbidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if forbidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_bidi_characters_are_named_with_their_position() {
        assert_eq!(check_typed("申请人", "阿依古丽·买买提"), Ok(()));
        let e = check_typed("申请人", "张\u{1b}[2J三").unwrap_err();
        assert!(e.contains("第 2 个字符是控制字符（U+001B）"), "{e}");
        assert!(e.contains("张\\u{1b}[2J三"), "{e}");
        let e = check_typed("经办人", "李\u{202E}娜").unwrap_err();
        assert!(e.contains("第 2 个字符是文字方向控制符（U+202E）"), "{e}");
        let e = check_typed("窗口", "B1\n2").unwrap_err();
        assert!(e.contains("第 3 个字符是换行符"), "{e}");
        assert!(check_typed("窗口", "B\u{85}").is_err(), "C1 NEL");
        assert!(check_typed("窗口", "B\u{2067}").is_err());
    }

    #[test]
    fn visible_escapes_only_what_is_forbidden() {
        assert_eq!(visible("张三 B12"), "张三 B12");
        assert_eq!(visible("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(visible("\u{202e}abc"), "\\u{202e}abc");
    }
}
