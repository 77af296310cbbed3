//! YAML → model with serde-saphyr, errors translated to Chinese diagnostics.
//!
//! serde stops at the first error of a document. So that an author sees every
//! mistake of a file in one run, a failed decode blanks out the offending
//! entry (keeping every line and column where it was) and tries again, a
//! bounded number of times.

use crate::diag::{Diagnostic, nearest};
use crate::model::Pos;
use serde::de::DeserializeOwned;
use serde_saphyr::Error;

/// How many errors of one file are looked for before giving up.
const MAX_ROUNDS: usize = 25;

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    }
}

/// What decoding one file found.
pub struct Decoded<T> {
    /// The value; present also after recovered errors, for the rules to look
    /// further (lines and columns are unchanged by the recovery).
    pub value: Option<T>,
    pub diags: Vec<Diagnostic>,
    /// Lines whose value was replaced during recovery: rule findings there
    /// would be about our placeholder, not the author's text.
    pub touched: Vec<u32>,
    /// Keys removed during recovery: "`steps` is empty" would be ours too.
    pub removed: Vec<String>,
}

/// Decodes `text`, reporting every error it can reach, and every text over
/// the length limits ([`crate::model::limits`]).
pub fn decode<T: DeserializeOwned>(text: &str, file: &str) -> Decoded<T> {
    use crate::model::limits::{self, Over};
    let (mut d, over) = limits::collect(|| decode_all::<T>(text, file));
    let mut seen = Vec::new();
    for (pos, o) in over {
        // A recovery round decodes the same value again.
        if seen.contains(&pos) {
            continue;
        }
        seen.push(pos);
        if o == Over::YesNo {
            // Quoted (`"是"`, `'true'`), it is the author's text.
            let quoted = text
                .split('\n')
                .nth(pos.line.saturating_sub(1) as usize)
                .and_then(|l| l.chars().nth(pos.column.saturating_sub(1) as usize))
                .is_some_and(|c| c == '"' || c == '\'');
            if !quoted {
                d.diags.push(
                    Diagnostic::error(
                        "wrong-type",
                        file,
                        Some(pos),
                        "这里应写一句话，写的却是“是/否”（true/false）".to_owned(),
                    )
                    .with_hint("写清楚内容，例如 `appointment: 可通过“i乌鲁木齐”App预约`；确实要写这个词就加引号"),
                );
                d.value = None;
            }
            continue;
        }
        let (message, hint) = match o {
            Over::Text(n) => (
                format!(
                    "这段文字有 {n} 个字，超过了上限 {} 个字",
                    limits::MAX_TEXT_CHARS
                ),
                "办事指南的每一项应简明扼要：把长文改写为要点，详细规定写在依据文件里并给出网址",
            ),
            Over::YesNo => continue,
            Over::Word(n) => (
                format!(
                    "这里有一串 {n} 个连续不断的字母或符号，超过了上限 {} 个，排版时无法换行",
                    limits::MAX_WORD_CHARS
                ),
                "检查是否误粘贴了乱码或很长的编码；长网址请写成链接",
            ),
        };
        d.diags
            .push(Diagnostic::error("text-too-long", file, Some(pos), message).with_hint(hint));
        d.value = None;
    }
    d
}

