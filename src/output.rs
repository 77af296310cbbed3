//! The output folder of `guide build`: written atomically (a fresh folder
//! beside it is swapped in only when all succeeded, so a failed build leaves
//! the previous output intact), and nothing else is lost: the folder's
//! marker lists every entry the build wrote, a folder holding anything else
//! is refused, and a build killed while swapping leaves the previous output
//! in a marked folder beside it, which the next run puts back ([`recover`]).

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Written into every output folder: that guide wrote it and what it
/// wrote, so that a later build replaces only that (see [`Marker`]).
const MARKER: &str = crate::load::OUTPUT_MARKER;
/// In a `.NAME.building-PID` folder, locked while that build writes, so
/// that another run does not take a running build for a killed one.
const LOCK: &str = ".guide-lock";

/// What an output folder's marker says.
#[derive(Debug, PartialEq)]
enum Marker {
    /// No marker.
    Missing,
    /// `guide build` alone: a marker from before outputs listed their files.
    Unlisted,
    /// `guide build`, `files:`, then every entry guide wrote, one a line,
    /// `/`-separated, folders ending in `/`, sorted (so the same input
    /// writes the same marker).
    Listed(Vec<String>),
    /// `guide build`, `aside:`: the entries of an output that an `--only`
    /// build moved aside while it put its new ones in.
    Aside,
}

fn read_marker(dir: &Path) -> Marker {
    let Ok(text) = std::fs::read_to_string(dir.join(MARKER)) else {
        return Marker::Missing;
    };
    let mut lines = text.lines().skip(1);
    match lines.next() {
        Some("files:") => Marker::Listed(lines.map(str::to_owned).collect()),
        Some("aside:") => Marker::Aside,
        _ => Marker::Unlisted,
    }
}

fn listed(entries: &[String]) -> String {
    let mut s = String::from("guide build\nfiles:\n");
    for e in entries {
        s.push_str(e);
        s.push('\n');
    }
    s
}

/// Every entry under `dir` but its marker and lock: files, and folders
/// ending in `/`; relative, `/`-separated, sorted. Links are not followed.
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.depth() > 1 || (e.file_name() != MARKER && e.file_name() != LOCK))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let mut s = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if e.file_type().is_dir() {
                s.push('/');
            }
            Some(s)
        })
        .collect();
    v.sort();
    v
}

/// The name of an entry (as [`entries`] names it) directly in the folder.
fn top_level(entry: &str) -> Option<&str> {
    let name = entry.strip_suffix('/').unwrap_or(entry);
    (!name.contains('/')).then_some(name)
}

/// Whether `entry` (as [`entries`] names it) is something `guide build`
/// writes, judged by its name alone. Used for folders from before the
/// marker listed its files: such a folder is taken as an output only when
/// every entry could be one (nothing a person might have put there is
/// replaced). `site/files/` holds copies of the project's own blank forms
/// and samples, named as the project names them, so anything goes there.
fn written_by_name(entry: &str) -> bool {
    let id = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let parts: Vec<&str> = entry.split('/').collect();
    match parts.as_slice() {
        ["booklet.pdf" | "booklet-print.pdf" | "changes.pdf"] => true,
        ["notices" | "data" | "site", ""] => true,
        ["notices", f] => f.strip_suffix(".pdf").is_some_and(id),
        ["data", "guides.json"] => true,
        ["site", "index.html" | "changelog.html" | "404.html"] => true,
        ["site", "categories" | "matters" | "assets" | "files", ""] => true,
        ["site", "categories", f] => f
            .strip_suffix(".html")
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())),
        ["site", "matters", f] => f.strip_suffix(".html").is_some_and(id),
        ["site", "matters", d, ""] => id(d),
        ["site", "matters", d, "notice.html"] => id(d),
        [
            "site",
            "assets",
            "style.css" | "site.js" | "search.js" | "search-index.js",
        ] => true,
        ["site", "files", ..] => true,
        _ => false,
    }
}

/// What is in `out` that guide did not write there: what its marker does
/// not list, or for a folder without a list, what guide would not write.
fn foreign(out: &Path) -> Vec<String> {
    let have = entries(out);
    match read_marker(out) {
        Marker::Listed(list) => {
            let list: std::collections::BTreeSet<String> = list.into_iter().collect();
            have.into_iter().filter(|e| !list.contains(e)).collect()
        }
        Marker::Missing | Marker::Unlisted | Marker::Aside => {
            have.into_iter().filter(|e| !written_by_name(e)).collect()
        }
    }
}

