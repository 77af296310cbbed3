//! The notice register: every filled notice with its number, the
//! applicant's later visits, and what they add up to. [`Register`] is the
//! one door to it, for the command line and the hall server alike;
//! [`SqliteRegister`] keeps it in one SQLite file that the windows of an
//! office share (see [`sqlite`] for how).
//!
//! # The numbering rule
//!
//! Every store keeps it. Numbers are sequential per year, never reused and
//! never skipped, and a number exists only with its notice:
//!
//! - each year has a **counter** holding the last sequence number given
//!   out (never `MAX(seq) + 1`: a deleted row must not hand its number out
//!   again, and a second store cannot rely on a scan either);
//! - issuing reads the counter, renders the notice with the next number
//!   (without holding any lock: nobody waits for a layout), then in **one
//!   transaction** checks that the counter still reads the same, stores
//!   the notice with its PDF and sets the counter to its number;
//! - when another window took the number meanwhile, the notice is rendered
//!   again with the next free one; when rendering fails, nothing is stored
//!   and no number is used.

pub mod access;
pub mod migrations;
pub mod postgres;
pub mod sqlite;
pub mod text;
pub mod transfer;

use serde::{Deserialize, Serialize};
use std::fmt;

pub use access::{Account, AuditEntry, NewAccount, NewAudit, NewSession, Role, Session};
pub use postgres::PostgresRegister;
pub use sqlite::{Creation, SqliteRegister};
pub use text::{check_typed, visible};

/// One material as it was told: its name, and what is asked of it in the
/// words of [`crate::present::requirement`] and
/// [`crate::present::material_detail`]; for a material brought but
/// defective, the reason it must be corrected.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Told {
    pub name: String,
    pub requirement: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Why a defective material must be corrected (empty for a missing one).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
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
    /// Labels of the applicant's situations.
    pub situations: Vec<String>,
    pub missing: Vec<Told>,
    /// Materials brought but defective (需补正), each with its reason.
    pub defects: Vec<Told>,
    /// `YYYY-MM-DD HH:MM:SS` Beijing time.
    pub issued_at: String,
    /// The hall that issued it (`--hall` or `register.hall` in
    /// `guide.yaml`), when the register serves several.
    pub hall: Option<String>,
    /// The counter its number is taken from: empty for the register's one
    /// sequence (city-wide), the hall's name when the number pattern has
    /// `{hall}` (each hall numbers on its own).
    pub sequence: String,
}

impl NewNotice {
    /// Everything the notice told: the missing materials, then the
    /// defective ones. The second visit brings these.
    pub fn told(&self) -> impl Iterator<Item = &Told> {
        self.missing.iter().chain(&self.defects)
    }
}

/// A recorded notice, without its PDF (see [`Register::pdf`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub number: String,
    pub seq: u32,
    pub record: NewNotice,
}

/// A notice as the register lists it: the notice, and how its second
/// visit stands. Never the PDF: a page of the register stays small.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub notice: Notice,
    /// Visits recorded.
    pub visits: u32,
    /// The outcome of the latest visit, if any.
    pub outcome: Option<Outcome>,
}

/// Which notices [`Register::list`] and [`Register::stats`] take. Every
/// field narrows; the default takes all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Issued on or after this day (`YYYY-MM-DD`).
    pub since: Option<String>,
    /// Issued on or before this day (`YYYY-MM-DD`).
    pub until: Option<String>,
    /// Of this matter (id).
    pub matter: Option<String>,
    /// At this window.
    pub window: Option<String>,
    /// The applicant's name or phone contains this.
    pub text: Option<String>,
}

/// Which part of a list: all of it, or page `index` (from 1) of `size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paging {
    All,
    Page { index: u32, size: u32 },
}

/// One page of the register, oldest first.
#[derive(Debug)]
pub struct Page {
    /// A damaged row is an error in its place; the others still list.
    pub items: Vec<Result<Summary, RegisterError>>,
    /// Notices the filter takes, on all pages.
    pub total: u64,
}

