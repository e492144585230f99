//! `plan --format json`: typed structs, so `schemas/plan-output.schema.json` is generated
//! from the same types (`UPDATE_SCHEMAS=1 cargo test -p vpce_emit_plan` regenerates it;
//! a test fails when it is stale).

use schemars::JsonSchema;
use serde::Serialize;
use vpce_diagnostics::render::{to_output, CheckOutput};

use super::Report;
use crate::{
    Action, Against, Attributes, Change, Cost, Expectation, PlanOutputValue, PlanSummary, ReachRow,
    Strategy, Wave,
};

/// The whole output of `vpce plan --format json` (and `vpce apply --format json`).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(title = "vpce plan output")]
pub struct PlanOutput {
    /// The version of this format; incompatible changes increase it.
    pub format_version: u32,
    pub vpce_version: String,
    /// The configuration planned, as given on the command line.
    pub configuration: String,
    pub against: AgainstOutput,
    pub summary: PlanSummary,
    /// The configuration's resources in order, then the deleted ones.
    pub resources: Vec<ResourceOutput>,
    /// What can be created (or changed) in parallel, wave after wave; deletions follow
    /// the last wave.
    pub waves: Vec<Wave>,
    /// Every source to every destination the configuration uses.
    pub reachability: Vec<ReachRow>,
    pub expectations: Vec<Expectation>,
    /// The configuration's `output` blocks with simulated values.
    pub outputs: Vec<PlanOutputValue>,
    pub cost: CostOutput,
    /// The configuration's findings and the plan's (V950-V952), in the shape of
    /// `vpce check --format json`'s output; paths are as given on the command line.
    pub findings: CheckOutput,
}

/// What the plan compares with.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AgainstOutput {
    /// `nothing`, `state` or `configuration`.
    pub kind: Against,
    /// The state file or older configuration, as given.
    pub path: Option<String>,
    /// The state's serial (`null` when the state does not exist yet).
    pub serial: Option<u64>,
}

/// One resource and what happens to it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ResourceOutput {
    /// `endpoint.s3`.
    pub address: String,
    /// `AWS::EC2::VPCEndpoint`.
    #[serde(rename = "type")]
    pub resource_type: String,
    pub logical_id: String,
    pub action: Action,
    /// For a replacement: which exists first.
    pub replacement: Option<Strategy>,
    /// The simulated id after the change (`null` when deleted).
    pub id: Option<String>,
    /// The id before (`null` when created).
    pub previous_id: Option<String>,
    /// Property changes by JSON pointer: every property of a created or deleted
    /// resource, the differences otherwise.
    pub changes: Vec<Change>,
    /// Why the action, in words.
    pub reasons: Vec<String>,
    /// A created resource that is a deleted one moved with its module (a module or a
    /// module's `for_each` key renamed): the deleted one's address. CloudFormation
    /// deletes and creates it (its logical id changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<String>,
    /// For the deleted one of such a move: the created one's address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    /// Computed attributes (after the change; before it for a deletion).
    pub attributes: Attributes,
}

/// The monthly cost estimate, and the previous one's total when there is one.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CostOutput {
    #[serde(flatten)]
    pub estimate: Cost,
    pub previous_monthly_total_usd: Option<f64>,
}

fn output(report: &Report<'_>) -> PlanOutput {
    let plan = report.plan;
    let resources = plan
        .resources
        .iter()
        .map(|r| {
            let attributes = match (r.new, r.old, &plan.previous) {
                (Some(i), _, _) => plan.simulation.resources[i].attributes.clone(),
                (None, Some(j), Some(previous)) => previous.resources[j].attributes.clone(),
                _ => Attributes::default(),
            };
            ResourceOutput {
                address: r.address.clone(),
                resource_type: r.resource_type.clone(),
                logical_id: r.logical_id.clone(),
                action: r.action,
                replacement: r.strategy,
                id: r.id.clone(),
                previous_id: r.previous_id.clone(),
                changes: match (r.action, r.new, r.old, &plan.previous) {
                    (Action::Create, Some(i), _, _) => crate::diff::every_property(
                        &plan.simulation.resources[i],
                        &plan.simulation.account,
                        true,
                    ),
                    (Action::Delete, _, Some(j), Some(previous)) => crate::diff::every_property(
                        &previous.resources[j],
                        &previous.account,
                        false,
                    ),
                    _ => r.changes.clone(),
                },
                reasons: r.reasons.clone(),
                moved_from: r.moved.clone().filter(|_| r.action == Action::Create),
                moved_to: r.moved.clone().filter(|_| r.action == Action::Delete),
                attributes,
            }
        })
        .collect();
    PlanOutput {
        format_version: 1,
        vpce_version: env!("CARGO_PKG_VERSION").to_string(),
        configuration: report.configuration.to_string(),
        against: AgainstOutput {
            kind: plan.against,
            path: report.against.map(str::to_string),
            serial: report.serial,
        },
        summary: plan.summary(),
        resources,
        waves: plan.waves.clone(),
        reachability: plan.simulation.reachability.clone(),
        expectations: plan.expectations.clone(),
        outputs: plan.outputs.clone(),
        cost: CostOutput {
            estimate: plan.cost.clone(),
            previous_monthly_total_usd: plan.previous_cost.as_ref().map(|c| c.monthly_total_usd),
        },
        findings: to_output(report.diagnostics, report.sources),
    }
}

/// Pretty-printed JSON with a final newline.
pub fn render_json(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    write_json(report, &mut out).expect("the output types always serialise");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes what [`render_json`] returns without holding all of its text (57 MB at 10k
/// endpoints) in memory.
pub fn write_json(report: &Report<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &output(report))?;
    out.write_all(b"\n")
}

/// The JSON Schema of [`PlanOutput`], as committed in `schemas/`.
pub fn plan_output_schema() -> String {
    vpce_diagnostics::schema::schema_json::<PlanOutput>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schemas/plan-output.schema.json` is generated from these types; regenerate it
    /// with `UPDATE_SCHEMAS=1 cargo test -p vpce_emit_plan`.
    #[test]
    fn committed_schema_is_fresh() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schemas/plan-output.schema.json"
        );
        vpce_diagnostics::schema::assert_committed(
            path,
            &plan_output_schema(),
            "UPDATE_SCHEMAS=1 cargo test -p vpce_emit_plan",
        );
    }
}
