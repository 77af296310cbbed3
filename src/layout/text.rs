//! Paragraphs → lines of positioned glyph runs: greedy filling at the break
//! opportunities of [`breaking`], justified by spreading the slack evenly
//! between all characters of a line (PDF character spacing, so no space is
//! ever invented in the extracted text), with adjacent CJK punctuation pairs
//! compressed the same way on every line; a justified line a little too
//! long has all its full-width marks give up the same share of their blank
//! half, where the total fit finds that better than a loose line.

use super::breaking::{self, Break, one_of};
use super::{Extra, Face, GlyphRun, LinkTarget, Metrics, Rgb, Shaped, shape};

/// How a run of text looks.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub color: Rgb,
    pub link: Option<LinkTarget>,
    /// Never broken inside (a label such as “事项类型：”).
    pub keep: bool,
}

impl Style {
    pub fn new(face: Face, size: f32) -> Style {
        Style {
            face,
            size,
            color: Rgb::BLACK,
            link: None,
            keep: false,
        }
    }
}

/// A piece of a paragraph in one style.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
}

/// A span of `text` in `face`, `size` points, `color`.
pub fn span(text: impl Into<String>, face: Face, size: f32, color: Rgb) -> Span {
    Span {
        text: text.into(),
        style: Style {
            color,
            ..Style::new(face, size)
        },
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Both edges flush; the last line flush left.
    Justify,
    Left,
    Center,
    Right,
}

/// One laid-out line: runs with x relative to the line start, y = 0 at the
/// baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub runs: Vec<GlyphRun>,
    /// Natural width (before justification).
    pub width: f32,
    /// Largest font size on the line.
    pub size: f32,
    /// What justification puts in each gap, in ems (of `size`): the
    /// slack shared out, or that the line would need if it were justified
    /// (0 for a last line and for lines not justified).
    pub spread: f32,
    /// The share of their blank half the line's full-width marks gave up
    /// so that it fits (0 to 1; the same for every mark of the line).
    pub shrink: f32,
    /// The last line of its paragraph (or before a forced break).
    pub last: bool,
    /// A last line holding a single character (`理。`) under others.
    pub runt: bool,
    /// A line of a justified paragraph set flush left: mostly a web
    /// address, whose characters take no space.
    pub ragged: bool,
}

/// Closing marks whose blank right half is taken out before another mark.
pub(crate) const CLOSING: &str = "，。、；：？！）」』》”’〕】";
/// Opening marks.
pub(crate) const OPENING: &str = "（「『《“‘〔【";

/// Full-width marks a justified line that is a little too long may set at
/// half width (JIS X 4051, CLREQ 标点挤压), giving up their blank right
/// half ([`SHRINK_CLOSING`]) or left half ([`OPENING`]). All such marks
/// of the line give up the same share, so the line is shrunk evenly;
/// question and exclamation marks keep their width.
pub(crate) const SHRINK_CLOSING: &str = "，。、；：）」』》”’〕】";

/// The most of its advance a mark gives up that way: its blank half.
const SHRINK: f32 = 0.5;

/// What shrinking costs the total fit, against stretching: the badness of
/// a line whose marks all stand at half width is this many times that of
/// a line spread by [`LOOSE`] a gap (as much as one spread by 0.126 em).
const SHRINK_COST: f64 = 2.0;

/// What any shrunk line costs besides, in demerits: as much as a line
/// spread by 0.085 em a gap, so that lines are shrunk only where breaking
/// them otherwise leaves one about as loose as [`LOOSE`] or looser, and
/// shrunk lines stay few.
const SHRINK_PENALTY: f64 = 5000.0;

/// The blank half of each full-width mark of `cells` that may give it up:
/// not one already compressed with its neighbour, nor one drawn by
/// another font, nor an opening mark after such a character (its half is
/// taken from the advance before it).
fn shrinkable(cells: &mut [Cell], sizes: &[f32]) {
    for i in 0..cells.len() {
        let c = &cells[i];
        let full = c.advance >= 0.9 * sizes[i] && c.squeeze == 0.0 && c.piece.is_none();
        let ok = if one_of(SHRINK_CLOSING, c.ch) {
            full
        } else if one_of(OPENING, c.ch) {
            full && i > 0 && cells[i - 1].piece.is_none() && cells[i - 1].squeeze == 0.0
        } else {
            false
        };
        cells[i].shrink = if ok { c.advance * SHRINK } else { 0.0 };
    }
}

/// What `c` may give up on a line it starts (`first`) or not: an opening
/// mark starting a line gives nothing, its blank half is the line's lead.
fn gives(c: &Cell, first: bool) -> f32 {
    if first && one_of(OPENING, c.ch) {
        0.0
    } else {
        c.shrink
    }
}

/// Badness of a line `over` points too long with `avail` points its marks
/// may give up: as a stretched line's, [`SHRINK_COST`] times that of one
/// at [`LOOSE`] when every mark is at half width.
fn shrink_badness(over: f64, avail: f64) -> f64 {
    if over <= 0.0 || avail <= 0.0 {
        return 0.0;
    }
    100.0 * SHRINK_COST * (over / avail).powi(3)
}

/// One character with what layout needs of it.
#[derive(Clone, Debug)]
struct Cell {
    ch: char,
    span: usize,
    advance: f32,
    /// Taken off the advance: half an em between adjacent punctuation.
    squeeze: f32,
    /// What a justified line that is too long may still take off: the
    /// blank half of a full-width mark (see [`shrinkable`]).
    shrink: f32,
    /// Byte offset in the paragraph text.
    at: usize,
    /// The piece of an extra font (another script, a rare character) it
    /// belongs to: an index into the paragraph's pieces.
    piece: Option<usize>,
}

/// Characters set together by a shaper in one extra font: cells
/// `cells`, never broken inside.
struct Piece {
    font: Extra,
    cells: std::ops::Range<usize>,
}

/// Whether `font` is set right to left.
fn rtl(font: Extra) -> bool {
    matches!(font, Extra::Arabic | Extra::ArabicBold)
}

/// Groups the cells an extra font draws into pieces (cut at break
/// opportunities, spans and font changes), shapes each and gives every
/// cell its share of the shaped width (a cluster's on its first cell).
fn mark_pieces(
    cells: &mut [Cell],
    spans: &[Span],
    text: &str,
    breaks: &[usize],
    metrics: &dyn Metrics,
) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut open: Option<(Extra, usize)> = None;
    let mut bi = breaks.iter().copied().peekable();
    for i in 0..cells.len() {
        while bi.next_if(|&b| b < cells[i].at).is_some() {}
        let at_break = bi.peek() == Some(&cells[i].at);
        let face = spans[cells[i].span].style.face;
        let font = metrics.extra(face, cells[i].ch);
        let same_span = |s: usize| cells[s].span == cells[i].span;
        let continues = match (open, font) {
            (Some((f, s)), Some(g)) => {
                (f == g || shape::joins(cells[i].ch)) && !at_break && same_span(s)
            }
            (Some((_, s)), None) => shape::joins(cells[i].ch) && !at_break && same_span(s),
            _ => false,
        };
        if continues {
            continue;
        }
        if let Some((f, s)) = open.take() {
            pieces.push(Piece {
                font: f,
                cells: s..i,
            });
        }
        open = font.map(|f| (f, i));
    }
    if let Some((f, s)) = open {
        pieces.push(Piece {
            font: f,
            cells: s..cells.len(),
        });
    }
    for (pi, piece) in pieces.iter().enumerate() {
        let r = piece.cells.clone();
        let start = cells[r.start].at;
        let end = cells[r.end - 1].at + cells[r.end - 1].ch.len_utf8();
        let size = spans[cells[r.start].span].style.size;
        for c in &mut cells[r.clone()] {
            c.piece = Some(pi);
            c.advance = 0.0;
        }
        for g in metrics.shape(piece.font, &text[start..end], rtl(piece.font)) {
            let at = start + g.text.start;
            let k = cells[r.clone()].partition_point(|c| c.at < at);
            if let Some(c) = cells.get_mut(r.start + k.min(r.len() - 1)) {
                c.advance += g.advance * size;
            }
        }
    }
    pieces
}

