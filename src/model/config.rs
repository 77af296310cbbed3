//! `guide.yaml`: project settings.

use super::{CorrectionUnit, Guide, Kind, Paper, S};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: S<String>,
    pub organization: S<String>,
    pub edition: Option<S<String>>,
    pub base_url: Option<S<String>>,
    pub contact: Option<ProjectContact>,
    /// 行政复议 and 行政诉讼 for every matter that names none.
    pub remedies: Option<super::Remedies>,
    #[serde(default)]
    pub departments: Vec<Department>,
    pub notice: Option<NoticeConfig>,
    pub booklet: Option<BookletConfig>,
    /// The order of categories in `list`, the booklet and the site; those
    /// not listed follow, in the order of their folders.
    #[serde(default)]
    pub categories: Vec<S<String>>,
    /// The site's search: the project's own words that mean the same.
    pub search: Option<SearchConfig>,
    /// The website's registration lines in its footer.
    pub site: Option<SiteConfig>,
    /// Where the notice register is, and which hall this is.
    pub register: Option<RegisterConfig>,
}

/// `register:` in `guide.yaml`: a city's halls sharing one register.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterConfig {
    /// `postgres://USER@HOST:PORT/DATABASE`, never with a password (that
    /// comes from `GUIDE_REGISTER_PASSWORD`).
    pub url: Option<S<String>>,
    /// This hall's name (`{hall}` in the number pattern); `--hall` wins.
    pub hall: Option<S<String>>,
}

/// A word as the site's search compares it: lower case, half-width, without
/// spaces and punctuation (so 出生 上户口 and 出生上户口 are the same query).
pub fn search_word(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            // Full-width ASCII, as a Chinese input method types it.
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// `search:` in `guide.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Groups of words that mean the same to citizens (`[[社保卡, 市民卡]]`):
    /// a query with one of them also finds matters that use another.
    #[serde(default)]
    pub synonyms: Vec<S<Vec<S<String>>>>,
}

/// `site:` in `guide.yaml`: what a government website prints in its footer
/// besides the organisation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// 网站标识码 (ten characters, e.g. `6501000001`).
    pub identifier: Option<S<String>>,
    /// ICP备案号 (`新ICP备12345678号`).
    pub icp: Option<S<String>>,
    /// 公安机关备案号 (`新公网安备65010202000001号`).
    pub police: Option<S<String>>,
}

/// Default phones, address and hours for every matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectContact {
    pub consult: S<super::Texts>,
    pub complaint: S<super::Texts>,
    /// 网上咨询投诉, 电子邮箱, 来信地址 of every matter that names none.
    pub online: Option<S<String>>,
    pub email: Option<S<String>>,
    pub letters: Option<S<String>>,
    pub address: Option<S<String>>,
    pub hours: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub name: S<String>,
    pub short: Option<S<String>>,
    pub address: Option<S<String>>,
    pub phone: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeConfig {
    pub issuer: Option<S<String>>,
    pub number_pattern: Option<S<String>>,
    /// Where the hall server's desk is reached from the windows
    /// (`https://dating.example.gov.cn/`): a numbered notice then carries a
    /// second QR code that opens it on the desk.
    pub desk_url: Option<S<String>>,
    pub correction_days: Option<S<u32>>,
    /// The unit of `correction_days` (工作日 by default).
    pub correction_unit: Option<S<CorrectionUnit>>,
    /// Whether the notice says 补正时间不计入办理时限.
    pub not_counted: Option<S<bool>>,
    /// The clause of 行政许可 when `legal_clauses` names none (the first
    /// format's one clause for every notice).
    pub legal_clause: Option<S<String>>,
    /// The clause a notice cites, per 事项类型; a kind without one cites
    /// none.
    #[serde(default)]
    pub legal_clauses: BTreeMap<Kind, S<String>>,
}

/// A matter's own notice settings (`notice:` in its file): each overrides
/// the project's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatterNotice {
    pub legal_clause: Option<S<String>>,
    pub correction_days: Option<S<u32>>,
    pub correction_unit: Option<S<CorrectionUnit>>,
    pub not_counted: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookletConfig {
    pub paper: Option<S<Paper>>,
    pub large_print: Option<S<bool>>,
    /// Also write the print edition (`booklet-print.pdf`).
    pub print: Option<S<bool>>,
    /// Crop marks on the print edition (implies `print`).
    pub crop_marks: Option<S<bool>>,
    pub fonts: Option<Fonts>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub regular: Option<S<String>>,
    pub bold: Option<S<String>>,
    /// A fuller font for rare characters the others lack (𠮷).
    pub fallback: Option<S<String>>,
}

