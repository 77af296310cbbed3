//! The register in one SQLite file ([`SqliteRegister`]).
//!
//! Several windows of one office share one file (on one computer: SQLite's
//! WAL mode needs shared memory, so not over a network share). Numbers
//! follow the rule of [`crate::register`]:
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
//! - **Schema versions** in `PRAGMA user_version`; a register of an older
//!   format is migrated once, when it is opened to write: 0 (no
//!   `counters`, no `digest`) → 1 → 2 (`visits`) → 3 (`defects`) → 4
//!   (`accounts`, `sessions`, `clients`, `audit` of the hall server). An
//!   older register opened to read is read as it is (no defects).
//!
//! One [`SqliteRegister`] may serve many threads: its connection is behind
//! a mutex, which is never held while a notice renders.

mod access;
pub mod marker;

use super::text::{self, visible};
use super::{
    Filter, NewNotice, NewVisit, Notice, Outcome, Page, Paging, Register, RegisterError,
    RenderError, Stats, Summary, Visit, damaged,
};
use marker::{Fingerprint, Holder, Marker};
use rusqlite::types::Value;
use rusqlite::{Connection, ErrorCode, OpenFlags, params};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

type Result<T, E = RegisterError> = std::result::Result<T, E>;

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
/// 0: the first format (no `counters`, no `digest`); 1: no `visits`; 2: no
/// `defects`; 3: no accounts, sessions, API clients or audit log; 4: no
/// halls, one sequence. Each is migrated when opened to write, by the files
/// of [`super::migrations::SQLITE`] (kept in step with `user_version`).
pub const SCHEMA_VERSION: i64 = super::migrations::LATEST;

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

/// The index of the first column after [`SqliteRegister::columns`].
const VISITS_AT: usize = 18;

/// The register in one SQLite file. Open it with
/// [`SqliteRegister::open_existing`] to read, [`SqliteRegister::open_to_update`]
/// to record visits, or [`SqliteRegister::open_for_issue`] to issue; a
/// register opened to write should be [`SqliteRegister::close`]d.
pub struct SqliteRegister {
    conn: Mutex<Connection>,
    path: PathBuf,
    has_digest: bool,
    has_visits: bool,
    has_defects: bool,
    has_halls: bool,
    /// Opened to write: [`SqliteRegister::close`] updates the marker.
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
type Tell = Arc<dyn Fn(&str) + Send + Sync>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Missing,
    Empty,
    Present,
}

fn shown(path: &Path) -> String {
    visible(&path.display().to_string()).into_owned()
}

fn io_error(path: &Path, doing: &str, e: std::io::Error) -> RegisterError {
    RegisterError::Store {
        doing: doing.to_owned(),
        path: shown(path),
        source: Box::new(e),
    }
}

/// Refuses what is not a plain file path: SQLite's `:memory:` and `file:`
/// URIs (numbers lost, or recorded somewhere else), and control characters.
pub fn check_path(path: &Path) -> Result<()> {
    let s = path.to_string_lossy();
    if s.trim().is_empty() {
        return Err(RegisterError::EmptyPath);
    }
    let path = visible(&s).into_owned();
    if s == ":memory:" || s.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("file:")) {
        return Err(RegisterError::SpecialPath { path });
    }
    if s.chars().any(text::forbidden) {
        return Err(RegisterError::ControlInPath { path });
    }
    Ok(())
}

fn state(path: &Path) -> Result<State> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::Missing),
        Err(e) => Err(io_error(path, "无法读取登记簿", e)),
        Ok(m) if m.is_dir() => Err(RegisterError::Folder {
            path: shown(path),
            example: shown(&path.join("notices.db")),
        }),
        Ok(m) if m.len() == 0 => Ok(State::Empty),
        Ok(_) => Ok(State::Present),
    }
}

/// Why the register at `path` cannot be written, judged from the file's
/// and folder's permissions (a register set read-only on purpose is
/// read-only for an administrator too).
fn read_only(path: &Path) -> Option<RegisterError> {
    if let Ok(m) = std::fs::metadata(path)
        && m.permissions().readonly()
    {
        return Some(RegisterError::ReadOnly { path: shown(path) });
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
            return Some(RegisterError::ReadOnlyFolder { dir: shown(dir) });
        }
    }
    None
}

/// SQLite's error, said for the clerk where it has a plain meaning.
fn sql_error(path: &Path, e: rusqlite::Error, doing: &str) -> RegisterError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        let path = shown(path);
        match f.code {
            ErrorCode::ReadOnly => return RegisterError::ReadOnly { path },
            ErrorCode::NotADatabase => {
                return RegisterError::NotARegister {
                    path,
                    sqlite: false,
                };
            }
            ErrorCode::DatabaseCorrupt => return RegisterError::Corrupt { path, found: None },
            ErrorCode::DiskFull => return RegisterError::DiskFull { path },
            _ => {}
        }
    }
    RegisterError::Store {
        doing: doing.to_owned(),
        path: shown(path),
        source: Box::new(e),
    }
}

/// The error of reading the register.
fn read_error(path: &Path) -> impl Fn(rusqlite::Error) -> RegisterError + '_ {
    move |e| sql_error(path, e, "无法读取告知单登记簿")
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
    conn.busy_timeout(READ_BUSY)
        .map_err(|e| sql_error(path, e, "无法打开告知单登记簿"))?;
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
pub(crate) fn digest(number: &str, pdf: &[u8]) -> String {
    let h = crate::hash::fnv1a64(number.as_bytes(), 0);
    format!("{:016x}", crate::hash::fnv1a64(pdf, h))
}

/// The highest sequence number used in `year` in `sequence` (`None`: in
/// any): the counter, or a notice above it (a row written by something
/// else), whichever is higher. A register before format 5 has one
/// sequence.
fn last_of(conn: &Connection, path: &Path, sequence: Option<&str>, year: i32) -> Result<u32> {
    // Only a migrated register is written, so `sequence` is there.
    let (counter, max): (Value, Value) = conn
        .query_row(
            "SELECT (SELECT MAX(last) FROM counters WHERE year = ?1 AND (?2 IS NULL OR sequence = ?2)),
                    (SELECT MAX(seq) FROM notices WHERE year = ?1 AND (?2 IS NULL OR sequence = ?2))",
            params![year, sequence],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(read_error(path))?;
    let mut last = 0;
    for v in [counter, max] {
        match v {
            Value::Null => {}
            Value::Integer(n) if (0..=i64::from(u32::MAX - 1)).contains(&n) => {
                last = last.max(n as u32)
            }
            v => {
                return Err(RegisterError::DamagedCounter {
                    path: shown(path),
                    year,
                    what: describe(&v).to_owned(),
                });
            }
        }
    }
    Ok(last)
}

/// Whether `table` has `column`.
fn column_in(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
        params![table, column],
        |r| r.get(0),
    )
}

