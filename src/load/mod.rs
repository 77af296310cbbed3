//! Finds a project, reads every file (sorted), pre-lints and decodes it. Keeps
//! each file's text for diagnostics.

pub mod access;
mod decode;
pub mod find;
mod fonts;
mod prelint;
mod read;
pub mod version;

pub use decode::{Decoded as DecodedText, decode};
pub use prelint::{is_forbidden_char, prelint};
pub use read::{MAX_FILE_BYTES, decode_text, read_text};

use crate::diag::{Diagnostic, SourceMap};
use crate::model::resolve::Catalogue;
use crate::model::{CatalogueEntry, Config, Guide, Member};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "guide.yaml";
pub const CATALOGUE_FILE: &str = "materials.yaml";
pub const GUIDES_DIR: &str = "guides";
/// Written into every output folder of `guide build`: what it may replace.
/// Nothing under such a folder is ever read as data or published.
pub const OUTPUT_MARKER: &str = ".guide-output";

/// A decoded project. Files that failed to decode are absent (their
/// diagnostics say why).
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub config: Option<Config>,
    pub catalogue: Catalogue,
    pub guides: Vec<GuideFile>,
    pub sources: SourceMap,
    /// Whether some guide file could not be decoded at all: then "used by no
    /// guide" cannot be known.
    pub incomplete: bool,
    /// A digest of every input file (names and bytes), printed on the
    /// booklet so a page can be matched to the data it came from.
    pub content_hash: u64,
    /// After [`Project::in_force`]: versions not in force yet.
    pub future: Vec<GuideFile>,
    /// After [`Project::in_force`]: versions no longer in force (replaced or
    /// expired), kept so that the project can answer for another day.
    pub past: Vec<GuideFile>,
    /// The date [`Project::in_force`] selected for, if it was called.
    pub as_of: Option<crate::date::Date>,
    /// Every guide file found, decoded or not. A file with decode errors may
    /// still be here (its bad entries blanked), so rules can look further.
    pub guide_files_found: usize,
}

#[derive(Debug)]
pub struct GuideFile {
    /// Path relative to the project root, `/`-separated.
    pub file: String,
    /// File name without `.yaml`/`.yml` (`id`, or `id@YYYY-MM-DD` for a
    /// dated version).
    pub stem: String,
    pub guide: Guide,
    /// After [`Project::in_force`]: the version that takes over later, as an
    /// index into [`Project::future`].
    pub next: Option<usize>,
}

impl Project {
    pub fn guide(&self, id: &str) -> Option<&GuideFile> {
        self.guides.iter().find(|g| g.guide.id.value == id)
    }

    /// Keeps, of each matter, the version in force on `date` (the latest
    /// that took effect by then and has not expired); later versions go to
    /// [`Project::future`], linked from the one they replace. Matters not in
    /// force on `date` (not yet, or expired) leave the project.
    ///
    /// It may be called again with another day (a server running past
    /// midnight): every version read is kept, in force or not.
    pub fn in_force(&mut self, date: crate::date::Date) {
        let day = date.to_string();
        let mut all = std::mem::take(&mut self.guides);
        all.append(&mut self.future);
        all.append(&mut self.past);
        all.sort_by(|a, b| a.file.cmp(&b.file));
        for g in &mut all {
            g.next = None;
        }
        let mut by_id: std::collections::BTreeMap<String, Vec<GuideFile>> = Default::default();
        let mut order: Vec<String> = Vec::new();
        for g in all {
            let id = g.guide.id.value.clone();
            if !by_id.contains_key(&id) {
                order.push(id.clone());
            }
            by_id.entry(id).or_default().push(g);
        }
        for id in order {
            let mut versions = by_id.remove(&id).unwrap_or_default();
            versions.sort_by(|a, b| a.guide.effective.value.cmp(&b.guide.effective.value));
            let current = versions
                .iter()
                .rposition(|v| v.guide.effective.value <= day);
            let mut later: Vec<GuideFile> = Vec::new();
            let mut chosen: Option<GuideFile> = None;
            for (i, v) in versions.into_iter().enumerate() {
                match current {
                    Some(c) if i == c => chosen = Some(v),
                    Some(c) if i > c => later.push(v),
                    None => later.push(v),
                    _ => self.past.push(v),
                }
            }
            let (mut g, expired) = match chosen {
                Some(g) if g.guide.expires.as_ref().is_some_and(|e| e.value <= day) => {
                    (None, Some(g))
                }
                other => (other, None),
            };
            self.past.extend(expired);
            let Some(mut g) = g.take() else {
                self.future.extend(later);
                continue;
            };
            if !later.is_empty() {
                g.next = Some(self.future.len());
            }
            self.future.extend(later);
            self.guides.push(g);
        }
        // Keep the file order (categories follow it).
        self.guides.sort_by(|a, b| a.file.cmp(&b.file));
        self.as_of = Some(date);
        self.link_bundles();
    }

