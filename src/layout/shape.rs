//! Text the CJK faces cannot set: Uyghur and Kazakh (Arabic script, right
//! to left), Mongolian (the font's horizontal forms, as mixed Chinese
//! documents print it) and Tibetan (stacks), from vendored Noto subsets
//! shaped by rustybuzz; and rare Han characters from a fuller font of the
//! project or the system. Han and everything the CJK faces have never
//! come here.

use super::{Extra, Face, Glyph};
use rustybuzz::ttf_parser;
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub const ARABIC_REGULAR: &[u8] = include_bytes!("../../fonts/NotoSansArabic-Regular.subset.ttf");
pub const ARABIC_BOLD: &[u8] = include_bytes!("../../fonts/NotoSansArabic-Bold.subset.ttf");
pub const MONGOLIAN: &[u8] = include_bytes!("../../fonts/NotoSansMongolian-Regular.subset.ttf");
pub const TIBETAN: &[u8] = include_bytes!("../../fonts/NotoSerifTibetan-Regular.subset.ttf");

/// How far Tibetan is raised, in ems: its headline (0.678 em in Noto
/// Serif Tibetan) then runs near the top of the Han characters beside it,
/// as bilingual documents align them, and the stacks hanging from it stay
/// closer to the line instead of cutting through the writing line below.
pub const TIBETAN_RISE: f32 = 0.2;

/// A script with a vendored font.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    Arabic,
    Mongolian,
    Tibetan,
}

/// The script of `ch`, if it is one the vendored script fonts set.
pub fn script_of(ch: char) -> Option<Script> {
    match ch as u32 {
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Some(Script::Arabic)
        }
        0x1800..=0x18AF | 0x11660..=0x1167F => Some(Script::Mongolian),
        0x0F00..=0x0FFF => Some(Script::Tibetan),
        _ => None,
    }
}

/// Characters with no script of their own that belong to the piece they
/// follow: joiners, variation selectors, the narrow no-break space before a
/// Mongolian suffix.
pub fn joins(ch: char) -> bool {
    matches!(
        ch,
        '\u{200C}' | '\u{200D}' | '\u{202F}' | '\u{034F}' | '\u{180B}'..='\u{180F}'
    )
}

/// Whether `ch` is written right to left.
pub fn is_rtl(ch: char) -> bool {
    use unicode_bidi::BidiClass::{AL, R};
    // Only these blocks hold right-to-left letters: the table is asked
    // about them alone (Han text never is).
    matches!(ch as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
        && matches!(unicode_bidi::bidi_class(ch), R | AL)
}

/// What `ch` looks like in a run set right to left: its mirrored form
/// (`(` for `)`, `》` for `《`), or itself.
pub fn mirrored(ch: char) -> char {
    unicode_bidi_mirroring::get_mirrored(ch).unwrap_or(ch)
}

/// One extra font: its bytes, and the parsed font the writer embeds
/// (parsed only when a document uses it).
pub struct ExtraFace {
    data: Bytes,
    index: u32,
    /// A vendored font, parsed once (a font read from disk is parsed on
    /// each use: it is only asked about rare characters).
    vendored: Option<rustybuzz::Face<'static>>,
    pdf: OnceLock<Option<krilla::text::Font>>,
}

/// A font file: compiled in, or read from disk and shared with the writer.
enum Bytes {
    Static(&'static [u8]),
    Shared(Arc<Vec<u8>>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Static(b) => b,
            Bytes::Shared(b) => b,
        }
    }
}

impl ExtraFace {
    /// `None` if the bytes are not a font with a character map.
    pub fn new(data: Cow<'static, [u8]>, index: u32) -> Option<ExtraFace> {
        ttf_parser::Face::parse(&data, index).ok()?;
        let (data, vendored) = match data {
            Cow::Borrowed(bytes) => (
                Bytes::Static(bytes),
                rustybuzz::Face::from_slice(bytes, index),
            ),
            Cow::Owned(bytes) => (Bytes::Shared(Arc::new(bytes)), None),
        };
        Some(ExtraFace {
            data,
            index,
            vendored,
            pdf: OnceLock::new(),
        })
    }

    fn vendored(data: &'static [u8]) -> ExtraFace {
        ExtraFace::new(Cow::Borrowed(data), 0).expect("vendored script font parses")
    }

    pub fn has(&self, ch: char) -> bool {
        let glyph = match &self.vendored {
            Some(f) => f.glyph_index(ch),
            None => ttf_parser::Face::parse(&self.data, self.index)
                .ok()
                .and_then(|f| f.glyph_index(ch)),
        };
        glyph.is_some_and(|g| g.0 != 0)
    }

    /// The font as the PDF writer embeds (and subsets) it; made the first
    /// time a document draws with it.
    pub fn pdf(&self) -> Option<&krilla::text::Font> {
        self.pdf
            .get_or_init(|| {
                let data = match &self.data {
                    Bytes::Static(b) => krilla::Data::from(*b),
                    Bytes::Shared(b) => krilla::Data::from(b.clone()),
                };
                krilla::text::Font::new(data, self.index)
            })
            .as_ref()
    }

    /// Shapes `text` at 1 em.
    pub fn shape(&self, text: &str, script: Option<Script>, rtl: bool) -> Vec<Glyph> {
        let owned;
        let face = match &self.vendored {
            Some(f) => f,
            None => match rustybuzz::Face::from_slice(&self.data, self.index) {
                Some(f) => {
                    owned = f;
                    &owned
                }
                None => return Vec::new(),
            },
        };
        let upm = f32::from(face.units_per_em().max(1) as u16);
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(text);
        buf.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        buf.set_script(match script {
            Some(Script::Arabic) => rustybuzz::script::ARABIC,
            Some(Script::Mongolian) => rustybuzz::script::MONGOLIAN,
            Some(Script::Tibetan) => rustybuzz::script::TIBETAN,
            None => rustybuzz::script::HAN,
        });
        let out = rustybuzz::shape(face, &[], buf);
        let mut starts: Vec<usize> = out
            .glyph_infos()
            .iter()
            .map(|i| i.cluster as usize)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let end_of = |c: usize| {
            starts
                .iter()
                .find(|&&s| s > c)
                .copied()
                .unwrap_or(text.len())
        };
        out.glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(i, p)| {
                let c = i.cluster as usize;
                Glyph {
                    id: i.glyph_id as u16,
                    advance: p.x_advance as f32 / upm,
                    dx: p.x_offset as f32 / upm,
                    dy: p.y_offset as f32 / upm,
                    text: c..end_of(c),
                }
            })
            .collect()
    }
}