/// Applies the migrations after format `from` inside the caller's
/// transaction and records them in the history table; the formats up to
/// `from` (written before there was a history) are recorded as found.
fn migrate(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    conn.execute_batch(super::migrations::HISTORY)?;
    let now = clock_now();
    for m in super::migrations::SQLITE {
        if m.version <= from {
            conn.execute(
                "INSERT OR IGNORE INTO guide_migrations (version, name, applied_at)
                 VALUES (?1, ?2, ?3)",
                params![m.version, m.name, format!("{now}（升级前已有）")],
            )?;
            continue;
        }
        // A register that has the column already (written by hand or
        // half-migrated) keeps it.
        if !(m.name == "defects" && column_in(conn, "notices", "defects")?) {
            conn.execute_batch(m.sql)?;
        }
        conn.execute(
            "INSERT OR REPLACE INTO guide_migrations (version, name, applied_at)
             VALUES (?1, ?2, ?3)",
            params![m.version, m.name, now],
        )?;
    }
    Ok(())
}

/// Now as the computer's clock says, Beijing time, as recorded.
fn clock_now() -> String {
    let now = crate::date::clock_unix().unwrap_or(0) + crate::date::BEIJING_OFFSET;
    crate::date::timestamp(now)
}

/// Refuses to go on when `now` is earlier than the register's newest
/// notice: the computer's clock is wrong (or that row was tampered with).
/// For a notice the clock is read at the commit, not when the notice was
/// begun: a window that began its notice first may well commit it after
/// another window's.
fn check_clock(conn: &Connection, path: &Path, now: &str) -> Result<()> {
    let newest: Option<(Value, Value)> = {
        let mut stmt = conn
            .prepare("SELECT number, issued_at FROM notices ORDER BY year DESC, seq DESC, issued_at DESC LIMIT 1")
            .map_err(read_error(path))?;
        let mut rows = stmt.query([]).map_err(read_error(path))?;
        match rows.next().map_err(read_error(path))? {
            Some(r) => Some((
                r.get(0).map_err(read_error(path))?,
                r.get(1).map_err(read_error(path))?,
            )),
            None => None,
        }
    };
    let Some((number, at)) = newest else {
        return Ok(());
    };
    let number = match number {
        Value::Text(t) => t,
        v => {
            return Err(RegisterError::DamagedNewest {
                path: shown(path),
                what: describe(&v).to_owned(),
            });
        }
    };
    let at = match at {
        Value::Text(t) => t,
        _ => String::new(),
    };
    super::clock_after(&number, &at, now, &shown(path))
}

/// Stores one notice row (issuing and importing write the same row).
fn insert_notice(
    conn: &Connection,
    number: &str,
    seq: u32,
    rec: &NewNotice,
    pdf: &[u8],
    sum: &str,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO notices (number, year, seq, matter_id, matter_name, edition,
             applicant, phone, clerk, window, situations, missing, issued_at, pdf,
             digest, defects, hall, sequence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,
             ?16, ?17, ?18)",
        params![
            number,
            rec.year,
            seq,
            rec.matter_id,
            rec.matter_name,
            rec.edition,
            rec.applicant,
            rec.phone,
            rec.clerk,
            rec.window,
            json(&rec.situations),
            json(&rec.missing),
            rec.issued_at,
            pdf,
            sum,
            json(&rec.defects),
            rec.hall,
            rec.sequence,
        ],
    )
}

/// The SQL condition of a [`Filter`], its parameters being `?1`…`?5`.
const FILTERED: &str = "(?1 IS NULL OR issued_at >= ?1)
    AND (?2 IS NULL OR substr(issued_at, 1, 10) <= ?2)
    AND (?3 IS NULL OR matter_id = ?3)
    AND (?4 IS NULL OR window = ?4)
    AND (?5 IS NULL OR instr(applicant, ?5) > 0 OR instr(coalesce(phone, ''), ?5) > 0)";

impl SqliteRegister {
    fn new(conn: Connection, path: &Path, writer: bool) -> SqliteRegister {
        SqliteRegister {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            has_digest: false,
            has_visits: false,
            has_defects: false,
            has_halls: false,
            writer,
            on_wait: None,
        }
    }