/// Reorders a line's runs for display (rule L2 of the bidi algorithm): from
/// the highest level down to the lowest odd one, every stretch of runs at
/// that level or above is mirrored within the room it takes. The runs keep
/// their logical order in the list (and so in extracted text).
fn reorder(runs: &mut [GlyphRun], levels: &[u8]) {
    let Some(lowest_odd) = levels.iter().copied().filter(|l| l % 2 == 1).min() else {
        return;
    };
    let highest = levels.iter().copied().max().unwrap_or(0);
    for level in (lowest_odd..=highest).rev() {
        let mut i = 0;
        while i < runs.len() {
            if levels[i] < level {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < runs.len() && levels[j] >= level {
                j += 1;
            }
            let lo = runs[i..j].iter().map(|r| r.x).fold(f32::INFINITY, f32::min);
            let hi = runs[i..j]
                .iter()
                .map(|r| r.x + r.width)
                .fold(f32::NEG_INFINITY, f32::max);
            for r in &mut runs[i..j] {
                r.x = lo + hi - r.x - r.width;
            }
            i = j;
        }
    }
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{3000}' || c == '\n'
}

/// Opening marks whose blank left half is taken out at the start of a line.
pub(crate) const LEADING: &str = "（「『《〔【";

/// What a line starting with `cells` gives back at its start: the blank
/// half of an opening mark.
fn lead(cells: &[Cell]) -> f32 {
    match cells.first() {
        Some(c) if one_of(LEADING, c.ch) && c.squeeze == 0.0 => c.advance / 2.0,
        _ => 0.0,
    }
}

/// A last line that holds a single character, perhaps with punctuation
/// after it (`理。`).
fn is_runt(cells: &[Cell]) -> bool {
    // Asked of every candidate last line: stop at the second character.
    cells
        .iter()
        .filter(|c| !is_space(c.ch) && !one_of(breaking::NO_LINE_START, c.ch))
        .nth(1)
        .is_none()
}

/// Whether a line with `gaps` gaps that may take space, of `chars`
/// gaps in all, is set flush left rather than justified: most of it is a
/// web address or a code that takes no space, so justifying would open
/// holes in the few gaps left.
fn is_ragged(gaps: usize, chars: usize) -> bool {
    gaps == 0 || gaps * 3 < chars
}

/// What may happen before a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// The line must end here.
    Mandatory,
    /// The line may end here.
    Free,
    /// Inside a glued quantity: only to avoid a loose line.
    Glued,
}

/// The most space a justified line may put in one gap, in ems, before it
/// counts as loose.
pub const LOOSE: f32 = 0.1;

/// Space per gap, in ems, beyond which a line is not justified but set
/// flush left: gaps that wide read as holes (and as word spaces to text
/// extraction).
pub const HOLE: f32 = 0.25;

/// What breaking a glued piece adds to a line's demerits: about what a
/// line at 0.1 em per gap costs, so a glued piece breaks only where the
/// alternative is looser than the target.
const GLUED_BREAK: f64 = 1.2e4;

/// Total fit (after Knuth and Plass): the breaks that minimise the sum over
/// the paragraph of each line's demerits, which grow with the cube of the
/// space per gap, so slack is shared by all lines rather than left in one.
/// A single character alone on a last line and a break inside a glued
/// quantity are penalised. `None` when some piece is wider than the line
/// (the greedy breaker then cuts it).
fn total_fit(
    cells: &[Cell],
    sizes: &[f32],
    at_cell: &[Option<Kind>],
    rigid: &[bool],
    width: f32,
) -> Option<Breaks> {
    // First only from line ends reached for at most `FEW` demerits: a
    // line end after a short, very loose line costs more than a whole
    // good paragraph, and most line ends are such. Every way costs at
    // least what it costs to its line ends (no line costs less than
    // nothing), so when the best way found costs no more than `FEW`, no
    // way through a line end left out could have been better, and the
    // breaks are exactly those of the whole search, which otherwise runs.
    const FEW: f64 = 1e8;
    let best = |limit| total_fit_within(cells, sizes, at_cell, rigid, width, limit);
    #[cfg(test)]
    if tests::WHOLE_SEARCH.get() {
        return best(f64::INFINITY).1;
    }
    let (found, ends) = best(FEW);
    #[cfg(test)]
    if tests::FIRST_ONLY.get() && ends.is_some() {
        return ends;
    }
    if found <= FEW {
        return ends;
    }
    #[cfg(test)]
    tests::SEARCHED_AGAIN.set(tests::SEARCHED_AGAIN.get() + 1);
    best(f64::INFINITY).1
}

/// Where lines start and end, and whether each end is forced.
type Breaks = Vec<(usize, usize, bool)>;

/// [`total_fit`] from the line ends reached for at most `limit` demerits
/// only, and what the breaks found cost.
fn total_fit_within(
    cells: &[Cell],
    sizes: &[f32],
    at_cell: &[Option<Kind>],
    rigid: &[bool],
    width: f32,
    limit: f64,
) -> (f64, Option<Breaks>) {
    let n = cells.len();
    // Rigid gaps before cell i, cumulated.
    let mut rigid_before = vec![0u32; n + 1];
    for i in 0..n {
        rigid_before[i + 1] = rigid_before[i] + u32::from(i < rigid.len() && rigid[i]);
    }
    let inf = f64::INFINITY;
    // best[p]: least demerits of a paragraph start ending its last line
    // before cell p, and where that line began.
    let mut best: Vec<(f64, usize)> = vec![(inf, 0); n + 1];
    best[0] = (0.0, 0);
    for p in 0..n {
        if best[p].0 == inf || best[p].0 > limit {
            continue;
        }
        let mut s = p;
        while p > 0 && s < n && cells[s].ch == ' ' {
            s += 1;
        }
        if s >= n {
            continue;
        }
        let lead = lead(&cells[s..]);
        let mut w = -lead;
        let mut visible_w = 0.0;
        // What the marks up to the last visible character may give up (an
        // opening mark starting the line gives none: its half is `lead`).
        let mut sh = 0.0;
        let mut visible_sh = 0.0;
        let mut last_visible = s;
        let mut size: f32 = 0.0;
        for k in s..n {
            let c = &cells[k];
            w += c.advance - c.squeeze;
            sh += gives(c, k == s);
            if !is_space(c.ch) {
                visible_w = w;
                visible_sh = sh;
                last_visible = k;
                size = size.max(sizes[k]);
            }
            if visible_w - visible_sh > width + 0.01 {
                break;
            }
            let Some(kind) = at_cell[k + 1] else {
                continue;
            };
            let forced = kind == Kind::Mandatory || k + 1 == n;
            // A line that is not the last costs at least 100 (more if it
            // breaks a glued piece): when that cannot improve on the best
            // way found to this break, its cost is not worked out.
            if !forced {
                let least = if kind == Kind::Glued {
                    100.0 + GLUED_BREAK
                } else {
                    100.0
                };
                if best[p].0 + least >= best[k + 1].0 {
                    continue;
                }
            }
            // A compressed pair ending the line has its last mark give up
            // the half (see `lay_out`): that mark has no more to give.
            let swapped = last_visible > s
                && cells[last_visible - 1].squeeze > 0.0
                && one_of(CLOSING, cells[last_visible].ch);
            let avail = f64::from(visible_sh)
                - if swapped {
                    f64::from(cells[last_visible].shrink)
                } else {
                    0.0
                };
            let over = f64::from(visible_w - width);
            if over > avail + 0.01 {
                if forced {
                    break;
                }
                continue;
            }
            let shrunk = shrink_badness(over, avail);
            let mut cost = if forced {
                // A single character alone on the last line of a paragraph
                // that has more than one.
                if p > 0 && at_cell[p] != Some(Kind::Mandatory) && is_runt(&cells[s..=k]) {
                    // Worse than any loose line.
                    1e13
                } else if over > 0.0 {
                    // A last line is free to be short, not to be shrunk.
                    (10.0 + shrunk).powi(2) - 100.0 + SHRINK_PENALTY
                } else {
                    0.0
                }
            } else if over > 0.0 {
                (10.0 + shrunk).powi(2) + SHRINK_PENALTY
            } else {
                let chars = (last_visible - s) as u32;
                let gaps = chars - (rigid_before[last_visible] - rigid_before[s]);
                let slack = f64::from((width - visible_w).max(0.0));
                let em = f64::from(size.max(1.0));
                // A line mostly of a web address is set ragged: measured as
                // if its slack were shared by all its characters.
                let spread = if is_ragged(gaps as usize, chars as usize) {
                    slack / f64::from(chars.max(1)) / em
                } else {
                    slack / f64::from(gaps) / em
                };
                let badness = 100.0 * (spread / f64::from(LOOSE)).powi(3);
                (10.0 + badness).powi(2)
            };
            if kind == Kind::Glued {
                cost += GLUED_BREAK;
            }
            let total = best[p].0 + cost;
            if total < best[k + 1].0 {
                best[k + 1] = (total, p);
            }
            if forced {
                break;
            }
        }
    }
    if best[n].0 == inf {
        return (inf, None);
    }
    let mut ends = Vec::new();
    let mut e = n;
    while e > 0 {
        let p = best[e].1;
        let mut s = p;
        while p > 0 && s < e && cells[s].ch == ' ' {
            s += 1;
        }
        let forced = at_cell[e] == Some(Kind::Mandatory) || e == n;
        ends.push((s, e, forced));
        e = p;
    }
    ends.reverse();
    (best[n].0, Some(ends))
}

