//! `guide notice`: a filled one-time notice for one applicant, numbered and
//! recorded in the register; and the register itself (`list`, `show`,
//! `reprint`) for the applicant's second visit.

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::diag::nearest;
use crate::load::Project;
use crate::model::resolve::{ResolvedMaterial, Selection, materials};
use crate::register::{NewNotice, Register, Told};
use crate::render::notice::{self, Filled};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
#[command(subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// 事项 id（见 `guide list`）
    #[arg(required = true)]
    pub id: Option<String>,
    /// 缺少的材料：目录 id、序号（同 `guide show`）或材料名称；可写多次
    #[arg(long = "missing", short = 'm', value_name = "M", required = true)]
    pub missing: Vec<String>,
    /// 申请人姓名
    #[arg(long, required = true, value_name = "NAME")]
    pub applicant: Option<String>,
    /// 申请人联系电话
    #[arg(long, value_name = "P")]
    pub phone: Option<String>,
    /// 申请人所属情形（可写多次）
    #[arg(long = "situation", short = 's', value_name = "S")]
    pub situations: Vec<String>,
    /// 窗口号
    #[arg(long, value_name = "N")]
    pub window: Option<String>,
    /// 经办人姓名
    #[arg(long, value_name = "NAME")]
    pub clerk: Option<String>,
    /// 输出的 PDF 文件（默认：当前文件夹下“编号.pdf”）
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 登记簿（默认：guide.yaml 旁的 notices.db）
    #[arg(long, value_name = "PATH", global = true)]
    pub register: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// 列出登记簿里的告知单
    List {
        /// 只列出这一天及以后的（年-月-日）
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// 只列出这个事项的
        #[arg(long, value_name = "ID")]
        matter: Option<String>,
    },
    /// 显示一张告知单告知了什么（第二次来办时核对）
    Show {
        /// 告知单编号
        number: String,
    },
    /// 重印一张告知单（与第一次打印的完全相同）
    Reprint {
        /// 告知单编号
        number: String,
        /// 输出的 PDF 文件
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// The register to read: it must exist (a typo must not create an empty one).
fn existing_register(
    project: Option<&Path>,
    explicit: Option<&Path>,
) -> Result<Result<Register, u8>> {
    let path = register_path(project, explicit)?;
    if !path.is_file() {
        eprintln!(
            "没有告知单登记簿 {}（还没有出具过告知单，或路径写错了）",
            path.display()
        );
        return Ok(Err(EXIT_USAGE));
    }
    Ok(Ok(Register::open(&path)?))
}

/// The notice numbered `number` in the register, or the exit code after
/// saying why not.
fn recorded(
    project: Option<&Path>,
    explicit: Option<&Path>,
    number: &str,
) -> Result<Result<crate::register::Notice, u8>> {
    let r = match existing_register(project, explicit)? {
        Ok(r) => r,
        Err(code) => return Ok(Err(code)),
    };
    match r.get(number)? {
        Some(n) => Ok(Ok(n)),
        None => {
            eprintln!("登记簿里没有编号为“{number}”的告知单");
            Ok(Err(EXIT_INVALID))
        }
    }
}

fn register_path(project: Option<&Path>, explicit: Option<&Path>) -> Result<PathBuf> {
    match explicit {
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(crate::load::find_root(project)?.join("notices.db")),
    }
}

/// A file name from a register number (no path separators).
fn file_name(number: &str) -> PathBuf {
    let safe: String = number
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '-'
            } else {
                c
            }
        })
        .collect();
    PathBuf::from(format!("{safe}.pdf"))
}

/// The material a clerk means by `word`: a catalogue id, a number as `guide
/// show` prints it, an exact name, or a unique part of a name.
fn find<'a>(list: &'a [ResolvedMaterial], word: &str) -> Result<&'a ResolvedMaterial, String> {
    let word = word.trim();
    if let Some(m) = list
        .iter()
        .find(|m| m.catalogue_id.as_deref() == Some(word))
    {
        return Ok(m);
    }
    if let Ok(n) = word.parse::<usize>() {
        return list
            .get(n.wrapping_sub(1))
            .ok_or_else(|| format!("没有第 {n} 项材料"));
    }
    if let Some(m) = list.iter().find(|m| m.name == word) {
        return Ok(m);
    }
    let partial: Vec<&ResolvedMaterial> = list.iter().filter(|m| m.name.contains(word)).collect();
    match partial.as_slice() {
        [one] => Ok(one),
        [] => {
            let near = nearest(
                word,
                list.iter().flat_map(|m| {
                    std::iter::once(m.name.as_str()).chain(m.catalogue_id.as_deref())
                }),
            );
            Err(match near.first() {
                Some(n) => format!("没有材料“{word}”，你是不是想写“{n}”？"),
                None => format!("没有材料“{word}”"),
            })
        }
        many => Err(format!(
            "“{word}”可以指{}，请写得更具体，或用序号",
            many.iter()
                .map(|m| format!("“{}”", m.name))
                .collect::<Vec<_>>()
                .join("、")
        )),
    }
}

