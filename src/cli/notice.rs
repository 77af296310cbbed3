//! `guide notice`: a filled one-time notice for one applicant, numbered and
//! recorded in the register; and the register itself (`list`, `show`,
//! `reprint`, `visit`) for the applicant's second visit. The work is
//! [`crate::notice`]'s and the register's; this file turns arguments into
//! requests and prints what comes back.

use super::{EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::notice::{self as issuing, Kind, NoticeError, Request, Target, VisitRequest};
use crate::register::{Filter, Notice, Outcome, Paging, Place, Register, Visit, visible};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Notices on one page of `guide notice list --page N`.
pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, clap::Args)]
#[command(subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Box<Sub>>,
    /// 事项 id（见 `guide list`）
    #[arg(required = true)]
    pub id: Option<String>,
    /// 缺少的材料：目录 id、序号（同 `guide show`）或材料名称；可写多次（只有需补正的材料时写 --defect 即可）
    #[arg(
        long = "missing",
        short = 'm',
        value_name = "M",
        required_unless_present = "defects"
    )]
    pub missing: Vec<String>,
    /// 带来了但需补正的材料及原因，写成 材料=原因（材料的写法同 --missing），例如 --defect "照片=背景不符合要求"；可写多次
    #[arg(long = "defect", value_name = "M=原因", id = "defects")]
    pub defects: Vec<String>,
    /// 申请人姓名
    #[arg(long, required = true, value_name = "NAME")]
    pub applicant: Option<String>,
    /// 申请人联系电话
    #[arg(long, value_name = "P")]
    pub phone: Option<String>,
    /// 申请人所属情形（可写多次）
    #[arg(long = "situation", short = 's', value_name = "S")]
    pub situations: Vec<String>,
    /// 一件事：申请人要办的成员事项 id（可写多次；必办的总是包含；不写则包含全部成员）
    #[arg(long = "member", value_name = "ID")]
    pub members: Vec<String>,
    /// 窗口号
    #[arg(long, value_name = "N")]
    pub window: Option<String>,
    /// 经办人姓名
    #[arg(long, value_name = "NAME")]
    pub clerk: Option<String>,
    /// 收件日期（年-月-日，不晚于今天）；不写则留空由窗口手写
    #[arg(long, value_name = "DATE")]
    pub received: Option<String>,
    /// 输出的 PDF 文件（默认：当前文件夹下“编号.pdf”）
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 登记簿：文件路径，或 PostgreSQL 地址 postgres://用户名@服务器:端口/数据库名（密码放在环境变量 GUIDE_REGISTER_PASSWORD 里）；默认：guide.yaml 里的 register.url，否则 guide.yaml 旁的 notices.db
    #[arg(long, value_name = "PATH|URL", global = true)]
    pub register: Option<PathBuf>,
    /// 本大厅的名称（记入告知单；编号格式含 {hall} 时各大厅分别编号）；默认：guide.yaml 里的 register.hall
    #[arg(long, value_name = "NAME")]
    pub hall: Option<String>,
    /// 登记簿不存在时新建它（第一次出具告知单，或换用新的登记簿）
    #[arg(long)]
    pub new_register: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// 把整个登记簿（告知单及其 PDF、来办记录、账号）导出到一个文件，用于换用另一种登记簿（如 SQLite → PostgreSQL）
    Export {
        /// 导出文件
        file: PathBuf,
    },
    /// 把 guide notice export 的文件导入到一个空登记簿，并核对张数和校验和
    Import {
        /// 导出文件
        file: PathBuf,
        /// 登记簿不存在时新建它（SQLite 文件）
        #[arg(long)]
        new_register: bool,
    },
    /// 列出登记簿里的告知单（从早到晚）
    List {
        /// 只列出这一天及以后的（年-月-日）
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// 只列出这个事项的
        #[arg(long, value_name = "ID")]
        matter: Option<String>,
        /// 只列出第 N 页（每页 50 张）；不写则全部列出
        #[arg(long, value_name = "N")]
        page: Option<u32>,
    },
    /// 显示一张告知单告知了什么、来办过几次（第二次来办时核对）
    Show {
        /// 告知单编号：完整编号，或简写如 1、2026-1、〔2026〕1号
        number: String,
    },
    /// 重印一张告知单（与第一次打印的完全相同）
    Reprint {
        /// 告知单编号：完整编号，或简写如 1、2026-1、〔2026〕1号
        number: String,
        /// 输出的 PDF 文件
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// 登记申请人带着告知单再次来办：带来了哪些材料，结果如何
    Visit {
        /// 告知单编号：完整编号，或简写如 1、2026-1、〔2026〕1号
        number: String,
        /// 这次带来的材料：告知单上的序号（见 `guide notice show`）或材料名称；可写多次
        #[arg(long = "brought", short = 'b', value_name = "M")]
        brought: Vec<String>,
        /// 结果：已补正（告知的材料都已带齐）、已受理 或 仍缺
        #[arg(long = "result", value_name = "结果")]
        result: String,
        /// 经办人姓名
        #[arg(long, value_name = "NAME")]
        clerk: Option<String>,
        /// 窗口号
        #[arg(long, value_name = "N")]
        window: Option<String>,
    },
}

