//! The table of every rule code. It mirrors `docs/rule-catalogue.md` row for row (a test
//! compares them); codes are a public contract and are never reused.

use std::fmt;

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Shown only with `--verbose`.
    Info,
    Warning,
    /// Compilation fails.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $name:literal, $severity:ident;)*) => {
        /// A rule: `V` plus three digits, the hundreds digit naming the area.
        #[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, sorted.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// `"V203"`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The kebab-case name, `"subnet-overlap"`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    SyntaxError = "V100", "syntax-error", Error;
    UnknownBlock = "V101", "unknown-block", Error;
    UnknownAttribute = "V102", "unknown-attribute", Error;
    MissingAttribute = "V103", "missing-attribute", Error;
    TypeMismatch = "V104", "type-mismatch", Error;
    UnresolvedReference = "V105", "unresolved-reference", Error;
    WrongReferenceKind = "V106", "wrong-reference-kind", Error;
    DuplicateName = "V107", "duplicate-name", Error;
    InvalidValue = "V108", "invalid-value", Error;
    MissingVariable = "V109", "missing-variable", Error;
    Cycle = "V110", "cycle", Error;
    LogicalIdCollision = "V111", "logical-id-collision", Error;
    FileAccess = "V112", "file-access", Error;
    InvalidName = "V113", "invalid-name", Error;
    InvalidRegion = "V114", "invalid-region", Error;
    ValueTooLarge = "V115", "value-too-large", Error;
    InvalidForEach = "V116", "invalid-for-each", Error;
    InvalidModule = "V117", "invalid-module", Error;
    KnownAfterDeploy = "V118", "known-after-deploy", Error;
    ResourceTooLarge = "V119", "resource-too-large", Error;
    InvalidCidr = "V200", "invalid-cidr", Error;
    CidrSize = "V201", "cidr-size", Error;
    SubnetOutsideVpc = "V202", "subnet-outside-vpc", Error;
    SubnetOverlap = "V203", "subnet-overlap", Error;
    AzRegionMismatch = "V204", "az-region-mismatch", Error;
    AzNameNotId = "V205", "az-name-not-id", Warning;
    CrossVpcReference = "V206", "cross-vpc-reference", Error;
    Ipv6WithoutVpcIpv6 = "V207", "ipv6-without-vpc-ipv6", Error;
    DuplicateRoute = "V208", "duplicate-route", Error;
    RouteOverlapsLocal = "V209", "route-overlaps-local", Error;
    ReservedAddress = "V210", "reserved-address", Error;
    SubnetExhausted = "V211", "subnet-exhausted", Error;
    SecurityGroupRuleQuota = "V212", "security-group-rule-quota", Warning;
    GatewayUnsupportedService = "V300", "gateway-unsupported-service", Error;
    GatewayInvalidAttribute = "V301", "gateway-invalid-attribute", Error;
    GatewayCrossRegion = "V302", "gateway-cross-region", Error;
    GatewayDuplicateRoute = "V303", "gateway-duplicate-route", Error;
    GatewayNoRouteTables = "V304", "gateway-no-route-tables", Warning;
    GatewayRemoteAccess = "V305", "gateway-remote-access", Error;
    InterfaceNoSubnets = "V400", "interface-no-subnets", Warning;
    InterfaceMultipleSubnetsPerAz = "V401", "interface-multiple-subnets-per-az", Error;
    PrivateDnsNeedsVpcDns = "V402", "private-dns-needs-vpc-dns", Error;
    PrivateDnsConflict = "V403", "private-dns-conflict", Error;
    IpTypeNeedsIpv6 = "V404", "ip-type-needs-ipv6", Error;
    UnknownService = "V405", "unknown-service", Error;
    EndpointUnreachableSg = "V406", "endpoint-unreachable-sg", Warning;
    InboundResolverNeedsGateway = "V407", "inbound-resolver-needs-gateway", Error;
    CrossRegionNotAllowed = "V408", "cross-region-not-allowed", Error;
    InterfaceInvalidAttribute = "V409", "interface-invalid-attribute", Error;
    PrivateDnsWithoutName = "V410", "private-dns-without-name", Error;
    PrivateDnsBeforeAcceptance = "V411", "private-dns-before-acceptance", Error;
    ServiceNotInCatalogue = "V412", "service-not-in-catalogue", Warning;
    GwlbOneSubnet = "V500", "gwlb-one-subnet", Error;
    GwlbServiceType = "V501", "gwlb-service-type", Error;
    GwlbSameSubnet = "V502", "gwlb-same-subnet", Error;
    GwlbRoutingLoop = "V503", "gwlb-routing-loop", Error;
    RouteTargetNotGwlb = "V504", "route-target-not-gwlb", Error;
    GwlbInvalidAttribute = "V505", "gwlb-invalid-attribute", Error;
    GwlbCrossAz = "V506", "gwlb-cross-az", Warning;
    ServiceLoadBalancerMix = "V600", "service-load-balancer-mix", Error;
    InvalidPrincipal = "V601", "invalid-principal", Error;
    OpenService = "V602", "open-service", Warning;
    ServiceAzMismatch = "V603", "service-az-mismatch", Error;
    ServiceIpTypeMismatch = "V604", "service-ip-type-mismatch", Error;
    ServicePrivateDns = "V605", "service-private-dns", Error;
    ServiceRegions = "V606", "service-regions", Error;
    AcceptancePending = "V607", "acceptance-pending", Warning;
    LoadBalancerShared = "V608", "load-balancer-shared", Error;
    ServiceIpv6NeedsDualstack = "V609", "service-ipv6-needs-dualstack", Error;
    ListenerInvalid = "V610", "listener-invalid", Error;
    PolicyInvalid = "V700", "policy-invalid", Error;
    PolicyTooLarge = "V701", "policy-too-large", Error;
    PolicyStatementInvalid = "V702", "policy-statement-invalid", Error;
    PolicyForeignAction = "V703", "policy-foreign-action", Warning;
    PolicyFullAccess = "V704", "policy-full-access", Info;
    PolicyUnsupported = "V705", "policy-unsupported", Error;
    PolicyDeniesAll = "V706", "policy-denies-all", Warning;
    SingleAzEndpoint = "V800", "single-az-endpoint", Warning;
    EndpointAzGap = "V801", "endpoint-az-gap", Warning;
    GatewayRouteGap = "V802", "gateway-route-gap", Warning;
    EndpointQuota = "V803", "endpoint-quota", Warning;
    ExpectUnreachable = "V900", "expect-unreachable", Error;
    ExpectNotPrivate = "V901", "expect-not-private", Error;
    ExpectReachable = "V902", "expect-reachable", Error;
    ExpectNeedsEndpointDns = "V903", "expect-needs-endpoint-dns", Warning;
    ReplacementDnsConflict = "V950", "replacement-dns-conflict", Warning;
    ReplacementRouteConflict = "V951", "replacement-route-conflict", Warning;
    DestructiveChange = "V952", "destructive-change", Info;
}

