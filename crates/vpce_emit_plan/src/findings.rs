//! V950-V952: replacements that will collide or cut traffic.
//!
//! CloudFormation replaces a resource by creating the new one before deleting the old
//! (AWS-FACTS §1), and a renamed block is a new logical id: created in the update, the
//! old one deleted in the clean-up. Either way old and new exist together for a while:
//! - V950: two interface endpoints with private DNS for the same name in the same VPC
//!   cannot (AWS-FACTS §3.3 C6: "conflicting DNS domain");
//! - V951: two gateway endpoints for the same service cannot share a route table
//!   (§3.4 C9: "already has a route with destination-prefix-list-id");
//! - V952: deleting or replacing an endpoint or endpoint service that carries traffic
//!   interrupts it; the paths through it are listed. Not raised for a change V950 or
//!   V951 already reports (one change, one finding).
//!
//! Labels point into the new configuration when the object is still there, else into
//! the old one (with `--against`); a state has no source, so there is then no label.

use std::collections::{HashMap, HashSet};

use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{Common, EndpointType, Model};

use crate::{
    simulate::{describe_path, RowPaths},
    Action, ReachRow, ResourceChange, SimResource, Snapshot,
};

pub(crate) struct Context<'a> {
    pub model: &'a Model,
    pub objects: Objects<'a>,
    /// The older configuration's objects, and the offset of its files in the merged
    /// source map (`merge_sources`).
    pub old_objects: Option<(Objects<'a>, u32)>,
    pub new: &'a Snapshot,
    pub old: Option<&'a Snapshot>,
    pub resources: &'a [ResourceChange],
}

/// The objects of a model by their address, to find the object behind a resource.
pub(crate) struct Objects<'m>(HashMap<&'m str, &'m Common>);

impl<'m> Objects<'m> {
    pub(crate) fn of(model: &'m Model) -> Objects<'m> {
        Objects(model.commons().map(|c| (c.address.as_str(), c)).collect())
    }

    /// The object a resource address names: the address itself (`endpoint.aws["s3"]`,
    /// `module.edge.vpc.main`), or the object whose part it is
    /// (`subnet.a.route_table_association`).
    fn get(&self, address: &str) -> Option<&'m Common> {
        let mut address = address;
        loop {
            if let Some(common) = self.0.get(address) {
                return Some(common);
            }
            let (object, part) = address.rsplit_once('.')?;
            // A part's name is an identifier; a dot inside a quoted key is not a part.
            if !part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return None;
            }
            address = object;
        }
    }
}

/// The configuration attribute behind a CloudFormation property of an endpoint.
fn attribute_of(property: &str) -> Option<&'static str> {
    Some(match property {
        "VpcId" => "vpc",
        "ServiceName" => "service",
        "VpcEndpointType" => "type",
        "ServiceRegion" => "service_region",
        "SubnetIds" => "subnets",
        "RouteTableIds" => "route_tables",
        "SecurityGroupIds" => "security_groups",
        "PrivateDnsEnabled" => "private_dns",
        _ => return None,
    })
}

impl Context<'_> {
    /// Where to point for a resource: in the new configuration, the attribute that
    /// forces its replacement or its header; else its header in the old configuration.
    fn span(&self, change: &ResourceChange) -> Option<Span> {
        if let Some(common) = self.objects.get(&change.address) {
            let attribute = change
                .changes
                .iter()
                .filter(|c| c.forces_replacement)
                .find_map(|c| attribute_of(c.path.trim_start_matches('/').split('/').next()?));
            return Some(
                attribute
                    .and_then(|a| common.attr_span(a))
                    .unwrap_or(common.header),
            );
        }
        self.old_span(&change.address)
    }

    fn old_span(&self, address: &str) -> Option<Span> {
        let (objects, offset) = self.old_objects.as_ref()?;
        let mut span = objects.get(address)?.header;
        span.file.0 += offset;
        Some(span)
    }

    fn new_resource(&self, change: &ResourceChange) -> Option<&SimResource> {
        change.new.map(|i| &self.new.resources[i])
    }

    fn old_resource(&self, change: &ResourceChange) -> Option<&SimResource> {
        Some(&self.old?.resources[change.old?])
    }
}

fn endpoint_type(resource: &SimResource) -> Option<EndpointType> {
    resource
        .properties
        .get("VpcEndpointType")
        .and_then(serde_json::Value::as_str)
        .and_then(EndpointType::from_cloudformation_name)
}

