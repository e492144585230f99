//! One network with every kind of path, and a test per verdict.

use super::*;

/// One query on a fresh index (the stages build one `Network` for all their queries).
fn reach(model: &Model, source: Source, destination: &Destination) -> Reach {
    Network::new(model).reach(source, destination)
}

const NETWORK: &str = r#"
region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

internet_gateway "igw" { vpc = vpc.main }

route_table "public" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.igw
  }
}

route_table "nat" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.a
  }
}

route_table "isolated" {
  vpc = vpc.main
  route {
    destination = "192.168.0.0/16"
    target      = remote_network.office
  }
}

route_table "inspected" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = endpoint.firewall
  }
}

subnet "public" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.0.0/24"
  route_table = route_table.public
}

subnet "private" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.nat
}

subnet "isolated" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.2.0/24"
  route_table = route_table.isolated
}

subnet "inspected" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.3.0/24"
  route_table = route_table.inspected
}

subnet "firewall" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.4.0/24"
  route_table = route_table.public
}

nat_gateway "a" { subnet = subnet.public }

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = ["10.0.0.0/16", "192.168.0.0/16"]
  }
}

endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.isolated]
}

endpoint "ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.isolated]
  security_groups = [security_group.endpoints]
}

load_balancer "appliances" {
  type    = "gateway"
  subnets = [subnet.firewall]
  listener {}
}

endpoint_service "inspection" {
  load_balancers      = [load_balancer.appliances]
  acceptance_required = false
}

endpoint "firewall" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.main
  subnets = [subnet.firewall]
}

remote_network "office" {
  vpc     = vpc.main
  via     = "vpn"
  cidrs   = ["192.168.0.0/16"]
  gateway = "vgw-0123456789abcdef0"
}
"#;

fn path(from: &str, to: Destination) -> (Reach, Model) {
    let outcome = vpce_driver::check_text(NETWORK);
    let model = outcome.model;
    let source = match model.subnets.get(from) {
        Some((id, _)) => Source::Subnet(id),
        None => Source::Remote(model.remote_networks.get(from).expect("a source").0),
    };
    (reach(&model, source, &to), model)
}

fn service(name: &str) -> Destination {
    Destination::Service(name.into())
}

fn via(model: &Model, reach: &Reach) -> Vec<String> {
    reach.via.iter().map(|o| model.address(*o)).collect()
}

#[test]
fn private_through_a_gateway_endpoint() {
    let (reach, model) = path("isolated", service("s3"));
    assert_eq!(reach.verdict, Verdict::Private);
    assert_eq!(via(&model, &reach), ["endpoint.s3"]);
}

#[test]
fn private_through_an_interface_endpoint() {
    let (reach, model) = path("public", service("ssm"));
    assert_eq!(reach.verdict, Verdict::Private);
    assert_eq!(via(&model, &reach), ["endpoint.ssm"]);
}

#[test]
fn public_through_a_nat_gateway() {
    let (reach, model) = path("private", service("s3"));
    assert_eq!(
        reach.verdict,
        Verdict::Public,
        "the gateway endpoint is not on this table"
    );
    assert_eq!(
        via(&model, &reach),
        ["nat_gateway.a", "internet_gateway.igw"]
    );
}

#[test]
fn public_through_an_internet_gateway() {
    let (reach, model) = path("public", Destination::Internet);
    assert_eq!(reach.verdict, Verdict::Public);
    assert_eq!(via(&model, &reach), ["internet_gateway.igw"]);
}

#[test]
fn unreachable_without_a_route() {
    let (reach, _) = path("isolated", Destination::Internet);
    assert_eq!(reach.verdict, Verdict::Unreachable);
    assert!(reach.reason.contains("no route"), "{}", reach.reason);
    let (reach, _) = path("isolated", service("sts"));
    assert_eq!(reach.verdict, Verdict::Unreachable);
}

#[test]
fn remote_network_through_an_interface_endpoint() {
    let (reach, model) = path("office", service("ssm"));
    assert_eq!(reach.verdict, Verdict::Private);
    assert_eq!(via(&model, &reach), ["endpoint.ssm"]);
}

#[test]
fn remote_network_refused_by_a_gateway_endpoint() {
    let (reach, _) = path("office", service("s3"));
    assert_eq!(reach.verdict, Verdict::Unreachable);
    assert!(
        reach.reason.contains("gateway endpoint"),
        "{}",
        reach.reason
    );
}