/// First fit: each line ends at the last opportunity that fits, a word
/// wider than the line is cut.
fn greedy(cells: &[Cell], at_cell: &[Option<Kind>], width: f32) -> Vec<(usize, usize, bool)> {
    let adv = |c: &Cell| c.advance - c.squeeze;
    // Greedy: each line ends at the last opportunity that fits.
    let mut ends: Vec<(usize, usize, bool)> = Vec::new(); // (start, end, forced end)
    let mut start = 0;
    while start < cells.len() {
        while start < cells.len() && cells[start].ch == ' ' && !ends.is_empty() {
            start += 1;
        }
        if start >= cells.len() {
            break;
        }
        let mut w = 0.0;
        let mut last_fit: Option<usize> = None;
        let mut end = cells.len();
        let mut mandatory = false;
        for i in start..cells.len() {
            w += adv(&cells[i]);
            let trailing_space = is_space(cells[i].ch);
            if w > width + 0.01 && !trailing_space {
                end = last_fit.unwrap_or_else(|| {
                    // Nothing fits: break inside the word, but still not
                    // before a closing mark (nor after an opening one).
                    let mut e = i.max(start + 1);
                    while e > start + 1
                        && (one_of(breaking::NO_LINE_START, cells[e].ch)
                            || one_of(breaking::NO_LINE_END, cells[e - 1].ch))
                    {
                        e -= 1;
                    }
                    // Still a closing mark next: let the marks hang past the
                    // edge rather than begin the next line.
                    while e < cells.len() && one_of(breaking::NO_LINE_START, cells[e].ch) {
                        e += 1;
                    }
                    e
                });
                break;
            }
            match at_cell[i + 1] {
                Some(Kind::Mandatory) => {
                    end = i + 1;
                    mandatory = true;
                    break;
                }
                Some(Kind::Free) => last_fit = Some(i + 1),
                _ => {}
            }
        }
        if end == cells.len() {
            mandatory = true;
        }
        ends.push((start, end, mandatory));
        start = end;
    }
    // A paragraph's last line is never a single character: take one more
    // opportunity's worth from the line before.
    if ends.len() >= 2 {
        let (s, e, _) = ends[ends.len() - 1];
        if is_runt(&cells[s..e]) {
            let (ps, pe, pm) = ends[ends.len() - 2];
            if !pm && let Some(nb) = (ps + 2..pe).rev().find(|&i| at_cell[i] == Some(Kind::Free)) {
                let n = ends.len();
                ends[n - 2] = (ps, nb, false);
                ends[n - 1] = (nb, e, true);
            }
        }
    }

    ends
}