fn print_choices(list: &[ResolvedMaterial]) {
    eprintln!("本事项在所选情形下的材料：");
    for (i, m) in list.iter().enumerate() {
        match &m.catalogue_id {
            Some(id) => eprintln!("  {:>2}  {}（{id}）", i + 1, m.name),
            None => eprintln!("  {:>2}  {}", i + 1, m.name),
        }
    }
}

fn issue(p: &Project, args: &Args) -> Result<u8> {
    let id = args.id.as_deref().unwrap_or_default();
    let Some(gf) = p.guide(id) else {
        super::not_in_force_or_unknown(p, id);
        return Ok(EXIT_USAGE);
    };
    let g = &gf.guide;
    for s in &args.situations {
        if !g.situations.iter().any(|x| &x.id.value == s) {
            eprintln!("事项“{}”没有情形 `{s}`。可选的情形：", g.name.value);
            for x in &g.situations {
                eprintln!("  {}\t{}", x.id.value, x.label.value);
            }
            return Ok(EXIT_USAGE);
        }
    }
    let list = materials(g, &p.catalogue, Selection::Situations(&args.situations));
    let mut missing: Vec<ResolvedMaterial> = Vec::new();
    let mut bad = false;
    for word in &args.missing {
        match find(&list, word) {
            Ok(m) => {
                if !missing.iter().any(|x| x.position == m.position) {
                    missing.push(m.clone());
                }
            }
            Err(e) => {
                // A material of another situation: say which one.
                let all = materials(g, &p.catalogue, Selection::All);
                match find(&all, word) {
                    Ok(m) if !m.when.is_empty() && !word.chars().all(|c| c.is_ascii_digit()) => {
                        let labels: Vec<String> = m
                            .when
                            .iter()
                            .filter_map(|w| g.situations.iter().find(|x| &x.id.value == w))
                            .map(|x| format!("{}（--situation {}）", x.label.value, x.id.value))
                            .collect();
                        eprintln!("“{}”只在这些情形下需要：{}", m.name, labels.join("；"));
                    }
                    _ => eprintln!("{e}"),
                }
                bad = true;
            }
        }
    }
    if bad {
        print_choices(&list);
        return Ok(EXIT_USAGE);
    }
    // In the order the matter lists them, as on the blank notice.
    missing.sort_by_key(|m| m.position);

    let fonts = {
        let mut f = p.fonts()?;
        f.prepare(&crate::validate::glyphs::charset(p));
        f
    };
    let applicant = args.applicant.clone().unwrap_or_default();
    let typed = [
        ("申请人", Some(&applicant)),
        ("经办人", args.clerk.as_ref()),
        ("窗口", args.window.as_ref()),
        ("联系电话", args.phone.as_ref()),
    ];
    let mut rare = false;
    for (what, value) in typed {
        for ch in value.into_iter().flat_map(|v| v.chars()) {
            if !fonts.has(ch) {
                eprintln!(
                    "{what}“{}”里的字符“{ch}”（U+{:04X}）印刷字体里没有，印出来会是空框；没有打印，也没有登记。",
                    value.map_or("", |v| v.as_str()),
                    ch as u32
                );
                rare = true;
            }
        }
    }
    if applicant.trim().is_empty() {
        eprintln!("申请人姓名不能为空");
        return Ok(EXIT_USAGE);
    }
    for (what, value) in typed {
        if let Some(v) = value
            && !notice::fits_half_field(v, &fonts)
        {
            eprintln!(
                "{what}“{v}”太长，告知单上写不下（会被截断）；没有打印，也没有登记。请写简称，或手写补全"
            );
            return Ok(EXIT_USAGE);
        }
    }
    if rare {
        eprintln!("请手写补全该字，或在 guide.yaml 的 booklet.fonts 里指定包含该字的字体");
        return Ok(EXIT_USAGE);
    }

    // Beijing time (UTC+8, which Xinjiang's offices keep too): a notice
    // issued at 07:00 on 1 January belongs to the new year, not the old.
    let now = crate::date::now_unix() + crate::date::BEIJING_OFFSET;
    let today = crate::date::Date::from_unix(now);
    let settings = p
        .config
        .as_ref()
        .map(|c| c.notice_settings())
        .context("缺少 guide.yaml")?;
    let situations: Vec<String> = args
        .situations
        .iter()
        .filter_map(|s| g.situations.iter().find(|x| &x.id.value == s))
        .map(|x| x.label.value.clone())
        .collect();
    let record = NewNotice {
        year: today.year,
        matter_id: g.id.value.clone(),
        matter_name: g.name.value.clone(),
        edition: format!("{:016x}", p.content_hash),
        applicant: applicant.clone(),
        phone: args.phone.clone(),
        clerk: args.clerk.clone(),
        window: args.window.clone(),
        situations: situations.clone(),
        missing: missing
            .iter()
            .map(|m| Told {
                name: m.name.clone(),
                requirement: notice::requirement(m),
                detail: [&m.spec, &m.note]
                    .into_iter()
                    .flatten()
                    .map(|t| crate::markdown::plain(t))
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
            .collect(),
        issued_at: crate::date::timestamp(now),
    };
    let out = args.output.clone();
    if let Some(o) = &out
        && let Some(dir) = o.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        eprintln!("没有文件夹 {}：告知单无处保存；没有登记", dir.display());
        return Ok(EXIT_USAGE);
    }
    let path = register_path(Some(&p.root), args.register.as_deref())?;
    let mut register = Register::open(&path)?;
    let issued = register.issue(
        record,
        |seq| settings.number(today.year, seq),
        |number| {
            let filled = Filled {
                number: Some(number.to_owned()),
                applicant: Some(applicant.clone()),
                phone: args.phone.clone(),
                clerk: args.clerk.clone(),
                window: args.window.clone(),
                date: Some(today.to_string()),
                situations: situations.clone(),
            };
            let doc = notice::lay_out(p, g, &missing, &filled, &fonts);
            crate::render::pdf::write(&doc, &fonts)
        },
    )?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| file_name(&issued.number));
    std::fs::write(&out, &issued.pdf).with_context(|| {
        format!(
            "已登记 {}，但无法写入 {}（可用 `guide notice reprint` 重印）",
            issued.number,
            out.display()
        )
    })?;
    println!("{}", issued.number);
    eprintln!("已登记并生成 {}（{} 项材料）", out.display(), missing.len());
    Ok(EXIT_OK)
}

