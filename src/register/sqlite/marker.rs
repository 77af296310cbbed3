//! Small files beside a register, named like SQLite's own `-wal` and `-shm`:
//!
//! - `REGISTER-marker` says that a register was created at this path, the
//!   last number guide saw in it, and the size and modification time of the
//!   file after guide last wrote it. It outlives the register: when the
//!   register goes missing, turns into an empty file, loses its newest
//!   notices (a deleted `-wal`, an old backup put back), or was changed by
//!   another program, the marker is how guide notices.
//! - `REGISTER-holder` names the window that holds the write lock right now,
//!   so that another window kept waiting can say who it waits for.
//!
//! Both are plain text, a few hundred bytes, and read with a size limit.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The files of a register besides the database itself: SQLite's and ours.
pub const SIBLINGS: [&str; 6] = ["-wal", "-shm", "-journal", "-marker", "-holder", "-turn"];

/// What SQLite leaves beside a database it had open.
pub const LEFTOVERS: [&str; 3] = ["-wal", "-shm", "-journal"];

/// Our files are a few hundred bytes; more is not ours.
const MAX_BYTES: u64 = 4096;

/// `path` with `suffix` appended to its file name (`notices.db-wal`).
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name: OsString = path.file_name().map(OsString::from).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Size and modification time of a file: when both are what guide recorded
/// after its last write, nobody else wrote the file since.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub modified_ns: u128,
}

pub fn fingerprint(path: &Path) -> Option<Fingerprint> {
    let m = std::fs::metadata(path).ok()?;
    let modified_ns = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some(Fingerprint {
        len: m.len(),
        modified_ns,
    })
}

/// The marker of a register. A marker that exists but cannot be read or
/// parsed still says that a register was here: its fields are then `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marker {
    /// Year and sequence number of the newest notice guide saw.
    pub last: Option<(i32, u32)>,
    /// The register file after guide's last write.
    pub file: Option<Fingerprint>,
}

impl Marker {
    fn parse(text: &str) -> Marker {
        let mut m = Marker::default();
        for line in text.lines() {
            let f: Vec<&str> = line.split_whitespace().collect();
            match f.as_slice() {
                ["last", y, s] => m.last = y.parse().ok().zip(s.parse().ok()),
                ["file", len, ns] => {
                    m.file = len
                        .parse()
                        .ok()
                        .zip(ns.parse().ok())
                        .map(|(len, modified_ns)| Fingerprint { len, modified_ns })
                }
                _ => {}
            }
        }
        m
    }

    fn text(&self, register: &Path) -> String {
        let name = register
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut t = format!(
            "# guide：告知单登记簿 {} 的记录，用来发现登记簿丢失、被换成旧的备份或被别的程序改动。请勿删除或修改。\n",
            super::text::visible(&name)
        );
        if let Some((y, s)) = self.last {
            t.push_str(&format!("last {y} {s}\n"));
        }
        if let Some(f) = self.file {
            t.push_str(&format!("file {} {}\n", f.len, f.modified_ns));
        }
        t
    }
}

/// Reads at most [`MAX_BYTES`] of `path`; `None` when it does not exist.
fn read_small(path: &Path) -> Option<String> {
    let f = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    f.take(MAX_BYTES).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The marker of the register at `register`, if there is one.
pub fn read(register: &Path) -> Option<Marker> {
    let path = sibling(register, "-marker");
    if std::fs::symlink_metadata(&path).is_err() {
        return None;
    }
    Some(read_small(&path).map_or_else(Marker::default, |t| Marker::parse(&t)))
}

/// Replaces the marker of `register` at once (a new file renamed over the
/// old), so that a reader never sees half of one. The caller names the
/// marker's path in its error.
pub fn write(register: &Path, marker: &Marker) -> std::io::Result<()> {
    let path = sibling(register, "-marker");
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let write = || -> std::io::Result<()> {
        let mut b = tempfile::Builder::new();
        b.prefix(".guide-marker-");
        // Readable by every window's account, as the register is.
        #[cfg(unix)]
        b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut tmp = b.tempfile_in(dir)?;
        tmp.write_all(marker.text(register).as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    };
    write()
}

/// The mark of a window holding the write lock; removed when dropped.
pub struct Holder(PathBuf);

impl Holder {
    /// Says that this process, at `window`, holds the lock of `register`
    /// since now. Best effort: a register is not refused for want of it.
    pub fn mark(register: &Path, window: Option<&str>, now: &str) -> Option<Holder> {
        let path = sibling(register, "-holder");
        let mut who = String::new();
        if let Some(w) = window {
            who.push_str(&format!("窗口 {w}，"));
        }
        if let Some(h) = host() {
            who.push_str(&format!("电脑 {h}，"));
        }
        who.push_str(&format!("进程 {}，{now} 起", std::process::id()));
        // A new file renamed into place: a link planted there is replaced,
        // not written through.
        let dir = path.parent()?;
        let mut b = tempfile::Builder::new();
        b.prefix(".guide-holder-");
        #[cfg(unix)]
        b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut tmp = b.tempfile_in(dir).ok()?;
        tmp.write_all(who.as_bytes()).ok()?;
        tmp.persist(&path).ok()?;
        Some(Holder(path))
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Who holds the lock of `register`, as its holder file says (made safe
/// to print), if a window of guide left one.
pub fn holder(register: &Path) -> Option<String> {
    let t = read_small(&sibling(register, "-holder"))?;
    let t = t.lines().next().unwrap_or_default().trim();
    (!t.is_empty()).then(|| super::text::visible(t).into_owned())
}

fn host() -> Option<String> {
    let name = std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| read_small(Path::new("/proc/sys/kernel/hostname")))
        .or_else(|| std::env::var("HOSTNAME").ok())?;
    let name = name.trim();
    (!name.is_empty() && name.len() < 256).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_reads_back_and_garbage_still_counts_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let reg = dir.path().join("notices.db");
        assert_eq!(read(&reg), None);
        let m = Marker {
            last: Some((2026, 17)),
            file: Some(Fingerprint {
                len: 4096,
                modified_ns: 1_780_272_000_123_456_789,
            }),
        };
        write(&reg, &m).unwrap();
        assert_eq!(read(&reg), Some(m));
        std::fs::write(sibling(&reg, "-marker"), [0xff, 0, 1, 2]).unwrap();
        assert_eq!(read(&reg), Some(Marker::default()));
    }
}
