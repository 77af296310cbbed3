//! Serde types of a guide project: `guide.yaml`, `materials.yaml` and one matter
//! per file. Data only, no I/O. Every value that a check may point at is
//! [`Spanned`], so diagnostics carry its line and column.

mod config;
mod guide;
mod material;
pub mod resolve;
pub mod schema;
mod words;

pub use config::*;
pub use guide::*;
pub use material::*;
pub use words::*;

/// A value with the line and column it came from. Decoded through
/// [`serde_saphyr::Spanned`] and kept compact (a guide has hundreds of values,
/// a corpus millions).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct S<T> {
    pub value: T,
    pub pos: Pos,
}

/// Written as the bare value (positions are for diagnostics only).
impl<T: serde::Serialize> serde::Serialize for S<T> {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        self.value.serialize(s)
    }
}

impl<'de, T: serde::Deserialize<'de> + 'static> serde::Deserialize<'de> for S<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let pos = Pos::from_location(&s.referenced);
        let any = &s.value as &dyn std::any::Any;
        if let Some(text) = any.downcast_ref::<String>() {
            limits::note(text, pos);
        } else if let Some(Markdowns::One(text)) = any.downcast_ref::<Markdowns>() {
            limits::note(text, pos);
        } else if let Some(Texts::One(text)) = any.downcast_ref::<Texts>() {
            limits::note(text, pos);
        } else if let Some(Delivery::Text(text)) = any.downcast_ref::<Delivery>() {
            limits::note(text, pos);
        }
        Ok(S {
            pos,
            value: s.value,
        })
    }
}

/// Length limits on every text of the data, so that no text can make
/// layout, Markdown or the diagnostics slow: noted while a file is decoded
/// (every text value passes through [`S`]), reported by the loader.
pub mod limits {
    use super::Pos;
    use std::cell::RefCell;

    /// The longest text value, in characters (a long FAQ answer is 2,000).
    pub const MAX_TEXT_CHARS: usize = 5_000;
    /// The longest run of characters a line cannot break in: no space, no
    /// Chinese character, none of `/ . ? & = , ; - _` (a long web address
    /// breaks after those).
    pub const MAX_WORD_CHARS: usize = 200;

    /// A text over a limit.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Over {
        Text(usize),
        Word(usize),
        /// A yes/no word (perhaps quoted: the loader looks).
        YesNo,
    }

    thread_local! {
        static FOUND: RefCell<Option<Vec<(Pos, Over)>>> = const { RefCell::new(None) };
    }

    /// Runs `f` (one decode of one file on this thread) and returns what it
    /// found over the limits.
    pub fn collect<R>(f: impl FnOnce() -> R) -> (R, Vec<(Pos, Over)>) {
        FOUND.with(|c| *c.borrow_mut() = Some(Vec::new()));
        let r = f();
        let found = FOUND.with(|c| c.borrow_mut().take()).unwrap_or_default();
        (r, found)
    }

    /// The longest unbreakable run of `text`, in characters.
    pub fn longest_word(text: &str) -> usize {
        let (mut best, mut run) = (0, 0);
        for c in text.chars() {
            let breaks = c.is_whitespace()
                || c as u32 >= 0x2E80
                || matches!(c, '/' | '.' | '?' | '&' | '=' | ',' | ';' | '-' | '_');
            run = if breaks { 0 } else { run + 1 };
            best = best.max(run);
        }
        best
    }

    pub(super) fn note(text: &str, pos: Pos) {
        // A yes/no where a sentence is expected (`appointment: true`): the
        // decoder turns it into the text "true"; the loader checks whether
        // it was written unquoted.
        if matches!(
            text,
            "true"
                | "false"
                | "True"
                | "False"
                | "TRUE"
                | "FALSE"
                | "yes"
                | "no"
                | "Yes"
                | "No"
                | "YES"
                | "NO"
                | "on"
                | "off"
                | "On"
                | "Off"
                | "ON"
                | "OFF"
        ) {
            FOUND.with(|c| {
                if let Some(v) = c.borrow_mut().as_mut() {
                    v.push((pos, Over::YesNo));
                }
            });
            return;
        }
        if text.len() <= MAX_WORD_CHARS && text.len() <= MAX_TEXT_CHARS {
            return;
        }
        let chars = text.chars().count();
        let over = if chars > MAX_TEXT_CHARS {
            Over::Text(chars)
        } else {
            match longest_word(text) {
                n if n > MAX_WORD_CHARS => Over::Word(n),
                _ => return,
            }
        };
        FOUND.with(|c| {
            if let Some(v) = c.borrow_mut().as_mut() {
                v.push((pos, over));
            }
        });
    }
}

/// Where a value came from: 1-based line and column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    /// Length in characters of the value, 0 when unknown.
    pub len: u32,
}

impl Pos {
    pub fn of<T>(s: &S<T>) -> Pos {
        s.pos
    }

    pub fn at(line: u32, column: u32) -> Pos {
        Pos {
            line,
            column,
            len: 0,
        }
    }

    pub fn from_location(l: &serde_saphyr::Location) -> Pos {
        let len = l.span().len();
        Pos {
            line: l.line() as u32,
            column: l.column() as u32,
            len: if len >= u32::MAX as u64 {
                0
            } else {
                len as u32
            },
        }
    }
}

/// The top-level keys each kind of file must have (also the schema's
/// `required`), for reporting every missing one at once (serde names only
/// the first).
pub const GUIDE_REQUIRED: &[&str] = &["id", "name", "department", "category", "effective"];
pub const CONFIG_REQUIRED: &[&str] = &["title", "organization"];

/// What a table cell says of an element the published guide does not
/// state, where a blank would mislead. Nothing is ever guessed.
pub const UNSTATED: &str = "未注明";

/// What a table's 份数 cell of a `one_of` group says when its alternatives
/// ask for different counts (each count is printed with its alternative).
pub const SEE_ALTERNATIVES: &str = "见各项";

/// The fixed words of a `one_of` group: any one of its alternatives will do.
pub const ANY_ONE: &str = "任选其一";