    /// The register file and the files beside it that are part of it
    /// (SQLite's `-wal`, `-shm`, `-journal`; the marker, holder and turn):
    /// no other output may be written over them.
    pub fn files(path: &Path) -> Vec<PathBuf> {
        std::iter::once("")
            .chain(marker::SIBLINGS)
            .map(|s| marker::sibling(path, s))
            .collect()
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A thread that panicked holding it left no transaction open (the
        // transaction is rolled back when its statement fails), so the
        // connection is still good.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Opens the register at `path` to read it: it must exist, be a
    /// register, and not be empty (reading never creates one).
    pub fn open_existing(path: &Path) -> Result<SqliteRegister> {
        check_path(path)?;
        match state(path)? {
            State::Missing => {
                let was = marker::read(path).is_some()
                    || marker::LEFTOVERS
                        .iter()
                        .any(|s| marker::sibling(path, s).exists());
                return Err(if was {
                    RegisterError::Vanished { path: shown(path) }
                } else {
                    RegisterError::Missing { path: shown(path) }
                });
            }
            State::Empty => return Err(RegisterError::Emptied { path: shown(path) }),
            State::Present => {}
        }
        let conn = connect(path, false)?;
        let mut r = SqliteRegister::new(conn, path, false);
        if r.tables()? == (0, false) {
            return Err(RegisterError::NoTables { path: shown(path) });
        }
        r.inspect()?;
        Ok(r)
    }

    /// Opens the register at `path` to record visits: it must exist, as to
    /// read it, and be writable; an older format is migrated.
    pub fn open_to_update(path: &Path) -> Result<SqliteRegister> {
        // The reader's checks and messages: a register is never created
        // to record a visit.
        drop(Self::open_existing(path)?);
        let (r, created) = Self::open_to_write(path, Creation::Never, None)?;
        debug_assert!(created.is_none());
        Ok(r)
    }

    /// Opens the register at `path` to issue notices, creating it when
    /// `creation` allows (see the module comment). The message, when it was
    /// created, is for the screen; so is what `tell` is called with when
    /// another window holds the register for a while (see [`NOTE_AFTER`]).
    pub fn open_for_issue(
        path: &Path,
        creation: Creation,
        tell: impl Fn(&str) + Send + Sync + 'static,
    ) -> Result<(SqliteRegister, Option<String>)> {
        Self::open_to_write(path, creation, Some(Arc::new(tell)))
    }

    fn open_to_write(
        path: &Path,
        creation: Creation,
        tell: Option<Tell>,
    ) -> Result<(SqliteRegister, Option<String>)> {
        check_path(path)?;
        let start = Instant::now();
        let (mark, st, leftovers) = loop {
            let mark = marker::read(path);
            let mut st = state(path)?;
            if st == State::Present {
                if let Some(why) = read_only(path) {
                    return Err(why);
                }
                let before = marker::fingerprint(path);
                let conn = connect(path, false)?;
                let mut r = SqliteRegister::new(conn, path, true);
                r.on_wait = tell.clone();
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
            return Err(RegisterError::Lost {
                path: shown(path),
                emptied: st != State::Missing,
                last: mark.as_ref().and_then(|m| m.last),
            });
        }
        if creation == Creation::Never {
            return Err(RegisterError::NotCreated { path: shown(path) });
        }
        if !leftovers.is_empty() {
            return Err(RegisterError::Leftovers {
                path: shown(path),
                files: leftovers.iter().map(|p| shown(p)).collect(),
            });
        }
        if let Some(why) = read_only(path) {
            return Err(why);
        }
        let conn = connect(path, true)?;
        let mut r = SqliteRegister::new(conn, path, true);
        r.on_wait = tell;
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
        )
        .map_err(|e| {
            io_error(
                &marker::sibling(path, "-marker"),
                "无法写入登记簿记录文件",
                e,
            )
        })?;
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
        self.conn()
            .query_row(
                "SELECT count(*), coalesce(sum(name = 'notices'), 0)
                 FROM sqlite_master WHERE type = 'table'",
                [],
                |r| Ok((r.get(0)?, r.get::<_, i64>(1)? > 0)),
            )
            .map_err(read_error(&self.path))
    }

    fn user_version(&self) -> Result<i64> {
        self.conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(read_error(&self.path))
    }

    fn has_column(&self, table: &str, column: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
                params![table, column],
                |r| r.get::<_, i64>(0),
            )
            .map_err(read_error(&self.path))?
            > 0)
    }

    /// Checks that this is a register, and which columns and tables it has.
    fn inspect(&mut self) -> Result<()> {
        if !self.tables()?.1 {
            return Err(RegisterError::NotARegister {
                path: shown(&self.path),
                sqlite: true,
            });
        }
        self.has_digest = self.has_column("notices", "digest")?;
        self.has_visits = self.has_column("visits", "outcome")?;
        self.has_defects = self.has_column("notices", "defects")?;
        self.has_halls = self.has_column("notices", "sequence")?;
        Ok(())
    }

