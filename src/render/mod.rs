//! Renderers: validated data in, files out. Each sees only the loaded,
//! validated project and a context; none reads YAML or calls another.

pub mod booklet;
pub mod bounded;
pub mod changes;
pub mod notice;
pub mod pdf;
pub mod site;
pub mod text;

/// The date printed on outputs: `SOURCE_DATE_EPOCH` if set, else the newest
/// date in the data, so the same input builds the same bytes.
pub fn build_date(p: &crate::load::Project) -> String {
    if crate::date::source_date_epoch().is_some() {
        return crate::date::Date::today().to_string();
    }
    p.guides
        .iter()
        .map(|g| g.guide.updated())
        .chain(p.guides.iter().map(|g| g.guide.effective.value.as_str()))
        .max()
        .unwrap_or("1970-01-01")
        .to_owned()
}