#[test]
fn inspection_through_a_gateway_load_balancer_endpoint() {
    let (reach, model) = path("inspected", Destination::Internet);
    assert_eq!(reach.verdict, Verdict::Public);
    assert_eq!(
        via(&model, &reach),
        ["endpoint.firewall", "internet_gateway.igw"]
    );
    assert!(reach.reason.starts_with("inspected by `endpoint.firewall`"));
}

#[test]
fn security_groups_that_do_not_admit_the_source_block_the_endpoint() {
    let text = NETWORK.replace("\"10.0.0.0/16\", \"192.168.0.0/16\"", "\"10.0.2.0/24\"");
    let model = vpce_driver::check_text(&text).model;
    let (public, _) = model.subnets.get("public").unwrap();
    let reach = reach(&model, Source::Subnet(public), &service("ssm"));
    assert_eq!(reach.verdict, Verdict::Unreachable);
    assert!(reach.reason.contains("443"), "{}", reach.reason);
}

#[test]
fn private_dns_off_leaves_only_the_endpoint_name() {
    let text = NETWORK.replace(
        "  security_groups = [security_group.endpoints]\n}",
        "  security_groups = [security_group.endpoints]\n  private_dns     = false\n}",
    );
    let model = vpce_driver::check_text(&text).model;
    let (public, _) = model.subnets.get("public").unwrap();
    let reach = reach(&model, Source::Subnet(public), &service("ssm"));
    assert_eq!(
        reach.verdict,
        Verdict::Public,
        "the service's name resolves to public addresses"
    );
    assert!(reach.endpoint_dns_only.is_some());
}

fn model_of(text: &str) -> Model {
    let outcome = vpce_driver::check_text(text);
    assert!(
        outcome.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        outcome.diagnostics
    );
    outcome.model
}

fn from_subnet(model: &Model, name: &str, to: &Destination) -> Reach {
    reach(
        model,
        Source::Subnet(model.subnets.get(name).unwrap().0),
        to,
    )
}

#[test]
fn pending_until_the_service_owner_accepts() {
    let text = NETWORK.replace("  acceptance_required = false\n", "");
    let model = model_of(&text);
    for to in [
        Destination::Internet,
        Destination::EndpointService(model.endpoint_services.get("inspection").unwrap().0),
    ] {
        let reach = from_subnet(&model, "inspected", &to);
        assert_eq!(reach.verdict, Verdict::Pending, "{to:?}");
        assert_eq!(via(&model, &reach), ["endpoint.firewall"]);
        assert!(
            reach
                .reason
                .contains("owner of `endpoint_service.inspection`")
                && reach
                    .reason
                    .contains("aws ec2 accept-vpc-endpoint-connections"),
            "{}",
            reach.reason
        );
        assert!(reach.awaiting.is_some());
    }
}

#[test]
fn denied_by_a_policy_that_allows_nothing_of_the_service() {
    let text = NETWORK.replace(
        "  route_tables = [route_table.isolated]\n}",
        "  route_tables = [route_table.isolated]\n  policy = { Statement = [{ Effect = \"Allow\", Principal = \"*\", Action = \"dynamodb:*\", Resource = \"*\" }] }\n}",
    );
    let model = model_of(&text);
    let reach = from_subnet(&model, "isolated", &service("s3"));
    assert_eq!(reach.verdict, Verdict::Denied);
    assert_eq!(via(&model, &reach), ["endpoint.s3"]);
    assert!(
        reach.reason.contains("allows no action of `s3`"),
        "{}",
        reach.reason
    );
}

#[test]
fn unknown_for_an_existing_subnet_without_a_described_route_table() {
    let text = format!(
        "{NETWORK}\nsubnet \"legacy\" {{\n  id   = \"subnet-0123456789abcdef0\"\n  vpc  = vpc.main\n  az   = \"euw1-az1\"\n  cidr = \"10.0.9.0/24\"\n}}\n"
    );
    let model = model_of(&text);
    for to in [Destination::Internet, service("s3"), service("sts")] {
        let reach = from_subnet(&model, "legacy", &to);
        assert_eq!(reach.verdict, Verdict::Unknown, "{to:?}");
        assert!(
            reach.reason.contains("route table is not described"),
            "{}",
            reach.reason
        );
    }
    // An interface endpoint with private DNS is reached by the local route: known.
    let reach = from_subnet(&model, "legacy", &service("ssm"));
    assert_eq!(reach.verdict, Verdict::Private);
}

