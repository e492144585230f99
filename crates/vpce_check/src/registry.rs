//! The single list of rules, sorted by code. Adding a rule is one file and one line here.

use crate::{rules::*, Rule};

pub static RULES: &[&dyn Rule] = &[
    &language::LogicalIdCollision,
    &language::InvalidName,
    &language::InvalidRegion,
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
    &policy::PolicyInvalid,
    &policy::PolicyTooLarge,
    &policy::PolicyStatementInvalid,
    &policy::PolicyForeignAction,
    &policy::PolicyFullAccess,
    &policy::PolicyUnsupported,
    &availability::SingleAzEndpoint,
    &availability::EndpointAzGap,
    &availability::GatewayRouteGap,
    &availability::EndpointQuota,
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use vpce_diagnostics::Code;

    use super::RULES;
    use crate::FRONT_END_CODES;

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

    /// Every V1xx and V2xx code is either reported by the front end or has exactly one
    /// rule; no rule reports a front-end code.
    #[test]
    fn every_language_and_network_code_is_covered_once() {
        let ruled: BTreeSet<Code> = RULES.iter().map(|r| r.code()).collect();
        for code in Code::ALL.iter().filter(|c| c.as_str() < "V300") {
            let front = FRONT_END_CODES.contains(code);
            assert!(
                front ^ ruled.contains(code),
                "{code} must be covered exactly once"
            );
        }
    }
}