/// Lays out `spans` in lines at most `width` wide.
pub fn lay_out(spans: &[Span], width: f32, align: Align, metrics: &dyn Metrics) -> Vec<Line> {
    let bytes: usize = spans.iter().map(|s| s.text.len()).sum();
    let mut text = String::with_capacity(bytes);
    let mut cells: Vec<Cell> =
        Vec::with_capacity(spans.iter().map(|s| s.text.chars().count()).sum());
    for (si, span) in spans.iter().enumerate() {
        for ch in span.text.chars() {
            let ch = if ch == '\t' || ch == '\r' { ' ' } else { ch };
            cells.push(Cell {
                ch,
                span: si,
                advance: metrics.advance(span.style.face, ch) * span.style.size,
                squeeze: 0.0,
                shrink: 0.0,
                at: text.len(),
                piece: None,
            });
            text.push(ch);
        }
    }
    if cells.is_empty() {
        return Vec::new();
    }
    let glue = breaking::glued(&text);
    let breaks: Vec<Break> = breaking::opportunities_glued(&text, &glue);
    let break_at: Vec<usize> = breaks.iter().map(|b| b.at).collect();
    let pieces = mark_pieces(&mut cells, spans, &text, &break_at, metrics);
    // Right-to-left text inside a line: levels for display order.
    let bidi = text
        .chars()
        .any(shape::is_rtl)
        .then(|| unicode_bidi::BidiInfo::new(&text, Some(unicode_bidi::Level::ltr())));
    for i in 0..cells.len() - 1 {
        let (a, b) = (cells[i].ch, cells[i + 1].ch);
        if one_of(CLOSING, a) && (one_of(CLOSING, b) || one_of(OPENING, b)) {
            cells[i].squeeze = cells[i].advance / 2.0;
        }
    }
    let sizes: Vec<f32> = cells.iter().map(|c| spans[c.span].style.size).collect();
    shrinkable(&mut cells, &sizes);
    // Marks set right to left are mirrored: which half is blank is not
    // what the rules above assume.
    if let Some(info) = &bidi {
        for c in &mut cells {
            if info.levels[c.at].is_rtl() {
                c.shrink = 0.0;
            }
        }
    }
    // Cell index → break kind before that cell (or at the end).
    let mut at_cell: Vec<Option<Kind>> = vec![None; cells.len() + 1];
    {
        let mut ci = 0;
        for b in &breaks {
            while ci < cells.len() && cells[ci].at < b.at {
                ci += 1;
            }
            let kind = if b.mandatory {
                Kind::Mandatory
            } else if b.glued {
                Kind::Glued
            } else {
                Kind::Free
            };
            at_cell[ci] = Some(at_cell[ci].map_or(kind, |k| k.min(kind)));
        }
    }
    // No break inside a span that is kept whole.
    for i in 1..cells.len() {
        if cells[i].span == cells[i - 1].span
            && spans[cells[i].span].style.keep
            && at_cell[i] != Some(Kind::Mandatory)
        {
            at_cell[i] = None;
        }
    }
    // Gaps that never take justification space: inside a Latin word or a
    // number ("App", "2004") and inside a glued quantity ("9:30—13:30",
    // "48mm × 33mm", "3个工作日").
    let mut rigid: Vec<bool> = (0..cells.len().saturating_sub(1))
        .map(|i| cells[i].ch.is_ascii_graphic() && cells[i + 1].ch.is_ascii_graphic())
        .collect();
    {
        let mut ci = 0;
        for r in &glue {
            while ci < cells.len() && cells[ci].at < r.start {
                ci += 1;
            }
            let mut k = ci;
            while k + 1 < cells.len() && cells[k + 1].at < r.end {
                rigid[k] = true;
                k += 1;
            }
        }
    }
    // Nor inside a shaped piece: joined letters stay joined.
    for (i, r) in rigid.iter_mut().enumerate() {
        if cells[i].piece.is_some() && cells[i].piece == cells[i + 1].piece {
            *r = true;
        }
    }
    let ends = match align {
        Align::Justify => total_fit(&cells, &sizes, &at_cell, &rigid, width),
        _ => None,
    }
    .unwrap_or_else(|| greedy(&cells, &at_cell, width));
    let adv = |c: &Cell| c.advance - c.squeeze;
    // A compressed pair ending a line (》）): the last mark gives up its
    // blank half instead of the first, so no glyph overlaps another (text
    // extraction would take the overlapping mark for a line of its own).
    for &(s, e, _) in &ends {
        let mut e_vis = e;
        while e_vis > s && is_space(cells[e_vis - 1].ch) {
            e_vis -= 1;
        }
        if e_vis >= s + 2 && cells[e_vis - 2].squeeze > 0.0 && one_of(CLOSING, cells[e_vis - 1].ch)
        {
            cells[e_vis - 2].squeeze = 0.0;
            cells[e_vis - 1].squeeze = cells[e_vis - 1].advance / 2.0;
            cells[e_vis - 1].shrink = 0.0;
        }
    }

    ends.iter()
        .map(|&(s, e, forced)| {
            let mut e_vis = e;
            while e_vis > s && is_space(cells[e_vis - 1].ch) {
                e_vis -= 1;
            }
            let line_cells = &cells[s..e_vis];
            let lead = lead(line_cells);
            let mut natural: f32 = line_cells.iter().map(adv).sum::<f32>() - lead;
            let n = line_cells.len();
            // A justified line too long for its width (the total fit chose
            // it): every mark that may gives up the same share of its blank
            // half, taken after a closing mark and before an opening one.
            let mut taken = vec![0.0f32; n];
            let mut shrink = 0.0;
            if align == Align::Justify && natural > width + 0.001 {
                let own = |i: usize| gives(&line_cells[i], i == 0);
                let avail: f32 = (0..n).map(own).sum();
                if avail > 0.0 {
                    let share = ((natural - width) / avail).min(1.0);
                    shrink = share;
                    for i in 0..n {
                        let t = own(i) * share;
                        if t > 0.0 {
                            if one_of(OPENING, line_cells[i].ch) {
                                taken[i - 1] += t;
                            } else {
                                taken[i] += t;
                            }
                        }
                    }
                    natural -= taken.iter().sum::<f32>();
                }
            }
            let slack = (width - natural).max(0.0);
            let size = line_cells
                .iter()
                .map(|c| spans[c.span].style.size)
                .fold(0.0, f32::max);
            // Slack is spread between characters, but never inside a Latin
            // word, a number or a glued quantity.
            let spreadable = |i: usize| !rigid[s + i];
            let gaps = (0..n.saturating_sub(1)).filter(|&i| spreadable(i)).count();
            // A line that would open holes (no choice of breaks avoids it:
            // a piece that may not break follows) is set flush left.
            let ragged =
                is_ragged(gaps, n.saturating_sub(1)) || slack / gaps.max(1) as f32 > size * HOLE;
            let (mut x, spacing) = match align {
                Align::Justify if !forced && !ragged => (0.0, slack / gaps as f32),
                Align::Center => (slack / 2.0, 0.0),
                Align::Right => (slack, 0.0),
                _ => (0.0, 0.0),
            };
            // An opening mark starting the line sets its ink, not its blank
            // half, at the margin.
            x -= lead;
            let levels: Option<Vec<u8>> = bidi.as_ref().and_then(|info| {
                let start = line_cells.first()?.at;
                let last = line_cells.last()?;
                let para = info.paragraphs.iter().find(|p| p.range.contains(&start))?;
                let levels = info.reordered_levels(
                    para,
                    start..(last.at + last.ch.len_utf8()).min(para.range.end),
                );
                Some(line_cells.iter().map(|c| levels[c.at].number()).collect())
            });
            let level = |i: usize| levels.as_ref().map_or(0, |l| l[i]);
            let mut runs: Vec<GlyphRun> = Vec::new();
            // Per run: its piece and bidi level.
            let mut keys: Vec<(Option<usize>, u8)> = Vec::new();
            // Characters in the last run so far.
            let mut in_run = 0;
            for (i, c) in line_cells.iter().enumerate() {
                let style = &spans[c.span].style;
                let key = (c.piece, level(i));
                // Unshaped characters set right to left each go alone, so
                // that reordering reverses them.
                let continues = runs.last().is_some_and(|r: &GlyphRun| r.span == c.span)
                    && keys.last() == Some(&key)
                    && (key.0.is_some() || key.1 % 2 == 0);
                if !continues {
                    in_run = 0;
                    keys.push(key);
                    runs.push(GlyphRun {
                        x,
                        y: 0.0,
                        face: style.face,
                        size: style.size,
                        color: style.color,
                        spacing,
                        text: String::with_capacity((3 * (n - i)).min(128)),
                        squeeze: Vec::new(),
                        link: style.link.clone(),
                        span: c.span,
                        width: 0.0,
                        shaped: None,
                        rtl: key.1 % 2 == 1,
                    });
                }
                let run = runs.last_mut().expect("a run");
                // The character spacing after this glyph is taken back where
                // the slack must not go.
                let cancel = if spacing > 0.0 && i + 1 < n && !spreadable(i) {
                    spacing
                } else {
                    0.0
                };
                if c.squeeze + taken[i] + cancel > 0.0 && c.piece.is_none() {
                    run.squeeze.push((in_run, c.squeeze + taken[i] + cancel));
                }
                run.text.push(c.ch);
                in_run += 1;
                let step = adv(c) - taken[i] + spacing - cancel;
                run.width += step;
                x += step;
            }
            if let Some(r) = runs.last_mut() {
                r.width -= spacing;
            }
            for (r, &(piece, level)) in runs.iter_mut().zip(&keys) {
                if let Some(p) = piece {
                    let font = pieces[p].font;
                    let rtl = level % 2 == 1;
                    let mut glyphs = metrics.shape(font, &r.text, rtl);
                    for g in &mut glyphs {
                        g.advance *= r.size;
                        g.dx *= r.size;
                        g.dy *= r.size;
                    }
                    r.shaped = Some(Box::new(Shaped { font, rtl, glyphs }));
                }
            }
            if keys.iter().any(|k| k.1 > 0) {
                let run_levels: Vec<u8> = keys.iter().map(|k| k.1).collect();
                reorder(&mut runs, &run_levels);
            }
            let spread = match align {
                Align::Justify if !forced && !ragged => slack / gaps as f32 / size.max(1.0),
                _ => 0.0,
            };
            Line {
                runs,
                width: natural,
                size,
                spread,
                shrink,
                last: forced,
                ragged: align == Align::Justify && !forced && ragged,
                runt: forced && s > 0 && at_cell[s] != Some(Kind::Mandatory) && is_runt(line_cells),
            }
        })
        .collect()
}