/// Two AZs, each with a GWLB endpoint and an application subnet routed to its own.
const TWO_AZ_INSPECTION: &str = r#"
region = "eu-west-1"

vpc "main" { cidr = "10.0.0.0/16" }

internet_gateway "igw" { vpc = vpc.main }

route_table "edge" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.igw
  }
}

route_table "app_a" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_a
  }
}

route_table "app_b" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_b
  }
}

subnet "inspection_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.0.0/28"
  route_table = route_table.edge
}

subnet "inspection_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.0.16/28"
  route_table = route_table.edge
}

subnet "app_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.app_a
}

subnet "app_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.2.0/24"
  route_table = route_table.app_b
}

load_balancer "appliances" {
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/fw/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}

endpoint_service "inspection" {
  load_balancers      = [load_balancer.appliances]
  acceptance_required = false
}

endpoint "gwlbe_a" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.main
  subnets = [subnet.inspection_a]
}

endpoint "gwlbe_b" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.main
  subnets = [subnet.inspection_b]
}
"#;

#[test]
fn a_gateway_load_balancer_path_uses_the_endpoint_the_route_targets() {
    let model = model_of(TWO_AZ_INSPECTION);
    let service =
        Destination::EndpointService(model.endpoint_services.get("inspection").unwrap().0);
    for (subnet, endpoint) in [("app_a", "endpoint.gwlbe_a"), ("app_b", "endpoint.gwlbe_b")] {
        let reach = from_subnet(&model, subnet, &service);
        assert_eq!(reach.verdict, Verdict::Private, "{subnet}");
        assert_eq!(via(&model, &reach), [endpoint], "{subnet}");
    }
    // The inspection subnets route nothing to an endpoint of the service.
    let reach = from_subnet(&model, "inspection_b", &service);
    assert_eq!(reach.verdict, Verdict::Unreachable);
}

#[test]
fn a_remote_network_needs_a_route_back_from_the_endpoint_subnets() {
    // The endpoint's subnet `isolated` routes 192.168.0.0/16 to the office: replies get back.
    let (routed, _) = path("office", service("ssm"));
    assert_eq!(routed.verdict, Verdict::Private);
    // Without that route, they do not.
    let text = NETWORK.replace(
        "  route {\n    destination = \"192.168.0.0/16\"\n    target      = remote_network.office\n  }\n",
        "",
    );
    let model = model_of(&text);
    let office = Source::Remote(model.remote_networks.get("office").unwrap().0);
    let reach = reach(&model, office, &service("ssm"));
    assert_eq!(reach.verdict, Verdict::Unreachable);
    assert!(
        reach.reason.contains("no route back")
            && reach.reason.contains("`remote_network.office`")
            && reach.reason.contains("`subnet.isolated`"),
        "{}",
        reach.reason
    );
}

/// An interface endpoint without subnets has no network interface: it carries nothing
/// (V400), so the path goes as if it were not there.
#[test]
fn an_interface_endpoint_without_subnets_serves_no_one() {
    let text = format!(
        "{NETWORK}\nendpoint \"kms\" {{\n  type    = \"interface\"\n  service = \"kms\"\n  vpc     = vpc.main\n  subnets = []\n}}\n"
    );
    let model = vpce_driver::check_text(&text).model;
    let (from, _) = model.subnets.get("private").unwrap();
    let reach = reach(&model, Source::Subnet(from), &service("kms"));
    assert_eq!(reach.verdict, Verdict::Public, "{}", reach.reason);
    assert_eq!(
        via(&model, &reach),
        ["nat_gateway.a", "internet_gateway.igw"]
    );
}

/// A provider's network load balancer behind an endpoint service, and a consumer's
/// interface endpoint to it guarded by `security_group.endpoint` (`RULE` is its ingress).
const UDP_SERVICE: &str = r#"region = "eu-west-1"

vpc "provider" { cidr = "10.20.0.0/16" }

subnet "lb" {
  vpc  = vpc.provider
  az   = "euw1-az1"
  cidr = "10.20.1.0/24"
}

load_balancer "dns" {
  type    = "network"
  subnets = [subnet.lb]
LISTENERS}

endpoint_service "dns" {
  load_balancers      = [load_balancer.dns]
  acceptance_required = false
}

vpc "consumer" { cidr = "10.0.0.0/16" }

subnet "app" {
  vpc  = vpc.consumer
  az   = "euw1-az1"
  cidr = "10.0.1.0/24"
}

