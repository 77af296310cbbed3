//! The register on a PostgreSQL server ([`PostgresRegister`]): one record
//! for the halls of a city, each hall's `guide serve` a client of it.
//!
//! Numbers follow the rule of [`crate::register`], with the counter a row
//! of `counters` (one per sequence and year), never a PostgreSQL
//! `SEQUENCE` (which skips the numbers of rolled-back transactions):
//!
//! - the notice is rendered with the next number without any lock;
//! - one transaction locks the counter's row (`SELECT … FOR UPDATE`),
//!   checks that the number is still the next one, stores the notice with
//!   its PDF and sets the counter; the commit makes both visible at once,
//!   and a server killed before it leaves neither;
//! - a window whose number was taken renders again with the next one; a
//!   window that lost twice renders while holding the counter's lock, so
//!   that no window loses for ever when many servers issue at once.
//!
//! The schema is migrated only by `guide serve migrate` (see
//! [`super::migrations`]); a register that is not migrated, or that a
//! newer guide migrated, is refused when opened.
//!
//! Connections are pooled (at most [`POOL_SIZE`] per process); a
//! connection that broke (the server restarted) is dropped, not reused.

use super::text::visible;
use super::{
    Account, AuditEntry, Filter, NewAccount, NewAudit, NewNotice, NewSession, NewVisit, Notice,
    Outcome, Page, Paging, Register, RegisterError, RenderError, Role, Session, Stats, Summary,
    Visit, damaged, migrations,
};
use postgres::error::SqlState;
use postgres::{Client, Config, GenericClient, NoTls, Row};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

type Result<T, E = RegisterError> = std::result::Result<T, E>;

/// Connections one process keeps open at most.
pub const POOL_SIZE: usize = 16;
/// Renders of one notice when other windows keep taking its number.
const MAX_ATTEMPTS: usize = 20;
/// The environment variable holding the database password.
pub const PASSWORD_VAR: &str = "GUIDE_REGISTER_PASSWORD";

/// Whether `s` names a PostgreSQL register rather than a file.
pub fn is_url(s: &str) -> bool {
    let s = s.trim_start();
    ["postgres://", "postgresql://"]
        .iter()
        .any(|p| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p)))
}

/// Where the register is, as said on screen: the URL without any secret.
fn shown(c: &Config) -> String {
    let user = c.get_user().unwrap_or("");
    let host = c
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(h) => h.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_default();
    let port = c.get_ports().first().copied().unwrap_or(5432);
    let db = c.get_dbname().unwrap_or(user);
    visible(&format!("postgres://{user}@{host}:{port}/{db}")).into_owned()
}

/// Reads a register URL: `postgres://USER@HOST:PORT/DATABASE`. A password
/// in it is refused (it would show in `ps`, the shell's history or the
/// project's files); it comes from [`PASSWORD_VAR`] (or libpq's
/// `PGPASSWORD`).
pub fn config(url: &str) -> Result<Config> {
    let mut c: Config = url.trim().parse().map_err(|e| RegisterError::BadUrl {
        url: visible(url).into_owned(),
        why: format!("{e}"),
    })?;
    if c.get_password().is_some() {
        return Err(RegisterError::PasswordInUrl { var: PASSWORD_VAR });
    }
    if let Some(pw) = std::env::var_os(PASSWORD_VAR).or_else(|| std::env::var_os("PGPASSWORD")) {
        c.password(pw.to_string_lossy().as_bytes());
    }
    if c.get_connect_timeout().is_none() {
        c.connect_timeout(Duration::from_secs(10));
    }
    c.application_name("guide");
    Ok(c)
}

/// A pool of connections to one database.
struct Pool {
    config: Config,
    place: String,
    idle: Mutex<(Vec<Client>, usize)>,
    freed: Condvar,
}

/// A connection taken from the pool; back into it when dropped, unless it
/// broke.
struct Conn<'a> {
    pool: &'a Pool,
    client: Option<Client>,
}

impl std::ops::Deref for Conn<'_> {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("a pooled connection")
    }
}

impl std::ops::DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client.as_mut().expect("a pooled connection")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        let mut idle = self.pool.idle.lock().unwrap_or_else(|e| e.into_inner());
        match self.client.take() {
            Some(c) if !c.is_closed() => idle.0.push(c),
            _ => idle.1 -= 1,
        }
        drop(idle);
        self.pool.freed.notify_one();
    }
}

