//! A CFF face's font program, prepared once so that every PDF embeds just
//! the glyphs it uses without subsetting the font again.
//!
//! The PDF writer (krilla) subsets, measures and deflates each font anew
//! for every document: about half of the time of a one-page notice, a
//! thousand times a build. So the face's glyphs are subset once (by the
//! same subsetter, which also inlines the subroutines: the project's
//! characters' up front, any other the first time a document needs it)
//! and kept as one charstring per glyph. The writer is given a
//! *stand-in* of the face: the same font file with a `glyf` table in which
//! every glyph is empty, each glyph's left side bearing its own id and the
//! `head` table marked as a stand-in of this face ([`stand_in_glyphs`]).
//! The face keeps its CFF table, so the writer describes the font as a CFF
//! font; but the subsetter takes the `glyf` outlines first, and empty ones
//! cost it, and the writer measuring them, next to nothing. The PDF is
//! finished with each embedded stand-in replaced by the real program of the
//! same glyphs in the same order ([`Program::write`]). Widths, metrics and
//! names are the face's own.

/// The four Top DICT entries that hold offsets, in the order their places
/// are kept: charset, CharStrings, FDArray, FDSelect.
const OFFSET_OPS: [u16; 4] = [15, 17, 1236, 1237];
const PRIVATE: u16 = 18;
const SUBRS: u16 = 19;
const ROS: u16 = 1230;

/// A CID-keyed CFF program without subroutines, glyph by glyph.
pub struct Program {
    /// The header and the Name INDEX, as they are.
    head: Vec<u8>,
    /// The Top DICT; `at` is where each offset of [`OFFSET_OPS`] starts
    /// in it (a five-byte integer, so it is rewritten in place).
    top: Vec<u8>,
    at: [usize; 4],
    /// The String INDEX, as it is.
    strings: Vec<u8>,
    /// Per font dictionary: its entries but `Private`, and its Private DICT.
    fds: Vec<(Vec<u8>, Vec<u8>)>,
    /// Per glyph: its font dictionary. Read from a subset; for a prepared
    /// face the face's, for every glyph.
    fd_of: Vec<u8>,
    /// What the stand-in's `head` carries, to tell this face's from
    /// another's.
    pub marker: i16,
    /// The face's file, the first glyph of each of its font dictionaries
    /// (and `.notdef`), and the glyphs prepared so far.
    face: std::sync::Arc<[u8]>,
    firsts: Vec<u16>,
    glyphs: std::sync::Mutex<Prepared>,
}

/// The glyphs of a face prepared so far, each when a document first
/// needed it.
#[derive(Default)]
struct Prepared {
    /// Per glyph of the face: its charstring, if prepared.
    charstrings: Vec<Option<Box<[u8]>>>,
    /// Per glyph: the box of its outline's points in PDF glyph units
    /// (thousandths of an em), if it is prepared and has an outline.
    boxes: Vec<Option<[f32; 4]>>,
}

/// The box of every point of a glyph's outline, control points included
/// (as the PDF writer measures a glyph for the font's bounding box).
#[derive(Default)]
struct Bounds(Option<[f32; 4]>, Option<(f32, f32)>);

impl Bounds {
    fn add(&mut self, x: f32, y: f32) {
        let b = self.0.get_or_insert([x, y, x, y]);
        *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    /// A point that draws: the contour's start counts with it.
    fn draw(&mut self, pts: &[(f32, f32)]) {
        if let Some((x, y)) = self.1.take() {
            self.add(x, y);
        }
        for &(x, y) in pts {
            self.add(x, y);
        }
    }
}

impl skrifa::outline::OutlinePen for Bounds {
    fn move_to(&mut self, x: f32, y: f32) {
        self.1 = Some((x, y));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.draw(&[(x, y)]);
    }
    fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
        self.draw(&[(a, b), (x, y)]);
    }
    fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
        self.draw(&[(a, b), (c, d), (x, y)]);
    }
    fn close(&mut self) {}
}

