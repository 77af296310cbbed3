//! The print layout engine, independent of guides: styled blocks in, pages of
//! positioned glyph runs and vector shapes out. A thin writer (`render::pdf`)
//! turns pages into PDF, so the backend stays swappable.

pub mod breaking;
pub mod cff;
pub mod flow;
pub mod font;
pub mod shape;
pub mod sheet;
pub mod table;
pub mod text;

/// Which face of the font family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
}

/// A colour, components 0..1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);
    pub const WHITE: Rgb = Rgb(1.0, 1.0, 1.0);

    /// From `0xRRGGBB`.
    pub const fn hex(v: u32) -> Rgb {
        Rgb(
            ((v >> 16) & 0xff) as f32 / 255.0,
            ((v >> 8) & 0xff) as f32 / 255.0,
            (v & 0xff) as f32 / 255.0,
        )
    }
}

/// Where a link goes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    Uri(String),
    /// A named place in the document (resolved to a page by the writer).
    Anchor(String),
}

/// Advance widths of characters, in ems.
pub trait Metrics: Sync {
    fn advance(&self, face: Face, ch: char) -> f32;

    /// The font beyond the main faces that draws `ch` (a script the CJK
    /// faces lack, or a rare character of a fuller font); `None` for
    /// ordinary text.
    fn extra(&self, _face: Face, _ch: char) -> Option<Extra> {
        None
    }

    /// `text` (one piece in one extra font) shaped at 1 em: glyphs in
    /// visual order, text ranges into `text`.
    fn shape(&self, _font: Extra, _text: &str, _rtl: bool) -> Vec<Glyph> {
        Vec::new()
    }
}

/// A font beyond the two CJK faces: one per script they lack, and a fuller
/// font for rare Han characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Extra {
    /// Arabic script (Uyghur, Kazakh), regular and bold.
    Arabic,
    ArabicBold,
    Mongolian,
    Tibetan,
    /// The project's or the system's fuller font.
    Fallback,
}

impl Extra {
    pub const ALL: [Extra; 5] = [
        Extra::Arabic,
        Extra::ArabicBold,
        Extra::Mongolian,
        Extra::Tibetan,
        Extra::Fallback,
    ];
}

/// One shaped glyph. Lengths in ems while shaping, in points on a
/// [`GlyphRun`].
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub advance: f32,
    /// Offsets from the pen position; `dy` upwards.
    pub dx: f32,
    pub dy: f32,
    /// The characters it draws: a byte range of the run's text.
    pub text: std::ops::Range<usize>,
}

/// Glyphs a shaper chose, in visual order, drawn one after another from
/// the run's `x`.
#[derive(Clone, Debug, PartialEq)]
pub struct Shaped {
    pub font: Extra,
    /// Set right to left (the glyphs are already in visual order).
    pub rtl: bool,
    pub glyphs: Vec<Glyph>,
}

/// Text in one face, size and colour, positioned on the page. `text` is what
/// extraction yields: exactly the source characters, in reading order.
#[derive(Clone, Debug, PartialEq)]
pub struct GlyphRun {
    /// Left edge and baseline, in points from the page's top-left corner
    /// (the writer flips to PDF's bottom-left).
    pub x: f32,
    pub y: f32,
    pub face: Face,
    pub size: f32,
    pub color: Rgb,
    /// Extra space after every character (PDF `Tc`), for justification.
    pub spacing: f32,
    pub text: String,
    /// (character index, points) taken out after that character.
    pub squeeze: Vec<(usize, f32)>,
    pub link: Option<LinkTarget>,
    /// Which span of its paragraph it came from (layout bookkeeping).
    pub span: usize,
    /// Set right to left (inside a name in Arabic script): a character
    /// with a mirrored form, such as a bracket, is drawn with that form
    /// (rule L4 of the bidi algorithm), while `text` keeps the character
    /// as typed.
    pub rtl: bool,
    /// Drawn width.
    pub width: f32,
    /// Shaped glyphs in an extra font (Arabic, Mongolian, Tibetan, a rare
    /// character); `None`: the characters of `text` in `face`, one glyph
    /// each, as the CJK path sets them.
    pub shaped: Option<Box<Shaped>>,
}