impl Pool {
    fn get(&self) -> Result<Conn<'_>> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(c) = idle.0.pop() {
                if c.is_closed() {
                    idle.1 -= 1;
                    continue;
                }
                return Ok(Conn {
                    pool: self,
                    client: Some(c),
                });
            }
            if idle.1 < POOL_SIZE {
                idle.1 += 1;
                drop(idle);
                return match self.config.connect(NoTls) {
                    Ok(c) => Ok(Conn {
                        pool: self,
                        client: Some(c),
                    }),
                    Err(e) => {
                        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                        idle.1 -= 1;
                        drop(idle);
                        self.freed.notify_one();
                        Err(self.error("无法连接登记簿数据库", e))
                    }
                };
            }
            idle = self.freed.wait(idle).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn error(&self, doing: &str, e: postgres::Error) -> RegisterError {
        RegisterError::Store {
            doing: doing.to_owned(),
            path: self.place.clone(),
            source: Box::new(e),
        }
    }
}

/// The register in a PostgreSQL database. Open it with
/// [`PostgresRegister::open`]; create or upgrade its tables with
/// [`PostgresRegister::migrate`].
///
/// The `postgres` client blocks on a runtime of its own, which cannot run
/// on a thread of the hall server's async runtime: called there, each
/// method runs on a short-lived thread of its own (a notice is issued off
/// the async threads already: the hall server issues in `spawn_blocking`).
pub struct PostgresRegister {
    db: Db,
}

/// The database itself, reached from a thread outside any async runtime.
struct Db {
    pool: Pool,
}

impl PostgresRegister {
    pub fn open(url: &str) -> Result<PostgresRegister> {
        hop(|| Db::open(url)).map(|db| PostgresRegister { db })
    }

    /// Applies the migrations the database at `url` lacks, in one
    /// transaction (two runs at once: one waits, then finds nothing to
    /// do). The format before and after.
    pub fn migrate(url: &str) -> Result<(i64, i64)> {
        hop(|| Db::migrate(url))
    }

    /// Where the register is, as said on screen (no password).
    pub fn place(&self) -> &str {
        &self.db.pool.place
    }
}

/// Runs `f` where the blocking client may block: here, or on a thread of
/// its own when this thread drives an async runtime.
fn hop<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// The format of the database: the newest migration applied (0: none).
fn version_of(c: &mut impl GenericClient) -> std::result::Result<i64, postgres::Error> {
    let has: bool = c
        .query_one("SELECT to_regclass('guide_migrations') IS NOT NULL", &[])?
        .get(0);
    if !has {
        return Ok(0);
    }
    let v: Option<i64> = c
        .query_one("SELECT MAX(version)::BIGINT FROM guide_migrations", &[])?
        .get(0);
    Ok(v.unwrap_or(0))
}

fn now() -> String {
    let now = crate::date::clock_unix().unwrap_or(0) + crate::date::BEIJING_OFFSET;
    crate::date::timestamp(now)
}

/// The columns of a notice row, read by [`notice_of`].
const COLUMNS: &str = "number, year, seq, matter_id, matter_name, edition, applicant, phone, \
    clerk, \"window\", situations, missing, issued_at, digest, defects, hall, sequence";
/// The index of the first column after [`COLUMNS`].
const AFTER: usize = 17;

/// The visits columns of a listed row: how many, and the latest outcome.
const VISITS: &str = ", (SELECT count(*) FROM visits v WHERE v.number = n.number), \
    (SELECT outcome FROM visits v WHERE v.number = n.number ORDER BY seq DESC LIMIT 1)";

/// A filter's condition, its parameters being `$1`…`$5`.
const FILTERED: &str = "($1::TEXT IS NULL OR issued_at >= $1)
    AND ($2::TEXT IS NULL OR substr(issued_at, 1, 10) <= $2)
    AND ($3::TEXT IS NULL OR matter_id = $3)
    AND ($4::TEXT IS NULL OR \"window\" = $4)
    AND ($5::TEXT IS NULL OR strpos(applicant, $5) > 0 OR strpos(coalesce(phone, ''), $5) > 0)";

fn filter_params(f: &Filter) -> [Option<&str>; 5] {
    [
        f.since.as_deref(),
        f.until.as_deref(),
        f.matter.as_deref(),
        f.window.as_deref(),
        f.text.as_deref().filter(|t| !t.is_empty()),
    ]
}

/// Takes the counter of `sequence` in `year` (made at 0 if new) for the
/// rest of the transaction: numbers are allocated under this lock.
fn lock_counter(
    c: &mut impl GenericClient,
    sequence: &str,
    year: i32,
) -> std::result::Result<(), postgres::Error> {
    c.execute(
        "INSERT INTO counters (sequence, year, last) VALUES ($1, $2, 0)
         ON CONFLICT DO NOTHING",
        &[&sequence, &year],
    )?;
    c.execute(
        "SELECT last FROM counters WHERE sequence = $1 AND year = $2 FOR UPDATE",
        &[&sequence, &year],
    )?;
    Ok(())
}

/// Stores one notice row (issuing and importing write the same row).
fn insert_notice(
    c: &mut impl GenericClient,
    number: &str,
    seq: u32,
    rec: &NewNotice,
    pdf: &[u8],
    sum: &str,
) -> std::result::Result<u64, postgres::Error> {
    c.execute(
        "INSERT INTO notices (number, year, seq, matter_id, matter_name, edition,
             applicant, phone, clerk, \"window\", situations, missing, issued_at, pdf,
             digest, defects, hall, sequence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
             $17, $18)",
        &[
            &number,
            &rec.year,
            &i64::from(seq),
            &rec.matter_id,
            &rec.matter_name,
            &rec.edition,
            &rec.applicant,
            &rec.phone,
            &rec.clerk,
            &rec.window,
            &json(&rec.situations),
            &json(&rec.missing),
            &rec.issued_at,
            &pdf,
            &sum,
            &json(&rec.defects),
            &rec.hall,
            &rec.sequence,
        ],
    )
}

