//! `guide init [DIR]`: a new project with commented example files that pass
//! `guide check` as written, wired to the JSON Schemas for editor completion.

use super::{EXIT_OK, EXIT_USAGE};
use anyhow::Context;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 新项目的文件夹（默认当前文件夹）
    pub dir: Option<PathBuf>,
    /// 把内置的网站模板复制到项目的 templates/ 里，以便修改（不覆盖已有文件）
    #[arg(long)]
    pub templates: bool,
}

const FILES: &[(&str, &str)] = &[
    ("guide.yaml", include_str!("init/guide.yaml")),
    ("materials.yaml", include_str!("init/materials.yaml")),
    (
        "guides/example/residence-permit.yaml",
        include_str!("init/example.yaml"),
    ),
];

/// The notice number pattern of `init/guide.yaml`.
const INIT_NUMBER_PATTERN: &str = "示政服告〔{year}〕{seq}号";

/// What git must not take from a project: the outputs, and every place
/// applicants' names and phones are kept — the notice register (SQLite with
/// its `-wal` and `-shm` files) and the printed notices.
fn gitignore() -> String {
    format!(
        "# guide init 生成：这些文件不提交到 git。\n\
         # 生成的输出（手册、告知单模板、网站），由 `guide build` 随时重新生成\n\
         /dist/\n\
         # 告知单登记簿：有申请人的姓名和电话（SQLite 及其 -wal、-shm 文件）\n\
         /register/\n\
         /notices.db\n\
         *.db-wal\n\
         *.db-shm\n\
         # 打印的告知单：文件名是告知单编号，内容有申请人信息\n\
         {}\n",
        crate::model::notice_pdf_glob(INIT_NUMBER_PATTERN)
    )
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建 {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("无法写入 {}", path.display()))
}

fn copy_templates(dir: &Path) -> anyhow::Result<u8> {
    let mut n = 0;
    for (name, text) in crate::render::site::DEFAULTS {
        let path = dir.join("templates").join(name);
        if path.exists() {
            eprintln!("保留已有的 {}", path.display());
            continue;
        }
        write(&path, text)?;
        n += 1;
    }
    println!(
        "已把 {n} 个默认模板复制到 {}；修改后 `guide build` 即用这些模板。",
        dir.join("templates").display()
    );
    Ok(EXIT_OK)
}

pub fn run(args: Args) -> anyhow::Result<u8> {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    if args.templates {
        if !dir.join("guide.yaml").is_file() {
            eprintln!(
                "{} 里没有 guide.yaml：请在指南项目文件夹里运行 `guide init --templates`",
                dir.display()
            );
            return Ok(EXIT_USAGE);
        }
        return copy_templates(&dir);
    }
    if dir.join("guide.yaml").exists() {
        eprintln!("{} 里已经有 guide.yaml，没有覆盖任何文件", dir.display());
        return Ok(EXIT_USAGE);
    }
    for (name, text) in FILES {
        write(&dir.join(name), text)?;
    }
    // An existing .gitignore (a project added to a repository) is kept.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        write(&ignore, &gitignore())?;
    }
    let schemas = [
        (
            "schema/guide.schema.json",
            crate::model::schema::guide_schema(),
        ),
        (
            "schema/materials.schema.json",
            crate::model::schema::materials_schema(),
        ),
        (
            "schema/config.schema.json",
            crate::model::schema::config_schema(),
        ),
    ];
    for (name, value) in schemas {
        write(
            &dir.join(name),
            &(serde_json::to_string_pretty(&value)? + "\n"),
        )?;
    }
    println!("已在 {} 新建指南项目。", dir.display());
    println!("下一步：进入该文件夹，修改 guides/ 里的示例事项，然后运行 `guide check`。");
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_gitignore_knows_the_example_notice_numbers() {
        assert!(include_str!("init/guide.yaml").contains(super::INIT_NUMBER_PATTERN));
        assert!(super::gitignore().contains("\n示政服告〔*〕*号.pdf\n"));
    }
}
