//! The single list of rules, sorted by code. Adding a rule is one file and one line here.

use crate::{rules::*, Rule};

pub static RULES: &[&dyn Rule] = &[
    &language::LogicalIdCollision,
    &language::InvalidName,
    &language::InvalidRegion,
    &language::ResourceTooLarge,
    &network::InvalidCidr,
    &network::CidrSize,
    &network::SubnetOutsideVpc,
    &network::SubnetOverlap,
    &network::AzRegionMismatch,
    &network::AzNameNotId,
    &network::CrossVpcReference,
    &network::Ipv6WithoutVpcIpv6,
    &network::DuplicateRoute,
    &network::RouteOverlapsLocal,
    &network::ReservedAddress,
    &network::SubnetExhausted,
    &network::SecurityGroupRuleQuota,
    &gateway::GatewayUnsupportedService,
    &gateway::GatewayInvalidAttribute,
    &gateway::GatewayCrossRegion,
    &gateway::GatewayDuplicateRoute,
    &gateway::GatewayNoRouteTables,
    &gateway::GatewayRemoteAccess,
    &interface::InterfaceNoSubnets,
    &interface::InterfaceMultipleSubnetsPerAz,
    &interface::PrivateDnsNeedsVpcDns,
    &interface::PrivateDnsConflict,
    &interface::IpTypeNeedsIpv6,
    &interface::UnknownService,
    &interface::EndpointUnreachableSg,
    &interface::InboundResolverNeedsGateway,
    &interface::CrossRegionNotAllowed,
    &interface::InterfaceInvalidAttribute,
    &interface::PrivateDnsWithoutName,
    &interface::PrivateDnsBeforeAcceptance,
    &interface::ServiceNotInCatalogue,
    &gwlb::GwlbOneSubnet,
    &gwlb::GwlbServiceType,
    &gwlb::GwlbSameSubnet,
    &gwlb::GwlbRoutingLoop,
    &gwlb::RouteTargetNotGwlb,
    &gwlb::GwlbInvalidAttribute,
    &gwlb::GwlbCrossAz,
    &endpoint_service::ServiceLoadBalancerMix,
    &endpoint_service::InvalidPrincipal,
    &endpoint_service::OpenService,
    &endpoint_service::ServiceAzMismatch,
    &endpoint_service::ServiceIpTypeMismatch,
    &endpoint_service::ServicePrivateDns,
    &endpoint_service::ServiceRegions,
    &endpoint_service::AcceptancePending,
    &endpoint_service::LoadBalancerShared,
    &endpoint_service::ServiceIpv6NeedsDualstack,
    &endpoint_service::ListenerInvalid,
    &policy::PolicyInvalid,
    &policy::PolicyTooLarge,
    &policy::PolicyStatementInvalid,
    &policy::PolicyForeignAction,
    &policy::PolicyFullAccess,
    &policy::PolicyUnsupported,
    &policy::PolicyDeniesAll,
    &availability::SingleAzEndpoint,
    &availability::EndpointAzGap,
    &availability::GatewayRouteGap,
    &availability::EndpointQuota,
    &expect::ExpectUnreachable,
    &expect::ExpectNotPrivate,
    &expect::ExpectReachable,
    &expect::ExpectNeedsEndpointDns,
];

/// `docs/rules/README.md`: every code with its name, severity and area, linked to its
/// page when vpce checks it. Generated from the code table and this registry.
pub fn rules_index() -> String {
    use vpce_diagnostics::Code;
    let checked = |code: Code| !crate::PLANNED_CODES.contains(&code);
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the code table and the rule registry: \
         `UPDATE_DOCS=1 cargo test -p vpce_check`. -->\n\n\
         `vpce explain CODE` prints a rule's page. Severity: an error fails the check, a \
         warning fails it under `--deny warnings`, an info is shown with `--verbose`.\n\n\
         | code | name | severity | area |\n|---|---|---|---|\n",
    );
    for code in Code::ALL.iter().copied() {
        let name = if checked(code) {
            format!("[{}]({}-{}.md)", code.name(), code.as_str(), code.name())
        } else {
            format!("{} (planned)", code.name())
        };
        out.push_str(&format!(
            "| {} | {name} | {} | {} |\n",
            code.as_str(),
            code.default_severity(),
            code.area()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use vpce_diagnostics::Code;

    use super::RULES;
    use crate::{rules_index, FRONT_END_CODES, PLANNED_CODES};

    /// `docs/rules/README.md` is generated; regenerate with `UPDATE_DOCS=1`.
    #[test]
    fn docs_index_is_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules/README.md");
        let fresh = rules_index();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{path} is stale: run `UPDATE_DOCS=1 cargo test -p vpce_check`"
        );
    }

    #[test]
    fn rules_are_sorted_by_code_and_unique() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code() < pair[1].code(),
                "{} before {}",
                pair[0].code(),
                pair[1].code()
            );
        }
    }

    /// Every code below V950 is reported by the front end, or has exactly one rule, or
    /// is planned: exactly one of the three. (V95x come from `plan`.)
    #[test]
    fn every_code_up_to_availability_is_covered_once() {
        let ruled: BTreeSet<Code> = RULES.iter().map(|r| r.code()).collect();
        for code in Code::ALL.iter().filter(|c| c.as_str() < "V950") {
            let covered = [
                FRONT_END_CODES.contains(code),
                ruled.contains(code),
                PLANNED_CODES.contains(code),
            ];
            assert_eq!(
                covered.iter().filter(|c| **c).count(),
                1,
                "{code} must be front end, one rule, or planned: {covered:?}"
            );
        }
    }
}