/// A row of [`COLUMNS`] with every field checked; its digest.
fn notice_of(r: &Row) -> Result<(Notice, Option<String>)> {
    let number: String = r.try_get(0).map_err(|e| RegisterError::DamagedRow {
        rowid: 0,
        what: e.to_string(),
    })?;
    super::notice_of_row(&PgRow { r, number })
}

/// A PostgreSQL row read as a [`super::NoticeRow`].
struct PgRow<'a> {
    r: &'a Row,
    number: String,
}

impl super::NoticeRow for PgRow<'_> {
    fn number(&self) -> String {
        self.number.clone()
    }
    fn text(&self, i: usize, what: &str) -> Result<String> {
        self.r
            .try_get::<_, String>(i)
            .map_err(|_| damaged(&self.number, &format!("“{what}”应是文字，却是空值（NULL）")))
    }
    fn optional(&self, i: usize, what: &str) -> Result<Option<String>> {
        self.r
            .try_get::<_, Option<String>>(i)
            .map_err(|_| damaged(&self.number, &format!("“{what}”应是文字")))
    }
    fn int(&self, i: usize, what: &str) -> Result<i64> {
        self.r
            .try_get::<_, i64>(i)
            .or_else(|_| self.r.try_get::<_, i32>(i).map(i64::from))
            .map_err(|_| damaged(&self.number, &format!("“{what}”不是整数")))
    }
}

