//! `guide notice`: a filled one-time notice for one applicant, numbered and
//! recorded in the register; and the register itself (`list`, `show`,
//! `reprint`) for the applicant's second visit.

use super::{EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::diag::nearest;
use crate::load::Project;
use crate::model::resolve::{ResolvedMaterial, Selection, materials};
use crate::register::{Creation, NewNotice, Refusal, Register, Told, check_typed, visible};
use crate::render::notice::{self, Filled};
use anyhow::{Context, Result};
use std::io::{Read, Write};
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
    /// 登记簿不存在时新建它（第一次出具告知单，或换用新的登记簿）
    #[arg(long)]
    pub new_register: bool,
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
fn existing_register(project: Option<&Path>, explicit: Option<&Path>) -> Result<Register> {
    Register::open_existing(&register_path(project, explicit)?)
}

/// The notice numbered `number` in the register, or the exit code after
/// saying why not.
fn recorded(
    project: Option<&Path>,
    explicit: Option<&Path>,
    number: &str,
) -> Result<Result<crate::register::Notice, u8>> {
    let r = existing_register(project, explicit)?;
    match r.get(number)? {
        Some(n) => Ok(Ok(n)),
        None => {
            eprintln!("登记簿里没有编号为“{}”的告知单", visible(number));
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
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                || crate::register::text::forbidden(c)
            {
                '-'
            } else {
                c
            }
        })
        .collect();
    PathBuf::from(format!("{safe}.pdf"))
}

/// A notice PDF is some tens of KB; a bigger file is not one of ours.
const MAX_NOTICE_BYTES: u64 = 64 << 20;

/// Whether `path` is a notice PDF that guide wrote (producer guide, title
/// 一次性告知单): the only kind of existing file a notice may replace.
/// Read with a size limit.
fn is_notice_pdf(path: &Path) -> bool {
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    if !f
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() <= MAX_NOTICE_BYTES)
    {
        return false;
    }
    let mut bytes = Vec::new();
    if f.take(MAX_NOTICE_BYTES).read_to_end(&mut bytes).is_err() {
        return false;
    }
    // As printpdf writes them: UTF-16BE in hex. The producer "guide (",
    // the title "一次性告知单 ".
    const PRODUCER: &[u8] = b"/Producer<FEFF006700750069006400650020";
    const TITLE: &[u8] = b"/Title<FEFF4E006B216027544A77E553550020";
    let has = |m: &[u8]| bytes.windows(m.len()).any(|w| w == m);
    bytes.starts_with(b"%PDF-") && has(PRODUCER) && has(TITLE)
}

