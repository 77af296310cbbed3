//! Renderers: validated data in, files out. Each sees only the loaded,
//! validated project and a context; none reads YAML or calls another.

pub mod booklet;
pub mod bounded;
pub mod changes;
pub mod notice;
pub mod pdf;
pub mod search;
pub mod site;
pub mod text;

use crate::layout::font::FontSet;
use anyhow::{Context, Result};
use std::path::Path;

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

/// Writes every output of `plan` into `dir`, renderers in a stable order.
pub fn write_all(p: &crate::load::Project, plan: &Plan, dir: &Path) -> Result<()> {
    let only = &plan.only;
    let date = crate::render::build_date(p);
    if let Some((old, since_label)) = &plan.since {
        let d = crate::diff::diff(old, p);
        let config = p.config.as_ref().context("缺少 guide.yaml")?;
        let mut fonts = p.fonts()?;
        fonts.prepare(&crate::validate::glyphs::charset(p));
        let doc = crate::render::changes::lay_out(
            &d,
            &config.title.value,
            &config.organization.value,
            since_label,
            // The day the changes apply: the build's as-of date.
            &p.as_of.map_or_else(|| date.clone(), |d| d.to_string()),
            &fonts,
        );
        std::fs::write(dir.join("changes.pdf"), pdf::write(&doc, &fonts)?)
            .context("无法写入 changes.pdf")?;
    }
    let (site, data) = (only.contains(&"site"), only.contains(&"data"));
    if site || data {
        crate::render::site::write(p, dir, &date, site, data)?;
    }
    if !only.contains(&"booklet") && !only.contains(&"notices") {
        return Ok(());
    }
    let mut fonts = p.fonts()?;
    fonts.prepare(&crate::validate::glyphs::charset(p));
    if only.contains(&"notices") {
        write_notices(p, &fonts, &dir.join("notices"))?;
    }
    if only.contains(&"booklet") {
        let doc = booklet::lay_out(p, &fonts, plan.booklet, &date);
        let bytes = pdf::write(&doc, &fonts).context("生成手册 PDF 失败")?;
        let path = dir.join("booklet.pdf");
        std::fs::write(&path, bytes).with_context(|| format!("无法写入 {}", path.display()))?;
        if let Some(print) = plan.print {
            let doc = booklet::lay_out_print(p, &fonts, plan.booklet, &date, print);
            let bytes = pdf::write(&doc, &fonts).context("生成印刷版手册 PDF 失败")?;
            let path = dir.join(booklet::PRINT_FILE);
            std::fs::write(&path, bytes).with_context(|| format!("无法写入 {}", path.display()))?;
        }
    }
    Ok(())
}

/// The blank notice of every matter, `notices/ID.pdf`, in parallel.
fn write_notices(p: &crate::load::Project, fonts: &FontSet, dir: &Path) -> Result<()> {
    use rayon::prelude::*;
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建 {}", dir.display()))?;
    p.guides.par_iter().try_for_each(|gf| {
        let g = &gf.guide;
        let list = crate::model::resolve::materials(
            g,
            &p.catalogue,
            crate::model::resolve::Selection::All,
        );
        let doc = crate::render::notice::lay_out(p, g, &list, &Default::default(), fonts);
        let bytes =
            pdf::write(&doc, fonts).with_context(|| format!("生成 {} 的告知单失败", g.id.value))?;
        // The id is validated `[a-z0-9-]`: it cannot leave the folder.
        let path = dir.join(format!("{}.pdf", g.id.value));
        std::fs::write(&path, bytes).with_context(|| format!("无法写入 {}", path.display()))
    })
}