fn outcome_of(number: &str, v: Option<String>) -> Result<Option<Outcome>> {
    match v {
        None => Ok(None),
        Some(t) => Outcome::from_word(&t).map(Some).ok_or_else(|| {
            damaged(
                number,
                &format!("来办结果“{}”不是已补正、已受理或仍缺", visible(&t)),
            )
        }),
    }
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn is_unique_violation(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

impl Db {
    /// Connects to the register at `url` and checks that its schema is the
    /// one this guide writes: not migrated (or older) is refused with the
    /// command that migrates it, newer with the advice to upgrade guide.
    fn open(url: &str) -> Result<Db> {
        let config = config(url)?;
        let r = Db {
            pool: Pool {
                place: shown(&config),
                config,
                idle: Mutex::new((Vec::new(), 0)),
                freed: Condvar::new(),
            },
        };
        let v = {
            let mut c = r.pool.get()?;
            version_of(&mut *c).map_err(|e| r.pool.error("无法读取告知单登记簿", e))?
        };
        if v > migrations::LATEST {
            return Err(RegisterError::Newer {
                path: r.pool.place.clone(),
                version: v,
            });
        }
        if v < migrations::LATEST {
            return Err(RegisterError::NotMigrated {
                path: r.pool.place.clone(),
                version: v,
            });
        }
        Ok(r)
    }

    fn migrate(url: &str) -> Result<(i64, i64)> {
        let config = config(url)?;
        let place = shown(&config);
        let err = |doing: &str, e: postgres::Error| RegisterError::Store {
            doing: doing.to_owned(),
            path: place.clone(),
            source: Box::new(e),
        };
        let mut c = config
            .connect(NoTls)
            .map_err(|e| err("无法连接登记簿数据库", e))?;
        let mut tx = c
            .transaction()
            .map_err(|e| err("无法升级告知单登记簿", e))?;
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtext('guide_migrations'))",
            &[],
        )
        .map_err(|e| err("无法锁定告知单登记簿", e))?;
        let from = version_of(&mut tx).map_err(|e| err("无法读取告知单登记簿", e))?;
        if from > migrations::LATEST {
            return Err(RegisterError::Newer {
                path: place.clone(),
                version: from,
            });
        }
        tx.batch_execute(migrations::HISTORY)
            .map_err(|e| err("无法建立迁移记录表", e))?;
        let at = now();
        for m in migrations::POSTGRES.iter().filter(|m| m.version > from) {
            tx.batch_execute(m.sql)
                .map_err(|e| err(&format!("无法执行第 {} 版迁移（{}）", m.version, m.name), e))?;
            tx.execute(
                "INSERT INTO guide_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                &[&(m.version as i32), &m.name, &at],
            )
            .map_err(|e| err("无法写入迁移记录", e))?;
        }
        tx.commit().map_err(|e| err("无法升级告知单登记簿", e))?;
        Ok((from, migrations::LATEST))
    }

    fn read_error(&self) -> impl Fn(postgres::Error) -> RegisterError + '_ {
        move |e| self.pool.error("无法读取告知单登记簿", e)
    }

    fn write_error(&self) -> impl Fn(postgres::Error) -> RegisterError + '_ {
        move |e| self.pool.error("无法写入告知单登记簿", e)
    }

    /// The highest sequence number used in `year` in `sequence`.
    fn last_of(&self, c: &mut impl GenericClient, sequence: &str, year: i32) -> Result<u32> {
        let r = c
            .query_one(
                "SELECT (SELECT last FROM counters WHERE sequence = $1 AND year = $2),
                        (SELECT MAX(seq) FROM notices WHERE sequence = $1 AND year = $2)",
                &[&sequence, &year],
            )
            .map_err(self.read_error())?;
        let counter: Option<i64> = r.get(0);
        let max: Option<i64> = r.get(1);
        let last = counter.unwrap_or(0).max(max.unwrap_or(0));
        u32::try_from(last)
            .ok()
            .filter(|&l| l < u32::MAX)
            .ok_or_else(|| RegisterError::DamagedCounter {
                path: self.pool.place.clone(),
                year,
                what: format!("{last}"),
            })
    }

    /// Refuses when `now` is earlier than the newest notice.
    fn check_clock(&self, c: &mut impl GenericClient, now: &str) -> Result<()> {
        let Some(r) = c
            .query_opt(
                "SELECT number, issued_at FROM notices ORDER BY year DESC, seq DESC, issued_at DESC LIMIT 1",
                &[],
            )
            .map_err(self.read_error())?
        else {
            return Ok(());
        };
        let number: String = r.get(0);
        let at: String = r.get(1);
        super::clock_after(&number, &at, now, &self.pool.place)
    }

    fn notices(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Result<Notice>>> {
        let mut c = self.pool.get()?;
        let rows = c.query(sql, params).map_err(self.read_error())?;
        Ok(rows.iter().map(|r| notice_of(r).map(|(n, _)| n)).collect())
    }
}

impl Register for Db {
    fn issue(
        &self,
        record: NewNotice,
        number_for: &dyn Fn(u32) -> String,
        render: &mut dyn FnMut(&str) -> Result<Vec<u8>, RenderError>,
    ) -> Result<Notice> {
        let mut seq = {
            let mut c = self.pool.get()?;
            self.check_clock(&mut *c, &now())?;
            self.last_of(&mut *c, &record.sequence, record.year)? + 1
        };
        let mut lost = 0;
        let mut rendered = |number: &str| -> Result<Vec<u8>> {
            let pdf = render(number).map_err(RegisterError::Render)?;
            if pdf.len() > super::sqlite::MAX_PDF_BYTES {
                return Err(RegisterError::PdfTooLarge { bytes: pdf.len() });
            }
            Ok(pdf)
        };
        for _ in 0..MAX_ATTEMPTS {
            // A window that lost twice renders under the counter's lock.
            let early = if lost < 2 {
                let number = number_for(seq);
                let pdf = rendered(&number)?;
                Some((number, pdf))
            } else {
                None
            };
            let mut c = self.pool.get()?;
            let mut tx = c.transaction().map_err(self.write_error())?;
            lock_counter(&mut tx, &record.sequence, record.year).map_err(self.write_error())?;
            let next = self.last_of(&mut tx, &record.sequence, record.year)? + 1;
            self.check_clock(&mut tx, &now())?;
            let (number, pdf) = match early {
                Some(done) if next == seq => done,
                Some(_) => {
                    // Taken meanwhile: the transaction rolls back as it goes.
                    seq = next;
                    lost += 1;
                    continue;
                }
                None => {
                    seq = next;
                    let number = number_for(seq);
                    let pdf = rendered(&number)?;
                    (number, pdf)
                }
            };
            let sum = super::sqlite::digest(&number, &pdf);
            insert_notice(&mut tx, &number, seq, &record, &pdf, &sum).map_err(|e| {
                if is_unique_violation(&e) {
                    RegisterError::NumberTaken {
                        number: number.clone(),
                    }
                } else {
                    self.write_error()(e)
                }
            })?;
            tx.execute(
                "UPDATE counters SET last = $3 WHERE sequence = $1 AND year = $2",
                &[&record.sequence, &record.year, &i64::from(seq)],
            )
            .map_err(self.write_error())?;
            tx.commit().map_err(self.write_error())?;
            return Ok(Notice {
                number,
                seq,
                record,
            });
        }
        Err(RegisterError::Raced {
            path: self.pool.place.clone(),
            attempts: MAX_ATTEMPTS,
        })
    }