/// What became of the applicant's second (or later) visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// 已补正: everything told was brought.
    Corrected,
    /// 已受理: the application was accepted.
    Accepted,
    /// 仍缺: something is still missing.
    StillMissing,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Corrected, Outcome::Accepted, Outcome::StillMissing];

    /// The word printed and stored.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Corrected => "已补正",
            Outcome::Accepted => "已受理",
            Outcome::StillMissing => "仍缺",
        }
    }

    pub fn from_word(w: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.word() == w.trim())
    }

    /// Whether the notice did its work: the matter can go on.
    pub fn completes(self) -> bool {
        matches!(self, Outcome::Corrected | Outcome::Accepted)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// A visit of the applicant with the notice, to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewVisit {
    /// Names of the told materials brought this time.
    pub brought: Vec<String>,
    pub outcome: Outcome,
    pub clerk: Option<String>,
    pub window: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS` Beijing time.
    pub at: String,
}

/// A recorded visit: the `seq`-th of its notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    pub number: String,
    pub seq: u32,
    pub record: NewVisit,
}

/// What the register adds up to over the notices a [`Filter`] takes:
/// the feedback a policy office needs to rewrite a confusing material.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub notices: u64,
    /// Notices with at least one visit recorded.
    pub visited: u64,
    /// Notices whose latest visit completes them (已补正 or 已受理).
    pub completed: u64,
    /// Per matter, most notices first (then by id).
    pub matters: Vec<MatterStats>,
    /// Damaged rows left out of the counts.
    pub damaged: u64,
}

impl Stats {
    /// The second-visit completion rate: completed / notices.
    pub fn completion_rate(&self) -> Option<f64> {
        (self.notices > 0).then(|| self.completed as f64 / self.notices as f64)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MatterStats {
    pub matter_id: String,
    pub matter_name: String,
    pub notices: u64,
    pub completed: u64,
    /// Each material told missing, with how many notices told it; most
    /// often first (then by name).
    pub missing: Vec<(String, u64)>,
    /// Each material brought but defective, likewise: a material often
    /// brought wrong is one whose wording needs rewriting.
    pub defective: Vec<(String, u64)>,
}

/// A notice as [`tally`] counts it: with its visits and latest outcome.
pub type Counted = (Notice, i64, Option<Outcome>);

/// What the notices of a [`Register::stats`] query add up to: each row
/// (a notice, its visits and its latest outcome) or the error of a damaged
/// one, which is counted apart. The same for every store.
pub fn tally(rows: Vec<Result<Counted, RegisterError>>) -> Stats {
    use std::collections::BTreeMap;
    type Counts = BTreeMap<String, u64>;
    let mut stats = Stats::default();
    let mut matters: BTreeMap<String, (MatterStats, Counts, Counts)> = BTreeMap::new();
    for row in rows {
        let Ok((n, visits, outcome)) = row else {
            stats.damaged += 1;
            continue;
        };
        let done = outcome.is_some_and(Outcome::completes);
        stats.notices += 1;
        stats.visited += u64::from(visits > 0);
        stats.completed += u64::from(done);
        let (m, missing, defective) = matters.entry(n.record.matter_id.clone()).or_default();
        m.matter_id = n.record.matter_id;
        m.matter_name = n.record.matter_name;
        m.notices += 1;
        m.completed += u64::from(done);
        for t in n.record.missing {
            *missing.entry(t.name).or_default() += 1;
        }
        for t in n.record.defects {
            *defective.entry(t.name).or_default() += 1;
        }
    }
    // Most often first, then by name.
    let ranked = |counts: Counts| {
        let mut v: Vec<(String, u64)> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    stats.matters = matters
        .into_values()
        .map(|(mut m, missing, defective)| {
            m.missing = ranked(missing);
            m.defective = ranked(defective);
            m
        })
        .collect();
    stats.matters.sort_by(|a, b| {
        b.notices
            .cmp(&a.notices)
            .then_with(|| a.matter_id.cmp(&b.matter_id))
    });
    stats
}

/// The failure of a render callback, handed back as it is.
pub type RenderError = Box<dyn std::error::Error + Send + Sync>;

/// One notice row as a store reads it: the columns `number, year, seq,
/// matter_id, matter_name, edition, applicant, phone, clerk, window,
/// situations, missing, issued_at, digest, defects, hall, sequence` (index
/// 0 is `number`), each in the store's own types; `what` names the column
/// in a message.
pub(crate) trait NoticeRow {
    /// The notice's number (column 0).
    fn number(&self) -> String;
    fn text(&self, i: usize, what: &str) -> Result<String, RegisterError>;
    fn optional(&self, i: usize, what: &str) -> Result<Option<String>, RegisterError>;
    fn int(&self, i: usize, what: &str) -> Result<i64, RegisterError>;
}

/// Whether a notice may be issued at `now` after the register's newest,
/// `number` issued at `at`: a clock behind the newest notice is refused.
/// `place` names the register in a message.
pub(crate) fn clock_after(
    number: &str,
    at: &str,
    now: &str,
    place: &str,
) -> Result<(), RegisterError> {
    let Some(last) = crate::date::parse_timestamp(at) else {
        return Err(damaged(
            number,
            "“告知时间”不是“年-月-日 时:分:秒”，没有登记",
        ));
    };
    let Some(secs) = crate::date::parse_timestamp(now) else {
        return Err(RegisterError::Store {
            doing: format!("时间“{}”格式错误，无法登记到", visible(now)),
            path: place.to_owned(),
            source: "告知时间格式错误".into(),
        });
    };
    if secs < last {
        return Err(RegisterError::ClockBehind {
            now: now.to_owned(),
            number: visible(number).into_owned(),
            at: visible(at).into_owned(),
        });
    }
    Ok(())
}

/// A damaged row: which notice and what is wrong with it.
pub(crate) fn damaged(number: &str, what: &str) -> RegisterError {
    RegisterError::Damaged {
        number: number.to_owned(),
        what: what.to_owned(),
    }
}

/// The notice in `row` with every field checked, the same way for every
/// store; and its digest.
pub(crate) fn notice_of_row(
    row: &impl NoticeRow,
) -> Result<(Notice, Option<String>), RegisterError> {
    let number = row.number();
    let bad = |what: &str, why: &str| damaged(&number, &format!("“{what}”{why}"));
    let ranged = |i: usize, what: &str, max: i64| -> Result<i64, RegisterError> {
        let n = row.int(i, what)?;
        if (1..=max).contains(&n) {
            Ok(n)
        } else {
            Err(bad(what, &format!("是 {n}，不在 1～{max} 之间")))
        }
    };
    let year = ranged(1, "年份", 9999)? as i32;
    let seq = ranged(2, "序号", i64::from(u32::MAX))? as u32;
    let list = |i: usize, what: &str| -> Result<String, RegisterError> { row.text(i, what) };
    let situations: Vec<String> = serde_json::from_str(&list(10, "情形")?)
        .map_err(|_| bad("情形", "不是有效的 JSON 列表"))?;
    let missing: Vec<Told> = serde_json::from_str(&list(11, "告知补正的材料")?)
        .map_err(|_| bad("告知补正的材料", "不是有效的 JSON 列表"))?;
    let defects: Vec<Told> = serde_json::from_str(&list(14, "需补正的材料")?)
        .map_err(|_| bad("需补正的材料", "不是有效的 JSON 列表"))?;
    let issued_at = row.text(12, "告知时间")?;
    if crate::date::parse_timestamp(&issued_at).is_none() {
        return Err(bad(
            "告知时间",
            &format!("“{}”不是“年-月-日 时:分:秒”", visible(&issued_at)),
        ));
    }
    let record = NewNotice {
        year,
        matter_id: row.text(3, "事项 id")?,
        matter_name: row.text(4, "事项名称")?,
        edition: row.text(5, "数据版本")?,
        applicant: row.text(6, "申请人")?,
        phone: row.optional(7, "联系电话")?,
        clerk: row.optional(8, "经办人")?,
        window: row.optional(9, "窗口")?,
        situations,
        missing,
        defects,
        issued_at,
        hall: row.optional(15, "大厅")?,
        sequence: row.text(16, "编号序列")?,
    };
    let sum = row.optional(13, "校验值")?;
    Ok((
        Notice {
            number,
            seq,
            record,
        },
        sum,
    ))
}

/// The notice register. Synchronous; shared between threads (the hall
/// server holds one as `Arc<dyn Register>`).
pub trait Register: Send + Sync {
    /// Numbers `record` and stores it with its PDF, following the
    /// numbering rule of this module: `number_for` makes the printed number
    /// of a sequence number, `render` renders (and may save beside its
    /// target) the notice with that number and returns its PDF. `render`
    /// runs without a lock, and again with the next free number when
    /// another window took the first; its error stores nothing and uses no
    /// number ([`RegisterError::Render`] hands it back). The notice is
    /// stored with the PDF of the number committed.
    fn issue(
        &self,
        record: NewNotice,
        number_for: &dyn Fn(u32) -> String,
        render: &mut dyn FnMut(&str) -> Result<Vec<u8>, RenderError>,
    ) -> Result<Notice, RegisterError>;

    /// The notice numbered exactly `number`, its row checked.
    fn get(&self, number: &str) -> Result<Option<Notice>, RegisterError>;

    /// The notices with sequence number `seq` (of `year`, if given), each
    /// row checked; oldest first.
    fn by_seq(
        &self,
        year: Option<i32>,
        seq: u32,
    ) -> Result<Vec<Result<Notice, RegisterError>>, RegisterError>;

    /// The notice a clerk means by `query`: its full number, or a short
    /// form (see [`NumberQuery`]) that matches exactly one notice.
    fn find(&self, query: &str) -> Result<Notice, RegisterError> {
        if let Some(n) = self.get(query.trim())? {
            return Ok(n);
        }
        let not_found = || RegisterError::NotFound {
            query: query.to_owned(),
        };
        let Some(q) = NumberQuery::parse(query) else {
            return Err(not_found());
        };
        let mut found = Vec::new();
        for n in self.by_seq(q.year, q.seq)? {
            let n = n?;
            if n.number.starts_with(&q.prefix) {
                found.push(n);
            }
        }
        match found.len() {
            0 => Err(not_found()),
            1 => Ok(found.remove(0)),
            _ => Err(RegisterError::Ambiguous {
                query: query.to_owned(),
                candidates: found.into_iter().map(|n| n.number).collect(),
            }),
        }
    }

    /// The notices `filter` takes, oldest first, one page of them, without
    /// their PDFs; how many there are in all.
    fn list(&self, filter: &Filter, paging: Paging) -> Result<Page, RegisterError>;

    /// The archived PDF of notice `number`, checked to be the one recorded.
    fn pdf(&self, number: &str) -> Result<Vec<u8>, RegisterError>;

    /// Records a visit of the applicant of notice `number`.
    fn record_visit(&self, number: &str, visit: NewVisit) -> Result<Visit, RegisterError>;

    /// The visits of notice `number`, in order.
    fn visits(&self, number: &str) -> Result<Vec<Visit>, RegisterError>;

    /// Notices, missing materials and completed second visits of the
    /// notices `filter` takes.
    fn stats(&self, filter: &Filter) -> Result<Stats, RegisterError>;

    /// The format version of the store.
    fn schema_version(&self) -> Result<i64, RegisterError>;

    // Who may use the hall server (see [`access`]): accounts, their
    // sessions, the API's clients and the audit log.

    /// Adds an account; [`RegisterError::Exists`] when the name is taken.
    fn add_account(&self, account: &NewAccount) -> Result<(), RegisterError>;

    /// The account called `name`, disabled or not.
    fn account(&self, name: &str) -> Result<Option<Account>, RegisterError>;

    /// Every account, by name.
    fn accounts(&self) -> Result<Vec<Account>, RegisterError>;

    /// Sets the password hash of account `name` (and enables it again);
    /// ends its sessions. Whether there is such an account.
    fn set_password(&self, name: &str, hash: &str) -> Result<bool, RegisterError>;

    /// Disables account `name` and ends its sessions. Whether there is
    /// such an account.
    fn disable_account(&self, name: &str) -> Result<bool, RegisterError>;

    /// Records a session (its token's digest, never the token).
    fn open_session(&self, session: &NewSession) -> Result<(), RegisterError>;

    /// The session whose token has `digest`, with its account, expired or
    /// not (the caller compares the time).
    fn session(&self, digest: &str) -> Result<Option<Session>, RegisterError>;

    /// Ends the session whose token has `digest` (none: nothing happens).
    fn close_session(&self, digest: &str) -> Result<(), RegisterError>;

    /// Adds a client of the API with its token's digest; `at` is when.
    fn add_client(&self, name: &str, digest: &str, at: &str) -> Result<(), RegisterError>;

    /// The name of the API client whose token has `digest`, unless it was
    /// disabled.
    fn client(&self, digest: &str) -> Result<Option<String>, RegisterError>;

    /// Disables the API client `name` (its token opens nothing any more).
    /// Whether there is such a client.
    fn disable_client(&self, name: &str) -> Result<bool, RegisterError>;

    /// Appends to the audit log.
    fn audit(&self, entry: &NewAudit) -> Result<(), RegisterError>;

    /// The newest `limit` entries of the audit log, newest first.
    fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, RegisterError>;

    /// Copies a notice from another register as it is, its number
    /// included, with its PDF and visits (`guide notice import`). Never
    /// numbers anything: the counter of the notice's sequence and year is
    /// only raised to its number, so that the next notice follows it.
    /// [`RegisterError::Exists`] when the number is there already.
    fn import(&self, notice: &Notice, pdf: &[u8], visits: &[Visit]) -> Result<(), RegisterError>;
}

/// Where a register is: an SQLite file (the embedded default) or a
/// PostgreSQL database (`postgres://…`, for the halls of a city). The one
/// constructor of the command line and the server: whatever it opens is
/// used through [`Register`] only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    File(std::path::PathBuf),
    Database(String),
}

