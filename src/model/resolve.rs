//! The one answer to "which materials does matter X require in situations S…".
//! The booklet, notices, site and `guide show` all call [`materials`], so they
//! cannot disagree.

use super::{CatalogueEntry, Form, Guide, MaterialEntry, Member, Necessity, Source};
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

/// Which situations an applicant is in (and, for a 一件事, which optional
/// members they chose).
#[derive(Clone, Copy, Debug)]
pub enum Selection<'a> {
    /// Every material the matter can require (blank notice, booklet); for a
    /// 一件事, of every member, optional ones included.
    All,
    /// Only what an applicant in exactly these situations needs (every
    /// member of a 一件事).
    Situations(&'a [String]),
    /// A 一件事 with these optional members chosen (the others left out),
    /// in these situations (`None`: every situation).
    Chosen {
        situations: Option<&'a [String]>,
        members: &'a [String],
    },
}

impl Selection<'_> {
    fn admits(&self, when: &[String]) -> bool {
        let s = match self {
            Selection::All
            | Selection::Chosen {
                situations: None, ..
            } => return true,
            Selection::Situations(s)
            | Selection::Chosen {
                situations: Some(s),
                ..
            } => s,
        };
        when.is_empty() || when.iter().any(|w| s.contains(w))
    }

    /// Whether a member of a 一件事 is part of the application.
    pub fn has_member(&self, m: &Member) -> bool {
        match self {
            Selection::Chosen { members, .. } => !m.optional || members.contains(&m.id),
            _ => true,
        }
    }
}

/// A member matter of a 一件事, as outputs name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MemberRef {
    pub id: String,
    pub name: String,
    /// The applicant picks it (`bundle.optional`).
    pub optional: bool,
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
    /// In a 一件事: the members that ask for it (empty: the 一件事 itself,
    /// or a matter).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberRef>,
    /// In a 一件事: the chosen member whose handling produces it, so the
    /// applicant does not bring it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub produced_by: Option<MemberRef>,
    /// In a 一件事 shown with every member: the optional member that would
    /// produce it. Asked of an applicant who does not handle that member,
    /// so listed (and listable as missing) like any material.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub produced_if: Option<MemberRef>,
}

impl ResolvedMaterial {
    /// Produced inside the process (source 办理过程中生成): shown, never
    /// submitted, never listed as missing.
    pub fn is_produced(&self) -> bool {
        self.source == Some(Source::Produced) || self.produced_by.is_some()
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
            members: Vec::new(),
            produced_by: None,
            produced_if: None,
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
            members: Vec::new(),
            produced_by: None,
            produced_if: None,
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
        members: Vec::new(),
        produced_by: None,
        produced_if: None,
    })
}

/// The materials matter `guide` requires for `selection`, in the matter's
/// order, catalogue refs resolved, overrides applied, `when` filtered. For a
/// 一件事: its own materials, then those of the chosen members, merged (see
/// [`merged`]).
pub fn materials(
    guide: &Guide,
    catalogue: &Catalogue,
    selection: Selection<'_>,
) -> Vec<ResolvedMaterial> {
    if guide.is_bundle() {
        return merged(guide, catalogue, selection);
    }
    entries(&guide.materials, catalogue, selection)
        .into_iter()
        .map(|(m, _)| m)
        .collect()
}

/// The entries `selection` admits, resolved, each with its `produced_by`.
fn entries<'a>(
    list: &'a [super::S<MaterialEntry>],
    catalogue: &Catalogue,
    selection: Selection<'_>,
) -> Vec<(ResolvedMaterial, Option<&'a str>)> {
    list.iter()
        .enumerate()
        .filter(|(_, e)| {
            let when: Vec<String> = e.value.when().iter().map(|w| w.value.clone()).collect();
            selection.admits(&when)
        })
        .filter_map(|(i, e)| {
            let m = resolve_entry(i + 1, &e.value, catalogue)?;
            Some((m, e.value.produced_by.as_ref().map(|p| p.value.as_str())))
        })
        .collect()
}

/// How strictly a necessity asks for a material: of two members' answers the
/// stricter one stands.
fn strictness(n: Necessity) -> u8 {
    match n {
        Necessity::Required => 3,
        Necessity::Deferrable => 2,
        Necessity::Pledge => 1,
        Necessity::Optional => 0,
    }
}

/// The key under which two entries are one document: the catalogue id. A
/// material the process produces is matched by its name too, so that what
/// one member produces is known when another asks for it.
fn produced_key(m: &ResolvedMaterial) -> String {
    m.catalogue_id
        .clone()
        .unwrap_or_else(|| format!("\u{0}{}", m.name))
}

