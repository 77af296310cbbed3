//! Who may use the hall server, as the register keeps it: accounts with a
//! role and a window (argon2id hashes, made by the server, never a
//! password), sessions (a digest of the cookie's token, never the token),
//! the API's clients (likewise a digest) and the audit log of who issued,
//! viewed and reprinted what. Data only; the rules are the hall server's.

/// What an account may do at the desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// 窗口工作人员: issues notices and records visits.
    Clerk,
    /// 负责人: as a clerk, and reads the audit log, the data's status and
    /// the statistics.
    Supervisor,
}

impl Role {
    /// The word stored and typed (`--role`).
    pub fn word(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn from_word(w: &str) -> Option<Role> {
        match w.trim() {
            "clerk" => Some(Role::Clerk),
            "supervisor" => Some(Role::Supervisor),
            _ => None,
        }
    }

    /// The role in the desk's words.
    pub fn label(self) -> &'static str {
        match self {
            Role::Clerk => "窗口工作人员",
            Role::Supervisor => "负责人",
        }
    }
}

/// An account to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub name: String,
    pub window: Option<String>,
    pub role: Role,
    /// The argon2id hash in PHC form.
    pub hash: String,
    /// `YYYY-MM-DD HH:MM:SS` Beijing time.
    pub created_at: String,
}

/// An account as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub window: Option<String>,
    pub role: Role,
    pub hash: String,
    pub disabled: bool,
}

/// A session to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    /// The digest of the cookie's token.
    pub digest: String,
    pub account: String,
    /// The token every form of the session carries.
    pub csrf: String,
    /// Unix seconds.
    pub expires: i64,
}

/// A session with its account as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub account: Account,
    pub csrf: String,
    pub expires: i64,
}

/// An entry for the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAudit {
    /// `YYYY-MM-DD HH:MM:SS` Beijing time.
    pub at: String,
    /// The account, or `api:CLIENT`; empty when nobody logged in.
    pub who: String,
    /// What was done: `issue`, `view`, `reprint`, `visit`, `login`, …
    pub action: String,
    /// The notice's number, or what else it was about.
    pub subject: String,
    /// The client's address.
    pub address: String,
}

/// An entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub entry: NewAudit,
}