impl Place {
    /// `--register` or `register.url` as written: a `postgres://` URL or a
    /// file's path.
    pub fn of(written: &std::path::Path) -> Place {
        match written.to_str() {
            Some(s) if postgres::is_url(s) => Place::Database(s.trim().to_owned()),
            _ => Place::File(written.to_path_buf()),
        }
    }

    /// The files that are part of the register, which no output may
    /// overwrite (none for a database).
    pub fn files(&self) -> Vec<std::path::PathBuf> {
        match self {
            Place::File(p) => SqliteRegister::files(p),
            Place::Database(_) => Vec::new(),
        }
    }

    /// Opens the register to read it (never creating it).
    pub fn open_existing(&self) -> Result<Store, RegisterError> {
        match self {
            Place::File(p) => SqliteRegister::open_existing(p).map(Store::Sqlite),
            Place::Database(u) => PostgresRegister::open(u).map(Store::Postgres),
        }
    }

    /// Opens the register to record visits.
    pub fn open_to_update(&self) -> Result<Store, RegisterError> {
        match self {
            Place::File(p) => SqliteRegister::open_to_update(p).map(Store::Sqlite),
            Place::Database(u) => PostgresRegister::open(u).map(Store::Postgres),
        }
    }

    /// Opens the register to issue notices; a file is created when
    /// `creation` allows (a database's tables are made by
    /// [`Place::migrate`] only). The message, when it was created, is for
    /// the screen.
    pub fn open_for_issue(
        &self,
        creation: Creation,
        tell: impl Fn(&str) + Send + Sync + 'static,
    ) -> Result<(Store, Option<String>), RegisterError> {
        match self {
            Place::File(p) => SqliteRegister::open_for_issue(p, creation, tell)
                .map(|(r, note)| (Store::Sqlite(r), note)),
            Place::Database(u) => PostgresRegister::open(u).map(|r| (Store::Postgres(r), None)),
        }
    }