fn decode_all<T: DeserializeOwned>(text: &str, file: &str) -> Decoded<T> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut work: Option<String> = None;
    let mut blanked_keys: Vec<String> = Vec::new();
    let mut touched: Vec<u32> = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let current = work.as_deref().unwrap_or(text);
        let err = match serde_saphyr::from_str_with_options::<T>(current, options()) {
            Ok(v) => {
                return Decoded {
                    value: Some(v),
                    diags,
                    touched,
                    removed: blanked_keys,
                };
            }
            Err(e) => e,
        };
        let err = innermost(&err);
        // An error caused by our own recovery is not the author's; nor is a
        // missing key that an unknown-key hint already named (`dept` → `department`).
        if let Error::SerdeMissingField { field, .. } = err
            && (blanked_keys.iter().any(|k| k == field)
                || diags.iter().any(|d| {
                    d.code == "unknown-field"
                        && d.hint.as_deref() == Some(&format!("你是不是想写 `{field}`？"))
                }))
        {
            break;
        }
        let pos = err.location().map(|l| Pos::from_location(&l));
        if pos.is_some_and(|p| touched.contains(&p.line) || nested_changed(text, current, p.line)) {
            break;
        }
        let mut diag = translate(err, file);
        // `份数：一份`: a key written in Chinese, not a missing colon.
        if diag.code == "yaml-syntax"
            && let Some(p) = pos
            && let Some(line) = current.split('\n').nth(p.line.saturating_sub(1) as usize)
            && let Some((key, col, english)) = super::prelint::chinese_key(line)
        {
            diag = chinese_key_diagnostic(
                file,
                Pos {
                    line: p.line,
                    column: col,
                    len: key.chars().count() as u32,
                },
                key,
                english,
            );
        }
        if let (Error::SerdeMissingField { .. }, Some(p)) = (err, pos) {
            diag.pos = Some(owner_of_map_end(current, p));
        }
        // `form: 原件` with the next key indented too far: YAML reads the
        // next line as more of the word. Name the indentation, align the
        // line and go on.
        if matches!(
            err,
            Error::SerdeUnknownVariant { .. } | Error::InvalidScalar { .. }
        ) && let Some(p) = pos
            && let Some((d, next)) = over_indented(current, p, file)
        {
            diags.push(d);
            touched.push(p.line);
            work = Some(next);
            continue;
        }
        // `form:` with its word on the next line, not indented: the word
        // looks like a key without a colon.
        if diag.code == "yaml-syntax"
            && let Some(p) = pos
            && let Some((d, next)) = value_below_key(current, p, file)
        {
            diags.push(d);
            touched.push(p.line);
            work = Some(next);
            continue;
        }
        diags.push(diag);
        let (Some(mut p), true) = (pos, recoverable(err)) else {
            break;
        };
        // A block collection of the wrong kind: remove its key, not its
        // first line.
        if matches!(
            err,
            Error::SerdeInvalidType { .. } | Error::Unexpected { .. }
        ) && let Some(key_line) = block_value_key(current, p)
        {
            p = key_line;
        }
        let next = match placeholder(err) {
            Some(word) if p.len > 0 => substitute(current, p, &word),
            _ => blank_entry(current, p).map(|(next, key)| {
                blanked_keys.extend(key);
                next
            }),
        };
        let Some(next) = next else {
            break;
        };
        touched.push(p.line);
        work = Some(next);
    }
    Decoded {
        value: None,
        diags,
        touched,
        removed: blanked_keys,
    }
}

/// When the plain value at `p` runs on into more-indented lines (the next
/// key indented too far), a diagnostic at the first such line, and the text
/// with those lines aligned with the key.
fn over_indented(text: &str, p: Pos, file: &str) -> Option<(Diagnostic, String)> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let idx = p.line.checked_sub(1)? as usize;
    let here = lines.get(idx)?;
    // The key's column: after the indentation and a list dash.
    let key_col = here.chars().take_while(|c| *c == ' ' || *c == '-').count();
    let (key, value) = here.trim_start_matches([' ', '-']).split_once(':')?;
    let value = value.split(" #").next().unwrap_or("").trim();
    if key.trim().is_empty() || value.is_empty() || value.starts_with(|c| "|>\"'[{&*!".contains(c))
    {
        return None;
    }
    let mut run = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(idx + 1) {
        if is_blank_or_comment(l) {
            continue;
        }
        if indent_of(l) > key_col {
            run.push(i);
        } else {
            break;
        }
    }
    let first = *run.first()?;
    let shown = lines[first].trim().to_owned();
    let diag = Diagnostic::error(
        "indentation",
        file,
        Some(Pos {
            line: first as u32 + 1,
            column: indent_of(&lines[first]) as u32 + 1,
            len: shown.chars().count() as u32,
        }),
        format!(
            "这一行缩进多了：YAML 把 `{shown}` 读成了上一行 `{}` 的值的一部分",
            key.trim()
        ),
    )
    .with_hint(format!(
        "让它和 `{}` 左端对齐（前面 {key_col} 个空格）",
        key.trim()
    ));
    for i in run {
        let content = lines[i].trim_start().to_owned();
        lines[i] = format!("{}{content}", " ".repeat(key_col));
    }
    Some((diag, lines.join("\n")))
}

