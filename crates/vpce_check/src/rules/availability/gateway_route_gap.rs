use std::collections::{BTreeMap, BTreeSet};

use ipnet::Ipv4Net;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Endpoint, EndpointType, ExpectTarget, Id, Kind, Model, RouteTable, Subnet, Vpc};

use super::and_list;
use crate::{service::Service, Rule, RuleCx};

/// V802: subnets with no path to a service that other route tables of their VPC reach
/// through a gateway endpoint.
///
/// A gateway endpoint adds its service's prefix-list route only to the route tables it
/// lists (`RouteTableIds`, AWS-FACTS §1.1 and §3.4 C10;
/// <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>). A
/// subnet whose table is not among them sends the service's traffic along its other
/// routes; with no route to an internet gateway, a NAT gateway or an appliance either,
/// the requests time out. When another table of the same VPC is on a gateway endpoint
/// for the service, the service is meant to be reachable, and the table was most
/// likely forgotten.
///
/// A subnet uses its `route_table`, or the VPC's main table, which vpce models with only
/// the local route. A table has an *internet path* when a route sends an IPv4 block that
/// is not private (not inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16,
/// 100.64.0.0/10 or 169.254.0.0/16) anywhere: it could carry the service's public
/// addresses. Reported once per (route table, service): at the table's header, listing
/// its subnets; for subnets on the main table, at the first such subnet's header.
///
/// Skipped, to stay quiet where vpce cannot know: subnets whose `route_table` is
/// invalid or in another VPC (V206), existing subnets without a `route_table` and
/// subnets on the main table of an existing VPC (their real association or routes are
/// unknown), routes whose destination does not parse, gateway endpoints whose service
/// is not a gateway service of the VPC's region (V300, V302), and subnets that an
/// `expect` names as `from` with the service as `to` (the expectation says what is
/// meant, and V900 reports a failing one).
pub struct GatewayRouteGap;

/// The gateway endpoints of one VPC for one service.
struct Routed {
    tables: BTreeSet<Id<RouteTable>>,
    /// The first gateway endpoint for the service, to point at.
    endpoint: Id<Endpoint>,
}

/// The table a subnet uses: `None` for the VPC's main table.
type Table = Option<Id<RouteTable>>;

/// One finding: a VPC, a table of it, and a service.
type GapKey<'m> = (Id<Vpc>, Table, &'m str);

impl Rule for GatewayRouteGap {
    fn code(&self) -> Code {
        Code::GatewayRouteGap
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        let routed = gateway_routes(model);
        if routed.is_empty() {
            return;
        }
        let expected: BTreeSet<(Id<Subnet>, &str)> = model
            .expects
            .iter()
            .filter_map(|(_, e)| {
                let from = e.from.as_ref()?.value;
                let ExpectTarget::Service(name) = &e.to.as_ref()?.value else {
                    return None;
                };
                (from.kind == Kind::Subnet).then(|| (Id::new(from.index as usize), name.as_str()))
            })
            .collect();
        let private: Vec<Ipv4Net> = PRIVATE.iter().filter_map(|c| c.parse().ok()).collect();
        let mut internet: BTreeMap<Id<RouteTable>, bool> = BTreeMap::new();
        let mut gaps: BTreeMap<GapKey<'_>, Vec<Id<Subnet>>> = BTreeMap::new();
        for (id, subnet) in model.subnets.iter() {
            let Some(vpc) = subnet.vpc else { continue };
            let Some(services) = routed.get(&vpc) else {
                continue;
            };
            let Some(table) = table_of(model, id, vpc) else {
                continue;
            };
            if let Some(table) = table {
                let open = *internet
                    .entry(table)
                    .or_insert_with(|| has_internet_path(model, table, &private));
                if open {
                    continue;
                }
            }
            for (service, routes) in services {
                let covered = table.is_some_and(|t| routes.tables.contains(&t));
                if !covered && !expected.contains(&(id, service.as_str())) {
                    gaps.entry((vpc, table, service.as_str()))
                        .or_default()
                        .push(id);
                }
            }
        }
        for ((vpc, table, service), subnets) in gaps {
            let routes = &routed[&vpc][service];
            cx.report(gap(model, vpc, table, service, &subnets, routes));
        }
    }
}

/// For each VPC, the services that gateway endpoints route privately, with the tables
/// they are on (tables of the endpoint's own VPC only).
fn gateway_routes(model: &Model) -> BTreeMap<Id<Vpc>, BTreeMap<String, Routed>> {
    let mut routed: BTreeMap<Id<Vpc>, BTreeMap<String, Routed>> = BTreeMap::new();
    for (id, endpoint) in model.endpoints.iter() {
        if endpoint.endpoint_type.as_ref().map(|t| t.value) != Some(EndpointType::Gateway) {
            continue;
        }
        let Some(vpc) = endpoint.vpc else { continue };
        let Some(Service::Aws {
            name,
            region,
            catalogue: Some(entry),
            ..
        }) = endpoint.resolved_service.as_ref()
        else {
            continue;
        };
        let same_region = model.vpc_region(vpc).is_some_and(|r| r.value == *region);
        if !entry.gateway || !same_region {
            continue;
        }
        let tables: Vec<Id<RouteTable>> = endpoint
            .route_tables
            .iter()
            .map(|t| t.value)
            .filter(|t| model.route_tables[*t].vpc == Some(vpc))
            .collect();
        if tables.is_empty() {
            continue;
        }
        routed
            .entry(vpc)
            .or_default()
            .entry(name.clone())
            .or_insert_with(|| Routed {
                tables: BTreeSet::new(),
                endpoint: id,
            })
            .tables
            .extend(tables);
    }
    routed
}

