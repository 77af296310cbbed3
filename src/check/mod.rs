//! The check pipeline: every diagnostic of a loaded project (decoding,
//! rules, characters the print font lacks, the project's own templates),
//! and the gate every command that uses the data passes. The command line
//! only prints what it finds; `guide serve` reloads through it too.

mod stale;
mod tracked;

pub use stale::changelog_not_updated;
pub use tracked::personal_data;

use crate::diag::Diagnostic;
use crate::load::Project;

/// Every diagnostic of a loaded project: decoding, rules, and characters the
/// print font lacks (when the fonts can be loaded; a bad font path is
/// already a diagnostic of its own).
pub fn diagnostics(p: &Project, load_diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut d = load_diags;
    match p.fonts_at() {
        Ok(fonts) => {
            // A control character stands as a visible substitute in the text:
            // its own error says enough, no "missing glyph" on top.
            let controls: std::collections::HashSet<(String, u32)> = d
                .iter()
                .filter(|x| x.code == "control-char")
                .filter_map(|x| Some((x.file.clone(), x.pos?.line)))
                .collect();
            d.extend(
                crate::validate::glyphs::check(p, &fonts)
                    .into_iter()
                    .filter(|g| {
                        !g.pos
                            .is_some_and(|at| controls.contains(&(g.file.clone(), at.line)))
                    }),
            );
        }
        // A missing or refused path is already a diagnostic of its own.
        Err((Some(at), why)) if crate::load::access::project_file(&p.root, &at.value).is_ok() => {
            d.push(
                Diagnostic::error(
                    "bad-font",
                    crate::load::CONFIG_FILE,
                    Some(crate::model::Pos::of(at)),
                    why,
                )
                .with_hint("换一个完好的 .otf/.ttf 字体文件，或删去 `fonts` 改用内置的思源黑体"),
            );
        }
        Err(_) => {}
    }
    // The project's own site templates must at least parse (rendering them
    // is `guide check`'s: see [`check_diagnostics`]).
    if p.root.join("templates").is_dir()
        && let Err(e) = crate::render::site::templates(&p.root)
    {
        d.push(template_diagnostic(&crate::render::site::template_error(e)));
    }
    crate::validate::all(p, d, crate::date::Date::today())
}

/// [`all_diagnostics`], and when the data has no errors, what rendering
/// every page of the site with the project's own templates finds (an
/// undefined variable, a bad filter, a limit exceeded). Only `guide check`
/// pays for the rendering; `guide build` meets the same problems anyway.
pub fn with_templates(p: &Project, load_diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut d = diagnostics(p, load_diags);
    if p.config.is_some() && p.root.join("templates").is_dir() && !d.iter().any(|d| d.is_error()) {
        let found = crate::render::site::check_templates(p, &crate::render::build_date(p));
        d.extend(found.iter().map(template_diagnostic));
        crate::diag::sort(&mut d);
    }
    d
}

fn template_diagnostic(e: &crate::render::bounded::TemplateError) -> Diagnostic {
    let pos = e
        .pos
        .map(|(line, column, len)| crate::model::Pos { line, column, len });
    let message = match &e.page {
        Some(page) => format!("{}（生成 site/{page} 时）", e.message),
        None => e.message.clone(),
    };
    Diagnostic::error("template", &e.file, pos, message)
        .with_hint("改正这个模板，或删去它改用内置模板（`guide init --templates` 可重新复制）")
}

/// A project with errors: what they are, and the project (its sources quote
/// the lines).
pub struct Invalid {
    pub project: Project,
    pub errors: Vec<Diagnostic>,
}

/// The project if its data has no error (and it has settings); else every
/// error. Commands that read the data go through this, so they only ever
/// see validated data.
pub fn valid((p, load_diags): (Project, Vec<Diagnostic>)) -> Result<Project, Box<Invalid>> {
    let diags = diagnostics(&p, load_diags);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() && p.config.is_some() {
        return Ok(p);
    }
    Err(Box::new(Invalid { project: p, errors }))
}