/// A number of a DICT or a charstring at the start of `d`: its value and
/// length. In a charstring 29 is an operator and 255 a 16.16 number.
fn number(d: &[u8], charstring: bool) -> Option<(i32, usize)> {
    let b = *d.first()?;
    let at = |i: usize| d.get(i).map(|&v| i32::from(v));
    Some(match b {
        28 => (i32::from(i16::from_be_bytes([*d.get(1)?, *d.get(2)?])), 3),
        29 if !charstring => (i32::from_be_bytes(d.get(1..5)?.try_into().ok()?), 5),
        255 if charstring => (i32::from_be_bytes(d.get(1..5)?.try_into().ok()?) >> 16, 5),
        32..=246 => (i32::from(b) - 139, 1),
        247..=250 => ((i32::from(b) - 247) * 256 + at(1)? + 108, 2),
        251..=254 => (-(i32::from(b) - 251) * 256 - at(1)? - 108, 2),
        _ => return None,
    })
}

/// The entries of a DICT: (operator, where its operands start, where the
/// operator starts); an escaped operator `12 x` is `1200 + x`.
fn dict(d: &[u8]) -> Option<Vec<(u16, usize, usize)>> {
    let mut out = Vec::new();
    let (mut i, mut start) = (0, 0);
    while i < d.len() {
        match d[i] {
            12 => {
                out.push((1200 + u16::from(*d.get(i + 1)?), start, i));
                i += 2;
                start = i;
            }
            b @ 0..=21 => {
                out.push((u16::from(b), start, i));
                i += 1;
                start = i;
            }
            30 => {
                // A real number: nibbles up to one of 0xf.
                i += 1;
                loop {
                    let n = *d.get(i)?;
                    i += 1;
                    if n >> 4 == 0xf || n & 0xf == 0xf {
                        break;
                    }
                }
            }
            _ => i += number(&d[i..], false)?.1,
        }
    }
    (start == d.len()).then_some(out)
}

/// The integer operands of a DICT entry.
fn operands(d: &[u8]) -> Option<Vec<i32>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < d.len() {
        let (v, n) = number(&d[i..], false)?;
        out.push(v);
        i += n;
    }
    Some(out)
}

/// The items of the INDEX at `at` and where it ends.
fn index(d: &[u8], at: usize) -> Option<(Vec<&[u8]>, usize)> {
    let count = usize::from(u16::from_be_bytes([*d.get(at)?, *d.get(at + 1)?]));
    if count == 0 {
        return Some((Vec::new(), at + 2));
    }
    let size = usize::from(*d.get(at + 2)?);
    if !(1..=4).contains(&size) {
        return None;
    }
    let offset = |k: usize| {
        let s = at + 3 + k * size;
        d.get(s..s + size)
            .map(|b| b.iter().fold(0usize, |v, &x| v << 8 | usize::from(x)))
    };
    let data = at + 3 + (count + 1) * size - 1;
    let mut items = Vec::with_capacity(count);
    let mut from = offset(0)?;
    for k in 1..=count {
        let to = offset(k)?;
        items.push(d.get(data + from..data + to)?);
        from = to;
    }
    Some((items, data + from))
}

/// `items` as an INDEX.
fn write_index(out: &mut Vec<u8>, items: &[&[u8]]) {
    out.extend_from_slice(&u16::try_from(items.len()).unwrap_or(0).to_be_bytes());
    if items.is_empty() {
        return;
    }
    let total: usize = items.iter().map(|i| i.len()).sum::<usize>() + 1;
    let size: usize = match total {
        0..=0xff => 1,
        0x100..=0xffff => 2,
        0x1_0000..=0xff_ffff => 3,
        _ => 4,
    };
    out.push(size as u8);
    let mut at = 1usize;
    let put = |out: &mut Vec<u8>, v: usize| out.extend_from_slice(&v.to_be_bytes()[8 - size..]);
    put(out, at);
    for i in items {
        at += i.len();
        put(out, at);
    }
    for i in items {
        out.extend_from_slice(i);
    }
}

/// A five-byte DICT integer.
fn int5(v: usize) -> [u8; 5] {
    let [a, b, c, d] = u32::try_from(v).unwrap_or(u32::MAX).to_be_bytes();
    [29, a, b, c, d]
}

/// The FDSelect at `at` of a CFF table of `n` glyphs: each glyph's font
/// dictionary.
fn fd_select(cff: &[u8], at: usize, n: usize) -> Option<Vec<u8>> {
    Some(match *cff.get(at)? {
        0 => cff.get(at + 1..at + 1 + n)?.to_vec(),
        3 => {
            let s = at + 1;
            let count = usize::from(u16::from_be_bytes([*cff.get(s)?, *cff.get(s + 1)?]));
            let mut fd_of = vec![0; n];
            for r in 0..count {
                let e = s + 2 + r * 3;
                let first = usize::from(u16::from_be_bytes([*cff.get(e)?, *cff.get(e + 1)?]));
                let next = usize::from(u16::from_be_bytes([*cff.get(e + 3)?, *cff.get(e + 4)?]));
                fd_of.get_mut(first..next.min(n))?.fill(*cff.get(e + 2)?);
            }
            fd_of
        }
        _ => return None,
    })
}

