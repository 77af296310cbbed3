//! The one answer to "which materials does matter X require in situations S…".
//! The booklet, notices, site and `guide show` all call [`materials`], so they
//! cannot disagree.

use super::{CatalogueEntry, Form, Guide, MaterialEntry, Necessity, Source};
use serde::Serialize;
use std::collections::HashMap;

/// The shared catalogue with an index by id.
#[derive(Debug, Default)]
pub struct Catalogue {
    pub entries: Vec<CatalogueEntry>,
    index: HashMap<String, usize>,
}

impl Catalogue {
    /// Builds the index; the first of duplicate ids wins (duplicates are
    /// reported by the validator).
    pub fn new(entries: Vec<CatalogueEntry>) -> Catalogue {
        let mut index = HashMap::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            index.entry(e.id.value.clone()).or_insert(i);
        }
        Catalogue { entries, index }
    }

    pub fn get(&self, id: &str) -> Option<&CatalogueEntry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.id.value.as_str())
    }
}

/// Which situations an applicant is in.
#[derive(Clone, Copy, Debug)]
pub enum Selection<'a> {
    /// Every material the matter can require (blank notice, booklet).
    All,
    /// Only what an applicant in exactly these situations needs.
    Situations(&'a [String]),
}

impl Selection<'_> {
    fn admits(&self, when: &[String]) -> bool {
        match self {
            Selection::All => true,
            Selection::Situations(s) => when.is_empty() || when.iter().any(|w| s.contains(w)),
        }
    }
}

/// A material with the catalogue resolved and overrides applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResolvedMaterial {
    /// 1-based position in the matter's `materials` list.
    pub position: usize,
    /// Catalogue id, for a `ref` entry.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub catalogue_id: Option<String>,
    pub name: String,
    /// `None` when the data does not say (printed 未注明, never guessed).
    pub form: Option<Form>,
    pub originals: u32,
    pub copies: u32,
    pub necessity: Necessity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blank_form: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sample: Option<String>,
    /// 支持电子证照.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub e_licence: bool,
    /// Accepted in its place.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub substitutes: Vec<String>,
    /// 受理标准 (Markdown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criteria: Option<String>,
    /// 要求提供材料的依据.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_by: Option<String>,
    /// Situation ids this material is limited to; empty = always.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub when: Vec<String>,
    /// A `one_of` group: the materials any one of which will do, each
    /// resolved like a material of its own (`position` is its place in the
    /// group, 1-based). The group itself has a name, necessity, note and
    /// `when`, no form or counts. Empty for one material.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<ResolvedMaterial>,
}

impl ResolvedMaterial {
    /// Produced inside the process (source 办理过程中生成): shown, never
    /// submitted, never listed as missing.
    pub fn is_produced(&self) -> bool {
        self.source == Some(Source::Produced)
    }

    /// A `one_of` group: shown, ticked and counted as one item.
    pub fn is_group(&self) -> bool {
        !self.alternatives.is_empty()
    }

    /// Whether `word` is this material's catalogue id, or one of its
    /// alternatives' (a clerk may name a group by any of them).
    pub fn has_id(&self, word: &str) -> bool {
        self.catalogue_id.as_deref() == Some(word)
            || self.alternatives.iter().any(|a| a.has_id(word))
    }

    /// “1份”, “各1份”, “原1份 复2份”: the 份数 column of booklet and site,
    /// short enough never to wrap (the two counts of “原1份 复2份” stack in a
    /// table cell, so the column stays narrow).
    pub fn count_words(&self) -> String {
        if self.is_group() {
            // One count for the group when every alternative asks the same.
            let each: Vec<String> = self.alternatives.iter().map(Self::count_words).collect();
            return match each.split_first() {
                Some((first, rest)) if rest.iter().all(|c| c == first) => first.clone(),
                _ => super::SEE_ALTERNATIVES.to_owned(),
            };
        }
        // An original with a copy asked besides (`copies: 1` on a ref)
        // says both counts, as the notice does.
        match self.form {
            Some(Form::Original) if self.copies == 0 => format!("{}份", self.originals),
            Some(Form::Copy) if self.originals == 0 => format!("{}份", self.copies),
            Some(Form::Both) if self.originals == self.copies => {
                format!("各{}份", self.originals)
            }
            Some(Form::Electronic) => "无纸质".to_owned(),
            _ => match (self.originals, self.copies) {
                (0, 0) => super::UNSTATED.to_owned(),
                (o, 0) => format!("原{o}份"),
                (0, c) => format!("复{c}份"),
                (o, c) => format!("原{o}份\n复{c}份"),
            },
        }
    }

    /// [`Self::counts`], or “电子版” for an electronic material.
    pub fn counts_or_electronic(&self) -> String {
        match self.form {
            Some(Form::Electronic) => "电子版".to_owned(),
            _ => self.counts(),
        }
    }

