use std::collections::BTreeMap;

use ipnet::Ipv4Net;
use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{
    Endpoint, Id, Model, ObjRef, Route, RouteTable, ServiceRef, Spanned, Subnet, Vpc,
};

use super::{gwlb_endpoints, gwlb_target, only_subnet, subnets_by_table};
use crate::{
    net::{subnet_az, Az},
    rules::gateway::backticked_list,
    Rule, RuleCx,
};

/// V506: subnets routed through a gateway load balancer endpoint in another AZ.
///
/// A GWLB endpoint lives in one subnet, so in one AZ, and the PrivateLink guide has one
/// endpoint per AZ (AWS-FACTS §3.2 C4). Traffic routed to it from another AZ crosses
/// zones both ways (inter-AZ data charges, added latency), and is cut off when the
/// endpoint's AZ fails although its own AZ is healthy. The usual shape is one endpoint
/// per AZ and one route table per AZ. Checked:
/// - a subnet route table: each subnet that uses it (explicit `route_table`) against
///   the AZ of each GWLB endpoint it routes to;
/// - an edge route table (`edge = internet_gateway.X`): the subnet whose CIDR is a
///   route's destination against the AZ of the endpoint the route targets.
///
/// AZs are compared by id (`net::subnet_az`); a pair where one side is given by id and
/// the other by name, or either is unknown, is skipped (names map to zones per
/// account, V205). Endpoints without exactly one subnet (V500) and endpoints of another
/// VPC (V206) are skipped.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-load-balancer-endpoints.html>.
pub struct GwlbCrossAz;

/// Whether two AZs are known to differ.
fn differ(a: &Az, b: &Az) -> bool {
    a.by_name == b.by_name && a.id != b.id
}

/// What an endpoint connects to, as a key: endpoints with equal keys reach one service.
fn service_key(endpoint: &Endpoint) -> Option<String> {
    Some(match &endpoint.service.as_ref()?.value {
        ServiceRef::Named(name) => name.trim().to_string(),
        ServiceRef::Local(id) => format!("endpoint_service #{}", id.index()),
    })
}

/// The AZ of a subnet as written, for messages.
fn az_text(model: &Model, subnet: Id<Subnet>) -> String {
    model.subnets[subnet]
        .az
        .as_ref()
        .map_or_else(String::new, |az| az.value.text.clone())
}

/// A route to a GWLB endpoint of the table's VPC whose AZ is known.
struct Hop<'m> {
    vpc: Id<Vpc>,
    table: Id<RouteTable>,
    route: &'m Route,
    target: &'m Spanned<ObjRef>,
    endpoint: &'m Endpoint,
    address: String,
    az: Az,
    az_text: String,
}

/// The indexes the rule builds once.
struct Zones<'m> {
    model: &'m Model,
    /// The subnets that use each route table.
    by_table: BTreeMap<Id<RouteTable>, Vec<Id<Subnet>>>,
    /// Subnets by (VPC, CIDR), for edge route destinations; the first of duplicates.
    by_cidr: BTreeMap<(Id<Vpc>, Ipv4Net), Id<Subnet>>,
    /// GWLB endpoints by (VPC, service, AZ id): the endpoint a subnet should use.
    in_az: BTreeMap<(Id<Vpc>, String, String), Id<Endpoint>>,
}

