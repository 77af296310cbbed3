//! The tables of the hall server in the SQLite register (format 4):
//! `accounts`, `sessions`, `clients`, `audit`. Every write is one short
//! statement in autocommit; none takes the numbering's turn.

use super::{Result, SqliteRegister, read_error, sql_error};
use crate::register::{
    Account, AuditEntry, NewAccount, NewAudit, NewSession, RegisterError, Role, Session,
};
use rusqlite::{ErrorCode, OptionalExtension, params};

fn write_error(r: &SqliteRegister) -> impl Fn(rusqlite::Error) -> RegisterError + '_ {
    move |e| sql_error(&r.path, e, "无法写入告知单登记簿")
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation)
}

fn account_of(path: &std::path::Path, r: &rusqlite::Row<'_>) -> Result<Account> {
    let read = read_error(path);
    let name: String = r.get(0).map_err(&read)?;
    let role: String = r.get(2).map_err(&read)?;
    let role = Role::from_word(&role).ok_or_else(|| RegisterError::Damaged {
        number: format!("账号 {name}"),
        what: format!("角色“{}”不是 clerk 或 supervisor", super::visible(&role)),
    })?;
    Ok(Account {
        window: r.get(1).map_err(&read)?,
        role,
        hash: r.get(3).map_err(&read)?,
        disabled: r.get::<_, i64>(4).map_err(&read)? != 0,
        name,
    })
}

pub(super) fn add_account(r: &SqliteRegister, a: &NewAccount) -> Result<()> {
    let conn = r.conn();
    match conn.execute(
        "INSERT INTO accounts (name, window, role, hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![a.name, a.window, a.role.word(), a.hash, a.created_at],
    ) {
        Ok(_) => Ok(()),
        Err(e) if is_constraint(&e) => Err(RegisterError::Exists {
            what: "账号",
            name: a.name.clone(),
        }),
        Err(e) => Err(write_error(r)(e)),
    }
}

pub(super) fn account(r: &SqliteRegister, name: &str) -> Result<Option<Account>> {
    let conn = r.conn();
    let mut stmt = conn
        .prepare("SELECT name, window, role, hash, disabled FROM accounts WHERE name = ?1")
        .map_err(read_error(&r.path))?;
    let mut rows = stmt.query([name]).map_err(read_error(&r.path))?;
    match rows.next().map_err(read_error(&r.path))? {
        Some(row) => account_of(&r.path, row).map(Some),
        None => Ok(None),
    }
}

pub(super) fn accounts(r: &SqliteRegister) -> Result<Vec<Account>> {
    let conn = r.conn();
    let mut stmt = conn
        .prepare("SELECT name, window, role, hash, disabled FROM accounts ORDER BY name")
        .map_err(read_error(&r.path))?;
    let mut rows = stmt.query([]).map_err(read_error(&r.path))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(read_error(&r.path))? {
        out.push(account_of(&r.path, row)?);
    }
    Ok(out)
}

pub(super) fn set_password(r: &SqliteRegister, name: &str, hash: &str) -> Result<bool> {
    let conn = r.conn();
    let n = conn
        .execute(
            "UPDATE accounts SET hash = ?2, disabled = 0 WHERE name = ?1",
            params![name, hash],
        )
        .map_err(write_error(r))?;
    conn.execute("DELETE FROM sessions WHERE account = ?1", [name])
        .map_err(write_error(r))?;
    Ok(n > 0)
}

pub(super) fn disable_account(r: &SqliteRegister, name: &str) -> Result<bool> {
    let conn = r.conn();
    let n = conn
        .execute("UPDATE accounts SET disabled = 1 WHERE name = ?1", [name])
        .map_err(write_error(r))?;
    conn.execute("DELETE FROM sessions WHERE account = ?1", [name])
        .map_err(write_error(r))?;
    Ok(n > 0)
}

