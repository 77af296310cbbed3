//! Materials: counts agree with the form; the same material is not defined
//! differently in two matters; a matter lists materials or says why not.

use super::Context;
use crate::diag::Diagnostic;
use crate::load::CATALOGUE_FILE;
use crate::model::resolve::resolve_entry;
use crate::model::{Form, Pos, S};
use std::collections::BTreeMap;

/// Checks originals/copies against the form; `o`/`c` are the counts as
/// written (None = default).
fn counts(
    file: &str,
    form: Form,
    form_pos: Option<Pos>,
    o: Option<&S<u32>>,
    c: Option<&S<u32>>,
    out: &mut Vec<Diagnostic>,
) {
    let (dflt_o, dflt_c) = form.default_counts();
    let originals = o.map_or(dflt_o, |v| v.value);
    let copies = c.map_or(dflt_c, |v| v.value);
    let (need_o, need_c) = match form {
        Form::Original => (originals >= 1, copies == 0),
        Form::Copy => (originals == 0, copies >= 1),
        Form::Both => (originals >= 1, copies >= 1),
        Form::Electronic => (originals == 0, copies == 0),
    };
    let rule = match form {
        Form::Original => "“原件”应有原件（originals ≥ 1）且复印件为 0",
        Form::Copy => "“复印件”应有复印件（copies ≥ 1）且原件为 0",
        Form::Both => "“原件和复印件”两者都应至少 1 份",
        Form::Electronic => "“电子”材料不收纸质原件或复印件",
    };
    let mut report = |what: &str, pos: Option<Pos>| {
        out.push(
            Diagnostic::error(
                "counts-mismatch-form",
                file,
                pos.or(form_pos),
                format!("{what}与材料形式“{form}”不符"),
            )
            .with_hint(format!("{rule}；改正份数或 `form`")),
        );
    };
    if !need_o {
        report(&format!("原件份数 {originals} "), o.map(Pos::of));
    }
    if !need_c {
        report(&format!("复印件份数 {copies} "), c.map(Pos::of));
    }
}

/// A blank form or sample: a web address, or a file of the project that
/// may be published (see [`crate::load::access`]).
fn link(cx: &Context, file: &str, key: &str, v: &Option<S<String>>, out: &mut Vec<Diagnostic>) {
    use crate::load::access::{self, Refusal};
    let Some(v) = v else {
        return;
    };
    let t = v.value.trim();
    if access::is_web_address(t) {
        return;
    }
    match access::project_file(&cx.project.root, t) {
        Ok(_) => {}
        Err(Refusal::Missing) => out.push(
            Diagnostic::error(
                "missing-file",
                file,
                Some(Pos::of(v)),
                format!("找不到 `{key}` 文件 `{t}`"),
            )
            .with_hint("路径相对于 guide.yaml 所在的文件夹；网站会附上这个文件供下载"),
        ),
        Err(Refusal::Outside) if !t.contains("..") && t.contains(':') => out.push(
            Diagnostic::error(
                "bad-link",
                file,
                Some(Pos::of(v)),
                format!("`{key}` 只能是网址（https://…）或项目里的文件"),
            )
            .with_hint(
                "写 https:// 开头的网址，或相对于 guide.yaml 的文件路径，例如 `forms/申请表.pdf`",
            ),
        ),
        Err(r) => out.push(
            Diagnostic::error(
                "unsafe-file",
                file,
                Some(Pos::of(v)),
                format!("`{key}` 文件 `{t}` {}，不会发布", r.message()),
            )
            .with_hint("把要提供下载的表格放在项目里的普通文件夹（如 forms/），并写它的相对路径"),
        ),
    }
}