/// A 一件事's materials: its own, then each chosen member's, in bundle order.
/// The same catalogue id is asked once, with the largest counts, the
/// stricter necessity and the wider situations; a material a chosen member
/// produces (`produced_by`, or source 办理过程中生成 in that member) is not
/// asked of the applicant for another member. Entries without a catalogue id
/// (inline materials, `one_of` groups) pass through as they are.
fn merged(guide: &Guide, catalogue: &Catalogue, selection: Selection<'_>) -> Vec<ResolvedMaterial> {
    let rows = merged_rows(guide, catalogue, selection);
    // Positions are those of the whole list (every member, every
    // situation), so that a shorter list's items can be found in it.
    let whole = merged_rows(guide, catalogue, Selection::All);
    rows.into_iter()
        .map(|(key, mut m)| {
            m.position = whole
                .iter()
                .position(|(k, _)| *k == key)
                .map_or(0, |i| i + 1);
            m
        })
        .collect()
}

/// [`merged`]'s rows, each with a key that names it in any selection: the
/// catalogue id, or where the entry is written (owner, position).
fn merged_rows(
    guide: &Guide,
    catalogue: &Catalogue,
    selection: Selection<'_>,
) -> Vec<(String, ResolvedMaterial)> {
    let chosen: Vec<&Member> = guide
        .linked
        .iter()
        .filter(|m| selection.has_member(m))
        .collect();
    let member_ref = |m: &Member| MemberRef {
        id: m.id.clone(),
        name: m.name.clone(),
        optional: m.optional,
    };
    // What the chosen members produce, by key: the first producer stands.
    let mut produces: Vec<(String, MemberRef)> = Vec::new();
    for m in &chosen {
        for (r, _) in entries(&m.materials, catalogue, Selection::All) {
            if r.source == Some(Source::Produced) {
                let k = produced_key(&r);
                if !produces.iter().any(|(x, _)| *x == k) {
                    produces.push((k, member_ref(m)));
                }
            }
        }
    }
    let own = entries(&guide.materials, catalogue, selection)
        .into_iter()
        .map(|e| (e, None));
    let of_members = chosen.iter().flat_map(|m| {
        entries(&m.materials, catalogue, selection)
            .into_iter()
            .map(move |e| (e, Some(*m)))
    });
    let mut out: Vec<(String, ResolvedMaterial)> = Vec::new();
    for ((mut r, produced_by), member) in own.chain(of_members) {
        if let Some(m) = member {
            r.members.push(member_ref(m));
        }
        // Produced by another chosen member: named, never asked.
        let producer = produced_by
            .and_then(|p| chosen.iter().find(|m| m.id == p).map(|m| member_ref(m)))
            .or_else(|| {
                let k = produced_key(&r);
                produces
                    .iter()
                    .find(|(x, by)| *x == k && member.is_none_or(|m| m.id != by.id))
                    .map(|(_, by)| by.clone())
            });
        // An optional member produces it only for an applicant who chose it.
        let sure = matches!(selection, Selection::Chosen { .. });
        match producer {
            _ if r.source == Some(Source::Produced) => {}
            Some(by) if by.optional && !sure => r.produced_if = Some(by),
            by => r.produced_by = by,
        }
        let key = match &r.catalogue_id {
            Some(id) => id.clone(),
            None => format!("\u{0}{}\u{0}{}", member.map_or("", |m| &m.id), r.position),
        };
        match out.iter().position(|(k, _)| *k == key) {
            Some(i) => merge_into(&mut out[i].1, r),
            None => out.push((key, r)),
        }
    }
    out
}

/// `b` (a later member's entry for the same catalogue id) into `a`.
fn merge_into(a: &mut ResolvedMaterial, b: ResolvedMaterial) {
    // Asked of the applicant by one member: asked (or asked unless an
    // optional member is handled).
    let spared = |m: &ResolvedMaterial| {
        if m.is_produced() {
            2
        } else {
            u8::from(m.produced_if.is_some())
        }
    };
    if spared(&b) < spared(a) {
        a.produced_by = b.produced_by.clone();
        a.produced_if = b.produced_if.clone();
        a.source = b.source;
    }
    a.originals = a.originals.max(b.originals);
    a.copies = a.copies.max(b.copies);
    if a.form != b.form {
        a.form = match (a.form, b.form) {
            (None, f) | (f, None) => f,
            (Some(Form::Electronic), f) | (f, Some(Form::Electronic)) => f,
            _ => Some(match (a.originals > 0, a.copies > 0) {
                (true, true) => Form::Both,
                (false, true) => Form::Copy,
                _ => Form::Original,
            }),
        };
    }
    if strictness(b.necessity) > strictness(a.necessity) {
        a.necessity = b.necessity;
    }
    // Needed always by one member: always.
    if a.when.is_empty() || b.when.is_empty() {
        a.when.clear();
    } else {
        for w in b.when {
            if !a.when.contains(&w) {
                a.when.push(w);
            }
        }
    }
    if a.note.is_none() {
        a.note = b.note;
    }
    for m in b.members {
        if !a.members.contains(&m) {
            a.members.push(m);
        }
    }
}
