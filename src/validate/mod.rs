//! Rules over a decoded project → diagnostics. One file per family of rules;
//! every rule runs, so all problems are reported in one run.

mod bundle;
mod config;
mod fields;
pub mod glyphs;
mod ids;
mod materials;
mod notice;
mod one_of;
mod refs;
mod text;

use crate::date::Date;
use crate::diag::{self, Diagnostic};
use crate::load::Project;
use crate::model::{Pos, S};

/// What the rules need besides the project.
pub struct Context<'a> {
    pub project: &'a Project,
    pub today: Date,
}

/// Every rule over `project`; not sorted.
pub fn validate(project: &Project, today: Date) -> Vec<Diagnostic> {
    let cx = Context { project, today };
    let mut out = Vec::new();
    config::check(&cx, &mut out);
    ids::check(&cx, &mut out);
    refs::check(&cx, &mut out);
    bundle::check(&cx, &mut out);
    materials::check(&cx, &mut out);
    one_of::check(&cx, &mut out);
    fields::check(&cx, &mut out);
    notice::check(&cx, &mut out);
    text::check(&cx, &mut out);
    out
}

/// Load diagnostics plus rule diagnostics, sorted by file and line.
pub fn all(project: &Project, load_diags: Vec<Diagnostic>, today: Date) -> Vec<Diagnostic> {
    let mut d = load_diags;
    d.extend(validate(project, today).into_iter().filter(|r| {
        !r.pos
            .is_some_and(|p| project.sources.is_touched(&r.file, p.line))
    }));
    diag::sort(&mut d);
    diag::dedup(&mut d);
    d
}

/// `[a-z0-9][a-z0-9-]*`: ids become file names, so nothing else is allowed.
pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 100
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

fn at<T>(s: &S<T>) -> Option<Pos> {
    Some(Pos::of(s))
}
