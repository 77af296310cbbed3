//! The register suite (`tests/register_suite`) run on the PostgreSQL
//! store, and what only that store has: migrations applied by
//! `guide serve migrate`, a database refused until it is migrated.

mod pg;
mod register_suite;

use guide::register::migrations::LATEST;
use guide::register::{PostgresRegister, Register, RegisterError};

struct Postgres {
    schema: pg::Schema,
}

impl register_suite::Store for Postgres {
    const SCHEMA_VERSION: i64 = LATEST;

    fn fresh() -> Option<Postgres> {
        let schema = pg::Schema::new()?;
        assert_eq!(PostgresRegister::migrate(&schema.url).unwrap(), (0, LATEST));
        Some(Postgres { schema })
    }

    fn open(&self) -> Box<dyn Register> {
        Box::new(PostgresRegister::open(&self.schema.url).unwrap())
    }

    fn damage(&self, number: &str) {
        self.schema.execute(&format!(
            "UPDATE notices SET situations = '{{bad' WHERE number = '{number}'"
        ));
    }
}

register_suite!(Postgres);

#[test]
fn a_database_is_refused_until_migrated_and_migrating_twice_does_nothing() {
    let Some(schema) = pg::Schema::new() else {
        return;
    };
    let e = PostgresRegister::open(&schema.url).err().unwrap();
    assert!(
        matches!(e, RegisterError::NotMigrated { version: 0, .. }),
        "{e:?}"
    );
    assert!(e.is_refusal());
    assert!(e.to_string().contains("guide serve migrate"), "{e}");
    assert_eq!(PostgresRegister::migrate(&schema.url).unwrap(), (0, LATEST));
    assert_eq!(
        PostgresRegister::migrate(&schema.url).unwrap(),
        (LATEST, LATEST)
    );
    let r = PostgresRegister::open(&schema.url).unwrap();
    assert_eq!(r.schema_version().unwrap(), LATEST);
    // An older format is refused until migrated again.
    schema.execute(&format!(
        "DELETE FROM guide_migrations WHERE version = {LATEST}"
    ));
    let e = PostgresRegister::open(&schema.url).err().unwrap();
    assert!(
        e.to_string().contains(&format!("第 {} 版", LATEST - 1)),
        "{e}"
    );
    // A newer one (a newer guide migrated it) too.
    schema.execute(&format!(
        "INSERT INTO guide_migrations VALUES ({LATEST}, 'halls', 'x'), ({}, 'future', 'x')",
        LATEST + 1
    ));
    let e = PostgresRegister::open(&schema.url).err().unwrap();
    assert!(matches!(e, RegisterError::Newer { .. }), "{e:?}");
    assert!(e.to_string().contains("请升级 guide"), "{e}");
}

#[test]
fn a_password_in_the_url_is_refused_and_never_shown() {
    let e = PostgresRegister::open("postgres://guide:s3cret@127.0.0.1:1/guide")
        .err()
        .unwrap();
    assert!(matches!(e, RegisterError::PasswordInUrl { .. }), "{e:?}");
    assert!(!e.to_string().contains("s3cret"));
    assert!(e.to_string().contains("GUIDE_REGISTER_PASSWORD"), "{e}");
}

fn pdf(number: &str) -> Result<Vec<u8>, guide::register::RenderError> {
    Ok(format!("%PDF-1.7 {number}").into_bytes())
}

#[test]
fn a_window_that_lost_twice_renders_under_the_counters_lock_and_wins() {
    use register_suite::{Store, official, record};
    let Some(s) = Postgres::fresh() else {
        return;
    };
    let (r, other) = (s.open(), s.open());
    let rec = || record(2020, "passport", &["居民身份证"]);
    let mut rendered = Vec::new();
    let (got, theirs) = std::thread::scope(|scope| {
        let mut waiting = None;
        let got = r
            .issue(rec(), &official(2020), &mut |number| {
                rendered.push(number.to_owned());
                match rendered.len() {
                    // Another server takes the number being rendered, twice.
                    1 | 2 => {
                        other.issue(rec(), &official(2020), &mut pdf).unwrap();
                    }
                    // The third render holds the counter: another server
                    // that wants a number now waits for it.
                    _ => {
                        let other = other.as_ref();
                        let h = scope.spawn(move || {
                            other
                                .issue(rec(), &official(2020), &mut pdf)
                                .unwrap()
                                .number
                        });
                        std::thread::sleep(std::time::Duration::from_millis(500));
                        assert!(!h.is_finished(), "the other server waits for the lock");
                        waiting = Some(h);
                    }
                }
                pdf(number)
            })
            .unwrap();
        (got, waiting.unwrap().join().unwrap())
    });
    assert_eq!(
        rendered,
        [official(2020)(1), official(2020)(2), official(2020)(3)]
    );
    assert_eq!(got.number, official(2020)(3));
    assert_eq!(theirs, official(2020)(4), "then it numbers after it");
}
