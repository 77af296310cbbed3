//! A guide project in a temporary folder, and the real binary run on it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// 2026-06-01 00:00 UTC: "today" for every test run.
pub const TODAY_EPOCH: &str = "1780272000";

pub const CONFIG: &str = "\
title: 测试市政务服务中心办事指南
organization: 测试市政务服务中心
edition: 2026年第1版
contact:
  consult: \"0991-1234567\"
  complaint: \"12345\"
";

pub const CATALOGUE: &str = "\
- id: id-card
  name: 居民身份证
  form: 原件
- id: photo
  name: 近期免冠照片
  form: 原件
  originals: 2
";

/// A valid matter using both catalogue entries and one situation.
pub const BASIC: &str = "\
id: basic
name: 居住证申领
kind: 公共服务
department: 测试市公安局
category: 户籍
situations:
  - id: agent
    label: 委托他人代办
materials:
  - ref: id-card
  - ref: photo
  - name: 授权委托书
    form: 原件
    when: [agent]
steps:
  - name: 受理
time_limit:
  promised: {value: 10, unit: 工作日}
  type: 承诺件
fees:
  charged: false
handling:
  visits: 1
  visit_reason: 现场核验身份
  locations:
    - address: 测试市人民路1号
result:
  name: 居住证
effective: 2026-01-01
";

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub struct TestProject {
    dir: tempfile::TempDir,
}

impl TestProject {
    /// A valid project: settings, catalogue, and the `basic` matter.
    pub fn new() -> TestProject {
        TestProject::empty()
            .file("guide.yaml", CONFIG)
            .file("materials.yaml", CATALOGUE)
            .file("guides/hukou/basic.yaml", BASIC)
    }

    /// An empty folder.
    pub fn empty() -> TestProject {
        TestProject {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(self, name: &str, text: &str) -> TestProject {
        self.bytes(name, text.as_bytes())
    }

    pub fn bytes(self, name: &str, bytes: &[u8]) -> TestProject {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// A matter file with `BASIC`'s text where `from` is replaced by `to`.
    pub fn basic_with(self, from: &str, to: &str) -> TestProject {
        assert!(BASIC.contains(from), "BASIC has no {from:?}");
        let text = BASIC.replacen(from, to, 1);
        self.file("guides/hukou/basic.yaml", &text)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_in(self.path(), args)
    }

    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Output {
        run_guide(cwd, args)
    }

    /// `guide check`: the whole report.
    pub fn check(&self) -> Output {
        self.run(&["check"])
    }
}

/// Runs `guide` with `args` in `cwd` ("today" fixed, no colour).
pub fn run_guide<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S]) -> Output {
    run_guide_at(cwd, args, TODAY_EPOCH)
}

/// Like [`run_guide`] with "now" at Unix time `epoch`.
pub fn run_guide_at<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S], epoch: &str) -> Output {
    run_guide_env(cwd, args, &[("SOURCE_DATE_EPOCH", epoch)])
}

/// Runs `guide` with `args` in `cwd` (no colour) and `env` set.
pub fn run_guide_env<S: AsRef<std::ffi::OsStr>>(
    cwd: &Path,
    args: &[S],
    env: &[(&str, &str)],
) -> Output {
    let out = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        // No system fonts: what a test prints depends on the test alone.
        .env("GUIDE_FONT_DIRS", "")
        .envs(env.iter().copied())
        .output()
        .expect("run guide");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// Builds `only` of the demo project into a fresh folder; returns the folder
/// (keep it alive) and the output directory.
pub fn build_demo(only: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dist");
    let mut args: Vec<std::ffi::OsString> = vec![
        "build".into(),
        "--only".into(),
        only.into(),
        "--project".into(),
    ];
    args.push(demo().into());
    args.push("--out".into());
    args.push(out.clone().into());
    args.extend(extra.iter().map(Into::into));
    let run = run_guide(dir.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (dir, out)
}

/// Runs git in `dir` as the policy office; its output, trimmed.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "政策科")
        .env("GIT_AUTHOR_EMAIL", "policy@example.gov.cn")
        .env("GIT_COMMITTER_NAME", "政策科")
        .env("GIT_COMMITTER_EMAIL", "policy@example.gov.cn")
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// `BASIC` with the promised time changed from 10 to `days` working days.
pub fn basic_promising(days: u32) -> String {
    BASIC.replace(
        "promised: {value: 10, unit: 工作日}",
        &format!("promised: {{value: {days}, unit: 工作日}}"),
    )
}

/// Makes `dir` a git repository whose first commit is its current content.
pub fn git_init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "第一版"]);
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_guide"))
}

/// The repository's demo project.
pub fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("guides")
}

/// How many matters the demo has: its matter files, dated versions left
/// out (the demo grows; a test counts what is there).
#[allow(dead_code)]
pub fn demo_matters() -> usize {
    walkdir::WalkDir::new(demo().join("guides"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.ends_with(".yaml") && !name.contains('@')
        })
        .count()
}

/// The text of a PDF (`pdftotext` with `args`, e.g. `-layout`).
pub fn pdf_text(pdf: &Path, args: &[&str]) -> String {
    let out = Command::new("pdftotext")
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed for these tests");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of a PDF with all white space removed (table cells wrap).
pub fn pdf_flat(pdf: &Path) -> String {
    pdf_text(pdf, &["-raw"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A corpus of `n` matters from `bench/gen_corpus.py` with `seed`, made
/// once in the target's temporary folder (under `name`) and shared by the
/// tests that ask for it; a test that loses the race to make it uses the
/// winner's.
pub fn gen_corpus(name: &str, n: usize, seed: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if !dir.join("guide.yaml").exists() {
        let tmp = dir.with_extension(format!("tmp{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_corpus.py");
        let out = Command::new("python3")
            .arg(script)
            .args([&n.to_string(), tmp.to_str().unwrap(), "--seed", seed])
            .output()
            .expect("python3 runs bench/gen_corpus.py");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if std::fs::rename(&tmp, &dir).is_err() {
            // Another test made it first.
            let _ = std::fs::remove_dir_all(&tmp);
        }
    }
    dir
}
