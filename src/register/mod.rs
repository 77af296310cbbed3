//! The notice register: every filled notice with its number, in SQLite.
//!
//! Several windows of one office share one file (on one computer: SQLite's
//! WAL mode needs shared memory, so not over a network share). Numbers are
//! sequential per year, never reused and never skipped:
//!
//! - **Render first, then lock.** The next number is read without a lock,
//!   the notice laid out and rendered with it and written to a temporary
//!   file beside its target; only then is the write lock taken. Inside the
//!   immediate transaction the number is checked to still be the next one
//!   (if another window took it meanwhile, the notice is rendered again with
//!   the new number, a bounded number of times) and the notice is stored
//!   with the year's counter (`counters`) in one commit. The caller renames
//!   the temporary file into place after the commit. However long a notice
//!   takes to lay out, no other window waits for it; a number is recorded
//!   only for a notice whose PDF was written.
//! - **Nothing lost: the marker.** Beside the register, `REGISTER-marker`
//!   records that a register was created at this path, the newest number
//!   guide saw in it, and the file's size and modification time after
//!   guide's last write (see [`marker`]). A register path that has a marker
//!   or SQLite's `-wal`/`-shm` leftovers but no (or an empty) file *existed
//!   before*: it is an error, never a silent restart at 0001. A register
//!   whose newest number is below the marker's has lost notices (a deleted
//!   `-wal`, an old backup put back): no number is issued from it. A file
//!   that changed since guide last wrote it gets `PRAGMA quick_check` on
//!   open; an unchanged one does not (the normal case stays cheap).
//!   Windows that render at once race for the number; a window that lost
//!   twice takes the *turn* (an OS lock on `REGISTER-turn`, never the
//!   register's lock), and while it holds it the others do not commit, so
//!   no window loses for ever when many issue at once.
//! - **Created only on purpose**: by `--new-register`, or at the project's
//!   default path when nothing shows a register was ever there (the CLI
//!   says so on screen). A register recreated over a marker continues
//!   numbering after the marker's last number.
//! - **Every row is checked when read**: bad JSON, NULLs, wrong types, an
//!   invalid time or an archived PDF that is not the one recorded (a
//!   digest of number and PDF) is an error naming the number.
//! - **Schema versions** in `PRAGMA user_version`; a register of the first
//!   format (no `counters`, no `digest`) is migrated once.

pub mod marker;
pub mod text;

use anyhow::{Context, Result, anyhow, bail};
use marker::{Fingerprint, Holder, Marker};
use rusqlite::types::Value;
use rusqlite::{Connection, ErrorCode, OpenFlags, params};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
pub use text::{check_typed, visible};

/// One missing material as it was printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Told {
    pub name: String,
    pub requirement: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// What is recorded of a notice besides its number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNotice {
    pub year: i32,
    pub matter_id: String,
    pub matter_name: String,
    /// Digest of the data the notice was made from.
    pub edition: String,
    pub applicant: String,
    pub phone: Option<String>,
    pub clerk: Option<String>,
    pub window: Option<String>,
    pub situations: Vec<String>,
    pub missing: Vec<Told>,
    /// `YYYY-MM-DD HH:MM:SS` Beijing time.
    pub issued_at: String,
}

/// A recorded notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub number: String,
    pub seq: u32,
    pub record: NewNotice,
    /// The PDF as it was printed; empty in [`Register::list`].
    pub pdf: Vec<u8>,
}

/// A register that cannot be used for a reason the clerk can act on (a
/// wrong path, a register that must be created on purpose, a wrong clock).
/// The CLI prints it as it is and exits with the usage code.
#[derive(Debug)]
pub struct Refusal(pub String);

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refusal {}

/// When a missing (or empty) register may be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Creation {
    /// Never: a path given on the command line must exist.
    Never,
    /// The project's default path on its first notice: only when no
    /// marker and no SQLite leftovers show a register was ever there.
    FirstUse,
    /// `--new-register`: asked for.
    Asked,
}

/// The format of the register this build writes (`PRAGMA user_version`).
/// 0: the first format (no `counters`, no `digest`), migrated on open.
pub const SCHEMA_VERSION: i64 = 1;

/// An archived notice PDF is some tens of KB; past this the row is damaged.
pub const MAX_PDF_BYTES: usize = 64 << 20;

/// Waiting longer than this for the write lock is said on screen.
const NOTE_AFTER: Duration = Duration::from_secs(3);
/// Giving up waiting for the write lock.
const LOCK_WAIT: Duration = Duration::from_secs(120);
/// Readers wait this long for SQLite's short internal locks.
const READ_BUSY: Duration = Duration::from_secs(10);
/// How long another window may take to create a register.
const CREATING: Duration = Duration::from_secs(3);
/// Renders of one notice when other windows keep taking its number.
const MAX_ATTEMPTS: usize = 20;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS notices (
    number      TEXT PRIMARY KEY,
    year        INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    matter_id   TEXT NOT NULL,
    matter_name TEXT NOT NULL,
    edition     TEXT NOT NULL,
    applicant   TEXT NOT NULL,
    phone       TEXT,
    clerk       TEXT,
    window      TEXT,
    situations  TEXT NOT NULL,
    missing     TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    pdf         BLOB NOT NULL,
    digest      TEXT,
    UNIQUE (year, seq)
);
CREATE INDEX IF NOT EXISTS notices_matter ON notices (matter_id);
CREATE INDEX IF NOT EXISTS notices_issued ON notices (issued_at);
CREATE TABLE IF NOT EXISTS counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);
";

/// From the first format: the counters from the notices, once.
const MIGRATE_0_TO_1: &str = "
CREATE TABLE IF NOT EXISTS counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);
INSERT OR IGNORE INTO counters (year, last)
    SELECT year, MAX(seq) FROM notices GROUP BY year;
";