/// The rule documentation pages, `docs/rules/VNNN-name.md`, embedded by `build.rs`.
mod pages {
    include!(concat!(env!("OUT_DIR"), "/rule_pages.rs"));
}

impl Code {
    /// Look a code up by its code (`V203`, any case) or its name (`subnet-overlap`).
    pub fn lookup(query: &str) -> Option<Code> {
        let query = query.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(query) || c.name() == query)
    }

    /// The documentation page, if it has been written.
    pub fn doc_page(self) -> Option<&'static str> {
        pages::PAGES
            .iter()
            .find(|(code, _)| *code == self.as_str())
            .map(|(_, page)| *page)
    }

    /// Relative path of the documentation page in the repository.
    pub fn doc_path(self) -> String {
        format!("docs/rules/{}-{}.md", self.as_str(), self.name())
    }

    /// The area the code belongs to, from its hundreds digit.
    pub fn area(self) -> &'static str {
        match self.as_str().as_bytes()[1] {
            b'1' => "language",
            b'2' => "network",
            b'3' => "gateway endpoints",
            b'4' => "interface endpoints",
            b'5' => "gateway load balancer endpoints",
            b'6' => "endpoint services",
            b'7' => "endpoint policies",
            b'8' => "availability",
            _ if self.as_str() >= "V950" => "plan",
            _ => "expectations",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_and_unique() {
        for pair in Code::ALL.windows(2) {
            assert!(pair[0].as_str() < pair[1].as_str(), "{:?}", pair);
        }
    }

    #[test]
    fn lookup_by_code_or_name() {
        assert_eq!(Code::lookup("v203"), Some(Code::SubnetOverlap));
        assert_eq!(Code::lookup("subnet-overlap"), Some(Code::SubnetOverlap));
        assert_eq!(Code::lookup("V999"), None);
    }

    /// The table mirrors the project's catalogue, `docs/rule-catalogue.md`, row for row.
    #[test]
    fn table_mirrors_the_catalogue() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rule-catalogue.md");
        let catalogue = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut rows = Vec::new();
        for line in catalogue.lines() {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.len() > 4 && cells[1].len() == 4 && cells[1].starts_with('V') {
                let severity = match cells[3] {
                    "E" => Severity::Error,
                    "W" => Severity::Warning,
                    "I" => Severity::Info,
                    other => panic!("unknown severity {other}"),
                };
                rows.push((cells[1].to_string(), cells[2].to_string(), severity));
            }
        }
        let table: Vec<_> = Code::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str().to_string(),
                    c.name().to_string(),
                    c.default_severity(),
                )
            })
            .collect();
        assert_eq!(table, rows);
    }
}