    fn get(&self, number: &str) -> Result<Option<Notice>> {
        let sql = format!("SELECT {COLUMNS} FROM notices WHERE number = $1");
        self.notices(&sql, &[&number])?
            .into_iter()
            .next()
            .transpose()
    }

    fn by_seq(&self, year: Option<i32>, seq: u32) -> Result<Vec<Result<Notice>>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM notices WHERE seq = $1 AND ($2::INTEGER IS NULL OR year = $2)
             ORDER BY year, seq, number"
        );
        self.notices(&sql, &[&i64::from(seq), &year])
    }

    fn pdf(&self, number: &str) -> Result<Vec<u8>> {
        let mut c = self.pool.get()?;
        let Some(r) = c
            .query_opt(
                &format!("SELECT {COLUMNS}, pdf FROM notices WHERE number = $1"),
                &[&number],
            )
            .map_err(self.read_error())?
        else {
            return Err(RegisterError::NotFound {
                query: number.to_owned(),
            });
        };
        let (n, sum) = notice_of(&r)?;
        let pdf: Vec<u8> = r.get(AFTER);
        if pdf.len() < 5 || pdf.len() > super::sqlite::MAX_PDF_BYTES {
            return Err(damaged(
                &n.number,
                &format!("存档的告知单 PDF 不对（{} 字节）", pdf.len()),
            ));
        }
        if !pdf.starts_with(b"%PDF-") {
            return Err(damaged(&n.number, "存档的告知单不是 PDF 文件"));
        }
        if let Some(sum) = sum
            && sum != super::sqlite::digest(&n.number, &pdf)
        {
            return Err(damaged(
                &n.number,
                "存档的告知单 PDF 与登记时记下的校验值不一致（被改动过，或是别的告知单的）",
            ));
        }
        Ok(pdf)
    }

    fn list(&self, filter: &Filter, paging: Paging) -> Result<Page> {
        let (limit, offset): (Option<i64>, i64) = match paging {
            Paging::All => (None, 0),
            Paging::Page { index, size } => (
                Some(i64::from(size)),
                i64::from(index.saturating_sub(1)) * i64::from(size),
            ),
        };
        let p = filter_params(filter);
        let mut c = self.pool.get()?;
        let total: i64 = c
            .query_one(
                &format!("SELECT count(*) FROM notices WHERE {FILTERED}"),
                &[&p[0], &p[1], &p[2], &p[3], &p[4]],
            )
            .map_err(self.read_error())?
            .get(0);
        // The page is chosen first on the notices' own columns; only its
        // rows then have their visits counted (PostgreSQL works out the
        // visit subqueries after sorting but before the offset: for a busy
        // window's latest page, for every row of the day; 3,200 notices,
        // last page: 13.8 → 3.3 ms).
        let rows = c
            .query(
                &format!(
                    "SELECT {COLUMNS}{VISITS} FROM
                       (SELECT {COLUMNS} FROM notices WHERE {FILTERED}
                        ORDER BY year, seq, number LIMIT $6 OFFSET $7) n
                     ORDER BY year, seq, number"
                ),
                &[&p[0], &p[1], &p[2], &p[3], &p[4], &limit, &offset],
            )
            .map_err(self.read_error())?;
        let items = rows
            .iter()
            .map(|r| {
                let (notice, _) = notice_of(r)?;
                let visits: i64 = r.get(AFTER);
                let outcome = outcome_of(&notice.number, r.get(AFTER + 1))?;
                Ok(Summary {
                    notice,
                    visits: visits.try_into().unwrap_or(u32::MAX),
                    outcome,
                })
            })
            .collect();
        Ok(Page {
            items,
            total: total.try_into().unwrap_or(0),
        })
    }

    fn record_visit(&self, number: &str, visit: NewVisit) -> Result<Visit> {
        let mut c = self.pool.get()?;
        let mut tx = c.transaction().map_err(self.write_error())?;
        // Locks the notice: two visits recorded at once get 1 and 2.
        let known = tx
            .query_opt(
                "SELECT number FROM notices WHERE number = $1 FOR UPDATE",
                &[&number],
            )
            .map_err(self.read_error())?;
        if known.is_none() {
            return Err(RegisterError::NotFound {
                query: number.to_owned(),
            });
        }
        self.check_clock(&mut tx, &visit.at)?;
        let seq: i32 = tx
            .query_one(
                "SELECT (coalesce(MAX(seq), 0) + 1)::INTEGER FROM visits WHERE number = $1",
                &[&number],
            )
            .map_err(self.read_error())?
            .get(0);
        tx.execute(
            "INSERT INTO visits (number, seq, visited_at, outcome, brought, clerk, \"window\")
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &number,
                &seq,
                &visit.at,
                &visit.outcome.word(),
                &json(&visit.brought),
                &visit.clerk,
                &visit.window,
            ],
        )
        .map_err(self.write_error())?;
        tx.commit().map_err(self.write_error())?;
        Ok(Visit {
            number: number.to_owned(),
            seq: seq.try_into().unwrap_or(u32::MAX),
            record: visit,
        })
    }

    fn visits(&self, number: &str) -> Result<Vec<Visit>> {
        let mut c = self.pool.get()?;
        let rows = c
            .query(
                "SELECT seq, visited_at, outcome, brought, clerk, \"window\" FROM visits
                 WHERE number = $1 ORDER BY seq",
                &[&number],
            )
            .map_err(self.read_error())?;
        let mut out = Vec::new();
        for r in &rows {
            let bad = |what: &str| damaged(number, &format!("来办记录的“{what}”不对"));
            let seq: i32 = r.get(0);
            let seq = u32::try_from(seq)
                .ok()
                .filter(|&s| s > 0)
                .ok_or_else(|| bad("次序"))?;
            let at: String = r.get(1);
            if crate::date::parse_timestamp(&at).is_none() {
                return Err(bad("来办时间"));
            }
            let outcome = outcome_of(number, r.get(2))?.ok_or_else(|| bad("来办结果"))?;
            let brought: Vec<String> =
                serde_json::from_str(r.get(3)).map_err(|_| bad("带来的材料"))?;
            out.push(Visit {
                number: number.to_owned(),
                seq,
                record: NewVisit {
                    brought,
                    outcome,
                    clerk: r.get(4),
                    window: r.get(5),
                    at,
                },
            });
        }
        Ok(out)
    }

    fn stats(&self, filter: &Filter) -> Result<Stats> {
        let p = filter_params(filter);
        let mut c = self.pool.get()?;
        let rows = c
            .query(
                &format!(
                    "SELECT {COLUMNS}{VISITS} FROM notices n WHERE {FILTERED}
                     ORDER BY year, seq, number"
                ),
                &[&p[0], &p[1], &p[2], &p[3], &p[4]],
            )
            .map_err(self.read_error())?;
        Ok(super::tally(
            rows.iter()
                .map(|r| {
                    let (n, _) = notice_of(r)?;
                    let visits: i64 = r.get(AFTER);
                    let outcome = outcome_of(&n.number, r.get(AFTER + 1))?;
                    Ok((n, visits, outcome))
                })
                .collect(),
        ))
    }

    fn schema_version(&self) -> Result<i64> {
        let mut c = self.pool.get()?;
        version_of(&mut *c).map_err(self.read_error())
    }

    fn add_account(&self, a: &NewAccount) -> Result<()> {
        let mut c = self.pool.get()?;
        match c.execute(
            "INSERT INTO accounts (name, \"window\", role, hash, created_at)
             VALUES ($1, $2, $3, $4, $5)",
            &[&a.name, &a.window, &a.role.word(), &a.hash, &a.created_at],
        ) {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(RegisterError::Exists {
                what: "账号",
                name: a.name.clone(),
            }),
            Err(e) => Err(self.write_error()(e)),
        }
    }

    fn account(&self, name: &str) -> Result<Option<Account>> {
        let mut c = self.pool.get()?;
        let r = c
            .query_opt(
                "SELECT name, \"window\", role, hash, disabled FROM accounts WHERE name = $1",
                &[&name],
            )
            .map_err(self.read_error())?;
        r.as_ref().map(account_of).transpose()
    }

    fn accounts(&self) -> Result<Vec<Account>> {
        let mut c = self.pool.get()?;
        let rows = c
            .query(
                "SELECT name, \"window\", role, hash, disabled FROM accounts ORDER BY name",
                &[],
            )
            .map_err(self.read_error())?;
        rows.iter().map(account_of).collect()
    }

    fn set_password(&self, name: &str, hash: &str) -> Result<bool> {
        let mut c = self.pool.get()?;
        let mut tx = c.transaction().map_err(self.write_error())?;
        let n = tx
            .execute(
                "UPDATE accounts SET hash = $2, disabled = FALSE WHERE name = $1",
                &[&name, &hash],
            )
            .map_err(self.write_error())?;
        tx.execute("DELETE FROM sessions WHERE account = $1", &[&name])
            .map_err(self.write_error())?;
        tx.commit().map_err(self.write_error())?;
        Ok(n > 0)
    }

    fn disable_account(&self, name: &str) -> Result<bool> {
        let mut c = self.pool.get()?;
        let mut tx = c.transaction().map_err(self.write_error())?;
        let n = tx
            .execute(
                "UPDATE accounts SET disabled = TRUE WHERE name = $1",
                &[&name],
            )
            .map_err(self.write_error())?;
        tx.execute("DELETE FROM sessions WHERE account = $1", &[&name])
            .map_err(self.write_error())?;
        tx.commit().map_err(self.write_error())?;
        Ok(n > 0)
    }

    fn open_session(&self, s: &NewSession) -> Result<()> {
        let mut c = self.pool.get()?;
        c.execute(
            "DELETE FROM sessions WHERE expires < $1",
            &[&(s.expires - 86_400)],
        )
        .map_err(self.write_error())?;
        c.execute(
            "INSERT INTO sessions (digest, account, csrf, expires) VALUES ($1, $2, $3, $4)",
            &[&s.digest, &s.account, &s.csrf, &s.expires],
        )
        .map_err(self.write_error())?;
        Ok(())
    }

    fn session(&self, digest: &str) -> Result<Option<Session>> {
        let mut c = self.pool.get()?;
        let Some(r) = c
            .query_opt(
                "SELECT a.name, a.\"window\", a.role, a.hash, a.disabled, s.csrf, s.expires
                 FROM sessions s JOIN accounts a ON a.name = s.account WHERE s.digest = $1",
                &[&digest],
            )
            .map_err(self.read_error())?
        else {
            return Ok(None);
        };
        Ok(Some(Session {
            account: account_of(&r)?,
            csrf: r.get(5),
            expires: r.get(6),
        }))
    }

    fn close_session(&self, digest: &str) -> Result<()> {
        let mut c = self.pool.get()?;
        c.execute("DELETE FROM sessions WHERE digest = $1", &[&digest])
            .map_err(self.write_error())?;
        Ok(())
    }

    fn add_client(&self, name: &str, digest: &str, at: &str) -> Result<()> {
        let mut c = self.pool.get()?;
        match c.execute(
            "INSERT INTO clients (name, digest, created_at) VALUES ($1, $2, $3)",
            &[&name, &digest, &at],
        ) {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(RegisterError::Exists {
                what: "接口客户端",
                name: name.to_owned(),
            }),
            Err(e) => Err(self.write_error()(e)),
        }
    }

    fn client(&self, digest: &str) -> Result<Option<String>> {
        let mut c = self.pool.get()?;
        Ok(c.query_opt(
            "SELECT name FROM clients WHERE digest = $1 AND NOT disabled",
            &[&digest],
        )
        .map_err(self.read_error())?
        .map(|r| r.get(0)))
    }

    fn disable_client(&self, name: &str) -> Result<bool> {
        let mut c = self.pool.get()?;
        let n = c
            .execute(
                "UPDATE clients SET disabled = TRUE WHERE name = $1",
                &[&name],
            )
            .map_err(self.write_error())?;
        Ok(n > 0)
    }

    fn audit(&self, e: &NewAudit) -> Result<()> {
        let mut c = self.pool.get()?;
        c.execute(
            "INSERT INTO audit (at, who, action, subject, address) VALUES ($1, $2, $3, $4, $5)",
            &[&e.at, &e.who, &e.action, &e.subject, &e.address],
        )
        .map_err(self.write_error())?;
        Ok(())
    }

    fn import(&self, notice: &Notice, pdf: &[u8], visits: &[Visit]) -> Result<()> {
        self.import_one(notice, pdf, visits)
    }

    fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let mut c = self.pool.get()?;
        let rows = c
            .query(
                "SELECT seq, at, who, action, subject, address FROM audit
                 ORDER BY seq DESC LIMIT $1",
                &[&i64::from(limit)],
            )
            .map_err(self.read_error())?;
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                seq: r.get(0),
                entry: NewAudit {
                    at: r.get(1),
                    who: r.get(2),
                    action: r.get(3),
                    subject: r.get(4),
                    address: r.get(5),
                },
            })
            .collect())
    }
}

