//! The plan as a pull-request comment (GitHub-flavoured Markdown): the summary, a table
//! of what changes and why, the attribute diffs, findings, expectations and cost up
//! front; reachability and the simulated resources folded away.

use std::fmt::Write;

use vpce_diagnostics::Severity;

use super::{against_text, cost_change, display_path, short, summary_line, Report};
use crate::{cost::format_usd, Action};

/// A table cell: pipes escaped, newlines flattened.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Inline code that survives backticks inside.
fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// The plan as Markdown.
pub fn render_markdown(report: &Report<'_>) -> String {
    let plan = report.plan;
    let summary = plan.summary();
    let mut out = String::new();
    let line = summary_line(summary);
    let line = line.strip_prefix("Plan: ").unwrap_or(&line);
    let _ = writeln!(out, "### vpce plan: {}\n", line.trim_end_matches('.'));
    let _ = writeln!(
        out,
        "{} {}.\n",
        code(report.configuration),
        against_text(report)
    );

    let changed: Vec<_> = plan
        .resources
        .iter()
        .filter(|r| r.action != Action::Unchanged)
        .collect();
    if !changed.is_empty() {
        let _ = writeln!(out, "| Action | Resource | Type | Why |");
        let _ = writeln!(out, "|---|---|---|---|");
        for resource in &changed {
            let action = match resource.action {
                Action::Replace | Action::Delete => format!("**{}**", resource.action.as_str()),
                other => other.as_str().to_string(),
            };
            let _ = writeln!(
                out,
                "| {action} | {} | {} | {} |",
                cell(&code(&resource.address)),
                cell(&code(&resource.resource_type)),
                cell(&resource.reasons.join("; "))
            );
        }
        if summary.unchanged > 0 {
            let _ = writeln!(
                out,
                "\n{} unchanged resource{} not shown.",
                summary.unchanged,
                if summary.unchanged == 1 { "" } else { "s" }
            );
        }
        out.push('\n');
    }

    if let Some(diagram) = &plan.diagram {
        let _ = writeln!(
            out,
            "<details><summary>Diagram of what changes</summary>\n\n```mermaid\n{diagram}```\n\n</details>\n"
        );
    }

    let detailed: Vec<_> = changed
        .iter()
        .filter(|r| matches!(r.action, Action::Update | Action::Replace))
        .collect();
    if !detailed.is_empty() {
        let _ = writeln!(out, "<details><summary>Property changes</summary>\n");
        for resource in detailed {
            let _ = writeln!(
                out,
                "{} ({}):\n\n```diff",
                code(&resource.address),
                resource.action.as_str()
            );
            for change in &resource.changes {
                let path = display_path(&change.path);
                let forces = if change.forces_replacement {
                    "  # forces replacement"
                } else {
                    ""
                };
                if let Some(address) = &change.known_after_apply {
                    let before = change.before.as_ref().map(short).unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "! {path}: {before} (known after apply: {address} is replaced){forces}"
                    );
                    continue;
                }
                if let Some(before) = &change.before {
                    let _ = writeln!(out, "- {path}: {}", short(before));
                }
                if let Some(after) = &change.after {
                    let _ = writeln!(out, "+ {path}: {}{forces}", short(after));
                } else if !forces.is_empty() {
                    let _ = writeln!(out, "  {path}: (removed){forces}");
                }
            }
            let _ = writeln!(out, "```\n");
        }
        let _ = writeln!(out, "</details>\n");
    }

    if !report.diagnostics.is_empty() {
        let _ = writeln!(out, "#### Findings\n");
        for diagnostic in report.diagnostics {
            let level = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            let place = diagnostic
                .primary_span()
                .map(|span| {
                    let file = report.sources.get(span.file);
                    let at = file.line_col(span.start as usize);
                    format!(" ({})", code(&format!("{}:{}", file.name, at.line)))
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- **{level} {}** {}: {}{place}",
                diagnostic.code.as_str(),
                code(diagnostic.code.name()),
                diagnostic.message
            );
            for note in &diagnostic.notes {
                let _ = writeln!(out, "  - {note}");
            }
            if let Some(help) = &diagnostic.help {
                let _ = writeln!(out, "  - help: {help}");
            }
        }
        out.push('\n');
    }

    if !plan.outputs.is_empty() {
        let _ = writeln!(out, "#### Outputs\n");
        let _ = writeln!(out, "| Output | Value (simulated) |");
        let _ = writeln!(out, "|---|---|");
        for output in &plan.outputs {
            let _ = writeln!(
                out,
                "| {} | {} |",
                cell(&code(&output.name)),
                cell(&code(&output.value))
            );
        }
        out.push('\n');
    }
    if !plan.expectations.is_empty() {
        let passed = plan
            .expectations
            .iter()
            .filter(|e| e.outcome == crate::Outcome::Met)
            .count();
        let _ = writeln!(
            out,
            "#### Expectations: {passed} of {} met\n",
            plan.expectations.len()
        );
        let _ = writeln!(out, "| | Expectation | Result |");
        let _ = writeln!(out, "|---|---|---|");
        for expectation in &plan.expectations {
            let mark = match expectation.outcome {
                crate::Outcome::Met => "✅",
                crate::Outcome::Failed => "❌",
                crate::Outcome::Warning => "⚠️",
                crate::Outcome::Unknown => "❔",
            };
            let _ = writeln!(
                out,
                "| {mark} | {} | {} |",
                cell(&code(&expectation.name)),
                cell(&expectation.message)
            );
        }
        out.push('\n');
    }

    let cost = &plan.cost;
    let _ = writeln!(
        out,
        "#### Monthly cost estimate: {}{}\n",
        format_usd(cost.monthly_total_usd),
        cost_change(plan)
    );
    if !cost.endpoints.is_empty() {
        let _ = writeln!(out, "| Endpoint | Kind | AZs | Hours | Data |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for line in &cost.endpoints {
            let data = match (line.azs, line.monthly_data_usd) {
                (0, _) => "free".to_string(),
                (_, Some(data)) => format_usd(data),
                (_, None) => format!("${}/GB", line.usd_per_gb),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&code(&line.address)),
                line.kind,
                line.azs,
                format_usd(line.monthly_hours_usd),
                data
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "Prices: {} ({}).", cost.source, cost.date);
    for note in &cost.notes {
        let _ = writeln!(out, "Note: {note}.");
    }
    out.push('\n');

    let rows = &plan.simulation.reachability;
    if !rows.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Reachability ({} paths)</summary>\n",
            rows.len()
        );
        let _ = writeln!(out, "| From | To | Verdict | Via |");
        let _ = writeln!(out, "|---|---|---|---|");
        for row in rows {
            let via = match (row.via.is_empty(), row.verdict.reaches()) {
                (true, _) => row.reason.clone(),
                (false, true) => row.via.join(", "),
                // Pending and denied paths say why, and who must act.
                (false, false) => format!("{} ({})", row.via.join(", "), row.reason),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&code(&row.from)),
                cell(&code(&row.to)),
                row.verdict.as_str(),
                cell(&via)
            );
        }
        let commands = super::accept_commands(rows);
        if !commands.is_empty() {
            let _ = writeln!(
                out,
                "\nPending connections: the endpoint service's owner accepts them with\n"
            );
            for command in commands {
                let _ = writeln!(out, "- `{command}`");
            }
        }
        let _ = writeln!(out, "\n</details>\n");
    }

    let mut simulated = String::new();
    for resource in &plan.simulation.resources {
        let attributes = &resource.attributes;
        for interface in &attributes.network_interfaces {
            let _ = writeln!(
                simulated,
                "| {} | ENI {} in {} | {} |",
                cell(&code(&resource.address)),
                interface.id,
                code(&interface.subnet),
                interface
                    .private_ip
                    .as_deref()
                    .unwrap_or("(no free address)")
            );
        }
        for name in &attributes.dns_names {
            let _ = writeln!(
                simulated,
                "| {} | DNS name | {} |",
                cell(&code(&resource.address)),
                code(&name.name)
            );
        }
        for record in &attributes.private_dns {
            let _ = writeln!(
                simulated,
                "| {} | private DNS {} | {} |",
                cell(&code(&resource.address)),
                code(&record.name),
                record.addresses.join(", ")
            );
        }
        for route in &attributes.prefix_list_routes {
            let _ = writeln!(
                simulated,
                "| {} | route in {} | {} → {} |",
                cell(&code(&resource.address)),
                code(&route.route_table),
                route.destination,
                route.target
            );
        }
    }
    if !simulated.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Simulated addresses, DNS names and routes</summary>\n"
        );
        let _ = writeln!(out, "| Resource | What | Value |");
        let _ = writeln!(out, "|---|---|---|");
        out.push_str(&simulated);
        let _ = writeln!(out, "\n</details>");
    }
    out
}