    /// Copies into each 一件事 its members as they are now (the versions in
    /// force after [`Project::in_force`]): their names, situations and
    /// materials, which resolution merges. A member that is unknown, a
    /// 一件事 itself, or not in force is left out (`guide check` reports the
    /// first two).
    pub fn link_bundles(&mut self) {
        let mut linked: Vec<(usize, Vec<Member>)> = Vec::new();
        for (i, g) in self.guides.iter().enumerate() {
            let Some(b) = &g.guide.bundle else { continue };
            let mut members: Vec<Member> = Vec::new();
            for (id, optional) in b.all() {
                if members.iter().any(|m| m.id == id.value) {
                    continue;
                }
                let Some(m) = self.guide(&id.value).filter(|m| !m.guide.is_bundle()) else {
                    continue;
                };
                members.push(Member {
                    id: id.value.clone(),
                    name: m.guide.name.value.clone(),
                    optional,
                    situations: m.guide.situations.clone(),
                    materials: m.guide.materials.clone(),
                });
            }
            linked.push((i, members));
        }
        for (i, members) in linked {
            self.guides[i].guide.linked = members;
        }
    }

    /// The version of `g` that takes over later, if any.
    pub fn next_version(&self, g: &GuideFile) -> Option<&GuideFile> {
        g.next.and_then(|i| self.future.get(i))
    }
    /// Categories in the order of `categories:` in guide.yaml, then the
    /// others in the order their first matter's file sorts (folder order),
    /// each with its matters in file order: the one order of `guide list`,
    /// the booklet's sections and the site's groups.
    pub fn categories(&self) -> Vec<(&str, Vec<&GuideFile>)> {
        let mut out: Vec<(&str, Vec<&GuideFile>)> = Vec::new();
        for g in &self.guides {
            let c = g.guide.category.value.as_str();
            match out.iter_mut().find(|(name, _)| *name == c) {
                Some((_, list)) => list.push(g),
                None => out.push((c, vec![g])),
            }
        }
        let listed = self.config.as_ref().map_or(&[][..], |c| &c.categories[..]);
        let rank = |name: &str| {
            listed
                .iter()
                .position(|l| l.value == name)
                .unwrap_or(listed.len())
        };
        // Stable: the unlisted keep their folder order.
        out.sort_by_key(|(name, _)| rank(name));
        out
    }
}

/// No project where one was looked for: a usage error (exit 2), not a failure.
#[derive(Debug)]
pub struct NotAProject(pub String);

impl std::fmt::Display for NotAProject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotAProject {}

