//! Live data: the server watches the project folder; when the guide data
//! changes, it loads and checks it again. A valid change replaces the
//! snapshot at once (the site and the desk use it, new notices record its
//! edition); an invalid one keeps the last good data and its diagnostics
//! are shown on `/desk/status`. The register's own files, the outputs of
//! `guide build` and `.git` are not the data and are not watched for.

use super::Live;
use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

/// Changes closer together than this are loaded once.
const QUIET: Duration = Duration::from_millis(300);

/// How often the server looks whether the day (Beijing time) changed.
const DAY_CHECK: Duration = Duration::from_secs(30);

/// Whether the data, selected as in force on `as_of`, is of another day
/// than `now` (Unix seconds) in Beijing.
fn new_day(as_of: Option<crate::date::Date>, now: i64) -> bool {
    as_of.is_some_and(|d| d != crate::date::Date::from_unix(now + crate::date::BEIJING_OFFSET))
}

/// How the last reload went.
#[derive(Clone, Debug, Default)]
pub struct Reload {
    /// When (Beijing time).
    pub at: String,
    /// The diagnostics that kept the new data from being served.
    pub diagnostics: Option<String>,
}

/// Whether a change of `path` may change the guide data.
fn is_data(root: &Path, ignored: &[PathBuf], path: &Path) -> bool {
    if ignored.iter().any(|i| i == path) {
        return false;
    }
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    if name.starts_with(".guide-") || name.ends_with(".pdf.part") {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if rel.components().any(|c| c.as_os_str() == ".git") {
        return false;
    }
    // A folder `guide build` wrote is output, not data.
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d.join(crate::load::OUTPUT_MARKER).exists() {
            return false;
        }
        if d == root {
            break;
        }
        dir = d.parent();
    }
    true
}

/// Loads the project again and swaps the snapshot if it is valid.
pub fn reload(app: &Live) {
    let at = super::beijing_now();
    let diagnostics = match super::load(&app.root) {
        Ok(Ok(snapshot)) => {
            app.replace(snapshot);
            eprintln!("{at} 指南数据已更新");
            None
        }
        Ok(Err(diags)) => Some(diags),
        Err(e) => Some(format!("{e:#}")),
    };
    if let Some(d) = &diagnostics {
        eprint!("{d}");
        eprintln!(
            "\n{at} 指南数据有错误，继续使用上一版数据（改正后保存即可；负责人在 /desk/status 也能看到）"
        );
    }
    app.set_reload(Reload { at, diagnostics });
}

/// The watcher and its thread.
pub struct Watch {
    watcher: notify::RecommendedWatcher,
    thread: std::thread::JoinHandle<()>,
}

impl Watch {
    /// Stops watching; returns once the thread has let go of the app.
    pub fn stop(self) {
        drop(self.watcher);
        let _ = self.thread.join();
    }
}

/// Starts watching the project of `app` on a thread of its own. `ignored`
/// are the register's files.
pub fn start(app: Arc<Live>, ignored: Vec<PathBuf>) -> notify::Result<Watch> {
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(&app.root, RecursiveMode::Recursive)?;
    let root = std::fs::canonicalize(&app.root).unwrap_or_else(|_| app.root.clone());
    let ignored: Vec<PathBuf> = ignored
        .iter()
        .map(|p| {
            p.parent()
                .and_then(|d| std::fs::canonicalize(d).ok())
                .map_or_else(|| p.clone(), |d| d.join(p.file_name().unwrap_or_default()))
        })
        .collect();
    let thread = std::thread::spawn(move || {
        let relevant = |e: &notify::Result<notify::Event>| {
            e.as_ref().is_ok_and(|e| {
                !e.kind.is_access() && e.paths.iter().any(|p| is_data(&root, &ignored, p))
            })
        };
        loop {
            // Wait for a change of the data, or for midnight: a new day may
            // put another version of a matter in force …
            match rx.recv_timeout(DAY_CHECK) {
                Ok(e) if relevant(&e) => {}
                Ok(_) => continue,
                Err(RecvTimeoutError::Timeout) => {
                    if new_day(app.data().project.as_of, super::unix_now()) {
                        reload(&app);
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
            // … and for the editor to finish saving.
            loop {
                match rx.recv_timeout(QUIET) {
                    Ok(_) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            reload(&app);
        }
    });
    Ok(Watch { watcher, thread })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;

    #[test]
    fn the_data_is_reloaded_at_midnight_beijing_time_not_utc() {
        let june1 = Date::parse("2026-06-01");
        // 2026-05-31 23:59:59 and 2026-06-01 00:00:00 Beijing time.
        let before = 1_780_243_199;
        assert!(new_day(june1, before));
        assert!(!new_day(june1, before + 1));
        assert!(!new_day(june1, before + 86_400));
        assert!(new_day(june1, before + 86_401));
        assert!(!new_day(None, before));
    }
}