/// Defaults of the notice block.
/// Unpadded (GB/T 9704: 〔2026〕1号); a pattern may pad with `{seq:4}`.
pub const DEFAULT_NUMBER_PATTERN: &str = "乌政服告〔{year}〕{seq}号";
pub const DEFAULT_CORRECTION_DAYS: u32 = 20;
/// The clause of 行政许可 when the project names none: the law's own rule
/// of the one-time notice. No other kind has a default.
pub const DEFAULT_LEGAL_CLAUSE: &str = "《中华人民共和国行政许可法》第三十二条";

/// The notice settings with defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeSettings {
    pub issuer: String,
    pub number_pattern: String,
    pub correction_days: u32,
    pub correction_unit: CorrectionUnit,
    pub not_counted: bool,
    /// The clause per 事项类型 (行政许可 always has one: `legal_clauses`,
    /// else `legal_clause`, else [`DEFAULT_LEGAL_CLAUSE`]).
    pub legal_clauses: BTreeMap<Kind, String>,
}

/// What the notice of one matter says about the law and the deadline: the
/// project's settings with the matter's own over them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NoticeTerms {
    /// None: the notice cites no clause.
    pub legal_clause: Option<String>,
    pub correction_days: u32,
    pub correction_unit: CorrectionUnit,
    pub not_counted: bool,
}

impl NoticeSettings {
    /// The terms of `g`'s notice: its own `notice:` first, then the clause
    /// of its kind (none when the kind has none or the matter states no
    /// kind), the project's deadline and unit.
    pub fn terms(&self, g: &Guide) -> NoticeTerms {
        let own = g.notice.as_ref();
        let legal_clause = own
            .and_then(|n| n.legal_clause.as_ref())
            .map(|c| c.value.clone())
            .or_else(|| {
                g.kind
                    .as_ref()
                    .and_then(|k| self.legal_clauses.get(&k.value).cloned())
            });
        NoticeTerms {
            legal_clause,
            correction_days: own
                .and_then(|n| n.correction_days.as_ref())
                .map_or(self.correction_days, |d| d.value),
            correction_unit: own
                .and_then(|n| n.correction_unit.as_ref())
                .map_or(self.correction_unit, |u| u.value),
            not_counted: own
                .and_then(|n| n.not_counted.as_ref())
                .map_or(self.not_counted, |b| b.value),
        }
    }

    /// The register number for `seq` in `year`: `{year}`, `{seq}` and
    /// `{seq:N}` (zero-padded to N digits) are replaced.
    pub fn number(&self, year: i32, seq: u32) -> String {
        self.number_at("", year, seq)
    }

    /// Whether each hall numbers on its own: the pattern has `{hall}`.
    pub fn per_hall(&self) -> bool {
        self.number_pattern.contains("{hall}")
    }

    /// The register number for `seq` in `year` of `hall` (`{hall}`
    /// replaced by the hall's name).
    pub fn number_at(&self, hall: &str, year: i32, seq: u32) -> String {
        let mut out = self
            .number_pattern
            .replace("{year}", &year.to_string())
            .replace("{hall}", hall);
        while let Some(start) = out.find("{seq") {
            let Some(len) = out[start..].find('}') else {
                break;
            };
            let spec = &out[start + 4..start + len];
            let width: usize = spec
                .strip_prefix(':')
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            out.replace_range(start..=start + len, &format!("{seq:0width$}"));
        }
        out
    }
}

/// One piece of a notice number pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    Char(char),
    Year,
    Seq,
    Hall,
}

