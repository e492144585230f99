//! Templates of the bundled examples: deterministic, YAML equal to JSON, snapshots
//! reviewed like code; and the split of a large configuration into stacks.

use std::collections::BTreeSet;

use serde_json::Value;
use vpce_emit_cfn::{build, yaml, Build, BuildOptions, Format, LIMITS};

fn examples() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn check_dir(dir: &std::path::Path) -> vpce_driver::Outcome {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".hcl"))
        .collect();
    names.sort();
    let input = vpce_driver::Input {
        files: names
            .into_iter()
            .map(|name| vpce_driver::SourceInput {
                bytes: std::fs::read(dir.join(&name)).unwrap(),
                name,
            })
            .collect(),
        ..Default::default()
    };
    vpce_driver::check(&input, &vpce_model::NoFiles).unwrap()
}

fn build_dir(dir: &std::path::Path) -> Build {
    let outcome = check_dir(dir);
    assert!(!outcome.has_errors(), "{} has errors", dir.display());
    build(&outcome.model, &BuildOptions::default())
}

#[test]
fn examples_build_deterministically_and_yaml_equals_json() {
    for dir in examples() {
        let first = build_dir(&dir);
        let second = build_dir(&dir);
        assert_eq!(
            first.files(Format::Json),
            second.files(Format::Json),
            "{}",
            dir.display()
        );
        for stack in &first.stacks {
            let text = yaml::to_yaml(&stack.template);
            let back = yaml::from_yaml(&text).unwrap();
            assert_eq!(
                back,
                stack.template,
                "{}: YAML must read back as the JSON template",
                dir.display()
            );
        }
    }
}

#[test]
fn example_templates() {
    for dir in examples() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let build = build_dir(&dir);
        let files = build.files(Format::Yaml);
        let mut text = String::new();
        for (file, contents) in files {
            text.push_str(&format!("//// {file}\n{contents}\n"));
        }
        insta::with_settings!({snapshot_suffix => name.clone(), omit_expression => true, description => format!("vpce build examples/{name} --format yaml")}, {
            insta::assert_snapshot!("template", text);
        });
    }
}

/// Every `Fn::ImportValue` names an export of an earlier stack.
fn imports(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(name)) = map.get("Fn::ImportValue") {
                out.push(name.clone());
            }
            map.values().for_each(|v| imports(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| imports(v, out)),
        _ => {}
    }
}

#[test]
fn a_large_configuration_splits_into_stacks_within_limits() {
    let outcome = vpce_driver::check_text(&vpce_driver::generate::configuration(300));
    assert!(outcome.diagnostics.is_empty());
    let build = build(&outcome.model, &BuildOptions::default());
    assert!(
        build.stacks.len() >= 2,
        "300 endpoints need more than one stack"
    );
    let mut exported = BTreeSet::new();
    let mut seen_resources = BTreeSet::new();
    for stack in &build.stacks {
        assert!(stack.resource_count() <= LIMITS.resources);
        assert!(stack.output_count() <= LIMITS.outputs);
        let body = serde_json::to_string_pretty(&stack.template).unwrap();
        assert!(body.len() <= LIMITS.body_bytes);
        for logical in stack.template["Resources"].as_object().unwrap().keys() {
            assert!(
                seen_resources.insert(logical.clone()),
                "{logical} in two stacks"
            );
        }
        let mut wanted = Vec::new();
        imports(&stack.template, &mut wanted);
        for name in wanted {
            assert!(
                exported.contains(&name),
                "{}: imports {name} before it is exported",
                stack.name
            );
        }
        if let Some(outputs) = stack.template.get("Outputs").and_then(Value::as_object) {
            for (key, _) in outputs {
                exported.insert(format!("{}-{key}", stack.name));
            }
        }
    }
    assert_eq!(
        seen_resources.len(),
        vpce_model::resources::resources(&outcome.model).len()
    );
}

#[test]
fn small_limits_force_imports_between_stacks() {
    let outcome = vpce_driver::check_text(&vpce_driver::generate::configuration(10));
    let options = BuildOptions {
        limits: vpce_emit_cfn::StackLimits {
            resources: 12,
            ..LIMITS
        },
        ..BuildOptions::default()
    };
    let build = build(&outcome.model, &options);
    assert!(build.stacks.len() >= 2);
    let mut names = Vec::new();
    for stack in &build.stacks {
        imports(&stack.template, &mut names);
    }
    assert!(
        !names.is_empty(),
        "a VPC split across stacks imports its VPC id"
    );
    assert!(build
        .stacks
        .iter()
        .skip(1)
        .all(|s| !s.depends_on.is_empty()));
}
