//! The text of the files diagnostics point into. Files are read again on
//! demand, so a large clean corpus is not held in memory to quote a line.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

#[derive(Debug, Default)]
pub struct SourceMap {
    /// Where relative file names are resolved when a text was not kept.
    root: PathBuf,
    files: Mutex<BTreeMap<String, Arc<str>>>,
    /// The byte offset where each line starts, per file, made on first use:
    /// a thousand diagnostics in one file must not scan it a thousand times.
    line_starts: Mutex<BTreeMap<String, Arc<Vec<usize>>>>,
    /// Lines whose value the decoder replaced while recovering from an error.
    touched: BTreeMap<String, Vec<u32>>,
    /// Keys the decoder removed while recovering.
    removed: BTreeMap<String, Vec<String>>,
}

impl SourceMap {
    pub fn new(root: PathBuf) -> SourceMap {
        SourceMap {
            root,
            ..SourceMap::default()
        }
    }

    /// Keeps `text` as the content of `file` (as decoded, BOM removed).
    pub fn insert(&mut self, file: String, text: String) {
        self.files
            .get_mut()
            .expect("source map lock")
            .insert(file, text.into());
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

    /// Whether a finding at `line` of `file` would be about a placeholder.
    pub fn is_touched(&self, file: &str, line: u32) -> bool {
        self.touched.get(file).is_some_and(|l| l.contains(&line))
    }

    /// Whether the decoder removed `key` from `file` (so its absence is ours).
    pub fn was_removed(&self, file: &str, key: &str) -> bool {
        self.removed
            .get(file)
            .is_some_and(|k| k.iter().any(|k| k == key))
    }

    /// The text of `file`: kept, or read again from the project.
    pub fn get(&self, file: &str) -> Option<Arc<str>> {
        let mut files = self.files.lock().ok()?;
        if let Some(t) = files.get(file) {
            return Some(t.clone());
        }
        // A file read again decoded cleanly when it was loaded (one that
        // did not is kept from then): UTF-8, perhaps with a BOM.
        let bytes = std::fs::read(self.root.join(file)).ok()?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text: Arc<str> = std::str::from_utf8(bytes).ok()?.into();
        files.insert(file.to_owned(), text.clone());
        Some(text)
    }

    /// Where each line of `file` starts (byte offsets), with its text.
    fn lines(&self, file: &str) -> Option<(Arc<str>, Arc<Vec<usize>>)> {
        let text = self.get(file)?;
        let mut cache = self.line_starts.lock().ok()?;
        let starts = cache
            .entry(file.to_owned())
            .or_insert_with(|| {
                let mut v = vec![0];
                v.extend(text.match_indices('\n').map(|(i, _)| i + 1));
                Arc::new(v)
            })
            .clone();
        Some((text, starts))
    }

    /// The byte offset in `file` of `pos` (1-based line and column in
    /// characters), with the file's text.
    pub fn offset(&self, file: &str, pos: crate::model::Pos) -> Option<(Arc<str>, usize)> {
        let (text, starts) = self.lines(file)?;
        let start_of_line = *starts.get(pos.line.checked_sub(1)? as usize)?;
        let at = start_of_line
            + text[start_of_line..]
                .char_indices()
                .nth(pos.column.saturating_sub(1) as usize)
                .map_or(0, |(i, _)| i);
        Some((text, at))
    }

    /// The 1-based line and column (in characters) of byte `at` of `file`.
    pub fn line_column(&self, file: &str, at: usize) -> (u32, u32) {
        let Some((text, starts)) = self.lines(file) else {
            return (1, 1);
        };
        let line = starts.partition_point(|&s| s <= at).max(1);
        let start = starts[line - 1];
        let column = text.get(start..at).map_or(0, |l| l.chars().count()) as u32 + 1;
        (line as u32, column)
    }

    /// The text of 1-based `line` of `file`, without its line end.
    pub fn line(&self, file: &str, line: u32) -> Option<String> {
        let (text, starts) = self.lines(file)?;
        let i = line.checked_sub(1)? as usize;
        let start = *starts.get(i)?;
        let end = starts.get(i + 1).map_or(text.len(), |e| e - 1);
        let l = &text[start..end];
        Some(l.strip_suffix('\r').unwrap_or(l).to_owned())
    }
}
