//! The font family: parsed once, with every character's glyph id and advance
//! resolved up front into dense tables (the font's own lookup would otherwise
//! dominate layout time).

use super::shape::{Extras, FallbackSource};
use super::{Extra, Face, Glyph, Metrics};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};
use std::collections::HashMap;
use std::sync::Arc;

/// The vendored default: Noto Sans CJK SC, subset (see `fonts/README.md`).
pub const DEFAULT_REGULAR: &[u8] = include_bytes!("../../fonts/NotoSansSC-Regular.subset.otf");
pub const DEFAULT_BOLD: &[u8] = include_bytes!("../../fonts/NotoSansSC-Bold.subset.otf");

/// One face: the font file, the writer's handle on it and a table of the
/// characters prepared for layout (others are looked up in the font
/// directly).
pub struct FontFace {
    bytes: Arc<Vec<u8>>,
    /// The font as the PDF writer embeds (and subsets) it.
    pub pdf: krilla::text::Font,
    /// Its CFF program prepared once, and the stand-in the writer is given
    /// instead (see [`super::cff`]); made when first written.
    embedding: std::sync::OnceLock<Option<Embedding>>,
    /// What its stand-in's glyphs carry: 1 regular, 2 bold (set by the
    /// family), never drawn from a counter or a clock, so that the same
    /// input gives the same PDF.
    marker: i16,
    upm: f32,
    /// Prepared characters of the Basic Multilingual Plane, by code point
    /// (glyph 0: not prepared): an index, not a hash, for every glyph
    /// laid out and drawn.
    bmp: Vec<(u16, f32)>,
    /// Prepared characters beyond it.
    table: HashMap<char, (u16, f32)>,
    /// Every character of the plane the face maps is prepared (see
    /// [`Self::prepare_plane`]): one that is not, it lacks.
    plane_complete: bool,
    /// The glyphs of the characters given to [`Self::prepare`]: what its
    /// embedding prepares up front.
    up_front: Vec<u16>,
    pub ascent: f32,
    pub descent: f32,
}

impl FontFace {
    /// Parses `bytes`; `None` if they are not a usable font.
    pub fn parse(bytes: &[u8]) -> Option<FontFace> {
        let bytes = Arc::new(bytes.to_vec());
        let font = FontRef::new(&bytes).ok()?;
        let charmap = font.charmap();
        if charmap.map('一').is_none() && charmap.map('A').is_none() {
            return None;
        }
        let upm = f32::from(font.head().ok()?.units_per_em().max(1));
        let hhea = font.hhea().ok()?;
        let ascent = f32::from(hhea.ascender().to_i16()) / upm;
        let descent = f32::from(hhea.descender().to_i16()).abs() / upm;
        // A font the writer cannot embed is no font for us either.
        let pdf = krilla::text::Font::new(krilla::Data::from(bytes.clone()), 0)?;
        let mut face = FontFace {
            bytes,
            pdf,
            embedding: std::sync::OnceLock::new(),
            marker: 1,
            upm,
            bmp: vec![(0, 0.0); 0x10000],
            table: HashMap::new(),
            plane_complete: false,
            up_front: Vec::new(),
            ascent,
            descent,
        };
        face.prepare((' '..='~').chain("，。、；：？！（）「」《》“”‘’…—·①②③④⑤⑥⑦⑧⑨⑩□".chars()));
        Some(face)
    }

    /// The face's program and stand-in, if it is a CFF font the program
    /// can be prepared from (made once, on first use, with the glyphs of
    /// the characters prepared so far: see [`Self::prepare`]).
    pub fn embedding(&self) -> Option<&Embedding> {
        self.embedding
            .get_or_init(|| {
                let program =
                    super::cff::Program::prepare(&self.bytes, self.marker, &self.up_front)?;
                let stand_in = program.stand_in(&self.bytes)?;
                let stand_in = krilla::text::Font::new(krilla::Data::from(Arc::new(stand_in)), 0)?;
                Some(Embedding { program, stand_in })
            })
            .as_ref()
    }

