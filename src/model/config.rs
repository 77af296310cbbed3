//! `guide.yaml`: project settings.

use super::{Paper, S};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: S<String>,
    pub organization: S<String>,
    pub edition: Option<S<String>>,
    pub base_url: Option<S<String>>,
    pub contact: Option<ProjectContact>,
    #[serde(default)]
    pub departments: Vec<Department>,
    pub notice: Option<NoticeConfig>,
    pub booklet: Option<BookletConfig>,
}

/// Default phones, address and hours for every matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectContact {
    pub consult: S<String>,
    pub complaint: S<String>,
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
    pub correction_days: Option<S<u32>>,
    pub legal_clause: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookletConfig {
    pub paper: Option<S<Paper>>,
    pub large_print: Option<S<bool>>,
    pub fonts: Option<Fonts>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub regular: Option<S<String>>,
    pub bold: Option<S<String>>,
}

/// Defaults of the notice block.
pub const DEFAULT_NUMBER_PATTERN: &str = "乌政服告〔{year}〕{seq:4}号";
pub const DEFAULT_CORRECTION_DAYS: u32 = 20;
pub const DEFAULT_LEGAL_CLAUSE: &str = "《中华人民共和国行政许可法》第三十二条";

/// The notice settings with defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeSettings {
    pub issuer: String,
    pub number_pattern: String,
    pub correction_days: u32,
    pub legal_clause: String,
}

impl NoticeSettings {
    /// The register number for `seq` in `year`: `{year}`, `{seq}` and
    /// `{seq:N}` (zero-padded to N digits) are replaced.
    pub fn number(&self, year: i32, seq: u32) -> String {
        let mut out = self.number_pattern.replace("{year}", &year.to_string());
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
            legal_clause: text(|n| &n.legal_clause, DEFAULT_LEGAL_CLAUSE),
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
            legal_clause: String::new(),
        };
        assert_eq!(n.number(2026, 1), "乌政服告〔2026〕0001号");
        assert_eq!(n.number(2027, 12345), "乌政服告〔2027〕12345号");
        let plain = NoticeSettings {
            number_pattern: "{year}-{seq}".into(),
            ..n
        };
        assert_eq!(plain.number(2026, 7), "2026-7");
    }
}
