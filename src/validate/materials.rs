//! Materials: counts agree with the form; the same material is not defined
//! differently in two matters; a matter lists materials or says why not.

use super::Context;
use crate::diag::Diagnostic;
use crate::load::CATALOGUE_FILE;
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

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    let catalogue = &cx.project.catalogue;
    for e in &catalogue.entries {
        counts(
            CATALOGUE_FILE,
            e.form.value,
            Some(Pos::of(&e.form)),
            e.originals.as_ref(),
            e.copies.as_ref(),
            out,
        );
    }
    // name -> first inline definition (file, line, form, originals, copies)
    let mut inline: BTreeMap<&str, (&str, u32, Form, u32, u32, &str)> = BTreeMap::new();
    for g in &cx.project.guides {
        let file = g.file.as_str();
        if g.guide.materials.is_empty()
            && g.guide.materials_note.is_none()
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
        for m in &g.guide.materials {
            let e = &m.value;
            if let Some(r) = &e.reference {
                // Overridden counts must still fit the catalogue's form.
                if let Some(c) = catalogue.get(&r.value)
                    && (e.originals.is_some() || e.copies.is_some())
                {
                    counts(
                        file,
                        c.form.value,
                        Some(Pos::of(r)),
                        e.originals.as_ref().or(c.originals.as_ref()),
                        e.copies.as_ref().or(c.copies.as_ref()),
                        out,
                    );
                }
                continue;
            }
            let (Some(name), Some(form)) = (&e.name, &e.form) else {
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
            let (dflt_o, dflt_c) = form.value.default_counts();
            let o = e.originals.as_ref().map_or(dflt_o, |v| v.value);
            let c = e.copies.as_ref().map_or(dflt_c, |v| v.value);
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