    fn font(&self) -> Option<FontRef<'_>> {
        FontRef::new(&self.bytes).ok()
    }

    fn look_up_in(font: &FontRef<'_>, upm: f32, ch: char) -> Option<(u16, f32)> {
        let gid = font.charmap().map(ch).filter(|g| g.to_u32() != 0)?;
        let gid16 = u16::try_from(gid.to_u32()).ok()?;
        let advance = font
            .glyph_metrics(
                skrifa::instance::Size::unscaled(),
                skrifa::instance::LocationRef::default(),
            )
            .advance_width(gid)
            .unwrap_or(upm);
        Some((gid16, advance / upm))
    }

    fn look_up(&self, ch: char) -> Option<(u16, f32)> {
        if self.plane_complete && u32::from(ch) < 0x10000 {
            return None;
        }
        Self::look_up_in(&self.font()?, self.upm, ch)
    }

    /// Resolves every character of the Basic Multilingual Plane the face
    /// maps, so that laying out and drawing never ask the font again: the
    /// words the outputs add to the project's text (labels, the notices'
    /// sentences) were looked up in the font each time, and so was a
    /// character the face lacks. The embedding still prepares only the
    /// glyphs given to [`Self::prepare`] up front.
    pub fn prepare_plane(&mut self) {
        let Ok(font) = FontRef::new(&self.bytes) else {
            return;
        };
        let metrics = font.glyph_metrics(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        );
        for (code, gid) in font.charmap().mappings() {
            let (Some(slot), Ok(g)) =
                (self.bmp.get_mut(code as usize), u16::try_from(gid.to_u32()))
            else {
                continue;
            };
            if g != 0 && slot.0 == 0 {
                *slot = (g, metrics.advance_width(gid).unwrap_or(self.upm) / self.upm);
            }
        }
        self.plane_complete = true;
    }

    /// Resolves `chars` once, so layout never asks the font again.
    pub fn prepare(&mut self, chars: impl IntoIterator<Item = char>) {
        let Some(font) = FontRef::new(&self.bytes).ok() else {
            return;
        };
        for ch in chars {
            if let Some(g) = self.prepared(ch) {
                self.up_front.push(g.0);
                continue;
            }
            if let Some(g) = Self::look_up_in(&font, self.upm, ch) {
                self.up_front.push(g.0);
                match self.bmp.get_mut(ch as usize) {
                    Some(slot) => *slot = g,
                    None => {
                        self.table.insert(ch, g);
                    }
                }
            }
        }
        self.up_front.sort_unstable();
        self.up_front.dedup();
    }

    fn prepared(&self, ch: char) -> Option<(u16, f32)> {
        match self.bmp.get(ch as usize) {
            Some(g) => Some(*g).filter(|g| g.0 != 0),
            None => self.table.get(&ch).copied(),
        }
    }

    fn get(&self, ch: char) -> Option<(u16, f32)> {
        self.prepared(ch).or_else(|| self.look_up(ch))
    }

    /// The glyph of `ch`, if the font has one.
    pub fn glyph(&self, ch: char) -> Option<u16> {
        self.get(ch).map(|g| g.0)
    }

    pub fn has(&self, ch: char) -> bool {
        ch.is_control() || self.get(ch).is_some()
    }

    /// The advance of `ch` in ems (1 for a character the font lacks).
    pub fn advance(&self, ch: char) -> f32 {
        self.get(ch).map_or(1.0, |g| g.1)
    }
}

/// A face's font program prepared for embedding, and the stand-in font
/// the PDF writer subsets in its place.
pub struct Embedding {
    pub program: super::cff::Program,
    pub stand_in: krilla::text::Font,
}

/// Regular and bold, and the extra fonts for other scripts and rare
/// characters (see [`super::shape`]).
pub struct FontSet {
    pub regular: FontFace,
    pub bold: FontFace,
    pub extras: Extras,
}

impl FontSet {
    /// `regular` and `bold` with the vendored script fonts and a fallback
    /// from `source`.
    pub fn new(regular: FontFace, mut bold: FontFace, source: FallbackSource) -> FontSet {
        bold.marker = 2;
        FontSet {
            regular,
            bold,
            extras: Extras::new(source),
        }
    }

    /// The vendored default fonts (no fallback).
    pub fn default_fonts() -> FontSet {
        FontSet::new(
            FontFace::parse(DEFAULT_REGULAR).expect("vendored regular font parses"),
            FontFace::parse(DEFAULT_BOLD).expect("vendored bold font parses"),
            FallbackSource::None,
        )
    }

    /// Resolves every character of `text` in both faces up front (and
    /// every other character the faces have, see
    /// [`FontFace::prepare_plane`]).
    pub fn prepare(&mut self, chars: &std::collections::BTreeSet<char>) {
        for face in [&mut self.regular, &mut self.bold] {
            face.prepare(chars.iter().copied());
            face.prepare_plane();
        }
    }