/// Each glyph's font dictionary in a CID-keyed CFF table as a face has it
/// (its offsets in any encoding).
fn font_dictionaries(cff: &[u8]) -> Option<Vec<u8>> {
    let (_, names_end) = index(cff, usize::from(*cff.get(2)?))?;
    let (tops, _) = index(cff, names_end)?;
    let top = tops.first()?;
    let entries = dict(top)?;
    let offset = |op: u16| {
        let &(_, from, to) = entries.iter().find(|e| e.0 == op)?;
        let [v] = operands(&top[from..to])?[..] else {
            return None;
        };
        usize::try_from(v).ok()
    };
    let glyphs = offset(17)?;
    let n = usize::from(u16::from_be_bytes([
        *cff.get(glyphs)?,
        *cff.get(glyphs + 1)?,
    ]));
    fd_select(cff, offset(1237)?, n)
}

impl Program {
    /// The program of the CFF font file `font`, its stand-in marked with
    /// `marker` (which tells the faces of one document apart: the same for
    /// the same face, so that a build gives the same bytes); `None` if it
    /// has no CFF table or one this cannot take. Glyphs `glyphs` (the
    /// project's characters') are prepared now, their subroutines inlined
    /// by the same subsetter; any other when a document first needs it.
    /// Each glyph's program is the same whichever glyphs were prepared
    /// with it or before it.
    pub fn prepare(font: &[u8], marker: i16, glyphs: &[u16]) -> Option<Program> {
        use skrifa::raw::TableProvider;
        let f = skrifa::FontRef::new(font).ok()?;
        f.cff().ok()?;
        let n = usize::from(f.maxp().ok()?.num_glyphs());
        let face_cff = f.table_data(skrifa::raw::types::Tag::new(b"CFF "))?;
        let fd_of = font_dictionaries(face_cff.as_bytes())?;
        if fd_of.len() != n {
            return None;
        }
        // Every subset holds the first glyph of each font dictionary, so
        // that each has the same dictionaries, names and order.
        let mut firsts = vec![0u16];
        let mut seen = [false; 256];
        for (g, &fd) in fd_of.iter().enumerate() {
            if !std::mem::replace(&mut seen[usize::from(fd)], true) {
                firsts.push(u16::try_from(g).ok()?);
            }
        }
        firsts.sort_unstable();
        firsts.dedup();
        // Each subset's dictionaries are then the face's, in its order
        // (unless the face has one no glyph uses).
        let used = seen.iter().filter(|&&s| s).count();
        if seen[..used].contains(&false) {
            return None;
        }
        let mut first = firsts.clone();
        first.extend(glyphs.iter().filter(|&&g| usize::from(g) < n));
        first.sort_unstable();
        first.dedup();
        let (mut p, charstrings) = Program::subset(font, &first, marker)?;
        if p.fds.len() != used {
            return None;
        }
        p.fd_of = fd_of;
        p.face = font.into();
        p.glyphs = std::sync::Mutex::new(Prepared {
            charstrings: vec![None; n],
            boxes: vec![None; n],
        });
        p.keep(&first, charstrings);
        p.firsts = firsts;
        Some(p)
    }

    /// The program of glyphs `gids` (sorted) of `font`, as the subsetter
    /// writes it, and their charstrings in that order.
    fn subset(font: &[u8], gids: &[u16], marker: i16) -> Option<(Program, Vec<Box<[u8]>>)> {
        let sub = subsetter::subset(
            font,
            0,
            &subsetter::GlyphRemapper::new_from_glyphs_sorted(gids),
        )
        .ok()?;
        let sub = skrifa::FontRef::new(&sub).ok()?;
        let cff = sub.table_data(skrifa::raw::types::Tag::new(b"CFF "))?;
        let (p, charstrings) = Program::read(cff.as_bytes(), marker)?;
        (charstrings.len() == gids.len()).then_some((p, charstrings))
    }

