//! The font family: parsed once, with every character's glyph id and advance
//! resolved up front into dense tables (the font's own lookup would otherwise
//! dominate layout time).

use super::shape::{Extras, FallbackSource};
use super::{Extra, Face, Glyph, Metrics};
use printpdf::ParsedFont;
use std::collections::HashMap;

/// The vendored default: Noto Sans CJK SC, subset (see `fonts/README.md`).
pub const DEFAULT_REGULAR: &[u8] = include_bytes!("../../fonts/NotoSansSC-Regular.subset.otf");
pub const DEFAULT_BOLD: &[u8] = include_bytes!("../../fonts/NotoSansSC-Bold.subset.otf");

/// One face: the parsed font and a table of the characters prepared for
/// layout (others are looked up in the font directly).
pub struct FontFace {
    pub parsed: ParsedFont,
    upm: f32,
    table: HashMap<char, (u16, f32)>,
    pub ascent: f32,
    pub descent: f32,
}

impl FontFace {
    /// Parses `bytes`; `None` if they are not a usable font.
    pub fn parse(bytes: &[u8]) -> Option<FontFace> {
        // The parser indexes tables by the offsets a damaged file states;
        // a panic there is a bad font, not a crash of the build.
        let parsed = std::panic::catch_unwind(|| ParsedFont::from_bytes(bytes, 0, &mut Vec::new()))
            .ok()
            .flatten()?;
        if parsed.lookup_glyph_index('一' as u32).is_none()
            && parsed.lookup_glyph_index('A' as u32).is_none()
        {
            return None;
        }
        let upm = f32::from(parsed.font_metrics.units_per_em.max(1));
        let ascent = parsed.font_metrics.ascent / upm;
        let descent = parsed.font_metrics.descent.abs() / upm;
        let mut face = FontFace {
            parsed,
            upm,
            table: HashMap::new(),
            ascent,
            descent,
        };
        face.prepare((' '..='~').chain("，。、；：？！（）「」《》“”‘’…—·①②③④⑤⑥⑦⑧⑨⑩□".chars()));
        Some(face)
    }

    fn look_up(&self, ch: char) -> Option<(u16, f32)> {
        let gid = self
            .parsed
            .lookup_glyph_index(ch as u32)
            .filter(|g| *g != 0)?;
        Some((
            gid,
            f32::from(self.parsed.get_horizontal_advance(gid)) / self.upm,
        ))
    }

    /// Resolves `chars` once, so layout never asks the font again.
    pub fn prepare(&mut self, chars: impl IntoIterator<Item = char>) {
        for ch in chars {
            if !self.table.contains_key(&ch)
                && let Some(g) = self.look_up(ch)
            {
                self.table.insert(ch, g);
            }
        }
    }

    fn get(&self, ch: char) -> Option<(u16, f32)> {
        self.table.get(&ch).copied().or_else(|| self.look_up(ch))
    }

    /// The glyph of `ch`, if the font has one.
    pub fn glyph(&self, ch: char) -> Option<u16> {
        self.get(ch).map(|g| g.0)
    }

    pub fn has(&self, ch: char) -> bool {
        ch.is_control() || self.get(ch).is_some()
    }

    fn advance(&self, ch: char) -> f32 {
        self.get(ch).map_or(1.0, |g| g.1)
    }
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
    pub fn new(regular: FontFace, bold: FontFace, source: FallbackSource) -> FontSet {
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

    /// Resolves every character of `text` in both faces up front.
    pub fn prepare(&mut self, chars: &std::collections::BTreeSet<char>) {
        self.regular.prepare(chars.iter().copied());
        self.bold.prepare(chars.iter().copied());
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
}
