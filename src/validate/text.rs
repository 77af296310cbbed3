//! Text: required words are not blank; Markdown has no raw HTML (it would be
//! printed as tags, and is escaped on output).

use super::{Context, at};
use crate::diag::Diagnostic;
use crate::markdown;
use crate::model::{Guide, Markdowns, Pos, S};

/// The law as it should be written: its title in 《》, whatever quotes or
/// brackets the author used instead (`“…”`, `<<…>>`, `〈…〉`) replaced.
fn bracketed(law: &str) -> String {
    let t = law.trim();
    let pairs = [
        ("<<", ">>"),
        ("“", "”"),
        ("\"", "\""),
        ("〈", "〉"),
        ("<", ">"),
        ("《", "》"),
    ];
    for (open, close) in pairs {
        if let Some(rest) = t.strip_prefix(open) {
            return match rest.find(close) {
                Some(e) => format!("《{}》{}", rest[..e].trim(), &rest[e + close.len()..]),
                None => format!("《{}》", rest.trim()),
            };
        }
    }
    if t.contains('》') {
        return format!("《{t}");
    }
    format!("《{t}》")
}

/// Whether `t` reads as the name of a law or a document (it ends like one,
/// before a `（2019年修订）` or a `第三十二条`), not as a description
/// (`财政部核定的收费标准`).
fn names_a_law(t: &str) -> bool {
    let mut t = t.trim_end();
    if let Some(i) = t.rfind(['（', '(']).filter(|_| t.ends_with(['）', ')'])) {
        t = t[..i].trim_end();
    }
    if let Some(i) = t.rfind('第').filter(|_| t.ends_with(['条', '款', '项'])) {
        t = t[..i].trim_end();
    }
    const ENDINGS: &[&str] = &[
        "法", "条例", "规定", "办法", "细则", "决定", "通知", "意见", "规则", "解释", "规程",
        "规范", "方案", "批复", "公告",
    ];
    ENDINGS.iter().any(|e| t.ends_with(e))
}

/// A law's title is written in 《》 (as everywhere in Chinese official
/// text); without them the booklet and the site print it bare.
fn law_title(file: &str, law: &S<String>, out: &mut Vec<Diagnostic>) {
    let t = law.value.trim();
    let titled = t.strip_prefix('《').is_some_and(|r| r.contains('》'));
    let quoted = t.starts_with(['《', '“', '"', '<', '〈']) || t.contains('》');
    if t.is_empty() || titled || !(quoted || names_a_law(t)) {
        return;
    }
    let fixed = bracketed(t);
    out.push(
        Diagnostic::warning(
            "law-title",
            file,
            at(law),
            format!("法律法规的名称 `{t}` 没有写在书名号《》里"),
        )
        .with_hint(format!(
            "写成 `law: {fixed}`；文号写在 `doc_no`，条款写在 `article`"
        )),
    );
}

/// Every Markdown text of a matter with where it starts.
fn markdown_texts(g: &Guide) -> Vec<(&str, Pos)> {
    let mut v: Vec<(&str, Pos)> = Vec::new();
    fn push<'a>(v: &mut Vec<(&'a str, Pos)>, s: &'a S<String>) {
        v.push((s.value.as_str(), Pos::of(s)));
    }
    for s in [&g.summary, &g.green_channel, &g.materials_note]
        .into_iter()
        .flatten()
    {
        push(&mut v, s);
    }
    for m in g.materials.iter().flat_map(|m| m.value.with_alternatives()) {
        for s in [&m.spec, &m.note, &m.criteria].into_iter().flatten() {
            push(&mut v, s);
        }
    }
    for f in &g.faq {
        push(&mut v, &f.a);
    }
    for s in g.steps.iter().filter_map(|s| s.detail.as_ref()) {
        push(&mut v, s);
    }
    for c in [&g.conditions, &g.refusals].into_iter().flatten() {
        match &c.value {
            Markdowns::One(t) => v.push((t.as_str(), Pos::of(c))),
            Markdowns::Many(items) => items
                .iter()
                .for_each(|s| v.push((s.text.value.as_str(), Pos::of(&s.text)))),
        }
    }
    v
}

/// Where `needle` first occurs in `file` at or after `pos`: its own line,
/// column and length, for a caret under just that.
fn find_in_source(
    sources: &crate::diag::SourceMap,
    file: &str,
    pos: Pos,
    needle: &str,
) -> Option<Pos> {
    let (text, from) = sources.offset(file, pos)?;
    let at = from + text[from..].find(needle)?;
    let (line, column) = sources.line_column(file, at);
    Some(Pos {
        line,
        column,
        len: needle.chars().count() as u32,
    })
}