/// Where a notice may be saved: not over the register or its files, not
/// into the guide data (guide.yaml, materials.yaml, guides/, templates/),
/// and over an existing file only if it is a notice PDF guide wrote (an
/// earlier notice). `Err` is the refusal to print.
fn check_output(target: &Path, root: Option<&Path>, register: &Path) -> Result<(), String> {
    let shown = visible(&target.display().to_string()).into_owned();
    if target.is_dir() {
        return Err(format!(
            "“{shown}”是一个文件夹；请写告知单的文件名，例如 {shown}/告知单.pdf"
        ));
    }
    let Some(name) = target.file_name() else {
        return Err(format!("“{shown}”不是一个文件名"));
    };
    let dir_of = |p: &Path| -> PathBuf {
        p.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    };
    let Ok(dir) = std::fs::canonicalize(dir_of(target)) else {
        return Err(format!(
            "没有文件夹 {}：告知单无处保存",
            visible(&dir_of(target).display().to_string())
        ));
    };
    // The file itself, and what a link there points to.
    let mut at = vec![dir.join(name)];
    at.extend(std::fs::canonicalize(target).ok());
    if let (Ok(rdir), Some(rname)) = (
        std::fs::canonicalize(dir_of(register)),
        register.file_name(),
    ) {
        let mut theirs: Vec<PathBuf> = std::iter::once("")
            .chain(crate::register::marker::SIBLINGS)
            .map(|s| crate::register::marker::sibling(&rdir.join(rname), s))
            .collect();
        theirs.extend(std::fs::canonicalize(register).ok());
        if at.iter().any(|p| theirs.contains(p)) {
            return Err(format!(
                "{shown} 是告知单登记簿（或它旁边的 -wal、-shm 等文件），不能用来保存告知单；请换一个文件名"
            ));
        }
    }
    if let Some(root) = root.and_then(|r| std::fs::canonicalize(r).ok()) {
        for p in &at {
            let Ok(rel) = p.strip_prefix(&root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/").to_lowercase();
            let first = rel.split('/').next().unwrap_or_default();
            if matches!(rel.as_str(), "guide.yaml" | "materials.yaml")
                || matches!(first, "guides" | "templates")
            {
                return Err(format!(
                    "{shown} 在指南数据里（guide.yaml、materials.yaml、guides/、templates/），不能用来保存告知单；请换一个文件名或文件夹"
                ));
            }
        }
    }
    if std::fs::symlink_metadata(target).is_ok() && !is_notice_pdf(target) {
        return Err(format!(
            "{shown} 已经存在，而且不是 guide 生成的告知单 PDF，不会覆盖它；请换一个文件名"
        ));
    }
    Ok(())
}

/// `pdf` in a new temporary file beside `target`, flushed to disk; renamed
/// into place once the notice is recorded (or removed if it is not).
fn write_beside(target: &Path, pdf: &[u8], not_done: &str) -> Result<tempfile::NamedTempFile> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let write = || -> std::io::Result<tempfile::NamedTempFile> {
        let mut b = tempfile::Builder::new();
        b.prefix(".guide-notice-").suffix(".pdf.part");
        // As an ordinary new file (the umask applies), not private to the
        // clerk's account: a print service may need to read it.
        #[cfg(unix)]
        b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut tmp = b.tempfile_in(dir)?;
        tmp.write_all(pdf)?;
        tmp.as_file().sync_all()?;
        Ok(tmp)
    };
    write().with_context(|| {
        format!(
            "无法在 {} 写入告知单，{not_done}",
            visible(&dir.display().to_string())
        )
    })
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
            let word = visible(word);
            Err(match near.first() {
                Some(n) => format!("没有材料“{word}”，你是不是想写“{n}”？"),
                None => format!("没有材料“{word}”"),
            })
        }
        many => Err(format!(
            "“{}”可以指{}，请写得更具体，或用序号",
            visible(word),
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

fn issue(p: &Project, args: &Args, now: i64) -> Result<u8> {
    let id = args.id.as_deref().unwrap_or_default();
    let Some(gf) = p.guide(id) else {
        super::not_in_force_or_unknown(p, id);
        return Ok(EXIT_USAGE);
    };
    let g = &gf.guide;
    for s in &args.situations {
        if !g.situations.iter().any(|x| &x.id.value == s) {
            eprintln!(
                "事项“{}”没有情形 `{}`。可选的情形：",
                g.name.value,
                visible(s)
            );
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

    let applicant = args.applicant.clone().unwrap_or_default();
    let typed = [
        ("申请人", Some(&applicant)),
        ("经办人", args.clerk.as_ref()),
        ("窗口", args.window.as_ref()),
        ("联系电话", args.phone.as_ref()),
    ];
    // Before anything else prints them: a control character would act on
    // the terminal, and a direction override print the name backwards.
    for (what, value) in typed {
        if let Some(v) = value
            && let Err(e) = check_typed(what, v)
        {
            eprintln!("{e}");
            return Ok(EXIT_USAGE);
        }
    }
    let fonts = {
        let mut f = p.fonts()?;
        f.prepare(&crate::validate::glyphs::charset(p));
        f
    };
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
    let path = register_path(Some(&p.root), args.register.as_deref())?;
    if let Some(o) = &args.output
        && let Err(why) = check_output(o, Some(&p.root), &path)
    {
        eprintln!("{why}。没有登记");
        return Ok(EXIT_USAGE);
    }
    let creation = if args.new_register {
        Creation::Asked
    } else if args.register.is_none() {
        Creation::FirstUse
    } else {
        Creation::Never
    };
    let (mut register, created) = Register::open_for_issue(&path, creation, |m| eprintln!("{m}"))?;
    if let Some(note) = created {
        eprintln!("{note}");
    }
    // Rendered and written beside its target before the number is taken;
    // renamed into place once it is recorded.
    let (issued, (tmp, out)) = register.issue(
        record,
        |seq| settings.number(today.year, seq),
        |number| {
            let out = args.output.clone().unwrap_or_else(|| file_name(number));
            if args.output.is_none() {
                check_output(&out, Some(&p.root), &path)
                    .map_err(|why| Refusal(format!("{why}。没有登记")))?;
            }
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
            let pdf = crate::render::pdf::write(&doc, &fonts)?;
            let tmp = write_beside(&out, &pdf, "没有登记")?;
            Ok((pdf, (tmp, out)))
        },
    )?;
    let saved = match fail_after_commit() {
        Some(e) => Err(e),
        None => tmp.persist(&out).map(|_| ()).map_err(|e| e.error),
    };
    if let Err(e) = register.close() {
        eprintln!("警告：{e:#}");
    }
    if let Err(e) = saved {
        let mut again = format!("guide notice reprint \"{}\"", issued.number);
        if let Some(r) = &args.register {
            again.push_str(&format!(" --register \"{}\"", r.display()));
        }
        again.push_str(&format!(" -o \"{}\"", out.display()));
        eprintln!(
            "已登记 {}，但无法保存为 {}（{e}）。告知单已存入登记簿，请用下面的命令重印：\n  {}",
            issued.number,
            visible(&out.display().to_string()),
            visible(&again)
        );
        return Ok(EXIT_INTERNAL);
    }
    println!("{}", visible(&issued.number));
    eprintln!(
        "已登记并生成 {}（{} 项材料）",
        visible(&out.display().to_string()),
        missing.len()
    );
    Ok(EXIT_OK)
}

/// Tests only (debug builds): `GUIDE_TEST_FAIL=after-commit` makes saving
/// the PDF fail after its number was recorded.
fn fail_after_commit() -> Option<std::io::Error> {
    #[cfg(debug_assertions)]
    if std::env::var("GUIDE_TEST_FAIL").as_deref() == Ok("after-commit") {
        return Some(std::io::Error::other("测试：保存失败"));
    }
    None
}

/// Now in Beijing time (UTC+8, which Xinjiang's offices keep too), from the
/// computer's clock: a notice issued at 07:00 on 1 January belongs to the
/// new year, not the old. `Err` is the refusal of a clock that cannot be
/// right.
fn beijing_now() -> Result<i64, String> {
    let now = crate::date::clock_unix()
        .ok_or("这台电脑的时钟早于 1970 年，显然不对；请先校正日期和时间。没有打印，也没有登记")?
        + crate::date::BEIJING_OFFSET;
    let today = crate::date::Date::from_unix(now);
    if today.year < 2000 {
        return Err(format!(
            "这台电脑的日期是 {today}，显然不对；请先校正日期和时间。没有打印，也没有登记"
        ));
    }
    Ok(now)
}

/// `rec` as `guide notice show` prints it, every value made safe for the
/// terminal.
fn shown(number: &str, rec: &NewNotice) -> String {
    let v = |s: &str| visible(s).into_owned();
    let mut o = format!("{}\n", v(number));
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
    o.push_str(&format!("告知补正的材料（{} 项）：\n", rec.missing.len()));
    for (i, m) in rec.missing.iter().enumerate() {
        o.push_str(&format!(
            "  {}. {}（{}）\n",
            i + 1,
            v(&m.name),
            v(&m.requirement)
        ));
        for l in m.detail.lines().filter(|l| !l.trim().is_empty()) {
            o.push_str(&format!("     {}\n", v(l)));
        }
    }
    let who: Vec<String> = [
        rec.clerk.as_ref().map(|c| format!("经办人：{}", v(c))),
        rec.window.as_ref().map(|w| format!("窗口：{}", v(w))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !who.is_empty() {
        o.push_str(&format!("{}\n", who.join("　")));
    }
    o.push_str(&format!("数据版本：{}\n", v(&rec.edition)));
    o
}

pub fn run(project: Option<&Path>, args: Args) -> Result<u8> {
    match run_inner(project, args) {
        // A refusal is said as it is: the clerk can act on it.
        Err(e) => match e.chain().find_map(|c| c.downcast_ref::<Refusal>()) {
            Some(r) => {
                eprintln!("{r}");
                Ok(EXIT_USAGE)
            }
            None => Err(e),
        },
        done => done,
    }
}

fn run_inner(project: Option<&Path>, args: Args) -> Result<u8> {
    match &args.command {
        None => {
            let id = args.id.as_deref().unwrap_or_default();
            let now = match beijing_now() {
                Ok(now) => now,
                Err(why) => {
                    eprintln!("{why}");
                    return Ok(EXIT_USAGE);
                }
            };
            // The matter as it is in force on the notice's day.
            let date = crate::date::Date::from_unix(now);
            let p = match super::load_valid_one_as_of(project, id, date)? {
                Ok(p) => p,
                Err(code) => return Ok(code),
            };
            issue(&p, &args, now)
        }
        Some(Sub::List { since, matter }) => {
            if let Some(d) = since
                && crate::date::Date::parse(d).is_none()
            {
                eprintln!(
                    "日期应写成 年-月-日，例如 2026-03-01，不是 `{}`",
                    visible(d)
                );
                return Ok(EXIT_USAGE);
            }
            let r = existing_register(project, args.register.as_deref())?;
            let mut out = String::new();
            let mut damaged = 0;
            for n in r.list(since.as_deref(), matter.as_deref())? {
                match n {
                    Ok(n) => out.push_str(&format!(
                        "{}\t{}\t{}\t{}\t缺{}项\n",
                        visible(&n.number),
                        n.record.issued_at.get(..10).unwrap_or_default(),
                        visible(&n.record.matter_name),
                        visible(&n.record.applicant),
                        n.record.missing.len()
                    )),
                    Err(e) => {
                        eprintln!("{e:#}");
                        damaged += 1;
                    }
                }
            }
            print!("{out}");
            if damaged > 0 {
                eprintln!("登记簿里有 {damaged} 条记录已损坏（见上），其余已列出");
                return Ok(EXIT_INTERNAL);
            }
            Ok(EXIT_OK)
        }
        Some(Sub::Show { number }) => {
            let n = match recorded(project, args.register.as_deref(), number)? {
                Ok(n) => n,
                Err(code) => return Ok(code),
            };
            print!("{}", shown(&n.number, &n.record));
            Ok(EXIT_OK)
        }
        Some(Sub::Reprint { number, output }) => {
            let path = register_path(project, args.register.as_deref())?;
            let n = match recorded(project, args.register.as_deref(), number)? {
                Ok(n) => n,
                Err(code) => return Ok(code),
            };
            let out = output.clone().unwrap_or_else(|| file_name(&n.number));
            let root = crate::load::find_root(project).ok();
            if let Err(why) = check_output(&out, root.as_deref(), &path) {
                eprintln!("{why}。没有重印");
                return Ok(EXIT_USAGE);
            }
            let tmp = write_beside(&out, &n.pdf, "没有重印")?;
            tmp.persist(&out)
                .map_err(|e| e.error)
                .with_context(|| format!("无法写入 {}", visible(&out.display().to_string())))?;
            eprintln!("已重印 {}", visible(&out.display().to_string()));
            Ok(EXIT_OK)
        }
    }
}