/// `{year}` and `{seq}`/`{seq:N}` as pieces; anything else literally.
fn pieces(pattern: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if let Some(r) = rest.strip_prefix("{year}") {
            out.push(Piece::Year);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("{hall}") {
            out.push(Piece::Hall);
            rest = r;
        } else if let Some(end) = rest
            .strip_prefix("{seq")
            .and_then(|r| r.find('}').map(|e| (r, e)))
            .filter(|(r, e)| {
                r[..*e].is_empty()
                    || r[..*e]
                        .strip_prefix(':')
                        .is_some_and(|w| w.parse::<u32>().is_ok())
            })
        {
            out.push(Piece::Seq);
            rest = &end.0[end.1 + 1..];
        } else {
            out.push(Piece::Char(c));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

fn matches(pieces: &[Piece], text: &str) -> bool {
    let Some((first, more)) = pieces.split_first() else {
        return text.is_empty();
    };
    match first {
        Piece::Char(c) => text.strip_prefix(*c).is_some_and(|t| matches(more, t)),
        Piece::Year => {
            text.len() >= 4
                && text.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                && matches(more, &text[4..])
        }
        Piece::Seq => {
            let digits = text.bytes().take_while(u8::is_ascii_digit).count();
            (1..=digits).any(|n| matches(more, &text[n..]))
        }
        Piece::Hall => text
            .char_indices()
            .skip(1)
            .map(|(i, _)| i)
            .chain([text.len()])
            .any(|n| matches(more, &text[n..])),
    }
}

/// Whether `text` is a register number of `pattern` (`{year}` four digits,
/// `{seq…}` one or more): a file so named is a filled notice.
pub fn is_notice_number(pattern: &str, text: &str) -> bool {
    matches(&pieces(pattern), text)
}

/// A `.gitignore` pattern for the PDFs of `pattern`'s notices
/// (`示政服告〔*〕*号.pdf`).
pub fn notice_pdf_glob(pattern: &str) -> String {
    let mut out = String::new();
    for p in pieces(pattern) {
        match p {
            Piece::Char(c @ ('*' | '?' | '[' | '\\' | '!' | '#')) => {
                out.push('\\');
                out.push(c);
            }
            Piece::Char(c) => out.push(c),
            Piece::Year | Piece::Seq | Piece::Hall => out.push('*'),
        }
    }
    out.push_str(".pdf");
    out
}

impl Config {
    /// `notice` with the defaults of SPEC.md for what is not set.
    pub fn notice_settings(&self) -> NoticeSettings {
        let n = self.notice.as_ref();
        let text = |f: fn(&NoticeConfig) -> &Option<S<String>>, d: &str| {
            n.and_then(|n| f(n).as_ref())
                .map_or(d.to_owned(), |s| s.value.clone())
        };
        NoticeSettings {
            issuer: text(|n| &n.issuer, &self.organization.value),
            number_pattern: text(|n| &n.number_pattern, DEFAULT_NUMBER_PATTERN),
            correction_days: n
                .and_then(|n| n.correction_days.as_ref())
                .map_or(DEFAULT_CORRECTION_DAYS, |d| d.value),
            correction_unit: n
                .and_then(|n| n.correction_unit.as_ref())
                .map_or(CorrectionUnit::WorkingDay, |u| u.value),
            not_counted: n
                .and_then(|n| n.not_counted.as_ref())
                .is_some_and(|b| b.value),
            legal_clauses: {
                let mut map: BTreeMap<Kind, String> = n
                    .map(|n| &n.legal_clauses)
                    .into_iter()
                    .flatten()
                    .map(|(k, c)| (*k, c.value.clone()))
                    .collect();
                map.entry(Kind::Permit)
                    .or_insert_with(|| text(|n| &n.legal_clause, DEFAULT_LEGAL_CLAUSE));
                map
            },
        }
    }

    pub fn department(&self, name: &str) -> Option<&Department> {
        self.departments
            .iter()
            .find(|d| d.name.value == name || d.short.as_ref().is_some_and(|s| s.value == name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_numbers_follow_the_pattern() {
        let n = NoticeSettings {
            issuer: String::new(),
            number_pattern: DEFAULT_NUMBER_PATTERN.into(),
            correction_days: 20,
            correction_unit: CorrectionUnit::WorkingDay,
            not_counted: false,
            legal_clauses: BTreeMap::new(),
        };
        assert_eq!(n.number(2026, 1), "乌政服告〔2026〕1号");
        assert_eq!(n.number(2027, 12345), "乌政服告〔2027〕12345号");
        let padded = NoticeSettings {
            number_pattern: "乌政服告〔{year}〕{seq:4}号".into(),
            ..n.clone()
        };
        assert_eq!(padded.number(2026, 1), "乌政服告〔2026〕0001号");
        let plain = NoticeSettings {
            number_pattern: "{year}-{seq}".into(),
            ..n.clone()
        };
        assert_eq!(plain.number(2026, 7), "2026-7");
        let halls = NoticeSettings {
            number_pattern: "乌政服告〔{year}〕{hall}{seq}号".into(),
            ..n.clone()
        };
        assert!(halls.per_hall() && !n.per_hall());
        assert_eq!(
            halls.number_at("海勃湾", 2026, 3),
            "乌政服告〔2026〕海勃湾3号"
        );
        assert!(is_notice_number(
            &halls.number_pattern,
            "乌政服告〔2026〕海勃湾3号"
        ));
        assert!(!is_notice_number(
            &halls.number_pattern,
            "乌政服告〔2026〕3号"
        ));
    }

    #[test]
    fn a_file_name_is_known_as_a_notice_number() {
        let n = DEFAULT_NUMBER_PATTERN;
        assert!(is_notice_number(n, "乌政服告〔2026〕0001号"));
        assert!(is_notice_number(n, "乌政服告〔2027〕12345号"));
        assert!(!is_notice_number(n, "乌政服告〔26〕0001号"));
        assert!(!is_notice_number(n, "办理须知"));
        assert!(is_notice_number("{year}-{seq}", "2026-7"));
        assert_eq!(notice_pdf_glob(n), "乌政服告〔*〕*号.pdf");
        assert_eq!(notice_pdf_glob("#{year}[{seq}]"), "\\#*\\[*].pdf");
    }
}