/// When line `p` is a bare word under a key with no value at the same
/// indentation (`form:` then `原件` below it), a diagnostic naming the
/// indentation, and the text with the word moved up after the key.
fn value_below_key(text: &str, p: Pos, file: &str) -> Option<(Diagnostic, String)> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let idx = p.line.checked_sub(1)? as usize;
    let word = lines.get(idx)?.trim().to_owned();
    if word.is_empty() || word.contains(':') || word.starts_with(['-', '#']) {
        return None;
    }
    let above = (0..idx).rev().find(|&i| !is_blank_or_comment(&lines[i]))?;
    let key_line = lines[above]
        .split(" #")
        .next()
        .unwrap_or("")
        .trim_end()
        .to_owned();
    let key_col = key_line
        .chars()
        .take_while(|c| *c == ' ' || *c == '-')
        .count();
    let key = key_line.trim_start_matches([' ', '-']).strip_suffix(':')?;
    if key.is_empty() || key.contains(':') || indent_of(&lines[idx]) != key_col {
        return None;
    }
    let diag = Diagnostic::error(
        "indentation",
        file,
        Some(Pos {
            line: p.line,
            column: key_col as u32 + 1,
            len: word.chars().count() as u32,
        }),
        format!("`{word}` 应是上一行 `{key}` 的值，但它和 `{key}` 对齐了，YAML 把它当成了新的键"),
    )
    .with_hint(format!(
        "写在冒号后面（`{key}: {word}`），或比 `{key}` 多缩进两个空格"
    ));
    lines[above] = format!("{key_line} {word}");
    lines[idx] = " ".repeat(lines[idx].chars().count());
    Some((diag, lines.join("\n")))
}

fn indent_of(l: &str) -> usize {
    l.len() - l.trim_start_matches(' ').len()
}

fn is_blank_or_comment(l: &str) -> bool {
    let t = l.trim();
    t.is_empty() || t.starts_with('#')
}

/// serde reports a missing key where its map ended; the author wants the map
/// that lacks it: the nearest line above that is less indented (the parent
/// key or list item), or the first line for the document itself.
fn owner_of_map_end(text: &str, p: Pos) -> Pos {
    let lines: Vec<&str> = text.split('\n').collect();
    let end = (p.line as usize).min(lines.len());
    let limit = p.column.saturating_sub(1) as usize;
    if limit > 0 {
        for (i, l) in lines[..end.saturating_sub(1)].iter().enumerate().rev() {
            if !is_blank_or_comment(l) && indent_of(l) <= limit {
                let col = indent_of(l) as u32 + 1;
                return Pos::at(i as u32 + 1, col);
            }
        }
    }
    let first = lines
        .iter()
        .position(|l| !is_blank_or_comment(l))
        .unwrap_or(0);
    Pos::at(first as u32 + 1, 1)
}

/// When `p` is the first line of a block value (`steps:` then an indented
/// map), the position of its key line.
fn block_value_key(text: &str, p: Pos) -> Option<Pos> {
    let lines: Vec<&str> = text.split('\n').collect();
    let here = lines.get(p.line.checked_sub(1)? as usize)?;
    let content_col = here.chars().take_while(|c| *c == ' ' || *c == '-').count() as u32 + 1;
    if p.column > content_col {
        return None;
    }
    let (i, prev) = lines[..p.line as usize - 1]
        .iter()
        .enumerate()
        .rev()
        .find(|(_, l)| !is_blank_or_comment(l))?;
    let code = prev.split(" #").next().unwrap_or(prev).trim_end();
    code.ends_with(':')
        .then(|| Pos::at(i as u32 + 1, indent_of(prev) as u32 + 1))
}

