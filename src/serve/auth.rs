//! Passwords, tokens and the rules of logging in: argon2id hashes, random
//! tokens of which the register keeps only a digest, the cookies of the
//! desk, the CSRF check, and login throttling per account and per address.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The session cookie; sent to `/desk` only, never to a public path.
pub const SESSION_COOKIE: &str = "guide_session";
/// The login form's own token (against a forged login).
pub const LOGIN_COOKIE: &str = "guide_login";
/// A session lasts a working day.
pub const SESSION_SECONDS: i64 = 10 * 3600;
/// The shortest password accepted, in characters.
pub const MIN_PASSWORD: usize = 10;

/// The argon2id hash of `password` in PHC form (a random salt each time).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("无法计算密码的散列值：{e}"))
}

/// Whether `password` is the one `hash` was made of.
pub fn verify_password(hash: &str, password: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// A hash no password matches, to spend the same time on an unknown name.
pub fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

/// Why a new password is refused, if it is.
pub fn weak(password: &str) -> Option<String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Some(format!(
            "密码太短：至少 {MIN_PASSWORD} 个字符（现在 {n} 个）"
        ));
    }
    if password.chars().any(char::is_control) {
        return Some("密码里不能有控制字符".into());
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return Some("密码不能全是同一个字符".into());
    }
    None
}

/// 32 random bytes from the operating system, in hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    if getrandom::fill(&mut b).is_err() {
        // No randomness: a token nobody can guess cannot be made; one that
        // never matches (the digest of an empty token is never stored).
        return String::new();
    }
    hex(&b)
}

/// What the register keeps of a token: its BLAKE2s digest in hex.
pub fn digest(token: &str) -> String {
    use blake2::Digest;
    hex(&blake2::Blake2s256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.is_empty() || a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie of the desk: HttpOnly, SameSite=Strict, for `/desk` only;
/// Secure when served over HTTPS. `max_age` 0 deletes it.
pub fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/desk; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Failed logins remembered for this long.
const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures of one account within [`WINDOW`] before it is held.
const PER_ACCOUNT: usize = 5;
/// Failures from one address within [`WINDOW`] before it is held.
const PER_ADDRESS: usize = 20;

/// Recent failed logins, per account and per address (in memory: a
/// restart forgets them, which only an administrator can cause).
#[derive(Default)]
pub struct Throttle {
    failures: HashMap<String, Vec<Instant>>,
}

impl Throttle {
    fn keys(account: &str, address: &str) -> [(String, usize); 2] {
        [
            (format!("account:{account}"), PER_ACCOUNT),
            (format!("address:{address}"), PER_ADDRESS),
        ]
    }

    /// How long until `account` may try again from `address`, when held.
    pub fn held(&mut self, account: &str, address: &str, now: Instant) -> Option<Duration> {
        let mut wait = None;
        for (key, limit) in Self::keys(account, address) {
            let list = self.failures.entry(key).or_default();
            list.retain(|t| now.duration_since(*t) < WINDOW);
            if list.len() >= limit {
                let until = WINDOW.saturating_sub(now.duration_since(list[0]));
                wait = Some(wait.map_or(until, |w: Duration| w.max(until)));
            }
        }
        wait
    }

    pub fn failed(&mut self, account: &str, address: &str, now: Instant) {
        for (key, _) in Self::keys(account, address) {
            self.failures.entry(key).or_default().push(now);
        }
        // Keep the memory bounded under a flood of names.
        if self.failures.len() > 10_000 {
            self.failures
                .retain(|_, l| l.last().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
    }

    /// A good login forgets the account's failures (not the address's).
    pub fn succeeded(&mut self, account: &str) {
        self.failures.remove(&format!("account:{account}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let h = hash_password("窗口B12的密码0001").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "窗口B12的密码0001"));
        assert!(!verify_password(&h, "窗口B12的密码0002"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn five_failures_hold_the_account_and_not_another() {
        let mut t = Throttle::default();
        let now = Instant::now();
        for _ in 0..PER_ACCOUNT {
            assert!(t.held("李娜", "10.0.0.1", now).is_none());
            t.failed("李娜", "10.0.0.1", now);
        }
        assert!(t.held("李娜", "10.0.0.2", now).is_some());
        assert!(t.held("王芳", "10.0.0.1", now).is_none());
        assert!(t.held("李娜", "10.0.0.1", now + WINDOW).is_none());
    }

    #[test]
    fn twenty_failures_hold_the_address_for_every_account() {
        let mut t = Throttle::default();
        let now = Instant::now();
        for i in 0..PER_ADDRESS {
            t.failed(&format!("账号{i}"), "10.0.0.9", now);
        }
        assert!(t.held("新账号", "10.0.0.9", now).is_some());
        assert!(t.held("新账号", "10.0.0.8", now).is_none());
    }

    #[test]
    fn a_good_login_forgets_the_accounts_failures() {
        let mut t = Throttle::default();
        let now = Instant::now();
        for _ in 0..PER_ACCOUNT - 1 {
            t.failed("李娜", "10.0.0.1", now);
        }
        t.succeeded("李娜");
        t.failed("李娜", "10.0.0.1", now);
        assert!(t.held("李娜", "10.0.0.1", now).is_none());
    }

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("", ""));
        assert!(!same_secret("abc", "abcd"));
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(weak("short").is_some());
        assert!(weak("aaaaaaaaaaaa").is_some());
        assert!(weak("一个足够长的密码短语").is_none());
    }
}