    /// Keeps the charstrings of glyphs `gids`, and their boxes.
    fn keep(&self, gids: &[u16], charstrings: Vec<Box<[u8]>>) {
        use skrifa::MetadataProvider;
        use skrifa::raw::TableProvider;
        let Ok(f) = skrifa::FontRef::new(&self.face) else {
            return;
        };
        let scale = 1000.0 / f32::from(f.head().map_or(1000, |h| h.units_per_em()).max(1));
        let outlines = f.outline_glyphs();
        let settings = || {
            skrifa::outline::DrawSettings::unhinted(
                skrifa::instance::Size::unscaled(),
                skrifa::instance::LocationRef::default(),
            )
        };
        let mut kept = self.glyphs.lock().unwrap_or_else(|e| e.into_inner());
        for (&g, c) in gids.iter().zip(charstrings) {
            let g = usize::from(g);
            let mut b = Bounds::default();
            kept.boxes[g] = outlines
                .get(skrifa::GlyphId::new(g as u32))
                .and_then(|o| o.draw(settings(), &mut b).ok())
                .and(b.0)
                .map(|r| r.map(|v| v * scale));
            kept.charstrings[g] = Some(c);
        }
    }

    /// Prepares those of `gids` not prepared yet; `false` if the subsetter
    /// failed or gave other font dictionaries.
    fn ensure(&self, gids: &[u16]) -> bool {
        let missing: Vec<u16> = {
            let kept = self.glyphs.lock().unwrap_or_else(|e| e.into_inner());
            gids.iter()
                .copied()
                .filter(|&g| kept.charstrings[usize::from(g)].is_none())
                .collect()
        };
        if missing.is_empty() {
            return true;
        }
        let mut want = missing;
        want.extend_from_slice(&self.firsts);
        want.sort_unstable();
        want.dedup();
        match Program::subset(&self.face, &want, self.marker) {
            Some((p, charstrings))
                if p.fds == self.fds && p.strings == self.strings && p.at == self.at =>
            {
                self.keep(&want, charstrings);
                true
            }
            _ => false,
        }
    }

    /// The bounding box of glyphs `gids` (as the PDF's `/FontBBox`), if
    /// any has an outline and all are prepared.
    pub fn bbox(&self, gids: &[u16]) -> Option<[f32; 4]> {
        let kept = self.glyphs.lock().unwrap_or_else(|e| e.into_inner());
        gids.iter()
            .filter_map(|&g| *kept.boxes.get(usize::from(g))?)
            .reduce(|a, b| {
                [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ]
            })
    }

    /// Reads a CID-keyed CFF table as the subsetter writes it (no
    /// subroutines, offsets in five bytes), and its charstrings.
    fn read(cff: &[u8], marker: i16) -> Option<(Program, Vec<Box<[u8]>>)> {
        let (_, names_end) = index(cff, usize::from(*cff.get(2)?))?;
        let (tops, top_end) = index(cff, names_end)?;
        let [top] = tops[..] else { return None };
        let (_, strings_end) = index(cff, top_end)?;
        let (gsubrs, _) = index(cff, strings_end)?;
        if !gsubrs.is_empty() {
            return None;
        }
        let entries = dict(top)?;
        if !entries.iter().any(|e| e.0 == ROS) {
            return None;
        }
        let mut at = [0; 4];
        let mut value = [0usize; 4];
        for (k, op) in OFFSET_OPS.iter().enumerate() {
            let &(_, from, to) = entries.iter().find(|e| e.0 == *op)?;
            if to - from != 5 || top[from] != 29 {
                return None;
            }
            at[k] = from;
            value[k] = usize::try_from(number(&top[from..], false)?.0).ok()?;
        }
        let (glyphs, _) = index(cff, value[1])?;
        let fd_of = fd_select(cff, value[3], glyphs.len())?;
        let (dicts, _) = index(cff, value[2])?;
        let mut fds = Vec::with_capacity(dicts.len());
        for d in dicts {
            let mut rest = Vec::new();
            let mut private = None;
            for (op, from, to) in dict(d)? {
                let end = to + if op >= 1200 { 2 } else { 1 };
                if op == PRIVATE {
                    let [size, offset] = operands(&d[from..to])?[..] else {
                        return None;
                    };
                    let (size, offset) =
                        (usize::try_from(size).ok()?, usize::try_from(offset).ok()?);
                    let p = cff.get(offset..offset + size)?;
                    if dict(p)?.iter().any(|e| e.0 == SUBRS) {
                        return None;
                    }
                    private = Some(p.to_vec());
                } else {
                    rest.extend_from_slice(&d[from..end]);
                }
            }
            fds.push((rest, private?));
        }
        if fd_of.iter().any(|&f| usize::from(f) >= fds.len()) {
            return None;
        }
        let head = cff.get(..names_end)?.to_vec();
        let program = Program {
            head,
            top: top.to_vec(),
            at,
            strings: cff.get(top_end..strings_end)?.to_vec(),
            fds,
            fd_of,
            marker,
            face: std::sync::Arc::from(&[][..]),
            firsts: Vec::new(),
            glyphs: Default::default(),
        };
        Some((program, glyphs.into_iter().map(Box::from).collect()))
    }

