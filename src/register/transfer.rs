//! Moving a register between stores (`guide notice export` / `import`),
//! e.g. a hall's SQLite file into the city's PostgreSQL database: every
//! notice with its archived PDF and visits, and the accounts (their
//! password hashes move as they are). API tokens and sessions do not move
//! (tokens are issued again; clerks log in again); the audit log stays in
//! the old register, which is to be kept.
//!
//! The file is JSON Lines: a header, one line per notice and per account,
//! and an end line with how many notices and visits there are and a
//! checksum over every notice's number, sequence number, PDF and visits.
//! Import checks the file against its end line, refuses a register that
//! already has notices, and afterwards reads the target register back and
//! checks the same count and checksum.

use super::{
    Filter, NewAccount, NewNotice, NewVisit, Notice, Outcome, Paging, Register, RegisterError,
    Role, Told, Visit,
};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

/// The export format's version.
pub const FORMAT: u32 = 1;

/// What was moved, and its checksum.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub notices: u64,
    pub visits: u64,
    pub accounts: u64,
    pub checksum: String,
}

#[derive(Serialize, Deserialize)]
struct Header {
    guide_register_export: u32,
}

#[derive(Serialize, Deserialize)]
struct NoticeLine {
    number: String,
    seq: u32,
    year: i32,
    matter_id: String,
    matter_name: String,
    edition: String,
    applicant: String,
    phone: Option<String>,
    clerk: Option<String>,
    window: Option<String>,
    situations: Vec<String>,
    missing: Vec<Told>,
    defects: Vec<Told>,
    issued_at: String,
    hall: Option<String>,
    sequence: String,
    /// The archived PDF, in hexadecimal.
    pdf: String,
    visits: Vec<VisitLine>,
}

