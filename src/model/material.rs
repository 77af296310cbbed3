//! A material entry of a matter, and a catalogue entry of `materials.yaml`.

use super::{Form, Necessity, S, Source};
use serde::Deserialize;

/// A material of a matter: a `ref` to the catalogue (with optional overrides)
/// or an inline definition. One struct for both keeps unknown-key errors and
/// spans; the validator checks which keys go with which form.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialEntry {
    #[serde(rename = "ref")]
    pub reference: Option<S<String>>,
    pub name: Option<S<String>>,
    pub form: Option<S<Form>>,
    pub originals: Option<S<u32>>,
    pub copies: Option<S<u32>>,
    pub necessity: Option<S<Necessity>>,
    pub source: Option<S<Source>>,
    pub issuer: Option<S<String>>,
    pub spec: Option<S<String>>,
    pub note: Option<S<String>>,
    pub blank_form: Option<S<String>>,
    pub sample: Option<S<String>>,
    /// 支持电子证照.
    pub e_licence: Option<S<bool>>,
    /// Accepted in its place (临时居民身份证).
    #[serde(default)]
    pub substitutes: Vec<S<String>>,
    /// 受理标准 (Markdown).
    pub criteria: Option<S<String>>,
    /// 要求提供材料的依据.
    pub required_by: Option<S<String>>,
    /// `None` when absent; `Some([])` is written but empty (a warning).
    pub when: Option<Vec<S<String>>>,
    /// A group, any one of which will do: the alternatives (refs or
    /// inline). The entry's own `name` labels the group; it may carry
    /// `when`, `necessity` and `note`, the alternatives carry the rest.
    pub one_of: Option<S<Vec<S<MaterialEntry>>>>,
    /// In a 一件事: the member matter whose handling produces this material;
    /// when that member is chosen it is not asked of the applicant.
    pub produced_by: Option<S<String>>,
}

impl MaterialEntry {
    /// The situations this material is limited to (empty: always).
    pub fn when(&self) -> &[S<String>] {
        self.when.as_deref().unwrap_or_default()
    }

    /// The alternatives of a `one_of` group (empty for one material).
    pub fn alternatives(&self) -> &[S<MaterialEntry>] {
        self.one_of.as_ref().map_or(&[], |a| a.value.as_slice())
    }

    /// The keys written on this entry that describe a material, in the
    /// order of the format, each with where it is written (`substitutes`:
    /// its first item). Not `ref`, `when`, `one_of` or `produced_by`.
    pub fn material_keys(&self) -> Vec<(&'static str, super::Pos)> {
        let p = |k: &'static str, pos: Option<super::Pos>| pos.map(|pos| (k, pos));
        [
            p("name", self.name.as_ref().map(|v| v.pos)),
            p("form", self.form.as_ref().map(|v| v.pos)),
            p("originals", self.originals.as_ref().map(|v| v.pos)),
            p("copies", self.copies.as_ref().map(|v| v.pos)),
            p("necessity", self.necessity.as_ref().map(|v| v.pos)),
            p("source", self.source.as_ref().map(|v| v.pos)),
            p("issuer", self.issuer.as_ref().map(|v| v.pos)),
            p("spec", self.spec.as_ref().map(|v| v.pos)),
            p("note", self.note.as_ref().map(|v| v.pos)),
            p("blank_form", self.blank_form.as_ref().map(|v| v.pos)),
            p("sample", self.sample.as_ref().map(|v| v.pos)),
            p("e_licence", self.e_licence.as_ref().map(|v| v.pos)),
            p("substitutes", self.substitutes.first().map(|v| v.pos)),
            p("criteria", self.criteria.as_ref().map(|v| v.pos)),
            p("required_by", self.required_by.as_ref().map(|v| v.pos)),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// This entry and the alternatives under it, at any depth (nesting is
    /// an error, but its texts are still checked).
    pub fn with_alternatives(&self) -> Vec<&MaterialEntry> {
        let mut out = vec![self];
        for a in self.alternatives() {
            out.extend(a.value.with_alternatives());
        }
        out
    }
}

/// The keys a `one_of` group may carry besides `name` and `one_of`.
pub const GROUP_KEYS: &[&str] = &["name", "when", "necessity", "note"];

/// The keys a `ref` entry may override.
pub const REF_OVERRIDES: &[&str] = &[
    "originals",
    "copies",
    "necessity",
    "note",
    "when",
    "produced_by",
];

/// An entry of the shared catalogue, `materials.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueEntry {
    pub id: S<String>,
    pub name: S<String>,
    pub form: Option<S<Form>>,
    pub originals: Option<S<u32>>,
    pub copies: Option<S<u32>>,
    pub necessity: Option<S<Necessity>>,
    pub source: Option<S<Source>>,
    pub issuer: Option<S<String>>,
    pub spec: Option<S<String>>,
    pub note: Option<S<String>>,
    pub blank_form: Option<S<String>>,
    pub sample: Option<S<String>>,
    /// 支持电子证照.
    pub e_licence: Option<S<bool>>,
    /// Accepted in its place (临时居民身份证).
    #[serde(default)]
    pub substitutes: Vec<S<String>>,
    /// 受理标准 (Markdown).
    pub criteria: Option<S<String>>,
    /// 要求提供材料的依据.
    pub required_by: Option<S<String>>,
}