fn private_dns_names(resource: &SimResource) -> Vec<&str> {
    resource
        .attributes
        .private_dns
        .iter()
        .map(|r| r.name.as_str())
        .collect()
}

fn route_tables(resource: &SimResource) -> Vec<(&str, &str)> {
    resource
        .attributes
        .prefix_list_routes
        .iter()
        .map(|r| (r.route_table_id.as_str(), r.route_table.as_str()))
        .collect()
}

fn with_label(diagnostic: Diagnostic, span: Option<Span>, text: &str) -> Diagnostic {
    match span {
        Some(span) => diagnostic.with_label(span, text),
        None => diagnostic,
    }
}

pub(crate) fn findings(cx: &Context<'_>) -> Vec<Diagnostic> {
    let Some(old) = cx.old else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let is_endpoint = |c: &&ResourceChange| c.resource_type == "AWS::EC2::VPCEndpoint";
    let departing: Vec<&ResourceChange> = cx
        .resources
        .iter()
        .filter(is_endpoint)
        .filter(|c| matches!(c.action, Action::Delete | Action::Replace))
        .collect();
    let arriving: Vec<&ResourceChange> = cx
        .resources
        .iter()
        .filter(is_endpoint)
        .filter(|c| matches!(c.action, Action::Create | Action::Replace))
        .collect();
    // Departing endpoints a V950/V951 already reports.
    let mut reported: HashSet<&str> = HashSet::new();

    for arrival in &arriving {
        let Some(new) = cx.new_resource(arrival) else {
            continue;
        };
        for departure in &departing {
            let Some(gone) = cx.old_resource(departure) else {
                continue;
            };
            if new.attributes.vpc_id.is_none() || new.attributes.vpc_id != gone.attributes.vpc_id {
                continue;
            }
            let same = arrival.address == departure.address;
            let vpc = new.attributes.vpc.as_deref().unwrap_or_default();
            let when = if same {
                format!(
                    "CloudFormation creates the new `{}` before deleting the old one",
                    arrival.address
                )
            } else {
                format!(
                    "CloudFormation creates `{}` before deleting `{}`",
                    arrival.address, departure.address
                )
            };
            let subject = if same {
                format!("replacing `{}`", arrival.address)
            } else {
                format!("creating `{}`", arrival.address)
            };
            let holder = if same {
                format!("the old `{}`", departure.address)
            } else {
                format!("`{}`", departure.address)
            };
            let old_label = (!same).then(|| cx.old_span(&departure.address)).flatten();
            match (endpoint_type(new), endpoint_type(gone)) {
                (Some(EndpointType::Interface), Some(EndpointType::Interface)) => {
                    let old_names = private_dns_names(gone);
                    let Some(name) = private_dns_names(new)
                        .into_iter()
                        .find(|n| old_names.contains(n))
                    else {
                        continue;
                    };
                    let mut diagnostic = with_label(
                        Diagnostic::new(
                            Code::ReplacementDnsConflict,
                            format!(
                                "{subject} will fail: {holder} still holds private DNS for `{name}` in `{vpc}`"
                            ),
                        ),
                        cx.span(arrival),
                        "this change creates an endpoint with private DNS",
                    );
                    if let Some(span) = old_label {
                        diagnostic = diagnostic.with_label(span, "the old endpoint, still there");
                    }
                    diagnostic = diagnostic
                        .with_help(if same {
                            "deploy in two steps: first turn `private_dns` off on the endpoint, then make this change and turn it back on".to_string()
                        } else {
                            keep_the_address(&departure.address, &arrival.address)
                        })
                        .with_note(format!(
                            "{when}, and AWS refuses a second private DNS zone for the name: \"private-dns-enabled cannot be set because there is already a conflicting DNS domain for {name} in the VPC\""
                        ));
                    out.push(diagnostic);
                    reported.insert(departure.address.as_str());
                    reported.insert(arrival.address.as_str());
                }
                (Some(EndpointType::Gateway), Some(EndpointType::Gateway))
                    if new.attributes.service_name.is_some()
                        && new.attributes.service_name == gone.attributes.service_name =>
                {
                    let old_tables = route_tables(gone);
                    let shared: Vec<&str> = route_tables(new)
                        .into_iter()
                        .filter(|(id, _)| old_tables.iter().any(|(old, _)| old == id))
                        .map(|(_, address)| address)
                        .collect();
                    if shared.is_empty() {
                        continue;
                    }
                    let service = new.attributes.service_name.as_deref().unwrap_or_default();
                    let tables = shared
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let mut diagnostic = with_label(
                        Diagnostic::new(
                            Code::ReplacementRouteConflict,
                            format!(
                                "{subject} will fail: {holder} still holds the route to `{service}` in {tables}"
                            ),
                        ),
                        cx.span(arrival),
                        "this change creates a gateway endpoint on the same route tables",
                    );
                    if let Some(span) = old_label {
                        diagnostic = diagnostic.with_label(span, "the old endpoint, still there");
                    }
                    diagnostic = diagnostic
                        .with_help(if same {
                            "deploy in two steps: first take the route tables off the endpoint, then make this change with them".to_string()
                        } else {
                            keep_the_address(&departure.address, &arrival.address)
                        })
                        .with_note(format!(
                            "{when}; a route table holds one route per prefix list, and AWS refuses the second: \"route table ... already has a route with destination-prefix-list-id\""
                        ));
                    out.push(diagnostic);
                    reported.insert(departure.address.as_str());
                    reported.insert(arrival.address.as_str());
                }
                _ => {}
            }
        }
    }

    // V952: what loses connectivity. The paths' index is built for the first change that
    // needs it.
    let mut row_paths = None;
    for change in cx.resources.iter().filter(|c| {
        matches!(c.action, Action::Delete | Action::Replace)
            && matches!(
                c.resource_type.as_str(),
                "AWS::EC2::VPCEndpoint" | "AWS::EC2::VPCEndpointService"
            )
            && !reported.contains(c.address.as_str())
    }) {
        let service = change.resource_type == "AWS::EC2::VPCEndpointService";
        let rows: Vec<&ReachRow> = old
            .reachability
            .iter()
            // Only paths that carry traffic lose it: not pending, denied or unknown ones.
            .filter(|r| {
                r.verdict.reaches()
                    && if service {
                        r.to == change.address
                    } else {
                        r.via.contains(&change.address)
                    }
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let verb = if change.action == Action::Delete {
            "deleting"
        } else {
            "replacing"
        };
        let paths = if rows.len() == 1 {
            "1 path".to_string()
        } else {
            format!("{} paths", rows.len())
        };
        let mut diagnostic = with_label(
            Diagnostic::new(
                Code::DestructiveChange,
                format!("{verb} `{}` interrupts {paths} that use it", change.address),
            ),
            cx.span(change),
            if change.action == Action::Delete {
                "deleted"
            } else {
                "this change forces a replacement"
            },
        );
        let row_paths = row_paths.get_or_insert_with(|| RowPaths::new(cx.model));
        for row in rows {
            let after = row_paths.between(&row.from, &row.to).map_or_else(
                || format!("`{}` is gone from the configuration", row.from),
                |r| describe_path(r.verdict, &r.via, &r.reason),
            );
            diagnostic = diagnostic.with_note(format!(
                "`{}` reaches `{}` {} before; afterwards {after}",
                row.from,
                row.to,
                describe_path(row.verdict, &row.via, &row.reason)
            ));
        }
        diagnostic = diagnostic.with_help(if change.action == Action::Delete {
            "if these paths must stay, keep the endpoint, or add its replacement first and delete it in a later change"
        } else {
            "the endpoint gets a new id and DNS names: add the new endpoint beside the old one first, move clients, then delete the old one"
        });
        out.push(diagnostic);
    }
    out
}

/// The help for an endpoint whose address changed while its twin still stands: keep what
/// changed in the address (the module instance, or the block's label or key), or deploy
/// in two steps.
fn keep_the_address(departure: &str, arrival: &str) -> String {
    use vpce_model::modules::split_module_path;
    let (old_module, old_inner) = split_module_path(departure);
    let (new_module, new_inner) = split_module_path(arrival);
    let keep = if old_module != new_module && old_inner == new_inner {
        let module = old_module.trim_end_matches('.');
        format!("keep the module instance `{module}`")
    } else {
        let label = old_inner.trim_start_matches("endpoint.");
        format!("keep the block label `{label}` (rename with the `Name` tag)")
    };
    format!("{keep}, or deploy in two steps: delete the old endpoint, then add the new one")
}
