//! The print edition's sheet: a finished page placed on a larger sheet with
//! bleed (art that touches the trim runs on beyond it, so a slightly
//! misaligned cut leaves no white edge) and, when asked for, crop marks in
//! the corners outside the bleed.

use super::{Area, Item, Page, Rgb, Stroke};

/// Millimetres in points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// The bleed a print shop asks for: 3 mm beyond the trim on every side.
pub fn bleed() -> f32 {
    mm(3.0)
}

/// How far a crop mark keeps from the trim (so it stays clear of the bleed:
/// it starts 1 mm outside it), and how long it is.
fn mark_offset() -> f32 {
    bleed() + mm(1.0)
}
fn mark_length() -> f32 {
    mm(5.0)
}

/// The room on each side of the trim for crop marks: the bleed, the gap and
/// the mark, and 1 mm of paper beyond.
pub fn marks_margin() -> f32 {
    mark_offset() + mark_length() + mm(1.0)
}

/// A crop mark's stroke: thin, in black ink.
pub const MARK: Stroke = Stroke {
    color: Rgb::BLACK,
    width: 0.25,
    dash: None,
};

/// How close to the trim edge (in points) art counts as touching it.
const TOUCH: f32 = 0.01;

/// Places `page` (its sheet so far the finished page) on a sheet with
/// `bleed` points of bleed on every side, and crop marks when `marks`:
/// the sheet grows by the bleed (or by [`marks_margin`] with marks), every
/// item moves so the trim sits inside, and every filled rectangle that
/// touches a trim edge runs on to the bleed edge. Sets the page's `trim`
/// and `bleed` areas.
pub fn impose(page: &mut Page, bleed: f32, marks: bool) {
    let (w, h) = (page.width, page.height);
    let margin = if marks {
        marks_margin().max(bleed)
    } else {
        bleed
    };
    for item in &mut page.items {
        match item {
            Item::Text(r) => {
                r.x += margin;
                r.y += margin;
            }
            Item::Rect {
                x,
                y,
                w: rw,
                h: rh,
                fill,
                ..
            } => {
                if fill.is_some() {
                    extend(x, rw, w, bleed);
                    extend(y, rh, h, bleed);
                }
                *x += margin;
                *y += margin;
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                *x1 += margin;
                *x2 += margin;
                *y1 += margin;
                *y2 += margin;
            }
            Item::Link { x, y, .. } | Item::Grid { x, y, .. } => {
                *x += margin;
                *y += margin;
            }
            Item::Begin(_) | Item::End => {}
        }
    }
    page.width = w + 2.0 * margin;
    page.height = h + 2.0 * margin;
    page.trim = Some(Area {
        x: margin,
        y: margin,
        w,
        h,
    });
    page.bleed = Some(Area {
        x: margin - bleed,
        y: margin - bleed,
        w: w + 2.0 * bleed,
        h: h + 2.0 * bleed,
    });
    if marks {
        page.items.extend(crop_marks(margin, w, h));
    }
}

/// Runs a span `[start, start + len]` on `bleed` beyond whichever edge of
/// `[0, size]` it touches.
fn extend(start: &mut f32, len: &mut f32, size: f32, bleed: f32) {
    let end = *start + *len;
    if *start <= TOUCH {
        *len += *start + bleed;
        *start = -bleed;
    }
    if end >= size - TOUCH {
        *len = size + bleed - *start;
    }
}