    fn ensure_wal(&self) -> Result<()> {
        let conn = self.conn();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(read_error(&self.path))?;
        if mode.eq_ignore_ascii_case("wal") {
            return Ok(());
        }
        // Switching to WAL takes a lock the busy timeout does not wait for:
        // when two windows open a new register at once, retry.
        let start = Instant::now();
        loop {
            match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
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
            return Err(RegisterError::Newer {
                path: shown(&self.path),
                version: v,
            });
        }
        self.conn()
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| sql_error(&self.path, e, "无法设置告知单登记簿"))?;
        if v == SCHEMA_VERSION {
            self.ensure_wal()?;
            self.inspect()?;
            return Ok(false);
        }
        let (tables, has_notices) = self.tables()?;
        if tables > 0 && !has_notices {
            return Err(RegisterError::NotARegister {
                path: shown(&self.path),
                sqlite: true,
            });
        }
        self.ensure_wal()?;
        let path = self.path.clone();
        // Format 5 rebuilds `notices`, which `visits` refers to: foreign
        // keys are checked again once the rebuilt table has its name (they
        // cannot be switched inside the transaction).
        self.conn()
            .pragma_update(None, "foreign_keys", false)
            .map_err(|e| sql_error(&self.path, e, "无法设置告知单登记簿"))?;
        let created = self.write(&self.conn(), None, |conn| {
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
            if has_notices && v < 1 && !column_in(conn, "notices", "digest").map_err(err)? {
                // The first format had no digest; 0001 leaves the table be.
                conn.execute_batch("ALTER TABLE notices ADD COLUMN digest TEXT")
                    .map_err(err)?;
            }
            migrate(conn, if has_notices { v } else { 0 }).map_err(|e| {
                sql_error(&path, e, "无法升级告知单登记簿")
            })?;
            if !has_notices && let Some((y, s)) = seed {
                conn.execute(
                    "INSERT INTO counters (sequence, year, last) VALUES ('', ?1, ?2)",
                    params![y, s],
                )
                .map_err(err)?;
            }
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(err)?;
            if has_notices {
                let broken: i64 = conn
                    .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                        r.get(0)
                    })
                    .map_err(err)?;
                if broken > 0 {
                    return Err(RegisterError::Corrupt {
                        path: shown(&path),
                        found: Some(format!("{broken} 条来办记录找不到它的告知单")),
                    });
                }
            }
            Ok(!has_notices)
        });
        let _ = self.conn().pragma_update(None, "foreign_keys", true);
        let created = created?;
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
            let have = last_of(&self.conn(), &self.path, None, y)?;
            if have < s {
                return Err(RegisterError::LostNotices {
                    path: shown(&self.path),
                    year: y,
                    last: s,
                    have,
                    wal: shown(&marker::sibling(&self.path, "-wal")),
                    marker: shown(&marker::sibling(&self.path, "-marker")),
                });
            }
        }
        Ok(())
    }

    fn quick_check(&self) -> Result<()> {
        let found: Vec<String> = (|| -> rusqlite::Result<Vec<String>> {
            let conn = self.conn();
            let mut stmt = conn.prepare("PRAGMA quick_check(5)")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })()
        .map_err(|e| sql_error(&self.path, e, "无法检查告知单登记簿"))?;
        if found != ["ok"] {
            return Err(RegisterError::Corrupt {
                path: shown(&self.path),
                found: Some(visible(&found.join("；")).into_owned()),
            });
        }
        Ok(())
    }

    /// Takes the write lock (saying so when another window holds it for
    /// long), runs `f`, commits if it succeeds and rolls back otherwise.
    fn write<T>(
        &self,
        conn: &Connection,
        window: Option<&str>,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        self.begin_immediate(conn)?;
        let _holder = Holder::mark(&self.path, window, &clock_now());
        let done = f(conn).and_then(|v| {
            conn.execute_batch("COMMIT")
                .map_err(|e| sql_error(&self.path, e, "无法写入告知单登记簿"))?;
            Ok(v)
        });
        if done.is_err() && !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        done
    }

    fn begin_immediate(&self, conn: &Connection) -> Result<()> {
        let start = Instant::now();
        let limit = lock_wait();
        let mut told = false;
        let lock_error = |e| sql_error(&self.path, e, "无法锁定告知单登记簿");
        conn.busy_timeout(Duration::from_millis(100))
            .map_err(lock_error)?;
        let got = loop {
            match conn.execute_batch("BEGIN IMMEDIATE") {
                Ok(()) => break Ok(()),
                Err(e) if is_busy(&e) => {
                    let waited = start.elapsed();
                    if waited >= limit {
                        break Err(RegisterError::Busy {
                            path: shown(&self.path),
                            holder: marker::holder(&self.path),
                            waited: waited.as_secs(),
                        });
                    }
                    if !told && waited >= NOTE_AFTER {
                        told = true;
                        if let Some(tell) = &self.on_wait {
                            tell(&format!(
                                "登记簿 {} 正被{}使用，正在等待（最多等 {} 秒）……",
                                shown(&self.path),
                                super::holder_words(marker::holder(&self.path).as_deref()),
                                limit.as_secs()
                            ));
                        }
                    }
                }
                Err(e) => break Err(lock_error(e)),
            }
        };
        conn.busy_timeout(READ_BUSY).map_err(lock_error)?;
        got
    }

    /// Waits for the turn (see [`SqliteRegister::issue`]), saying so after
    /// a while, and gives up after as long as for the register's lock.
    fn take_turn(&self, turn: &std::fs::File) -> Result<()> {
        let start = Instant::now();
        let limit = lock_wait();
        let mut told = false;
        loop {
            match turn.try_lock() {
                Ok(()) => return Ok(()),
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(io_error(
                        &marker::sibling(&self.path, "-turn"),
                        "无法锁定",
                        e,
                    ));
                }
            }
            let waited = start.elapsed();
            if waited >= limit {
                return Err(RegisterError::Crowded {
                    path: shown(&self.path),
                    waited: waited.as_secs(),
                });
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

    /// Done writing: records in the marker the newest number and how the
    /// file looks after SQLite closed it, so that the next window can tell
    /// whether anything but guide changed it. Several windows may close at
    /// once; a marker a little behind only costs the next one a check.
    pub fn close(self) -> Result<()> {
        if !self.writer {
            return Ok(());
        }
        let conn = self.conn.into_inner().unwrap_or_else(|e| e.into_inner());
        let newest = newest_counter(&conn);
        let path = self.path;
        conn.close()
            .map_err(|(_, e)| sql_error(&path, e, "无法关闭告知单登记簿"))?;
        let old = marker::read(&path).and_then(|m| m.last);
        marker::write(
            &path,
            &Marker {
                last: newest.max(old),
                file: marker::fingerprint(&path),
            },
        )
        .map_err(|e| {
            io_error(
                &marker::sibling(&path, "-marker"),
                "无法写入登记簿记录文件",
                e,
            )
        })
    }

    /// After a commit, while the register stays open (the server): the
    /// marker learns the newest number at once. Best effort; the file's
    /// fingerprint is left out, so the next window to open checks it.
    fn note_newest(&self, conn: &Connection) {
        let newest = newest_counter(conn);
        let old = marker::read(&self.path).and_then(|m| m.last);
        if newest > old {
            let _ = marker::write(
                &self.path,
                &Marker {
                    last: newest,
                    file: None,
                },
            );
        }
    }

    /// The columns of a notice row ([`VISITS_AT`] of them).
    fn columns(&self) -> String {
        format!(
            "rowid, number, year, seq, matter_id, matter_name, edition, applicant, phone, clerk,
             window, situations, missing, issued_at, {}, {}, {}",
            if self.has_digest { "digest" } else { "NULL" },
            if self.has_defects { "defects" } else { "'[]'" },
            if self.has_halls {
                "hall, sequence"
            } else {
                "NULL, ''"
            }
        )
    }

    /// A row of [`SqliteRegister::columns`] with every field checked; its
    /// rowid and digest.
    fn row(path: &Path, r: &rusqlite::Row<'_>) -> Result<(Notice, i64, Option<String>)> {
        let get = |i: usize| r.get::<_, Value>(i).map_err(read_error(path));
        let rowid: i64 = r.get(0).map_err(read_error(path))?;
        let number = match get(1)? {
            Value::Text(t) if !t.trim().is_empty() => t,
            v => {
                return Err(RegisterError::DamagedRow {
                    rowid,
                    what: describe(&v).to_owned(),
                });
            }
        };
        let row = SqliteRow { r, path, number };
        let (notice, sum) = super::notice_of_row(&row)?;
        Ok((notice, rowid, sum))
    }

    /// Notices of one query of [`SqliteRegister::columns`], each checked.
    fn notices(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Result<Notice>>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(sql).map_err(read_error(&self.path))?;
        let mut rows = stmt.query(params).map_err(read_error(&self.path))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(read_error(&self.path))? {
            out.push(Self::row(&self.path, r).map(|(n, _, _)| n));
        }
        Ok(out)
    }

    /// The visits column of a row: how many, and the latest outcome.
    fn visits_columns(&self) -> &'static str {
        if self.has_visits {
            ", (SELECT count(*) FROM visits v WHERE v.number = n.number),
               (SELECT outcome FROM visits v WHERE v.number = n.number ORDER BY seq DESC LIMIT 1)"
        } else {
            ", 0, NULL"
        }
    }
}

/// A row of [`SqliteRegister::columns`] read as a [`super::NoticeRow`]
/// (its column 0 is the rowid, so column `i` of the notice is `i + 1`).
struct SqliteRow<'a, 'r> {
    r: &'a rusqlite::Row<'r>,
    path: &'a Path,
    number: String,
}

impl SqliteRow<'_, '_> {
    fn get(&self, i: usize) -> Result<Value> {
        self.r.get::<_, Value>(i + 1).map_err(read_error(self.path))
    }
    fn wrong(&self, what: &str, wanted: &str, v: &Value) -> RegisterError {
        damaged(
            &self.number,
            &format!("“{what}”应是{wanted}，却是{}", describe(v)),
        )
    }
}

