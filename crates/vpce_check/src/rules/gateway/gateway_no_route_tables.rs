use std::collections::BTreeMap;

use indexmap::IndexSet;
use vpce_diagnostics::{Code, Diagnostic};
use vpce_model::{Id, RouteTable, Vpc};

use super::{backticked_list, gateway_endpoints, unsupported, written_empty};
use crate::{Rule, RuleCx};

/// V304: a gateway endpoint with no route tables, which no traffic can use.
///
/// A gateway endpoint works only through the prefix-list route AWS adds to each table
/// of `route_tables` (CloudFormation `RouteTableIds`: "Routing is supported only for
/// gateway endpoints", AWS-FACTS §1.1, §3.4 C10). With none, AWS creates the endpoint
/// and nothing reaches it: traffic for the service keeps its old path (the internet or
/// NAT gateway, or nowhere). Reported when `route_tables` is missing or `[]`; a list
/// whose items failed to resolve was already reported. Existing endpoints (`id`) are
/// skipped: their route tables are AWS's, not necessarily described here. Endpoints
/// whose service has no gateway endpoints are V300's.
///
/// AWS: <https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html>.
pub struct GatewayNoRouteTables;

impl Rule for GatewayNoRouteTables {
    fn code(&self) -> Code {
        Code::GatewayNoRouteTables
    }

    fn check(&self, cx: &mut RuleCx<'_>) {
        let model = cx.model;
        // The tables that subnets of each VPC use, in source order: the likely fix.
        let mut used: BTreeMap<Id<Vpc>, IndexSet<Id<RouteTable>>> = BTreeMap::new();
        for (_, subnet) in model.subnets.iter() {
            let (Some(vpc), Some(table)) = (subnet.vpc, &subnet.route_table) else {
                continue;
            };
            used.entry(vpc).or_default().insert(table.value);
        }
        for (_, endpoint) in gateway_endpoints(model) {
            let common = &endpoint.common;
            if !endpoint.route_tables.is_empty()
                || common.is_existing()
                || common.is_rejected("route_tables")
                || unsupported(endpoint)
            {
                continue;
            }
            let (span, label) = if written_empty(common, "route_tables") {
                (
                    common.value_span_or_header("route_tables"),
                    "no route tables",
                )
            } else if common.value_span("route_tables").is_none() {
                (common.header, "no `route_tables`")
            } else {
                continue;
            };
            let candidates: Vec<String> = endpoint
                .vpc
                .and_then(|vpc| used.get(&vpc))
                .map(|tables| {
                    tables
                        .iter()
                        .map(|t| model.route_tables[*t].common.address.clone())
                        .collect()
                })
                .unwrap_or_default();
            let help = if candidates.is_empty() {
                "list the route tables of the subnets that should use it in `route_tables`"
                    .to_string()
            } else {
                format!(
                    "list the route tables of the subnets that should use it in `route_tables`: the VPC's subnets use {}",
                    backticked_list(&candidates)
                )
            };
            cx.report(
                Diagnostic::new(
                    Code::GatewayNoRouteTables,
                    format!(
                        "gateway endpoint `{}` has no route tables, so no traffic uses it",
                        common.shown()
                    ),
                )
                .with_label(span, label)
                .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::codes_and_lines;

    const HEAD: &str = r#"region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

route_table "private" { vpc = vpc.main }
"#;

    #[test]
    fn missing_or_empty_route_tables() {
        let hcl = format!(
            r#"{HEAD}
endpoint "s3" {{
  type    = "gateway"
  service = "s3"
  vpc     = vpc.main
}}

endpoint "dynamodb" {{
  type         = "gateway"
  service      = "dynamodb"
  vpc          = vpc.main
  route_tables = []
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), [("V304", 7), ("V304", 17)]);
    }

    #[test]
    fn unresolved_tables_and_existing_endpoints_are_skipped() {
        let hcl = format!(
            r#"{HEAD}
endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.nope]
}}

endpoint "dynamodb" {{
  id      = "vpce-0123456789abcdef0"
  type    = "gateway"
  service = "dynamodb"
  vpc     = vpc.main
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), [("V105", 11)]);
    }

    #[test]
    fn route_tables_pass() {
        let hcl = format!(
            r#"{HEAD}
endpoint "s3" {{
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}}
"#
        );
        assert_eq!(codes_and_lines(&hcl), []);
    }
}