/// Whether `data` is a font (or a collection) with a usable first face.
pub fn is_font(data: &[u8]) -> bool {
    ttf_parser::Face::parse(data, 0).is_ok()
}

/// Where a fuller font for rare characters comes from.
pub enum FallbackSource {
    /// None is looked for.
    None,
    /// The project's own font file (already read).
    Bytes(Vec<u8>),
    /// The first of the usual fonts found in these folders.
    System(Vec<PathBuf>),
}

/// The folders searched for a system font: `GUIDE_FONT_DIRS` (separated
/// by `:`; empty: none), else the usual ones.
pub fn system_font_dirs() -> Vec<PathBuf> {
    match std::env::var_os("GUIDE_FONT_DIRS") {
        Some(v) => std::env::split_paths(&v)
            .filter(|p| !p.as_os_str().is_empty())
            .collect(),
        None => {
            let mut dirs = vec![
                PathBuf::from("/usr/share/fonts"),
                PathBuf::from("/usr/local/share/fonts"),
            ];
            if let Some(home) = std::env::var_os("HOME") {
                dirs.push(Path::new(&home).join(".local/share/fonts"));
                dirs.push(Path::new(&home).join(".fonts"));
            }
            dirs
        }
    }
}

/// Fuller CJK fonts, best first, by file name; in a collection, the
/// Simplified Chinese face.
const SYSTEM_FALLBACKS: &[&str] = &[
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
    "SourceHanSansSC-Regular.otf",
    "SourceHanSans-Regular.ttc",
    "NotoSerifCJK-Regular.ttc",
    "wqy-zenhei.ttc",
];

fn find_file(dir: &Path, name: &str, depth: usize) -> Option<PathBuf> {
    let mut entries: Vec<_> = std::fs::read_dir(dir).ok()?.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in &entries {
        if e.file_name() == name && e.path().is_file() {
            return Some(e.path());
        }
    }
    if depth == 0 {
        return None;
    }
    entries
        .iter()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .find_map(|e| find_file(&e.path(), name, depth - 1))
}

/// The face of a collection whose family names Simplified Chinese, else
/// the first.
fn sc_index(data: &[u8]) -> u32 {
    let n = ttf_parser::fonts_in_collection(data).unwrap_or(1);
    (0..n)
        .find(|&i| {
            ttf_parser::Face::parse(data, i).is_ok_and(|f| {
                f.names().into_iter().any(|name| {
                    name.name_id == ttf_parser::name_id::FAMILY
                        && name.to_string().is_some_and(|s| s.ends_with(" SC"))
                })
            })
        })
        .unwrap_or(0)
}

fn load_fallback(source: &FallbackSource) -> Option<ExtraFace> {
    match source {
        FallbackSource::None => None,
        FallbackSource::Bytes(b) => {
            let index = sc_index(b);
            ExtraFace::new(Cow::Owned(b.clone()), index)
        }
        FallbackSource::System(dirs) => SYSTEM_FALLBACKS.iter().find_map(|name| {
            let path = dirs.iter().find_map(|d| find_file(d, name, 4))?;
            let data = std::fs::read(path).ok()?;
            let index = sc_index(&data);
            ExtraFace::new(Cow::Owned(data), index)
        }),
    }
}

/// The extra fonts of a font set: the vendored script fonts, and the
/// fallback, looked for the first time a character needs it.
pub struct Extras {
    arabic: ExtraFace,
    arabic_bold: ExtraFace,
    mongolian: ExtraFace,
    tibetan: ExtraFace,
    source: FallbackSource,
    fallback: OnceLock<Option<ExtraFace>>,
}