pub struct Register {
    conn: Connection,
    path: PathBuf,
    has_digest: bool,
    /// Opened to issue: [`Register::close`] updates the marker.
    writer: bool,
    on_wait: Option<Tell>,
}

/// What became of a notice in the transaction.
enum Stored {
    Done,
    /// Another window took the number; the next free one.
    Taken(u32),
    /// Another window has the turn.
    Yield,
}

/// Where to say that the register is in use by another window.
type Tell = std::rc::Rc<dyn Fn(&str)>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Missing,
    Empty,
    Present,
}

/// Refuses what is not a plain file path: SQLite's `:memory:` and `file:`
/// URIs (numbers lost, or recorded somewhere else), and control characters.
pub fn check_path(path: &Path) -> Result<(), Refusal> {
    let s = path.to_string_lossy();
    if s.trim().is_empty() {
        return Err(Refusal("登记簿路径不能为空".into()));
    }
    if s == ":memory:" || s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("file:")) {
        return Err(Refusal(format!(
            "登记簿路径“{}”是 SQLite 的特殊写法（内存数据库或 file: 地址），不是一个文件：登记的编号会丢失或记到别处。请写登记簿文件的路径，例如 notices.db",
            visible(&s)
        )));
    }
    if s.chars().any(text::forbidden) {
        return Err(Refusal(format!(
            "登记簿路径“{}”里有控制字符，请改正",
            visible(&s)
        )));
    }
    Ok(())
}

fn shown(path: &Path) -> String {
    visible(&path.display().to_string()).into_owned()
}

fn state(path: &Path) -> Result<State> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::Missing),
        Err(e) => Err(anyhow::Error::from(e).context(format!("无法读取登记簿 {}", shown(path)))),
        Ok(m) if m.is_dir() => Err(Refusal(format!(
            "登记簿 {} 是一个文件夹；--register 应写登记簿文件的路径，例如 {}",
            shown(path),
            shown(&path.join("notices.db"))
        ))
        .into()),
        Ok(m) if m.len() == 0 => Ok(State::Empty),
        Ok(_) => Ok(State::Present),
    }
}

/// Why the register at `path` cannot be written, judged from the file's
/// and folder's permissions (a register set read-only on purpose is
/// read-only for an administrator too).
fn read_only(path: &Path) -> Option<String> {
    if let Ok(m) = std::fs::metadata(path)
        && m.permissions().readonly()
    {
        return Some(format!(
            "登记簿 {} 是只读的，无法登记新的告知单（查看和重印不受影响）",
            shown(path)
        ));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if let Ok(m) = std::fs::metadata(dir)
            && m.permissions().mode() & 0o222 == 0
        {
            return Some(format!(
                "登记簿所在的文件夹 {} 是只读的，无法登记新的告知单（登记时要在那里写入 -wal 等文件）",
                shown(dir)
            ));
        }
    }
    None
}

/// SQLite's error, said for the clerk where it has a plain meaning.
fn sql_error(path: &Path, e: rusqlite::Error, doing: &str) -> anyhow::Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        match f.code {
            ErrorCode::ReadOnly => {
                return anyhow!(
                    "登记簿 {} 是只读的，无法登记新的告知单（查看和重印不受影响）",
                    shown(path)
                );
            }
            ErrorCode::NotADatabase => {
                return Refusal(format!(
                    "{} 不是告知单登记簿（不是 SQLite 数据库文件）；请检查 --register 写的路径",
                    shown(path)
                ))
                .into();
            }
            ErrorCode::DatabaseCorrupt => {
                return anyhow!(
                    "登记簿 {} 已损坏（数据库文件格式错误）。请停止使用它，并用最近的备份恢复",
                    shown(path)
                );
            }
            ErrorCode::DiskFull => {
                return anyhow!("磁盘已满，无法写入登记簿 {}", shown(path));
            }
            _ => {}
        }
    }
    anyhow::Error::from(e).context(format!("{doing} {}", shown(path)))
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked))
}

fn lock_wait() -> Duration {
    #[cfg(debug_assertions)]
    if let Some(s) = std::env::var("GUIDE_TEST_LOCK_WAIT")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return Duration::from_secs(s);
    }
    LOCK_WAIT
}

fn connect(path: &Path, create: bool) -> Result<Connection> {
    // No SQLITE_OPEN_URI: a path is a path. No SQLITE_OPEN_CREATE unless
    // creating is intended.
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| sql_error(path, e, "无法打开告知单登记簿"))?;
    conn.busy_timeout(READ_BUSY)?;
    Ok(conn)
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "空值（NULL）",
        Value::Integer(_) => "整数",
        Value::Real(_) => "小数",
        Value::Text(_) => "文字",
        Value::Blob(_) => "二进制数据",
    }
}

/// The digest recorded with a notice: binds the PDF to its number, so an
/// archived PDF moved to another row is noticed.
fn digest(number: &str, pdf: &[u8]) -> String {
    let h = crate::hash::fnv1a64(number.as_bytes(), 0);
    format!("{:016x}", crate::hash::fnv1a64(pdf, h))
}

/// The error of a damaged row.
fn damaged(number: &str, what: &str) -> anyhow::Error {
    anyhow!(
        "登记簿里编号 {} 的记录已损坏：{what}。请用最近的备份恢复登记簿",
        visible(number)
    )
}

/// The highest sequence number used in `year`: the counter, or a notice
/// above it (a row written by something else), whichever is higher.
fn last_of(conn: &Connection, path: &Path, year: i32) -> Result<u32> {
    let (counter, max): (Value, Value) = conn
        .query_row(
            "SELECT (SELECT last FROM counters WHERE year = ?1),
                    (SELECT MAX(seq) FROM notices WHERE year = ?1)",
            params![year],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| sql_error(path, e, "无法读取告知单登记簿"))?;
    let mut last = 0;
    for v in [counter, max] {
        match v {
            Value::Null => {}
            Value::Integer(n) if (0..=i64::from(u32::MAX - 1)).contains(&n) => {
                last = last.max(n as u32)
            }
            v => bail!(
                "登记簿 {} 里 {year} 年的编号计数已损坏（{}），没有登记。请用最近的备份恢复登记簿",
                shown(path),
                describe(&v)
            ),
        }
    }
    Ok(last)
}