    /// Brings the register's schema to this guide's format (an SQLite file
    /// must exist unless `creation` allows); the format before and after.
    pub fn migrate(&self, creation: Creation) -> Result<(i64, i64), RegisterError> {
        match self {
            Place::File(p) => {
                let before = match SqliteRegister::open_existing(p) {
                    Ok(r) => r.schema_version()?,
                    Err(RegisterError::Missing { .. }) if creation != Creation::Never => 0,
                    Err(e) => return Err(e),
                };
                let (r, _) = SqliteRegister::open_for_issue(p, creation, |m| eprintln!("{m}"))?;
                let after = r.schema_version()?;
                r.close()?;
                Ok((before, after))
            }
            Place::Database(u) => PostgresRegister::migrate(u),
        }
    }
}

/// An open register of either kind.
pub enum Store {
    Sqlite(SqliteRegister),
    Postgres(PostgresRegister),
}

impl Store {
    /// Done with it: an SQLite register opened to write updates its marker.
    pub fn close(self) -> Result<(), RegisterError> {
        match self {
            Store::Sqlite(r) => r.close(),
            Store::Postgres(_) => Ok(()),
        }
    }

    fn inner(&self) -> &dyn Register {
        match self {
            Store::Sqlite(r) => r,
            Store::Postgres(r) => r,
        }
    }
}