impl Db {
    fn import_one(&self, n: &Notice, pdf: &[u8], visits: &[Visit]) -> Result<()> {
        let rec = &n.record;
        let mut c = self.pool.get()?;
        let mut tx = c.transaction().map_err(self.write_error())?;
        lock_counter(&mut tx, &rec.sequence, rec.year).map_err(self.write_error())?;
        let sum = super::sqlite::digest(&n.number, pdf);
        insert_notice(&mut tx, &n.number, n.seq, rec, pdf, &sum).map_err(|e| {
            if is_unique_violation(&e) {
                RegisterError::Exists {
                    what: "告知单",
                    name: n.number.clone(),
                }
            } else {
                self.write_error()(e)
            }
        })?;
        for v in visits {
            tx.execute(
                "INSERT INTO visits (number, seq, visited_at, outcome, brought, clerk, \"window\")
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &n.number,
                    &i32::try_from(v.seq).unwrap_or(i32::MAX),
                    &v.record.at,
                    &v.record.outcome.word(),
                    &json(&v.record.brought),
                    &v.record.clerk,
                    &v.record.window,
                ],
            )
            .map_err(self.write_error())?;
        }
        tx.execute(
            "UPDATE counters SET last = GREATEST(last, $3) WHERE sequence = $1 AND year = $2",
            &[&rec.sequence, &rec.year, &i64::from(n.seq)],
        )
        .map_err(self.write_error())?;
        tx.commit().map_err(self.write_error())
    }
}

