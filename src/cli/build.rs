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
    /// 同时生成 changes.pdf（政策变更通知）：与这个版本（git 版本或文件夹）相比的变化
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    /// 按这一天施行的规定生成（年-月-日；默认今天）
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// 只检查输出文件夹是否与当前数据生成的结果一致（不写任何文件）：一致退出码 0，不一致 1
    #[arg(long)]
    pub check: bool,
}

const OUTPUTS: &[&str] = &["booklet", "notices", "site", "data"];

/// The date printed on outputs (the booklet's 编印日期, the site's and the
/// data's build date): the day of the build in Beijing time, or the day of
/// `SOURCE_DATE_EPOCH` when set — the same input with the same
/// `SOURCE_DATE_EPOCH` builds the same bytes.
pub fn build_date(_p: &Project) -> String {
    crate::date::Date::today().to_string()
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
    if let Some(old) = &since_project(p, args)? {
        let d = crate::diff::diff(old, p);
        let config = p.config.as_ref().context("缺少 guide.yaml")?;
        let mut fonts = FontSet::for_project(p)?;
        fonts.prepare(&crate::validate::glyphs::charset(p));
        let doc = crate::render::changes::lay_out(
            &d,
            &config.title.value,
            &config.organization.value,
            &since_label(p, args.since.as_deref().unwrap_or_default()),
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

/// How `--since` reads on paper: a git revision as “2026-11-02（a1b2c3d）”,
/// dated in Beijing time whatever the committer's zone, a folder by its name.
fn since_label(p: &Project, spec: &str) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(&p.root)
        .args(["log", "-1", "--format=%ct %h", spec, "--"])
        .output();
    let label = |o: &[u8]| {
        let text = String::from_utf8_lossy(o);
        let (secs, hash) = text.trim().split_once(' ')?;
        let day = crate::date::Date::beijing(secs.parse().ok()?);
        Some(format!("{day}（{hash}）"))
    };
    match out {
        Ok(o) if o.status.success() => label(&o.stdout).unwrap_or_else(|| spec.to_owned()),
        _ => spec.to_owned(),
    }
}

/// The project as it was at `--since` (in force on the same date).
fn since_project(p: &Project, args: &Args) -> Result<Option<Project>> {
    let Some(spec) = &args.since else {
        return Ok(None);
    };
    let v = match super::diff::version(spec, &p.root)? {
        Ok(v) => v,
        Err(e) => anyhow::bail!("{e}"),
    };
    let date = p.as_of.unwrap_or_else(crate::date::Date::today);
    match super::load_valid_as_of(Some(&v.root), date)? {
        Ok(old) => Ok(Some(old)),
        Err(_) => anyhow::bail!("`{spec}` 版本的数据有错，无法比较"),
    }
}

/// Written into every output folder: what `guide build` may replace.
const MARKER: &str = ".guide-output";

/// Refuses an output place that would destroy something: the project (or
/// a folder holding it), a file, or a folder of other files.
fn safe_output(root: &Path, out: &Path) -> Result<(), String> {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if abs(root).starts_with(abs(out)) {
        return Err(format!(
            "输出文件夹 {} 是项目文件夹或它的上级：生成时会替换整个文件夹，项目会被删掉。请用 dist 或另一个空文件夹",
            out.display()
        ));
    }
    if out.is_file() {
        return Err(format!(
            "{} 是一个文件，不是文件夹；请换一个输出文件夹",
            out.display()
        ));
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        // Empty, or only what guide writes (an output from before the marker).
        let ours = std::fs::read_dir(out).is_ok_and(|d| {
            d.filter_map(|e| e.ok()).all(|e| {
                let n = e.file_name();
                ["booklet.pdf", "changes.pdf", "notices", "site", "data"]
                    .iter()
                    .any(|k| n.as_os_str() == *k)
            })
        });
        if !ours {
            return Err(format!(
                "{} 里已有别的文件，不是 guide 生成的输出；guide 不会覆盖它。请换一个空文件夹，或先把它清空",
                out.display()
            ));
        }
    }
    Ok(())
}

/// Moves each top-level entry of `staging` into `out`, the previous one of
/// the same name aside to `old` first; then removes `staging` and `old`.
fn swap_entries(staging: &Path, out: &Path, old: &Path) -> Result<()> {
    std::fs::create_dir_all(old).with_context(|| format!("无法创建 {}", old.display()))?;
    let mut names: Vec<_> = std::fs::read_dir(staging)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        let (new, cur, aside) = (staging.join(&name), out.join(&name), old.join(&name));
        if cur.exists() {
            std::fs::rename(&cur, &aside).with_context(|| format!("无法替换 {}", cur.display()))?;
        }
        if let Err(e) = std::fs::rename(&new, &cur) {
            let _ = std::fs::rename(&aside, &cur);
            return Err(anyhow::Error::from(e).context(format!("无法写入 {}", cur.display())));
        }
    }
    let _ = std::fs::remove_dir_all(staging);
    let _ = std::fs::remove_dir_all(old);
    Ok(())
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect();
    v.sort();
    v
}

/// `--check`: builds into a temporary folder and compares it with `out`,
/// file by file and byte by byte; `out` is not touched.
fn check_fresh(p: &Project, args: &Args, only: &[&str], out: &Path) -> Result<u8> {
    let temp = tempfile::tempdir().context("无法创建临时文件夹")?;
    write_outputs(p, args, only, temp.path())?;
    let (want, mut have) = (tree(temp.path()), tree(out));
    // Only what was asked for is compared (`--only site` ignores the booklet).
    let tops: Vec<_> = want.iter().filter_map(|f| f.components().next()).collect();
    have.retain(|f| f.components().next().is_some_and(|c| tops.contains(&c)));
    let mut stale = Vec::new();
    for f in &want {
        let fresh = std::fs::read(temp.path().join(f)).ok();
        let existing = std::fs::read(out.join(f)).ok();
        match existing {
            None => stale.push(format!("缺少 {}", f.display())),
            Some(bytes) if Some(&bytes) != fresh.as_ref() => {
                stale.push(format!("已过时 {}", f.display()))
            }
            Some(_) => {}
        }
    }
    for f in have.iter().filter(|f| !want.contains(f)) {
        stale.push(format!("多余 {}", f.display()));
    }
    if stale.is_empty() {
        eprintln!("{} 与当前数据一致", out.display());
        return Ok(EXIT_OK);
    }
    for s in stale.iter().take(20) {
        eprintln!("{s}");
    }
    if stale.len() > 20 {
        eprintln!("……共 {} 处", stale.len());
    }
    eprintln!(
        "{} 不是当前数据生成的结果：请运行 `guide build`",
        out.display()
    );
    Ok(super::EXIT_INVALID)
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
    let as_of = match args.as_of.as_deref() {
        None => crate::date::Date::today(),
        Some(d) => match crate::date::Date::parse(d) {
            Some(d) => d,
            None => {
                eprintln!("--as-of 的 `{d}` 不是有效日期：写成 年-月-日，例如 2027-01-01");
                return Ok(EXIT_USAGE);
            }
        },
    };
    let p = match super::load_valid_as_of(project, as_of)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    eprintln!("按 {as_of} 施行的规定生成（{} 个事项）", p.guides.len());
    if p.guides.is_empty() {
        eprintln!("警告：{as_of} 没有施行中的事项，生成的输出是空的（--as-of 日期是否写错？）");
    }
    if let Err(e) = options(&p, &args) {
        eprintln!("{e}");
        return Ok(EXIT_USAGE);
    }
    let out = args.out.clone().unwrap_or_else(|| p.root.join("dist"));
    if args.check {
        return check_fresh(&p, &args, &only, &out);
    }
    if let Err(why) = safe_output(&p.root, &out) {
        eprintln!("{why}");
        return Ok(EXIT_USAGE);
    }
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
    std::fs::write(staging.join(MARKER), "guide build\n").context("无法写入输出标记")?;
    if let Err(e) = write_outputs(&p, &args, &only, &staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e.context("生成失败，原有输出未改动"));
    }
    if out.exists() && !args.only.is_empty() {
        // Some outputs only: swap in just those, keep the others.
        swap_entries(&staging, &out, &old)?;
    } else {
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
    }
    eprintln!("已生成 {}：{}", out.display(), only.join("、"));
    Ok(EXIT_OK)
}
