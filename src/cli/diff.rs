//! `guide diff OLD NEW`: what changed for citizens between two project
//! folders or two git revisions (read with `git archive`; the working tree
//! is not touched). Exit 0 no change, 1 changes, 2 trouble — like `diff`.

use super::{EXIT_OK, EXIT_USAGE};
use crate::load::Project;
use anyhow::{Context, Result};
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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

/// Where a version's project lives: a folder, or a git revision unpacked
/// into a temporary folder (kept alive with it).
pub(crate) struct Version {
    pub(crate) root: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stderr(Stdio::piped())
        .output()
        .context("无法运行 git")?;
    if !out.status.success() {
        anyhow::bail!("{}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .trim_end_matches('\n')
        .to_owned())
}

/// `spec` as a folder if it is one, else as a git revision of the
/// repository holding the current project.
pub(crate) fn version(spec: &str, current: &Path) -> Result<Result<Version, String>> {
    let p = Path::new(spec);
    if p.is_dir() {
        return Ok(match crate::load::find_root(Some(p)) {
            Ok(root) => Ok(Version { root, _temp: None }),
            Err(e) => Err(e.to_string()),
        });
    }
    let Ok(top) = git(current, &["rev-parse", "--show-toplevel"]) else {
        return Ok(Err(format!(
            "`{spec}` 既不是文件夹，当前项目也不在 git 仓库里"
        )));
    };
    if git(
        current,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{spec}^{{commit}}"),
        ],
    )
    .is_err()
    {
        return Ok(Err(format!(
            "`{spec}` 既不是文件夹，也不是这个仓库里的 git 版本"
        )));
    }
    let prefix = git(current, &["rev-parse", "--show-prefix"])?;
    let temp = tempfile::tempdir().context("无法创建临时文件夹")?;
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(&top)
        .args(["archive", "--format=tar", spec])
        .args((!prefix.is_empty()).then_some(prefix.as_str()))
        .stdout(Stdio::piped())
        .spawn()
        .context("无法运行 git archive")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(temp.path())
        .stdin(archive.stdout.take().context("git archive 没有输出")?)
        .status()
        .context("无法运行 tar")?;
    let archived = archive.wait()?;
    if !archived.success() || !tar.success() {
        return Ok(Err(format!("无法从 git 版本 `{spec}` 取出项目")));
    }
    let root = temp.path().join(&prefix);
    if !root.join(crate::load::CONFIG_FILE).is_file() {
        return Ok(Err(format!("git 版本 `{spec}` 里这个位置没有 guide.yaml")));
    }
    Ok(Ok(Version {
        root,
        _temp: Some(temp),
    }))
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
        None => Version {
            root: crate::load::find_root(project)?,
            _temp: None,
        },
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