pub(super) fn open_session(r: &SqliteRegister, s: &NewSession) -> Result<()> {
    let conn = r.conn();
    // Expired sessions go as new ones come.
    conn.execute(
        "DELETE FROM sessions WHERE expires < ?1",
        [s.expires - 86_400],
    )
    .map_err(write_error(r))?;
    conn.execute(
        "INSERT INTO sessions (digest, account, csrf, expires) VALUES (?1, ?2, ?3, ?4)",
        params![s.digest, s.account, s.csrf, s.expires],
    )
    .map_err(write_error(r))?;
    Ok(())
}

pub(super) fn session(r: &SqliteRegister, digest: &str) -> Result<Option<Session>> {
    let conn = r.conn();
    let mut stmt = conn
        .prepare(
            "SELECT a.name, a.window, a.role, a.hash, a.disabled, s.csrf, s.expires
             FROM sessions s JOIN accounts a ON a.name = s.account WHERE s.digest = ?1",
        )
        .map_err(read_error(&r.path))?;
    let mut rows = stmt.query([digest]).map_err(read_error(&r.path))?;
    let Some(row) = rows.next().map_err(read_error(&r.path))? else {
        return Ok(None);
    };
    Ok(Some(Session {
        account: account_of(&r.path, row)?,
        csrf: row.get(5).map_err(read_error(&r.path))?,
        expires: row.get(6).map_err(read_error(&r.path))?,
    }))
}

pub(super) fn close_session(r: &SqliteRegister, digest: &str) -> Result<()> {
    r.conn()
        .execute("DELETE FROM sessions WHERE digest = ?1", [digest])
        .map_err(write_error(r))?;
    Ok(())
}

pub(super) fn add_client(r: &SqliteRegister, name: &str, digest: &str, at: &str) -> Result<()> {
    match r.conn().execute(
        "INSERT INTO clients (name, digest, created_at) VALUES (?1, ?2, ?3)",
        params![name, digest, at],
    ) {
        Ok(_) => Ok(()),
        Err(e) if is_constraint(&e) => Err(RegisterError::Exists {
            what: "接口客户端",
            name: name.to_owned(),
        }),
        Err(e) => Err(write_error(r)(e)),
    }
}

pub(super) fn client(r: &SqliteRegister, digest: &str) -> Result<Option<String>> {
    r.conn()
        .query_row(
            "SELECT name FROM clients WHERE digest = ?1 AND disabled = 0",
            [digest],
            |row| row.get(0),
        )
        .optional()
        .map_err(read_error(&r.path))
}

pub(super) fn disable_client(r: &SqliteRegister, name: &str) -> Result<bool> {
    let n = r
        .conn()
        .execute("UPDATE clients SET disabled = 1 WHERE name = ?1", [name])
        .map_err(write_error(r))?;
    Ok(n > 0)
}

pub(super) fn audit(r: &SqliteRegister, e: &NewAudit) -> Result<()> {
    r.conn()
        .execute(
            "INSERT INTO audit (at, who, action, subject, address) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![e.at, e.who, e.action, e.subject, e.address],
        )
        .map_err(write_error(r))?;
    Ok(())
}

pub(super) fn audit_log(r: &SqliteRegister, limit: u32) -> Result<Vec<AuditEntry>> {
    let conn = r.conn();
    let read = read_error(&r.path);
    let mut stmt = conn
        .prepare(
            "SELECT seq, at, who, action, subject, address FROM audit ORDER BY seq DESC LIMIT ?1",
        )
        .map_err(&read)?;
    let rows = stmt
        .query_map([limit], |row| {
            Ok(AuditEntry {
                seq: row.get(0)?,
                entry: NewAudit {
                    at: row.get(1)?,
                    who: row.get(2)?,
                    action: row.get(3)?,
                    subject: row.get(4)?,
                    address: row.get(5)?,
                },
            })
        })
        .map_err(&read)?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&read)
}