/// The table a subnet uses (`Some(None)` for the main table), or `None` when that is
/// not known.
fn table_of(model: &Model, id: Id<Subnet>, vpc: Id<Vpc>) -> Option<Table> {
    let subnet = &model.subnets[id];
    match &subnet.route_table {
        Some(table) => {
            (model.route_tables[table.value].vpc == Some(vpc)).then_some(Some(table.value))
        }
        None if subnet.common.attrs.contains_key("route_table") => None,
        None if subnet.common.is_existing() || model.vpcs[vpc].common.is_existing() => None,
        None => Some(None),
    }
}

const PRIVATE: [&str; 5] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "169.254.0.0/16",
];

/// Whether a table routes some public IPv4 block (or a destination vpce cannot read)
/// out of the VPC.
fn has_internet_path(model: &Model, table: Id<RouteTable>, private: &[Ipv4Net]) -> bool {
    model.route_tables[table].routes.iter().any(|route| {
        let Some(destination) = &route.destination else {
            return true;
        };
        if destination.value.contains(':') {
            return false; // IPv6: the gateway endpoints' prefix lists are IPv4
        }
        match destination.value.v4() {
            Some(net) => !private.iter().any(|p| p.contains(&net)),
            None => true,
        }
    })
}

fn gap(
    model: &Model,
    vpc: Id<Vpc>,
    table: Table,
    service: &str,
    subnets: &[Id<Subnet>],
    routes: &Routed,
) -> Diagnostic {
    let names: Vec<&str> = subnets
        .iter()
        .map(|s| model.subnets[*s].common.shown())
        .collect();
    let (noun, verb) = if names.len() == 1 {
        ("subnet", "has")
    } else {
        ("subnets", "have")
    };
    let message = format!("{noun} {} {verb} no route to `{service}`", and_list(&names));
    let endpoint = &model.endpoints[routes.endpoint].common;
    let endpoint_label = (
        endpoint.value_span_or_header("route_tables"),
        format!("`{service}` is routed privately for these tables only"),
    );
    let these = if names.len() == 1 {
        "this subnet has"
    } else {
        "these subnets have"
    };
    let note = format!(
        "other subnets of `{}` reach `{service}` through `{}`; {these} neither its route nor an internet path, so requests to `{service}` time out",
        model.address(vpc.obj_ref()),
        endpoint.address
    );
    let diagnostic = match table {
        Some(table) => {
            let table = &model.route_tables[table].common;
            let mut d = Diagnostic::new(Code::GatewayRouteGap, message).with_label(
                table.header,
                format!("no internet path and not on `{}`", endpoint.address),
            );
            for subnet in subnets {
                let subnet = &model.subnets[*subnet];
                if let Some(used) = &subnet.route_table {
                    d = d.with_label(
                        used.span,
                        format!("`{}` uses `{}`", subnet.common.address, table.address),
                    );
                }
            }
            d.with_label(endpoint_label.0, endpoint_label.1)
                .with_help(format!(
                    "add `{}` to `{}`'s `route_tables`",
                    table.reference(),
                    endpoint.address
                ))
        }
        None => {
            let (first, rest) = subnets.split_first().expect("a gap has subnets");
            let mut d = Diagnostic::new(Code::GatewayRouteGap, message).with_label(
                model.subnets[*first].common.header,
                format!(
                    "on the main route table of `{}`, which has only the local route",
                    model.address(vpc.obj_ref())
                ),
            );
            for subnet in rest {
                d = d.with_label(
                    model.subnets[*subnet].common.header,
                    "also on the main route table",
                );
            }
            let example = routes
                .tables
                .first()
                .map(|t| {
                    format!(
                        ", e.g. `route_table = {}`",
                        model.route_tables[*t].common.reference()
                    )
                })
                .unwrap_or_default();
            let whom = if subnets.len() == 1 {
                "the subnet"
            } else {
                "these subnets"
            };
            d.with_label(endpoint_label.0, endpoint_label.1)
                .with_help(format!(
                    "give {whom} a `route_table` that `{}` lists in `route_tables`{example}",
                    endpoint.address
                ))
        }
    };
    diagnostic.with_note(note)
}

#[cfg(test)]
mod tests {
    use crate::testing::{codes, codes_and_lines, diagnostics_of};

