//! The VS Code extension folder (`editors/vscode`) is whole: what its manifest names
//! exists, the client runs `vpce lsp`, and the grammar is valid JSON for `.hcl`.

use std::path::Path;

use serde_json::Value;

fn folder() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../editors/vscode"))
}

fn json(name: &str) -> Value {
    let path = folder().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_manifest_names_files_that_exist() {
    let manifest = json("package.json");
    let main = manifest["main"].as_str().unwrap();
    assert!(folder().join(main).is_file(), "{main}");
    let language = &manifest["contributes"]["languages"][0];
    assert_eq!(language["extensions"], serde_json::json!([".hcl"]));
    let configuration = language["configuration"].as_str().unwrap();
    json(configuration);
    let grammar = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], language["id"]);
    let syntax = json(grammar["path"].as_str().unwrap());
    assert_eq!(syntax["scopeName"], grammar["scopeName"]);
    assert!(manifest["dependencies"]["vscode-languageclient"].is_string());
}

#[test]
fn the_client_starts_vpce_lsp() {
    let extension = std::fs::read_to_string(folder().join("extension.js")).unwrap();
    assert!(extension.contains(r#"args: ["lsp"]"#), "{extension}");
    assert!(extension.contains(r#"language: "vpce-hcl""#), "{extension}");
}
