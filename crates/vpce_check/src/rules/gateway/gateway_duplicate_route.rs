use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use vpce_diagnostics::{Code, Diagnostic, Span};
use vpce_model::{Endpoint, Id, RouteTable};

use super::{backticked_list, gateway_endpoints, gateway_service};
use crate::{service::Service, Rule, RuleCx};

/// V303: two gateway endpoints for one service on one route table.
///
/// Each gateway endpoint adds a route whose destination is its service's prefix list
/// (`pl-...`), and a route table holds one route per destination: the second endpoint
/// fails with "route table rtb-0b879b2a8131c2b93 already has a route with
/// destination-prefix-list-id pl-63a5400a" (AWS-FACTS §3.4 C9). The service is
/// compared by full name, so `"s3"` and `"com.amazonaws.eu-west-1.s3"` are one service.
///
/// One diagnostic per pair of endpoints: at the later endpoint's first shared table,
/// with its other shared tables and the earlier endpoint's entries labelled. A table of
/// another VPC is V206's finding and is skipped here.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>.
pub struct GatewayDuplicateRoute;

/// Where two endpoints collide: the table, and each endpoint's `route_tables` item.
struct Clash {
    table: Id<RouteTable>,
    later: Span,
    earlier: Span,
}

impl Rule for GatewayDuplicateRoute {
    fn code(&self) -> Code {
        Code::GatewayDuplicateRoute
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // (table, service) -> the first endpoint that routes the service there.
        let mut owners: BTreeMap<(Id<RouteTable>, String), (Id<Endpoint>, Span)> = BTreeMap::new();
        // (later endpoint, earlier endpoint) -> their shared tables, in source order.
        let mut clashes: IndexMap<(Id<Endpoint>, Id<Endpoint>), Vec<Clash>> = IndexMap::new();
        let mut services: BTreeMap<Id<Endpoint>, String> = BTreeMap::new();
        for (id, endpoint) in gateway_endpoints(model) {
            let (
                Some(Service::Aws {
                    name, full_name, ..
                }),
                Some(vpc),
            ) = (gateway_service(endpoint), endpoint.vpc)
            else {
                continue;
            };
            services.insert(id, name.clone());
            let mut seen = BTreeSet::new();
            for table in &endpoint.route_tables {
                if model.route_tables[table.value].vpc != Some(vpc) || !seen.insert(table.value) {
                    continue;
                }
                match owners.entry((table.value, full_name.clone())) {
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert((id, table.span));
                    }
                    std::collections::btree_map::Entry::Occupied(owner) => {
                        let (earlier, earlier_span) = *owner.get();
                        clashes.entry((id, earlier)).or_default().push(Clash {
                            table: table.value,
                            later: table.span,
                            earlier: earlier_span,
                        });
                    }
                }
            }
        }
        for ((later, earlier), shared) in clashes {
            let (later_ep, earlier_ep) = (&model.endpoints[later], &model.endpoints[earlier]);
            let service = &services[&later];
            let tables: Vec<&str> = shared
                .iter()
                .map(|c| model.route_tables[c.table].common.shown())
                .collect();
            let noun = if tables.len() == 1 {
                "route table"
            } else {
                "route tables"
            };
            let mut diagnostic = Diagnostic::new(
                Code::GatewayDuplicateRoute,
                format!(
                    "gateway endpoints `{}` and `{}` both add a route for `{service}` to {noun} {}",
                    earlier_ep.common.shown(),
                    later_ep.common.shown(),
                    backticked_list(&tables)
                ),
            );
            for clash in &shared {
                diagnostic = diagnostic.with_label(
                    clash.later,
                    format!("a second route to `{service}`'s prefix list"),
                );
            }
            for clash in &shared {
                diagnostic = diagnostic.with_label(
                    clash.earlier,
                    format!(
                        "`{}` already routes `{service}` here",
                        earlier_ep.common.address
                    ),
                );
            }
            cx.report(diagnostic.with_help(format!(
                "keep one gateway endpoint for `{service}` per route table: remove {} from `{}`, or remove that endpoint",
                backticked_list(
                    &shared
                        .iter()
                        .map(|c| model.route_tables[c.table].common.address.as_str())
                        .collect::<Vec<_>>()
                ),
                later_ep.common.address
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    const HEAD: &str = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

route_table "a" { vpc = vpc.main }

route_table "b" { vpc = vpc.main }
"#;

    #[test]
    fn one_finding_per_pair_at_the_later_endpoint() {
        let hcl = format!(
            r#"{HEAD}
endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.a, route_table.b]
}}

endpoint "s3_again" {{
  type         = "gateway"
  service      = "com.amazonaws.eu-west-1.s3"
  vpc          = vpc.main
  route_tables = [route_table.b, route_table.a]
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), [("V303", 20)]);
    }

    #[test]
    fn each_later_endpoint_is_reported() {
        let hcl = format!(
            r#"{HEAD}
endpoint "one" {{
  type         = "gateway"
  service      = "dynamodb"
  vpc          = vpc.main
  route_tables = [route_table.a]
}}

endpoint "two" {{
  type         = "gateway"
  service      = "dynamodb"
  vpc          = vpc.main
  route_tables = [route_table.a]
}}

endpoint "three" {{
  type         = "gateway"
  service      = "dynamodb"
  vpc          = vpc.main
  route_tables = [route_table.a]
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), [("V303", 20), ("V303", 27)]);
    }

    #[test]
    fn different_services_or_tables_pass() {
        let hcl = format!(
            r#"{HEAD}
endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.a]
}}

endpoint "dynamodb" {{
  type         = "gateway"
  service      = "dynamodb"
  vpc          = vpc.main
  route_tables = [route_table.a]
}}

endpoint "s3_b" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.b]
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), []);
    }
}
