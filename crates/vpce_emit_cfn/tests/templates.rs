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
    vpce_driver::check(&input, &ModuleFiles(dir.to_path_buf())).unwrap()
}

/// Reads the module directories an example calls (`examples/shared-services`).
struct ModuleFiles(std::path::PathBuf);

impl vpce_model::FileLoader for ModuleFiles {
    fn load(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.0.join(path)).map_err(|e| e.to_string())
    }

    fn hcl_files(&self, dir: &str) -> Result<Vec<String>, String> {
        let entries = std::fs::read_dir(self.0.join(dir)).map_err(|e| e.to_string())?;
        let mut names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".hcl"))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        names.sort();
        Ok(names)
    }
}

fn build_dir(dir: &std::path::Path) -> Build {
    let outcome = check_dir(dir);
    assert!(!outcome.has_errors(), "{} has errors", dir.display());
    build(
        &outcome.valid_model().expect("no errors"),
        &BuildOptions::default(),
    )
    .expect("builds")
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
    let build = build(
        &outcome.valid_model().expect("no errors"),
        &BuildOptions::default(),
    )
    .expect("builds");
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
    let build = build(&outcome.valid_model().expect("no errors"), &options).expect("builds");
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

/// A consumer in eu-west-1 of a local endpoint service in us-east-1: a stack per
/// region, named after it; the service id crosses as a parameter the manifest wires
/// to the provider's output; the service name carries the provider's region.
#[test]
fn a_service_in_another_region_crosses_as_a_parameter() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/cross-region");
    let build = build_dir(&dir);
    let names: Vec<&str> = build.stacks.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["vpce-us-east-1", "vpce-eu-west-1"]);
    let [provider, consumer] = &build.stacks[..] else {
        unreachable!()
    };
    assert_eq!(consumer.depends_on, ["vpce-us-east-1"]);
    assert_eq!(
        consumer.parameters,
        [vpce_emit_cfn::StackParameter {
            name: "ParamEndpointServiceOrdersRef".into(),
            from_stack: "vpce-us-east-1".into(),
            output: "EndpointServiceOrdersId".into(),
        }]
    );
    assert_eq!(
        provider.template["Outputs"]["EndpointServiceOrdersId"]["Value"],
        serde_json::json!({"Ref": "EndpointServiceOrders"})
    );
    assert_eq!(
        consumer.template["Parameters"]["ParamEndpointServiceOrdersRef"]["Type"],
        "String"
    );
    assert_eq!(
        consumer.template["Resources"]["EndpointOrders"]["Properties"]["ServiceName"],
        serde_json::json!({"Fn::Join": [".", ["com.amazonaws.vpce", "us-east-1", {"Ref": "ParamEndpointServiceOrdersRef"}]]})
    );
    let mut imported = Vec::new();
    imports(&consumer.template, &mut imported);
    assert!(
        imported.is_empty(),
        "exports do not cross regions: {imported:?}"
    );
    let files = build.files(vpce_emit_cfn::Format::Json);
    let manifest: Value = serde_json::from_str(&files.last().unwrap().1).unwrap();
    assert_eq!(
        manifest["stacks"][1]["parameters"],
        serde_json::json!([{"name": "ParamEndpointServiceOrdersRef", "from_stack": "vpce-us-east-1", "output": "EndpointServiceOrdersId"}])
    );
}

/// China Regions name services `cn.com.amazonaws...`, endpoint services included.
#[test]
fn the_china_partition_prefixes_service_names() {
    let text = r#"
region = "cn-north-1"
vpc "main" {
  cidr = "10.0.0.0/16"
}
subnet "a" {
  vpc  = vpc.main
  az   = "cnn1-az1"
  cidr = "10.0.1.0/24"
}
load_balancer "api" {
  type    = "network"
  subnets = [subnet.a]
}
endpoint_service "api" {
  load_balancers      = [load_balancer.api]
  acceptance_required = false
  allowed_principals  = ["arn:aws-cn:iam::111122223333:root"]
}
endpoint "ssm" {
  type        = "interface"
  service     = "ssm"
  vpc         = vpc.main
  subnets     = [subnet.a]
  private_dns = false
}
endpoint "api" {
  type    = "interface"
  service = endpoint_service.api
  vpc     = vpc.main
  subnets = [subnet.a]
}
"#;
    let outcome = vpce_driver::check_text(text);
    let errors: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let build = build(
        &outcome.valid_model().expect("no errors"),
        &BuildOptions::default(),
    )
    .expect("builds");
    let resources = &build.stacks[0].template["Resources"];
    assert_eq!(
        resources["EndpointSsm"]["Properties"]["ServiceName"],
        serde_json::json!({"Fn::Sub": "cn.com.amazonaws.${AWS::Region}.ssm"})
    );
    assert_eq!(
        resources["EndpointApi"]["Properties"]["ServiceName"],
        serde_json::json!({"Fn::Join": [".", ["cn.com.amazonaws.vpce", {"Ref": "AWS::Region"}, {"Ref": "EndpointServiceApi"}]]})
    );
}