impl super::NoticeRow for SqliteRow<'_, '_> {
    fn number(&self) -> String {
        self.number.clone()
    }
    fn text(&self, i: usize, what: &str) -> Result<String> {
        match self.get(i)? {
            Value::Text(t) => Ok(t),
            v => Err(self.wrong(what, "文字", &v)),
        }
    }
    fn optional(&self, i: usize, what: &str) -> Result<Option<String>> {
        match self.get(i)? {
            Value::Null => Ok(None),
            Value::Text(t) => Ok(Some(t)),
            v => Err(self.wrong(what, "文字", &v)),
        }
    }
    fn int(&self, i: usize, what: &str) -> Result<i64> {
        match self.get(i)? {
            Value::Integer(n) => Ok(n),
            v => Err(self.wrong(what, "整数", &v)),
        }
    }
}

/// The newest year and its counter.
fn newest_counter(conn: &Connection) -> Option<(i32, u32)> {
    conn.query_row(
        "SELECT year, MAX(last) FROM counters GROUP BY year ORDER BY year DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .ok()
}

/// A filter's parameters `?1`…`?5` (see [`FILTERED`]).
fn filter_params(f: &Filter) -> [Option<&str>; 5] {
    [
        f.since.as_deref(),
        f.until.as_deref(),
        f.matter.as_deref(),
        f.window.as_deref(),
        f.text.as_deref().filter(|t| !t.is_empty()),
    ]
}

/// The outcome word of a visit row, checked.
fn outcome_of(number: &str, v: Value) -> Result<Option<Outcome>> {
    match v {
        Value::Null => Ok(None),
        Value::Text(t) => Outcome::from_word(&t).map(Some).ok_or_else(|| {
            damaged(
                number,
                &format!("来办结果“{}”不是已补正、已受理或仍缺", visible(&t)),
            )
        }),
        v => Err(damaged(
            number,
            &format!("来办结果应是文字，却是{}", describe(&v)),
        )),
    }
}

impl Register for SqliteRegister {
    /// Numbers `record` and stores it (see the module comment). Windows
    /// that render at the same time race for the number; the loser renders
    /// again. So that a window cannot lose for ever when many issue at
    /// once, a window that lost twice takes *the turn* (an OS lock on
    /// `REGISTER-turn`, not the register's lock): while one window holds
    /// it, the others render but do not commit, so its number stays free.
    fn issue(
        &self,
        record: NewNotice,
        number_for: &dyn Fn(u32) -> String,
        render: &mut dyn FnMut(&str) -> Result<Vec<u8>, RenderError>,
    ) -> Result<Notice> {
        let mut seq = {
            let conn = self.conn();
            check_clock(&conn, &self.path, &clock_now())?;
            last_of(&conn, &self.path, Some(&record.sequence), record.year)? + 1
        };
        let turn_path = marker::sibling(&self.path, "-turn");
        let turn = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&turn_path)
            .map_err(|e| io_error(&turn_path, "无法打开", e))?;
        let mut have_turn = false;
        let mut lost = 0;
        for _ in 0..MAX_ATTEMPTS {
            let number = number_for(seq);
            let pdf = render(&number).map_err(RegisterError::Render)?;
            if pdf.len() > MAX_PDF_BYTES {
                return Err(RegisterError::PdfTooLarge { bytes: pdf.len() });
            }
            let sum = digest(&number, &pdf);
            let path = &self.path;
            let conn = self.conn();
            let stored = self.write(&conn, record.window.as_deref(), |conn| {
                // Another window has the turn: leave its number to it.
                if !have_turn && turn.try_lock_shared().is_err() {
                    return Ok(Stored::Yield);
                }
                check_clock(conn, path, &clock_now())?;
                let next = last_of(conn, path, Some(&record.sequence), record.year)? + 1;
                if next != seq {
                    return Ok(Stored::Taken(next));
                }
                insert_notice(conn, &number, seq, &record, &pdf, &sum).map_err(|e| match &e {
                    rusqlite::Error::SqliteFailure(f, _)
                        if f.code == ErrorCode::ConstraintViolation
                            && matches!(
                                f.extended_code,
                                rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                                    | rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                            ) =>
                    {
                        RegisterError::NumberTaken {
                            number: number.clone(),
                        }
                    }
                    _ => sql_error(path, e, "无法写入告知单登记簿"),
                })?;
                conn.execute(
                    "INSERT INTO counters (sequence, year, last) VALUES (?1, ?2, ?3)
                     ON CONFLICT (sequence, year) DO UPDATE SET last = excluded.last",
                    params![record.sequence, record.year, seq],
                )
                .map_err(|e| sql_error(path, e, "无法写入告知单登记簿"))?;
                Ok(Stored::Done)
            });
            if matches!(stored, Ok(Stored::Done)) {
                self.note_newest(&conn);
            }
            drop(conn);
            // The shared lock (if taken) only guards the commit.
            if !have_turn {
                let _ = turn.unlock();
            }
            match stored? {
                Stored::Done => {
                    if have_turn {
                        let _ = turn.unlock();
                    }
                    return Ok(Notice {
                        number,
                        seq,
                        record,
                    });
                }
                Stored::Taken(next) => {
                    seq = next;
                    lost += 1;
                    if lost >= 2 && !have_turn {
                        self.take_turn(&turn)?;
                        have_turn = true;
                        seq = last_of(
                            &self.conn(),
                            &self.path,
                            Some(&record.sequence),
                            record.year,
                        )? + 1;
                    }
                }
                Stored::Yield => {
                    self.take_turn(&turn)?;
                    have_turn = true;
                    seq = last_of(
                        &self.conn(),
                        &self.path,
                        Some(&record.sequence),
                        record.year,
                    )? + 1;
                }
            }
        }
        Err(RegisterError::Raced {
            path: shown(&self.path),
            attempts: MAX_ATTEMPTS,
        })
    }

    fn get(&self, number: &str) -> Result<Option<Notice>> {
        let sql = format!("SELECT {} FROM notices WHERE number = ?1", self.columns());
        self.notices(&sql, params![number])?
            .into_iter()
            .next()
            .transpose()
    }

    fn by_seq(&self, year: Option<i32>, seq: u32) -> Result<Vec<Result<Notice>>> {
        let sql = format!(
            "SELECT {} FROM notices WHERE seq = ?1 AND (?2 IS NULL OR year = ?2)
             ORDER BY year, seq, number",
            self.columns()
        );
        self.notices(&sql, params![seq, year])
    }

    /// The archived PDF, checked: a PDF, of a sane size, and (where the
    /// register records one) matching its digest.
    fn pdf(&self, number: &str) -> Result<Vec<u8>> {
        let sql = format!(
            "SELECT {}, typeof(pdf), length(pdf) FROM notices WHERE number = ?1",
            self.columns()
        );
        let conn = self.conn();
        let read = read_error(&self.path);
        let mut stmt = conn.prepare(&sql).map_err(&read)?;
        let mut rows = stmt.query(params![number]).map_err(&read)?;
        let Some(r) = rows.next().map_err(&read)? else {
            return Err(RegisterError::NotFound {
                query: number.to_owned(),
            });
        };
        let (n, rowid, sum) = Self::row(&self.path, r)?;
        let (kind, len): (String, Option<i64>) = (
            r.get(VISITS_AT).map_err(&read)?,
            r.get(VISITS_AT + 1).map_err(&read)?,
        );
        if kind != "blob" || len.is_none_or(|l| l < 5 || l as usize > MAX_PDF_BYTES) {
            return Err(damaged(
                &n.number,
                &format!("存档的告知单 PDF 不对（{kind}，{} 字节）", len.unwrap_or(0)),
            ));
        }
        let pdf: Vec<u8> = conn
            .query_row(
                "SELECT pdf FROM notices WHERE rowid = ?1",
                params![rowid],
                |r| r.get(0),
            )
            .map_err(&read)?;
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
        Ok(pdf)
    }

    fn list(&self, filter: &Filter, paging: Paging) -> Result<Page> {
        let (limit, offset) = match paging {
            Paging::All => (-1, 0),
            Paging::Page { index, size } => (
                i64::from(size),
                i64::from(index.saturating_sub(1)) * i64::from(size),
            ),
        };
        let p = filter_params(filter);
        let conn = self.conn();
        let read = read_error(&self.path);
        let total: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM notices WHERE {FILTERED}"),
                params![p[0], p[1], p[2], p[3], p[4]],
                |r| r.get(0),
            )
            .map_err(&read)?;
        // The page is chosen first on the light columns alone; only its
        // rows are then read whole (the visit columns are a query per row:
        // computed for every row before sorting, a busy window's latest
        // page would cost as much as the whole day).
        let sql = format!(
            "SELECT {}{} FROM notices n WHERE n.rowid IN
               (SELECT rowid FROM notices WHERE {FILTERED}
                ORDER BY year, seq, number LIMIT ?6 OFFSET ?7)
             ORDER BY year, seq, number",
            self.columns(),
            self.visits_columns()
        );
        let mut stmt = conn.prepare(&sql).map_err(&read)?;
        let mut rows = stmt
            .query(params![p[0], p[1], p[2], p[3], p[4], limit, offset])
            .map_err(&read)?;
        let mut items = Vec::new();
        while let Some(r) = rows.next().map_err(&read)? {
            items.push(Self::row(&self.path, r).and_then(|(notice, _, _)| {
                let visits: i64 = r.get(VISITS_AT).map_err(&read)?;
                let outcome = outcome_of(&notice.number, r.get(VISITS_AT + 1).map_err(&read)?)?;
                Ok(Summary {
                    notice,
                    visits: visits.try_into().unwrap_or(u32::MAX),
                    outcome,
                })
            }));
        }
        Ok(Page {
            items,
            total: total.try_into().unwrap_or(0),
        })
    }

    fn record_visit(&self, number: &str, visit: NewVisit) -> Result<Visit> {
        if !self.writer || !self.has_visits {
            return Err(RegisterError::Store {
                doing: "登记簿是以只读方式打开的，无法登记来办记录：".into(),
                path: shown(&self.path),
                source: "open_to_update".into(),
            });
        }
        let path = &self.path;
        let conn = self.conn();
        let seq = self.write(&conn, visit.window.as_deref(), |conn| {
            let read = read_error(path);
            let known: i64 = conn
                .query_row(
                    "SELECT count(*) FROM notices WHERE number = ?1",
                    params![number],
                    |r| r.get(0),
                )
                .map_err(&read)?;
            if known == 0 {
                return Err(RegisterError::NotFound {
                    query: number.to_owned(),
                });
            }
            check_clock(conn, path, &visit.at)?;
            let seq: i64 = conn
                .query_row(
                    "SELECT coalesce(MAX(seq), 0) + 1 FROM visits WHERE number = ?1",
                    params![number],
                    |r| r.get(0),
                )
                .map_err(&read)?;
            conn.execute(
                "INSERT INTO visits (number, seq, visited_at, outcome, brought, clerk, window)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    number,
                    seq,
                    visit.at,
                    visit.outcome.word(),
                    json(&visit.brought),
                    visit.clerk,
                    visit.window,
                ],
            )
            .map_err(|e| sql_error(path, e, "无法写入告知单登记簿"))?;
            Ok(seq)
        })?;
        Ok(Visit {
            number: number.to_owned(),
            seq: seq.try_into().unwrap_or(u32::MAX),
            record: visit,
        })
    }

    fn visits(&self, number: &str) -> Result<Vec<Visit>> {
        if !self.has_visits {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        let read = read_error(&self.path);
        let mut stmt = conn
            .prepare(
                "SELECT seq, visited_at, outcome, brought, clerk, window FROM visits
                 WHERE number = ?1 ORDER BY seq",
            )
            .map_err(&read)?;
        let mut rows = stmt.query(params![number]).map_err(&read)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(&read)? {
            let get = |i: usize| r.get::<_, Value>(i).map_err(&read);
            let bad = |what: &str| damaged(number, &format!("来办记录的“{what}”不对"));
            let text = |i: usize, what: &str| match get(i)? {
                Value::Text(t) => Ok(t),
                _ => Err(bad(what)),
            };
            let optional = |i: usize, what: &str| match get(i)? {
                Value::Null => Ok(None),
                Value::Text(t) => Ok(Some(t)),
                _ => Err(bad(what)),
            };
            let seq = match get(0)? {
                Value::Integer(n) if n > 0 && n <= i64::from(u32::MAX) => n as u32,
                _ => return Err(bad("次序")),
            };
            let at = text(1, "来办时间")?;
            if crate::date::parse_timestamp(&at).is_none() {
                return Err(bad("来办时间"));
            }
            let outcome = outcome_of(number, get(2)?)?.ok_or_else(|| bad("来办结果"))?;
            let brought: Vec<String> =
                serde_json::from_str(&text(3, "带来的材料")?).map_err(|_| bad("带来的材料"))?;
            out.push(Visit {
                number: number.to_owned(),
                seq,
                record: NewVisit {
                    brought,
                    outcome,
                    clerk: optional(4, "经办人")?,
                    window: optional(5, "窗口")?,
                    at,
                },
            });
        }
        Ok(out)
    }

    fn stats(&self, filter: &Filter) -> Result<Stats> {
        let p = filter_params(filter);
        let sql = format!(
            "SELECT {}{} FROM notices n WHERE {FILTERED} ORDER BY year, seq, number",
            self.columns(),
            self.visits_columns()
        );
        let conn = self.conn();
        let read = read_error(&self.path);
        let mut stmt = conn.prepare(&sql).map_err(&read)?;
        let mut rows = stmt
            .query(params![p[0], p[1], p[2], p[3], p[4]])
            .map_err(&read)?;
        let mut all = Vec::new();
        while let Some(r) = rows.next().map_err(&read)? {
            all.push(Self::row(&self.path, r).and_then(|(n, _, _)| {
                let visits: i64 = r.get(VISITS_AT).map_err(&read)?;
                let outcome = outcome_of(&n.number, r.get(VISITS_AT + 1).map_err(&read)?)?;
                Ok((n, visits, outcome))
            }));
        }
        Ok(super::tally(all))
    }

    fn schema_version(&self) -> Result<i64> {
        self.user_version()
    }

    fn add_account(&self, account: &super::NewAccount) -> Result<()> {
        access::add_account(self, account)
    }

    fn account(&self, name: &str) -> Result<Option<super::Account>> {
        access::account(self, name)
    }

    fn accounts(&self) -> Result<Vec<super::Account>> {
        access::accounts(self)
    }

    fn set_password(&self, name: &str, hash: &str) -> Result<bool> {
        access::set_password(self, name, hash)
    }

    fn disable_account(&self, name: &str) -> Result<bool> {
        access::disable_account(self, name)
    }

    fn open_session(&self, session: &super::NewSession) -> Result<()> {
        access::open_session(self, session)
    }

    fn session(&self, digest: &str) -> Result<Option<super::Session>> {
        access::session(self, digest)
    }

    fn close_session(&self, digest: &str) -> Result<()> {
        access::close_session(self, digest)
    }

    fn add_client(&self, name: &str, digest: &str, at: &str) -> Result<()> {
        access::add_client(self, name, digest, at)
    }

    fn client(&self, digest: &str) -> Result<Option<String>> {
        access::client(self, digest)
    }

    fn disable_client(&self, name: &str) -> Result<bool> {
        access::disable_client(self, name)
    }

    fn audit(&self, entry: &super::NewAudit) -> Result<()> {
        access::audit(self, entry)
    }

    fn audit_log(&self, limit: u32) -> Result<Vec<super::AuditEntry>> {
        access::audit_log(self, limit)
    }

    fn import(&self, n: &Notice, pdf: &[u8], visits: &[Visit]) -> Result<()> {
        if !self.writer {
            return Err(RegisterError::Store {
                doing: "登记簿是以只读方式打开的，无法导入：".into(),
                path: shown(&self.path),
                source: "open_for_issue".into(),
            });
        }
        let path = &self.path;
        let rec = &n.record;
        let conn = self.conn();
        self.write(&conn, None, |conn| {
            let err = |e| sql_error(path, e, "无法写入告知单登记簿");
            insert_notice(conn, &n.number, n.seq, rec, pdf, &digest(&n.number, pdf)).map_err(
                |e| match &e {
                    rusqlite::Error::SqliteFailure(f, _)
                        if f.code == ErrorCode::ConstraintViolation =>
                    {
                        RegisterError::Exists {
                            what: "告知单",
                            name: n.number.clone(),
                        }
                    }
                    _ => err(e),
                },
            )?;
            for v in visits {
                conn.execute(
                    "INSERT INTO visits (number, seq, visited_at, outcome, brought, clerk, window)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        n.number,
                        v.seq,
                        v.record.at,
                        v.record.outcome.word(),
                        json(&v.record.brought),
                        v.record.clerk,
                        v.record.window,
                    ],
                )
                .map_err(err)?;
            }
            conn.execute(
                "INSERT INTO counters (sequence, year, last) VALUES (?1, ?2, ?3)
                 ON CONFLICT (sequence, year) DO UPDATE SET last = max(last, excluded.last)",
                params![rec.sequence, rec.year, n.seq],
            )
            .map_err(err)?;
            Ok(())
        })?;
        self.note_newest(&conn);
        Ok(())
    }
}

