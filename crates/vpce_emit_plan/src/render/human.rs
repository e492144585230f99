//! The plan for people, like `terraform plan`: what changes and why, then what the
//! simulation computed (waves, addresses, DNS, routes, reachability, expectations,
//! cost), the findings, and the one-line summary. Colour only when asked (the CLI asks
//! on a terminal without `NO_COLOR`).

use std::fmt::Write;

use vpce_diagnostics::render::{
    render_human as render_diagnostics, HumanOptions as DiagnosticOptions,
};
use vpce_diagnostics::thousands;

use super::accept_commands;
use super::{against_text, cost_change, display_path, short, summary_line, symbol, Report};
use crate::{cost::format_usd, Action, Change, Outcome, Verdict};

/// How many rows of one kind (resources of one type and action, paths of one verdict,
/// network interfaces, ...) a section of the human plan lists by default; past it, the
/// section lists the first ones and counts the rest, so that a plan of 10,000 endpoints
/// stays readable. Every example's plan stays below it.
pub const ROWS_OF_A_KIND: usize = 50;

#[derive(Clone, Debug)]
pub struct HumanOptions {
    pub color: bool,
    pub width: usize,
    /// The most rows of one kind each section lists (`None`: every row).
    pub rows_of_a_kind: Option<usize>,
}

impl Default for HumanOptions {
    fn default() -> HumanOptions {
        HumanOptions {
            color: false,
            width: 80,
            rows_of_a_kind: Some(ROWS_OF_A_KIND),
        }
    }
}

/// The items to list, keeping their order: all of them, or the first `limit` of each
/// kind; and how many of each kind are left out, kinds in order of first appearance.
fn first_of_each_kind<T, K: PartialEq>(
    items: impl IntoIterator<Item = T>,
    limit: Option<usize>,
    kind: impl Fn(&T) -> K,
) -> (Vec<T>, Vec<(K, usize)>) {
    let mut listed = Vec::new();
    let mut seen: Vec<(K, usize)> = Vec::new();
    for item in items {
        let key = kind(&item);
        let count = match seen.iter_mut().find(|(k, _)| *k == key) {
            Some((_, count)) => count,
            None => {
                seen.push((key, 0));
                &mut seen.last_mut().expect("just pushed").1
            }
        };
        *count += 1;
        if limit.is_none_or(|limit| *count <= limit) {
            listed.push(item);
        }
    }
    let left_out = seen
        .into_iter()
        .filter_map(|(key, count)| {
            let listed = limit.map_or(count, |limit| count.min(limit));
            (count > listed).then_some((key, count - listed))
        })
        .collect();
    (listed, left_out)
}

/// `    … and 9,990 more network interfaces (use --all to list every one)`.
fn more_line(count: usize, what: &str) -> String {
    format!(
        "    … and {} more {what} (use --all to list every one)",
        thousands(count)
    )
}

/// A table of the first `limit` rows, then a line counting the rest.
fn limited_table(
    rows: Vec<Vec<String>>,
    limit: Option<usize>,
    what: &str,
    paint: &Paint,
) -> String {
    let (listed, left_out) = first_of_each_kind(rows, limit, |_| ());
    let mut out = table(&listed, "  ");
    for ((), count) in left_out {
        let _ = writeln!(out, "{}", paint.dim(&more_line(count, what)));
    }
    out
}

struct Paint {
    color: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn action(&self, action: Action, text: &str) -> String {
        let code = match action {
            Action::Create => "32",
            Action::Update => "33",
            Action::Replace => "35",
            Action::Delete => "31",
            Action::Unchanged => "0",
        };
        self.wrap(code, text)
    }

    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
}

/// Rows of cells as aligned columns, each line indented.
fn table(rows: &[Vec<String>], indent: &str) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = indent.to_string();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[c]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn change_line(change: &Change, paint: &Paint) -> String {
    let path = display_path(&change.path);
    let forces = if change.forces_replacement {
        format!(
            "  {}",
            paint.action(Action::Replace, "# forces replacement")
        )
    } else {
        String::new()
    };
    match (&change.before, &change.after, &change.known_after_apply) {
        (Some(before), Some(_), Some(address)) => format!(
            "      {} {path}: {} (known after apply: `{address}` is replaced){forces}",
            paint.action(Action::Update, "~"),
            short(before)
        ),
        (Some(before), Some(after), None) => format!(
            "      {} {path}: {} -> {}{forces}",
            paint.action(Action::Update, "~"),
            short(before),
            short(after)
        ),
        (None, Some(after), _) => format!(
            "      {} {path}: {}{forces}",
            paint.action(Action::Create, "+"),
            short(after)
        ),
        (Some(before), None, _) => format!(
            "      {} {path}: {}{forces}",
            paint.action(Action::Delete, "-"),
            short(before)
        ),
        (None, None, _) => String::new(),
    }
}

