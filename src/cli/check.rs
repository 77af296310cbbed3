//! `guide check`: validate the project and report every problem.

use super::{EXIT_INVALID, EXIT_OK};
use crate::diag::{render_human, render_json};
use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use std::path::Path;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// 给人看的报告
    Human,
    /// 每行一个 JSON 对象（供 CI 标注）
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 输出格式
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// 有警告也算失败（退出码 1）
    #[arg(long)]
    pub deny_warnings: bool,
    /// 另外检查：与这个版本（git 版本或文件夹）相比改了内容、却没有在 changelog 里写一条的事项
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

/// Colour only for a person at a terminal.
pub(crate) fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

pub fn run(project: Option<&Path>, args: Args) -> anyhow::Result<u8> {
    let root = crate::load::find_root(project)?;
    // The old version first: a wrong revision is a usage error.
    let old = match &args.since {
        None => None,
        Some(spec) => match crate::load::version::version(spec, &root)? {
            Ok(v) => Some(v),
            Err(e) => {
                eprintln!("{e}");
                return Ok(super::EXIT_USAGE);
            }
        },
    };
    let (p, load_diags) = crate::load::load(&root)?;
    let mut diags = crate::check::with_templates(&p, load_diags);
    diags.extend(crate::check::personal_data(&p));
    if let (Some(v), Some(spec)) = (&old, &args.since) {
        diags.extend(crate::check::changelog_not_updated(&p, &v.root, spec));
    }
    crate::diag::sort(&mut diags);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let shown = crate::diag::capped(&diags);
    match args.format {
        Format::Human => eprint!("{}", render_human(&shown, &p.sources, color())),
        Format::Json => {
            let mut out = std::io::stdout().lock();
            out.write_all(render_json(&shown, &p.sources).as_bytes())?;
            out.flush()?;
        }
    }
    eprintln!(
        "检查了 {} 个事项、{} 种目录材料：{} 个错误，{} 个警告",
        p.guide_files_found,
        p.catalogue.entries.len(),
        errors,
        warnings
    );
    Ok(if errors > 0 || (args.deny_warnings && warnings > 0) {
        EXIT_INVALID
    } else {
        EXIT_OK
    })
}