/// Refuses an output place that would destroy something: the project (or
/// a folder holding it), a file, or a folder holding anything guide did
/// not write there.
pub fn safe_output(root: &Path, out: &Path) -> Result<(), String> {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if abs(root).starts_with(abs(out)) {
        return Err(format!(
            "输出文件夹 {} 是项目文件夹或它的上级：生成时会替换整个文件夹，项目会被删掉。请用 dist 或另一个空文件夹",
            out.display()
        ));
    }
    if out.is_file() {
        return Err(format!(
            "{} 是一个文件，不是文件夹；请换一个输出文件夹",
            out.display()
        ));
    }
    if out.is_dir() {
        let other = foreign(out);
        if !other.is_empty() {
            let mut shown = other.iter().take(5).cloned().collect::<Vec<_>>().join("、");
            if other.len() > 5 {
                shown.push_str(&format!(" 等 {} 项", other.len()));
            }
            return Err(format!(
                "{} 里有不是 guide 生成的输出：{shown}。guide 只替换它自己生成的文件，不会覆盖或删除别的文件：请把它们移到别处，或换一个空的输出文件夹",
                out.display()
            ));
        }
    }
    Ok(())
}

/// Removes a folder guide made, its marker last: if this is cut short,
/// what is left still carries the marker and the next run finishes it.
fn remove_ours(dir: &Path) {
    use rayon::prelude::*;
    if let Ok(list) = std::fs::read_dir(dir) {
        // The outputs side by side (the notices and the site are
        // thousands of files each).
        let entries: Vec<_> = list
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name() != MARKER)
            .collect();
        entries.par_iter().for_each(|e| {
            let p = e.path();
            let _ = match e.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
                _ => std::fs::remove_file(&p),
            };
        });
    }
    let _ = std::fs::remove_file(dir.join(MARKER));
    let _ = std::fs::remove_dir(dir);
}

/// Takes the lock of a folder being built. `None`: another build holds it.
fn lock(dir: &Path) -> Option<std::fs::File> {
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK))
        .ok()?;
    match f.try_lock() {
        Err(std::fs::TryLockError::WouldBlock) => None,
        // A file system without locks: nothing to tell, go on.
        Ok(()) | Err(std::fs::TryLockError::Error(_)) => Some(f),
    }
}

/// Whether a running build holds the lock of `.NAME.building-PID`.
fn running(parent: &Path, name: &str, pid: &str) -> bool {
    let dir = parent.join(format!(".{name}.building-{pid}"));
    dir.join(LOCK).is_file() && lock(&dir).is_none()
}

/// After a build that was killed: `.NAME.old-PID` (the previous output
/// moved aside, or with `--only` some of its entries) and
/// `.NAME.building-PID` (an unfinished new one) may lie beside `out`.
/// Puts the previous output back where `out` is missing (or the entries of
/// it an `--only` build had moved aside), then removes the leftovers, and
/// says so. Touches only folders with guide's marker whose build is not
/// running.
pub fn recover(out: &Path) -> Vec<String> {
    let (parent, name) = beside(out);
    let (parent, name) = (parent.as_path(), name.as_str());
    let mut said = Vec::new();
    let Ok(list) = std::fs::read_dir(parent) else {
        return said;
    };
    let (old, building) = (format!(".{name}.old-"), format!(".{name}.building-"));
    let mut left: Vec<(String, PathBuf, bool)> = list
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let (is_old, pid) = match (file.strip_prefix(&old), file.strip_prefix(&building)) {
                (Some(pid), _) => (true, pid.to_owned()),
                (_, Some(pid)) => (false, pid.to_owned()),
                _ => return None,
            };
            let ours = !pid.is_empty()
                && pid.chars().all(|c| c.is_ascii_digit())
                && read_marker(&e.path()) != Marker::Missing
                && !running(parent, name, &pid);
            ours.then(|| (file, e.path(), is_old))
        })
        .collect();
    left.sort();
    let mut restored = Vec::new();
    for (file, dir, is_old) in &left {
        if !is_old {
            continue;
        }
        match read_marker(dir) {
            Marker::Aside if guides(out) => {
                for top in entries(dir).iter().filter_map(|e| top_level(e)) {
                    if !out.join(top).exists()
                        && std::fs::rename(dir.join(top), out.join(top)).is_ok()
                    {
                        restored.push(top.to_owned());
                    }
                }
            }
            Marker::Listed(_) | Marker::Unlisted
                if !out.exists() && std::fs::rename(dir, out).is_ok() =>
            {
                said.push(format!(
                    "上次生成被中断：已恢复原有输出 {}（来自 {file}）",
                    out.display()
                ));
            }
            _ => {}
        }
    }
    if !restored.is_empty() {
        said.push(format!(
            "上次生成被中断：已把原有的 {} 放回 {}",
            restored.join("、"),
            out.display()
        ));
    }
    // What was moved aside is the previous output: it goes only once an
    // output guide wrote is back in place (not, say, an empty folder made
    // by hand); until then it stays, and the user is told.
    let replaced = guides(out);
    let mut cleaned = Vec::new();
    for (file, dir, is_old) in &left {
        if !dir.exists() {
            continue;
        }
        if *is_old && !replaced {
            said.push(format!(
                "上次生成被中断：{file} 里是原有输出，而 {} 不存在或不是 guide 生成的输出，所以保留了它；确认不需要后可自行删除",
                out.display()
            ));
            continue;
        }
        remove_ours(dir);
        cleaned.push(file.as_str());
    }
    if !cleaned.is_empty() {
        said.push(format!(
            "已清理上次中断留下的临时文件夹：{}",
            cleaned.join("、")
        ));
    }
    said
}

