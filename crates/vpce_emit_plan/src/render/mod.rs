//! The plan for people (human, like `terraform plan`), for tools (JSON, with a schema in
//! `schemas/plan-output.schema.json`) and for pull requests (Markdown).

mod human;
mod json;
mod markdown;

use serde_json::Value;
use vpce_diagnostics::{Diagnostic, SourceMap};

use crate::{cost::format_usd, Action, Plan, PlanSummary, Strategy};

pub use human::{render_human, HumanOptions, ROWS_OF_A_KIND};
pub use json::{plan_output_schema, render_json, write_json, PlanOutput};
pub use markdown::render_markdown;

/// A plan and what the renderers say around it.
pub struct Report<'a> {
    pub plan: &'a Plan,
    /// The configuration's path, as given.
    pub configuration: &'a str,
    /// The state file or older configuration compared with, as given.
    pub against: Option<&'a str>,
    /// The state's serial, when compared with a state.
    pub serial: Option<u64>,
    /// Every finding to show: the configuration's (from the check) and the plan's.
    pub diagnostics: &'a [Diagnostic],
    /// Holds the files of every diagnostic's labels.
    pub sources: &'a SourceMap,
}

/// The commands that accept the pending connections of the reachability table, sorted and
/// without repeats (one connection serves many rows).
fn accept_commands(rows: &[crate::ReachRow]) -> Vec<&str> {
    let mut commands: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.accept_with.as_deref())
        .collect();
    commands.sort_unstable();
    commands.dedup();
    commands
}

/// ` (before: $14.60, +$7.30)` when the plan compares with a previous cost, else empty.
fn cost_change(plan: &Plan) -> String {
    let Some(previous) = &plan.previous_cost else {
        return String::new();
    };
    let delta = plan.cost.monthly_total_usd - previous.monthly_total_usd;
    let sign = if delta >= 0.0 { "+" } else { "" };
    format!(
        " (before: {}, {sign}{})",
        format_usd(previous.monthly_total_usd),
        format_usd(delta)
    )
}

/// `Plan: 3 to add, 1 to change, 1 to replace, 0 to destroy.`
pub fn summary_line(summary: PlanSummary) -> String {
    if !summary.has_changes() {
        return format!(
            "No changes: {} resource{} up to date.",
            summary.unchanged,
            if summary.unchanged == 1 {
                " is"
            } else {
                "s are"
            }
        );
    }
    format!(
        "Plan: {} to add, {} to change, {} to replace, {} to destroy.",
        summary.create, summary.update, summary.replace, summary.delete
    )
}

/// What is compared with, in words.
fn against_text(report: &Report<'_>) -> String {
    match (report.plan.against, report.against) {
        (crate::Against::State, Some(path)) => match report.serial {
            Some(serial) => format!("against the state `{path}` (serial {serial})"),
            None => format!("against the state `{path}`, which does not exist yet"),
        },
        (crate::Against::Configuration, Some(path)) => {
            format!("against the configuration `{path}`")
        }
        _ => "against nothing deployed: every resource is created".to_string(),
    }
}

/// The marker of an action, as `terraform plan` draws it.
pub fn symbol(action: Action, strategy: Option<Strategy>) -> &'static str {
    match (action, strategy) {
        (Action::Create, _) => "+",
        (Action::Update, _) => "~",
        (Action::Replace, Some(Strategy::DeleteThenCreate)) => "-/+",
        (Action::Replace, _) => "+/-",
        (Action::Delete, _) => "-",
        (Action::Unchanged, _) => " ",
    }
}

/// A property value, short: `!Ref VpcMain`, `!GetAtt SgA.GroupId`, JSON otherwise.
pub fn short(value: &Value) -> String {
    match value {
        Value::Object(map) if map.len() == 1 => {
            let (key, argument) = map.iter().next().expect("one entry");
            match (key.as_str(), argument) {
                ("Ref", Value::String(name)) => return format!("!Ref {name}"),
                ("Fn::GetAtt", Value::Array(parts)) if parts.len() == 2 => {
                    if let (Some(a), Some(b)) = (parts[0].as_str(), parts[1].as_str()) {
                        return format!("!GetAtt {a}.{b}");
                    }
                }
                ("Fn::Sub", Value::String(text)) => {
                    return format!("!Sub {}", Value::String(text.clone()))
                }
                _ => {}
            }
            format!("{{{}: {}}}", Value::String(key.clone()), short(argument))
        }
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", Value::String(k.clone()), short(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(short).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// `/PolicyDocument/Statement/0` → `PolicyDocument/Statement/0`.
fn display_path(path: &str) -> &str {
    path.strip_prefix('/').unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_are_shown_short() {
        assert_eq!(short(&json!({"Ref": "VpcMain"})), "!Ref VpcMain");
        assert_eq!(
            short(&json!([{"Fn::GetAtt": ["SgA", "GroupId"]}, "x"])),
            "[!GetAtt SgA.GroupId, \"x\"]"
        );
        assert_eq!(
            short(&json!({"Fn::Join": [".", ["a", {"Ref": "B"}]]})),
            "{\"Fn::Join\": [\".\", [\"a\", !Ref B]]}"
        );
        assert_eq!(short(&json!(true)), "true");
    }
}
