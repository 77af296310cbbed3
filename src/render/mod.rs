//! Renderers: validated data in, files out. Each sees only the loaded,
//! validated project and a context; none reads YAML or calls another.

pub mod booklet;
pub mod bounded;
pub mod changes;
pub mod notice;
pub mod pdf;
pub mod site;
pub mod text;
