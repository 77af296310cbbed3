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

impl Config {
    pub fn department(&self, name: &str) -> Option<&Department> {
        self.departments
            .iter()
            .find(|d| d.name.value == name || d.short.as_ref().is_some_and(|s| s.value == name))
    }
}