fn place(project: Option<&Path>, args: &Args) -> Result<Place> {
    Ok(super::register_place(project, args.register.as_deref())?.0)
}

/// Prints what the clerk can act on and gives its exit code; a failure of
/// the tool goes up to `main`, which prints it with its causes.
fn said(e: impl Into<NoticeError>) -> Result<u8> {
    let e = e.into();
    match e.kind() {
        Kind::Usage => {
            eprintln!("{e}");
            Ok(EXIT_USAGE)
        }
        Kind::NotFound => {
            eprintln!("{e}");
            Ok(EXIT_INVALID)
        }
        Kind::Internal => Err(anyhow::Error::new(e)),
    }
}

/// An error with its causes, on one line.
fn with_causes(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(&format!(": {c}"));
        cause = c.source();
    }
    s
}

pub fn run(project: Option<&Path>, args: Args) -> Result<u8> {
    match args.command.as_deref() {
        None => issue(project, &args),
        Some(Sub::Export { file }) => export(project, &args, file),
        Some(Sub::Import { file, new_register }) => import(project, &args, file, *new_register),
        Some(Sub::List {
            since,
            matter,
            page,
        }) => list(project, &args, since, matter, *page),
        Some(Sub::Show { number }) => {
            let r = match place(project, &args)?.open_existing() {
                Ok(r) => r,
                Err(e) => return said(e),
            };
            let (n, visits) = match r.find(number).and_then(|n| {
                let v = r.visits(&n.number)?;
                Ok((n, v))
            }) {
                Ok(found) => found,
                Err(e) => return said(e),
            };
            print!("{}", shown(&n, &visits));
            Ok(EXIT_OK)
        }
        Some(Sub::Reprint { number, output }) => {
            let place = place(project, &args)?;
            let r = match place.open_existing() {
                Ok(r) => r,
                Err(e) => return said(e),
            };
            let root = crate::load::find_root(project).ok();
            match issuing::reprint(
                &r,
                number,
                output.as_deref(),
                root.as_deref(),
                &place.files(),
            ) {
                Ok((_, out)) => {
                    eprintln!("已重印 {}", visible(&out.display().to_string()));
                    Ok(EXIT_OK)
                }
                Err(e) => said(e),
            }
        }
        Some(Sub::Visit {
            number,
            brought,
            result,
            clerk,
            window,
        }) => {
            let Some(outcome) = Outcome::from_word(result) else {
                eprintln!(
                    "--result 应写 已补正、已受理 或 仍缺，不是“{}”",
                    visible(result)
                );
                return Ok(EXIT_USAGE);
            };
            let now = match issuing::now() {
                Ok(now) => now,
                Err(e) => return said(e),
            };
            let r = match place(project, &args)?.open_to_update() {
                Ok(r) => r,
                Err(e) => return said(e),
            };
            let req = VisitRequest {
                brought: brought.clone(),
                outcome,
                clerk: clerk.clone(),
                window: window.clone(),
            };
            let done = issuing::record_visit(&r, number, &req, now).and_then(|(n, v)| {
                let all = r.visits(&n.number)?;
                Ok((n, v, all))
            });
            if let Err(e) = r.close() {
                eprintln!("警告：{}", with_causes(&e));
            }
            match done {
                Ok((n, v, all)) => {
                    println!("{}", visible(&n.number));
                    eprintln!(
                        "已登记告知单 {} 的第 {} 次来办：{}",
                        visible(&n.number),
                        v.seq + 1,
                        v.record.outcome
                    );
                    if let Some(line) = outstanding_line(&n, &all) {
                        eprintln!("{line}");
                    }
                    Ok(EXIT_OK)
                }
                Err(e) => said(e),
            }
        }
    }
}

