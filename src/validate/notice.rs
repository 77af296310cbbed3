//! The notice settings: the project's (`notice:` in guide.yaml) and each
//! matter's own (`notice:` in its file). What the decoder already refuses
//! (an unknown 事项类型 in `legal_clauses`, a unit other than 工作日 or
//! 自然日, a yes/no that is not one) is not repeated here.

use super::{Context, at};
use crate::diag::Diagnostic;
use crate::load::CONFIG_FILE;
use crate::model::{CorrectionUnit, Kind, S};

pub fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    if let Some(n) = cx.project.config.as_ref().and_then(|c| c.notice.as_ref()) {
        let unit = n
            .correction_unit
            .as_ref()
            .map_or(CorrectionUnit::WorkingDay, |u| u.value);
        days(CONFIG_FILE, n.correction_days.as_ref(), unit, out);
        clause(
            CONFIG_FILE,
            "notice.legal_clause",
            n.legal_clause.as_ref(),
            out,
        );
        for (kind, c) in &n.legal_clauses {
            clause(
                CONFIG_FILE,
                &format!("notice.legal_clauses.{kind}"),
                Some(c),
                out,
            );
        }
        if let (Some(old), Some(new)) = (&n.legal_clause, n.legal_clauses.get(&Kind::Permit))
            && old.value.trim() != new.value.trim()
        {
            out.push(
                Diagnostic::warning(
                    "unused-setting",
                    CONFIG_FILE,
                    at(old),
                    format!(
                        "`notice.legal_clause` 不会被使用：行政许可事项引用 `legal_clauses` 里写的“{}”",
                        new.value.trim()
                    ),
                )
                .with_hint("`legal_clause` 只是行政许可事项的法律依据；删去它，或把两处写成一样"),
            );
        }
    }
    let project_unit = cx
        .project
        .config
        .as_ref()
        .and_then(|c| c.notice.as_ref())
        .and_then(|n| n.correction_unit.as_ref())
        .map_or(CorrectionUnit::WorkingDay, |u| u.value);
    for gf in &cx.project.guides {
        let Some(n) = &gf.guide.notice else {
            continue;
        };
        let unit = n.correction_unit.as_ref().map_or(project_unit, |u| u.value);
        days(&gf.file, n.correction_days.as_ref(), unit, out);
        clause(
            &gf.file,
            "notice.legal_clause",
            n.legal_clause.as_ref(),
            out,
        );
    }
}

/// A correction deadline of 0 days leaves the applicant no time.
fn days(file: &str, d: Option<&S<u32>>, unit: CorrectionUnit, out: &mut Vec<Diagnostic>) {
    if let Some(d) = d
        && d.value == 0
    {
        out.push(
            Diagnostic::error(
                "bad-value",
                file,
                at(d),
                format!("补正期限不能为 0 个{unit}"),
            )
            .with_hint("写申请人补正材料的天数，例如 20（单位见 `correction_unit`，默认 工作日）"),
        );
    }
}

/// A clause, when written, says something: an empty one would print
/// “根据的规定”.
fn clause(file: &str, key: &str, c: Option<&S<String>>, out: &mut Vec<Diagnostic>) {
    if let Some(c) = c
        && c.value.trim().is_empty()
    {
        out.push(
            Diagnostic::error(
                "empty-value",
                file,
                at(c),
                format!("`{key}` 不能为空"),
            )
            .with_hint(
                "写告知单引用的条文，例如 `《中华人民共和国行政许可法》第三十二条`；没有法律依据就删去这一项，告知单不引用",
            ),
        );
    }
}
