//! Reading one file as text: size limit, BOM, encoding.

use crate::diag::Diagnostic;
use crate::model::Pos;
use std::path::Path;

/// A guide file is a few KB; anything past this is a mistake (or an attack),
/// refused before it is read.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

/// Reads `path` as UTF-8 text without its BOM. A problem of the file's content
/// is a diagnostic; an I/O failure is an error of the tool.
pub fn read_text(path: &Path, file: &str) -> anyhow::Result<Result<String, Diagnostic>> {
    use anyhow::Context;
    let meta = std::fs::metadata(path).with_context(|| format!("无法读取 {}", path.display()))?;
    if meta.len() > MAX_FILE_BYTES {
        return Ok(Err(Diagnostic::error(
            "file-too-large",
            file,
            None,
            format!(
                "文件过大（{:.1} MB），一个文件最多 {} MB",
                meta.len() as f64 / 1024.0 / 1024.0,
                MAX_FILE_BYTES / 1024 / 1024
            ),
        )
        .with_hint(
            "一个事项一个文件，通常只有几 KB；请检查是否把别的文件放进了这个文件夹",
        )));
    }
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    Ok(decode_text(bytes, file))
}

/// UTF-8 with or without BOM is accepted; anything else is explained.
pub fn decode_text(mut bytes: Vec<u8>, file: &str) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(
            "not-utf8",
            file,
            None,
            "文件是 UTF-16 编码，应为 UTF-8".to_owned(),
        )
        .with_hint(RESAVE_HINT));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..at]);
            let line = before.matches('\n').count() as u32 + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            let (_, _, gbk_failed) = encoding_rs::GB18030.decode(&bytes);
            let guess = if gbk_failed {
                "文件不是 UTF-8 编码"
            } else {
                "文件不是 UTF-8 编码（看起来是 GBK/GB18030，Windows 中文版的默认编码）"
            };
            Err(Diagnostic::error(
                "not-utf8",
                file,
                Some(Pos::at(line, column)),
                guess.to_owned(),
            )
            .with_hint(RESAVE_HINT))
        }
    }
}

const RESAVE_HINT: &str = "请另存为 UTF-8：记事本中“文件 → 另存为”，编码选“UTF-8”；\
VS Code 中点右下角的编码，选“通过编码保存”→“UTF-8”";