fn export(project: Option<&Path>, args: &Args, file: &Path) -> Result<u8> {
    let place = place(project, args)?;
    let r = match place.open_existing() {
        Ok(r) => r,
        Err(e) => return said(e),
    };
    if place.files().iter().any(|f| f == file) {
        eprintln!(
            "不能把登记簿导出到它自己的文件 {}",
            visible(&file.display().to_string())
        );
        return Ok(EXIT_USAGE);
    }
    let out = match std::fs::File::create(file) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("无法写入 {}：{e}", visible(&file.display().to_string()));
            return Ok(EXIT_USAGE);
        }
    };
    let mut out = std::io::BufWriter::new(out);
    match crate::register::transfer::export(&r, &mut out) {
        Ok(t) => {
            println!("{}\t{}\t{}", t.notices, t.visits, t.checksum);
            eprintln!(
                "已导出 {} 张告知单（{} 次来办记录）和 {} 个账号到 {}；校验和 {}",
                t.notices,
                t.visits,
                t.accounts,
                visible(&file.display().to_string()),
                t.checksum
            );
            Ok(EXIT_OK)
        }
        Err(e) => {
            drop(out);
            let _ = std::fs::remove_file(file);
            said(e)
        }
    }
}

fn import(project: Option<&Path>, args: &Args, file: &Path, new_register: bool) -> Result<u8> {
    let (place, _) = super::register_place(project, args.register.as_deref())?;
    let input = match std::fs::File::open(file) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("无法读取 {}：{e}", visible(&file.display().to_string()));
            return Ok(EXIT_USAGE);
        }
    };
    let creation = super::creation(new_register, false);
    let (r, created) = match place.open_for_issue(creation, |m| eprintln!("{m}")) {
        Ok(r) => r,
        Err(e) => return said(e),
    };
    if let Some(note) = created {
        eprintln!("{note}");
    }
    let done = crate::register::transfer::import(&r, &mut std::io::BufReader::new(input));
    if let Err(e) = r.close() {
        eprintln!("警告：{}", with_causes(&e));
    }
    match done {
        Ok(t) => {
            println!("{}\t{}\t{}", t.notices, t.visits, t.checksum);
            eprintln!(
                "已导入 {} 张告知单（{} 次来办记录）和 {} 个账号；核对无误：导入后的登记簿与导出文件的张数和校验和 {} 一致",
                t.notices, t.visits, t.accounts, t.checksum
            );
            Ok(EXIT_OK)
        }
        Err(e) => {
            eprintln!("{}", with_causes(&e));
            Ok(EXIT_INTERNAL)
        }
    }
}