/// `to create`, as the line counting resources left out says it.
fn infinitive(action: Action) -> &'static str {
    match action {
        Action::Create => "create",
        Action::Update => "update in place",
        Action::Replace => "replace",
        Action::Delete => "delete",
        Action::Unchanged => "leave unchanged",
    }
}

/// `12,000 paths: 10,000 private, 2,000 public`, verdicts in their first appearance's order.
fn verdict_counts(rows: &[crate::ReachRow]) -> String {
    let (_, counts) = first_of_each_kind(rows, Some(0), |r| r.verdict);
    let counts: Vec<String> = counts
        .iter()
        .map(|(verdict, count)| format!("{} {}", thousands(*count), verdict.as_str()))
        .collect();
    format!(
        "{} path{} in all: {}",
        thousands(rows.len()),
        if rows.len() == 1 { "" } else { "s" },
        counts.join(", ")
    )
}

fn verb(action: Action) -> &'static str {
    match action {
        Action::Create => "created",
        Action::Update => "updated in place",
        Action::Replace => "replaced",
        Action::Delete => "deleted",
        Action::Unchanged => "unchanged",
    }
}

/// The plan as text for a terminal.
pub fn render_human(report: &Report<'_>, options: &HumanOptions) -> String {
    let paint = Paint {
        color: options.color,
    };
    let plan = report.plan;
    let limit = options.rows_of_a_kind;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} `{}` {}",
        paint.bold("vpce plan:"),
        report.configuration,
        against_text(report)
    );

    // Resources.
    let changed: Vec<_> = plan
        .resources
        .iter()
        .filter(|r| r.action != Action::Unchanged)
        .collect();
    let any_changed = !changed.is_empty();
    let (shown, left_out) =
        first_of_each_kind(changed, limit, |r| (r.resource_type.as_str(), r.action));
    if any_changed {
        let _ = writeln!(out, "\n{}", paint.bold("Resources:"));
    }
    let width = shown.iter().map(|r| r.address.len()).max().unwrap_or(0);
    let type_width = shown
        .iter()
        .map(|r| r.resource_type.len())
        .max()
        .unwrap_or(0);
    for resource in &shown {
        let marker = format!("{:>3}", symbol(resource.action, resource.strategy));
        let id = match (&resource.previous_id, &resource.id) {
            (Some(before), Some(after)) if before != after => format!("{before} -> {after}"),
            (_, Some(id)) | (Some(id), None) => id.clone(),
            (None, None) => String::new(),
        };
        let line = format!(
            "{} {:<width$}  {:<type_width$}  {}",
            paint.action(resource.action, &marker),
            resource.address,
            resource.resource_type,
            paint.dim(&id),
        );
        let _ = writeln!(out, "{}", line.trim_end());
        if resource.moved.is_some() {
            let reasons = resource.reasons.join("; ");
            let _ = writeln!(out, "      {}", paint.dim(&format!("# {reasons}")));
        }
        if matches!(resource.action, Action::Update | Action::Replace) {
            let mut note = format!("will be {}", verb(resource.action));
            if resource.action == Action::Replace {
                note.push_str(match resource.strategy {
                    Some(crate::Strategy::DeleteThenCreate) => " (the old one is deleted first)",
                    _ => " (the new one is created first)",
                });
            }
            let reasons = resource.reasons.join("; ");
            let _ = writeln!(out, "      {}", paint.dim(&format!("# {note}: {reasons}")));
            for change in &resource.changes {
                let _ = writeln!(out, "{}", change_line(change, &paint));
            }
        }
    }
    for ((resource_type, action), count) in left_out {
        let what = format!("`{resource_type}` to {}", infinitive(action));
        let _ = writeln!(out, "{}", paint.dim(&more_line(count, &what)));
    }
    let unchanged = plan.summary().unchanged;
    if unchanged > 0 && any_changed {
        let _ = writeln!(
            out,
            "{}",
            paint.dim(&format!(
                "    ({unchanged} unchanged resource{} not shown)",
                if unchanged == 1 { "" } else { "s" }
            ))
        );
    }

    // Waves.
    if !plan.waves.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Creation waves:"));
        for wave in &plan.waves {
            let (listed, left_out) = first_of_each_kind(&wave.resources, limit, |_| ());
            let mut line = format!(
                "  {}. {}",
                wave.wave,
                listed
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for ((), count) in left_out {
                let _ = write!(
                    line,
                    ", … and {} more (use --all to list every one)",
                    thousands(count)
                );
            }
            let _ = writeln!(out, "{line}");
        }
        if plan.summary().delete > 0 {
            let _ = writeln!(out, "  Deletions follow the last wave.");
        }
    }

    // What the simulation computed.
    let resources = &plan.simulation.resources;
    let interfaces: Vec<Vec<String>> = resources
        .iter()
        .flat_map(|r| {
            r.attributes.network_interfaces.iter().map(move |n| {
                vec![
                    r.address.clone(),
                    n.subnet.clone(),
                    n.availability_zone.clone().unwrap_or_default(),
                    n.id.clone(),
                    n.private_ip
                        .clone()
                        .unwrap_or_else(|| "(no free address)".into()),
                ]
            })
        })
        .collect();
    if !interfaces.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Network interfaces:"));
        out.push_str(&limited_table(
            interfaces,
            limit,
            "network interfaces",
            &paint,
        ));
    }
    let (named, unnamed) = first_of_each_kind(
        resources
            .iter()
            .filter(|r| !r.attributes.dns_names.is_empty()),
        limit,
        |_| (),
    );
    let names: Vec<Vec<String>> = named
        .iter()
        .flat_map(|r| {
            r.attributes
                .dns_names
                .iter()
                .enumerate()
                .map(move |(i, d)| {
                    vec![
                        if i == 0 {
                            r.address.clone()
                        } else {
                            String::new()
                        },
                        d.name.clone(),
                    ]
                })
        })
        .collect();
    if !names.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("DNS names:"));
        out.push_str(&table(&names, "  "));
        for ((), count) in unnamed {
            let _ = writeln!(
                out,
                "{}",
                paint.dim(&more_line(count, "resources' DNS names"))
            );
        }
    }
    let records: Vec<Vec<String>> = resources
        .iter()
        .flat_map(|r| {
            r.attributes.private_dns.iter().map(move |p| {
                let mut owner = r.address.clone();
                if p.inbound_resolver_only {
                    owner.push_str(" (inbound resolver only)");
                }
                vec![p.name.clone(), "A".into(), p.addresses.join(", "), owner]
            })
        })
        .collect();
    if !records.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Private DNS:"));
        out.push_str(&limited_table(
            records,
            limit,
            "private DNS records",
            &paint,
        ));
    }
    let routes: Vec<Vec<String>> = resources
        .iter()
        .flat_map(|r| {
            r.attributes.prefix_list_routes.iter().map(move |route| {
                vec![
                    route.route_table.clone(),
                    format!("{} -> {}", route.destination, route.target),
                    format!("({})", r.address),
                ]
            })
        })
        .collect();
    if !routes.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Gateway endpoint routes:"));
        out.push_str(&limited_table(
            routes,
            limit,
            "gateway endpoint routes",
            &paint,
        ));
    }

    // Reachability.
    if !plan.simulation.reachability.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Reachability:"));
        let mut rows = vec![vec![
            "FROM".to_string(),
            "TO".into(),
            "VERDICT".into(),
            "VIA".into(),
        ]];
        let all_rows = &plan.simulation.reachability;
        let (listed, left_out) = first_of_each_kind(all_rows, limit, |r| r.verdict);
        for row in &listed {
            rows.push(vec![
                row.from.clone(),
                row.to.clone(),
                row.verdict.as_str().to_string(),
                match (row.via.is_empty(), row.verdict.reaches()) {
                    (true, _) => format!("- ({})", row.reason),
                    (false, true) => row.via.join(", "),
                    // Pending and denied paths say why, and who must act.
                    (false, false) => format!("{} ({})", row.via.join(", "), row.reason),
                },
            ]);
        }
        let text = table(&rows, "  ");
        for (line, row) in text
            .lines()
            .zip(std::iter::once(None).chain(listed.iter().map(|r| Some(r.verdict))))
        {
            let painted = match row {
                Some(Verdict::Private) => paint.wrap("32", line),
                Some(Verdict::Public) => paint.wrap("33", line),
                Some(Verdict::Pending | Verdict::Denied) => paint.wrap("31", line),
                Some(Verdict::Unreachable | Verdict::Unknown) => paint.dim(line),
                None => paint.bold(line),
            };
            let _ = writeln!(out, "{painted}");
        }
        for (verdict, count) in &left_out {
            let what = format!("`{}` paths", verdict.as_str());
            let _ = writeln!(out, "{}", paint.dim(&more_line(*count, &what)));
        }
        if !left_out.is_empty() {
            let _ = writeln!(out, "  {}", verdict_counts(all_rows));
        }
        let commands = accept_commands(&plan.simulation.reachability);
        if !commands.is_empty() {
            let _ = writeln!(
                out,
                "\n{}",
                paint.bold("Pending connections: the endpoint service's owner accepts them with")
            );
            let (listed, left_out) = first_of_each_kind(commands, limit, |_| ());
            for command in listed {
                let _ = writeln!(out, "  {command}");
            }
            for ((), count) in left_out {
                let _ = writeln!(out, "{}", paint.dim(&more_line(count, "commands")));
            }
        }
    }

    // Expectations.
    if !plan.expectations.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Expectations:"));
        for expectation in &plan.expectations {
            let mark = match expectation.outcome {
                Outcome::Met => paint.wrap("32", "ok  "),
                Outcome::Failed => paint.wrap("31", "FAIL"),
                Outcome::Warning => paint.wrap("33", "warn"),
                Outcome::Unknown => paint.dim("??  "),
            };
            let _ = writeln!(
                out,
                "  {mark} {}: {}",
                expectation.name, expectation.message
            );
        }
    }

    // Outputs.
    if !plan.outputs.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Outputs:"));
        let width = plan.outputs.iter().map(|o| o.name.len()).max().unwrap_or(0);
        for output in &plan.outputs {
            // Values are the configuration's text: made inert, never sent raw.
            let value = vpce_diagnostics::render::inert(&output.value);
            let _ = writeln!(out, "  {:width$}  {value}", output.name);
        }
    }

    // Cost.
    let cost = &plan.cost;
    let _ = writeln!(
        out,
        "\n{}",
        paint.bold(&format!(
            "Monthly cost estimate ({}, {} hours):",
            cost.currency, cost.hours_per_month
        ))
    );
    let mut rows: Vec<Vec<String>> = Vec::new();
    for line in &cost.endpoints {
        let hours = if line.azs == 0 {
            "free".to_string()
        } else {
            format!(
                "{} AZ{} x {} h x {} = {}",
                line.azs,
                if line.azs == 1 { "" } else { "s" },
                cost.hours_per_month,
                format_usd_rate(line.usd_per_hour),
                format_usd(line.monthly_hours_usd)
            )
        };
        let data = match (line.azs, line.monthly_data_usd) {
            (0, _) => String::new(),
            (_, Some(data)) => format!("+ {} data", format_usd(data)),
            (_, None) => format!("+ {}/GB", format_usd_rate(line.usd_per_gb)),
        };
        rows.push(vec![line.address.clone(), line.kind.clone(), hours, data]);
    }
    out.push_str(&limited_table(rows, limit, "endpoints", &paint));
    let _ = writeln!(
        out,
        "  Total: {} a month{}",
        format_usd(cost.monthly_total_usd),
        cost_change(plan)
    );
    let _ = writeln!(
        out,
        "{}",
        paint.dim(&format!("  Prices: {} ({})", cost.source, cost.date))
    );
    for note in &cost.notes {
        let _ = writeln!(out, "{}", paint.dim(&format!("  Note: {note}")));
    }

    // Findings.
    if !report.diagnostics.is_empty() {
        out.push('\n');
        out.push_str(&render_diagnostics(
            report.diagnostics,
            report.sources,
            &DiagnosticOptions {
                color: options.color,
                width: options.width,
            },
        ));
    }

    let summary = summary_line(plan.summary());
    let _ = writeln!(out, "\n{}", paint.bold(&summary));
    out
}

/// `$0.01`, `$0.0035`: rates keep their significant digits.
fn format_usd_rate(amount: f64) -> String {
    let text = format!("{amount:.4}");
    let trimmed = text.trim_end_matches('0');
    let (whole, fraction) = trimmed.split_once('.').unwrap_or((trimmed, ""));
    format!("${whole}.{fraction:0<2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_keep_their_digits() {
        assert_eq!(format_usd_rate(0.01), "$0.01");
        assert_eq!(format_usd_rate(0.0035), "$0.0035");
        assert_eq!(format_usd_rate(0.0), "$0.00");
    }

    #[test]
    fn tables_align() {
        let text = table(
            &[
                vec!["a".into(), "bb".into(), "c".into()],
                vec!["aaa".into(), "b".into(), "".into()],
            ],
            "  ",
        );
        assert_eq!(text, "  a    bb  c\n  aaa  b\n");
    }
}
