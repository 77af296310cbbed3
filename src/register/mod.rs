//! The notice register: every filled notice with its number, in SQLite.
//! Several windows share one file: numbers are allocated and the notice
//! stored in one immediate transaction (WAL, busy timeout), so they are
//! sequential per year, never reused, and never skipped by a crash.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use std::path::Path;

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
    /// `YYYY-MM-DD HH:MM:SS` UTC.
    pub issued_at: String,
}

/// A recorded notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub number: String,
    pub seq: u32,
    pub record: NewNotice,
    pub pdf: Vec<u8>,
}

pub struct Register {
    conn: Connection,
}

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
    UNIQUE (year, seq)
);
CREATE INDEX IF NOT EXISTS notices_matter ON notices (matter_id);
CREATE INDEX IF NOT EXISTS notices_issued ON notices (issued_at);
";

impl Register {
    /// Opens (creating if needed) the register at `path`.
    pub fn open(path: &Path) -> Result<Register> {
        let conn = Connection::open(path)
            .with_context(|| format!("无法打开告知单登记簿 {}", path.display()))?;
        // Many windows, one file: wait for each other rather than fail.
        conn.busy_timeout(std::time::Duration::from_secs(120))?;
        // Switching a new file to WAL takes a lock the busy timeout does not
        // wait for: when two windows open a new register at once, retry.
        let mut waited = 0;
        loop {
            let mode: rusqlite::Result<String> =
                conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0));
            match mode {
                Ok(_) => break,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy && waited < 30_000 =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    waited += 20;
                }
                Err(e) => return Err(anyhow::Error::from(e).context("无法启用 WAL 日志")),
            }
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA).context("无法建立登记簿表")?;
        Ok(Register { conn })
    }

    /// Allocates the next number of `record.year`, renders the notice with
    /// it and stores both, in one transaction: if rendering or storing fails
    /// (or the process dies), nothing is stored and the number stays free.
    pub fn issue(
        &mut self,
        record: NewNotice,
        number_for: impl Fn(u32) -> String,
        render: impl FnOnce(&str) -> Result<Vec<u8>>,
    ) -> Result<Notice> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .context("无法锁定登记簿")?;
        let seq: u32 = tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM notices WHERE year = ?1",
            params![record.year],
            |r| r.get(0),
        )?;
        let number = number_for(seq);
        let pdf = render(&number)?;
        tx.execute(
            "INSERT INTO notices (number, year, seq, matter_id, matter_name, edition, applicant,
                 phone, clerk, window, situations, missing, issued_at, pdf)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
            ],
        )
        .with_context(|| format!("编号 {number} 已被占用（编号格式是否缺少年份或序号？）"))?;
        tx.commit().context("无法写入登记簿")?;
        Ok(Notice {
            number,
            seq,
            record,
            pdf,
        })
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Notice> {
        let json = |i: usize| -> rusqlite::Result<String> { r.get(i) };
        let situations: Vec<String> = serde_json::from_str(&json(10)?).unwrap_or_default();
        let missing: Vec<Told> = serde_json::from_str(&json(11)?).unwrap_or_default();
        Ok(Notice {
            number: r.get(0)?,
            seq: r.get(2)?,
            record: NewNotice {
                year: r.get(1)?,
                matter_id: r.get(3)?,
                matter_name: r.get(4)?,
                edition: r.get(5)?,
                applicant: r.get(6)?,
                phone: r.get(7)?,
                clerk: r.get(8)?,
                window: r.get(9)?,
                situations,
                missing,
                issued_at: r.get(12)?,
            },
            pdf: r.get(13)?,
        })
    }

    const COLUMNS: &'static str = "number, year, seq, matter_id, matter_name, edition, applicant,
         phone, clerk, window, situations, missing, issued_at, pdf";

    /// The notice with `number`.
    pub fn get(&self, number: &str) -> Result<Option<Notice>> {
        let sql = format!("SELECT {} FROM notices WHERE number = ?1", Self::COLUMNS);
        Ok(self
            .conn
            .query_row(&sql, params![number], Self::row)
            .optional()?)
    }

    /// Notices issued on or after `since` (a date), of `matter`, oldest first.
    pub fn list(&self, since: Option<&str>, matter: Option<&str>) -> Result<Vec<Notice>> {
        let sql = format!(
            "SELECT {} FROM notices
             WHERE (?1 IS NULL OR issued_at >= ?1) AND (?2 IS NULL OR matter_id = ?2)
             ORDER BY year, seq",
            Self::COLUMNS
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![since, matter], Self::row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn numbers_are_sequential_per_year_and_roll_over() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Register::open(&dir.path().join("n.db")).unwrap();
        let fmt = |y: i32| move |s: u32| format!("{y}-{s:04}");
        let pdf = |n: &str| Ok(n.as_bytes().to_vec());
        assert_eq!(
            r.issue(record(2026), fmt(2026), pdf).unwrap().number,
            "2026-0001"
        );
        assert_eq!(
            r.issue(record(2026), fmt(2026), pdf).unwrap().number,
            "2026-0002"
        );
        assert_eq!(
            r.issue(record(2027), fmt(2027), pdf).unwrap().number,
            "2027-0001"
        );
        assert_eq!(
            r.issue(record(2026), fmt(2026), pdf).unwrap().number,
            "2026-0003"
        );
    }

    #[test]
    fn a_failed_render_stores_nothing_and_skips_no_number() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Register::open(&dir.path().join("n.db")).unwrap();
        let fmt = |s: u32| format!("N{s}");
        let failed = r.issue(record(2026), fmt, |_| anyhow::bail!("printer on fire"));
        assert!(failed.is_err());
        assert!(r.list(None, None).unwrap().is_empty());
        let ok = r
            .issue(record(2026), fmt, |n| Ok(n.as_bytes().to_vec()))
            .unwrap();
        assert_eq!(ok.number, "N1");
        let back = r.get("N1").unwrap().unwrap();
        assert_eq!(back.record, record(2026));
        assert_eq!(back.pdf, b"N1");
    }
}
