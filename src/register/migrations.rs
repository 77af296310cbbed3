//! The register's schema migrations: versioned SQL files in the
//! repository's `migrations/` folder, one list per store, compiled in.
//! Both stores share one history (the same versions with the same names);
//! each records what it applied in its table `guide_migrations` (version,
//! name, when). A register's format version is the newest one applied.
//!
//! - SQLite registers migrate themselves when opened to write (as they
//!   always did; `guide serve migrate` does the same on purpose). A
//!   register of a format before the history table (0–4, told by
//!   `PRAGMA user_version`) gets its history written when it is migrated.
//! - A PostgreSQL register is migrated only by `guide serve migrate`: the
//!   halls' servers refuse to start on a database that is not migrated
//!   (or was migrated by a newer guide).

/// One step of the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Migration {
    pub version: i64,
    /// The file's name without its number and `.sql`.
    pub name: &'static str,
    pub sql: &'static str,
}

macro_rules! migrations {
    ($dir:literal: $($version:literal $name:literal),* $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!(
                "../../migrations/", $dir, "/000", $version, "_", $name, ".sql"
            )),
        }),*]
    };
}

/// The SQLite register's migrations, oldest first.
pub const SQLITE: &[Migration] = migrations!("sqlite":
    1 "notices", 2 "visits", 3 "defects", 4 "access", 5 "halls",
);

/// The PostgreSQL register's migrations, oldest first.
pub const POSTGRES: &[Migration] = migrations!("postgres":
    1 "notices", 2 "visits", 3 "defects", 4 "access", 5 "halls",
);

/// The newest format this guide knows.
pub const LATEST: i64 = 5;

/// The history table (the same in both stores).
pub const HISTORY: &str = "CREATE TABLE IF NOT EXISTS guide_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_stores_share_one_history_ending_at_the_latest_version() {
        let steps = |m: &[Migration]| -> Vec<(i64, &str)> {
            m.iter().map(|m| (m.version, m.name)).collect()
        };
        assert_eq!(steps(SQLITE), steps(POSTGRES));
        let versions: Vec<i64> = SQLITE.iter().map(|m| m.version).collect();
        assert_eq!(versions, (1..=LATEST).collect::<Vec<_>>());
        for m in SQLITE.iter().chain(POSTGRES) {
            assert!(
                m.sql.contains("CREATE") || m.sql.contains("ALTER"),
                "{}",
                m.name
            );
        }
    }
}
