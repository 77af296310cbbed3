//! 一件事 bundles: members that exist, are matters (not bundles) and are
//! listed once; situation ids unique across the members; `produced_by`
//! naming a matter; and one wording per document across the members (the
//! 三表合一 lesson).

use super::{Context, at};
use crate::diag::{Diagnostic, nearest};
use crate::model::resolve::resolve_entry;
use crate::model::{Guide, Pos, S};
use std::collections::HashMap;

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let p = cx.project;
    let ids = || p.guides.iter().map(|g| g.guide.id.value.as_str());
    for g in &p.guides {
        let file = g.file.as_str();
        for m in &g.guide.materials {
            if let Some(by) = &m.value.produced_by {
                produced_by(cx, file, &g.guide, by, out);
            }
        }
        let Some(b) = &g.guide.bundle else { continue };
        if b.members.is_empty() {
            out.push(
                Diagnostic::error(
                    "bundle-member",
                    file,
                    at(&g.guide.name),
                    format!(
                        "一件事“{}”的 `bundle.members` 没有列出事项",
                        g.guide.name.value
                    ),
                )
                .with_hint("`members` 列出必办的事项 id；申请人可选的列在 `optional` 里"),
            );
        }
        let mut seen: Vec<&str> = Vec::new();
        for (id, _) in b.all() {
            let v = id.value.as_str();
            if seen.contains(&v) {
                out.push(
                    Diagnostic::error(
                        "bundle-member",
                        file,
                        at(id),
                        format!("事项 `{v}` 在这个一件事里列了两次"),
                    )
                    .with_hint("每个事项只列一次：必办的写在 `members`，可选的写在 `optional`"),
                );
                continue;
            }
            seen.push(v);
            match p.guide(v) {
                None => {
                    let near = nearest(v, ids());
                    let d = Diagnostic::error(
                        "bundle-member",
                        file,
                        at(id),
                        format!("没有 id 为 `{v}` 的事项，不能作为一件事的成员"),
                    );
                    out.push(if near.is_empty() {
                        d.with_hint("成员写事项的 id（即事项文件名，不含 .yaml）")
                    } else {
                        d.with_hint(format!("你是不是想写 `{}`？", near.join("`、`")))
                    });
                }
                Some(m) if m.guide.is_bundle() => out.push(
                    Diagnostic::error(
                        "bundle-member",
                        file,
                        at(id),
                        format!("`{v}` 本身是一件事，一件事不能再包含一件事"),
                    )
                    .with_hint("列出它包含的事项，而不是它本身"),
                ),
                Some(_) => {}
            }
        }
        situations(cx, file, &g.guide, out);
        wordings(cx, file, &g.guide, out);
    }
}

/// `produced_by` names a matter other than this one.
fn produced_by(cx: &Context, file: &str, g: &Guide, by: &S<String>, out: &mut Vec<Diagnostic>) {
    if by.value == g.id.value {
        out.push(
            Diagnostic::error(
                "produced-by",
                file,
                at(by),
                "`produced_by` 写的是本事项自己".to_owned(),
            )
            .with_hint("本事项办理中生成的材料写 `source: 办理过程中生成`；`produced_by` 写生成它的另一个事项"),
        );
    } else if !cx.project.incomplete && cx.project.guide(&by.value).is_none() {
        // (Not when only some matters were read: `guide show` of one.)
        let near = nearest(
            &by.value,
            cx.project.guides.iter().map(|g| g.guide.id.value.as_str()),
        );
        let d = Diagnostic::error(
            "produced-by",
            file,
            at(by),
            format!("没有 id 为 `{}` 的事项（`produced_by`）", by.value),
        );
        out.push(if near.is_empty() {
            d.with_hint("写生成这份材料的事项的 id")
        } else {
            d.with_hint(format!("你是不是想写 `{}`？", near.join("`、`")))
        });
    }
}

/// The file a member matter is written in.
fn file_of<'a>(cx: &'a Context, id: &str) -> &'a str {
    cx.project.guide(id).map_or("", |g| g.file.as_str())
}

/// Situation ids carry over from the members: one id, one situation.
fn situations(cx: &Context, file: &str, g: &Guide, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, (&str, Pos)> = HashMap::new();
    let own = g.situations.iter().map(|s| (file, s));
    let of_members = g
        .linked
        .iter()
        .flat_map(|m| m.situations.iter().map(move |s| (file_of(cx, &m.id), s)));
    for (f, s) in own.chain(of_members) {
        let id = s.id.value.as_str();
        match seen.get(id) {
            None => {
                seen.insert(id, (f, Pos::of(&s.id)));
            }
            Some((f0, p0)) => out.push(
                Diagnostic::error(
                    "bundle-situation",
                    file,
                    at(&g.name),
                    format!(
                        "一件事“{}”的成员有两个 id 都是 `{id}` 的情形：{f0}:{}:{} 和 {f}:{}:{}",
                        g.name.value,
                        p0.line,
                        p0.column,
                        s.id.pos.line,
                        s.id.pos.column
                    ),
                )
                .with_hint("成员的情形会合并到一件事里，id 必须互不相同：改其中一个的 id（及用到它的 `when`）"),
            ),
        }
    }
}