    /// A VPC with an S3 gateway endpoint on `private` only; `tables` is spliced in
    /// after it.
    fn vpc(rest: &str) -> String {
        format!(
            r#"region = "eu-west-1"

vpc "main" {{
  cidr = "10.0.0.0/16"
}}

route_table "private" {{
  vpc = vpc.main
}}

subnet "app_a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}}

endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}}
{rest}"#
        )
    }

    const DATA: &str = r#"
route_table "data" {
  vpc = vpc.main
}

subnet "data_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.2.0/24"
  route_table = route_table.data
}

subnet "data_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.3.0/24"
  route_table = route_table.data
}
"#;

    fn only(hcl: &str) -> vpce_diagnostics::Diagnostic {
        let outcome = diagnostics_of(hcl);
        assert_eq!(outcome.len(), 1, "{:?}", outcome);
        outcome[0].clone()
    }

    #[test]
    fn a_table_left_off_the_gateway_endpoint() {
        let hcl = vpc(DATA);
        assert_eq!(codes_and_lines(&hcl), [("V802", 25)]);
        let d = only(&hcl);
        assert_eq!(
            d.message,
            "subnets `data_a` and `data_b` have no route to `s3`"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("add `route_table.data` to `endpoint.s3`'s `route_tables`")
        );
    }

    #[test]
    fn covered_tables_pass() {
        let hcl = vpc(DATA).replace(
            "[route_table.private]",
            "[route_table.private, route_table.data]",
        );
        assert_eq!(codes_and_lines(&hcl), []);
    }

    #[test]
    fn an_internet_path_is_enough() {
        for target in ["nat_gateway.a", "internet_gateway.main"] {
            let hcl = vpc(&format!(
                r#"
internet_gateway "main" {{
  vpc = vpc.main
}}

route_table "public" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }}
}}

subnet "public_a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.0.0/24"
  route_table = route_table.public
}}

nat_gateway "a" {{
  subnet = subnet.public_a
}}

route_table "data" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = {target}
  }}
}}

subnet "data_a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.2.0/24"
  route_table = route_table.data
}}
"#
            ));
            assert_eq!(codes_and_lines(&hcl), [], "{target}");
        }
    }

    #[test]
    fn private_routes_are_no_internet_path() {
        let hcl = vpc(&DATA.replace(
            "route_table \"data\" {\n  vpc = vpc.main\n}",
            "route_table \"data\" {\n  vpc = vpc.main\n  route {\n    destination = \"192.168.0.0/16\"\n    target      = nat_gateway.a\n  }\n}\n\nsubnet \"public_a\" {\n  vpc  = vpc.main\n  az   = \"euw1-az1\"\n  cidr = \"10.0.9.0/24\"\n}\n\nnat_gateway \"a\" {\n  subnet = subnet.public_a\n}",
        ));
        let lines: Vec<_> = codes_and_lines(&hcl)
            .into_iter()
            .filter(|(c, _)| *c == "V802")
            .collect();
        // `data` (line 25) and the NAT gateway's subnet on the main table (line 33).
        assert_eq!(lines, [("V802", 25), ("V802", 33)]);
    }

    #[test]
    fn subnets_on_the_main_table() {
        let hcl = vpc(r#"
subnet "lb_a" {
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.4.0/24"
}

subnet "lb_b" {
  vpc  = vpc.main
  az   = "euw1-az2"
  cidr = "10.0.5.0/24"
}
"#);
        assert_eq!(codes_and_lines(&hcl), [("V802", 25)]);
        let d = only(&hcl);
        assert_eq!(d.message, "subnets `lb_a` and `lb_b` have no route to `s3`");
        assert_eq!(
            d.help.as_deref(),
            Some("give these subnets a `route_table` that `endpoint.s3` lists in `route_tables`, e.g. `route_table = route_table.private`")
        );
    }

    #[test]
    fn an_expectation_says_what_is_meant() {
        let hcl = vpc(&format!(
            r#"{DATA}
expect "data_a_has_no_s3" {{
  from      = subnet.data_a
  to        = "s3"
  reachable = false
}}
"#
        ));
        let d = only(&hcl);
        assert_eq!(d.message, "subnet `data_b` has no route to `s3`");
    }

    #[test]
    fn one_report_per_table_and_service() {
        let hcl = vpc(&format!(
            r#"{DATA}
endpoint "dynamodb" {{
  type         = "gateway"
  service      = "dynamodb"
  vpc          = vpc.main
  route_tables = [route_table.private]
}}
"#
        ));
        assert_eq!(codes_and_lines(&hcl), [("V802", 25), ("V802", 25)]);
    }

    #[test]
    fn vpcs_without_a_gateway_endpoint_pass() {
        let hcl = vpc(DATA).replace(
            "type         = \"gateway\"\n  service      = \"s3\"",
            "type         = \"gateway\"\n  service      = \"sqs\"",
        );
        let codes = codes(&hcl);
        assert!(!codes.contains(&"V802"), "{codes:?}");
    }
}