impl Register for Store {
    fn issue(
        &self,
        record: NewNotice,
        number_for: &dyn Fn(u32) -> String,
        render: &mut dyn FnMut(&str) -> Result<Vec<u8>, RenderError>,
    ) -> Result<Notice, RegisterError> {
        self.inner().issue(record, number_for, render)
    }
    fn get(&self, number: &str) -> Result<Option<Notice>, RegisterError> {
        self.inner().get(number)
    }
    fn by_seq(
        &self,
        year: Option<i32>,
        seq: u32,
    ) -> Result<Vec<Result<Notice, RegisterError>>, RegisterError> {
        self.inner().by_seq(year, seq)
    }
    fn list(&self, filter: &Filter, paging: Paging) -> Result<Page, RegisterError> {
        self.inner().list(filter, paging)
    }
    fn pdf(&self, number: &str) -> Result<Vec<u8>, RegisterError> {
        self.inner().pdf(number)
    }
    fn record_visit(&self, number: &str, visit: NewVisit) -> Result<Visit, RegisterError> {
        self.inner().record_visit(number, visit)
    }
    fn visits(&self, number: &str) -> Result<Vec<Visit>, RegisterError> {
        self.inner().visits(number)
    }
    fn stats(&self, filter: &Filter) -> Result<Stats, RegisterError> {
        self.inner().stats(filter)
    }
    fn schema_version(&self) -> Result<i64, RegisterError> {
        self.inner().schema_version()
    }
    fn add_account(&self, account: &NewAccount) -> Result<(), RegisterError> {
        self.inner().add_account(account)
    }
    fn account(&self, name: &str) -> Result<Option<Account>, RegisterError> {
        self.inner().account(name)
    }
    fn accounts(&self) -> Result<Vec<Account>, RegisterError> {
        self.inner().accounts()
    }
    fn set_password(&self, name: &str, hash: &str) -> Result<bool, RegisterError> {
        self.inner().set_password(name, hash)
    }
    fn disable_account(&self, name: &str) -> Result<bool, RegisterError> {
        self.inner().disable_account(name)
    }
    fn open_session(&self, session: &NewSession) -> Result<(), RegisterError> {
        self.inner().open_session(session)
    }
    fn session(&self, digest: &str) -> Result<Option<Session>, RegisterError> {
        self.inner().session(digest)
    }
    fn close_session(&self, digest: &str) -> Result<(), RegisterError> {
        self.inner().close_session(digest)
    }
    fn add_client(&self, name: &str, digest: &str, at: &str) -> Result<(), RegisterError> {
        self.inner().add_client(name, digest, at)
    }
    fn client(&self, digest: &str) -> Result<Option<String>, RegisterError> {
        self.inner().client(digest)
    }
    fn disable_client(&self, name: &str) -> Result<bool, RegisterError> {
        self.inner().disable_client(name)
    }
    fn audit(&self, entry: &NewAudit) -> Result<(), RegisterError> {
        self.inner().audit(entry)
    }
    fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>, RegisterError> {
        self.inner().audit_log(limit)
    }
    fn import(&self, notice: &Notice, pdf: &[u8], visits: &[Visit]) -> Result<(), RegisterError> {
        self.inner().import(notice, pdf, visits)
    }
}

/// A short form of a number, as a clerk types it: `0001` or `1` (the
/// sequence number), `2026-0001`, `2026/1`, `2026年1号`, `〔2026〕1号` or
/// `乌政服告〔2026〕1号` (with the number's beginning). Full-width digits
/// are read as digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberQuery {
    pub year: Option<i32>,
    pub seq: u32,
    /// What the number must begin with (before the bracketed year).
    pub prefix: String,
}

