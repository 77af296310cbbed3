//! Text: required words are not blank; Markdown has no raw HTML (it would be
//! printed as tags, and is escaped on output).

use super::{Context, at};
use crate::diag::Diagnostic;
use crate::markdown;
use crate::model::{Guide, Markdowns, Pos, S};

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
    for m in &g.materials {
        for s in [&m.value.spec, &m.value.note, &m.value.criteria]
            .into_iter()
            .flatten()
        {
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
                .for_each(|s| v.push((s.value.as_str(), Pos::of(s)))),
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
                .filter_map(|m| Some(("name", m.value.name.as_ref()?))),
        );
        for (key, s) in names {
            too_long_name(file, key, s, out);
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
