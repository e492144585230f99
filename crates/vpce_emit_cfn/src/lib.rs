//! The CloudFormation backend: a model without errors becomes one or more stacks of
//! resources (one template each, JSON or YAML) and a manifest giving their deployment
//! order.
//!
//! Architecture invariants: the emitter sees only a model that has no errors (it takes a
//! [`ValidModel`], which only such a model becomes); output is
//! a pure function of the model and the options (byte-identical across runs); which
//! resources an object becomes comes from `vpce_model::resources`, shared with the plan.

mod deployed;
mod properties;
mod split;
pub mod yaml;

use indexmap::IndexMap;
use serde_json::{json, Value};
use vpce_model::{resources::Resource, Model, ObjRef, ValidModel};

pub use split::{StackLimits, LIMITS};

/// One resource's CloudFormation body (`{"Type", "Properties", "DependsOn"}`), as the
/// template holds it before stacks are split: references are plain `Ref`/`Fn::GetAtt`.
/// The plan diffs these bodies, so its update-or-replace follows CloudFormation's.
pub fn resource_body(model: &ValidModel, resource: &Resource) -> Value {
    let mut body = properties::resource(model, resource);
    // Attributes known after deployment become `Ref`/`Fn::GetAtt`/`Fn::Join`, for the
    // template and the plan alike.
    deployed::intrinsify(model, &mut body);
    body
}

pub use properties::outputs;

/// How to build.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The stack's name when there is one; with several, each is named
    /// `PREFIX-REGION` (and `-VPC` where a region has several stacks).
    pub stack_prefix: String,
    pub limits: StackLimits,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            stack_prefix: "vpce".into(),
            limits: LIMITS,
        }
    }
}

/// One stack: its name, region and template.
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    pub name: String,
    pub region: String,
    pub template: Value,
    /// Stacks whose exports or outputs this one reads: deploy them first.
    pub depends_on: Vec<String>,
    /// Values from stacks of other regions, which CloudFormation cannot import.
    pub parameters: Vec<StackParameter>,
}

/// A stack parameter filled from another stack's output at deployment
/// (`--parameter-overrides NAME=VALUE`), as `manifest.json` records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackParameter {
    pub name: String,
    pub from_stack: String,
    pub output: String,
}

/// Why a model without errors could not become stacks. Each is a bug in vpce, or a
/// shape it cannot split yet: the CLI reports it and exits 2, writing nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildError {
    /// Stacks that would refer to each other, in both directions.
    StackCycle(Vec<String>),
    /// A stack that stays over CloudFormation's limits however tightly it is packed.
    TooLarge(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::StackCycle(stacks) => write!(
                f,
                "the stacks for {} would refer to each other, so no deployment order exists",
                stacks.join(", ")
            ),
            BuildError::TooLarge(stack) => write!(
                f,
                "stack `{stack}` stays over CloudFormation's limits (500 resources, 200 outputs, 1 MB) however it is split"
            ),
        }
    }
}

impl std::error::Error for BuildError {}

impl Stack {
    pub fn resource_count(&self) -> usize {
        self.template["Resources"]
            .as_object()
            .map_or(0, |r| r.len())
    }

    pub fn output_count(&self) -> usize {
        self.template
            .get("Outputs")
            .and_then(Value::as_object)
            .map_or(0, |o| o.len())
    }
}

/// What `vpce build` writes.
#[derive(Clone, Debug, PartialEq)]
pub struct Build {
    /// In deployment order.
    pub stacks: Vec<Stack>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }
}

impl Build {
    /// The files to write, `(file name, contents)`, the manifest last.
    pub fn files(&self, format: Format) -> Vec<(String, String)> {
        let mut files = Vec::new();
        let mut entries = Vec::new();
        for stack in &self.stacks {
            let file = format!("{}.{}", stack.name, format.extension());
            let text = match format {
                Format::Json => {
                    let mut text =
                        serde_json::to_string_pretty(&stack.template).expect("templates serialise");
                    text.push('\n');
                    text
                }
                Format::Yaml => yaml::to_yaml(&stack.template),
            };
            entries.push(json!({
                "name": stack.name,
                "file": file,
                "region": stack.region,
                "depends_on": stack.depends_on,
                "parameters": stack.parameters.iter().map(|p| json!({
                    "name": p.name,
                    "from_stack": p.from_stack,
                    "output": p.output,
                })).collect::<Vec<_>>(),
                "resources": stack.resource_count(),
                "outputs": stack.output_count(),
            }));
            files.push((file, text));
        }
        let manifest = json!({
            "format": format.extension(),
            "stacks": entries,
        });
        let mut text = serde_json::to_string_pretty(&manifest).expect("the manifest serialises");
        text.push('\n');
        files.push(("manifest.json".into(), text));
        files
    }
}

/// Emits the configuration's stacks.
pub fn build(model: &ValidModel, options: &BuildOptions) -> Result<Build, BuildError> {
    let resources = vpce_model::resources::resources(model);
    let emitted: IndexMap<String, (Resource, Value)> = resources
        .into_iter()
        .map(|resource| {
            let body = resource_body(model, &resource);
            (resource.logical_id.clone(), (resource, body))
        })
        .collect();
    let mut outputs = properties::outputs(model);
    outputs.extend(user_outputs(model));
    split::split(model, emitted, outputs, options)
}

/// The configuration's `output` blocks: each in the stack of the first object its value
/// reads (else the first stack), with the logical id `Output` + its name in PascalCase.
fn user_outputs(model: &Model) -> Vec<(String, ObjRef, Value)> {
    let first_created = vpce_model::resources::resources(model)
        .first()
        .map(|r| r.owner);
    model
        .outputs
        .iter()
        .filter_map(|output| {
            let reads = vpce_model::deployed::pieces(&output.value)
                .into_iter()
                .find_map(|piece| match piece {
                    vpce_model::deployed::Piece::Deployed(obj, _) => Some(obj),
                    vpce_model::deployed::Piece::Text(_) => None,
                });
            let owner = reads.or(first_created)?;
            let mut body = serde_json::Map::new();
            if let Some(description) = &output.description {
                body.insert("Description".into(), json!(description));
            }
            body.insert("Value".into(), deployed::string(model, &output.value));
            if output.export {
                body.insert(
                    "Export".into(),
                    json!({"Name": {"Fn::Sub": format!("${{AWS::StackName}}-{}", output.name)}}),
                );
            }
            let logical = vpce_model::logical_id::output_logical_id(&output.name);
            Some((logical, owner, Value::Object(body)))
        })
        .collect()
}
