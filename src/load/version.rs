//! A project as it was: a folder, or a git revision of the repository that
//! holds the current project, unpacked with `git archive` (the working
//! tree is not touched). `guide diff` and `guide build --since` compare
//! against it.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where a version's project lives: a folder, or a git revision unpacked
/// into a temporary folder (kept alive with it).
pub struct Version {
    pub root: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

impl Version {
    /// A project folder as it is.
    pub fn folder(root: PathBuf) -> Version {
        Version { root, _temp: None }
    }
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
pub fn version(spec: &str, current: &Path) -> Result<Result<Version, String>> {
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

/// How `--since` reads on paper: a git revision as “2026-11-02（a1b2c3d）”,
/// dated in Beijing time whatever the committer's zone, a folder by its name.
pub fn label(root: &Path, spec: &str) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
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