/// Whether `dir` is an output guide wrote (it has an output's marker).
fn guides(dir: &Path) -> bool {
    matches!(read_marker(dir), Marker::Listed(_) | Marker::Unlisted)
}

/// Writes `out`'s marker listing `list`, atomically: written beside it in
/// `staging` first, then moved over the old one.
fn write_listed(staging: &Path, out: &Path, list: &[String]) -> Result<()> {
    let temp = staging.join(format!("{MARKER}.new"));
    std::fs::write(&temp, listed(list)).context("无法写入输出标记")?;
    std::fs::rename(&temp, out.join(MARKER)).context("无法写入输出标记")
}

/// What an output file brings along: the print edition is part of the
/// booklet, so a build of the booklet without it removes an older one
/// (a print edition of other data must never be left beside it).
fn companions(name: &str) -> &'static [&'static str] {
    match name {
        "booklet.pdf" => &["booklet-print.pdf"],
        _ => &[],
    }
}

/// `--only`: moves each top-level entry of `staging` into `out`, the
/// previous one of the same name aside to `old` first; then removes
/// `staging` and `old`. The marker of `out` lists the entries of both the
/// previous and the new output until the swap is done, so that a build
/// killed midway leaves nothing unlisted.
fn swap_entries(staging: &Path, out: &Path, old: &Path) -> Result<()> {
    let new = entries(staging);
    let have = entries(out);
    let mut names: Vec<&str> = new.iter().filter_map(|e| top_level(e)).collect();
    // An older companion the new build did not write goes too.
    let extra: Vec<&str> = names
        .iter()
        .flat_map(|n| companions(n))
        .copied()
        .filter(|c| !names.contains(c))
        .collect();
    names.extend(extra);
    let top = |e: &String| e.split('/').next().unwrap_or_default().to_owned();
    let mut both: Vec<String> = have.iter().chain(&new).cloned().collect();
    both.sort();
    both.dedup();
    let mut after: Vec<String> = have
        .iter()
        .filter(|e| !names.contains(&top(e).as_str()))
        .chain(&new)
        .cloned()
        .collect();
    after.sort();
    after.dedup();
    write_listed(staging, out, &both)?;
    std::fs::create_dir_all(old).with_context(|| format!("无法创建 {}", old.display()))?;
    std::fs::write(old.join(MARKER), "guide build\naside:\n").context("无法写入输出标记")?;
    for name in names {
        let (new, cur, aside) = (staging.join(name), out.join(name), old.join(name));
        if cur.exists() {
            std::fs::rename(&cur, &aside).with_context(|| format!("无法替换 {}", cur.display()))?;
        }
        if !new.exists() {
            continue;
        }
        if let Err(e) = std::fs::rename(&new, &cur) {
            let _ = std::fs::rename(&aside, &cur);
            return Err(anyhow::Error::from(e).context(format!("无法写入 {}", cur.display())));
        }
    }
    write_listed(staging, out, &after)?;
    remove_ours(staging);
    remove_ours(old);
    Ok(())
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.file_name() != MARKER)
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect();
    v.sort();
    v
}

