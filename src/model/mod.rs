//! Serde types of a guide project: `guide.yaml`, `materials.yaml` and one matter
//! per file. Data only, no I/O. Every value that a check may point at is
//! [`Spanned`], so diagnostics carry its line and column.

mod config;
mod guide;
mod material;
pub mod resolve;
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

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for S<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        Ok(S {
            pos: Pos::from_location(&s.referenced),
            value: s.value,
        })
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