impl NumberQuery {
    pub fn parse(query: &str) -> Option<NumberQuery> {
        let q: String = query
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                c => c,
            })
            .collect();
        let q = q.strip_suffix('号').unwrap_or(&q).trim_end();
        let digits =
            |s: &str| !s.is_empty() && s.len() <= 9 && s.chars().all(|c| c.is_ascii_digit());
        let seq_of = |s: &str| -> Option<u32> {
            let s = s.trim().trim_start_matches('第').trim();
            if !digits(s) {
                return None;
            }
            s.parse().ok().filter(|&n| n > 0)
        };
        let year_of = |s: &str| -> Option<i32> {
            let s = s.trim();
            (s.len() == 4 && digits(s)).then(|| s.parse().ok())?
        };
        if let Some(seq) = seq_of(q) {
            return Some(NumberQuery {
                year: None,
                seq,
                prefix: String::new(),
            });
        }
        // 〔2026〕1, with what comes before the bracket.
        for (open, close) in [
            ('〔', '〕'),
            ('[', ']'),
            ('【', '】'),
            ('(', ')'),
            ('（', '）'),
        ] {
            if let Some((before, rest)) = q.split_once(open)
                && let Some((year, seq)) = rest.split_once(close)
            {
                return Some(NumberQuery {
                    year: Some(year_of(year)?),
                    seq: seq_of(seq)?,
                    prefix: before.trim().to_owned(),
                });
            }
        }
        // 2026-0001, 2026/1, 2026年1, 2026 1
        let year: String = q.chars().take_while(char::is_ascii_digit).collect();
        let rest = q[year.len()..].trim_start();
        let rest = ["-", "/", ".", "年", "－", "—"]
            .iter()
            .find_map(|s| rest.strip_prefix(s))
            .unwrap_or(rest);
        Some(NumberQuery {
            year: Some(year_of(&year)?),
            seq: seq_of(rest)?,
            prefix: String::new(),
        })
    }
}

/// Why the register cannot do what was asked. Each says in Chinese what
/// happened and what to do; [`RegisterError::is_refusal`] tells the ones
/// the clerk can act on (a wrong path, a register that must be created on
/// purpose, a wrong clock) from failures of the store.
#[derive(Debug)]
#[non_exhaustive]
pub enum RegisterError {
    /// The register's path is empty.
    EmptyPath,
    /// `:memory:` or a `file:` URI: not a file.
    SpecialPath {
        path: String,
    },
    /// Control characters in the path.
    ControlInPath {
        path: String,
    },
    /// The path is a folder.
    Folder {
        path: String,
        example: String,
    },
    /// Reading: no register there, and nothing shows one ever was.
    Missing {
        path: String,
    },
    /// Reading: the register is gone, but its files show it was there.
    Vanished {
        path: String,
    },
    /// Reading: the register is an empty (0 byte) file.
    Emptied {
        path: String,
    },
    /// Reading: an SQLite file without any table.
    NoTables {
        path: String,
    },
    /// Not a register: not an SQLite file at all (`sqlite` false), or one
    /// without the notices table.
    NotARegister {
        path: String,
        sqlite: bool,
    },
    /// Issuing: a register that existed is gone (`emptied`: it is an empty
    /// file now); `last` is the newest number it had.
    Lost {
        path: String,
        emptied: bool,
        last: Option<(i32, u32)>,
    },
    /// Issuing: no register at a path that must hold one.
    NotCreated {
        path: String,
    },
    /// Creating: files of an older register are beside the path.
    Leftovers {
        path: String,
        files: Vec<String>,
    },
    /// The clock reads earlier than the newest notice.
    ClockBehind {
        now: String,
        number: String,
        at: String,
    },
    /// The register file is read-only.
    ReadOnly {
        path: String,
    },
    /// The register's folder is read-only.
    ReadOnlyFolder {
        dir: String,
    },
    DiskFull {
        path: String,
    },
    /// Written by a newer guide.
    Newer {
        path: String,
        version: i64,
    },
    /// Another window or program held the register too long.
    Busy {
        path: String,
        holder: Option<String>,
        waited: u64,
    },
    /// Other windows kept issuing too long.
    Crowded {
        path: String,
        waited: u64,
    },
    /// Every number rendered was taken before it could be committed.
    Raced {
        path: String,
        attempts: usize,
    },
    /// The file is damaged (`found`: what SQLite's check found).
    Corrupt {
        path: String,
        found: Option<String>,
    },
    /// The row of notice `number` is damaged.
    Damaged {
        number: String,
        what: String,
    },
    /// A row whose number itself is damaged.
    DamagedRow {
        rowid: i64,
        what: String,
    },
    /// The newest row's number is damaged.
    DamagedNewest {
        path: String,
        what: String,
    },
    /// The year's counter is damaged.
    DamagedCounter {
        path: String,
        year: i32,
        what: String,
    },
    /// The register has lost its newest notices (counter below marker).
    LostNotices {
        path: String,
        year: i32,
        last: u32,
        have: u32,
        wal: String,
        marker: String,
    },
    /// The number is already another notice's.
    NumberTaken {
        number: String,
    },
    PdfTooLarge {
        bytes: usize,
    },
    /// No notice is numbered so.
    NotFound {
        query: String,
    },
    /// A short number that fits several notices.
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
    /// An account or API client of that name exists already.
    Exists {
        what: &'static str,
        name: String,
    },
    /// The render callback failed.
    Render(RenderError),
    /// A register URL that cannot be read.
    BadUrl {
        url: String,
        why: String,
    },
    /// A password written in the register's URL.
    PasswordInUrl {
        var: &'static str,
    },
    /// A database register whose tables are missing or older than this
    /// guide's: `guide serve migrate` first.
    NotMigrated {
        path: String,
        version: i64,
    },
    /// The store failed `doing` something with `path`.
    Store {
        doing: String,
        path: String,
        source: RenderError,
    },
}