/// A valid stand-in for a wrong scalar, so a required key stays present.
fn placeholder(e: &Error) -> Option<String> {
    match e {
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => nearest(variant, expected.iter().copied())
            .first()
            .or(expected.first())
            .map(|w| (*w).to_owned()),
        Error::InvalidBooleanStrict { .. } => Some("false".into()),
        Error::InvalidScalar { ty, .. } if ty.starts_with('u') || ty.starts_with('i') => {
            Some("0".into())
        }
        _ => None,
    }
}

/// Replaces the `p.len` characters at `p` with `word`.
fn substitute(text: &str, p: Pos, word: &str) -> Option<String> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let line = lines.get_mut(p.line.checked_sub(1)? as usize)?;
    let chars: Vec<char> = line.chars().collect();
    let start = (p.column.checked_sub(1)? as usize).min(chars.len());
    let end = (start + p.len as usize).min(chars.len());
    let head: String = chars[..start].iter().collect();
    let tail: String = chars[end..].iter().collect();
    *line = format!("{head}{word}{tail}");
    Some(lines.join("\n"))
}

fn innermost(e: &Error) -> &Error {
    match e {
        Error::WithSnippet { error, .. } => innermost(error),
        #[allow(deprecated)]
        Error::AliasError { error, .. } => innermost(error),
        other => other,
    }
}

fn recoverable(e: &Error) -> bool {
    matches!(
        e,
        Error::SerdeUnknownField { .. }
            | Error::SerdeInvalidType { .. }
            | Error::SerdeInvalidValue { .. }
            | Error::SerdeUnknownVariant { .. }
            | Error::SerdeInvalidLength { .. }
            | Error::InvalidScalar { .. }
            | Error::InvalidBooleanStrict { .. }
            | Error::DuplicateMappingKey { .. }
            | Error::Unexpected { .. }
            | Error::NullIntoString { .. }
            | Error::Message { .. }
    )
}

/// Replaces the mapping entry (or sequence item) at `p` and the lines nested
/// under it with spaces. Returns the new text and the key removed, if any.
fn blank_entry(text: &str, p: Pos) -> Option<(String, Option<String>)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let idx = p.line.checked_sub(1)? as usize;
    let line = *lines.get(idx)?;
    let chars: Vec<char> = line.chars().collect();
    let col = (p.column.max(1) - 1) as usize;
    // The start of the entry: the key at or before the column.
    let indent = chars.iter().take_while(|c| **c == ' ').count();
    let mut start = indent;
    if chars.get(start) == Some(&'-') {
        start += 1;
        while chars.get(start) == Some(&' ') {
            start += 1;
        }
    }
    if start > col || start >= chars.len() {
        start = col.min(chars.len());
    }
    let rest: String = chars[start..].iter().collect();
    let key = rest
        .split_once(':')
        .map(|(k, _)| k.trim().to_owned())
        .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    let blank = |s: &str| -> String {
        s.chars()
            .map(|c| if c == '\r' { '\r' } else { ' ' })
            .collect()
    };
    let head: String = chars[..start].iter().collect();
    out[idx] = format!("{head}{}", blank(&rest));
    // Nested lines: more indented than the entry's own start.
    for l in out.iter_mut().skip(idx + 1) {
        let content = l.trim_start_matches(' ');
        if content.trim().is_empty() {
            continue;
        }
        if l.len() - content.len() > start {
            *l = blank(l);
        } else {
            break;
        }
    }
    Some((out.join("\n"), key))
}

/// Whether the block nested under `line` was blanked by us: an error there
/// (an emptied map, say) is ours, not the author's.
fn nested_changed(original: &str, current: &str, line: u32) -> bool {
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let (orig, cur): (Vec<&str>, Vec<&str>) = (
        original.split('\n').collect(),
        current.split('\n').collect(),
    );
    let Some(start) = orig.get(line as usize - 1) else {
        return false;
    };
    let base = indent(start);
    for (i, l) in orig.iter().enumerate().skip(line as usize) {
        if !l.trim().is_empty() && indent(l) <= base {
            break;
        }
        if cur.get(i) != Some(l) {
            return true;
        }
    }
    false
}