impl<'m> Zones<'m> {
    fn new(model: &'m Model) -> Zones<'m> {
        let mut by_cidr = BTreeMap::new();
        for (id, subnet) in model.subnets.iter() {
            let (Some(vpc), Some(cidr)) = (subnet.vpc, &subnet.cidr) else {
                continue;
            };
            if let Some(net) = cidr.v4() {
                by_cidr.entry((vpc, net)).or_insert(id);
            }
        }
        let mut in_az = BTreeMap::new();
        for (id, endpoint) in gwlb_endpoints(model) {
            let (Some(vpc), Some(key), Some(subnet)) =
                (endpoint.vpc, service_key(endpoint), only_subnet(endpoint))
            else {
                continue;
            };
            if let Some(az) = subnet_az(model, subnet) {
                in_az.entry((vpc, key, az.id.clone())).or_insert(id);
            }
        }
        Zones {
            model,
            by_table: subnets_by_table(model),
            by_cidr,
            in_az,
        }
    }

    /// The route's hop, when it targets a GWLB endpoint of the table's VPC in a known AZ.
    fn hop(&self, table: Id<RouteTable>, route: &'m Route) -> Option<Hop<'m>> {
        let model = self.model;
        let vpc = model.route_tables[table].vpc?;
        let target = route.target.as_ref()?;
        let id = gwlb_target(model, target.value)?;
        let endpoint = &model.endpoints[id];
        let subnet = only_subnet(endpoint)?;
        if endpoint.vpc != Some(vpc) {
            return None;
        }
        Some(Hop {
            vpc,
            table,
            route,
            target,
            endpoint,
            address: model.address(id.obj_ref()),
            az: subnet_az(model, subnet)?.clone(),
            az_text: az_text(model, subnet),
        })
    }

    /// The help: route to the endpoints that exist in the AZs (id, as written), create
    /// the others.
    fn help(&self, hop: &Hop<'_>, azs: &[(String, String)]) -> String {
        let key = service_key(hop.endpoint).unwrap_or_default();
        let mut existing = Vec::new();
        let mut missing = Vec::new();
        for (id, text) in azs {
            match self.in_az.get(&(hop.vpc, key.clone(), id.clone())) {
                Some(e) => {
                    existing.push(format!("`{}` in `{text}`", self.model.address(e.obj_ref())))
                }
                None => missing.push(text.clone()),
            }
        }
        if missing.is_empty() {
            format!(
                "route each AZ's traffic to the endpoint of its own AZ: {}",
                existing.join(", ")
            )
        } else {
            format!(
                "create a gateway load balancer endpoint in {} and route each AZ's traffic to the endpoint of its own AZ",
                backticked_list(&missing)
            )
        }
    }

    /// An edge route: the destination subnet's AZ against the endpoint's.
    fn edge_route(&self, hop: &Hop<'_>) -> Option<Diagnostic> {
        let model = self.model;
        let destination = hop.route.destination.as_ref()?;
        let dest = *self.by_cidr.get(&(hop.vpc, destination.v4()?))?;
        let dest_az = subnet_az(model, dest)?;
        if !differ(dest_az, &hop.az) {
            return None;
        }
        let dest_az_text = az_text(model, dest);
        Some(
            Diagnostic::new(
                Code::GwlbCrossAz,
                format!(
                    "traffic for subnet `{}` in `{dest_az_text}` is routed through gateway load balancer endpoint `{}` in `{}`",
                    model.subnets[dest].common.shown(), hop.endpoint.common.shown(), hop.az_text
                ),
            )
            .with_label(hop.target.span, format!("`{}` is in `{}`", hop.address, hop.az_text))
            .with_label(
                destination.span,
                format!("`{}`, in `{dest_az_text}`", model.address(dest.obj_ref())),
            )
            .with_help(self.help(hop, &[(dest_az.id.clone(), dest_az_text)])),
        )
    }

    /// A subnet route table: every subnet that uses it against the endpoint's AZ.
    fn subnet_route(&self, hop: &Hop<'_>) -> Option<Diagnostic> {
        let model = self.model;
        let crossing: Vec<(Id<Subnet>, &Az, Span)> = self
            .by_table
            .get(&hop.table)
            .into_iter()
            .flatten()
            .filter_map(|s| {
                let az = subnet_az(model, *s).filter(|az| differ(az, &hop.az))?;
                Some((*s, az, model.subnets[*s].route_table.as_ref()?.span))
            })
            .collect();
        let names: Vec<&str> = crossing
            .iter()
            .map(|(s, _, _)| model.subnets[*s].common.shown())
            .collect();
        let message = match crossing.as_slice() {
            [] => return None,
            [(only, _, _)] => format!(
                "subnet `{}` in `{}` is routed through gateway load balancer endpoint `{}` in `{}`",
                names[0],
                az_text(model, *only),
                hop.endpoint.common.shown(),
                hop.az_text
            ),
            _ => format!(
                "subnets {} are routed through gateway load balancer endpoint `{}` in another AZ, `{}`",
                backticked_list(&names),
                hop.endpoint.common.shown(),
                hop.az_text
            ),
        };
        let mut diagnostic = Diagnostic::new(Code::GwlbCrossAz, message).with_label(
            hop.target.span,
            format!("`{}` is in `{}`", hop.address, hop.az_text),
        );
        let mut azs = Vec::new();
        for (subnet, az, span) in &crossing {
            let text = az_text(model, *subnet);
            diagnostic = diagnostic.with_label(
                *span,
                format!(
                    "`{}` in `{text}` uses `{}`",
                    model.address(subnet.obj_ref()),
                    model.address(hop.table.obj_ref())
                ),
            );
            azs.push((az.id.clone(), text));
        }
        azs.sort();
        azs.dedup();
        Some(diagnostic.with_help(self.help(hop, &azs)))
    }
}

impl Rule for GwlbCrossAz {
    fn code(&self) -> Code {
        Code::GwlbCrossAz
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let zones = Zones::new(cx.model);
        for (table_id, table) in cx.model.route_tables.iter() {
            for route in &table.routes {
                let Some(hop) = zones.hop(table_id, route) else {
                    continue;
                };
                let diagnostic = if table.edge.is_some() {
                    zones.edge_route(&hop)
                } else {
                    zones.subnet_route(&hop)
                };
                if let Some(diagnostic) = diagnostic {
                    cx.report(diagnostic);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    /// A workload VPC in two AZs with one GWLB endpoint per AZ; `app_table_b` is the
    /// table of `app_b` and `ingress_b` the target of the edge route for `app_b`.
    fn config(app_table_b: &str, ingress_b: &str) -> String {
        format!(
            r#"region = "eu-west-1"
vpc "main" {{ cidr = "10.0.0.0/16" }}

internet_gateway "main" {{ vpc = vpc.main }}

load_balancer "fw" {{
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}}
endpoint_service "fw" {{
  load_balancers      = [load_balancer.fw]
  acceptance_required = false
}}
route_table "inspection" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }}
}}

route_table "ingress" {{
  vpc  = vpc.main
  edge = internet_gateway.main
  route {{
    destination = "10.0.1.0/24"
    target      = endpoint.fw_a
  }}
  route {{
    destination = "10.0.2.0/24"
    target      = {ingress_b}
  }}
}}

route_table "app_a" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = endpoint.fw_a
  }}
}}

route_table "app_b" {{
  vpc = vpc.main
  route {{
    destination = "0.0.0.0/0"
    target      = endpoint.fw_b
  }}
}}

subnet "inspection_a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.0.0/28"
  route_table = route_table.inspection
}}

subnet "inspection_b" {{
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.0.16/28"
  route_table = route_table.inspection
}}

subnet "app_a" {{
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.app_a
}}

subnet "app_b" {{
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.2.0/24"
  route_table = {app_table_b}
}}

endpoint "fw_a" {{
  type    = "gateway_load_balancer"
  service = endpoint_service.fw
  vpc     = vpc.main
  subnets = [subnet.inspection_a]
}}

endpoint "fw_b" {{
  type    = "gateway_load_balancer"
  service = endpoint_service.fw
  vpc     = vpc.main
  subnets = [subnet.inspection_b]
}}
"#
        )
    }

    #[test]
    fn one_endpoint_per_az_passes() {
        assert_eq!(
            codes_and_lines(&config("route_table.app_b", "endpoint.fw_b")),
            []
        );
    }

    #[test]
    fn subnet_table_through_another_az() {
        assert_eq!(
            codes_and_lines(&config("route_table.app_a", "endpoint.fw_b")),
            [("V506", 40)]
        );
    }

    #[test]
    fn edge_route_through_another_az() {
        assert_eq!(
            codes_and_lines(&config("route_table.app_b", "endpoint.fw_a")),
            [("V506", 32)]
        );
    }
}