/// The width of `spans` set without wrapping: the longest of its lines
/// (a `\n` is a forced break).
pub fn natural_width(spans: &[Span], metrics: &dyn Metrics) -> f32 {
    let mut best: f32 = 0.0;
    let mut line = 0.0;
    for s in spans {
        for (c, w) in s.text.chars().zip(advances(s, metrics)) {
            if c == '\n' {
                best = best.max(line);
                line = 0.0;
            } else {
                line += w;
            }
        }
    }
    best.max(line)
}

/// Each character's advance in points: as [`lay_out`] measures it, shaped
/// where an extra font sets it (a joined Arabic word is not the sum of its
/// isolated letters).
fn advances(span: &Span, metrics: &dyn Metrics) -> Vec<f32> {
    let face = span.style.face;
    let size = span.style.size;
    if !span.text.chars().any(|c| metrics.extra(face, c).is_some()) {
        return span
            .text
            .chars()
            .map(|c| metrics.advance(face, c) * size)
            .collect();
    }
    let mut cells: Vec<Cell> = span
        .text
        .char_indices()
        .map(|(at, ch)| Cell {
            ch,
            span: 0,
            advance: metrics.advance(face, ch) * size,
            squeeze: 0.0,
            shrink: 0.0,
            at,
            piece: None,
        })
        .collect();
    let breaks: Vec<usize> = breaking::opportunities(&span.text)
        .iter()
        .map(|b| b.at)
        .collect();
    mark_pieces(
        &mut cells,
        std::slice::from_ref(span),
        &span.text,
        &breaks,
        metrics,
    );
    cells.iter().map(|c| c.advance).collect()
}

/// The width of each forced line of `spans` (split at `\n`).
pub fn line_widths(spans: &[Span], metrics: &dyn Metrics) -> Vec<f32> {
    let mut out = vec![0.0];
    for s in spans {
        for (c, w) in s.text.chars().zip(advances(s, metrics)) {
            if c == '\n' {
                out.push(0.0);
            } else if let Some(l) = out.last_mut() {
                *l += w;
            }
        }
    }
    out
}

