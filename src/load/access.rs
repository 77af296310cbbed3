//! Which files of a project `guide` may read or publish. A project is
//! often a git checkout that CI builds: `.git/config` holds tokens, a
//! symlink may point anywhere, a FIFO or device blocks a read forever, and
//! the notice register holds citizens' names. None of those is ever read,
//! quoted or copied into `dist/`: every path that comes from the data
//! (blank forms, samples, fonts) and every file found by walking goes
//! through [`project_file`] or [`found_file`].

use std::path::{Component, Path, PathBuf};

/// Why a project path may not be read or published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// An absolute path, `..`, or a symlink resolving outside the project.
    Outside,
    /// A hidden file or folder (`.git`, `.env`, …) on the way.
    Hidden,
    /// Not a regular file: a folder, FIFO, socket or device.
    Special,
    /// The notice register, or something `guide build` wrote.
    Private,
    /// Nothing there.
    Missing,
}

impl Refusal {
    /// What is wrong, in the author's words.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Outside => "指向项目文件夹之外（绝对路径、`..` 或指向外面的符号链接）",
            Refusal::Hidden => "是隐藏文件或在隐藏文件夹里（如 .git），不会被读取或发布",
            Refusal::Special => "不是普通文件（文件夹、管道或设备文件）",
            Refusal::Private => {
                "是告知单登记簿或 guide 生成的输出，含申请人信息或不是原始数据，不能发布"
            }
            Refusal::Missing => "不存在",
        }
    }
}

/// Whether `v` is a web address (`http://…` or `https://…`, any case).
/// The one test used by `check`, the site's links and the copying of files:
/// `httpforms/a.pdf` is a project file, not a web address.
pub fn is_web_address(v: &str) -> bool {
    let v = v.trim();
    let lower = |n: usize| v.get(..n).map(str::to_ascii_lowercase);
    lower(8).as_deref() == Some("https://") || lower(7).as_deref() == Some("http://")
}

/// `rel` (as written in the data, `/` or `\` separated) resolved inside
/// `root`, if it may be read and published.
pub fn project_file(root: &Path, rel: &str) -> Result<PathBuf, Refusal> {
    let rel = rel.trim();
    if rel.is_empty() {
        return Err(Refusal::Missing);
    }
    if rel.contains(':') || rel.starts_with(['/', '\\']) {
        return Err(Refusal::Outside);
    }
    let mut path = root.to_path_buf();
    for part in rel
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
    {
        if part == ".." {
            return Err(Refusal::Outside);
        }
        if part.starts_with('.') {
            return Err(Refusal::Hidden);
        }
        path.push(part);
    }
    found_file(root, &path)?;
    Ok(path)
}

/// Checks a file found under `root` (by walking, or named in the data):
/// it resolves inside the project, through no hidden folder, to a regular
/// file that is neither the register nor an output of `guide build`.
pub fn found_file(root: &Path, path: &Path) -> Result<(), Refusal> {
    let meta = std::fs::symlink_metadata(path).map_err(|_| Refusal::Missing)?;
    let real_root = std::fs::canonicalize(root).map_err(|_| Refusal::Missing)?;
    let real = if meta.file_type().is_symlink() {
        std::fs::canonicalize(path).map_err(|_| Refusal::Missing)?
    } else {
        // A symlinked folder on the way counts too.
        let parent = path.parent().ok_or(Refusal::Outside)?;
        std::fs::canonicalize(parent)
            .map_err(|_| Refusal::Missing)?
            .join(path.file_name().ok_or(Refusal::Outside)?)
    };
    let inside = real
        .strip_prefix(&real_root)
        .map_err(|_| Refusal::Outside)?;
    if inside.components().any(|c| match c {
        Component::Normal(n) => n.to_string_lossy().starts_with('.'),
        _ => true,
    }) {
        return Err(Refusal::Hidden);
    }
    // The type of what it resolves to: never open a FIFO (it blocks) or a
    // device.
    let target = std::fs::metadata(&real).map_err(|_| Refusal::Missing)?;
    if !target.is_file() {
        return Err(Refusal::Special);
    }
    if is_private(&real_root, &real) {
        return Err(Refusal::Private);
    }
    Ok(())
}

