# ---------------------------------------------------------------------------
# Egress VPC (EgressVpcNatGw.yaml), template defaults
# ---------------------------------------------------------------------------

vpc "egress" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

internet_gateway "egress" {
  vpc = vpc.egress
}

# Public subnets: NAT gateways; the local route goes through the GWLB endpoint.
route_table "public_1" {
  vpc = vpc.egress
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.egress
  }
  # The sample replaces the local route's target (10.0.0.0/16 -> GWLB endpoint) with a
  # Lambda custom resource; CloudFormation cannot, so each application subnet's return
  # traffic is routed through the endpoint instead (more specific than the local route).
  route {
    destination = "10.0.21.0/24"
    target      = endpoint.gwlbe_1
  }
  route {
    destination = "10.0.22.0/24"
    target      = endpoint.gwlbe_1
  }
}

route_table "public_2" {
  vpc = vpc.egress
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.egress
  }
  # The sample replaces the local route's target (10.0.0.0/16 -> GWLB endpoint) with a
  # Lambda custom resource; CloudFormation cannot, so each application subnet's return
  # traffic is routed through the endpoint instead (more specific than the local route).
  route {
    destination = "10.0.21.0/24"
    target      = endpoint.gwlbe_2
  }
  route {
    destination = "10.0.22.0/24"
    target      = endpoint.gwlbe_2
  }
}

subnet "public_1" {
  vpc         = vpc.egress
  az          = "use1-az1"
  cidr        = "10.0.11.0/24"
  route_table = route_table.public_1
}

subnet "public_2" {
  vpc         = vpc.egress
  az          = "use1-az2"
  cidr        = "10.0.12.0/24"
  route_table = route_table.public_2
}

nat_gateway "nat_1" {
  subnet = subnet.public_1
}

nat_gateway "nat_2" {
  subnet = subnet.public_2
}

# GWLB endpoint subnets: on to the NAT gateway of the same AZ.
route_table "gwlbe_1" {
  vpc = vpc.egress
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.nat_1
  }
}

route_table "gwlbe_2" {
  vpc = vpc.egress
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.nat_2
  }
}

subnet "gwlbe_1" {
  vpc         = vpc.egress
  az          = "use1-az1"
  cidr        = "10.0.10.0/28"
  route_table = route_table.gwlbe_1
}

subnet "gwlbe_2" {
  vpc         = vpc.egress
  az          = "use1-az2"
  cidr        = "10.0.10.16/28"
  route_table = route_table.gwlbe_2
}

endpoint "gwlbe_1" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.egress
  subnets = [subnet.gwlbe_1]
}

endpoint "gwlbe_2" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.egress
  subnets = [subnet.gwlbe_2]
}

# Application subnets: everything outside the VPC through the GWLB endpoint.
route_table "application_1" {
  vpc = vpc.egress
  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_1
  }
}

route_table "application_2" {
  vpc = vpc.egress
  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_2
  }
}

subnet "application_1" {
  vpc         = vpc.egress
  az          = "use1-az1"
  cidr        = "10.0.21.0/24"
  route_table = route_table.application_1
}

subnet "application_2" {
  vpc         = vpc.egress
  az          = "use1-az2"
  cidr        = "10.0.22.0/24"
  route_table = route_table.application_2
}

security_group "application" {
  vpc = vpc.egress
  ingress {
    description = "Everything from inside the VPC"
    protocol    = "-1"
    cidrs       = [vpc.egress.cidr]
  }
}

# The application servers reach the internet through the appliances and the
# NAT gateway of their AZ.
expect "application_1_reaches_internet" {
  from = subnet.application_1
  to   = "internet"
}

expect "application_2_reaches_internet" {
  from = subnet.application_2
  to   = "internet"
}