    /// The number of glyphs.
    pub fn glyphs(&self) -> usize {
        self.fd_of.len()
    }

    /// The CFF table of glyphs `gids` (the first `.notdef`), in that
    /// order: glyph and CID `k` is `gids[k]` of the face. `None` if a
    /// glyph is not the face's.
    pub fn write(&self, gids: &[u16]) -> Option<Vec<u8>> {
        if gids.iter().any(|&g| usize::from(g) >= self.glyphs()) || !self.ensure(gids) {
            return None;
        }
        let kept = self.glyphs.lock().unwrap_or_else(|e| e.into_inner());
        let programs = gids
            .iter()
            .map(|&g| kept.charstrings[usize::from(g)].as_deref())
            .collect::<Option<Vec<&[u8]>>>()?;
        Some(self.assemble(gids, &programs))
    }

    /// The CFF table of `gids` drawn by `programs`.
    fn assemble(&self, gids: &[u16], programs: &[&[u8]]) -> Vec<u8> {
        let fd_of = |g: u16| self.fd_of[usize::from(g)];
        let n = gids.len();
        let size: usize = programs.iter().map(|p| p.len()).sum();
        let mut out = Vec::with_capacity(self.head.len() + self.top.len() + size + 4 * n + 512);
        out.extend_from_slice(&self.head);
        write_index(&mut out, &[&self.top]);
        // The INDEX of one Top DICT ends with its data.
        let top_at = out.len() - self.top.len();
        out.extend_from_slice(&self.strings);
        out.extend_from_slice(&[0, 0]);
        let mut value = [0usize; 4];
        // charset: CIDs 1 … n − 1 are glyphs 1 … n − 1.
        value[0] = out.len();
        if n <= 1 {
            out.push(0);
        } else {
            out.push(2);
            out.extend_from_slice(&1u16.to_be_bytes());
            out.extend_from_slice(&u16::try_from(n - 2).unwrap_or(0).to_be_bytes());
        }
        // The font dictionaries the glyphs use, in the face's order.
        let mut used = vec![false; self.fds.len()];
        for &g in gids {
            used[usize::from(fd_of(g))] = true;
        }
        let mut new_fd = vec![0u8; self.fds.len()];
        let mut privates = Vec::new();
        for (k, (_, private)) in self.fds.iter().enumerate().filter(|(k, _)| used[*k]) {
            new_fd[k] = privates.len() as u8;
            privates.push((out.len(), private.len()));
            out.extend_from_slice(private);
        }
        // FDSelect, format 3: a range per run of one dictionary.
        value[3] = out.len();
        let fd = |k: usize| new_fd[usize::from(fd_of(gids[k]))];
        let starts: Vec<usize> = (0..n).filter(|&k| k == 0 || fd(k) != fd(k - 1)).collect();
        out.push(3);
        out.extend_from_slice(&u16::try_from(starts.len()).unwrap_or(0).to_be_bytes());
        for &k in &starts {
            out.extend_from_slice(&(k as u16).to_be_bytes());
            out.push(fd(k));
        }
        out.extend_from_slice(&u16::try_from(n).unwrap_or(0).to_be_bytes());
        // FDArray: each dictionary with its Private DICT's new place.
        value[2] = out.len();
        let dicts: Vec<Vec<u8>> = self
            .fds
            .iter()
            .enumerate()
            .filter(|(k, _)| used[*k])
            .zip(&privates)
            .map(|((_, (rest, _)), &(at, len))| {
                let mut d = rest.clone();
                d.extend_from_slice(&int5(len));
                d.extend_from_slice(&int5(at));
                d.push(PRIVATE as u8);
                d
            })
            .collect();
        let dicts: Vec<&[u8]> = dicts.iter().map(|d| &d[..]).collect();
        write_index(&mut out, &dicts);
        value[1] = out.len();
        write_index(&mut out, programs);
        for (k, &v) in value.iter().enumerate() {
            let at = top_at + self.at[k];
            out[at..at + 5].copy_from_slice(&int5(v));
        }
        out
    }