/// Whether a file name is a register's or one of the files SQLite and
/// guide keep beside it (`notices.db`, `-wal`, `-shm`, `-journal`,
/// `-marker`, `-holder`, `-turn`), in any case.
pub fn is_register_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let stem = ["-wal", "-shm", "-journal", "-marker", "-holder", "-turn"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(&name);
    [".db", ".sqlite", ".sqlite3"]
        .iter()
        .any(|e| stem.ends_with(e))
}

/// The register (an SQLite file, by name or by content) or anything in a
/// folder `guide build` wrote (`dist/`, or one holding its marker).
fn is_private(real_root: &Path, real: &Path) -> bool {
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if is_register_name(&name) {
        return true;
    }
    let mut head = [0u8; 16];
    if let Ok(mut f) = std::fs::File::open(real) {
        use std::io::Read;
        if f.read_exact(&mut head).is_ok() && &head == b"SQLite format 3\0" {
            return true;
        }
    }
    if real.starts_with(real_root.join("dist")) {
        return true;
    }
    real.ancestors()
        .skip(1)
        .take_while(|a| a.starts_with(real_root))
        .any(|a| a.join(crate::load::OUTPUT_MARKER).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses_are_told_from_project_files() {
        assert!(is_web_address("https://zwfw.example.gov.cn/a.pdf"));
        assert!(is_web_address("HTTP://x.cn"));
        assert!(!is_web_address("httpforms/a.pdf"));
        assert!(!is_web_address("http:/x"));
    }

    #[test]
    fn paths_out_of_the_project_or_into_hidden_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("forms")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("forms/a.pdf"), "%PDF").unwrap();
        std::fs::write(root.join(".git/config"), "token").unwrap();
        assert!(project_file(root, "forms/a.pdf").is_ok());
        assert!(project_file(root, "./forms/a.pdf").is_ok());
        assert_eq!(project_file(root, "../x"), Err(Refusal::Outside));
        assert_eq!(project_file(root, "/etc/passwd"), Err(Refusal::Outside));
        assert_eq!(project_file(root, "C:\\x"), Err(Refusal::Outside));
        assert_eq!(project_file(root, ".git/config"), Err(Refusal::Hidden));
        assert_eq!(project_file(root, "forms"), Err(Refusal::Special));
        assert_eq!(project_file(root, "forms/b.pdf"), Err(Refusal::Missing));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_and_to_hidden_files_fifos_and_registers_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("forms")).unwrap();
        std::fs::write(root.join(".git/config"), "token").unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        std::fs::write(root.join("forms/a.pdf"), "%PDF").unwrap();
        let link = |to: &Path, name: &str| std::os::unix::fs::symlink(to, root.join(name)).unwrap();
        link(&outside.path().join("secret"), "forms/out.pdf");
        link(&root.join(".git/config"), "forms/git.pdf");
        link(&root.join("forms/a.pdf"), "forms/same.pdf");
        link(outside.path(), "ext");
        assert_eq!(project_file(root, "forms/out.pdf"), Err(Refusal::Outside));
        assert_eq!(project_file(root, "forms/git.pdf"), Err(Refusal::Hidden));
        assert_eq!(project_file(root, "ext/secret"), Err(Refusal::Outside));
        assert!(project_file(root, "forms/same.pdf").is_ok());
        let fifo = root.join("forms/pipe.pdf");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        assert_eq!(project_file(root, "forms/pipe.pdf"), Err(Refusal::Special));
        std::fs::write(root.join("notices.db"), "SQLite format 3\0....").unwrap();
        std::fs::write(root.join("forms/reg.pdf"), "SQLite format 3\0....").unwrap();
        assert_eq!(project_file(root, "notices.db"), Err(Refusal::Private));
        std::fs::write(root.join("notices.db-holder"), "窗口 B12").unwrap();
        assert_eq!(
            project_file(root, "notices.db-holder"),
            Err(Refusal::Private)
        );
        assert_eq!(project_file(root, "forms/reg.pdf"), Err(Refusal::Private));
        std::fs::create_dir_all(root.join("dist/site")).unwrap();
        std::fs::write(root.join("dist/site/index.html"), "x").unwrap();
        assert_eq!(
            project_file(root, "dist/site/index.html"),
            Err(Refusal::Private)
        );
        std::fs::create_dir_all(root.join("out/site")).unwrap();
        std::fs::write(root.join("out/.guide-output"), "guide build\n").unwrap();
        std::fs::write(root.join("out/site/a.html"), "x").unwrap();
        assert_eq!(project_file(root, "out/site/a.html"), Err(Refusal::Private));
    }
}
