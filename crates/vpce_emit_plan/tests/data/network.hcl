# A VPC with every verdict: public through an internet gateway, public through a NAT
# gateway, private through interface and gateway endpoints, and unreachable.

region = "us-east-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

internet_gateway "main" { vpc = vpc.main }

route_table "public" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }
}

route_table "private" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.a
  }
}

subnet "public_a" {
  vpc         = vpc.main
  az          = "use1-az1"
  cidr        = "10.0.0.0/28"
  route_table = route_table.public
}

subnet "app_a" {
  vpc         = vpc.main
  az          = "use1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}

subnet "app_b" {
  vpc         = vpc.main
  az          = "use1-az2"
  cidr        = "10.0.2.0/24"
  route_table = route_table.private
}

subnet "isolated" {
  vpc         = vpc.main
  az          = "use1-az2"
  cidr        = "10.0.3.0/24"
  route_table = route_table.isolated
}

route_table "isolated" {
  vpc = vpc.main
}

nat_gateway "a" {
  subnet     = subnet.public_a
  private_ip = "10.0.0.5"
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = [vpc.main.cidr]
  }
}

endpoint "ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.public_a, subnet.app_b]
  security_groups = [security_group.endpoints]
}

endpoint "kms" {
  type            = "interface"
  service         = "kms"
  vpc             = vpc.main
  subnets         = [subnet.public_a, subnet.app_b]
  security_groups = [security_group.endpoints]
}

load_balancer "api" {
  type    = "network"
  subnets = [subnet.app_a, subnet.app_b]
}

endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private, route_table.public, route_table.isolated]
}

expect "app_reaches_ssm_privately" {
  from    = subnet.app_a
  to      = "ssm"
  private = true
}

expect "app_reaches_the_internet_through_nat" {
  from = subnet.app_b
  to   = "internet"
}

expect "isolated_has_no_internet" {
  from      = subnet.isolated
  to        = "internet"
  reachable = false
}
