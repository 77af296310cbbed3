//! `guide`: service-standard documents from one source of truth. The pipeline
//! is load (YAML → model) → validate (→ diagnostics) → render.

pub mod check;
pub mod cli;
pub mod date;
pub mod diag;
pub mod diff;
pub mod hash;
pub mod layout;
pub mod load;
pub mod markdown;
pub mod model;
pub mod notice;
pub mod output;
pub mod present;
pub mod register;
pub mod render;
pub mod serve;
pub mod validate;
