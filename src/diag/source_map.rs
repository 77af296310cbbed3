//! The text of every file read, so diagnostics can quote their line.

use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct SourceMap {
    files: BTreeMap<String, String>,
    /// Lines whose value the decoder replaced while recovering from an error.
    touched: BTreeMap<String, Vec<u32>>,
    /// Keys the decoder removed while recovering.
    removed: BTreeMap<String, Vec<String>>,
}

impl SourceMap {
    pub fn insert(&mut self, file: String, text: String) {
        self.files.insert(file, text);
    }

    pub fn touch(&mut self, file: &str, lines: Vec<u32>, keys: Vec<String>) {
        if !lines.is_empty() {
            self.touched
                .entry(file.to_owned())
                .or_default()
                .extend(lines);
        }
        if !keys.is_empty() {
            self.removed
                .entry(file.to_owned())
                .or_default()
                .extend(keys);
        }
    }

    /// Whether the decoder removed `key` from `file` (so its absence is ours).
    pub fn was_removed(&self, file: &str, key: &str) -> bool {
        self.removed
            .get(file)
            .is_some_and(|k| k.iter().any(|k| k == key))
    }

    /// Whether a finding at `line` of `file` would be about a placeholder.
    pub fn is_touched(&self, file: &str, line: u32) -> bool {
        self.touched.get(file).is_some_and(|l| l.contains(&line))
    }

    pub fn get(&self, file: &str) -> Option<&str> {
        self.files.get(file).map(String::as_str)
    }

    /// The text of 1-based `line` of `file`, without its line end.
    pub fn line(&self, file: &str, line: u32) -> Option<&str> {
        let text = self.get(file)?;
        let l = text.split('\n').nth(line.checked_sub(1)? as usize)?;
        Some(l.strip_suffix('\r').unwrap_or(l))
    }
}