/// serde's English type words, as an author would say them.
fn zh_type(s: &str) -> String {
    let s = s.trim();
    if s.contains("string") || s == "a borrowed string" || s.starts_with("char") {
        return "文字".into();
    }
    if s.starts_with('u') && s[1..].chars().all(|c| c.is_ascii_digit()) && s.len() > 1 {
        return "不小于 0 的整数".into();
    }
    if s.starts_with('i') && s[1..].chars().all(|c| c.is_ascii_digit()) && s.len() > 1 {
        return "整数".into();
    }
    if s.contains("bool") {
        return "true 或 false".into();
    }
    if s.contains("sequence") || s.starts_with("a list") || s.starts_with("a vec") {
        return "列表（每项以“- ”开头）".into();
    }
    if s.starts_with("struct") || s.contains("map") {
        return "键值表（若干“键: 值”）".into();
    }
    if s.starts_with("integer") {
        return format!("数字{}", s.trim_start_matches("integer").trim());
    }
    if s.starts_with("floating point") {
        return format!("小数{}", s.trim_start_matches("floating point").trim());
    }
    if s == "unit value" || s.contains("null") {
        return "空值".into();
    }
    s.to_owned()
}

/// A key written in Chinese: which English key is meant.
fn chinese_key_diagnostic(file: &str, pos: Pos, key: &str, english: Option<&str>) -> Diagnostic {
    let hint = match english {
        Some(e) => {
            let first = e.split('`').next().unwrap_or(e);
            format!("键要用英文：`{key}` 应写成 `{e}`，冒号用半角，例如 `{first}: …`")
        }
        None => {
            "键要用英文（见 docs/format.md 或 `guide schema`），冒号用半角，例如 `name: 居住证申领`"
                .to_owned()
        }
    };
    Diagnostic::error(
        "chinese-key",
        file,
        Some(pos),
        format!("`{key}` 是中文键名；指南文件的键都是英文"),
    )
    .with_hint(hint)
}