/// A material whose form (原件/复印件/…) the published guide does not state:
/// a warning; the outputs print 未注明, never a guess.
fn missing_form(file: &str, name: &S<String>) -> Diagnostic {
    Diagnostic::warning(
        "missing-element",
        file,
        Some(Pos::of(name)),
        format!("材料“{}”没有写材料形式（`form`）", name.value),
    )
    .with_hint("可选的值：原件、复印件、原件和复印件、电子；原文没有写的，输出里印“未注明”")
}

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let catalogue = &cx.project.catalogue;
    for e in &catalogue.entries {
        link(cx, CATALOGUE_FILE, "blank_form", &e.blank_form, out);
        link(cx, CATALOGUE_FILE, "sample", &e.sample, out);
    }
    for g in &cx.project.guides {
        for m in g
            .guide
            .materials
            .iter()
            .flat_map(|m| m.value.with_alternatives())
        {
            link(cx, &g.file, "blank_form", &m.blank_form, out);
            link(cx, &g.file, "sample", &m.sample, out);
        }
    }
    for e in &catalogue.entries {
        match &e.form {
            Some(form) => counts(
                CATALOGUE_FILE,
                form.value,
                Some(Pos::of(form)),
                e.originals.as_ref(),
                e.copies.as_ref(),
                out,
            ),
            None => out.push(missing_form(CATALOGUE_FILE, &e.name)),
        }
    }
    // name -> first inline definition (file, line, form, originals, copies)
    let mut inline: BTreeMap<&str, (&str, u32, Form, u32, u32, &str)> = BTreeMap::new();
    for g in &cx.project.guides {
        let file = g.file.as_str();
        if g.guide.materials.is_empty()
            && g.guide.materials_note.is_none()
            && !g.guide.is_bundle()
            && !cx.project.sources.was_removed(file, "materials")
        {
            out.push(
                Diagnostic::error(
                    "no-materials",
                    file,
                    Some(Pos::of(&g.guide.name)),
                    format!("事项“{}”没有列出申请材料", g.guide.name.value),
                )
                .with_hint(
                    "在 `materials` 里列出材料；确实不需要材料时，用 `materials_note` 说明原因",
                ),
            );
        }
        // The same material twice for the same situations: the window would
        // ask for it twice.
        let mut listed: Vec<(String, u32)> = Vec::new();
        for m in &g.guide.materials {
            let e = &m.value;
            let key = e
                .reference
                .as_ref()
                .and_then(|r| catalogue.get(&r.value).map(|c| c.name.value.clone()))
                .or_else(|| e.name.as_ref().map(|n| n.value.clone()));
            let mut when: Vec<&str> = e.when().iter().map(|w| w.value.as_str()).collect();
            when.sort();
            if let Some(name) = key {
                let k = format!("{name}\u{0}{}", when.join(","));
                let line = Pos::of(m).line;
                if let Some((_, first)) = listed.iter().find(|(n, _)| *n == k) {
                    out.push(
                        Diagnostic::warning(
                            "duplicate-material",
                            file,
                            Some(Pos::of(m)),
                            format!("材料“{name}”在本事项里列了两次（第 {first} 行已有）"),
                        )
                        .with_hint(
                            "合并成一项；不同情形要的份数不同，就用 `when` 分成两项并写清区别",
                        ),
                    );
                } else {
                    listed.push((k, line));
                }
            }
        }
        // A group's alternatives are checked as materials; the group has
        // no form or counts of its own.
        let entries = g
            .guide
            .materials
            .iter()
            .flat_map(|m| std::iter::once(m).chain(m.value.alternatives()))
            .filter(|m| m.value.one_of.is_none());
        for m in entries {
            let e = &m.value;
            if let Some(r) = &e.reference {
                // Overridden counts say what to bring (`copies: 1` on an
                // original: the original and a copy); only “nothing at all”
                // for a paper document is wrong: the counts as the resolver
                // gives them to every output.
                if let Some(resolved) = resolve_entry(0, e, catalogue)
                    && (e.originals.is_some() || e.copies.is_some())
                    && resolved.form != Some(Form::Electronic)
                    && resolved.originals == 0
                    && resolved.copies == 0
                {
                    let at = e.originals.as_ref().or(e.copies.as_ref()).map(Pos::of);
                    out.push(
                        Diagnostic::error(
                            "counts-mismatch-form",
                            file,
                            at,
                            format!("材料 `{}` 的原件和复印件份数都是 0", r.value),
                        )
                        .with_hint("至少要一份原件或复印件；不需要这份材料就删去这一项"),
                    );
                }
                continue;
            }
            let Some(name) = &e.name else {
                continue;
            };
            let Some(form) = &e.form else {
                out.push(missing_form(file, name));
                continue;
            };
            counts(
                file,
                form.value,
                Some(Pos::of(form)),
                e.originals.as_ref(),
                e.copies.as_ref(),
                out,
            );
            let Some(resolved) = resolve_entry(0, e, catalogue) else {
                continue;
            };
            let (o, c) = (resolved.originals, resolved.copies);
            let here = (
                file,
                Pos::of(name).line,
                form.value,
                o,
                c,
                g.guide.id.value.as_str(),
            );
            match inline.get(name.value.as_str()) {
                None => {
                    inline.insert(&name.value, here);
                }
                // Two versions of one matter may change a material: that is the change.
                Some(&(f0, l0, form0, o0, c0, id0))
                    if (form0, o0, c0) != (form.value, o, c) && id0 != g.guide.id.value =>
                {
                    out.push(
                        Diagnostic::warning(
                            "inconsistent-material",
                            file,
                            Some(Pos::of(name)),
                            format!(
                                "材料“{}”在 {f0}:{l0} 是{form0}（原件{o0}份，复印件{c0}份），这里是{}（原件{o}份，复印件{c}份）",
                                name.value, form.value
                            ),
                        )
                        .with_hint(format!(
                            "同一种材料各窗口应答复一致：把它移到 {CATALOGUE_FILE} 的共享目录，各事项用 `ref` 引用"
                        )),
                    );
                }
                Some(_) => {}
            }
        }
    }
}