/// Where a build writes its files: a fresh folder, and the output it is
/// to replace, if any. A file with the same bytes as the previous output's
/// is linked to it rather than written again: no new inode, no data
/// copied, and removing the previous output after the swap frees nothing
/// (ext4 without a journal scans past every inode freed in the last
/// minutes before it takes a new one). An unchanged file also keeps its
/// modification time, so a deployment that compares times (`rsync`)
/// copies only what changed. The previous output is only read: a name is
/// linked, never written through.
#[derive(Clone, Copy, Debug)]
pub struct Place<'a> {
    dir: &'a Path,
    previous: Option<&'a Path>,
}

impl<'a> Place<'a> {
    /// Files written into `dir`, compared with those in `previous`.
    pub fn new(dir: &'a Path, previous: Option<&'a Path>) -> Self {
        Place { dir, previous }
    }

    /// The folder being written.
    pub fn dir(&self) -> &'a Path {
        self.dir
    }

    /// Writes `bytes` as `rel` (`/`-separated, under the folder), creating
    /// the folders it is in.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("无法创建 {}", parent.display()))?;
        }
        if let Some(old) = self.previous.map(|p| p.join(rel))
            && same_file_bytes(&old, bytes)
            && std::fs::hard_link(&old, &path).is_ok()
        {
            return Ok(());
        }
        // A new name: never truncate a file that may be linked to the
        // previous output's.
        let _ = std::fs::remove_file(&path);
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            f.write_all(bytes)
        };
        write().with_context(|| format!("无法写入 {}", path.display()))
    }
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`.
fn same_file_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let same_size = std::fs::symlink_metadata(path)
        .is_ok_and(|m| m.file_type().is_file() && m.len() == bytes.len() as u64);
    if !same_size {
        return false;
    }
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let mut buf = vec![0; (64 << 10).min(bytes.len().max(1))];
    let mut rest = bytes;
    loop {
        match f.read(&mut buf) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && buf[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Writes a build into `out` atomically: `write` fills a fresh folder
/// beside it, which is swapped in only when all succeeded (with `some_only`,
/// only its entries replace theirs, the others stay). A failure leaves the
/// previous output as it was; what is the same as in it is linked (see
/// [`Place`]). `out` must have passed [`safe_output`].
pub fn replace(out: &Path, some_only: bool, write: impl FnOnce(Place) -> Result<()>) -> Result<()> {
    let (parent, name) = beside(out);
    std::fs::create_dir_all(&parent).with_context(|| format!("无法创建 {}", parent.display()))?;
    let staging = parent.join(format!(".{name}.building-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    // Named by this process: nothing else can be using it.
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).with_context(|| format!("无法创建 {}", staging.display()))?;
    std::fs::write(staging.join(MARKER), listed(&[])).context("无法写入输出标记")?;
    let held = lock(&staging);
    // The previous output, if guide wrote it (`safe_output` has refused
    // anything else), for its unchanged files.
    let previous = out.is_dir().then_some(out);
    if let Err(e) = write(Place::new(&staging, previous)) {
        drop(held);
        remove_ours(&staging);
        return Err(e.context("生成失败，原有输出未改动"));
    }
    std::fs::write(staging.join(MARKER), listed(&entries(&staging))).context("无法写入输出标记")?;
    drop(held);
    let _ = std::fs::remove_file(staging.join(LOCK));
    if out.exists() && some_only {
        // Some outputs only: swap in just those, keep the others.
        if let Err(e) = swap_entries(&staging, out, &old) {
            remove_ours(&staging);
            return Err(e);
        }
    } else {
        // Swap in: the old output moves aside first, and back if the swap
        // fails. A build killed in between leaves it there, marked, for
        // the next run to put back (`recover`).
        let had_old = out.exists();
        if had_old {
            if read_marker(out) == Marker::Missing {
                // An output from before the marker (checked by name).
                std::fs::write(out.join(MARKER), listed(&entries(out)))
                    .context("无法写入输出标记")?;
            }
            std::fs::rename(out, &old).with_context(|| format!("无法替换 {}", out.display()))?;
        }
        if let Err(e) = std::fs::rename(&staging, out) {
            if had_old {
                let _ = std::fs::rename(&old, out);
            }
            remove_ours(&staging);
            return Err(anyhow::Error::from(e).context(format!("无法写入 {}", out.display())));
        }
        if had_old {
            remove_ours(&old);
        }
    }
    Ok(())
}

/// `--check`: what differs between a fresh build in `fresh` and `out`,
/// file by file and byte by byte (only the outputs `fresh` has).
pub fn differences(fresh: &Path, out: &Path) -> Vec<String> {
    let (want, mut have) = (tree(fresh), tree(out));
    // Only what was asked for is compared (`--only site` ignores the booklet).
    let mut tops: Vec<_> = want.iter().filter_map(|f| f.components().next()).collect();
    // A companion the fresh build did not write is one too many.
    let extra: Vec<_> = tops
        .iter()
        .flat_map(|t| companions(&t.as_os_str().to_string_lossy()))
        .map(|c| std::path::Component::Normal(std::ffi::OsStr::new(c)))
        .collect();
    tops.extend(extra);
    have.retain(|f| f.components().next().is_some_and(|c| tops.contains(&c)));
    let mut stale = Vec::new();
    for f in &want {
        let new = std::fs::read(fresh.join(f)).ok();
        let existing = std::fs::read(out.join(f)).ok();
        match existing {
            None => stale.push(format!("缺少 {}", f.display())),
            Some(bytes) if Some(&bytes) != new.as_ref() => {
                stale.push(format!("已过时 {}", f.display()))
            }
            Some(_) => {}
        }
    }
    for f in have.iter().filter(|f| !want.contains(f)) {
        stale.push(format!("多余 {}", f.display()));
    }
    stale
}

/// The folder `out` is in, and its name: leftovers are `.NAME.*` there.
pub fn beside(out: &Path) -> (PathBuf, String) {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let name = out
        .file_name()
        .map_or_else(|| "dist".into(), |n| n.to_string_lossy().into_owned());
    (parent, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_links_only_the_same_bytes_of_a_regular_file_and_never_writes_through() {
        let t = tempfile::tempdir().unwrap();
        let (old, new) = (t.path().join("old"), t.path().join("new"));
        std::fs::create_dir_all(old.join("a")).unwrap();
        std::fs::write(old.join("a/same.txt"), "同").unwrap();
        std::fs::write(old.join("other.txt"), "旧").unwrap();
        let place = Place::new(&new, Some(&old));
        place.write("a/same.txt", "同".as_bytes()).unwrap();
        place.write("other.txt", "新".as_bytes()).unwrap();
        place.write("fresh.txt", "无".as_bytes()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
            assert_eq!(ino(&new.join("a/same.txt")), ino(&old.join("a/same.txt")));
            assert_ne!(ino(&new.join("other.txt")), ino(&old.join("other.txt")));
        }
        // Written again, now different: a new file, the old one untouched.
        place.write("a/same.txt", "异".as_bytes()).unwrap();
        assert_eq!(
            std::fs::read_to_string(new.join("a/same.txt")).unwrap(),
            "异"
        );
        assert_eq!(
            std::fs::read_to_string(old.join("a/same.txt")).unwrap(),
            "同"
        );
        assert_eq!(
            std::fs::read_to_string(old.join("other.txt")).unwrap(),
            "旧"
        );
        assert_eq!(
            std::fs::read_to_string(new.join("fresh.txt")).unwrap(),
            "无"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_previous_output_is_not_followed() {
        let t = tempfile::tempdir().unwrap();
        let (old, new) = (t.path().join("old"), t.path().join("new"));
        std::fs::create_dir_all(&old).unwrap();
        let secret = t.path().join("secret.txt");
        std::fs::write(&secret, "机密").unwrap();
        std::os::unix::fs::symlink(&secret, old.join("page.html")).unwrap();
        Place::new(&new, Some(&old))
            .write("page.html", "机密".as_bytes())
            .unwrap();
        let m = std::fs::symlink_metadata(new.join("page.html")).unwrap();
        assert!(m.file_type().is_file());
        use std::os::unix::fs::MetadataExt;
        assert_eq!(m.nlink(), 1, "written, not linked to what the link names");
        assert_eq!(std::fs::metadata(&secret).unwrap().nlink(), 1);
    }
}
