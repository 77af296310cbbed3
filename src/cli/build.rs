//! `guide build`: every output into `dist/` (or `--out`), atomically and
//! losing nothing (see [`crate::output`]); the outputs themselves are the
//! renderers' ([`crate::render::write_all`]).

use super::{EXIT_OK, EXIT_USAGE};
use crate::load::Project;
use crate::model::Paper;
use crate::render::booklet;
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
    /// 同时生成印刷版手册 booklet-print.pdf：3 毫米出血，页数为 4 的倍数（骑马钉），带封底
    #[arg(long)]
    pub print: bool,
    /// 印刷版加裁切线（同时生成印刷版）
    #[arg(long)]
    pub crop_marks: bool,
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

use crate::render::OUTPUTS;

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

/// The print edition, when `--print`, `--crop-marks` or `guide.yaml` asks
/// for it.
fn print(p: &Project, args: &Args) -> Option<booklet::Print> {
    let cfg = p.config.as_ref().and_then(|c| c.booklet.as_ref());
    let set = |v: Option<&crate::model::S<bool>>| v.is_some_and(|v| v.value);
    let crop_marks = args.crop_marks || set(cfg.and_then(|b| b.crop_marks.as_ref()));
    (args.print || crop_marks || set(cfg.and_then(|b| b.print.as_ref())))
        .then_some(booklet::Print { crop_marks })
}

/// The project as it was at `--since` (in force on the same date).
fn since_project(p: &Project, args: &Args) -> Result<Option<Project>> {
    let Some(spec) = &args.since else {
        return Ok(None);
    };
    let v = match crate::load::version::version(spec, &p.root)? {
        Ok(v) => v,
        Err(e) => anyhow::bail!("{e}"),
    };
    let date = p.as_of.unwrap_or_else(crate::date::Date::today);
    match super::load_valid_as_of(Some(&v.root), date)? {
        Ok(old) => Ok(Some(old)),
        Err(_) => anyhow::bail!("`{spec}` 版本的数据有错，无法比较"),
    }
}

/// What to write, from the arguments.
fn plan<'a>(p: &Project, args: &Args, only: &[&'a str]) -> Result<crate::render::Plan<'a>> {
    let booklet = options(p, args).map_err(anyhow::Error::msg)?;
    let since = match since_project(p, args)? {
        Some(old) => {
            let spec = args.since.as_deref().unwrap_or_default();
            Some((old, crate::load::version::label(&p.root, spec)))
        }
        None => None,
    };
    Ok(crate::render::Plan {
        only: only.to_vec(),
        booklet,
        print: print(p, args),
        since,
    })
}

/// Says what `--check` found; the exit code.
fn report_stale(stale: &[String], out: &Path) -> u8 {
    if stale.is_empty() {
        eprintln!("{} 与当前数据一致", out.display());
        return EXIT_OK;
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
    super::EXIT_INVALID
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
    if !args.check
        && let Ok(root) = crate::load::find_root(project)
    {
        // First of all, before anything can stop this run: put back what a
        // killed build may have left moved aside.
        let out = args.out.clone().unwrap_or_else(|| root.join("dist"));
        for said in crate::output::recover(&out) {
            eprintln!("{said}");
        }
    }
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
        let plan = plan(&p, &args, &only)?;
        let temp = tempfile::tempdir().context("无法创建临时文件夹")?;
        crate::render::write_all(&p, &plan, crate::output::Place::new(temp.path(), None))?;
        return Ok(report_stale(
            &crate::output::differences(temp.path(), &out),
            &out,
        ));
    }
    if let Err(why) = crate::output::safe_output(&p.root, &out) {
        eprintln!("{why}");
        return Ok(EXIT_USAGE);
    }
    let plan = plan(&p, &args, &only)?;
    crate::output::replace(&out, !args.only.is_empty(), |dir| {
        crate::render::write_all(&p, &plan, dir)
    })?;
    eprintln!("已生成 {}：{}", out.display(), only.join("、"));
    Ok(EXIT_OK)
}