    /// The stand-in font file: `font` (this program's face) with a `glyf`
    /// table of as many glyphs, all empty, each carrying its id as its
    /// left side bearing, and `head` marked as this face's stand-in. Its
    /// CFF table stays, so that the writer describes the font as this
    /// face, but no glyph of it is drawn.
    pub fn stand_in(&self, font: &[u8]) -> Option<Vec<u8>> {
        use skrifa::raw::TableProvider;
        let f = skrifa::FontRef::new(font).ok()?;
        let n = u16::try_from(self.glyphs()).ok()?;
        let table = |tag: &[u8; 4]| {
            f.table_data(skrifa::raw::types::Tag::new(tag))
                .map(|d| d.as_bytes().to_vec())
        };
        let mut head = table(b"head")?;
        head.get_mut(20..28)?.copy_from_slice(&STAND_IN);
        head.get_mut(28..36)?
            .copy_from_slice(&i64::from(self.marker).to_be_bytes());
        // Short offsets in `loca`.
        head.get_mut(50..52)?.copy_from_slice(&[0, 0]);
        // Every glyph with its advance and its id.
        let hmtx = f.hmtx().ok()?;
        let mut metrics = Vec::with_capacity(4 * usize::from(n));
        for g in 0..n {
            let advance = hmtx.advance(skrifa::GlyphId::new(u32::from(g)))?;
            metrics.extend_from_slice(&advance.to_be_bytes());
            metrics.extend_from_slice(&g.to_be_bytes());
        }
        let mut hhea = table(b"hhea")?;
        hhea.get_mut(34..36)?.copy_from_slice(&n.to_be_bytes());
        // maxp 1.0: the number of glyphs, and one zone.
        let mut maxp = vec![0u8; 32];
        maxp[..6].copy_from_slice(&[0, 1, 0, 0, (n >> 8) as u8, n as u8]);
        maxp[15] = 1;
        let loca = vec![0u8; 2 * (usize::from(n) + 1)];
        // Of the names only the PostScript name, which the writer gives
        // the font (the stand-in's subset is deflated for every file).
        let name = postscript_name_only(&table(b"name")?)?;
        with_tables(
            font,
            vec![
                (*b"glyf", Vec::new()),
                (*b"name", name),
                (*b"head", head),
                (*b"hhea", hhea),
                (*b"hmtx", metrics),
                (*b"loca", loca),
                (*b"maxp", maxp),
            ],
        )
    }
}

/// A `name` table with only the records of `name`'s PostScript name (name
/// 6), in format 0.
fn postscript_name_only(name: &[u8]) -> Option<Vec<u8>> {
    let be16 = |at: usize| Some(u16::from_be_bytes([*name.get(at)?, *name.get(at + 1)?]));
    let (count, storage) = (usize::from(be16(2)?), usize::from(be16(4)?));
    let mut records = Vec::new();
    let mut strings = Vec::new();
    for k in 0..count {
        let rec = 6 + 12 * k;
        if be16(rec + 6)? != 6 {
            continue;
        }
        let (len, at) = (usize::from(be16(rec + 8)?), usize::from(be16(rec + 10)?));
        let text = name.get(storage + at..storage + at + len)?;
        records.extend_from_slice(name.get(rec..rec + 8)?);
        records.extend_from_slice(&u16::try_from(len).ok()?.to_be_bytes());
        records.extend_from_slice(&u16::try_from(strings.len()).ok()?.to_be_bytes());
        strings.extend_from_slice(text);
    }
    let kept = u16::try_from(records.len() / 12).ok()?;
    let mut out = vec![0, 0];
    out.extend_from_slice(&kept.to_be_bytes());
    out.extend_from_slice(&(6 + 12 * kept).to_be_bytes());
    out.extend_from_slice(&records);
    out.extend_from_slice(&strings);
    Some(out)
}

/// What a stand-in's `head` carries where a font has its creation date.
const STAND_IN: [u8; 8] = *b"guide-SI";