/// A list stored as JSON text (a list of strings or of [`Told`] always
/// serialises).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    //! What only the SQLite store has: the lock, the migrations, rows
    //! damaged behind its back. What every store must do is in
    //! `tests/register_suite`.
    use super::*;
    use crate::register::Told;

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
                reason: String::new(),
            }],
            defects: vec![],
            issued_at: format!("{year}-06-01 09:00:00"),
            hall: None,
            sequence: String::new(),
        }
    }

    fn pdf(n: &str) -> Result<Vec<u8>, RenderError> {
        Ok(format!("%PDF-{n}").into_bytes())
    }

    fn fresh(path: &Path) -> SqliteRegister {
        SqliteRegister::open_for_issue(path, Creation::Asked, |_| {})
            .unwrap()
            .0
    }

    fn n(s: u32) -> String {
        format!("N{s}")
    }

    #[test]
    fn the_notice_is_rendered_without_the_lock_and_again_when_its_number_was_taken() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let r = fresh(&path);
        let mut rendered = Vec::new();
        let got = r
            .issue(record(2020), &n, &mut |number| {
                rendered.push(number.to_owned());
                // While this window lays out its notice, another one can
                // take the write lock at once: nobody waits for a layout.
                let other = Connection::open(&path).unwrap();
                other.busy_timeout(Duration::ZERO).unwrap();
                other.execute_batch("BEGIN IMMEDIATE; ROLLBACK").unwrap();
                drop(other);
                if rendered.len() == 1 {
                    // ... and issue the number this one is rendering.
                    let w = SqliteRegister::open_for_issue(&path, Creation::Never, |_| {})
                        .unwrap()
                        .0;
                    w.issue(record(2020), &n, &mut pdf).unwrap();
                }
                pdf(number)
            })
            .unwrap();
        assert_eq!(rendered, ["N1", "N2"], "rendered again with the new number");
        assert_eq!(got.number, "N2");
        assert_eq!(r.pdf("N2").unwrap(), b"%PDF-N2");
    }

    #[test]
    fn a_register_of_the_first_format_is_migrated_once() {
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
        // Read by this guide before it is written: no visits, no error.
        let reader = SqliteRegister::open_existing(&path).unwrap();
        assert_eq!(reader.schema_version().unwrap(), 0);
        assert_eq!(reader.visits("N7").unwrap(), []);
        let page = reader.list(&Filter::default(), Paging::All).unwrap();
        assert_eq!(page.items[0].as_ref().unwrap().visits, 0);
        drop(reader);

        let r = SqliteRegister::open_for_issue(&path, Creation::Never, |_| {})
            .unwrap()
            .0;
        assert_eq!(r.schema_version().unwrap(), SCHEMA_VERSION);
        let counted: i64 = r
            .conn()
            .query_row("SELECT last FROM counters WHERE year = 2020", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(counted, 7);
        // The history: the first format as found, then every migration.
        let history: Vec<(i64, String)> = {
            let c = r.conn();
            let mut st = c
                .prepare("SELECT version, name FROM guide_migrations ORDER BY version")
                .unwrap();
            st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let want: Vec<(i64, String)> = crate::register::migrations::SQLITE
            .iter()
            .map(|m| (m.version, m.name.to_owned()))
            .collect();
        assert_eq!(history, want);
        let got = r.issue(record(2020), &n, &mut pdf).unwrap();
        assert_eq!(got.number, "N8");
        // The old row, without a digest, still reads.
        assert_eq!(r.pdf("N7").unwrap(), b"%PDF-");
        // The counter, not MAX(seq), numbers: a deleted newest row is not
        // given out again.
        r.conn()
            .execute("DELETE FROM notices WHERE number = 'N8'", [])
            .unwrap();
        let got = r.issue(record(2020), &n, &mut pdf).unwrap();
        assert_eq!(got.number, "N9");
        // Format 1 → 2 gave it somewhere to record visits.
        let v = NewVisit {
            brought: vec![],
            outcome: Outcome::Accepted,
            clerk: None,
            window: None,
            at: "2020-06-02 09:00:00".into(),
        };
        assert_eq!(r.record_visit("N7", v).unwrap().seq, 1);
    }

    #[test]
    fn a_register_of_format_four_gets_halls_and_keeps_its_notices_and_numbers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        {
            // Format 4, as the guide before halls wrote it.
            let c = Connection::open(&path).unwrap();
            for m in &crate::register::migrations::SQLITE[..4] {
                c.execute_batch(m.sql).unwrap();
            }
            c.execute_batch(
                "PRAGMA journal_mode = WAL; PRAGMA user_version = 4;
                 INSERT INTO notices (number, year, seq, matter_id, matter_name, edition,
                   applicant, situations, missing, issued_at, pdf)
                 VALUES ('N3', 2020, 3, 'p', '护照', 'e', '张三', '[]', '[]',
                   '2020-05-01 09:00:00', X'255044462D');
                 INSERT INTO counters (year, last) VALUES (2020, 3);
                 INSERT INTO visits VALUES ('N3', 1, '2020-05-02 09:00:00', '已受理', '[]',
                   NULL, NULL);",
            )
            .unwrap();
        }
        let r = SqliteRegister::open_for_issue(&path, Creation::Never, |_| {})
            .unwrap()
            .0;
        assert_eq!(r.schema_version().unwrap(), 5);
        let old = r.get("N3").unwrap().unwrap();
        assert_eq!(
            (
                old.seq,
                old.record.hall.clone(),
                old.record.sequence.clone()
            ),
            (3, None, String::new())
        );
        assert_eq!(r.visits("N3").unwrap().len(), 1);
        assert_eq!(r.issue(record(2020), &n, &mut pdf).unwrap().number, "N4");
    }

    #[test]
    fn a_register_of_format_one_gets_its_visits_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let r = fresh(&path);
        r.issue(record(2020), &n, &mut pdf).unwrap();
        r.conn()
            .execute_batch("DROP TABLE visits; PRAGMA user_version = 1;")
            .unwrap();
        r.close().unwrap();
        let reader = SqliteRegister::open_existing(&path).unwrap();
        assert_eq!(reader.schema_version().unwrap(), 1);
        assert!(
            reader.record_visit("N1", visit()).is_err(),
            "a reader does not write"
        );
        drop(reader);
        let r = SqliteRegister::open_to_update(&path).unwrap();
        assert_eq!(r.schema_version().unwrap(), SCHEMA_VERSION);
        r.record_visit("N1", visit()).unwrap();
        assert_eq!(r.visits("N1").unwrap().len(), 1);
        assert_eq!(r.get("N1").unwrap().unwrap().number, "N1");
    }

    fn visit() -> NewVisit {
        NewVisit {
            brought: vec!["居民身份证".into()],
            outcome: Outcome::Corrected,
            clerk: Some("李娜".into()),
            window: None,
            at: "2020-06-02 09:00:00".into(),
        }
    }

    #[test]
    fn a_visit_is_recorded_only_by_a_register_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let e = SqliteRegister::open_to_update(&path).err().unwrap();
        assert!(matches!(e, RegisterError::Missing { .. }), "{e}");
        assert!(!path.exists(), "not created");
    }

    #[test]
    fn damaged_rows_are_errors_naming_their_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        let r = fresh(&path);
        for _ in 0..6 {
            r.issue(record(2020), &n, &mut pdf).unwrap();
        }
        // A table as another program might leave it: no NOT NULL.
        r.conn()
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
        let r = SqliteRegister::open_existing(&path).unwrap();
        let err = |n: &str| r.get(n).unwrap_err().to_string();
        assert!(err("N1").contains("编号 N1 的记录已损坏：“情形”不是有效的 JSON"));
        assert!(err("N2").contains("“申请人”应是文字，却是空值（NULL）"));
        assert!(err("N3").contains("“序号”应是整数，却是文字"));
        assert!(err("N5").contains("“告知时间”“２０２６年六月一日”不是"));
        let pdf_err = |n: &str| r.pdf(n).unwrap_err().to_string();
        assert!(pdf_err("N4").contains("存档的告知单 PDF 不对"));
        assert!(pdf_err("N6").contains("校验值不一致"), "{}", pdf_err("N6"));
        // The row of N4 and N6 is sound; only their PDFs are not.
        assert!(r.get("N4").unwrap().is_some());
        let listed = r.list(&Filter::default(), Paging::All).unwrap();
        assert_eq!(listed.items.len(), 6);
        assert_eq!(listed.items.iter().filter(|n| n.is_err()).count(), 4);
        let stats = r.stats(&Filter::default()).unwrap();
        assert_eq!((stats.notices, stats.damaged), (2, 4));
    }
}
