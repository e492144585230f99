//! JSON Schemas of machine-readable output, generated from the Rust types and committed
//! in `schemas/`. One routine for every output, so they are written and checked alike.

use schemars::JsonSchema;

/// The schema of `T` as pretty JSON with a final newline.
pub fn schema_json<T: JsonSchema>() -> String {
    let schema = schemars::schema_for!(T);
    let mut out = serde_json::to_string_pretty(&schema).expect("schemas serialise");
    out.push('\n');
    out
}

/// For freshness tests: the committed schema at `path` must equal `fresh`. With
/// `UPDATE_SCHEMAS` set, the file is rewritten first. `how` names the command that
/// regenerates it.
pub fn assert_committed(path: &str, fresh: &str, how: &str) {
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(path, fresh).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == fresh, "{path} is stale: run `{how}`");
}