/// The widest piece of `spans` that may not be broken.
pub fn longest_unbreakable(spans: &[Span], metrics: &dyn Metrics) -> f32 {
    let text: String = spans.iter().map(|s| s.text.as_str()).collect();
    let mut widths: Vec<f32> = Vec::with_capacity(text.len());
    for s in spans {
        for (c, w) in s.text.chars().zip(advances(s, metrics)) {
            widths.extend(std::iter::repeat_n(0.0, c.len_utf8() - 1));
            widths.push(w);
        }
    }
    let mut best: f32 = 0.0;
    let mut last = 0;
    for b in breaking::opportunities(&text) {
        let piece = &text[last..b.at];
        let trimmed = piece.trim_end().len();
        best = best.max(widths[last..last + trimmed].iter().sum());
        last = b.at;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::layout::Mono;

    thread_local! {
        /// The total fit searches from every line end at once.
        pub(super) static WHOLE_SEARCH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// The total fit takes what its first search found, whatever it
        /// costs (what it must not do).
        pub(super) static FIRST_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        /// How many paragraphs the total fit searched again from every
        /// line end.
        pub(super) static SEARCHED_AGAIN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// The total fit's first search, from the line ends reached cheaply,
    /// breaks every paragraph of the demo's matters where the whole search
    /// does, at many widths, and a paragraph whose best breaks cost more
    /// is searched again.
    #[test]
    fn the_total_fit_breaks_as_the_whole_search_does() {
        let fonts = crate::layout::font::FontSet::default_fonts();
        let mut paragraphs: Vec<String> = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("guides");
        for e in walkdir::WalkDir::new(root)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            if e.path().extension().is_some_and(|x| x == "yaml") {
                let text = std::fs::read_to_string(e.path()).unwrap();
                paragraphs.extend(
                    text.lines()
                        .map(|l| l.trim_start_matches([' ', '-']).to_string())
                        .filter(|l| l.chars().count() > 12),
                );
            }
        }
        // Loose whatever the breaks: a long address among short words.
        paragraphs.push("办理地点 https://zwfw.example.gov.cn/guide/detail/12345678 三楼".into());
        paragraphs.push("一二三四五六七八九十一二三四五六七八九十一二三四五。六".into());
        assert!(paragraphs.len() > 200, "{}", paragraphs.len());
        let mut laid = 0;
        for text in &paragraphs {
            for width in [60.0, 97.0, 150.0, 211.0, 330.0] {
                let spans = vec![span(text.clone(), Face::Regular, 9.5, Rgb::BLACK)];
                WHOLE_SEARCH.set(true);
                let whole = lay_out(&spans, width, Align::Justify, &fonts);
                WHOLE_SEARCH.set(false);
                let first = lay_out(&spans, width, Align::Justify, &fonts);
                assert_eq!(first, whole, "{text} at {width}");
                laid += 1;
            }
        }
        let again = SEARCHED_AGAIN.get();
        assert!(again > 0 && again * 10 < laid, "{again} of {laid}");
        // Made-up paragraphs, set five to nine characters wide: among them
        // some whose best breaks the first search misses, finding worse.
        let mut seed = 20261202u64;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let pieces = [
            "居",
            "民",
            "证",
            "，",
            "。",
            "（",
            "）",
            "3个工作日",
            "2026",
            " ",
            "App",
            "《",
            "》",
            "9:30—13:30",
            "、",
        ];
        let mut missed = 0;
        for _ in 0..3000 {
            let text: String = (0..5 + next(30))
                .map(|_| pieces[next(pieces.len())])
                .collect();
            let spans = plain(&text);
            let width = 10.0 * (5 + next(5)) as f32;
            WHOLE_SEARCH.set(true);
            let whole = lay_out(&spans, width, Align::Justify, &Mono);
            WHOLE_SEARCH.set(false);
            FIRST_ONLY.set(true);
            let first = lay_out(&spans, width, Align::Justify, &Mono);
            FIRST_ONLY.set(false);
            missed += usize::from(first != whole);
            assert_eq!(
                lay_out(&spans, width, Align::Justify, &Mono),
                whole,
                "{text} at {width}"
            );
        }
        assert!(missed > 0);
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text.as_str()).collect())
            .collect()
    }

    fn plain(t: &str) -> Vec<Span> {
        vec![Span {
            text: t.into(),
            style: Style::new(Face::Regular, 10.0),
        }]
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // 5 characters per line; a naive break would put "，" first.
        let lines = lay_out(
            &plain("一二三四五，六七八九十。"),
            50.0,
            Align::Justify,
            &Mono,
        );
        for t in texts(&lines) {
            assert!(!t.starts_with('，') && !t.starts_with('。'), "{t}");
        }
        assert_eq!(texts(&lines).concat(), "一二三四五，六七八九十。");
    }

    #[test]
    fn justified_lines_spread_slack_evenly_and_keep_the_text() {
        let lines = lay_out(
            &plain("申请人须携带原件1份到窗口办理手续"),
            75.0,
            Align::Justify,
            &Mono,
        );
        let first = &lines[0];
        let end = first.runs.last().map(|r| r.x + r.width).unwrap();
        assert!((end - 75.0).abs() < 0.01, "flush right: {end}");
        assert_eq!(texts(&lines).concat(), "申请人须携带原件1份到窗口办理手续");
        // The quantity was not split.
        assert!(
            texts(&lines).iter().any(|l| l.contains("1份")),
            "{:?}",
            texts(&lines)
        );
    }

    #[test]
    fn the_last_line_is_never_a_single_character() {
        let lines = lay_out(
            &plain("一二三四五六七八九十甲"),
            50.0,
            Align::Justify,
            &Mono,
        );
        let last = texts(&lines).pop().unwrap();
        assert!(last.chars().count() >= 2, "{:?}", texts(&lines));
    }

    #[test]
    fn justification_never_spreads_a_latin_word_or_a_number() {
        let lines = lay_out(
            &plain("请用App扫码，或拨打12345咨询，我们将为您办理相关事项的手续"),
            153.0,
            Align::Justify,
            &Mono,
        );
        let first = &lines[0].runs[0];
        assert!(first.spacing > 0.0, "the line is justified");
        let text: Vec<char> = first.text.chars().collect();
        for (i, amount) in &first.squeeze {
            // Every Latin/digit pair takes the spacing back out.
            assert!(
                text[*i].is_ascii_graphic() && text[*i + 1].is_ascii_graphic(),
                "{i}"
            );
            assert!((amount - first.spacing).abs() < 1e-4);
        }
        let pairs = text
            .windows(2)
            .filter(|w| w[0].is_ascii_graphic() && w[1].is_ascii_graphic())
            .count();
        assert_eq!(first.squeeze.len(), pairs);
        let end = lines[0].runs.last().map(|r| r.x + r.width).unwrap();
        assert!((end - 153.0).abs() < 0.01, "still flush right: {end}");
    }

    #[test]
    fn adjacent_punctuation_is_compressed_on_every_line_alike() {
        let lines = lay_out(&plain("（原件）。甲乙"), 100.0, Align::Left, &Mono);
        assert_eq!(lines[0].runs[0].squeeze, vec![(3, 5.0)]);
    }

    #[test]
    fn a_compressed_pair_ending_a_line_squeezes_its_last_mark() {
        // 》） ends the line: ） gives up its half, 》 keeps its width, so
        // the two glyphs do not overlap.
        let lines = lay_out(&plain("甲《乙》）"), 100.0, Align::Left, &Mono);
        assert_eq!(lines[0].runs[0].squeeze, vec![(4, 5.0)]);
        // Inside a line the first mark gives it up, as before.
        let lines = lay_out(&plain("甲《乙》）丙"), 100.0, Align::Left, &Mono);
        assert_eq!(lines[0].runs[0].squeeze, vec![(3, 5.0)]);
    }

    #[test]
    fn a_forced_break_does_not_start_a_line_with_a_closing_mark() {
        // No break opportunity in 5 characters of width.
        let lines = lay_out(&plain("证明（天山区））"), 20.0, Align::Left, &Mono);
        for t in texts(&lines) {
            assert!(!t.starts_with('）'), "{:?}", texts(&lines));
        }
    }

    #[test]
    fn an_overlong_word_is_broken_rather_than_overflowing() {
        let url = "https://zwfw.example.gov.cn/very/long/path/that/never/ends";
        let lines = lay_out(&plain(url), 60.0, Align::Justify, &Mono);
        assert!(
            lines.iter().all(|l| l.width <= 60.01),
            "{:?}",
            texts(&lines)
        );
        assert_eq!(texts(&lines).concat(), url);
    }

    /// Space per gap of every line but the last, in ems.
    fn spreads(lines: &[Line]) -> Vec<f32> {
        lines.iter().filter(|l| !l.last).map(|l| l.spread).collect()
    }

    #[test]
    fn a_glued_quantity_breaks_at_its_permitted_point_rather_than_open_a_hole() {
        // Ten ems a line: "3个工作日" (4.5 em) does not fit after eight
        // characters; moving it whole would leave two ems in one line.
        let t = "一二三四五六七八九十甲乙丙丁戊己庚辛3个工作日内办结逾期不予受理";
        let lines = lay_out(&plain(t), 100.0, Align::Justify, &Mono);
        assert_eq!(texts(&lines).concat(), t);
        for (l, s) in texts(&lines).iter().zip(spreads(&lines)) {
            assert!(s <= LOOSE, "{l:?} spreads {s} em per gap");
        }
        assert!(texts(&lines)[1].ends_with("3个"), "{:?}", texts(&lines));
    }

    #[test]
    fn slack_is_shared_by_the_lines_of_a_paragraph() {
        // Greedy fills the first line and leaves two ems before the
        // unbreakable document number on the second; total fit moves a
        // character down so each line keeps about one.
        let t = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳国发〔2015〕96号文件规定办理";
        let lines = lay_out(&plain(t), 200.0, Align::Justify, &Mono);
        assert_eq!(texts(&lines).concat(), t);
        // First fit (what a left-aligned paragraph gets) leaves two ems.
        let first_fit = lay_out(&plain(t), 200.0, Align::Left, &Mono);
        let hole = first_fit
            .iter()
            .filter(|l| !l.last)
            .map(|l| (200.0 - l.width) / 10.0)
            .fold(0.0, f32::max);
        assert!(hole >= 2.0, "{hole}");
        let worst = spreads(&lines).into_iter().fold(0.0, f32::max);
        assert!(worst <= LOOSE, "{worst} {:?}", texts(&lines));
        assert!(
            texts(&lines).iter().any(|l| l.contains("〔2015〕96号")),
            "{:?}",
            texts(&lines)
        );
    }

    #[test]
    fn no_line_of_many_paragraphs_is_loose() {
        // Paragraphs of varied lengths, with quantities here and there, at
        // several widths: nearly every line but the last within 0.1 em a
        // gap. (Text this dense in quantities can leave a hole that no
        // choice of breaks avoids; real paragraphs are measured in
        // tests/print_lines.rs.)
        let words = [
            "申请人",
            "应当",
            "携带",
            "原件1份",
            "和复印件2份",
            "到窗口",
            "办理，",
            "7个工作日内",
            "办结；",
            "办公时间9:30—13:30，",
            "照片一张，",
            "按照",
            "国办发文件",
            "规定，",
            "年满16周岁的",
            "须本人到场。",
        ];
        let mut seed = 7u32;
        let mut worst = (0.0f32, String::new());
        let (mut loose, mut all) = (0, 0);
        for n in 0..60 {
            let mut t = String::new();
            for _ in 0..(8 + n % 23) {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                t.push_str(words[(seed >> 16) as usize % words.len()]);
            }
            let width = 10.0 * (16 + n % 13) as f32;
            let lines = lay_out(&plain(&t), width, Align::Justify, &Mono);
            assert_eq!(texts(&lines).concat(), t);
            for (l, s) in texts(&lines).iter().zip(spreads(&lines)) {
                all += 1;
                loose += usize::from(s > LOOSE);
                if s > worst.0 {
                    worst = (s, format!("{l} in {:?} at {width}", texts(&lines)));
                }
            }
            assert!(!lines.iter().any(|l| l.runt), "{:?}", texts(&lines));
        }
        assert!(loose * 10 <= all, "{loose} of {all} loose, worst {worst:?}");
        assert!(worst.0 <= 0.25, "{worst:?}");
    }

    #[test]
    fn a_line_a_little_too_long_shrinks_its_marks_evenly_rather_than_leave_a_loose_one() {
        // 17 ems on a 16-em line. Two lines would leave the first loose
        // (乙理。 at least goes down: 理。 may not stand alone): 2 ems in
        // 13 gaps. The four marks give up a quarter em each instead.
        let t = "一二三（四五）六七八九，十甲乙理。";
        let lines = lay_out(&plain(t), 160.0, Align::Justify, &Mono);
        assert_eq!(texts(&lines), [t]);
        let line = &lines[0];
        assert!((line.width - 160.0).abs() < 0.01, "{}", line.width);
        assert!((line.shrink - 0.5).abs() < 1e-3, "{}", line.shrink);
        let run = &line.runs[0];
        let end = run.x + run.width;
        assert!((end - 160.0).abs() < 0.01, "flush right: {end}");
        // Taken before the opening mark (after 三), after the closing
        // ones: the same 2.5 points from each.
        assert_eq!(run.squeeze, vec![(2, 2.5), (6, 2.5), (11, 2.5), (16, 2.5)]);
        // Without marks to give, the same line is broken and stretched.
        let plain_line = "一二三四五六七八九十甲乙丙丁戊己庚";
        let lines = lay_out(&plain(plain_line), 160.0, Align::Justify, &Mono);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.shrink == 0.0));
    }

    #[test]
    fn a_line_is_not_shrunk_where_breaking_it_leaves_no_loose_line() {
        // 21 ems on 20.5: the two commas could give up half an em, but
        // breaking before 未申 costs only 0.08 em a gap.
        let t = "甲乙丙丁戊己庚辛壬癸，子丑寅卯，辰巳午未申";
        let lines = lay_out(&plain(t), 205.0, Align::Justify, &Mono);
        assert_eq!(texts(&lines).concat(), t);
        assert_eq!(lines.len(), 2, "{:?}", texts(&lines));
        assert!(lines.iter().all(|l| l.shrink == 0.0));
        assert!(spreads(&lines).iter().all(|&s| s <= LOOSE));
    }

    #[test]
    fn question_marks_and_half_width_marks_never_shrink() {
        // A line a little too long with only ？ or a half-width comma to
        // give: two lines, however loose.
        for (t, width) in [
            ("一二三四五？六七八九十", 105.0),
            ("一二三四五,六七八九十", 103.0),
        ] {
            let lines = lay_out(&plain(t), width, Align::Justify, &Mono);
            assert!(lines.iter().all(|l| l.shrink == 0.0));
            assert_eq!(texts(&lines).concat(), t);
            assert_eq!(lines.len(), 2, "{:?}", texts(&lines));
        }
    }

    #[test]
    fn a_character_and_its_full_stop_never_end_a_paragraph_alone() {
        // Ten characters a line; "理。" would be left alone.
        let t = "一二三四五六七八九十一二三四五六七八办理。";
        let lines = lay_out(&plain(t), 100.0, Align::Justify, &Mono);
        assert!(!lines.iter().any(|l| l.runt), "{:?}", texts(&lines));
        assert_ne!(texts(&lines).last().unwrap(), "理。");
    }

    #[test]
    fn no_space_is_added_inside_a_glued_quantity() {
        let t = "办公时间为每周一至周五9:30—13:30，照片规格为48mm × 33mm，其余时间请预约";
        // Wide enough that both pieces stay whole on justified lines
        // (narrower, they break at their last-resort points instead of
        // leaving loose lines).
        let lines = lay_out(&plain(t), 180.0, Align::Justify, &Mono);
        assert!(lines.iter().filter(|l| l.spread > 0.0).count() >= 2);
        for line in &lines {
            for r in &line.runs {
                let chars: Vec<char> = r.text.chars().collect();
                let text: String = chars.iter().collect();
                for q in ["9:30—13:30", "48mm × 33mm"] {
                    let Some(at) = text.find(q) else { continue };
                    let first = text[..at].chars().count();
                    // Every gap inside takes the spacing back out.
                    for k in first..first + q.chars().count() - 1 {
                        let taken: f32 = r
                            .squeeze
                            .iter()
                            .filter(|(i, _)| *i == k)
                            .map(|(_, a)| a)
                            .sum();
                        assert!(
                            (taken - r.spacing).abs() < 1e-4 || r.spacing == 0.0,
                            "gap {k} of {text:?} gets space"
                        );
                    }
                }
            }
        }
        let all = texts(&lines);
        assert!(all.iter().any(|l| l.contains("9:30—13:30")), "{all:?}");
        assert!(all.iter().any(|l| l.contains("48mm × 33mm")), "{all:?}");
    }

    #[test]
    fn a_line_starting_with_an_opening_bracket_sets_its_ink_at_the_margin() {
        let lines = lay_out(&plain("（一）申请条件"), 100.0, Align::Left, &Mono);
        assert_eq!(lines[0].runs[0].x, -5.0);
        assert_eq!(lines[0].width, 65.0);
    }

    #[test]
    fn a_kept_span_is_never_broken_inside() {
        let mut label = plain("事项类型：");
        label[0].style.keep = true;
        let mut spans = plain("甲乙丙丁戊己庚　");
        spans.extend(label);
        spans.extend(plain("行政许可"));
        let lines = lay_out(&spans, 100.0, Align::Left, &Mono);
        assert!(
            texts(&lines).iter().any(|l| l.starts_with("事项类型：")),
            "{:?}",
            texts(&lines)
        );
    }

    #[test]
    fn a_uyghur_name_in_a_chinese_line_is_shaped_and_set_right_to_left() {
        let fonts = crate::layout::font::FontSet::default_fonts();
        let name = "ئابدۇرېھىم ئەھمەت";
        let spans = vec![span(
            format!("申请人：{name}。"),
            Face::Regular,
            10.0,
            Rgb::BLACK,
        )];
        let lines = lay_out(&spans, 400.0, Align::Left, &fonts);
        assert_eq!(lines.len(), 1);
        let runs = &lines[0].runs;
        // Extraction text stays logical, in the runs' order.
        let text: String = runs.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(text, format!("申请人：{name}。"));
        let words: Vec<&GlyphRun> = runs.iter().filter(|r| r.shaped.is_some()).collect();
        assert_eq!(
            words.iter().map(|r| r.text.as_str()).collect::<Vec<_>>(),
            ["ئابدۇرېھىم", "ئەھمەت"]
        );
        for w in &words {
            let shaped = w.shaped.as_ref().unwrap();
            assert!(shaped.rtl && shaped.font == Extra::Arabic);
            assert!(shaped.glyphs.iter().all(|g| g.id != 0), "no .notdef");
            // Joined: the glyphs are not the letters' isolated forms.
            let isolated: Vec<u16> = w
                .text
                .chars()
                .map(|c| fonts.shape(Extra::Arabic, &c.to_string(), true)[0].id)
                .collect();
            let mut visual: Vec<u16> = shaped.glyphs.iter().map(|g| g.id).collect();
            visual.reverse();
            assert_ne!(visual, isolated);
            let width: f32 = shaped.glyphs.iter().map(|g| g.advance).sum();
            assert!((width - w.width).abs() < 0.01, "{width} vs {}", w.width);
        }
        // Displayed right to left: the first word stands right of the
        // second, and both between the label and the full stop.
        let (first, second) = (words[0], words[1]);
        assert!(
            first.x > second.x + second.width - 0.01,
            "{first:?} {second:?}"
        );
        let label = &runs[0];
        let stop = runs.last().unwrap();
        assert!(second.x >= label.x + label.width - 0.01);
        assert!(stop.x >= first.x + first.width - 0.01);
    }

    #[test]
    fn brackets_in_a_right_to_left_name_are_set_right_to_left() {
        let fonts = crate::layout::font::FontSet::default_fonts();
        for (name, open, close) in [
            ("ئابدۇرېھىم (ئابدۇللا)", "(", ")"),
            ("مۇھەممەت [تەكشۈرۈش]", "[", "]"),
            ("ئابدۇرېھىم（ئابدۇللا）", "（", "）"),
        ] {
            let t = format!("申请人：{name}。");
            let spans = vec![span(t.as_str(), Face::Regular, 10.0, Rgb::BLACK)];
            let lines = lay_out(&spans, 400.0, Align::Justify, &fonts);
            let runs = &lines[0].runs;
            // Extraction keeps the characters typed, in logical order.
            let text: String = runs.iter().map(|r| r.text.as_str()).collect();
            assert_eq!(text, t);
            let find = |s: &str| runs.iter().find(|r| r.text == s).expect(s);
            let (o, c) = (find(open), find(close));
            let words: Vec<&GlyphRun> = runs.iter().filter(|r| r.shaped.is_some()).collect();
            let (first, inner) = (words[0], words[1]);
            // The opening bracket stands right of the inner name, the
            // closing one left of it: both drawn mirrored.
            assert!(o.rtl && c.rtl, "{name}: {o:?} {c:?}");
            assert!(o.x >= inner.x + inner.width - 0.01, "{name}");
            assert!(o.x + o.width <= first.x + 0.01, "{name}");
            assert!(c.x + c.width <= inner.x + 0.01, "{name}");
            // The Chinese around them is not.
            assert!(!runs[0].rtl && !runs.last().unwrap().rtl);
            assert!(runs[0].x + runs[0].width <= c.x + 0.01);
        }
    }

    #[test]
    fn marks_set_right_to_left_keep_their_width_when_a_line_shrinks() {
        let fonts = crate::layout::font::FontSet::default_fonts();
        let t = "甲，ئابدۇرېھىم（ئابدۇللا）乙丙。";
        let spans = vec![span(t, Face::Regular, 10.0, Rgb::BLACK)];
        let natural = natural_width(&spans, &fonts);
        // Two points too long: the Chinese marks give them up.
        let lines = lay_out(&spans, natural - 2.0, Align::Justify, &fonts);
        assert_eq!(lines.len(), 1, "{:?}", texts(&lines));
        assert!(lines[0].shrink > 0.0);
        for r in &lines[0].runs {
            if r.rtl {
                assert!(r.squeeze.is_empty(), "{r:?}");
                let own: f32 = r
                    .text
                    .chars()
                    .map(|c| fonts.advance(Face::Regular, c) * 10.0)
                    .sum();
                if r.shaped.is_none() {
                    assert!((r.width - own).abs() < 0.01, "{r:?}");
                }
            }
        }
        assert!(
            lines[0]
                .runs
                .iter()
                .any(|r| !r.rtl && !r.squeeze.is_empty()),
            "{:?}",
            lines[0].runs
        );
    }

    #[test]
    fn mongolian_and_tibetan_runs_carry_their_shaped_glyphs() {
        let fonts = crate::layout::font::FontSet::default_fonts();
        for (text, font) in [
            ("ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ", Extra::Mongolian),
            ("བསྟན་འཛིན", Extra::Tibetan),
        ] {
            let spans = vec![span(format!("姓名{text}"), Face::Bold, 10.0, Rgb::BLACK)];
            let lines = lay_out(&spans, 400.0, Align::Justify, &fonts);
            let shaped: Vec<&GlyphRun> = lines[0]
                .runs
                .iter()
                .filter(|r| r.shaped.is_some())
                .collect();
            assert!(!shaped.is_empty(), "{text}");
            for r in shaped {
                let s = r.shaped.as_ref().unwrap();
                assert_eq!(s.font, font);
                assert!(!s.rtl);
                assert!(s.glyphs.iter().all(|g| g.id != 0), "{text}: {s:?}");
            }
            let all: String = lines[0].runs.iter().map(|r| r.text.as_str()).collect();
            assert_eq!(all, format!("姓名{text}"));
        }
    }

    #[test]
    fn a_mongolian_suffix_after_its_narrow_space_stays_in_the_word() {
        let fonts = crate::layout::font::FontSet::default_fonts();
        // ᠮᠣᠩᠭᠣᠯ + U+202F + ᠤᠨ (genitive): one shaped word.
        let word = "ᠮᠣᠩᠭᠣᠯ\u{202F}ᠤᠨ";
        assert!(word.chars().all(|c| fonts.has(c)));
        let spans = vec![span(format!("名称{word}"), Face::Regular, 10.0, Rgb::BLACK)];
        let lines = lay_out(&spans, 400.0, Align::Justify, &fonts);
        let shaped: Vec<&GlyphRun> = lines[0]
            .runs
            .iter()
            .filter(|r| r.shaped.is_some())
            .collect();
        assert_eq!(shaped.len(), 1);
        assert_eq!(shaped[0].text, word);
        let s = shaped[0].shaped.as_ref().unwrap();
        assert_eq!(s.font, Extra::Mongolian);
        assert!(s.glyphs.iter().all(|g| g.id != 0), "{s:?}");
        // A joiner the CJK face lacks is printable on its own too.
        assert!(fonts.has('\u{200C}') && fonts.has('\u{200D}'));
    }

    #[test]
    fn a_shaped_word_is_measured_as_it_is_set() {
        let fonts = crate::layout::font::FontSet::default_fonts();
        let spans = vec![span("ئابدۇرېھىم", Face::Regular, 10.0, Rgb::BLACK)];
        let set = lay_out(&spans, 400.0, Align::Left, &fonts)[0].width;
        assert!((natural_width(&spans, &fonts) - set).abs() < 0.001);
        assert!((longest_unbreakable(&spans, &fonts) - set).abs() < 0.001);
        assert!((line_widths(&spans, &fonts)[0] - set).abs() < 0.001);
        let isolated: f32 = "ئابدۇرېھىم"
            .chars()
            .map(|c| fonts.advance(Face::Regular, c) * 10.0)
            .sum();
        assert!((isolated - set).abs() > 0.1, "{isolated} vs {set}");
    }

    #[test]
    fn mixed_scripts_at_any_width_keep_every_character_once() {
        let fonts = crate::layout::font::FontSet::default_fonts();
        let texts = [
            "\u{064B}ئا（ئە）123 ٢٠٢٦ ب\u{200C}ب",
            "ᠮᠣᠩᠭᠣᠯ\u{202F}ᠤᠨ\n\nབསྒྲུབས་སྒྲོལ་མ། ئابدۇرېھىمئەھمەتقاسىمايگۇل",
            "\u{0F71}\u{180B}\u{202F}，ئا。\tབ",
        ];
        for t in texts {
            for width in [5.0, 20.0, 60.0, 400.0] {
                for align in [Align::Justify, Align::Left, Align::Right] {
                    let spans = vec![
                        span(t, Face::Bold, 9.0, Rgb::BLACK),
                        span(t, Face::Regular, 10.0, Rgb::BLACK),
                    ];
                    let lines = lay_out(&spans, width, align, &fonts);
                    let set: String = lines
                        .iter()
                        .flat_map(|l| &l.runs)
                        .map(|r| r.text.as_str())
                        .collect::<String>();
                    let want: String = format!("{t}{t}")
                        .chars()
                        .map(|c| if c == '\t' { ' ' } else { c })
                        .filter(|c| !c.is_whitespace())
                        .collect();
                    let got: String = set.chars().filter(|c| !c.is_whitespace()).collect();
                    assert_eq!(got, want, "{t:?} at {width}");
                    for r in lines.iter().flat_map(|l| &l.runs) {
                        assert!(r.x.is_finite() && r.width.is_finite());
                    }
                }
            }
        }
    }

    #[test]
    fn text_without_other_scripts_is_set_as_before() {
        let fonts = crate::layout::font::FontSet::default_fonts();
        let spans = plain("申请人：张三，材料原件1份。");
        let lines = lay_out(&spans, 60.0, Align::Justify, &fonts);
        assert!(
            lines
                .iter()
                .flat_map(|l| &l.runs)
                .all(|r| r.shaped.is_none())
        );
        // One run per span and line, as the CJK path always made.
        assert!(lines.iter().all(|l| l.runs.len() == 1));
    }
}