security_group "endpoint" {
  vpc = vpc.consumer
  ingress {
    protocol = "RULE"
    ports    = 53
    cidrs    = [vpc.consumer.cidr]
  }
}

endpoint "dns" {
  type            = "interface"
  service         = endpoint_service.dns
  vpc             = vpc.consumer
  subnets         = [subnet.app]
  security_groups = [security_group.endpoint]
}
"#;

fn udp_service(listeners: &str, rule: &str) -> Reach {
    let text = UDP_SERVICE
        .replace("LISTENERS", listeners)
        .replace("RULE", rule);
    let model = vpce_driver::check_text(&text).model;
    let service = model.endpoint_services.get("dns").unwrap().0;
    from_subnet(&model, "app", &Destination::EndpointService(service))
}

const UDP_53: &str = "  listener {\n    port     = 53\n    protocol = \"UDP\"\n  }\n";

#[test]
fn a_udp_service_is_judged_by_udp_rules() {
    assert_eq!(udp_service(UDP_53, "udp").verdict, Verdict::Private);
    let tcp_only = udp_service(UDP_53, "tcp");
    assert_eq!(tcp_only.verdict, Verdict::Unreachable);
    assert!(
        tcp_only.reason.contains("do not admit UDP 53"),
        "{}",
        tcp_only.reason
    );
    let both = UDP_53.replace("\"UDP\"", "\"TCP_UDP\"");
    assert_eq!(udp_service(&both, "tcp").verdict, Verdict::Private);
}

#[test]
fn a_service_without_listeners_is_reachable_by_nobody() {
    let reach = udp_service("", "udp");
    assert_eq!(reach.verdict, Verdict::Unreachable);
    assert_eq!(
        reach.reason,
        "`endpoint_service.dns` is reachable by nobody: its load balancers have no listener"
    );
}

/// `NETWORK` with `endpoint.ssm`'s private DNS off, and `extra` added to the endpoint.
fn ssm_without_private_dns(extra: &str) -> String {
    NETWORK.replace(
        "  security_groups = [security_group.endpoints]\n}",
        &format!(
            "  security_groups = [security_group.endpoints]\n  private_dns     = false\n{extra}}}"
        ),
    )
}

#[test]
fn private_dns_off_still_needs_the_route_back_to_a_remote_network() {
    // With the route back, only the endpoint's own name reaches it; the reason says why
    // the service's name does not (no "no interface endpoint": there is one).
    let model = model_of(&ssm_without_private_dns(""));
    let office = Source::Remote(model.remote_networks.get("office").unwrap().0);
    let path = reach(&model, office, &service("ssm"));
    assert_eq!(path.verdict, Verdict::Unreachable);
    assert!(path.endpoint_dns_only.is_some());
    assert_eq!(
        path.reason,
        "`ssm`'s name does not resolve to `endpoint.ssm`, whose private DNS is off"
    );

    // Without it, the endpoint's own name does not serve the office either.
    let text = ssm_without_private_dns("").replace(
        "  route {\n    destination = \"192.168.0.0/16\"\n    target      = remote_network.office\n  }\n",
        "",
    );
    let model = model_of(&text);
    let office = Source::Remote(model.remote_networks.get("office").unwrap().0);
    let path = reach(&model, office, &service("ssm"));
    assert_eq!(path.verdict, Verdict::Unreachable);
    assert!(path.endpoint_dns_only.is_none());
    assert!(path.reason.contains("no route back"), "{}", path.reason);
}

#[test]
fn private_dns_off_still_obeys_the_endpoint_policy() {
    let deny = "  policy = { Statement = [{ Effect = \"Allow\", Principal = \"*\", Action = \"dynamodb:*\", Resource = \"*\" }] }\n";
    let model = model_of(&ssm_without_private_dns(deny));
    let office = Source::Remote(model.remote_networks.get("office").unwrap().0);
    let path = reach(&model, office, &service("ssm"));
    assert_eq!(path.verdict, Verdict::Denied);
    assert!(path.endpoint_dns_only.is_none());
    assert_eq!(via(&model, &path), ["endpoint.ssm"]);
    // From a subnet whose usual path is the internet, the service's name still goes
    // there publicly.
    let public = from_subnet(&model, "public", &service("ssm"));
    assert_eq!(public.verdict, Verdict::Public, "{}", public.reason);
    assert!(public.endpoint_dns_only.is_none());
}