/// The Chinese diagnostic for a decode error.
pub fn translate(e: &Error, file: &str) -> Diagnostic {
    let pos = e.location().map(|l| Pos::from_location(&l));
    let d = |code: &'static str, msg: String| Diagnostic::error(code, file, pos, msg);
    match e {
        Error::SerdeUnknownField { field, .. }
            if super::prelint::chinese_key(&format!("{field}:")).is_some() =>
        {
            let english = super::prelint::chinese_key(&format!("{field}:")).and_then(|k| k.2);
            let mut diag = chinese_key_diagnostic(file, pos.unwrap_or_default(), field, english);
            diag.pos = pos;
            diag
        }
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let near = nearest(field, expected.iter().copied());
            let diag = d("unknown-field", format!("未知的键 `{field}`"));
            match near.first() {
                Some(n) => diag.with_hint(format!("你是不是想写 `{n}`？")),
                None => diag.with_hint(format!(
                    "这里可以用的键：{}",
                    expected
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join("、")
                )),
            }
        }
        Error::SerdeMissingField { field, .. } => {
            d("missing-field", format!("缺少必填的键 `{field}`"))
                .with_hint(format!("在这一项里加上 `{field}: …`"))
        }
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let near = nearest(variant, expected.iter().copied());
            let all = expected.join("、");
            let hint = match near.first() {
                Some(n) => format!("你是不是想写 `{n}`？可选的值：{all}"),
                None => format!("可选的值：{all}"),
            };
            d("unknown-value", format!("`{variant}` 不是可选的值")).with_hint(hint)
        }
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => {
            let diag = d(
                "wrong-type",
                format!(
                    "这里应为{}，实际是{}",
                    zh_type(expected),
                    zh_type(unexpected)
                ),
            );
            match zh_type(expected).as_str() {
                t if t.starts_with("列表") => {
                    diag.with_hint("列表的每一项另起一行，以“- ”开头，例如“  - name: 受理”")
                }
                t if t.starts_with("键值表") => {
                    diag.with_hint("在下一行缩进两个空格写“键: 值”，例如“  value: 7”")
                }
                _ => diag,
            }
        }
        Error::InvalidScalar { ty, .. } => d("wrong-type", format!("这里应为{}", zh_type(ty)))
            .with_hint("写阿拉伯数字，不带“份”“次”“日”等单位，例如 `2`；说明写在别的键里"),
        Error::InvalidBooleanStrict { .. } => d("wrong-type", "这里应为 true 或 false".into())
            .with_hint("只写 `true`（是）或 `false`（否），不要写 yes/no/是/否"),
        Error::NullIntoString { .. } => d("wrong-type", "这里应为文字，实际是空值".into())
            .with_hint("在冒号后面写上内容，或者删去这一行"),
        Error::Unexpected { expected, .. } => {
            let diag = d("wrong-type", format!("这里应为{}", zh_type(expected)));
            match zh_type(expected).as_str() {
                t if t.starts_with("列表") => {
                    diag.with_hint("列表的每一项另起一行，以“- ”开头，例如“  - name: 受理”")
                }
                _ => diag,
            }
        }
        Error::SerdeInvalidLength { expected, .. } => {
            d("wrong-type", format!("项数不对：应为{}", zh_type(expected)))
        }
        Error::DuplicateMappingKey { key, .. } => d(
            "duplicate-key",
            match key {
                Some(k) => format!("键 `{k}` 重复出现"),
                None => "键重复出现".into(),
            },
        )
        .with_hint("同一层里每个键只能写一次：删去或合并重复的那一行"),
        Error::Budget { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => d(
            "yaml-too-complex",
            "YAML 嵌套太深或别名（&/*）展开太多，已停止读取".into(),
        )
        .with_hint("指南文件不需要深层嵌套或大量别名；请检查文件是否损坏或被篡改"),
        Error::MultipleDocuments { .. } => {
            d("yaml-syntax", "文件里有多个 YAML 文档（`---` 分隔）".into())
                .with_hint("一个文件只写一个事项：删去多余的 `---`")
        }
        Error::Eof { .. } => d("yaml-syntax", "文件是空的".into()).with_hint(
            "一个事项文件至少要有 id、name 等必填的键；用 `guide init` 生成的示例作参考",
        ),
        other if other.to_string().contains("recursion limit") => {
            d("yaml-too-complex", "YAML 嵌套太深，已停止读取".into())
                .with_hint("指南文件的嵌套不超过几层；请检查括号“[”“{”是否成对，文件是否损坏")
        }
        other => {
            let raw = strip_location(&other.without_snippet().to_string()).to_owned();
            let (msg, hint) = syntax_in_chinese(&raw);
            d("yaml-syntax", msg).with_hint(hint)
        }
    }
}

/// The YAML parser's English for the usual slips, said in Chinese (the
/// parser's own words kept after it, for the rare other case).
fn syntax_in_chinese(raw: &str) -> (String, String) {
    let (msg, hint) = if raw.contains("mapping values are not allowed") {
        (
            "这一行多了一个冒号，或者缩进不对",
            "值里含有“: ”时，给整个值加引号，例如 `name: \"甲: 乙\"`；或者检查这一行是否比上一行多缩进了",
        )
    } else if raw.contains("simple key expected") || raw.contains("could not find expected ':'") {
        (
            "这一行缺少冒号",
            "写成“键: 值”，冒号用半角，冒号后面加一个空格",
        )
    } else if raw.contains("unclosed quote") || raw.contains("found unexpected end of stream") {
        ("引号没有配对", "值开头的引号要在这一行的末尾配对关上")
    } else if raw.contains("did not find expected '-'") || raw.contains("did not find expected key")
    {
        (
            "缩进对不齐",
            "同一个列表或同一层的键要对齐：用同样多的半角空格缩进",
        )
    } else if raw.contains("found character that cannot start any token") {
        (
            "这一行开头有 YAML 不允许的字符",
            "检查是否用了 Tab 或全角符号；值以 @、` 等开头时加引号",
        )
    } else {
        return (
            format!("YAML 语法错误（{raw}）"),
            "检查这一行及上一行的缩进、冒号（半角“: ”）和引号是否成对".to_owned(),
        );
    };
    (format!("YAML 语法错误：{msg}"), hint.to_owned())
}

