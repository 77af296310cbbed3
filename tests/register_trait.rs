//! The register suite (`tests/register_suite`) run on the SQLite store.

mod register_suite;

use guide::register::sqlite::SCHEMA_VERSION;
use guide::register::{Creation, Register, SqliteRegister};
use std::path::PathBuf;

struct Sqlite {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl register_suite::Store for Sqlite {
    const SCHEMA_VERSION: i64 = SCHEMA_VERSION;

    fn fresh() -> Option<Sqlite> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notices.db");
        let (r, created) = SqliteRegister::open_for_issue(&path, Creation::Asked, |_| {}).unwrap();
        assert!(created.is_some());
        r.close().unwrap();
        Some(Sqlite { _dir: dir, path })
    }

    fn open(&self) -> Box<dyn Register> {
        let (r, _) = SqliteRegister::open_for_issue(&self.path, Creation::Never, |_| {}).unwrap();
        Box::new(r)
    }

    fn damage(&self, number: &str) {
        let c = rusqlite::Connection::open(&self.path).unwrap();
        c.execute(
            "UPDATE notices SET situations = '{bad' WHERE number = ?1",
            [number],
        )
        .unwrap();
    }
}

register_suite!(Sqlite);
