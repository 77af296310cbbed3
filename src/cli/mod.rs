//! Command line: one file per subcommand, each an `Args` struct and `run()`.

mod build;
mod check;
mod diff;
mod find;
mod init;
mod list;
mod notice;
mod schema;
mod serve;
mod show;
pub mod zh;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub const EXIT_OK: u8 = 0;
pub const EXIT_INVALID: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_INTERNAL: u8 = 3;

/// 办事指南工具：一份数据，生成一翻清手册、一次性告知单和网站。
#[derive(Debug, Parser)]
#[command(name = "guide", version, about)]
pub struct Cli {
    /// 指南项目文件夹（含 guide.yaml）；默认从当前文件夹向上查找
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查所有指南文件，报告错误和警告
    Check(check::Args),
    /// 生成一翻清手册等全部输出到 dist/
    Build(build::Args),
    /// 比较两个版本（文件夹或 git 版本）对群众有影响的变化
    Diff(diff::Args),
    /// 列出所有事项
    List(list::Args),
    /// 显示一个事项的办事指南（窗口、电话答复用）
    Show(show::Args),
    /// 为一位申请人出具一次性告知单（编号并登记），或查询登记簿
    Notice(notice::Args),
    /// 新建一个指南项目（带注释的示例文件）
    Init(init::Args),
    /// 输出指南文件的 JSON Schema（供编辑器补全和校验）
    Schema(schema::Args),
    /// 大厅服务：公开网站、窗口工作台（出具告知单）和接口；以及账号管理
    Serve(serve::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<u8> {
    let project = cli.project.as_deref();
    match cli.command {
        Command::Check(a) => check::run(project, a),
        Command::Build(a) => build::run(project, a),
        Command::Diff(a) => diff::run(project, a),
        Command::List(a) => list::run(project, a),
        Command::Show(a) => show::run(project, a),
        Command::Notice(a) => notice::run(project, a),
        Command::Init(a) => init::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Serve(a) => serve::run(project, a),
    }
}

/// Loads and validates the project; on errors prints them and returns the
/// exit code to stop with. Commands that read the data use this, so they
/// only ever see validated data.
pub(crate) fn load_valid(
    project: Option<&std::path::Path>,
) -> anyhow::Result<Result<crate::load::Project, u8>> {
    load_valid_as_of(project, crate::date::Date::today())
}

/// Like [`load_valid`], keeping of each matter the version in force on `date`.
pub(crate) fn load_valid_as_of(
    project: Option<&std::path::Path>,
    date: crate::date::Date,
) -> anyhow::Result<Result<crate::load::Project, u8>> {
    let root = crate::load::find_root(project)?;
    Ok(report_invalid(crate::load::load(&root)?)?.map(|mut p| {
        p.in_force(date);
        p
    }))
}

/// Says why `id` is not a matter of `p`: not in force yet (when), or unknown.
pub(crate) fn not_in_force_or_unknown(p: &crate::load::Project, id: &str) {
    if let Some(f) = p.future.iter().find(|f| f.guide.id.value == id) {
        eprintln!(
            "事项“{}”自 {} 起施行，目前还不能办理",
            f.guide.name.value, f.guide.effective.value
        );
        return;
    }
    // The ids of every matter file, from their names (no file is read);
    // folders are no matters.
    let mut ids: Vec<String> = walkdir::WalkDir::new(p.root.join(crate::load::GUIDES_DIR))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let stem = e.path().file_stem()?.to_string_lossy().into_owned();
            Some(stem.split('@').next().unwrap_or_default().to_owned())
        })
        .collect();
    ids.sort();
    ids.dedup();
    let near = crate::diag::nearest(id, ids.iter().map(String::as_str));
    eprintln!("没有 id 为 `{id}` 的事项");
    if !near.is_empty() {
        eprintln!("你是不是想找：{}", near.join("、"));
    }
    eprintln!("用 `guide list` 查看全部事项");
}

/// Like [`load_valid`] for one matter (see [`crate::load::load_one`]).
pub(crate) fn load_valid_one(
    project: Option<&std::path::Path>,
    id: &str,
) -> anyhow::Result<Result<crate::load::Project, u8>> {
    load_valid_one_as_of(project, id, crate::date::Date::today())
}

/// Like [`load_valid_one`], keeping the version in force on `date`.
pub(crate) fn load_valid_one_as_of(
    project: Option<&std::path::Path>,
    id: &str,
    date: crate::date::Date,
) -> anyhow::Result<Result<crate::load::Project, u8>> {
    let root = crate::load::find_root(project)?;
    Ok(
        report_invalid(crate::load::load_one(&root, id)?)?.map(|mut p| {
            p.in_force(date);
            p
        }),
    )
}

fn report_invalid(
    loaded: (crate::load::Project, Vec<crate::diag::Diagnostic>),
) -> anyhow::Result<Result<crate::load::Project, u8>> {
    match crate::check::valid(loaded) {
        Ok(p) => Ok(Ok(p)),
        Err(invalid) => {
            let shown = crate::diag::capped(&invalid.errors);
            eprint!(
                "{}",
                crate::diag::render_human(&shown, &invalid.project.sources, check::color())
            );
            eprintln!(
                "指南数据有 {} 个错误，请先改正（`guide check` 查看详情）",
                invalid.errors.len()
            );
            Ok(Err(EXIT_INVALID))
        }
    }
}

/// `register:` of `guide.yaml`, read leniently (the project's validation
/// reports what is wrong with it): the register's URL. (Its `hall` is
/// read with the project, see [`crate::notice::draft`].)
#[derive(Debug, Default, serde::Deserialize)]
struct RegisterSettings {
    url: Option<String>,
}

fn register_settings(root: &std::path::Path) -> RegisterSettings {
    #[derive(Default, serde::Deserialize)]
    struct Only {
        #[serde(default)]
        register: Option<RegisterSettings>,
    }
    std::fs::read_to_string(root.join(crate::load::CONFIG_FILE))
        .ok()
        .and_then(|t| serde_saphyr::from_str::<Only>(&t).ok())
        .and_then(|o| o.register)
        .unwrap_or_default()
}

/// Where the register is: `--register` (a file's path or a `postgres://`
/// URL), else `register.url` in `guide.yaml`, else `notices.db` beside it;
/// and whether it is that default (which may be created on first use).
pub(crate) fn register_place(
    project: Option<&std::path::Path>,
    explicit: Option<&std::path::Path>,
) -> anyhow::Result<(crate::register::Place, bool)> {
    use crate::register::Place;
    if let Some(p) = explicit {
        return Ok((Place::of(p), false));
    }
    let root = crate::load::find_root(project)?;
    if let Some(url) = register_settings(&root).url {
        return Ok((Place::Database(url), false));
    }
    Ok((Place::File(root.join("notices.db")), true))
}

/// How a register may be created: `--new-register` asks; the project's
/// default file may be created on its first notice; anything else must
/// exist.
pub(crate) fn creation(new_register: bool, default: bool) -> crate::register::Creation {
    use crate::register::Creation;
    if new_register {
        Creation::Asked
    } else if default {
        Creation::FirstUse
    } else {
        Creation::Never
    }
}