/// A stroke style.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    pub color: Rgb,
    pub width: f32,
    /// Dash and gap length; `None` for solid.
    pub dash: Option<(f32, f32)>,
}

/// Something drawn on a page. Coordinates in points from the top-left.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Text(GlyphRun),
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        stroke: Stroke,
    },
    /// Rectangles of one colour on a grid, filled as one shape (a QR
    /// code's modules): each `[column, row, columns, rows]` in cells of
    /// `cell` points, the grid's top left at (x, y).
    Grid {
        x: f32,
        y: f32,
        cell: f32,
        fill: Rgb,
        squares: Vec<[u16; 4]>,
    },
    /// A clickable area.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: LinkTarget,
    },
    /// Opens a stretch of content: the items up to the next [`Item::End`]
    /// belong to the innermost element of the tag. Items outside any
    /// stretch are page furniture (running heads, page numbers, rules,
    /// tabs, backgrounds).
    Begin(Tag),
    End,
}

/// What an element of the document's logical structure is (tagged PDF:
/// what screen readers and copy-paste follow).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// A heading, level 1 (the highest) to 6.
    Heading(u8),
    Paragraph,
    List,
    ListItem,
    /// A list item's marker (①, •, a box).
    Label,
    /// A list item's text.
    ListBody,
    Table,
    Row,
    HeaderCell,
    Cell,
    /// A picture that carries meaning (a QR code), with its text
    /// alternative.
    Figure(String),
}

/// One element of the structure. Elements with the same id are the same
/// element, wherever their stretches are (a paragraph split across pages,
/// a table row continued under a repeated header).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Element {
    pub id: u64,
    pub role: Role,
}

impl Element {
    /// A new element, its id unique in the process.
    pub fn new(role: Role) -> Element {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Element {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            role,
        }
    }
}

/// Where a stretch of content sits in the structure: its elements,
/// outermost first (a table, its row, the cell).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag(pub std::sync::Arc<[Element]>);

impl Tag {
    pub fn new(path: Vec<Element>) -> Tag {
        Tag(path.into())
    }

    /// This tag with `e` inside its innermost element.
    pub fn child(&self, e: Element) -> Tag {
        Tag(self.0.iter().cloned().chain([e]).collect())
    }

    /// `items` as content of this tag.
    pub fn wrap(&self, items: impl IntoIterator<Item = Item>) -> Vec<Item> {
        let mut out = vec![Item::Begin(self.clone())];
        out.extend(items);
        out.push(Item::End);
        out
    }
}

/// A rectangle in points from the page's top-left corner.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Area {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// Which inks a document is written for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ink {
    /// The screen edition: colours in RGB, text black as pure K.
    #[default]
    Screen,
    /// The print edition: every colour in CMYK, black text K only.
    Print,
}

/// One finished page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    /// The sheet (MediaBox), in points.
    pub width: f32,
    pub height: f32,
    /// The finished page inside the sheet (TrimBox); `None`: the sheet is
    /// the page.
    pub trim: Option<Area>,
    /// How far art runs beyond the trim (BleedBox); `None`: no bleed.
    pub bleed: Option<Area>,
    pub items: Vec<Item>,
    /// Named places on this page (for links and the outline).
    pub anchors: Vec<String>,
    /// The body lines set on this page, for measuring (the writer ignores
    /// them).
    pub lines: Vec<LineMark>,
}

/// A body line as set: which items draw it and how it was justified.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineMark {
    /// The page's items that draw the line.
    pub items: std::ops::Range<usize>,
    /// Space per gap in ems (see [`text::Line::spread`]).
    pub spread: f32,
    /// The share of their blank half its marks gave up (see
    /// [`text::Line::shrink`]).
    pub shrink: f32,
    /// The last line of its paragraph.
    pub last: bool,
    /// A single character alone on the last line.
    pub runt: bool,
    /// Set flush left in a justified paragraph (a web address).
    pub ragged: bool,
}