/// The folder holding `guide.yaml`: `explicit`, or the current directory or
/// the nearest parent that has one.
pub fn find_root(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        if dir.join(CONFIG_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
        return Err(NotAProject(format!(
            "{} 里没有 {CONFIG_FILE}：这不是一个指南项目文件夹",
            dir.display()
        ))
        .into());
    }
    let cwd = std::env::current_dir().context("无法确定当前文件夹")?;
    for dir in cwd.ancestors() {
        if dir.join(CONFIG_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    Err(NotAProject(format!(
        "在当前文件夹及其上级文件夹里都没有找到 {CONFIG_FILE}。\
         请进入指南项目文件夹再运行，或用 --project 指定；新建项目用 `guide init`"
    ))
    .into())
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `.yaml` or `.yml`, in any case (Windows users write `.YAML`).
fn is_yaml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn keep<T>(
    d: &mut Decoded<T>,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
    digest: &mut Vec<u8>,
) {
    digest.extend_from_slice(d.file.as_bytes());
    digest.extend_from_slice(&d.hash.to_le_bytes());
    // Only a file with problems is quoted for sure; others are read again
    // if a rule finds something.
    if let Some(t) = d.text.take()
        && !d.diags.is_empty()
    {
        sources.insert(d.file.clone(), t);
    }
    sources.touch(
        &d.file,
        std::mem::take(&mut d.touched),
        std::mem::take(&mut d.removed),
    );
    diags.append(&mut d.diags);
}

/// One file read and decoded: its text (if readable) and what was found.
struct Decoded<T> {
    file: String,
    text: Option<String>,
    value: Option<T>,
    diags: Vec<Diagnostic>,
    touched: Vec<u32>,
    removed: Vec<String>,
    hash: u64,
}

pub use crate::model::{CONFIG_REQUIRED, GUIDE_REQUIRED};

/// Adds a `missing-field` for every key of `required` that `text` does not
/// have at its top level, once serde has reported one of them missing.
fn all_missing(text: &str, file: &str, required: &[&str], diags: &mut Vec<Diagnostic>) {
    let reported: Vec<String> = diags
        .iter()
        .filter(|d| d.code == "missing-field" && d.pos.is_some_and(|p| p.column == 1))
        .filter_map(|d| d.message.split('`').nth(1).map(str::to_owned))
        .collect();
    let Some(first) = diags
        .iter()
        .find(|d| d.code == "missing-field" && d.pos.is_some_and(|p| p.column == 1))
    else {
        return;
    };
    let pos = first.pos;
    let present: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with([' ', '#', '-']))
        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
        .collect();
    for key in required {
        if !present.contains(key) && !reported.iter().any(|r| r == key) {
            diags.push(
                Diagnostic::error("missing-field", file, pos, format!("缺少必填的键 `{key}`"))
                    .with_hint(format!("在这一项里加上 `{key}: …`")),
            );
        }
    }
}

fn load_file<T: serde::de::DeserializeOwned>(
    root: &Path,
    path: &Path,
    required: &[&str],
) -> Result<Decoded<T>> {
    let file = rel(root, path);
    let refused = access::found_file(root, path).err().map(|r| {
        Diagnostic::error(
            "unsafe-file",
            &file,
            None,
            format!("文件 `{file}` {}，没有读取", r.message()),
        )
        .with_hint("把数据文件作为普通文件放在项目文件夹里（不用符号链接，不放在隐藏文件夹里）")
    });
    let read = match refused {
        Some(d) => Ok(Err(d)),
        None => read::read_text(path, &file),
    };
    let text = match read? {
        Ok(t) => t,
        Err(d) => {
            return Ok(Decoded {
                file,
                text: None,
                value: None,
                diags: vec![d],
                touched: Vec::new(),
                removed: Vec::new(),
                hash: 0,
            });
        }
    };
    let hash = crate::hash::fnv1a64(text.as_bytes(), 0);
    let (clean, controls) = prelint::control_chars(&text, &file);
    let text = clean.unwrap_or(text);
    let mut diags = prelint(&text, &file);
    let (value, touched, removed) = if diags.is_empty() {
        let d = decode::<T>(&text, &file);
        diags.extend(d.diags);
        all_missing(&text, &file, required, &mut diags);
        (d.value, d.touched, d.removed)
    } else {
        (None, Vec::new(), Vec::new())
    };
    diags.extend(controls);
    Ok(Decoded {
        file,
        text: Some(text),
        value,
        diags,
        touched,
        removed,
        hash,
    })
}

/// Reads and decodes the whole project at `root`. Problems in the guide data
/// are diagnostics; only failures of the machine (I/O) are errors.
pub fn load(root: &Path) -> Result<(Project, Vec<Diagnostic>)> {
    load_matching(root, None)
}

/// Like [`load`], but of the guide files only the one whose stem is `id`
/// (with settings and catalogue): a clerk's notice is not held up by a
/// mistake in another matter, nor by reading a thousand files.
pub fn load_one(root: &Path, id: &str) -> Result<(Project, Vec<Diagnostic>)> {
    let loaded = load_matching(root, Some(&[id]))?;
    // A 一件事 reads its members too.
    let mut members: Vec<&str> = vec![id];
    for g in &loaded.0.guides {
        if let Some(b) = &g.guide.bundle {
            members.extend(b.all().map(|(m, _)| m.value.as_str()));
        }
    }
    if members.len() == 1 {
        return Ok(loaded);
    }
    members.sort_unstable();
    members.dedup();
    let members: Vec<String> = members.into_iter().map(str::to_owned).collect();
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    load_matching(root, Some(&members))
}

fn load_matching(root: &Path, only: Option<&[&str]>) -> Result<(Project, Vec<Diagnostic>)> {
    let mut sources = SourceMap::new(root.to_path_buf());
    let mut diags = Vec::new();

    let mut config: Decoded<Config> = load_file(root, &root.join(CONFIG_FILE), CONFIG_REQUIRED)?;
    let mut digest = Vec::new();
    keep(&mut config, &mut sources, &mut diags, &mut digest);

    let catalogue_path = root.join(CATALOGUE_FILE);
    let mut catalogue_entries = Vec::new();
    if catalogue_path.symlink_metadata().is_ok() {
        let mut c: Decoded<Vec<CatalogueEntry>> = load_file(root, &catalogue_path, &[])?;
        keep(&mut c, &mut sources, &mut diags, &mut digest);
        catalogue_entries = c.value.unwrap_or_default();
    }

    let guides_dir = root.join(GUIDES_DIR);
    let mut paths = Vec::new();
    // Files not read (one matter only): still part of the content hash, so
    // a notice's data edition matches the booklet's and the site's.
    let mut skipped: Vec<PathBuf> = Vec::new();
    if guides_dir.is_dir() {
        // Hidden files and folders (`.git`, an editor's `.x.yaml.swp`) are
        // never read; links and special files are found, and refused with a
        // diagnostic when they are read.
        let walk = walkdir::WalkDir::new(&guides_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walk {
            let entry = entry.with_context(|| format!("无法读取 {}", guides_dir.display()))?;
            // One matter: its file and its dated versions (`id@DATE`).
            let wanted = only.is_none_or(|ids| {
                entry.path().file_stem().is_some_and(|s| {
                    let s = s.to_string_lossy();
                    let base = s.split_once('@').map_or(&*s, |(b, _)| b);
                    ids.contains(&base)
                })
            });
            if !entry.file_type().is_dir() && is_yaml(entry.path()) {
                if wanted {
                    paths.push(entry.into_path());
                } else {
                    skipped.push(entry.into_path());
                }
            }
        }
    }
    let decoded: Vec<Result<Decoded<Guide>>> = paths
        .par_iter()
        .map(|p| load_file(root, p, GUIDE_REQUIRED))
        .collect();
    let mut guides = Vec::with_capacity(decoded.len());
    let mut incomplete = only.is_some();
    // (file, hash) of every guide file in path order, read or not.
    let mut hashes: Vec<(String, u64)> = skipped
        .iter()
        .map(|p| {
            // The same rules as for a file that is read: no link out, no
            // FIFO, no file over the size limit.
            let hash = access::found_file(root, p)
                .ok()
                .and_then(|()| read::read_text(p, "").ok()?.ok())
                .map_or(0, |t| crate::hash::fnv1a64(t.as_bytes(), 0));
            (rel(root, p), hash)
        })
        .collect();
    for (d, path) in decoded.into_iter().zip(&paths) {
        let mut d = d?;
        hashes.push((d.file.clone(), d.hash));
        let mut no_digest = Vec::new();
        keep(&mut d, &mut sources, &mut diags, &mut no_digest);
        incomplete |= d.value.is_none();
        if let Some(guide) = d.value {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            guides.push(GuideFile {
                file: d.file,
                stem,
                guide,
                next: None,
            });
        }
    }
    hashes.sort();
    for (file, hash) in &hashes {
        digest.extend_from_slice(file.as_bytes());
        digest.extend_from_slice(&hash.to_le_bytes());
    }
    let mut project = Project {
        root: root.to_path_buf(),
        config: config.value,
        catalogue: Catalogue::new(catalogue_entries),
        guide_files_found: paths.len(),
        incomplete,
        future: Vec::new(),
        past: Vec::new(),
        as_of: None,
        content_hash: crate::hash::fnv1a64(&digest, 0),
        guides,
        sources,
    };
    project.link_bundles();
    Ok((project, diags))
}
