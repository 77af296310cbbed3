//! A PostgreSQL database for a test: a schema of its own on the server
//! `scripts/test-postgres` started, whose URL is in `GUIDE_TEST_POSTGRES`.
//! Without it the test is skipped, except in CI (`CI` set), where it fails:
//! there PostgreSQL is expected.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

/// The server's URL, or `None` (outside CI) when there is none.
pub fn server() -> Option<String> {
    match std::env::var("GUIDE_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_owned()),
        _ if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => panic!(
            "CI: GUIDE_TEST_POSTGRES is not set; scripts/test starts PostgreSQL (scripts/test-postgres)"
        ),
        _ => {
            eprintln!("skipped: no PostgreSQL (set GUIDE_TEST_POSTGRES, or run scripts/test)");
            None
        }
    }
}

/// A fresh, empty schema on the server; the URL that uses it.
pub struct Schema {
    pub url: String,
    pub name: String,
    admin: String,
}

impl Schema {
    pub fn new() -> Option<Schema> {
        static N: AtomicU32 = AtomicU32::new(0);
        let admin = server()?;
        let name = format!(
            "t{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
        c.batch_execute(&format!("CREATE SCHEMA {name}")).unwrap();
        let sep = if admin.contains('?') { '&' } else { '?' };
        Some(Schema {
            url: format!("{admin}{sep}options=-csearch_path%3D{name}"),
            name,
            admin,
        })
    }

    /// Runs `sql` in the schema, behind the register's back.
    pub fn execute(&self, sql: &str) {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).unwrap();
        c.batch_execute(sql).unwrap();
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA {} CASCADE", self.name));
        }
    }
}
