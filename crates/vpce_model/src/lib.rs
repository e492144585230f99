//! Resolution of the AST into a typed, spanned model.
//!
//! Variables, locals, functions and templates are evaluated; `KIND.NAME` references
//! become typed ids; every block is checked against the schema (V101-V110, V112).
//! Architecture invariant: resolution never fails; what cannot be resolved is reported
//! once and left out (`None`), so later rules never see a half-valid value.

pub mod deployed;
mod eval;
mod functions;
pub mod logical_id;
pub mod modules;
mod objects;
pub mod policy;
mod resolve;
pub mod resources;
pub mod schema;
pub mod service;
mod value;

pub use functions::FUNCTIONS;
pub use objects::*;
pub use resolve::{parse_ports, resolve, FileLoader, NoFiles, ParsedFile, VarAssignment, VarInput};
pub use schema::Kind;
pub use value::{format_number, Spanned, Value};

/// Test support: the model of one configuration file, whatever it reports.
#[cfg(test)]
pub(crate) fn model_of(text: &str) -> Model {
    let mut sources = vpce_diagnostics::SourceMap::new();
    let file = sources.add("main.hcl", text);
    let (body, _) = vpce_syntax::parse_file(file, text);
    let files = [ParsedFile {
        file,
        body: body.expect("the text parses"),
    }];
    resolve(&files, &[], &[], &NoFiles, &mut sources).0
}