fn blank(file: &str, key: &str, s: &S<String>, out: &mut Vec<Diagnostic>) {
    if s.value.trim().is_empty() {
        out.push(
            Diagnostic::error("empty-value", file, at(s), format!("`{key}` 不能为空"))
                .with_hint(format!("在 `{key}:` 后面写上内容")),
        );
    }
}

/// The longest name, label or heading, in characters: it is printed in
/// headers, thumb tabs and table cells.
pub const MAX_NAME_CHARS: usize = 100;

fn too_long_name(file: &str, key: &str, s: &S<String>, out: &mut Vec<Diagnostic>) {
    let n = s.value.chars().count();
    if n > MAX_NAME_CHARS {
        out.push(
            Diagnostic::error(
                "text-too-long",
                file,
                at(s),
                format!("`{key}` 有 {n} 个字，名称最多 {MAX_NAME_CHARS} 个字"),
            )
            .with_hint("名称印在页眉、书边标签和表格里：写简称，说明写进 `summary` 或 `note`"),
        );
    }
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for gf in &cx.project.guides {
        let g = &gf.guide;
        // `code` is `codes.implementation` by another name: one value.
        if let (Some(code), Some(imp)) = (
            &g.code,
            g.codes.as_ref().and_then(|c| c.implementation.as_ref()),
        ) && code.value.trim() != imp.value.trim()
        {
            out.push(
                Diagnostic::error(
                    "conflicting-code",
                    &gf.file,
                    at(imp),
                    format!(
                        "实施编码写了两个不同的值：`code` 是 {}，`codes.implementation` 是 {}",
                        code.value, imp.value
                    ),
                )
                .with_hint("`code` 与 `codes.implementation` 是同一个实施编码：只写一处"),
            );
        }
    }
    for e in &cx.project.catalogue.entries {
        too_long_name(crate::load::CATALOGUE_FILE, "name", &e.name, out);
    }
    for gf in &cx.project.guides {
        let (file, g) = (gf.file.as_str(), &gf.guide);
        blank(file, "name", &g.name, out);
        blank(file, "department", &g.department, out);
        blank(file, "category", &g.category, out);
        let names = [
            ("name", &g.name),
            ("department", &g.department),
            ("category", &g.category),
        ]
        .into_iter()
        .chain(g.aliases.iter().map(|a| ("aliases", a)))
        .chain(g.situations.iter().map(|x| ("label", &x.label)))
        .chain(g.steps.iter().map(|x| ("name", &x.name)))
        .chain(
            g.materials
                .iter()
                .flat_map(|m| m.value.with_alternatives())
                .filter_map(|m| Some(("name", m.name.as_ref()?))),
        );
        for (key, s) in names {
            too_long_name(file, key, s, out);
        }
        for b in &g.basis {
            law_title(file, &b.law, out);
        }
        for (text, pos) in markdown_texts(g) {
            for url in markdown::links(text)
                .iter()
                .filter(|u| !markdown::safe_url(u))
            {
                let at = find_in_source(&cx.project.sources, file, pos, url).unwrap_or(pos);
                out.push(
                    Diagnostic::warning(
                        "unsafe-link",
                        file,
                        Some(at),
                        format!("链接 `{url}` 不是网址、邮箱或电话，手册和网站上只印成文字，不会变成链接"),
                    )
                    .with_hint("链接只能以 https://、http://、mailto: 或 tel: 开头"),
                );
            }
            if let Some(tag) = markdown::raw_html(text) {
                let at = find_in_source(&cx.project.sources, file, pos, &tag).unwrap_or(pos);
                out.push(
                    Diagnostic::warning(
                        "raw-html",
                        file,
                        Some(at),
                        format!("Markdown 里有 HTML 标签 `{tag}`，输出时会按原样显示为文字"),
                    )
                    .with_hint("用 Markdown 写：加粗用 **文字**，列表用“- ”开头，分段空一行"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{bracketed, names_a_law};

    #[test]
    fn a_law_is_told_from_a_description() {
        assert!(names_a_law("中华人民共和国护照法"));
        assert!(names_a_law("住房公积金管理条例（2019年修订）"));
        assert!(names_a_law("中华人民共和国行政许可法第三十二条"));
        assert!(!names_a_law(
            "国家发展改革委、财政部核定的出入境证件收费标准"
        ));
    }

    #[test]
    fn a_law_title_is_put_in_book_title_marks() {
        assert_eq!(
            bracketed("中华人民共和国护照法"),
            "《中华人民共和国护照法》"
        );
        assert_eq!(bracketed("“护照法”第六条"), "《护照法》第六条");
        assert_eq!(bracketed("<<护照法>>"), "《护照法》");
        assert_eq!(bracketed("《护照法"), "《护照法》");
        assert_eq!(bracketed("护照法》"), "《护照法》");
    }
}