    /// "原件1份，复印件2份" — the counts as a clerk reads them out.
    pub fn counts(&self) -> String {
        let mut parts = Vec::new();
        if self.originals > 0 {
            parts.push(format!("原件{}份", self.originals));
        }
        if self.copies > 0 {
            parts.push(format!("复印件{}份", self.copies));
        }
        if parts.is_empty() {
            return match self.form {
                Some(_) => "电子版".to_owned(),
                None => "份数未注明".to_owned(),
            };
        }
        parts.join("，")
    }
}

fn text(s: &Option<super::S<String>>) -> Option<String> {
    s.as_ref().map(|s| s.value.clone())
}

fn texts(v: &[super::S<String>]) -> Vec<String> {
    v.iter().map(|s| s.value.clone()).collect()
}

/// Resolves one entry; `None` for a `ref` to an unknown catalogue id (the
/// validator reports it).
pub fn resolve_entry(
    position: usize,
    entry: &MaterialEntry,
    catalogue: &Catalogue,
) -> Option<ResolvedMaterial> {
    let when: Vec<String> = entry.when().iter().map(|w| w.value.clone()).collect();
    let count = |o: &Option<super::S<u32>>| o.as_ref().map(|v| v.value);
    if let Some(group) = &entry.one_of {
        let name = entry.name.as_ref()?;
        let necessity = entry
            .necessity
            .as_ref()
            .map_or(Necessity::Required, |n| n.value);
        // The group's necessity is each alternative's: one answer.
        let alternatives = group
            .value
            .iter()
            .enumerate()
            .filter_map(|(j, a)| resolve_entry(j + 1, &a.value, catalogue))
            .map(|a| ResolvedMaterial { necessity, ..a })
            .collect();
        return Some(ResolvedMaterial {
            position,
            catalogue_id: None,
            name: name.value.clone(),
            form: None,
            originals: 0,
            copies: 0,
            necessity,
            source: None,
            issuer: None,
            spec: None,
            note: text(&entry.note),
            blank_form: None,
            sample: None,
            e_licence: false,
            substitutes: Vec::new(),
            criteria: None,
            required_by: None,
            when,
            alternatives,
        });
    }
    if let Some(r) = &entry.reference {
        let c = catalogue.get(&r.value)?;
        let form = c.form.as_ref().map(|f| f.value);
        let (o, k) = form.map_or((0, 0), Form::default_counts);
        return Some(ResolvedMaterial {
            position,
            catalogue_id: Some(c.id.value.clone()),
            name: c.name.value.clone(),
            form,
            originals: count(&entry.originals).or(count(&c.originals)).unwrap_or(o),
            copies: count(&entry.copies).or(count(&c.copies)).unwrap_or(k),
            necessity: entry
                .necessity
                .as_ref()
                .or(c.necessity.as_ref())
                .map_or(Necessity::Required, |n| n.value),
            source: c.source.as_ref().map(|s| s.value),
            issuer: text(&c.issuer),
            spec: text(&c.spec),
            note: text(&entry.note).or(text(&c.note)),
            blank_form: text(&c.blank_form),
            sample: text(&c.sample),
            e_licence: c.e_licence.as_ref().is_some_and(|b| b.value),
            substitutes: texts(&c.substitutes),
            criteria: text(&c.criteria),
            required_by: text(&c.required_by),
            when,
            alternatives: Vec::new(),
        });
    }
    let name = entry.name.as_ref()?;
    let form = entry.form.as_ref().map(|f| f.value);
    let (o, k) = form.map_or((0, 0), Form::default_counts);
    Some(ResolvedMaterial {
        position,
        catalogue_id: None,
        name: name.value.clone(),
        form,
        originals: count(&entry.originals).unwrap_or(o),
        copies: count(&entry.copies).unwrap_or(k),
        necessity: entry
            .necessity
            .as_ref()
            .map_or(Necessity::Required, |n| n.value),
        source: entry.source.as_ref().map(|s| s.value),
        issuer: text(&entry.issuer),
        spec: text(&entry.spec),
        note: text(&entry.note),
        blank_form: text(&entry.blank_form),
        sample: text(&entry.sample),
        e_licence: entry.e_licence.as_ref().is_some_and(|b| b.value),
        substitutes: texts(&entry.substitutes),
        criteria: text(&entry.criteria),
        required_by: text(&entry.required_by),
        when,
        alternatives: Vec::new(),
    })
}

/// The materials matter `guide` requires for `selection`, in the matter's
/// order, catalogue refs resolved, overrides applied, `when` filtered.
pub fn materials(
    guide: &Guide,
    catalogue: &Catalogue,
    selection: Selection<'_>,
) -> Vec<ResolvedMaterial> {
    guide
        .materials
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let when: Vec<String> = e.value.when().iter().map(|w| w.value.clone()).collect();
            selection.admits(&when)
        })
        .filter_map(|(i, e)| resolve_entry(i + 1, &e.value, catalogue))
        .collect()
}
