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
pub mod net;
mod objects;
pub mod policy;
mod resolve;
pub mod resources;
pub mod schema;
pub mod service;
pub mod spans;
pub mod valid;
mod value;

pub use functions::FUNCTIONS;
pub use objects::*;
pub use resolve::{parse_ports, resolve, FileLoader, NoFiles, ParsedFile, VarAssignment, VarInput};
pub use schema::{EndpointType, IpAddressType, Kind, ListenerProtocol, LoadBalancerType, Via};
pub use valid::{NotValid, ValidModel};
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

/// Test support: the value of the expression `expr` (through `jsonencode`, as JSON)
/// in a configuration that also holds `prelude`, and what resolving it reports.
#[cfg(test)]
pub(crate) fn evaluate(
    prelude: &str,
    expr: &str,
) -> (Option<serde_json::Value>, Vec<vpce_diagnostics::Diagnostic>) {
    let text = format!(
        "region = \"eu-west-1\"\n{prelude}\nvpc \"probe\" {{\n  cidr = \"10.0.0.0/16\"\n  tags = {{ probe = jsonencode({expr}) }}\n}}\n"
    );
    let mut sources = vpce_diagnostics::SourceMap::new();
    let file = sources.add("main.hcl", text.as_str());
    let (body, parse_errors) = vpce_syntax::parse_file(file, &text);
    assert!(parse_errors.is_empty(), "{text}: {parse_errors:?}");
    let files = [ParsedFile {
        file,
        body: body.expect("the text parses"),
    }];
    let (model, diagnostics) = resolve(&files, &[], &[], &NoFiles, &mut sources);
    let value = model
        .vpcs
        .iter()
        .find(|(_, vpc)| vpc.common.name == "probe")
        .and_then(|(_, vpc)| vpc.common.tags.get("probe"))
        .map(|json| serde_json::from_str(json).expect("jsonencode gives JSON"));
    (value, diagnostics)
}

/// Test support: the value of `expr`, which must evaluate without a diagnostic.
#[cfg(test)]
pub(crate) fn value_of(prelude: &str, expr: &str) -> serde_json::Value {
    let (value, diagnostics) = evaluate(prelude, expr);
    assert!(diagnostics.is_empty(), "{expr}: {diagnostics:#?}");
    value.unwrap_or_else(|| panic!("{expr}: no value"))
}