/// Now as the computer's clock says, Beijing time, as recorded.
fn clock_now() -> String {
    let now = crate::date::clock_unix().unwrap_or(0) + crate::date::BEIJING_OFFSET;
    crate::date::timestamp(now)
}

/// Refuses to go on when the clock reads earlier than the register's newest
/// notice: the computer's clock is wrong (or that row was tampered with).
/// The clock is read now, not when the notice was begun: a window that
/// began its notice first may well commit it after another window's.
fn check_clock(conn: &Connection, path: &Path) -> Result<()> {
    let issued_at = clock_now();
    let newest: Option<(Value, Value)> = {
        let mut stmt = conn
            .prepare("SELECT number, issued_at FROM notices ORDER BY year DESC, seq DESC LIMIT 1")
            .map_err(|e| sql_error(path, e, "无法读取告知单登记簿"))?;
        let mut rows = stmt
            .query([])
            .map_err(|e| sql_error(path, e, "无法读取告知单登记簿"))?;
        match rows
            .next()
            .map_err(|e| sql_error(path, e, "无法读取告知单登记簿"))?
        {
            Some(r) => Some((r.get(0)?, r.get(1)?)),
            None => None,
        }
    };
    let Some((number, at)) = newest else {
        return Ok(());
    };
    let number = match number {
        Value::Text(t) => t,
        v => bail!(
            "登记簿 {} 里最新一条记录的编号已损坏（{}），没有登记。请用最近的备份恢复登记簿",
            shown(path),
            describe(&v)
        ),
    };
    let (at, last) = match at {
        Value::Text(t) => {
            let secs = crate::date::parse_timestamp(&t);
            (t, secs)
        }
        _ => (String::new(), None),
    };
    let Some(last) = last else {
        return Err(damaged(
            &number,
            "“告知时间”不是“年-月-日 时:分:秒”，没有登记",
        ));
    };
    let now = crate::date::parse_timestamp(&issued_at).context("告知时间格式错误")?;
    if now < last {
        return Err(Refusal(format!(
            "这台电脑的时钟可能不对：现在是 {issued_at}（北京时间），比登记簿里上一张告知单 {} 的告知时间 {} 还早（或那条记录的时间被改动过）。请先校正电脑的日期和时间；没有打印，也没有登记",
            visible(&number),
            visible(&at)
        ))
        .into());
    }
    Ok(())
}

impl Register {
    fn new(conn: Connection, path: &Path, writer: bool) -> Register {
        Register {
            conn,
            path: path.to_path_buf(),
            has_digest: false,
            writer,
            on_wait: None,
        }
    }

    /// Opens the register at `path` to read it: it must exist, be a
    /// register, and not be empty (reading never creates one).
    pub fn open_existing(path: &Path) -> Result<Register> {
        check_path(path)?;
        match state(path)? {
            State::Missing => {
                let was = marker::read(path).is_some()
                    || marker::LEFTOVERS
                        .iter()
                        .any(|s| marker::sibling(path, s).exists());
                return Err(Refusal(if was {
                    format!(
                        "登记簿 {} 不见了，但它以前在这里（旁边还有它的记录文件）。请找回该文件（例如从备份恢复）",
                        shown(path)
                    )
                } else {
                    format!(
                        "没有告知单登记簿 {}（还没有出具过告知单，或路径写错了）",
                        shown(path)
                    )
                })
                .into());
            }
            State::Empty => {
                return Err(Refusal(format!(
                    "登记簿 {} 是空文件（0 字节），里面没有告知单；它可能被清空了，请从备份恢复",
                    shown(path)
                ))
                .into());
            }
            State::Present => {}
        }
        let conn = connect(path, false)?;
        let mut r = Register::new(conn, path, false);
        if r.tables()? == (0, false) {
            return Err(Refusal(format!(
                "登记簿 {} 里没有任何告知单表：它是空的，或不是告知单登记簿",
                shown(path)
            ))
            .into());
        }
        r.inspect()?;
        Ok(r)
    }

    /// Opens the register at `path` to issue notices, creating it when
    /// `creation` allows (see the module comment). The message, when it was
    /// created, is for the screen; so is what `tell` is called with when
    /// another window holds the register for a while (see [`NOTE_AFTER`]).
    pub fn open_for_issue(
        path: &Path,
        creation: Creation,
        tell: impl Fn(&str) + 'static,
    ) -> Result<(Register, Option<String>)> {
        let tell: Tell = std::rc::Rc::new(tell);
        Self::open_to_write(path, creation, &tell)
    }