#[derive(Serialize, Deserialize)]
struct VisitLine {
    seq: u32,
    at: String,
    outcome: String,
    brought: Vec<String>,
    clerk: Option<String>,
    window: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct AccountLine {
    name: String,
    window: Option<String>,
    role: String,
    hash: String,
    disabled: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Line {
    Notice(Box<NoticeLine>),
    Account(AccountLine),
    End(Tally),
}

/// The running checksum over notices.
struct Sum(u64);

impl Sum {
    fn new() -> Sum {
        Sum(0)
    }
    fn add(&mut self, n: &Notice, pdf: &[u8], visits: &[Visit]) {
        let pdf = super::sqlite::digest(&n.number, pdf);
        let mut line = format!("{}\t{}\t{}\t{pdf}", n.number, n.record.year, n.seq);
        for v in visits {
            line.push_str(&format!("\t{}:{}:{}", v.seq, v.record.at, v.record.outcome));
        }
        line.push('\n');
        self.0 = crate::hash::fnv1a64(line.as_bytes(), self.0);
    }
    fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn io(e: std::io::Error) -> RegisterError {
    RegisterError::Store {
        doing: "无法写入导出文件".into(),
        path: String::new(),
        source: Box::new(e),
    }
}

fn bad_file(line: usize, why: &str) -> RegisterError {
    RegisterError::Store {
        doing: format!("导出文件第 {line} 行不对（{why}），没有导入"),
        path: String::new(),
        source: why.to_owned().into(),
    }
}

/// What `r` holds, counted and summed as an export of it would be.
pub fn tally(r: &dyn Register) -> Result<Tally, RegisterError> {
    let mut t = Tally::default();
    let mut sum = Sum::new();
    for s in r.list(&Filter::default(), Paging::All)?.items {
        let n = s?.notice;
        let visits = r.visits(&n.number)?;
        sum.add(&n, &r.pdf(&n.number)?, &visits);
        t.notices += 1;
        t.visits += visits.len() as u64;
    }
    t.accounts = r.accounts()?.len() as u64;
    t.checksum = sum.hex();
    Ok(t)
}

/// Writes every notice of `r` (a damaged one stops the export: restore
/// it first) and its accounts to `out`.
pub fn export(r: &dyn Register, out: &mut dyn Write) -> Result<Tally, RegisterError> {
    let mut t = Tally::default();
    let mut sum = Sum::new();
    let json = |v: &dyn erased::Line| v.to_json();
    writeln!(
        out,
        "{}",
        json(&Header {
            guide_register_export: FORMAT
        })
    )
    .map_err(io)?;
    for s in r.list(&Filter::default(), Paging::All)?.items {
        let n = s?.notice;
        let pdf = r.pdf(&n.number)?;
        let visits = r.visits(&n.number)?;
        sum.add(&n, &pdf, &visits);
        t.notices += 1;
        t.visits += visits.len() as u64;
        let rec = n.record;
        let line = Line::Notice(Box::new(NoticeLine {
            number: n.number,
            seq: n.seq,
            year: rec.year,
            matter_id: rec.matter_id,
            matter_name: rec.matter_name,
            edition: rec.edition,
            applicant: rec.applicant,
            phone: rec.phone,
            clerk: rec.clerk,
            window: rec.window,
            situations: rec.situations,
            missing: rec.missing,
            defects: rec.defects,
            issued_at: rec.issued_at,
            hall: rec.hall,
            sequence: rec.sequence,
            pdf: hex(&pdf),
            visits: visits
                .into_iter()
                .map(|v| VisitLine {
                    seq: v.seq,
                    at: v.record.at,
                    outcome: v.record.outcome.word().to_owned(),
                    brought: v.record.brought,
                    clerk: v.record.clerk,
                    window: v.record.window,
                })
                .collect(),
        }));
        writeln!(out, "{}", json(&line)).map_err(io)?;
    }
    for a in r.accounts()? {
        t.accounts += 1;
        let line = Line::Account(AccountLine {
            name: a.name,
            window: a.window,
            role: a.role.word().to_owned(),
            hash: a.hash,
            disabled: a.disabled,
        });
        writeln!(out, "{}", json(&line)).map_err(io)?;
    }
    t.checksum = sum.hex();
    writeln!(out, "{}", json(&Line::End(t.clone()))).map_err(io)?;
    out.flush().map_err(io)?;
    Ok(t)
}

/// Reads an export into `r`, which must hold no notices yet; checks the
/// file against its end line and then `r` against the file. What was
/// imported.
pub fn import(r: &dyn Register, input: &mut dyn BufRead) -> Result<Tally, RegisterError> {
    if r.list(&Filter::default(), Paging::Page { index: 1, size: 1 })?
        .total
        > 0
    {
        return Err(RegisterError::Store {
            doing: "要导入的登记簿里已有告知单；只能导入到新建的空登记簿（先 guide serve migrate 建表），没有导入".into(),
            path: String::new(),
            source: "not empty".into(),
        });
    }
    let mut lines = input.lines().enumerate();
    let header = lines.next().map(|(_, l)| l);
    let header: Header = match header {
        Some(Ok(l)) => {
            serde_json::from_str(&l).map_err(|_| bad_file(1, "不是 guide 的导出文件"))?
        }
        _ => return Err(bad_file(1, "文件是空的")),
    };
    if header.guide_register_export != FORMAT {
        return Err(bad_file(1, "导出格式的版本不认得，请用同一版本的 guide"));
    }
    // Checked first, stored after: a file cut short imports nothing.
    let mut notices = Vec::new();
    let mut accounts = Vec::new();
    let mut sum = Sum::new();
    let mut t = Tally::default();
    let mut end = None;
    for (i, l) in lines {
        let no = i + 1;
        let l = l.map_err(|e| bad_file(no, &e.to_string()))?;
        if l.trim().is_empty() {
            continue;
        }
        if end.is_some() {
            return Err(bad_file(no, "结束行之后还有内容"));
        }
        match serde_json::from_str::<Line>(&l).map_err(|e| bad_file(no, &e.to_string()))? {
            Line::Notice(n) => {
                let n = *n;
                let pdf = unhex(&n.pdf).ok_or_else(|| bad_file(no, "PDF 不是十六进制"))?;
                let mut visits = Vec::new();
                for v in n.visits {
                    visits.push(Visit {
                        number: n.number.clone(),
                        seq: v.seq,
                        record: NewVisit {
                            brought: v.brought,
                            outcome: Outcome::from_word(&v.outcome)
                                .ok_or_else(|| bad_file(no, "来办结果不对"))?,
                            clerk: v.clerk,
                            window: v.window,
                            at: v.at,
                        },
                    });
                }
                let notice = Notice {
                    number: n.number,
                    seq: n.seq,
                    record: NewNotice {
                        year: n.year,
                        matter_id: n.matter_id,
                        matter_name: n.matter_name,
                        edition: n.edition,
                        applicant: n.applicant,
                        phone: n.phone,
                        clerk: n.clerk,
                        window: n.window,
                        situations: n.situations,
                        missing: n.missing,
                        defects: n.defects,
                        issued_at: n.issued_at,
                        hall: n.hall,
                        sequence: n.sequence,
                    },
                };
                sum.add(&notice, &pdf, &visits);
                t.notices += 1;
                t.visits += visits.len() as u64;
                notices.push((notice, pdf, visits));
            }
            Line::Account(a) => {
                let role = Role::from_word(&a.role).ok_or_else(|| bad_file(no, "角色不对"))?;
                t.accounts += 1;
                accounts.push((a, role));
            }
            Line::End(e) => end = Some(e),
        }
    }
    t.checksum = sum.hex();
    let Some(end) = end else {
        return Err(bad_file(0, "没有结束行：文件不完整"));
    };
    if end != t {
        return Err(RegisterError::Store {
            doing: format!(
                "导出文件与它的结束行不符（文件里 {} 张告知单、校验和 {}；结束行写 {} 张、{}），没有导入",
                t.notices, t.checksum, end.notices, end.checksum
            ),
            path: String::new(),
            source: "checksum".into(),
        });
    }
    for (n, pdf, visits) in &notices {
        r.import(n, pdf, visits)?;
    }
    for (a, role) in accounts {
        let new = NewAccount {
            name: a.name.clone(),
            window: a.window,
            role,
            hash: a.hash,
            created_at: crate::date::timestamp(
                crate::date::clock_unix().unwrap_or(0) + crate::date::BEIJING_OFFSET,
            ),
        };
        match r.add_account(&new) {
            Ok(()) | Err(RegisterError::Exists { .. }) => {}
            Err(e) => return Err(e),
        }
        if a.disabled {
            r.disable_account(&a.name)?;
        }
    }
    let after = tally(r)?;
    if (after.notices, after.visits, &after.checksum) != (t.notices, t.visits, &t.checksum) {
        return Err(RegisterError::Store {
            doing: format!(
                "导入后核对不符：登记簿里 {} 张告知单、校验和 {}，导出文件是 {} 张、{}",
                after.notices, after.checksum, t.notices, t.checksum
            ),
            path: String::new(),
            source: "checksum".into(),
        });
    }
    Ok(t)
}

mod erased {
    /// Something written as one JSON line.
    pub trait Line {
        fn to_json(&self) -> String;
    }
    impl<T: serde::Serialize> Line for T {
        fn to_json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}