/// The glyphs of an embedded stand-in (the subset the writer made of it,
/// a TrueType font file), in order, and the marker of its face: `None` for
/// any other font file.
pub fn stand_in_glyphs(font: &[u8]) -> Option<(i16, Vec<u16>)> {
    use skrifa::raw::TableProvider;
    if font.get(..4)? != [0, 1, 0, 0] {
        return None;
    }
    let f = skrifa::FontRef::new(font).ok()?;
    let head = f.table_data(skrifa::raw::types::Tag::new(b"head"))?;
    let head = head.as_bytes();
    if head.get(20..28)? != STAND_IN {
        return None;
    }
    let marker = i16::try_from(i64::from_be_bytes(head.get(28..36)?.try_into().ok()?)).ok()?;
    let n = f.maxp().ok()?.num_glyphs();
    let hmtx = f.hmtx().ok()?;
    let gids = (0..n)
        .map(|g| {
            let lsb = hmtx.side_bearing(skrifa::GlyphId::new(u32::from(g)))?;
            Some(lsb as u16)
        })
        .collect::<Option<Vec<u16>>>()?;
    Some((marker, gids))
}

/// An OpenType font file with `tables` in place of its tables of the
/// same tags, or added; the table directory in the order of the tags.
fn with_tables(font: &[u8], mut tables: Vec<([u8; 4], Vec<u8>)>) -> Option<Vec<u8>> {
    let be32 = |at: usize| {
        font.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let count = usize::from(u16::from_be_bytes([*font.get(4)?, *font.get(5)?]));
    for k in 0..count {
        let rec = 12 + 16 * k;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        if !tables.iter().any(|t| t.0 == tag) {
            let (offset, length) = (be32(rec + 8)? as usize, be32(rec + 12)? as usize);
            tables.push((tag, font.get(offset..offset + length)?.to_vec()));
        }
    }
    tables.sort_by_key(|t| t.0);
    let count = u16::try_from(tables.len()).ok()?;
    // The search fields of the directory, as the format defines them.
    let power = 1u16 << (15 - count.max(1).leading_zeros());
    let mut out = font.get(..4)?.to_vec();
    for v in [
        count,
        power * 16,
        power.trailing_zeros() as u16,
        count * 16 - power * 16,
    ] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.resize(12 + 16 * usize::from(count), 0);
    for (k, (tag, data)) in tables.iter().enumerate() {
        let rec = 12 + 16 * k;
        let at = out.len();
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
        let sum = out[at..].chunks(4).fold(0u32, |s, c| {
            s.wrapping_add(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        });
        out[rec..rec + 4].copy_from_slice(tag);
        out[rec + 4..rec + 8].copy_from_slice(&sum.to_be_bytes());
        out[rec + 8..rec + 12].copy_from_slice(&u32::try_from(at).ok()?.to_be_bytes());
        out[rec + 12..rec + 16].copy_from_slice(&u32::try_from(data.len()).ok()?.to_be_bytes());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program() -> Program {
        Program::prepare(super::super::font::DEFAULT_REGULAR, 1, &[])
            .expect("the vendored face prepares")
    }

    /// A glyph's program is the same whether it was prepared up front,
    /// with others, or when first written: a notice's bytes never depend
    /// on what other matters say.
    #[test]
    fn a_glyphs_program_is_the_same_however_it_was_prepared() {
        let face = super::super::font::DEFAULT_REGULAR;
        let all: Vec<u16> = (0..u16::MAX).collect();
        let whole = Program::prepare(face, 1, &all).unwrap();
        let none = program();
        let some = Program::prepare(face, 1, &[900, 12]).unwrap();
        let gids = [0, 12, 900, 4000, 7000, 3, 10_000];
        let want = whole.write(&gids).unwrap();
        assert_eq!(none.write(&gids).unwrap(), want);
        assert_eq!(some.write(&gids).unwrap(), want);
        // Again, now that they are prepared; and the boxes agree.
        assert_eq!(none.write(&gids).unwrap(), want);
        assert_eq!(none.bbox(&gids), whole.bbox(&gids));
        assert!(whole.bbox(&gids).is_some());
        // Not a glyph of the face.
        assert_eq!(none.write(&[0, u16::MAX]), None);
    }

    #[test]
    fn a_stand_in_subset_names_its_glyphs_and_face() {
        let p = program();
        let face = super::super::font::DEFAULT_REGULAR;
        let font = p.stand_in(face).unwrap();
        let remapper = subsetter::GlyphRemapper::new_from_glyphs(&[0, 900, 12, 4000]);
        let sub = subsetter::subset(&font, 0, &remapper).unwrap();
        assert_eq!(
            stand_in_glyphs(&sub),
            Some((p.marker, vec![0, 900, 12, 4000]))
        );
        // The writer takes it for the face: a CFF font with the face's
        // other tables, each glyph as wide as the face's.
        use skrifa::MetadataProvider;
        use skrifa::prelude::{LocationRef, Size};
        use skrifa::raw::TableProvider;
        let (a, b) = (
            skrifa::FontRef::new(&font).unwrap(),
            skrifa::FontRef::new(face).unwrap(),
        );
        assert!(a.cff().is_ok() && a.glyf().is_ok() && a.loca(None).is_ok());
        for tag in [b"OS/2", b"post", b"cmap", b"CFF "] {
            let tag = skrifa::raw::types::Tag::new(tag);
            assert_eq!(
                a.table_data(tag).unwrap().as_bytes(),
                b.table_data(tag).unwrap().as_bytes()
            );
        }
        let ps = |f: &skrifa::FontRef<'_>| {
            f.localized_strings(skrifa::string::StringId::POSTSCRIPT_NAME)
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(ps(&a), ps(&b));
        assert_eq!(ps(&a), ["NotoSansCJKsc-Regular"]);
        let m = |f: &skrifa::FontRef<'_>| f.metrics(Size::unscaled(), LocationRef::default());
        assert_eq!(format!("{:?}", m(&a)), format!("{:?}", m(&b)));
        let widths = |f: &skrifa::FontRef<'_>| {
            let w = f.glyph_metrics(Size::unscaled(), LocationRef::default());
            (0..p.glyphs() as u32)
                .map(|g| w.advance_width(skrifa::GlyphId::new(g)))
                .collect::<Vec<_>>()
        };
        assert_eq!(widths(&a), widths(&b));
        // Neither the face, nor a subset of it, nor a real program is
        // taken for a stand-in.
        let real = subsetter::subset(face, 0, &remapper).unwrap();
        assert_eq!(stand_in_glyphs(face), None);
        assert_eq!(stand_in_glyphs(&real), None);
        assert_eq!(stand_in_glyphs(&p.write(&[0, 900, 12]).unwrap()), None);
    }

    #[test]
    fn the_program_of_some_glyphs_draws_them_as_the_face_does() {
        use skrifa::MetadataProvider;
        use skrifa::outline::{DrawSettings, OutlinePen};
        use skrifa::prelude::{LocationRef, Size};
        #[derive(Default)]
        struct Pen(Vec<i32>);
        impl OutlinePen for Pen {
            fn move_to(&mut self, x: f32, y: f32) {
                self.0.extend([0, x as i32, y as i32]);
            }
            fn line_to(&mut self, x: f32, y: f32) {
                self.0.extend([1, x as i32, y as i32]);
            }
            fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
                self.0.extend([2, a as i32, b as i32, x as i32, y as i32]);
            }
            fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
                self.0.extend([
                    3, a as i32, b as i32, c as i32, d as i32, x as i32, y as i32,
                ]);
            }
            fn close(&mut self) {
                self.0.push(4);
            }
        }
        let draw = |font: &skrifa::FontRef<'_>, gid: u16| {
            let mut pen = Pen::default();
            font.outline_glyphs()
                .get(skrifa::GlyphId::new(u32::from(gid)))
                .unwrap()
                .draw(
                    DrawSettings::unhinted(Size::unscaled(), LocationRef::default()),
                    &mut pen,
                )
                .unwrap();
            pen.0
        };
        let face_bytes = super::super::font::DEFAULT_REGULAR;
        let face = skrifa::FontRef::new(face_bytes).unwrap();
        let p = program();
        // Glyphs of different font dictionaries, out of order.
        let gids: Vec<u16> = vec![0, 3000, 15, 7000, 16, 1, 5000];
        let cff = p.write(&gids).unwrap();
        // The face with the written program as its CFF table draws glyph k
        // as the face draws gids[k].
        let with = with_tables(face_bytes, vec![(*b"CFF ", cff)]).unwrap();
        let with = skrifa::FontRef::new(&with).unwrap();
        for (k, &g) in gids.iter().enumerate() {
            let drawn = draw(&with, k as u16);
            assert!(g <= 1 || drawn.len() > 10, "glyph {g} has an outline");
            assert_eq!(drawn, draw(&face, g), "glyph {g}");
        }
        // The stand-in draws nothing.
        let stand_in = p.stand_in(face_bytes).unwrap();
        let stand_in = skrifa::FontRef::new(&stand_in).unwrap();
        assert!(draw(&stand_in, 3000).iter().all(|&v| v != 1 && v != 3));
    }
}