fn issue(project: Option<&Path>, args: &Args) -> Result<u8> {
    let id = args.id.clone().unwrap_or_default();
    let now = match issuing::now() {
        Ok(now) => now,
        Err(e) => return said(e),
    };
    // The matter as it is in force on the notice's day.
    let date = crate::date::Date::from_unix(now);
    let p = match super::load_valid_one_as_of(project, &id, date)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let mut defects = Vec::new();
    for d in &args.defects {
        // The first “=” (or full-width “＝”) ends the material.
        let Some((m, reason)) = d
            .split_once('=')
            .or_else(|| d.split_once('＝'))
            .filter(|(m, _)| !m.trim().is_empty())
        else {
            eprintln!(
                "--defect 应写成 材料=原因，例如 --defect \"照片=背景不符合要求\"，不是“{}”",
                visible(d)
            );
            return Ok(EXIT_USAGE);
        };
        defects.push((m.trim().to_owned(), reason.trim().to_owned()));
    }
    let (place, default) = super::register_place(Some(&p.root), args.register.as_deref())?;
    let req = Request {
        matter: id,
        situations: args.situations.clone(),
        members: args.members.clone(),
        missing: args.missing.clone(),
        defects,
        applicant: args.applicant.clone().unwrap_or_default(),
        phone: args.phone.clone(),
        window: args.window.clone(),
        clerk: args.clerk.clone(),
        received: args.received.clone(),
        target: match &args.output {
            Some(o) => Target::File(o.clone()),
            None => Target::Folder(PathBuf::new()),
        },
        hall: args.hall.clone(),
        protect: place.files(),
    };
    // Everything that can be refused is, before the register is opened
    // (a typo never creates one).
    let draft = match issuing::draft(&p, &req, now) {
        Ok(d) => d,
        Err(NoticeError::UnknownMatter { id }) => {
            super::not_in_force_or_unknown(&p, &id);
            return Ok(EXIT_USAGE);
        }
        Err(e) => return said(e),
    };
    let creation = super::creation(args.new_register, default);
    let (register, created) = match place.open_for_issue(creation, |m| eprintln!("{m}")) {
        Ok(r) => r,
        Err(e) => return said(e),
    };
    if let Some(note) = created {
        eprintln!("{note}");
    }
    let count = draft.count();
    let issued = draft.issue(&register);
    if let Err(e) = register.close() {
        eprintln!("警告：{}", with_causes(&e));
    }
    match issued {
        Ok(done) => {
            println!("{}", visible(&done.notice.number));
            let out = done.path.unwrap_or_default();
            eprintln!(
                "已登记并生成 {}（{count} 项材料）",
                visible(&out.display().to_string())
            );
            Ok(EXIT_OK)
        }
        Err(NoticeError::NotSaved {
            number,
            path: out,
            source,
        }) => {
            let mut again = format!("guide notice reprint \"{number}\"");
            if let Some(r) = &args.register {
                again.push_str(&format!(" --register \"{}\"", r.display()));
            }
            again.push_str(&format!(" -o \"{}\"", out.display()));
            eprintln!(
                "已登记 {}，但无法保存为 {}（{source}）。告知单已存入登记簿，请用下面的命令重印：\n  {}",
                number,
                visible(&out.display().to_string()),
                visible(&again)
            );
            Ok(EXIT_INTERNAL)
        }
        Err(e) => said(e),
    }
}

fn list(
    project: Option<&Path>,
    args: &Args,
    since: &Option<String>,
    matter: &Option<String>,
    page: Option<u32>,
) -> Result<u8> {
    if let Some(d) = since
        && crate::date::Date::parse(d).is_none()
    {
        eprintln!(
            "日期应写成 年-月-日，例如 2026-03-01，不是 `{}`",
            visible(d)
        );
        return Ok(EXIT_USAGE);
    }
    if page == Some(0) {
        eprintln!("页码从 1 开始");
        return Ok(EXIT_USAGE);
    }
    let r = match place(project, args)?.open_existing() {
        Ok(r) => r,
        Err(e) => return said(e),
    };
    let filter = Filter {
        since: since.clone(),
        matter: matter.clone(),
        ..Filter::default()
    };
    let paging = page.map_or(Paging::All, |index| Paging::Page {
        index,
        size: PAGE_SIZE,
    });
    let listed = match r.list(&filter, paging) {
        Ok(l) => l,
        Err(e) => return said(e),
    };
    let mut out = String::new();
    let mut damaged = 0;
    for n in listed.items {
        match n {
            Ok(s) => {
                let n = &s.notice;
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    visible(&n.number),
                    n.record.issued_at.get(..10).unwrap_or_default(),
                    visible(&n.record.matter_name),
                    visible(&n.record.applicant),
                    told_count(&n.record)
                ))
            }
            Err(e) => {
                eprintln!("{e}");
                damaged += 1;
            }
        }
    }
    print!("{out}");
    if let Some(index) = page {
        let pages = listed.total.div_ceil(u64::from(PAGE_SIZE));
        eprintln!(
            "第 {index} 页，共 {pages} 页（共 {} 张告知单）",
            listed.total
        );
    }
    if damaged > 0 {
        eprintln!("登记簿里有 {damaged} 条记录已损坏（见上），其余已列出");
        return Ok(EXIT_INTERNAL);
    }
    Ok(EXIT_OK)
}