    pub fn face(&self, face: Face) -> &FontFace {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// Whether both faces (or the extra fonts) can print `ch`.
    pub fn has(&self, ch: char) -> bool {
        let can = |face: Face| self.face(face).has(ch) || self.extra(face, ch).is_some();
        can(Face::Regular) && can(Face::Bold)
    }
}

impl Metrics for FontSet {
    fn advance(&self, face: Face, ch: char) -> f32 {
        if ch == '\n' {
            return 0.0;
        }
        // The common path: a character of the face, as before.
        if super::shape::script_of(ch).is_none()
            && let Some((_, advance)) = self.face(face).get(ch)
        {
            return advance;
        }
        if let Some(font) = self.extra(face, ch) {
            let rtl = super::shape::is_rtl(ch);
            return self
                .shape(font, ch.encode_utf8(&mut [0; 4]), rtl)
                .iter()
                .map(|g| g.advance)
                .sum();
        }
        self.face(face).advance(ch)
    }

    fn extra(&self, face: Face, ch: char) -> Option<Extra> {
        // Script characters always go to their shaping font; anything else
        // only when the face lacks it.
        if let Some(font) = self.extras.script_font(face, ch) {
            return Some(font);
        }
        if ch.is_ascii() || ch.is_control() || super::shape::script_of(ch).is_some() {
            return None;
        }
        if self.face(face).has(ch) {
            return None;
        }
        // A joiner (ZWJ, ZWNJ, the narrow no-break space of Mongolian
        // suffixes) the face lacks: a script font has it (inside a piece
        // it is shaped with the piece's own font).
        if super::shape::joins(ch) {
            let arabic = if face == Face::Bold {
                Extra::ArabicBold
            } else {
                Extra::Arabic
            };
            return [arabic, Extra::Mongolian, Extra::Tibetan]
                .into_iter()
                .find(|f| self.extras.face(*f).is_some_and(|x| x.has(ch)));
        }
        self.extras.fallback_for(ch)
    }

    fn shape(&self, font: Extra, text: &str, rtl: bool) -> Vec<Glyph> {
        self.extras.shape(font, text, rtl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_font_covers_chinese_latin_and_punctuation() {
        let f = FontSet::default_fonts();
        for ch in "居民身份证原件1份120元/本“引号”，。（）①⑳□√×㎡ABCxyz".chars()
        {
            assert!(f.has(ch), "missing {ch}");
        }
        assert_eq!(f.advance(Face::Regular, '居'), 1.0);
        assert!(f.advance(Face::Regular, '1') < 0.7);
        assert!(!f.has('\u{E000}'));
    }

    /// What `prepare` records is what the font says, in the dense table
    /// and beyond it; what the font lacks stays absent.
    #[test]
    fn prepared_characters_read_back_as_the_font_gives_them() {
        let mut face = FontFace::parse(DEFAULT_REGULAR).unwrap();
        let chars: Vec<char> = "居民身份证A1，〔〕㎡\u{E000}𠮷\u{1F600}".chars().collect();
        let before: Vec<_> = chars.iter().map(|c| face.look_up(*c)).collect();
        face.prepare(chars.iter().copied());
        for (c, want) in chars.iter().zip(&before) {
            assert_eq!(face.prepared(*c), *want, "{c}");
            assert_eq!(face.get(*c), *want, "{c}");
        }
        assert!(face.prepared('居').is_some() && face.prepared('\u{E000}').is_none());
    }

    /// With its whole plane prepared, a face answers every character of
    /// it as the font does, without asking the font; the embedding still
    /// prepares only the characters given to `prepare` up front.
    #[test]
    fn a_face_with_its_plane_prepared_answers_every_character_as_the_font_does() {
        for bytes in [DEFAULT_REGULAR, DEFAULT_BOLD] {
            let mut face = FontFace::parse(bytes).unwrap();
            face.prepare("居民".chars());
            let given = face.up_front.clone();
            let all: Vec<char> = (0..0x10000u32).filter_map(char::from_u32).collect();
            let before: Vec<_> = all.iter().map(|c| face.look_up(*c)).collect();
            assert!(before.iter().filter(|g| g.is_some()).count() > 8000);
            face.prepare_plane();
            assert_eq!(face.up_front, given);
            for (c, want) in all.iter().zip(&before) {
                assert_eq!(face.prepared(*c), *want, "{c:?}");
                assert_eq!(face.get(*c), *want, "{c:?}");
            }
            assert!(face.plane_complete && face.look_up('\u{E000}').is_none());
            // Beyond the plane the font is still asked.
            assert_eq!(
                face.get('𠮷'),
                FontFace::parse(bytes).unwrap().look_up('𠮷')
            );
        }
    }
}