/// Eight marks, two at each corner, on the lines of the trim (at `m` from
/// the sheet's edges, `w` × `h`), each starting [`mark_offset`] outside the
/// trim: clear of the bleed.
fn crop_marks(m: f32, w: f32, h: f32) -> Vec<Item> {
    let (off, len) = (mark_offset(), mark_length());
    let line = |x1, y1, x2, y2| Item::Line {
        x1,
        y1,
        x2,
        y2,
        stroke: MARK,
    };
    let mut out = Vec::new();
    for x in [m, m + w] {
        for (y, dir) in [(m, -1.0), (m + h, 1.0)] {
            // Vertical mark above or below the corner, on the trim's x.
            out.push(line(x, y + dir * off, x, y + dir * (off + len)));
        }
    }
    for y in [m, m + h] {
        for (x, dir) in [(m, -1.0), (m + w, 1.0)] {
            // Horizontal mark left or right of the corner, on the trim's y.
            out.push(line(x + dir * off, y, x + dir * (off + len), y));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x: f32, y: f32, w: f32, h: f32) -> Item {
        Item::Rect {
            x,
            y,
            w,
            h,
            fill: Some(Rgb::BLACK),
            stroke: None,
        }
    }

    fn page(items: Vec<Item>) -> Page {
        Page {
            width: 100.0,
            height: 200.0,
            items,
            ..Page::default()
        }
    }

    #[test]
    fn the_sheet_grows_by_the_bleed_and_the_trim_sits_inside() {
        let mut p = page(vec![rect(10.0, 10.0, 5.0, 5.0)]);
        impose(&mut p, 8.0, false);
        assert_eq!((p.width, p.height), (116.0, 216.0));
        assert_eq!(
            p.trim,
            Some(Area {
                x: 8.0,
                y: 8.0,
                w: 100.0,
                h: 200.0
            })
        );
        assert_eq!(
            p.bleed,
            Some(Area {
                x: 0.0,
                y: 0.0,
                w: 116.0,
                h: 216.0
            })
        );
        // Art inside the trim moves with it, unchanged in size.
        assert_eq!(p.items, vec![rect(18.0, 18.0, 5.0, 5.0)]);
    }

    #[test]
    fn art_touching_the_trim_runs_on_to_the_bleed_edge() {
        // A band across the top, tabs on the left and right edges.
        let mut p = page(vec![
            rect(0.0, 0.0, 100.0, 40.0),
            rect(0.0, 60.0, 14.0, 20.0),
            rect(86.0, 60.0, 14.0, 20.0),
        ]);
        impose(&mut p, 8.0, false);
        assert_eq!(
            p.items,
            vec![
                rect(0.0, 0.0, 116.0, 48.0),
                rect(0.0, 68.0, 22.0, 20.0),
                rect(94.0, 68.0, 22.0, 20.0),
            ]
        );
    }

    #[test]
    fn an_outline_touching_the_trim_does_not_grow() {
        let outline = Item::Rect {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 200.0,
            fill: None,
            stroke: Some(MARK),
        };
        let mut p = page(vec![outline]);
        impose(&mut p, 8.0, false);
        assert!(matches!(
            p.items[0],
            Item::Rect {
                x: 8.0,
                y: 8.0,
                w: 100.0,
                h: 200.0,
                ..
            }
        ));
    }

    #[test]
    fn crop_marks_only_when_asked_and_clear_of_the_bleed() {
        let mut plain = page(Vec::new());
        impose(&mut plain, bleed(), false);
        assert!(plain.items.is_empty());

        let mut p = page(Vec::new());
        impose(&mut p, bleed(), true);
        let m = marks_margin();
        assert_eq!((p.width, p.height), (100.0 + 2.0 * m, 200.0 + 2.0 * m));
        let b = p.bleed.unwrap();
        assert_eq!(p.items.len(), 8);
        for i in &p.items {
            let Item::Line { x1, y1, x2, y2, .. } = *i else {
                panic!("a crop mark is a line: {i:?}");
            };
            // Outside the bleed box (not touching it), on the sheet.
            let outside = |x: f32, y: f32| {
                x < b.x - 1.0 || x > b.x + b.w + 1.0 || y < b.y - 1.0 || y > b.y + b.h + 1.0
            };
            assert!(outside(x1, y1) && outside(x2, y2), "{i:?} within {b:?}");
            for (x, y) in [(x1, y1), (x2, y2)] {
                assert!(x >= 0.0 && y >= 0.0 && x <= p.width && y <= p.height);
            }
            // On a trim line.
            let t = p.trim.unwrap();
            let on = |v: f32, a: f32, b: f32| (v - a).abs() < 1e-3 || (v - b).abs() < 1e-3;
            assert!(
                (x1 == x2 && on(x1, t.x, t.x + t.w)) || (y1 == y2 && on(y1, t.y, t.y + t.h)),
                "{i:?}"
            );
        }
    }
}
