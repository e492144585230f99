# Routes back to remote networks through each kind of existing gateway.
region = "eu-west-1"

vpc "hub" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

route_table "endpoints" {
  vpc = vpc.hub
  route {
    destination = "172.16.0.0/16"
    target      = remote_network.campus
  }
  route {
    destination = "192.168.0.0/20"
    target      = remote_network.branch
  }
  route {
    destination = "10.20.0.0/16"
    target      = remote_network.partner
  }
}

subnet "endpoints_a" {
  vpc         = vpc.hub
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.endpoints
}

subnet "endpoints_b" {
  vpc         = vpc.hub
  az          = "euw1-az2"
  cidr        = "10.0.2.0/24"
  route_table = route_table.endpoints
}

security_group "endpoints" {
  vpc = vpc.hub
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = [vpc.hub.cidr, "172.16.0.0/16", "192.168.0.0/20", "10.20.0.0/16"]
  }
}

endpoint "ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.hub
  subnets         = [subnet.endpoints_a, subnet.endpoints_b]
  security_groups = [security_group.endpoints]
}

remote_network "campus" {
  vpc     = vpc.hub
  via     = "transit_gateway"
  cidrs   = ["172.16.0.0/16"]
  gateway = "tgw-0123456789abcdef0"
}

remote_network "branch" {
  vpc     = vpc.hub
  via     = "vpn"
  cidrs   = ["192.168.0.0/20"]
  gateway = "vgw-0123456789abcdef0"
}

remote_network "partner" {
  vpc     = vpc.hub
  via     = "peering"
  cidrs   = ["10.20.0.0/16"]
  gateway = "pcx-0123456789abcdef0"
}

expect "campus_reaches_ssm" {
  from    = remote_network.campus
  to      = "ssm"
  private = true
}

expect "branch_reaches_ssm" {
  from    = remote_network.branch
  to      = "ssm"
  private = true
}

expect "partner_reaches_ssm" {
  from    = remote_network.partner
  to      = "ssm"
  private = true
}