/// serde-saphyr appends " at line X, column Y"; the diagnostic says it better.
fn strip_location(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        name: String,
        copies: Option<u32>,
        list: Option<Vec<String>>,
    }

    #[test]
    fn every_unknown_key_of_a_file_is_reported_in_one_run() {
        let Decoded {
            value, diags: d, ..
        } = decode::<T>("naem: x\nname: y\ncopis: 2\nlist:\n  - a\n", "f.yaml");
        assert!(value.is_some(), "recovered value feeds the rules");
        let codes: Vec<_> = d.iter().map(|d| (d.code, d.pos.unwrap().line)).collect();
        assert_eq!(codes, vec![("unknown-field", 1), ("unknown-field", 3)]);
        assert_eq!(d[0].hint.as_deref(), Some("你是不是想写 `name`？"));
    }

    #[test]
    fn blanking_a_required_key_is_not_reported_as_missing() {
        let d = decode::<T>("name: [1]\ncopies: 三\n", "f.yaml").diags;
        let codes: Vec<_> = d.iter().map(|d| (d.code, d.pos.unwrap().line)).collect();
        assert_eq!(codes, vec![("wrong-type", 1), ("wrong-type", 2)]);
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct M {
        name: String,
        form: Option<crate::model::Form>,
        source: Option<crate::model::Source>,
        copies: Option<u32>,
    }

    #[test]
    fn a_key_indented_too_far_under_a_word_is_named_as_indentation() {
        let d = decode::<Vec<M>>(
            "- name: x\n  form: 复印件\n    source: 申请人自备\n- name: y\n  copies: 两份\n",
            "f.yaml",
        );
        let found: Vec<_> = d
            .diags
            .iter()
            .map(|d| (d.code, d.pos.unwrap().line, d.pos.unwrap().column))
            .collect();
        // The indentation, at the line indented too far; and the file's
        // other mistake too.
        assert_eq!(found, vec![("indentation", 3, 5), ("wrong-type", 5, 11)]);
        assert!(d.diags[0].message.contains("source: 申请人自备"));
        assert!(d.diags[0].hint.as_deref().unwrap().contains("`form`"));
        assert!(d.value.is_some());
    }

    #[test]
    fn a_word_below_its_key_is_named_as_indentation() {
        let d = decode::<Vec<M>>(
            "- name: x\n  form:\n  原件\n- name: y\n  copies: 两份\n",
            "f.yaml",
        );
        let found: Vec<_> = d
            .diags
            .iter()
            .map(|d| (d.code, d.pos.unwrap().line))
            .collect();
        assert_eq!(found, vec![("indentation", 3), ("wrong-type", 5)]);
        assert!(d.diags[0].hint.as_deref().unwrap().contains("`form: 原件`"));
        // A real missing colon is still said to be one.
        let d = decode::<Vec<M>>("- name: x\n  form 原件\n", "f.yaml");
        assert_eq!(d.diags[0].code, "yaml-syntax");
    }

    #[test]
    fn a_wrong_word_is_replaced_so_decoding_goes_on() {
        let d = decode::<T>("name: x\ncopies: 两份\nlist: 3\n", "f.yaml");
        let lines: Vec<_> = d.diags.iter().map(|d| d.pos.unwrap().line).collect();
        assert_eq!(lines, vec![2, 3]);
        assert_eq!(d.touched, vec![2, 3]);
    }
}