pub fn run(project: Option<&Path>, args: Args) -> Result<u8> {
    match &args.command {
        None => {
            let id = args.id.as_deref().unwrap_or_default();
            let p = match super::load_valid_one(project, id)? {
                Ok(p) => p,
                Err(code) => return Ok(code),
            };
            issue(&p, &args)
        }
        Some(Sub::List { since, matter }) => {
            if let Some(d) = since
                && crate::date::Date::parse(d).is_none()
            {
                eprintln!("日期应写成 年-月-日，例如 2026-03-01，不是 `{d}`");
                return Ok(EXIT_USAGE);
            }
            let r = match existing_register(project, args.register.as_deref())? {
                Ok(r) => r,
                Err(code) => return Ok(code),
            };
            let mut out = String::new();
            for n in r.list(since.as_deref(), matter.as_deref())? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t缺{}项\n",
                    n.number,
                    &n.record.issued_at[..10.min(n.record.issued_at.len())],
                    n.record.matter_name,
                    n.record.applicant,
                    n.record.missing.len()
                ));
            }
            print!("{out}");
            Ok(EXIT_OK)
        }
        Some(Sub::Show { number }) => {
            let n = match recorded(project, args.register.as_deref(), number)? {
                Ok(n) => n,
                Err(code) => return Ok(code),
            };
            let rec = &n.record;
            let mut o = format!("{}\n", n.number);
            o.push_str(&format!("告知时间：{}\n", rec.issued_at));
            o.push_str(&format!(
                "申请事项：{}（{}）\n",
                rec.matter_name, rec.matter_id
            ));
            o.push_str(&format!("申请人：{}", rec.applicant));
            if let Some(ph) = &rec.phone {
                o.push_str(&format!("　联系电话：{ph}"));
            }
            o.push('\n');
            if !rec.situations.is_empty() {
                o.push_str(&format!("情形：{}\n", rec.situations.join("；")));
            }
            o.push_str(&format!("告知补正的材料（{} 项）：\n", rec.missing.len()));
            for (i, m) in rec.missing.iter().enumerate() {
                o.push_str(&format!("  {}. {}（{}）\n", i + 1, m.name, m.requirement));
                for l in m.detail.lines().filter(|l| !l.trim().is_empty()) {
                    o.push_str(&format!("     {l}\n"));
                }
            }
            let who: Vec<String> = [
                rec.clerk.as_ref().map(|c| format!("经办人：{c}")),
                rec.window.as_ref().map(|w| format!("窗口：{w}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            if !who.is_empty() {
                o.push_str(&format!("{}\n", who.join("　")));
            }
            o.push_str(&format!("数据版本：{}\n", rec.edition));
            print!("{o}");
            Ok(EXIT_OK)
        }
        Some(Sub::Reprint { number, output }) => {
            let n = match recorded(project, args.register.as_deref(), number)? {
                Ok(n) => n,
                Err(code) => return Ok(code),
            };
            let out = output.clone().unwrap_or_else(|| file_name(&n.number));
            std::fs::write(&out, &n.pdf).with_context(|| format!("无法写入 {}", out.display()))?;
            eprintln!("已重印 {}", out.display());
            Ok(EXIT_OK)
        }
    }
}