impl Extras {
    pub fn new(source: FallbackSource) -> Extras {
        Extras {
            arabic: ExtraFace::vendored(ARABIC_REGULAR),
            arabic_bold: ExtraFace::vendored(ARABIC_BOLD),
            mongolian: ExtraFace::vendored(MONGOLIAN),
            tibetan: ExtraFace::vendored(TIBETAN),
            source,
            fallback: OnceLock::new(),
        }
    }

    /// The face of `font`; `None` for a fallback that was not found.
    pub fn face(&self, font: Extra) -> Option<&ExtraFace> {
        match font {
            Extra::Arabic => Some(&self.arabic),
            Extra::ArabicBold => Some(&self.arabic_bold),
            Extra::Mongolian => Some(&self.mongolian),
            Extra::Tibetan => Some(&self.tibetan),
            Extra::Fallback => self
                .fallback
                .get_or_init(|| load_fallback(&self.source))
                .as_ref(),
        }
    }

    /// The script font for `ch` in `face`, if `ch` is of such a script
    /// and the font has it.
    pub fn script_font(&self, face: Face, ch: char) -> Option<Extra> {
        let font = match script_of(ch)? {
            Script::Arabic if face == Face::Bold => Extra::ArabicBold,
            Script::Arabic => Extra::Arabic,
            Script::Mongolian => Extra::Mongolian,
            Script::Tibetan => Extra::Tibetan,
        };
        self.face(font)?.has(ch).then_some(font)
    }

    /// The fallback, if it has `ch`.
    pub fn fallback_for(&self, ch: char) -> Option<Extra> {
        self.face(Extra::Fallback)?
            .has(ch)
            .then_some(Extra::Fallback)
    }

    pub fn shape(&self, font: Extra, text: &str, rtl: bool) -> Vec<Glyph> {
        let script = match font {
            Extra::Arabic | Extra::ArabicBold => Some(Script::Arabic),
            Extra::Mongolian => Some(Script::Mongolian),
            Extra::Tibetan => Some(Script::Tibetan),
            Extra::Fallback => None,
        };
        let mut glyphs = self
            .face(font)
            .map(|f| f.shape(text, script, rtl))
            .unwrap_or_default();
        if font == Extra::Tibetan {
            for g in &mut glyphs {
                g.dy += TIBETAN_RISE;
            }
        }
        glyphs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uyghur_letters_join_unlike_their_isolated_forms() {
        let x = Extras::new(FallbackSource::None);
        let word = "ئابدۇرېھىم";
        let joined = x.shape(Extra::Arabic, word, true);
        let isolated: Vec<u16> = word
            .chars()
            .map(|c| x.shape(Extra::Arabic, &c.to_string(), true)[0].id)
            .collect();
        assert!(joined.iter().all(|g| g.id != 0), "no .notdef");
        // Visual order: the last letter (م) comes first, in its final form.
        assert_eq!(joined[0].text, word.len() - 'م'.len_utf8()..word.len());
        let ids: Vec<u16> = joined.iter().map(|g| g.id).collect();
        let mut logical = ids.clone();
        logical.reverse();
        assert_ne!(logical, isolated, "contextual forms were chosen");
        // ې ۆ ۈ ۇ ڭ ھ ۋ and the Kazakh high hamza are all in the font.
        for ch in "ېۆۈۇڭھۋٴ".chars() {
            assert_eq!(
                x.script_font(Face::Regular, ch),
                Some(Extra::Arabic),
                "{ch}"
            );
        }
    }

    #[test]
    fn mongolian_and_tibetan_shape_without_notdef() {
        let x = Extras::new(FallbackSource::None);
        for (font, text) in [(Extra::Mongolian, "ᠮᠣᠩᠭᠣᠯ"), (Extra::Tibetan, "བསྟན་འཛིན")]
        {
            let g = x.shape(font, text, false);
            assert!(
                !g.is_empty() && g.iter().all(|g| g.id != 0),
                "{text}: {g:?}"
            );
        }
        // Tibetan hangs from a headline set near the top of Han.
        assert!(x.shape(Extra::Tibetan, "ཀ", false)[0].dy == TIBETAN_RISE);
        // A Tibetan stack: the subjoined letter sits under its base, not
        // after it.
        // One stack is narrower than its two letters side by side.
        let stack = x.shape(Extra::Tibetan, "སྐ", false);
        let apart: f32 = ["ས", "ཀ"]
            .iter()
            .map(|c| x.shape(Extra::Tibetan, c, false)[0].advance)
            .sum();
        let together: f32 = stack.iter().map(|g| g.advance).sum();
        assert!(together < apart * 0.8, "{stack:?}");
    }

    #[test]
    fn no_fallback_is_looked_for_when_none_is_asked() {
        let x = Extras::new(FallbackSource::None);
        assert_eq!(x.fallback_for('𠮷'), None);
        assert_eq!(x.script_font(Face::Regular, '居'), None);
    }
}
