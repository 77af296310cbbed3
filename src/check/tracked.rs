//! `guide check`: applicants' names and phones must not reach git. Warns
//! about a notice register (SQLite, with its `-wal`/`-shm` files) or printed
//! notices (PDFs named by their register number) that git tracks.

use crate::diag::Diagnostic;
use crate::load::Project;
use std::path::Path;
use std::process::{Command, Stdio};

/// The files git tracks under `root`, relative to it (none outside a
/// repository, or without git).
fn tracked_files(root: &Path) -> Vec<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z", "--cached"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => o
            .stdout
            .split(|b| *b == 0)
            .filter(|f| !f.is_empty())
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `file` is (part of) a SQLite register by its name.
fn is_register(file: &str) -> bool {
    crate::load::access::is_register_name(file.rsplit('/').next().unwrap_or(file))
}

/// Whether `file` is a printed notice: a PDF named by a register number.
fn is_notice(file: &str, pattern: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".pdf")
        .or_else(|| name.strip_suffix(".PDF"))
        .is_some_and(|stem| crate::model::is_notice_number(pattern, stem))
}

/// A warning for each tracked file that holds applicants' data.
pub fn personal_data(p: &Project) -> Vec<Diagnostic> {
    let pattern = p
        .config
        .as_ref()
        .map(|c| c.notice_settings().number_pattern)
        .unwrap_or_else(|| crate::model::DEFAULT_NUMBER_PATTERN.to_owned());
    let mut out = Vec::new();
    for file in tracked_files(&p.root) {
        let what = if is_register(&file) {
            "告知单登记簿"
        } else if is_notice(&file, &pattern) {
            "打印的告知单"
        } else {
            continue;
        };
        out.push(
            Diagnostic::warning(
                "personal-data-in-git",
                &file,
                None,
                format!("{what} `{file}` 已提交到 git：里面有申请人的姓名和电话，不应进入仓库"),
            )
            .with_hint(format!(
                "运行 `git rm --cached \"{file}\"` 并提交，再把它写进 .gitignore（`guide init` 生成的 .gitignore 已包含登记簿和告知单）；已推送到远程的，还要从历史中清除"
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_and_notices_are_known_by_their_names() {
        assert!(is_register("notices.db"));
        assert!(is_register("register/notices.db-wal"));
        assert!(!is_register("guides/db.yaml"));
        let n = crate::model::DEFAULT_NUMBER_PATTERN;
        assert!(is_notice("告知单/乌政服告〔2026〕0001号.pdf", n));
        assert!(!is_notice("forms/申请表.pdf", n));
    }
}