impl RegisterError {
    /// A reason the clerk can act on: printed as it is (usage exit code).
    pub fn is_refusal(&self) -> bool {
        use RegisterError::*;
        matches!(
            self,
            EmptyPath
                | SpecialPath { .. }
                | ControlInPath { .. }
                | Folder { .. }
                | Missing { .. }
                | Vanished { .. }
                | Emptied { .. }
                | NoTables { .. }
                | NotARegister { .. }
                | Lost { .. }
                | NotCreated { .. }
                | Leftovers { .. }
                | ClockBehind { .. }
                | BadUrl { .. }
                | PasswordInUrl { .. }
                | NotMigrated { .. }
        )
    }
}

impl fmt::Display for RegisterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RegisterError::*;
        match self {
            EmptyPath => f.write_str("登记簿路径不能为空"),
            SpecialPath { path } => write!(
                f,
                "登记簿路径“{path}”是 SQLite 的特殊写法（内存数据库或 file: 地址），不是一个文件：登记的编号会丢失或记到别处。请写登记簿文件的路径，例如 notices.db"
            ),
            ControlInPath { path } => write!(f, "登记簿路径“{path}”里有控制字符，请改正"),
            Folder { path, example } => write!(
                f,
                "登记簿 {path} 是一个文件夹；--register 应写登记簿文件的路径，例如 {example}"
            ),
            Missing { path } => write!(
                f,
                "没有告知单登记簿 {path}（还没有出具过告知单，或路径写错了）"
            ),
            Vanished { path } => write!(
                f,
                "登记簿 {path} 不见了，但它以前在这里（旁边还有它的记录文件）。请找回该文件（例如从备份恢复）"
            ),
            Emptied { path } => write!(
                f,
                "登记簿 {path} 是空文件（0 字节），里面没有告知单；它可能被清空了，请从备份恢复"
            ),
            NoTables { path } => write!(
                f,
                "登记簿 {path} 里没有任何告知单表：它是空的，或不是告知单登记簿"
            ),
            NotARegister {
                path,
                sqlite: false,
            } => write!(
                f,
                "{path} 不是告知单登记簿（不是 SQLite 数据库文件）；请检查 --register 写的路径"
            ),
            NotARegister { path, sqlite: true } => write!(
                f,
                "{path} 不是告知单登记簿（里面没有告知单表）；请检查 --register 写的路径"
            ),
            Lost {
                path,
                emptied,
                last,
            } => {
                let gone = if *emptied {
                    "变成了空文件"
                } else {
                    "不见了"
                };
                let last = match last {
                    Some((y, s)) => format!("（上次登记到 {y} 年第 {s} 号）"),
                    None => String::new(),
                };
                write!(
                    f,
                    "登记簿 {path} {gone}，但它以前存在{last}。为免编号从头开始、与已发出的告知单重复，没有登记。请找回该文件（例如从备份恢复）；如确实要换用新的登记簿，请加 --new-register（编号接着上次的继续）"
                )
            }
            NotCreated { path } => write!(
                f,
                "没有告知单登记簿 {path}。第一次出具告知单、要新建它，请加 --new-register；若是路径写错了，请改正"
            ),
            Leftovers { path, files } => write!(
                f,
                "登记簿 {path} 旁边还留有 {}：它们是旧登记簿的一部分（可能含有还没写进登记簿的告知单）。请先把它们移到别处保存，再新建登记簿",
                files.join("、")
            ),
            ClockBehind { now, number, at } => write!(
                f,
                "这台电脑的时钟可能不对：现在是 {now}（北京时间），比登记簿里上一张告知单 {number} 的告知时间 {at} 还早（或那条记录的时间被改动过）。请先校正电脑的日期和时间；没有打印，也没有登记"
            ),
            ReadOnly { path } => write!(
                f,
                "登记簿 {path} 是只读的，无法登记新的告知单（查看和重印不受影响）"
            ),
            ReadOnlyFolder { dir } => write!(
                f,
                "登记簿所在的文件夹 {dir} 是只读的，无法登记新的告知单（登记时要在那里写入 -wal 等文件）"
            ),
            DiskFull { path } => write!(f, "磁盘已满，无法写入登记簿 {path}"),
            Newer { path, version } => write!(
                f,
                "登记簿 {path} 是更新版本的 guide 建立的（格式第 {version} 版，这个 guide 只认得到第 {} 版）。请升级 guide 后再出具告知单",
                sqlite::SCHEMA_VERSION
            ),
            Busy {
                path,
                holder,
                waited,
            } => write!(
                f,
                "登记簿 {path} 被{}占用，已等了 {waited} 秒，没有登记。请稍后再试；若一直如此，请检查那个窗口或程序是否卡住",
                holder_words(holder.as_deref())
            ),
            Crowded { path, waited } => write!(
                f,
                "登记簿 {path} 一直有别的窗口在出具告知单，已等了 {waited} 秒，没有登记。请稍后再试"
            ),
            Raced { path, attempts } => write!(
                f,
                "登记簿 {path} 太忙：连续 {attempts} 次，刚印好的编号都被别的程序先用了。没有登记，请再试一次"
            ),
            Corrupt { path, found: None } => write!(
                f,
                "登记簿 {path} 已损坏（数据库文件格式错误）。请停止使用它，并用最近的备份恢复"
            ),
            Corrupt {
                path,
                found: Some(found),
            } => write!(
                f,
                "登记簿 {path} 已损坏（SQLite 检查发现：{found}），没有登记。请停止使用它，并用最近的备份恢复"
            ),
            Damaged { number, what } => write!(
                f,
                "登记簿里编号 {} 的记录已损坏：{what}。请用最近的备份恢复登记簿",
                visible(number)
            ),
            DamagedRow { rowid, what } => write!(
                f,
                "登记簿里第 {rowid} 条记录的编号已损坏（{what}）。请用最近的备份恢复登记簿"
            ),
            DamagedNewest { path, what } => write!(
                f,
                "登记簿 {path} 里最新一条记录的编号已损坏（{what}），没有登记。请用最近的备份恢复登记簿"
            ),
            DamagedCounter { path, year, what } => write!(
                f,
                "登记簿 {path} 里 {year} 年的编号计数已损坏（{what}），没有登记。请用最近的备份恢复登记簿"
            ),
            LostNotices {
                path,
                year,
                last,
                have,
                wal,
                marker,
            } => write!(
                f,
                "登记簿 {path} 少了最近登记的告知单：上次登记到 {year} 年第 {last} 号，登记簿里只到第 {have} 号。可能是 {wal} 被删除了，或登记簿被换成了旧的备份。为免编号与已发出的告知单重复，没有登记。请找回最新的登记簿（连同它旁边的 -wal 文件）；核对无误后，可删除 {marker} 再继续"
            ),
            NumberTaken { number } => write!(
                f,
                "编号 {} 已被占用（guide.yaml 里的编号格式是否缺少年份或序号？），没有登记",
                visible(number)
            ),
            PdfTooLarge { bytes } => write!(f, "告知单 PDF 过大（{bytes} 字节），没有登记"),
            NotFound { query } => write!(f, "登记簿里没有编号为“{}”的告知单", visible(query)),
            Ambiguous { query, candidates } => write!(
                f,
                "“{}”可以指 {} 张告知单：{}。请写出年份（例如 2026-1）或完整编号",
                visible(query),
                candidates.len(),
                candidates
                    .iter()
                    .map(|c| visible(c).into_owned())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            Exists { what, name } => write!(f, "已有名为“{}”的{what}", visible(name)),
            BadUrl { url, why } => write!(
                f,
                "登记簿地址“{url}”写得不对（{why}）。应写成 postgres://用户名@服务器:端口/数据库名"
            ),
            PasswordInUrl { var } => write!(
                f,
                "登记簿地址里不能写密码（会留在命令历史、进程列表或项目文件里）。请去掉密码，改为设置环境变量 {var}"
            ),
            NotMigrated { path, version: 0 } => write!(
                f,
                "登记簿数据库 {path} 里还没有告知单登记簿的表。请先运行 guide serve migrate --register 同一地址 建立它们（只需一次）"
            ),
            NotMigrated { path, version } => write!(
                f,
                "登记簿数据库 {path} 的格式是第 {version} 版，这个 guide 需要第 {} 版。请先运行 guide serve migrate --register 同一地址 升级（各大厅的服务会拒绝启动，直到升级完成）",
                migrations::LATEST
            ),
            Render(e) => write!(f, "{e}"),
            Store { doing, path, .. } => write!(f, "{doing} {path}"),
        }
    }
}