fn account_of(r: &Row) -> Result<Account> {
    let name: String = r.get(0);
    let role: String = r.get(2);
    let role = Role::from_word(&role).ok_or_else(|| RegisterError::Damaged {
        number: format!("账号 {name}"),
        what: format!("角色“{}”不是 clerk 或 supervisor", visible(&role)),
    })?;
    Ok(Account {
        window: r.get(1),
        role,
        hash: r.get(3),
        disabled: r.get(4),
        name,
    })
}

impl Register for PostgresRegister {
    fn issue(
        &self,
        record: NewNotice,
        number_for: &dyn Fn(u32) -> String,
        render: &mut dyn FnMut(&str) -> Result<Vec<u8>, RenderError>,
    ) -> Result<Notice> {
        // Off the async threads already; the callbacks need not be Send.
        self.db.issue(record, number_for, render)
    }
    fn get(&self, number: &str) -> Result<Option<Notice>> {
        hop(|| self.db.get(number))
    }
    fn by_seq(&self, year: Option<i32>, seq: u32) -> Result<Vec<Result<Notice>>> {
        hop(|| self.db.by_seq(year, seq))
    }
    fn list(&self, filter: &Filter, paging: Paging) -> Result<Page> {
        hop(|| self.db.list(filter, paging))
    }
    fn pdf(&self, number: &str) -> Result<Vec<u8>> {
        hop(|| self.db.pdf(number))
    }
    fn record_visit(&self, number: &str, visit: NewVisit) -> Result<Visit> {
        hop(|| self.db.record_visit(number, visit))
    }
    fn visits(&self, number: &str) -> Result<Vec<Visit>> {
        hop(|| self.db.visits(number))
    }
    fn stats(&self, filter: &Filter) -> Result<Stats> {
        hop(|| self.db.stats(filter))
    }
    fn schema_version(&self) -> Result<i64> {
        hop(|| self.db.schema_version())
    }
    fn add_account(&self, account: &NewAccount) -> Result<()> {
        hop(|| self.db.add_account(account))
    }
    fn account(&self, name: &str) -> Result<Option<Account>> {
        hop(|| self.db.account(name))
    }
    fn accounts(&self) -> Result<Vec<Account>> {
        hop(|| self.db.accounts())
    }
    fn set_password(&self, name: &str, hash: &str) -> Result<bool> {
        hop(|| self.db.set_password(name, hash))
    }
    fn disable_account(&self, name: &str) -> Result<bool> {
        hop(|| self.db.disable_account(name))
    }
    fn open_session(&self, session: &NewSession) -> Result<()> {
        hop(|| self.db.open_session(session))
    }
    fn session(&self, digest: &str) -> Result<Option<Session>> {
        hop(|| self.db.session(digest))
    }
    fn close_session(&self, digest: &str) -> Result<()> {
        hop(|| self.db.close_session(digest))
    }
    fn add_client(&self, name: &str, digest: &str, at: &str) -> Result<()> {
        hop(|| self.db.add_client(name, digest, at))
    }
    fn client(&self, digest: &str) -> Result<Option<String>> {
        hop(|| self.db.client(digest))
    }
    fn disable_client(&self, name: &str) -> Result<bool> {
        hop(|| self.db.disable_client(name))
    }
    fn audit(&self, entry: &NewAudit) -> Result<()> {
        hop(|| self.db.audit(entry))
    }
    fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        hop(|| self.db.audit_log(limit))
    }
    fn import(&self, notice: &Notice, pdf: &[u8], visits: &[Visit]) -> Result<()> {
        hop(|| self.db.import_one(notice, pdf, visits))
    }
}
