//! `guide build`: every output into `dist/` (or `--out`), atomically: the
//! outputs are written to a fresh folder beside it and swapped in only when
//! all succeeded, so a failed build leaves the previous output intact.

use super::{EXIT_OK, EXIT_USAGE};
use crate::layout::font::FontSet;
use crate::load::Project;
use crate::model::Paper;
use crate::render::{booklet, pdf};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 输出文件夹（默认：项目里的 dist/）
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// 只生成其中几样，用逗号分隔：booklet,notices,site,data
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub only: Vec<String>,
    /// 纸张：A5 或 A4（默认取 guide.yaml，未写则 A5）
    #[arg(long, value_name = "PAPER")]
    pub paper: Option<String>,
    /// 适老化大字版（正文不小于 14 磅）
    #[arg(long)]
    pub large_print: bool,
}

const OUTPUTS: &[&str] = &["booklet", "notices", "site", "data"];

/// The date printed on outputs: `SOURCE_DATE_EPOCH` if set, else the newest
/// date in the data, so the same input builds the same bytes.
pub fn build_date(p: &Project) -> String {
    if crate::date::source_date_epoch().is_some() {
        return crate::date::Date::today().to_string();
    }
    p.guides
        .iter()
        .map(|g| g.guide.updated())
        .chain(p.guides.iter().map(|g| g.guide.effective.value.as_str()))
        .max()
        .unwrap_or("1970-01-01")
        .to_owned()
}

fn options(p: &Project, args: &Args) -> Result<booklet::Options, String> {
    let cfg = p.config.as_ref().and_then(|c| c.booklet.as_ref());
    let paper = match args.paper.as_deref() {
        Some("A5") | Some("a5") => Paper::A5,
        Some("A4") | Some("a4") => Paper::A4,
        Some(other) => return Err(format!("纸张只能是 A5 或 A4，不是 `{other}`")),
        None => cfg
            .and_then(|b| b.paper.as_ref())
            .map_or(Paper::A5, |p| p.value),
    };
    let large_print = args.large_print
        || cfg
            .and_then(|b| b.large_print.as_ref())
            .is_some_and(|l| l.value);
    Ok(booklet::Options { paper, large_print })
}

/// Writes every selected output into `dir`.
fn write_outputs(p: &Project, args: &Args, only: &[&str], dir: &Path) -> Result<()> {
    let date = build_date(p);
    let (site, data) = (only.contains(&"site"), only.contains(&"data"));
    if site || data {
        crate::render::site::write(p, dir, &date, site, data)?;
    }
    if !only.contains(&"booklet") && !only.contains(&"notices") {
        return Ok(());
    }
    let mut fonts = FontSet::for_project(p)?;
    fonts.prepare(&crate::validate::glyphs::charset(p));
    if only.contains(&"notices") {
        write_notices(p, &fonts, &dir.join("notices"))?;
    }
    if only.contains(&"booklet") {
        let opts = options(p, args).map_err(anyhow::Error::msg)?;
        let doc = booklet::lay_out(p, &fonts, opts, &date);
        let bytes = pdf::write(&doc, &fonts).context("生成手册 PDF 失败")?;
        let path = dir.join("booklet.pdf");
        std::fs::write(&path, bytes).with_context(|| format!("无法写入 {}", path.display()))?;
    }
    Ok(())
}

/// The blank notice of every matter, `notices/ID.pdf`, in parallel.
fn write_notices(p: &Project, fonts: &FontSet, dir: &Path) -> Result<()> {
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

pub fn run(project: Option<&Path>, args: Args) -> Result<u8> {
    let only: Vec<&str> = if args.only.is_empty() {
        OUTPUTS.to_vec()
    } else {
        args.only.iter().map(String::as_str).collect()
    };
    if let Some(bad) = only.iter().find(|o| !OUTPUTS.contains(o)) {
        eprintln!("没有 `{bad}` 这种输出；可选：{}", OUTPUTS.join("、"));
        return Ok(EXIT_USAGE);
    }
    let p = match super::load_valid(project)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    if let Err(e) = options(&p, &args) {
        eprintln!("{e}");
        return Ok(EXIT_USAGE);
    }
    let out = args.out.clone().unwrap_or_else(|| p.root.join("dist"));
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&parent).with_context(|| format!("无法创建 {}", parent.display()))?;
    let name = out
        .file_name()
        .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).with_context(|| format!("无法创建 {}", staging.display()))?;
    if let Err(e) = write_outputs(&p, &args, &only, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e.context("生成失败，原有输出未改动"));
    }
    // Swap in: the old output moves aside first, and back if the swap fails.
    let had_old = out.exists();
    if had_old {
        std::fs::rename(&out, &old).with_context(|| format!("无法替换 {}", out.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, &out) {
        if had_old {
            let _ = std::fs::rename(&old, &out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(anyhow::Error::from(e).context(format!("无法写入 {}", out.display())));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    eprintln!("已生成 {}：{}", out.display(), only.join("、"));
    Ok(EXIT_OK)
}
