//! `guide serve`: the hall server (see [`crate::serve`]), and its accounts
//! and API clients (`user add/passwd/disable`, `token add`). This file
//! opens the register, reads passwords (never from the command line) and
//! prints; the server is the library's.

use super::{EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::register::{NewAccount, Register, Role, Store, visible};
use crate::serve::{App, Options, auth};
use anyhow::Result;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// 监听的地址和端口（端口写 0 则由系统分配）
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub bind: String,
    /// 登记簿：文件路径，或 PostgreSQL 地址 postgres://用户名@服务器:端口/数据库名（密码放在环境变量 GUIDE_REGISTER_PASSWORD 里）；默认：guide.yaml 里的 register.url，否则 guide.yaml 旁的 notices.db
    #[arg(long, value_name = "PATH|URL", global = true)]
    pub register: Option<PathBuf>,
    /// 本大厅的名称（记入每张告知单；编号格式含 {hall} 时各大厅分别编号）；默认：guide.yaml 里的 register.hall
    #[arg(long, value_name = "NAME")]
    pub hall: Option<String>,
    /// 登记簿不存在时新建它
    #[arg(long, global = true)]
    pub new_register: bool,
    /// Cookie 加 Secure 标记（经 HTTPS 访问时）
    #[arg(long)]
    pub secure_cookies: bool,
    /// 前面有反向代理：采用它的 X-Forwarded-For 和 X-Forwarded-Proto
    #[arg(long)]
    pub trust_proxy: bool,
    /// 自己提供 HTTPS（不用反向代理时）：证书链和私钥，都是 PEM 文件；Cookie 自动加 Secure
    #[arg(long, num_args = 2, value_names = ["CERT", "KEY"])]
    pub tls: Option<Vec<PathBuf>>,
    /// 只预览网站（政策科在自己电脑上用）：没有工作台和登记簿，保存修改后浏览器自动刷新
    #[arg(long, conflicts_with_all = ["register", "new_register", "secure_cookies", "trust_proxy", "hall"])]
    pub preview: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// 建立或升级登记簿的表（PostgreSQL 登记簿在启动各大厅的服务前运行一次；SQLite 登记簿打开时也会自动升级）
    Migrate,
    /// 管理窗口工作台的账号
    User {
        #[command(subcommand)]
        command: UserSub,
    },
    /// 管理接口（API）的客户端令牌
    Token {
        #[command(subcommand)]
        command: TokenSub,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum UserSub {
    /// 新建账号；密码从标准输入读取（终端上会提示输入两次，不回显）
    Add {
        /// 账号名（登录用，也作为告知单上的经办人）
        name: String,
        /// 窗口号（印在告知单上）
        #[arg(long, value_name = "N")]
        window: Option<String>,
        /// 角色：clerk（窗口工作人员）或 supervisor（负责人）
        #[arg(long, value_name = "ROLE", default_value = "clerk")]
        role: String,
    },
    /// 重设账号的密码（并重新启用）；它已登录的会话全部失效
    Passwd { name: String },
    /// 停用账号；它已登录的会话全部失效
    Disable { name: String },
    /// 列出全部账号（名称、角色、窗口、是否停用）
    List,
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenSub {
    /// 为一个客户端（如排队系统）生成令牌；令牌只显示这一次
    Add { name: String },
    /// 停用一个客户端的令牌（令牌泄露或不再使用时）
    Disable { name: String },
}

fn open(project: Option<&Path>, args: &Args) -> Result<Result<Store, u8>> {
    let (place, default) = super::register_place(project, args.register.as_deref())?;
    let creation = super::creation(args.new_register, default);
    match place.open_for_issue(creation, |m| eprintln!("{m}")) {
        Ok((r, note)) => {
            if let Some(n) = note {
                eprintln!("{n}");
            }
            Ok(Ok(r))
        }
        Err(e) if e.is_refusal() => {
            eprintln!("{e}");
            Ok(Err(EXIT_USAGE))
        }
        Err(e) => Err(anyhow::Error::new(e)),
    }
}

/// A new password: typed twice without echo on a terminal, else the first
/// line of standard input. Never an argument (it would show in `ps` and the
/// shell's history).
fn read_password(name: &str) -> Result<Result<String, String>> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let echo = |on: bool| {
            let _ = std::process::Command::new("stty")
                .arg(if on { "echo" } else { "-echo" })
                .stdin(std::process::Stdio::inherit())
                .status();
        };
        let ask = |prompt: &str| -> std::io::Result<String> {
            eprint!("{prompt}");
            std::io::stderr().flush()?;
            echo(false);
            let mut line = String::new();
            let read = stdin.lock().read_line(&mut line);
            echo(true);
            eprintln!();
            read.map(|_| line.trim_end_matches(['\r', '\n']).to_owned())
        };
        let first = ask(&format!("请输入账号“{}”的新密码：", visible(name)))?;
        let again = ask("再输入一次：")?;
        if first != again {
            return Ok(Err("两次输入的密码不一致，没有保存".into()));
        }
        Ok(Ok(first))
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        Ok(Ok(line.trim_end_matches(['\r', '\n']).to_owned()))
    }
}

/// A new password's hash, or the exit code after saying why not.
fn new_hash(name: &str) -> Result<Result<String, u8>> {
    let pw = match read_password(name)? {
        Ok(p) => p,
        Err(why) => {
            eprintln!("{why}");
            return Ok(Err(EXIT_USAGE));
        }
    };
    if let Some(why) = auth::weak(&pw) {
        eprintln!("{why}；没有保存");
        return Ok(Err(EXIT_USAGE));
    }
    Ok(Ok(auth::hash_password(&pw)?))
}

fn close(r: Store) {
    if let Err(e) = r.close() {
        eprintln!("警告：{e}");
    }
}

pub fn run(project: Option<&Path>, args: Args) -> Result<u8> {
    match &args.command {
        None => serve(project, &args),
        Some(Sub::Migrate) => migrate(project, &args),
        Some(Sub::User { command }) => user(project, &args, command),
        Some(Sub::Token {
            command: TokenSub::Disable { name },
        }) => {
            let r = match open(project, &args)? {
                Ok(r) => r,
                Err(code) => return Ok(code),
            };
            let done = r.disable_client(name);
            close(r);
            if done? {
                eprintln!("已停用客户端“{}”的令牌", visible(name));
                Ok(EXIT_OK)
            } else {
                eprintln!("没有名为“{}”的接口客户端", visible(name));
                Ok(EXIT_INVALID)
            }
        }
        Some(Sub::Token {
            command: TokenSub::Add { name },
        }) => {
            if let Err(message) = crate::register::check_typed("客户端名称", name) {
                eprintln!("{message}");
                return Ok(EXIT_USAGE);
            }
            let r = match open(project, &args)? {
                Ok(r) => r,
                Err(code) => return Ok(code),
            };
            let token = auth::random_token();
            if token.is_empty() {
                eprintln!("无法生成随机令牌（操作系统的随机数不可用）");
                return Ok(EXIT_INTERNAL);
            }
            let done = r.add_client(name, &auth::digest(&token), &crate::serve::beijing_now());
            close(r);
            match done {
                Ok(()) => {
                    println!("{token}");
                    eprintln!(
                        "已为客户端“{}”生成令牌（上面一行，只显示这一次）。调用接口时写请求头 Authorization: Bearer 令牌",
                        visible(name)
                    );
                    Ok(EXIT_OK)
                }
                Err(e) => {
                    eprintln!("{e}");
                    Ok(EXIT_USAGE)
                }
            }
        }
    }
}

/// `guide serve migrate`: the register's tables made or brought up to
/// this guide's format.
fn migrate(project: Option<&Path>, args: &Args) -> Result<u8> {
    let (place, default) = super::register_place(project, args.register.as_deref())?;
    let shown = match &place {
        crate::register::Place::File(p) => visible(&p.display().to_string()).into_owned(),
        crate::register::Place::Database(u) => match crate::register::postgres::config(u) {
            Ok(_) => visible(u).into_owned(),
            Err(e) => {
                eprintln!("{e}");
                return Ok(EXIT_USAGE);
            }
        },
    };
    match place.migrate(super::creation(args.new_register, default)) {
        Ok((from, to)) if from == to => {
            eprintln!("登记簿 {shown} 已是第 {to} 版格式，无需迁移");
            Ok(EXIT_OK)
        }
        Ok((from, to)) => {
            eprintln!("已把登记簿 {shown} 从第 {from} 版格式迁移到第 {to} 版");
            Ok(EXIT_OK)
        }
        Err(e) if e.is_refusal() => {
            eprintln!("{e}");
            Ok(EXIT_USAGE)
        }
        Err(e) => Err(anyhow::Error::new(e)),
    }
}

fn user(project: Option<&Path>, args: &Args, command: &UserSub) -> Result<u8> {
    match command {
        UserSub::Add { name, window, role } => {
            let Some(role) = Role::from_word(role) else {
                eprintln!(
                    "--role 应写 clerk（窗口工作人员）或 supervisor（负责人），不是“{}”",
                    visible(role)
                );
                return Ok(EXIT_USAGE);
            };
            for (field, value) in [("账号名", Some(name)), ("窗口", window.as_ref())] {
                if let Some(v) = value
                    && let Err(message) = crate::register::check_typed(field, v)
                {
                    eprintln!("{message}");
                    return Ok(EXIT_USAGE);
                }
            }
            if name.trim().is_empty() || name.trim() != name {
                eprintln!("账号名不能为空，前后也不能有空格");
                return Ok(EXIT_USAGE);
            }
            let r = match open(project, args)? {
                Ok(r) => r,
                Err(code) => return Ok(code),
            };
            if let Ok(Some(_)) = r.account(name) {
                close(r);
                eprintln!(
                    "已有名为“{}”的账号；改密码请用 guide serve user passwd",
                    visible(name)
                );
                return Ok(EXIT_USAGE);
            }
            let hash = match new_hash(name)? {
                Ok(h) => h,
                Err(code) => {
                    close(r);
                    return Ok(code);
                }
            };
            let done = r.add_account(&NewAccount {
                name: name.clone(),
                window: window.clone(),
                role,
                hash,
                created_at: crate::serve::beijing_now(),
            });
            close(r);
            match done {
                Ok(()) => {
                    eprintln!("已建立账号“{}”（{}）", visible(name), role.label());
                    Ok(EXIT_OK)
                }
                Err(e) => {
                    eprintln!("{e}");
                    Ok(EXIT_USAGE)
                }
            }
        }
        UserSub::List => {
            let r = match open(project, args)? {
                Ok(r) => r,
                Err(code) => return Ok(code),
            };
            let listed = r.accounts();
            close(r);
            for a in listed? {
                println!(
                    "{}\t{}\t{}{}",
                    visible(&a.name),
                    a.role.word(),
                    a.window.as_deref().map(visible).unwrap_or_default(),
                    if a.disabled { "\t已停用" } else { "" }
                );
            }
            Ok(EXIT_OK)
        }
        UserSub::Passwd { name } => {
            let r = match open(project, args)? {
                Ok(r) => r,
                Err(code) => return Ok(code),
            };
            if !matches!(r.account(name), Ok(Some(_))) {
                close(r);
                eprintln!("没有名为“{}”的账号", visible(name));
                return Ok(EXIT_INVALID);
            }
            let hash = match new_hash(name)? {
                Ok(h) => h,
                Err(code) => {
                    close(r);
                    return Ok(code);
                }
            };
            let done = r.set_password(name, &hash);
            close(r);
            done?;
            eprintln!(
                "已重设账号“{}”的密码；它原来的登录已全部失效",
                visible(name)
            );
            Ok(EXIT_OK)
        }
        UserSub::Disable { name } => {
            let r = match open(project, args)? {
                Ok(r) => r,
                Err(code) => return Ok(code),
            };
            let done = r.disable_account(name);
            close(r);
            if done? {
                eprintln!("已停用账号“{}”，它的登录已全部失效", visible(name));
                Ok(EXIT_OK)
            } else {
                eprintln!("没有名为“{}”的账号", visible(name));
                Ok(EXIT_INVALID)
            }
        }
    }
}

fn serve(project: Option<&Path>, args: &Args) -> Result<u8> {
    let root = crate::load::find_root(project)?;
    let snapshot = match crate::serve::load(&root)? {
        Ok(s) => s,
        Err(diagnostics) => {
            eprint!("{diagnostics}");
            eprintln!("，请先改正（`guide check` 查看详情）");
            return Ok(EXIT_INVALID);
        }
    };
    let tls = match args.tls.as_deref() {
        Some([cert, key]) => match crate::serve::tls::config(cert, key) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("{e:#}");
                return Ok(EXIT_USAGE);
            }
        },
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let listener = match std::net::TcpListener::bind(&args.bind) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("无法监听 {}：{e}", visible(&args.bind));
            return Ok(EXIT_USAGE);
        }
    };
    let live = Arc::new(crate::serve::Live::new(snapshot));
    let mut register_files = Vec::new();
    let mut register = None;
    let router = if args.preview {
        crate::serve::site_router(live.clone(), true)
    } else {
        let r = match open(Some(&root), args)? {
            Ok(r) => Arc::new(r),
            Err(code) => return Ok(code),
        };
        register_files = super::register_place(Some(&root), args.register.as_deref())?
            .0
            .files();
        if matches!(r.accounts().as_deref(), Ok([])) {
            eprintln!(
                "还没有窗口工作台的账号：请先用 guide serve user add 名字 --window 窗口号 --role clerk 建立（密码自己输入，没有默认密码）"
            );
        }
        let app = Arc::new(App::new(
            live.clone(),
            r.clone(),
            Options {
                secure_cookies: args.secure_cookies || tls.is_some(),
                trust_proxy: args.trust_proxy,
                hall: args.hall.clone(),
            },
        ));
        register = Some(r);
        crate::serve::router(app)
    };
    let watcher = match crate::serve::watch::start(live, register_files) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("警告：无法监视指南项目的修改（{e}）；修改数据后请重新启动服务");
            None
        }
    };
    let preview = args.preview;
    let served = crate::serve::run(router, listener, tls, |addr| {
        // The first line of standard output: the address (tests and
        // scripts read it when the port was 0).
        println!("{scheme}://{addr}/");
        let _ = std::io::stdout().flush();
        if preview {
            eprintln!("网站预览：{scheme}://{addr}/　保存修改后浏览器自动刷新；按 Ctrl-C 停止");
        } else {
            eprintln!(
                "公开网站：{scheme}://{addr}/　窗口工作台：{scheme}://{addr}/desk/　按 Ctrl-C 停止"
            );
        }
    });
    // The handlers and the watcher are gone with the server: the register
    // is ours again.
    if let Some(w) = watcher {
        w.stop();
    }
    if let Some(r) = register {
        match Arc::try_unwrap(r) {
            Ok(r) => close(r),
            Err(_) => eprintln!("警告：登记簿仍在使用，没有更新它的记录文件"),
        }
    }
    served?;
    eprintln!("已停止");
    Ok(EXIT_OK)
}