/// What a document is called, for comparing wordings: without bracketed
/// qualifiers, title marks, punctuation, spaces and “原件/复印件”.
fn normalized(name: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '（' | '(' | '〔' | '【' | '[' => depth += 1,
            '）' | ')' | '〕' | '】' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || c.is_ascii_punctuation() => {}
            '《' | '》' | '“' | '”' | '、' | '，' | '。' | '；' | '：' => {}
            c => out.push(c),
        }
    }
    let s: String = out.iter().collect();
    let s = ["原件和复印件", "原件及复印件", "复印件", "原件"]
        .iter()
        .find_map(|x| s.strip_suffix(x))
        .unwrap_or(&s);
    s.chars().collect()
}

/// Whether two names look like one document: the same after
/// [`normalized`], or sharing most of their character pairs (Dice ≥ 0.8).
pub fn same_document(a: &str, b: &str) -> bool {
    let (a, b) = (normalized(a), normalized(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let pairs = |v: &[char]| -> Vec<(char, char)> { v.windows(2).map(|w| (w[0], w[1])).collect() };
    let (pa, mut pb) = (pairs(&a), pairs(&b));
    if pa.is_empty() || pb.is_empty() {
        return false;
    }
    let total = pa.len() + pb.len();
    let mut common = 0;
    for x in &pa {
        if let Some(i) = pb.iter().position(|y| y == x) {
            pb.swap_remove(i);
            common += 1;
        }
    }
    common * 5 >= total * 2
}

/// One material of a 一件事 or of a member, for comparing wordings.
struct Asked<'a> {
    file: &'a str,
    owner: &'a str,
    key: String,
    name: String,
    pos: Pos,
}

/// Two members asking for what looks like one document under two names: a
/// warning at the second, naming the first (file:line:col).
fn wordings(cx: &Context, file: &str, g: &Guide, out: &mut Vec<Diagnostic>) {
    let mut all: Vec<Asked> = Vec::new();
    let lists = std::iter::once((file, g.id.value.as_str(), &g.materials)).chain(
        g.linked
            .iter()
            .map(|m| (file_of(cx, &m.id), m.id.as_str(), &m.materials)),
    );
    for (f, owner, list) in lists {
        for e in list {
            let Some(r) = resolve_entry(0, &e.value, &cx.project.catalogue) else {
                continue;
            };
            let pos = e
                .value
                .reference
                .as_ref()
                .or(e.value.name.as_ref())
                .map_or(Pos::of(e), Pos::of);
            let key = r
                .catalogue_id
                .clone()
                .unwrap_or_else(|| format!("\u{0}{}", r.name));
            all.push(Asked {
                file: f,
                owner,
                key,
                name: r.name,
                pos,
            });
        }
    }
    let mut told: Vec<(String, String)> = Vec::new();
    for (i, b) in all.iter().enumerate() {
        let Some(a) = all[..i]
            .iter()
            .find(|a| a.owner != b.owner && a.key != b.key && same_document(&a.name, &b.name))
        else {
            continue;
        };
        let pair = (a.key.clone(), b.key.clone());
        if told.contains(&pair) {
            continue;
        }
        told.push(pair);
        out.push(
            Diagnostic::warning(
                "bundle-wording",
                b.file,
                Some(b.pos),
                format!(
                    "一件事“{}”里，“{}”和 {}:{}:{} 的“{}”像是同一份材料，却用了两种写法",
                    g.name.value, b.name, a.file, a.pos.line, a.pos.column, a.name
                ),
            )
            .with_hint(format!(
                "同一份材料只用一种写法（三表合一的教训）：把它放进 {} 的共享目录，两个事项都用同一个 `ref`",
                crate::load::CATALOGUE_FILE
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::same_document;

    #[test]
    fn one_document_under_two_wordings_is_found() {
        assert!(same_document(
            "《新生儿入户申报表》",
            "新生儿入户申报表（社保）"
        ));
        assert!(same_document("居民户口簿复印件", "居民户口簿"));
        assert!(same_document("出生医学证明原件", "《出生医学证明》"));
    }

    #[test]
    fn documents_of_other_people_or_kinds_are_not() {
        assert!(!same_document("居民身份证", "代理人居民身份证"));
        assert!(!same_document("监护人居民身份证", "代理人居民身份证"));
        assert!(!same_document("居民身份证", "居民户口簿"));
        assert!(!same_document("（原件）", "（复印件）"));
    }
}