impl std::error::Error for RegisterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RegisterError::Store { source, .. } => Some(source.as_ref()),
            RegisterError::Render(e) => e.source(),
            _ => None,
        }
    }
}

/// “另一个窗口（窗口 B12，…）” or, when no window of guide said who it is,
/// another program.
fn holder_words(holder: Option<&str>) -> String {
    match holder {
        Some(h) => format!("另一个窗口（{h}）"),
        None => "另一个程序（可能是 sqlite3、备份或杀毒软件）".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(year: Option<i32>, seq: u32, prefix: &str) -> Option<NumberQuery> {
        Some(NumberQuery {
            year,
            seq,
            prefix: prefix.into(),
        })
    }

    #[test]
    fn a_clerk_may_type_a_number_short() {
        assert_eq!(NumberQuery::parse("0001"), q(None, 1, ""));
        assert_eq!(NumberQuery::parse(" 12 "), q(None, 12, ""));
        assert_eq!(NumberQuery::parse("０００３"), q(None, 3, ""));
        assert_eq!(NumberQuery::parse("2026-0001"), q(Some(2026), 1, ""));
        assert_eq!(NumberQuery::parse("2026/7"), q(Some(2026), 7, ""));
        assert_eq!(NumberQuery::parse("2026年第7号"), q(Some(2026), 7, ""));
        assert_eq!(NumberQuery::parse("〔2026〕1号"), q(Some(2026), 1, ""));
        assert_eq!(NumberQuery::parse("[2026]0001"), q(Some(2026), 1, ""));
        assert_eq!(
            NumberQuery::parse("乌政服告〔2026〕1号"),
            q(Some(2026), 1, "乌政服告")
        );
        for bad in [
            "",
            "0",
            "abc",
            "2026-",
            "26-1",
            "〔2026〕",
            "1-2-3",
            "2026x1",
        ] {
            assert_eq!(NumberQuery::parse(bad), None, "{bad}");
        }
    }
}
