//! The fonts a project prints with: its own (`booklet.fonts` in
//! `guide.yaml`, read under the rules of [`super::access`]), else the
//! vendored default.

use super::Project;
use crate::layout::font::{DEFAULT_BOLD, DEFAULT_REGULAR, FontFace, FontSet};
use crate::layout::shape::{FallbackSource, is_font, system_font_dirs};
use crate::model::S;

impl Project {
    /// The project's fonts, parsed.
    pub fn fonts(&self) -> anyhow::Result<FontSet> {
        self.fonts_at().map_err(|(_, e)| anyhow::anyhow!(e))
    }

    /// Like [`Project::fonts`]; a failure names the `booklet.fonts` entry
    /// that could not be used (with its place in `guide.yaml`) and why.
    pub fn fonts_at(&self) -> Result<FontSet, (Option<&S<String>>, String)> {
        let fonts = self
            .config
            .as_ref()
            .and_then(|c| c.booklet.as_ref())
            .and_then(|b| b.fonts.as_ref());
        let root = &self.root;
        Ok(FontSet::new(
            face(
                root,
                fonts.and_then(|f| f.regular.as_ref()),
                DEFAULT_REGULAR,
            )?,
            face(root, fonts.and_then(|f| f.bold.as_ref()), DEFAULT_BOLD)?,
            fallback(root, fonts.and_then(|f| f.fallback.as_ref()))?,
        ))
    }
}

fn face<'a>(
    root: &std::path::Path,
    path: Option<&'a S<String>>,
    dflt: &[u8],
) -> Result<FontFace, (Option<&'a S<String>>, String)> {
    match path {
        Some(p) => {
            let file = super::access::project_file(root, &p.value)
                .map_err(|r| (path, format!("字体文件 `{}` {}", p.value, r.message())))?;
            let bytes = std::fs::read(&file)
                .map_err(|e| (path, format!("无法读取字体 `{}`：{e}", p.value)))?;
            FontFace::parse(&bytes).ok_or_else(|| {
                (
                    path,
                    format!(
                        "`{}` 不是可用的 OpenType/TrueType 字体（文件已损坏或格式不对）",
                        p.value
                    ),
                )
            })
        }
        None => FontFace::parse(dflt).ok_or((None, "内置字体无法解析".to_owned())),
    }
}

/// The fuller font for rare characters: the project's `booklet.fonts.fallback`,
/// else the first usual CJK font of the system (looked for only when a
/// character needs it).
fn fallback<'a>(
    root: &std::path::Path,
    path: Option<&'a S<String>>,
) -> Result<FallbackSource, (Option<&'a S<String>>, String)> {
    let Some(p) = path else {
        return Ok(FallbackSource::System(system_font_dirs()));
    };
    let file = super::access::project_file(root, &p.value)
        .map_err(|r| (path, format!("字体文件 `{}` {}", p.value, r.message())))?;
    let bytes =
        std::fs::read(&file).map_err(|e| (path, format!("无法读取字体 `{}`：{e}", p.value)))?;
    if !is_font(&bytes) {
        return Err((
            path,
            format!(
                "`{}` 不是可用的 OpenType/TrueType 字体（文件已损坏或格式不对）",
                p.value
            ),
        ));
    }
    Ok(FallbackSource::Bytes(bytes))
}
