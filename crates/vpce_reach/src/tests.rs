//! One network with every kind of path, and a test per verdict.

use super::*;

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

route_table "isolated" { vpc = vpc.main }

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
}

endpoint_service "inspection" { load_balancers = [load_balancer.appliances] }

endpoint "firewall" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.main
  subnets = [subnet.firewall]
}

remote_network "office" {
  vpc   = vpc.main
  via   = "vpn"
  cidrs = ["192.168.0.0/16"]
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
