//! Renderers: validated data in, files out. Each sees only the loaded,
//! validated project and a context; none reads YAML or calls another.

pub mod booklet;
pub mod bounded;
pub mod changes;
pub mod notice;
pub mod pdf;
pub mod search;
pub mod site;
mod structure;
pub mod text;

use crate::layout::font::FontSet;
use crate::output::Place;
use anyhow::{Context, Result};

/// The date printed on outputs (the booklet's 编印日期, the site's and the
/// data's build date): the day of the build in Beijing time, or the day of
/// `SOURCE_DATE_EPOCH` when set — the same input with the same
/// `SOURCE_DATE_EPOCH` builds the same bytes.
pub fn build_date(_p: &crate::load::Project) -> String {
    crate::date::Date::today().to_string()
}

/// Every output of `guide build`, in this order.
pub const OUTPUTS: &[&str] = &["booklet", "notices", "site", "data"];

/// What one build writes.
pub struct Plan<'a> {
    /// Which of [`OUTPUTS`].
    pub only: Vec<&'a str>,
    pub booklet: booklet::Options,
    /// Also the print edition (`booklet-print.pdf`), with these settings.
    pub print: Option<booklet::Print>,
    /// The project to compare with for `changes.pdf`, and its name on paper.
    pub since: Option<(crate::load::Project, String)>,
}

/// Writes every output of `plan` into `dir`. The outputs are independent
/// files, so they are made side by side: the PDFs on the thread pool (the
/// booklet's writer is sequential, the notices fill the other core
/// meanwhile) and the site on a thread of its own, one page at a time, so
/// that its short parallel steps never wait behind a PDF job. Each
/// output's bytes do not depend on the order. When several fail, the
/// first in [`OUTPUTS`] order is reported.
pub fn write_all(p: &crate::load::Project, plan: &Plan, dir: Place) -> Result<()> {
    let only = &plan.only;
    let date = &crate::render::build_date(p);
    let (site, data) = (only.contains(&"site"), only.contains(&"data"));
    let needs_fonts =
        plan.since.is_some() || only.contains(&"booklet") || only.contains(&"notices");
    let fonts = if needs_fonts {
        Some(prepared_fonts(p)?)
    } else {
        None
    };
    let fonts = fonts.as_ref();
    // One slot per job, in a fixed order: the first error reported is the
    // same whichever job finishes first.
    let mut results: [Option<Result<()>>; 5] = Default::default();
    let [r_changes, r_notices, r_booklet, r_print, r_site] = &mut results;
    let write_site = move || crate::render::site::write(p, dir, date, site, data);
    std::thread::scope(|threads| {
        let site_thread = (needs_fonts && (site || data)).then(|| {
            threads.spawn(move || {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                    .map_err(anyhow::Error::from)
                    .and_then(|pool| pool.install(write_site))
            })
        });
        rayon::scope(|s| {
            if let (Some((old, since_label)), Some(fonts)) = (&plan.since, fonts) {
                s.spawn(move |_| {
                    *r_changes = Some(write_changes(p, old, since_label, date, fonts, dir))
                });
            }
            if let (true, Some(fonts)) = (only.contains(&"notices"), fonts) {
                s.spawn(move |_| *r_notices = Some(write_notices(p, fonts, dir)));
            }
            if let (true, Some(fonts)) = (only.contains(&"booklet"), fonts) {
                s.spawn(move |_| {
                    let pdf = booklet::write(p, fonts, plan.booklet, date, None);
                    *r_booklet = Some(save(pdf, dir, "booklet.pdf", "手册"));
                });
                if let Some(print) = plan.print {
                    s.spawn(move |_| {
                        let pdf = booklet::write(p, fonts, plan.booklet, date, Some(print));
                        *r_print = Some(save(pdf, dir, booklet::PRINT_FILE, "印刷版手册"));
                    });
                }
            }
        });
        if let Some(t) = site_thread {
            *r_site = Some(
                t.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("生成网站的线程意外终止"))),
            );
        } else if site || data {
            *r_site = Some(write_site());
        }
    });
    results.into_iter().flatten().collect()
}

/// The fonts of `p` with every character of its data resolved: what its
/// booklet, notices and changes lay out with. Preparing takes a while (the
/// whole project's characters); the hall server does it once per load of
/// the data and issues every notice with the result.
pub fn prepared_fonts(p: &crate::load::Project) -> Result<FontSet> {
    let mut f = p.fonts()?;
    f.prepare(&crate::validate::glyphs::charset(p));
    Ok(f)
}

/// `changes.pdf`: what changed since `old`.
fn write_changes(
    p: &crate::load::Project,
    old: &crate::load::Project,
    since_label: &str,
    date: &str,
    fonts: &FontSet,
    dir: Place,
) -> Result<()> {
    let d = crate::diff::diff(old, p);
    let config = p.config.as_ref().context("缺少 guide.yaml")?;
    let doc = crate::render::changes::lay_out(
        &d,
        &config.title.value,
        &config.organization.value,
        since_label,
        // The day the changes apply: the build's as-of date.
        &p.as_of.map_or_else(|| date.to_owned(), |d| d.to_string()),
        fonts,
    );
    save(pdf::write(&doc, fonts), dir, "changes.pdf", "政策变更通知")
}

/// The options the blank notices are written with: a notice per matter,
/// so the faces' programs are prepared once for them all rather than
/// subset for each file, and the streams deflated at level 1 (for 1,000
/// notices 0.4 s less CPU than level 6, for 1.6 % more bytes: their fonts,
/// most of a notice, are stored as they are). (The booklet is written as
/// it would be alone: its bytes do not depend on what else a build
/// writes.)
pub fn notice_options() -> pdf::Options {
    pdf::Options {
        programs: true,
        level: 1,
        ..pdf::Options::default()
    }
}

/// Writes the PDF `bytes` (`what` names it in an error) as `name` in `dir`.
fn save(bytes: Result<Vec<u8>>, dir: Place, name: &str, what: &str) -> Result<()> {
    let bytes = bytes.with_context(|| format!("生成{what} PDF 失败"))?;
    dir.write(name, &bytes)
}

/// The blank notice of every matter, `notices/ID.pdf`, in parallel.
fn write_notices(p: &crate::load::Project, fonts: &FontSet, dir: Place) -> Result<()> {
    use rayon::prelude::*;
    let folder = dir.dir().join("notices");
    std::fs::create_dir_all(&folder).with_context(|| format!("无法创建 {}", folder.display()))?;
    // A notice a job: when the other jobs end, the last notices are
    // shared between the threads, not left in one thread's part.
    p.guides.par_iter().with_max_len(1).try_for_each(|gf| {
        let g = &gf.guide;
        let list = crate::model::resolve::materials(
            g,
            &p.catalogue,
            crate::model::resolve::Selection::All,
        );
        let doc = crate::render::notice::lay_out(p, g, &list, &Default::default(), fonts);
        // The id is validated `[a-z0-9-]`: it cannot leave the folder.
        let name = format!("notices/{}.pdf", g.id.value);
        let what = format!(" {} 的告知单", g.id.value);
        save(
            pdf::write_with(&doc, fonts, notice_options()),
            dir,
            &name,
            &what,
        )
    })
}