impl Page {
    /// The text of a marked line.
    pub fn line_text(&self, mark: &LineMark) -> String {
        self.items[mark.items.clone()]
            .iter()
            .filter_map(|i| match i {
                Item::Text(r) => Some(r.text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// An outline (bookmark) entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Bookmark {
    pub title: String,
    pub page: usize,
    /// 0 = top level.
    pub level: u8,
}

/// A laid-out document: pages, bookmarks and metadata.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub title: String,
    pub author: String,
    pub subject: String,
    /// `YYYY-MM-DD`, from the data or `SOURCE_DATE_EPOCH`.
    pub date: String,
    pub pages: Vec<Page>,
    pub bookmarks: Vec<Bookmark>,
    /// Screen or print inks.
    pub ink: Ink,
    /// An archival record (PDF/A), as a notice is.
    pub archival: bool,
}

/// Every character one em wide, Latin half an em: metrics for unit tests.
#[cfg(test)]
pub(crate) struct Mono;

#[cfg(test)]
impl Metrics for Mono {
    fn advance(&self, _: Face, ch: char) -> f32 {
        if ch.is_ascii() { 0.5 } else { 1.0 }
    }
}

/// The modules of the QR code of `data` (level M), row by row, and the
/// width: the code the `qrcode` crate makes, its mask chosen by the same
/// penalty scores but counted on plain rows and columns (the crate's own
/// count was a tenth of the time of a notice), and the masks applied to
/// them (the crate's canvas, cloned for each mask, was 660,000
/// instructions a code).
pub fn qr_modules(data: &[u8]) -> Option<(usize, Vec<bool>)> {
    use qrcode::canvas::{Canvas, Module};
    use qrcode::{Color, EcLevel, Version};
    let bits = qrcode::bits::encode_auto(data, EcLevel::M).ok()?;
    let version = bits.version();
    if let Version::Micro(_) = version {
        let code = qrcode::QrCode::with_bits(bits, EcLevel::M).ok()?;
        let dark = code
            .to_colors()
            .iter()
            .map(|c| *c == qrcode::Color::Dark)
            .collect();
        return Some((code.width(), dark));
    }
    let (data, ec) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let n = version.width().max(0) as usize;
    let w = i16::try_from(n).ok()?;
    // Each module, row by row: its colour, and whether the mask applies
    // (what the crate's `Module::mask` does: a data module is inverted
    // where the mask is true, an empty one takes the mask's value).
    let mut base = vec![false; n * n];
    let mut masked = vec![false; n * n];
    for y in 0..w {
        for x in 0..w {
            let i = y as usize * n + x as usize;
            match canvas.get(x, y) {
                Module::Masked(c) => base[i] = c == Color::Dark,
                Module::Unmasked(c) => (base[i], masked[i]) = (c == Color::Dark, true),
                Module::Empty => masked[i] = true,
            }
        }
    }
    // The crate's masks, in its order (the first of equal scores wins,
    // as in the crate), each with its format information at level M.
    let mut masks = [
        0x5412u16, 0x5125, 0x5e7c, 0x5b4b, 0x45f9, 0x40ce, 0x4f97, 0x4aa0,
    ]
    .map(|format| (base.clone(), format));
    // Each mask its own loop, so that its test is worked out inline.
    fn flip(dark: &mut [bool], masked: &[bool], w: i16, mask: impl Fn(i16, i16) -> bool) {
        let n = w as usize;
        for y in 0..w {
            for x in 0..w {
                let i = y as usize * n + x as usize;
                if masked[i] && mask(x, y) {
                    dark[i] = !dark[i];
                }
            }
        }
    }
    let [m0, m1, m2, m3, m4, m5, m6, m7] = &mut masks;
    let m = &masked;
    flip(&mut m0.0, m, w, |x, y| (x + y) % 2 == 0);
    flip(&mut m1.0, m, w, |_, y| y % 2 == 0);
    flip(&mut m2.0, m, w, |x, _| x % 3 == 0);
    flip(&mut m3.0, m, w, |x, y| (x + y) % 3 == 0);
    flip(&mut m4.0, m, w, |x, y| ((y / 2) + (x / 3)) % 2 == 0);
    flip(&mut m5.0, m, w, |x, y| (x * y) % 2 + (x * y) % 3 == 0);
    flip(&mut m6.0, m, w, |x, y| ((x * y) % 2 + (x * y) % 3) % 2 == 0);
    flip(&mut m7.0, m, w, |x, y| ((x + y) % 2 + (x * y) % 3) % 2 == 0);
    // Where the crate draws the fifteen bits of the format information,
    // most significant first, twice (negative: from the far edge).
    #[rustfmt::skip]
    const MAIN: [(i16, i16); 15] = [
        (0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8),
        (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0),
    ];
    #[rustfmt::skip]
    const SIDE: [(i16, i16); 15] = [
        (8, -1), (8, -2), (8, -3), (8, -4), (8, -5), (8, -6), (8, -7),
        (-8, 8), (-7, 8), (-6, 8), (-5, 8), (-4, 8), (-3, 8), (-2, 8), (-1, 8),
    ];
    let at = |x: i16, y: i16| {
        let wrap = |v: i16| if v < 0 { v + w } else { v } as usize;
        wrap(y) * n + wrap(x)
    };
    masks
        .into_iter()
        .map(|(mut dark, format)| {
            for coords in [MAIN, SIDE] {
                for (k, &(x, y)) in coords.iter().enumerate() {
                    dark[at(x, y)] = format & (1 << (14 - k)) != 0;
                }
            }
            dark[at(8, -8)] = true;
            (qr_penalty(&dark, n), dark)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, dark)| (n, dark))
}

/// The penalty of a masked QR code as the `qrcode` crate counts it: runs
/// of five or more, 2×2 blocks, finder-like patterns (less the three real
/// finders' 360 in each direction) and the dark/light balance.
fn qr_penalty(dark: &[bool], n: usize) -> i32 {
    qr_penalty_by_bits(dark, n).unwrap_or_else(|| qr_penalty_by_modules(dark, n))
}

/// [`qr_penalty`] counted module by module, for a code of any width.
fn qr_penalty_by_modules(dark: &[bool], n: usize) -> i32 {
    let mut score = 0i32;
    let mut column = vec![false; n];
    let mut prefix = Vec::with_capacity(n + 1);
    for i in 0..n {
        score += qr_line_penalty(&dark[i * n..(i + 1) * n], &mut prefix);
        for (j, m) in column.iter_mut().enumerate() {
            *m = dark[j * n + i];
        }
        score += qr_line_penalty(&column, &mut prefix);
    }
    score -= 720;
    for i in 0..n.saturating_sub(1) {
        let (a, b) = (&dark[i * n..(i + 1) * n], &dark[(i + 1) * n..(i + 2) * n]);
        for j in 0..n - 1 {
            let c = a[j];
            if c == a[j + 1] && c == b[j] && c == b[j + 1] {
                score += 3;
            }
        }
    }
    let ratio = (dark.iter().filter(|&&d| d).count() * 200 / dark.len().max(1)) as i32;
    score + (ratio - 100).abs()
}

/// [`qr_penalty`] counted on each row and column as the bits of one
/// `u128` (for codes up to 117 modules wide, version 25: every web
/// address a notice or booklet carries), a word at a time rather than a
/// module at a time; `None` for a wider code.
fn qr_penalty_by_bits(dark: &[bool], n: usize) -> Option<i32> {
    if !(7..=117).contains(&n) || dark.len() != n * n {
        return None;
    }
    let full: u128 = (1 << n) - 1;
    // Bit j of rows[i] and of columns[j] … bit i: module (i, j) is dark.
    let mut rows = vec![0u128; n];
    let mut columns = vec![0u128; n];
    for i in 0..n {
        for j in 0..n {
            if dark[i * n + j] {
                rows[i] |= 1 << j;
                columns[j] |= 1 << i;
            }
        }
    }
    // Bits set in every one of `k` places from bit j on.
    let all = |x: u128, k: usize| (0..k).fold(full, |acc, d| acc & x >> d);
    let line = |x: u128| -> i32 {
        let light = !x & full;
        // Runs of five or more: a run of length L has L − 4 places where
        // five equal modules start, and scores L − 2.
        let five = (all(x, 5) | all(light, 5)) & (full >> 4);
        let runs = five & !(five << 1);
        let mut score = (five.count_ones() + 2 * runs.count_ones()) as i32;
        // 1:1:3:1:1 (dark light dark dark dark light dark; the same read
        // either way) from bit s, with four light modules (or the edge)
        // before it or after it.
        let finder = x & light >> 1 & x >> 2 & x >> 3 & x >> 4 & light >> 5 & x >> 6 & (full >> 6);
        if finder != 0 {
            // Light or outside the code: beyond bit n − 1, and below bit 0.
            let outside = light | !full;
            let before = (1..=4).fold(u128::MAX, |acc, d| acc & (outside << d | ((1 << d) - 1)));
            let after = (7..=10).fold(u128::MAX, |acc, d| acc & (outside >> d));
            score += 40 * (finder & (before | after)).count_ones() as i32;
        }
        score
    };
    let mut score: i32 = rows.iter().chain(&columns).map(|&x| line(x)).sum();
    score -= 720;
    // 2×2 blocks of one colour.
    for w in rows.windows(2) {
        let same = !(w[0] ^ w[1]) & full;
        let beside = !(w[0] ^ w[0] >> 1);
        score += 3 * (same & same >> 1 & beside & (full >> 1)).count_ones() as i32;
    }
    let darks: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let ratio = (darks as usize * 200 / (n * n)) as i32;
    Some(score + (ratio - 100).abs())
}

/// One row's or column's share of the penalty: its runs of five or more,
/// and each 1:1:3:1:1 pattern with four light modules (or the edge) on
/// one side. `prefix` is scratch space.
fn qr_line_penalty(line: &[bool], prefix: &mut Vec<u16>) -> i32 {
    let n = line.len();
    let mut score = 0i32;
    let mut run = 1;
    for j in 1..=n {
        if j < n && line[j] == line[j - 1] {
            run += 1;
        } else {
            if run >= 5 {
                score += run - 2;
            }
            run = 1;
        }
    }
    // Dark modules before each place, to ask "any dark in a span?".
    prefix.clear();
    prefix.push(0);
    let mut darks = 0u16;
    for &d in line {
        darks += u16::from(d);
        prefix.push(darks);
    }
    // The last seven modules, one bit each.
    let mut window = 0u8;
    for (j, &d) in line.iter().enumerate() {
        window = (window << 1 | u8::from(d)) & 0x7f;
        if j >= 6 && window == 0b101_1101 {
            let s = j - 6;
            let before = prefix[s] > prefix[s.saturating_sub(4)];
            let after = prefix[(s + 11).min(n)] > prefix[s + 7];
            if !before || !after {
                score += 40;
            }
        }
    }
    score
}

/// A QR code of `data` in a `size`-point square at (x, y): the white
/// square, then the dark modules as one [`Item::Grid`] (each run of dark
/// modules in a row one rectangle, and a run repeated in the rows below
/// it the same rectangle, taller).
pub fn qr(data: &str, x: f32, y: f32, size: f32) -> Vec<Item> {
    let Some((n, dark)) = qr_modules(data.as_bytes()) else {
        return Vec::new();
    };
    // Four modules of quiet zone on each side.
    let cell = size / (n + 8) as f32;
    // [column, row, columns, rows]; `open` holds the rectangles that
    // reach the row above, (first column, column after, rectangle), left
    // to right.
    let mut squares: Vec<[u16; 4]> = Vec::new();
    let mut open: Vec<(usize, usize, usize)> = Vec::new();
    for row in 0..n {
        let mut still = Vec::with_capacity(open.len());
        // The first of `open` that may start where this run starts.
        let mut j = 0;
        let mut col = 0;
        while col < n {
            if !dark[row * n + col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && dark[row * n + col] {
                col += 1;
            }
            while open.get(j).is_some_and(|o| o.0 < start) {
                j += 1;
            }
            let at = match open.get(j) {
                Some(&(s, e, k)) if (s, e) == (start, col) => {
                    squares[k][3] += 1;
                    k
                }
                _ => {
                    // The quiet zone: four modules in.
                    let g = |v: usize| u16::try_from(v + 4).unwrap_or(u16::MAX);
                    squares.push([g(start), g(row), g(col) - g(start), 1]);
                    squares.len() - 1
                }
            };
            still.push((start, col, at));
        }
        open = still;
    }
    vec![
        Item::Begin(Tag::new(vec![Element::new(Role::Figure(format!(
            "二维码：{data}"
        )))])),
        Item::Rect {
            x,
            y,
            w: size,
            h: size,
            fill: Some(Rgb::WHITE),
            stroke: None,
        },
        Item::Grid {
            x,
            y,
            cell,
            fill: Rgb::BLACK,
            squares,
        },
        Item::End,
    ]
}

#[cfg(test)]
mod qr_tests {
    use super::{Item, qr, qr_modules};

    /// The rectangles of a code's grid cover its dark modules, each once,
    /// and nothing else; runs repeated in the rows below are one
    /// rectangle.
    #[test]
    fn a_codes_rectangles_cover_its_dark_modules_once() {
        for data in [
            "https://zwfw.example.gov.cn/m/1",
            "https://dating.example.gov.cn/desk/n/2026-17",
            &"https://zwfw.example.gov.cn/guide/matters/".repeat(5),
        ] {
            let (n, dark) = qr_modules(data.as_bytes()).unwrap();
            let items = qr(data, 10.0, 20.0, 80.0);
            let Some(Item::Grid {
                x,
                y,
                cell,
                squares,
                ..
            }) = items.iter().find(|i| matches!(i, Item::Grid { .. }))
            else {
                panic!("no grid");
            };
            assert_eq!((*x, *y, *cell), (10.0, 20.0, 80.0 / (n + 8) as f32));
            let mut covered = vec![0u8; n * n];
            for &[c, r, w, h] in squares {
                for row in r..r + h {
                    for col in c..c + w {
                        // Four modules of quiet zone.
                        let (row, col) = (usize::from(row) - 4, usize::from(col) - 4);
                        covered[row * n + col] += 1;
                    }
                }
            }
            let want: Vec<u8> = dark.iter().map(|&d| u8::from(d)).collect();
            assert_eq!(covered, want, "{data}");
            let runs = (0..n)
                .map(|r| {
                    (0..n)
                        .filter(|&c| dark[r * n + c] && (c == 0 || !dark[r * n + c - 1]))
                        .count()
                })
                .sum::<usize>();
            assert!(squares.len() < runs, "{} of {runs}", squares.len());
        }
    }

    /// The penalty counted on words is the one counted module by module,
    /// for codes of every width it takes, dark modules from sparse to
    /// dense.
    #[test]
    fn the_qr_penalty_by_bits_is_the_penalty_by_modules() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut checked = 0;
        for n in 7..=117 {
            for density in [2, 8, 16, 24, 30] {
                let dark: Vec<bool> = (0..n * n).map(|_| next() % 32 < density).collect();
                assert_eq!(
                    super::qr_penalty_by_bits(&dark, n),
                    Some(super::qr_penalty_by_modules(&dark, n)),
                    "{n} modules, density {density}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 111 * 5);
        assert_eq!(
            super::qr_penalty_by_bits(&vec![false; 118 * 118], 118),
            None
        );
    }

    /// The code is the `qrcode` crate's, mask and all, for web addresses
    /// of every length a notice or booklet carries, and longer.
    #[test]
    fn the_qr_code_is_the_crates_own_with_the_same_mask() {
        let mut checked = 0;
        for len in (1..300).step_by(7) {
            for seed in 0..4u32 {
                let data: String = (0..len)
                    .map(|i| {
                        let v = (i as u32)
                            .wrapping_mul(2_654_435_761)
                            .wrapping_add(seed * 97)
                            >> 7;
                        char::from(
                            b"abcdefghijklmnopqrstuvwxyz0123456789/.-_?=&%"[(v % 44) as usize],
                        )
                    })
                    .collect();
                let url = format!("https://zwfw.example.gov.cn/{data}");
                let code =
                    qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
                        .unwrap();
                let want: Vec<bool> = code
                    .to_colors()
                    .iter()
                    .map(|c| *c == qrcode::Color::Dark)
                    .collect();
                assert_eq!(
                    super::qr_modules(url.as_bytes()),
                    Some((code.width(), want)),
                    "{url}"
                );
                checked += 1;
            }
        }
        assert!(checked > 150);
    }
}