    fn open_to_write(
        path: &Path,
        creation: Creation,
        tell: &Tell,
    ) -> Result<(Register, Option<String>)> {
        check_path(path)?;
        let start = Instant::now();
        let (mark, st, leftovers) = loop {
            let mark = marker::read(path);
            let mut st = state(path)?;
            if st == State::Present {
                if let Some(why) = read_only(path) {
                    bail!(why);
                }
                let before = marker::fingerprint(path);
                let conn = connect(path, false)?;
                let mut r = Register::new(conn, path, true);
                r.on_wait = Some(tell.clone());
                if r.tables()? != (0, false) || r.user_version()? != 0 {
                    r.upgrade(None)?;
                    r.verify(mark.as_ref(), before)?;
                    return Ok((r, None));
                }
                // An SQLite file with nothing in it: as good as empty.
                st = State::Empty;
            }
            let leftovers: Vec<PathBuf> = marker::LEFTOVERS
                .iter()
                .map(|s| marker::sibling(path, s))
                .filter(|p| p.exists())
                .collect();
            // SQLite's files without a marker: perhaps another window is
            // creating this register right now; give it a moment.
            if mark.is_none() && !leftovers.is_empty() && start.elapsed() < CREATING {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            break (mark, st, leftovers);
        };
        let existed = mark.is_some() || !leftovers.is_empty();
        if existed && creation != Creation::Asked {
            let gone = if st == State::Missing {
                "不见了"
            } else {
                "变成了空文件"
            };
            let last = match mark.as_ref().and_then(|m| m.last) {
                Some((y, s)) => format!("（上次登记到 {y} 年第 {s} 号）"),
                None => String::new(),
            };
            return Err(Refusal(format!(
                "登记簿 {} {gone}，但它以前存在{last}。为免编号从头开始、与已发出的告知单重复，没有登记。请找回该文件（例如从备份恢复）；如确实要换用新的登记簿，请加 --new-register（编号接着上次的继续）",
                shown(path)
            ))
            .into());
        }
        if creation == Creation::Never {
            return Err(Refusal(format!(
                "没有告知单登记簿 {}。第一次出具告知单、要新建它，请加 --new-register；若是路径写错了，请改正",
                shown(path)
            ))
            .into());
        }
        if !leftovers.is_empty() {
            let names: Vec<String> = leftovers.iter().map(|p| shown(p)).collect();
            return Err(Refusal(format!(
                "登记簿 {} 旁边还留有 {}：它们是旧登记簿的一部分（可能含有还没写进登记簿的告知单）。请先把它们移到别处保存，再新建登记簿",
                shown(path),
                names.join("、")
            ))
            .into());
        }
        if let Some(why) = read_only(path) {
            bail!(why);
        }
        let conn = connect(path, true)?;
        let mut r = Register::new(conn, path, true);
        r.on_wait = Some(tell.clone());
        let seed = mark.as_ref().and_then(|m| m.last);
        if !r.upgrade(seed)? {
            // Another window created it at the same moment.
            return Ok((r, None));
        }
        marker::write(
            path,
            &Marker {
                last: seed,
                file: None,
            },
        )?;
        let note = match seed {
            Some((y, s)) => format!(
                "新建告知单登记簿 {}；编号接着上次记录的 {y} 年第 {s} 号继续",
                shown(path)
            ),
            None => format!("新建告知单登记簿 {}", shown(path)),
        };
        Ok((r, Some(note)))
    }

    /// Number of tables, and whether `notices` is one of them.
    fn tables(&self) -> Result<(i64, bool)> {
        self.conn
            .query_row(
                "SELECT count(*), coalesce(sum(name = 'notices'), 0)
                 FROM sqlite_master WHERE type = 'table'",
                [],
                |r| Ok((r.get(0)?, r.get::<_, i64>(1)? > 0)),
            )
            .map_err(|e| sql_error(&self.path, e, "无法读取告知单登记簿"))
    }

    fn user_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| sql_error(&self.path, e, "无法读取告知单登记簿"))
    }

    /// Checks that this is a register, and which columns it has.
    fn inspect(&mut self) -> Result<()> {
        if !self.tables()?.1 {
            return Err(Refusal(format!(
                "{} 不是告知单登记簿（里面没有告知单表）；请检查 --register 写的路径",
                shown(&self.path)
            ))
            .into());
        }
        self.has_digest = self
            .conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('notices') WHERE name = 'digest'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| sql_error(&self.path, e, "无法读取告知单登记簿"))?
            > 0;
        Ok(())
    }

    fn ensure_wal(&self) -> Result<()> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| sql_error(&self.path, e, "无法读取告知单登记簿"))?;
        if mode.eq_ignore_ascii_case("wal") {
            return Ok(());
        }
        // Switching to WAL takes a lock the busy timeout does not wait for:
        // when two windows open a new register at once, retry.
        let start = Instant::now();
        loop {
            match self
                .conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
            {
                Ok(_) => return Ok(()),
                Err(e) if is_busy(&e) && start.elapsed() < Duration::from_secs(30) => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(sql_error(&self.path, e, "无法启用登记簿的 WAL 日志")),
            }
        }
    }

    /// Brings the schema to [`SCHEMA_VERSION`], creating the tables in an
    /// empty file (with the counter at `seed`); whether this call created
    /// them.
    fn upgrade(&mut self, seed: Option<(i32, u32)>) -> Result<bool> {
        let v = self.user_version()?;
        if v > SCHEMA_VERSION {
            bail!(
                "登记簿 {} 是更新版本的 guide 建立的（格式第 {v} 版，这个 guide 只认得到第 {SCHEMA_VERSION} 版）。请升级 guide 后再出具告知单",
                shown(&self.path)
            );
        }
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| sql_error(&self.path, e, "无法设置告知单登记簿"))?;
        if v == SCHEMA_VERSION {
            self.ensure_wal()?;
            self.inspect()?;
            return Ok(false);
        }
        let (tables, has_notices) = self.tables()?;
        if tables > 0 && !has_notices {
            return Err(Refusal(format!(
                "{} 不是告知单登记簿（里面没有告知单表）；请检查 --register 写的路径",
                shown(&self.path)
            ))
            .into());
        }
        self.ensure_wal()?;
        let path = self.path.clone();
        let created = self.write(None, |conn| {
            let err = |e| sql_error(&path, e, "无法建立告知单登记簿的表");
            let v: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(err)?;
            if v == SCHEMA_VERSION {
                return Ok(false); // another window did it meanwhile
            }
            let has_notices: bool = conn
                .query_row(
                    "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'notices'",
                    [],
                    |r| r.get(0),
                )
                .map_err(err)?;
            if has_notices {
                conn.execute_batch(MIGRATE_0_TO_1).map_err(|e| {
                    sql_error(&path, e, "无法升级告知单登记簿（编号计数）")
                })?;
                let has_digest: bool = conn
                    .query_row(
                        "SELECT count(*) > 0 FROM pragma_table_info('notices') WHERE name = 'digest'",
                        [],
                        |r| r.get(0),
                    )
                    .map_err(err)?;
                if !has_digest {
                    conn.execute_batch("ALTER TABLE notices ADD COLUMN digest TEXT")
                        .map_err(err)?;
                }
            } else {
                conn.execute_batch(SCHEMA).map_err(err)?;
                if let Some((y, s)) = seed {
                    conn.execute(
                        "INSERT INTO counters (year, last) VALUES (?1, ?2)",
                        params![y, s],
                    )
                    .map_err(err)?;
                }
            }
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(err)?;
            Ok(!has_notices)
        })?;
        self.inspect()?;
        Ok(created)
    }

    /// A file changed since guide last wrote it is checked; a register that
    /// lost its newest notices is refused.
    fn verify(&self, mark: Option<&Marker>, before: Option<Fingerprint>) -> Result<()> {
        let known = mark.and_then(|m| m.file);
        if known.is_none() || known != before {
            self.quick_check()?;
        }
        if let Some((y, s)) = mark.and_then(|m| m.last) {
            let have = last_of(&self.conn, &self.path, y)?;
            if have < s {
                bail!(
                    "登记簿 {} 少了最近登记的告知单：上次登记到 {y} 年第 {s} 号，登记簿里只到第 {have} 号。可能是 {} 被删除了，或登记簿被换成了旧的备份。为免编号与已发出的告知单重复，没有登记。请找回最新的登记簿（连同它旁边的 -wal 文件）；核对无误后，可删除 {} 再继续",
                    shown(&self.path),
                    shown(&marker::sibling(&self.path, "-wal")),
                    shown(&marker::sibling(&self.path, "-marker")),
                );
            }
        }
        Ok(())
    }

    fn quick_check(&self) -> Result<()> {
        let found: Vec<String> = (|| -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare("PRAGMA quick_check(5)")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })()
        .map_err(|e| sql_error(&self.path, e, "无法检查告知单登记簿"))?;
        if found != ["ok"] {
            bail!(
                "登记簿 {} 已损坏（SQLite 检查发现：{}），没有登记。请停止使用它，并用最近的备份恢复",
                shown(&self.path),
                visible(&found.join("；"))
            );
        }
        Ok(())
    }

    /// Takes the write lock (saying so when another window holds it for
    /// long), runs `f`, commits if it succeeds and rolls back otherwise.
    fn write<T>(
        &mut self,
        window: Option<&str>,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        self.begin_immediate()?;
        let _holder = Holder::mark(&self.path, window, &clock_now());
        let done = f(&self.conn).and_then(|v| {
            self.conn
                .execute_batch("COMMIT")
                .map_err(|e| sql_error(&self.path, e, "无法写入告知单登记簿"))?;
            Ok(v)
        });
        if done.is_err() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        done
    }

    fn begin_immediate(&self) -> Result<()> {
        let start = Instant::now();
        let limit = lock_wait();
        let mut told = false;
        self.conn.busy_timeout(Duration::from_millis(100))?;
        let who = || match marker::holder(&self.path) {
            Some(h) => format!("另一个窗口（{h}）"),
            None => "另一个程序（可能是 sqlite3、备份或杀毒软件）".to_owned(),
        };
        let got = loop {
            match self.conn.execute_batch("BEGIN IMMEDIATE") {
                Ok(()) => break Ok(()),
                Err(e) if is_busy(&e) => {
                    let waited = start.elapsed();
                    if waited >= limit {
                        break Err(anyhow!(
                            "登记簿 {} 被{}占用，已等了 {} 秒，没有登记。请稍后再试；若一直如此，请检查那个窗口或程序是否卡住",
                            shown(&self.path),
                            who(),
                            waited.as_secs()
                        ));
                    }
                    if !told && waited >= NOTE_AFTER {
                        told = true;
                        if let Some(tell) = &self.on_wait {
                            tell(&format!(
                                "登记簿 {} 正被{}使用，正在等待（最多等 {} 秒）……",
                                shown(&self.path),
                                who(),
                                limit.as_secs()
                            ));
                        }
                    }
                }
                Err(e) => break Err(sql_error(&self.path, e, "无法锁定告知单登记簿")),
            }
        };
        self.conn.busy_timeout(READ_BUSY)?;
        got
    }

    /// Numbers `record` and stores it. `prepare` renders the notice with a
    /// number and writes it where it is to be saved, without the lock (see
    /// the module comment); it is called again with another number when
    /// another window took the first. Whatever `prepare` returns for the
    /// number that was committed is handed back with the notice; an error
    /// of `prepare`, or of the commit, stores nothing.
    ///
    /// Windows that render at the same time race for the number; the
    /// loser renders again. So that a window cannot lose for ever when many
    /// issue at once, a window that lost twice takes *the turn* (an OS lock
    /// on `REGISTER-turn`, not the register's lock): while one window holds
    /// it, the others render but do not commit, so its number stays free.
    pub fn issue<P>(
        &mut self,
        record: NewNotice,
        number_for: impl Fn(u32) -> String,
        mut prepare: impl FnMut(&str) -> Result<(Vec<u8>, P)>,
    ) -> Result<(Notice, P)> {
        check_clock(&self.conn, &self.path)?;
        let turn_path = marker::sibling(&self.path, "-turn");
        let turn = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&turn_path)
            .with_context(|| format!("无法打开 {}", shown(&turn_path)))?;
        let mut have_turn = false;
        let mut lost = 0;
        let mut seq = last_of(&self.conn, &self.path, record.year)? + 1;
        for _ in 0..MAX_ATTEMPTS {
            let number = number_for(seq);
            let (pdf, prepared) = prepare(&number)?;
            if pdf.len() > MAX_PDF_BYTES {
                bail!("告知单 PDF 过大（{} 字节），没有登记", pdf.len());
            }
            let sum = digest(&number, &pdf);
            let path = self.path.clone();
            let stored = self.write(record.window.as_deref(), |conn| {
                // Another window has the turn: leave its number to it.
                if !have_turn && turn.try_lock_shared().is_err() {
                    return Ok(Stored::Yield);
                }
                check_clock(conn, &path)?;
                let next = last_of(conn, &path, record.year)? + 1;
                if next != seq {
                    return Ok(Stored::Taken(next));
                }
                conn.execute(
                    "INSERT INTO notices (number, year, seq, matter_id, matter_name, edition,
                         applicant, phone, clerk, window, situations, missing, issued_at, pdf,
                         digest)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                    params![
                        number,
                        record.year,
                        seq,
                        record.matter_id,
                        record.matter_name,
                        record.edition,
                        record.applicant,
                        record.phone,
                        record.clerk,
                        record.window,
                        serde_json::to_string(&record.situations)?,
                        serde_json::to_string(&record.missing)?,
                        record.issued_at,
                        pdf,
                        sum,
                    ],
                )
                .map_err(|e| match &e {
                    rusqlite::Error::SqliteFailure(f, _)
                        if f.code == ErrorCode::ConstraintViolation
                            && matches!(
                                f.extended_code,
                                rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                                    | rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                            ) =>
                    {
                        anyhow!(
                            "编号 {number} 已被占用（guide.yaml 里的编号格式是否缺少年份或序号？），没有登记"
                        )
                    }
                    _ => sql_error(&path, e, "无法写入告知单登记簿"),
                })?;
                conn.execute(
                    "INSERT INTO counters (year, last) VALUES (?1, ?2)
                     ON CONFLICT (year) DO UPDATE SET last = excluded.last",
                    params![record.year, seq],
                )
                .map_err(|e| sql_error(&path, e, "无法写入告知单登记簿"))?;
                Ok(Stored::Done)
            });
            // The shared lock (if taken) only guards the commit.
            if !have_turn {
                let _ = turn.unlock();
            }
            match stored? {
                Stored::Done => {
                    if have_turn {
                        let _ = turn.unlock();
                    }
                    let notice = Notice {
                        number,
                        seq,
                        record,
                        pdf,
                    };
                    return Ok((notice, prepared));
                }
                Stored::Taken(next) => {
                    seq = next;
                    lost += 1;
                    if lost >= 2 && !have_turn {
                        self.take_turn(&turn)?;
                        have_turn = true;
                        seq = last_of(&self.conn, &self.path, record.year)? + 1;
                    }
                }
                Stored::Yield => {
                    self.take_turn(&turn)?;
                    have_turn = true;
                    seq = last_of(&self.conn, &self.path, record.year)? + 1;
                }
            }
        }
        bail!(
            "登记簿 {} 太忙：连续 {MAX_ATTEMPTS} 次，刚印好的编号都被别的程序先用了。没有登记，请再试一次",
            shown(&self.path)
        )
    }

    /// Waits for the turn (see [`Register::issue`]), saying so after a
    /// while, and gives up after as long as for the register's lock.
    fn take_turn(&self, turn: &std::fs::File) -> Result<()> {
        let start = Instant::now();
        let limit = lock_wait();
        let mut told = false;
        loop {
            match turn.try_lock() {
                Ok(()) => return Ok(()),
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(anyhow::Error::from(e).context(format!(
                        "无法锁定 {}",
                        shown(&marker::sibling(&self.path, "-turn"))
                    )));
                }
            }
            let waited = start.elapsed();
            if waited >= limit {
                bail!(
                    "登记簿 {} 一直有别的窗口在出具告知单，已等了 {} 秒，没有登记。请稍后再试",
                    shown(&self.path),
                    waited.as_secs()
                );
            }
            if !told && waited >= NOTE_AFTER {
                told = true;
                if let Some(tell) = &self.on_wait {
                    tell("别的窗口正在出具告知单，正在排队等候……");
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Done issuing: records in the marker the newest number and how the
    /// file looks after SQLite closed it, so that the next window can tell
    /// whether anything but guide changed it. Several windows may close at
    /// once; a marker a little behind only costs the next one a check.
    pub fn close(self) -> Result<()> {
        if !self.writer {
            return Ok(());
        }
        let newest: Option<(i32, u32)> = self
            .conn
            .query_row(
                "SELECT year, last FROM counters ORDER BY year DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let path = self.path.clone();
        self.conn
            .close()
            .map_err(|(_, e)| sql_error(&path, e, "无法关闭告知单登记簿"))?;
        let old = marker::read(&path).and_then(|m| m.last);
        marker::write(
            &path,
            &Marker {
                last: newest.max(old),
                file: marker::fingerprint(&path),
            },
        )
    }

    fn columns(&self) -> String {
        format!(
            "rowid, number, year, seq, matter_id, matter_name, edition, applicant, phone, clerk,
             window, situations, missing, issued_at, {}",
            if self.has_digest { "digest" } else { "NULL" }
        )
    }

    /// A row of [`Register::columns`] with every field checked.
    fn row(r: &rusqlite::Row<'_>) -> Result<(Notice, i64, Option<String>)> {
        let rowid: i64 = r.get(0)?;
        let number = match r.get::<_, Value>(1)? {
            Value::Text(t) if !t.trim().is_empty() => t,
            v => bail!(
                "登记簿里第 {rowid} 条记录的编号已损坏（{}）。请用最近的备份恢复登记簿",
                describe(&v)
            ),
        };
        let bad = |what: &str, why: &str| damaged(&number, &format!("“{what}”{why}"));
        let text = |i: usize, what: &str| -> Result<String> {
            match r.get::<_, Value>(i)? {
                Value::Text(t) => Ok(t),
                v => Err(bad(what, &format!("应是文字，却是{}", describe(&v)))),
            }
        };
        let optional = |i: usize, what: &str| -> Result<Option<String>> {
            match r.get::<_, Value>(i)? {
                Value::Null => Ok(None),
                Value::Text(t) => Ok(Some(t)),
                v => Err(bad(what, &format!("应是文字，却是{}", describe(&v)))),
            }
        };
        let int = |i: usize, what: &str, max: i64| -> Result<i64> {
            match r.get::<_, Value>(i)? {
                Value::Integer(n) if (1..=max).contains(&n) => Ok(n),
                Value::Integer(n) => Err(bad(what, &format!("是 {n}，不在 1～{max} 之间"))),
                v => Err(bad(what, &format!("应是整数，却是{}", describe(&v)))),
            }
        };
        let year = int(2, "年份", 9999)? as i32;
        let seq = int(3, "序号", i64::from(u32::MAX))? as u32;
        let situations: Vec<String> = serde_json::from_str(&text(11, "情形")?)
            .map_err(|_| bad("情形", "不是有效的 JSON 列表"))?;
        let missing: Vec<Told> = serde_json::from_str(&text(12, "告知补正的材料")?)
            .map_err(|_| bad("告知补正的材料", "不是有效的 JSON 列表"))?;
        let issued_at = text(13, "告知时间")?;
        if crate::date::parse_timestamp(&issued_at).is_none() {
            return Err(bad(
                "告知时间",
                &format!("“{}”不是“年-月-日 时:分:秒”", visible(&issued_at)),
            ));
        }
        let record = NewNotice {
            year,
            matter_id: text(4, "事项 id")?,
            matter_name: text(5, "事项名称")?,
            edition: text(6, "数据版本")?,
            applicant: text(7, "申请人")?,
            phone: optional(8, "联系电话")?,
            clerk: optional(9, "经办人")?,
            window: optional(10, "窗口")?,
            situations,
            missing,
            issued_at,
        };
        let sum = optional(14, "校验值")?;
        let notice = Notice {
            number,
            seq,
            record,
            pdf: Vec::new(),
        };
        Ok((notice, rowid, sum))
    }

    /// The notice with `number`, its archived PDF checked: a PDF, of a sane
    /// size, and (where the register records one) matching its digest.
    pub fn get(&self, number: &str) -> Result<Option<Notice>> {
        let read = |e| sql_error(&self.path, e, "无法读取告知单登记簿");
        let sql = format!(
            "SELECT {}, typeof(pdf), length(pdf) FROM notices WHERE number = ?1",
            self.columns()
        );
        let mut stmt = self.conn.prepare(&sql).map_err(read)?;
        let mut rows = stmt.query(params![number]).map_err(read)?;
        let Some(r) = rows.next().map_err(read)? else {
            return Ok(None);
        };
        let (mut n, rowid, sum) = Self::row(r)?;
        let (kind, len): (String, Option<i64>) = (r.get(15)?, r.get(16)?);
        if kind != "blob" || len.is_none_or(|l| l < 5 || l as usize > MAX_PDF_BYTES) {
            return Err(damaged(
                &n.number,
                &format!("存档的告知单 PDF 不对（{kind}，{} 字节）", len.unwrap_or(0)),
            ));
        }
        let pdf: Vec<u8> = self
            .conn
            .query_row(
                "SELECT pdf FROM notices WHERE rowid = ?1",
                params![rowid],
                |r| r.get(0),
            )
            .map_err(read)?;
        if !pdf.starts_with(b"%PDF-") {
            return Err(damaged(&n.number, "存档的告知单不是 PDF 文件"));
        }
        if let Some(sum) = sum
            && sum != digest(&n.number, &pdf)
        {
            return Err(damaged(
                &n.number,
                "存档的告知单 PDF 与登记时记下的校验值不一致（被改动过，或是别的告知单的）",
            ));
        }
        n.pdf = pdf;
        Ok(Some(n))
    }

    /// Notices issued on or after `since` (a date), of `matter`, oldest
    /// first, without their PDFs; a damaged row is an error in its place.
    pub fn list(&self, since: Option<&str>, matter: Option<&str>) -> Result<Vec<Result<Notice>>> {
        let read = |e| sql_error(&self.path, e, "无法读取告知单登记簿");
        let sql = format!(
            "SELECT {} FROM notices
             WHERE (?1 IS NULL OR issued_at >= ?1) AND (?2 IS NULL OR matter_id = ?2)
             ORDER BY year, seq",
            self.columns()
        );
        let mut stmt = self.conn.prepare(&sql).map_err(read)?;
        let mut rows = stmt.query(params![since, matter]).map_err(read)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(read)? {
            out.push(Self::row(r).map(|(n, _, _)| n));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record of `year` (years past, so that the computer's clock is
    /// never behind them).
    fn record(year: i32) -> NewNotice {
        NewNotice {
            year,
            matter_id: "passport".into(),
            matter_name: "普通护照签发".into(),
            edition: "abc".into(),
            applicant: "张三".into(),
            phone: None,
            clerk: None,
            window: None,
            situations: vec![],
            missing: vec![Told {
                name: "居民身份证".into(),
                requirement: "原件1份，必要".into(),
                detail: String::new(),
            }],
            issued_at: format!("{year}-06-01 09:00:00"),
        }
    }

    fn pdf(n: &str) -> Result<(Vec<u8>, ())> {
        Ok((format!("%PDF-{n}").into_bytes(), ()))
    }

    fn fresh(path: &Path) -> Register {
        Register::open_for_issue(path, Creation::Asked, |_| {})
            .unwrap()
            .0
    }

    #[test]
    fn numbers_are_sequential_per_year_and_roll_over() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = fresh(&dir.path().join("n.db"));
        let fmt = |y: i32| move |s: u32| format!("{y}-{s:04}");
        let mut issue = |y: i32| r.issue(record(y), fmt(y), pdf).unwrap().0.number;
        assert_eq!(issue(2020), "2020-0001");
        assert_eq!(issue(2020), "2020-0002");
        assert_eq!(issue(2021), "2021-0001");
        // A window that began its notice on 31 December commits it after
        // another window's first of the new year.
        assert_eq!(issue(2020), "2020-0003");
    }

    #[test]
    fn a_failed_render_stores_nothing_and_skips_no_number() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = fresh(&dir.path().join("n.db"));
        let fmt = |s: u32| format!("N{s}");
        let failed = r.issue(record(2020), fmt, |_| -> Result<(Vec<u8>, ())> {
            anyhow::bail!("printer on fire")
        });
        assert!(failed.is_err());
        assert!(r.list(None, None).unwrap().is_empty());
        let ok = r.issue(record(2020), fmt, pdf).unwrap().0;
        assert_eq!(ok.number, "N1");
        let back = r.get("N1").unwrap().unwrap();
        assert_eq!(back.record, record(2020));
        assert_eq!(back.pdf, b"%PDF-N1");
    }

    #[test]
    fn the_notice_is_rendered_without_the_lock_and_again_when_its_number_was_taken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let mut r = fresh(&path);
        let mut rendered = Vec::new();
        let (n, ()) = r
            .issue(
                record(2020),
                |s| format!("N{s}"),
                |number| {
                    rendered.push(number.to_owned());
                    // While this window lays out its notice, another one can
                    // take the write lock at once: nobody waits for a layout.
                    let other = Connection::open(&path).unwrap();
                    other.busy_timeout(Duration::ZERO).unwrap();
                    other.execute_batch("BEGIN IMMEDIATE; ROLLBACK").unwrap();
                    drop(other);
                    if rendered.len() == 1 {
                        // ... and issue the number this one is rendering.
                        let mut w = Register::open_for_issue(&path, Creation::Never, |_| {})
                            .unwrap()
                            .0;
                        w.issue(record(2020), |s| format!("N{s}"), pdf).unwrap();
                    }
                    pdf(number)
                },
            )
            .unwrap();
        assert_eq!(rendered, ["N1", "N2"], "rendered again with the new number");
        assert_eq!(n.number, "N2");
        assert_eq!(r.get("N2").unwrap().unwrap().pdf, b"%PDF-N2");
    }

    #[test]
    fn a_register_of_the_first_format_gets_its_counters_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        {
            // The first format, as an earlier guide wrote it.
            let c = Connection::open(&path).unwrap();
            c.execute_batch(
                "PRAGMA journal_mode = WAL;
                 CREATE TABLE notices (number TEXT PRIMARY KEY, year INTEGER NOT NULL,
                   seq INTEGER NOT NULL, matter_id TEXT NOT NULL, matter_name TEXT NOT NULL,
                   edition TEXT NOT NULL, applicant TEXT NOT NULL, phone TEXT, clerk TEXT,
                   window TEXT, situations TEXT NOT NULL, missing TEXT NOT NULL,
                   issued_at TEXT NOT NULL, pdf BLOB NOT NULL, UNIQUE (year, seq));
                 INSERT INTO notices VALUES ('N7', 2020, 7, 'p', '护照', 'e', '张三', NULL,
                   NULL, NULL, '[]', '[]', '2020-05-01 09:00:00', X'255044462D');",
            )
            .unwrap();
        }
        let mut r = Register::open_for_issue(&path, Creation::Never, |_| {})
            .unwrap()
            .0;
        assert_eq!(r.user_version().unwrap(), SCHEMA_VERSION);
        let counted: i64 = r
            .conn
            .query_row("SELECT last FROM counters WHERE year = 2020", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(counted, 7);
        let n = r.issue(record(2020), |s| format!("N{s}"), pdf).unwrap().0;
        assert_eq!(n.number, "N8");
        // The old row, without a digest, still reads.
        assert_eq!(r.get("N7").unwrap().unwrap().pdf, b"%PDF-");
        // The counter, not MAX(seq), numbers: a deleted newest row is not
        // given out again.
        r.conn
            .execute("DELETE FROM notices WHERE number = 'N8'", [])
            .unwrap();
        let n = r.issue(record(2020), |s| format!("N{s}"), pdf).unwrap().0;
        assert_eq!(n.number, "N9");
    }

    #[test]
    fn damaged_rows_are_errors_naming_their_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let mut r = fresh(&path);
        for _ in 0..6 {
            r.issue(record(2020), |s| format!("N{s}"), pdf).unwrap();
        }
        // A table as another program might leave it: no NOT NULL.
        r.conn
            .execute_batch(
                "PRAGMA writable_schema = ON;
                 UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE name = 'notices';
                 PRAGMA writable_schema = OFF;",
            )
            .unwrap();
        drop(r);
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "UPDATE notices SET situations = '{bad' WHERE number = 'N1';
             UPDATE notices SET applicant = NULL WHERE number = 'N2';
             UPDATE notices SET seq = 'three' WHERE number = 'N3';
             UPDATE notices SET pdf = 'hello' WHERE number = 'N4';
             UPDATE notices SET issued_at = '２０２６年六月一日' WHERE number = 'N5';
             UPDATE notices SET pdf = (SELECT pdf FROM notices WHERE number = 'N1')
                 WHERE number = 'N6';",
        )
        .unwrap();
        drop(c);
        let r = Register::open_existing(&path).unwrap();
        let err = |n: &str| format!("{:#}", r.get(n).unwrap_err());
        assert!(err("N1").contains("编号 N1 的记录已损坏：“情形”不是有效的 JSON"));
        assert!(err("N2").contains("“申请人”应是文字，却是空值（NULL）"));
        assert!(err("N3").contains("“序号”应是整数，却是文字"));
        assert!(err("N4").contains("存档的告知单 PDF 不对"));
        assert!(err("N5").contains("“告知时间”“２０２６年六月一日”不是"));
        assert!(err("N6").contains("校验值不一致"), "{}", err("N6"));
        let listed = r.list(None, None).unwrap();
        assert_eq!(listed.len(), 6);
        assert_eq!(listed.iter().filter(|n| n.is_err()).count(), 4);
    }
}
