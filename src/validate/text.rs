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
        for s in [&m.value.spec, &m.value.note].into_iter().flatten() {
            push(&mut v, s);
        }
    }
    for f in &g.faq {
        push(&mut v, &f.a);
    }
    for s in g.steps.iter().filter_map(|s| s.detail.as_ref()) {
        push(&mut v, s);
    }
    if let Some(c) = &g.conditions {
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
    let (line, column) = crate::diag::SourceMap::line_column(&text, at);
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

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for gf in &cx.project.guides {
        let (file, g) = (gf.file.as_str(), &gf.guide);
        blank(file, "name", &g.name, out);
        blank(file, "department", &g.department, out);
        blank(file, "category", &g.category, out);
        for (text, pos) in markdown_texts(g) {
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
