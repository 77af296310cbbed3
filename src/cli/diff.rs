//! `guide diff OLD NEW`: what changed for citizens between two project
//! folders or two git revisions (read with `git archive`; the working tree
//! is not touched). Exit 0 no change, 1 changes, 2 trouble — like `diff`.

use super::{EXIT_OK, EXIT_USAGE};
use crate::load::Project;
use crate::load::version::{Version, version};
use anyhow::{Context, Result};
use clap::ValueEnum;
use std::path::Path;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 旧版本：项目文件夹，或 git 版本（如 HEAD~1、v2026.3、提交号）
    pub old: String,
    /// 新版本：项目文件夹，或 git 版本；默认当前项目文件夹
    pub new: Option<String>,
    /// 输出格式
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

fn load(v: &Version, what: &str) -> Result<Result<Project, u8>> {
    let r = super::load_valid(Some(&v.root))?;
    if r.is_err() {
        eprintln!("（{what}版本的数据有错，无法比较）");
    }
    Ok(r)
}

pub fn run(project: Option<&Path>, args: Args) -> Result<u8> {
    // Revisions are of the repository holding the current project, found
    // from here upward like every command does.
    let current = match crate::load::find_root(project) {
        Ok(root) => root,
        Err(_) => match project {
            Some(p) => p.to_path_buf(),
            None => std::env::current_dir().context("无法确定当前文件夹")?,
        },
    };
    let old = match version(&args.old, &current)? {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{e}");
            return Ok(EXIT_USAGE);
        }
    };
    let new = match &args.new {
        Some(spec) => match version(spec, &current)? {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{e}");
                return Ok(EXIT_USAGE);
            }
        },
        None => Version::folder(crate::load::find_root(project)?),
    };
    let (Ok(o), Ok(n)) = (load(&old, "旧")?, load(&new, "新")?) else {
        return Ok(EXIT_USAGE);
    };
    let d = crate::diff::diff(&o, &n);
    let out = match args.format {
        Format::Text => crate::diff::text(&d),
        Format::Markdown => crate::diff::markdown(&d),
        Format::Json => serde_json::to_string_pretty(&d)? + "\n",
    };
    print!("{out}");
    Ok(if d.is_empty() { EXIT_OK } else { 1 })
}