/// “缺2项”, “缺1项，需补正1项”, “需补正1项”: what a notice told, for the
/// list.
fn told_count(rec: &crate::register::NewNotice) -> String {
    let mut parts = Vec::new();
    if !rec.missing.is_empty() || rec.defects.is_empty() {
        parts.push(format!("缺{}项", rec.missing.len()));
    }
    if !rec.defects.is_empty() {
        parts.push(format!("需补正{}项", rec.defects.len()));
    }
    parts.join("，")
}

/// “尚未带来：…” after visits, when something told was not brought yet.
fn outstanding_line(n: &Notice, visits: &[Visit]) -> Option<String> {
    let left = issuing::outstanding(n, visits);
    (!visits.is_empty() && !left.is_empty()).then(|| {
        let names: Vec<String> = left.iter().map(|t| visible(&t.name).into_owned()).collect();
        format!("尚未带来：{}", names.join("；"))
    })
}

/// A notice as `guide notice show` prints it, with its visits, every value
/// made safe for the terminal.
fn shown(n: &Notice, visits: &[Visit]) -> String {
    let rec = &n.record;
    let v = |s: &str| visible(s).into_owned();
    let mut o = format!("{}\n", v(&n.number));
    o.push_str(&format!("告知时间：{}\n", v(&rec.issued_at)));
    o.push_str(&format!(
        "申请事项：{}（{}）\n",
        v(&rec.matter_name),
        v(&rec.matter_id)
    ));
    o.push_str(&format!("申请人：{}", v(&rec.applicant)));
    if let Some(ph) = &rec.phone {
        o.push_str(&format!("　联系电话：{}", v(ph)));
    }
    o.push('\n');
    if !rec.situations.is_empty() {
        let s: Vec<String> = rec.situations.iter().map(|s| v(s)).collect();
        o.push_str(&format!("情形：{}\n", s.join("；")));
    }
    // Numbered on through both lists, as `guide notice visit --brought`
    // takes them; a notice without defects reads as it always did.
    let lists = if rec.defects.is_empty() {
        vec![("告知补正的材料", &rec.missing)]
    } else {
        vec![
            (crate::present::label::MISSING, &rec.missing),
            (crate::present::label::DEFECTIVE, &rec.defects),
        ]
    };
    let mut i = 0;
    for (head, list) in lists
        .into_iter()
        .filter(|(_, l)| !l.is_empty() || rec.defects.is_empty())
    {
        o.push_str(&format!("{head}（{} 项）：\n", list.len()));
        for m in list {
            i += 1;
            o.push_str(&format!(
                "  {}. {}（{}）\n",
                i,
                v(&m.name),
                v(&m.requirement)
            ));
            if !m.reason.is_empty() {
                o.push_str(&format!(
                    "     {}\n",
                    v(&crate::present::defect_reason(&m.reason))
                ));
            }
            for l in m.detail.lines().filter(|l| !l.trim().is_empty()) {
                o.push_str(&format!("     {}\n", v(l)));
            }
        }
    }
    let who = |clerk: &Option<String>, window: &Option<String>| -> Vec<String> {
        [
            clerk.as_ref().map(|c| format!("经办人：{}", v(c))),
            window.as_ref().map(|w| format!("窗口：{}", v(w))),
        ]
        .into_iter()
        .flatten()
        .collect()
    };
    let by = who(&rec.clerk, &rec.window);
    if !by.is_empty() {
        o.push_str(&format!("{}\n", by.join("　")));
    }
    o.push_str(&format!("数据版本：{}\n", v(&rec.edition)));
    if !visits.is_empty() {
        o.push_str(&format!("来办记录（{} 次）：\n", visits.len()));
        for visit in visits {
            let r = &visit.record;
            let mut line = format!("  {}　{}", v(&r.at), r.outcome);
            if !r.brought.is_empty() {
                let b: Vec<String> = r.brought.iter().map(|s| v(s)).collect();
                line.push_str(&format!("　带来：{}", b.join("；")));
            }
            for w in who(&r.clerk, &r.window) {
                line.push_str(&format!("　{w}"));
            }
            o.push_str(&line);
            o.push('\n');
        }
        if let Some(line) = outstanding_line(n, visits) {
            o.push_str(&line);
            o.push('\n');
        }
    }
    o
}
