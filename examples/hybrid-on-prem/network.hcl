# ---------------------------------------------------------------------------
# Route tables
# ---------------------------------------------------------------------------
# No internet gateway, no NAT. Both tables carry the S3 gateway endpoint's
# prefix-list route (see endpoints.hcl), so every subnet reaches S3 the same
# way. Routes back to on-premises are propagated by the virtual private
# gateway / Direct Connect gateway and are not part of this configuration.

route_table "app" {
  vpc = vpc.hub
  tags = {
    Name = "hybrid-hub-rt-app"
  }
}

# Replies to on-premises clients leave the endpoints by this table: one
# route per remote range, through the remote network's gateway.
route_table "endpoints" {
  vpc = vpc.hub
  route {
    destination = var.datacenter_cidrs[0]
    target      = remote_network.datacenter
  }

  route {
    destination = var.branch_cidrs[0]
    target      = remote_network.branches
  }

  route {
    destination = var.branch_cidrs[1]
    target      = remote_network.branches
  }

  tags = {
    Name = "hybrid-hub-rt-endpoints"
  }
}

# ---------------------------------------------------------------------------
# Application subnets: one /20 per AZ
# ---------------------------------------------------------------------------
# AZ IDs, not names. use1-az3 is left out on purpose: it is a constrained
# zone where some services offer no endpoint.

subnet "app_a" {
  vpc         = vpc.hub
  az          = "use1-az1"
  cidr        = "10.50.0.0/20"
  route_table = route_table.app
}

subnet "app_b" {
  vpc         = vpc.hub
  az          = "use1-az2"
  cidr        = "10.50.16.0/20"
  route_table = route_table.app
}

subnet "app_c" {
  vpc         = vpc.hub
  az          = "use1-az4"
  cidr        = "10.50.32.0/20"
  route_table = route_table.app
}

# ---------------------------------------------------------------------------
# Endpoint subnets: one /24 per AZ, nothing else lives here
# ---------------------------------------------------------------------------
# On-premises firewalls can allow 10.50.128.0/22 (room for a fourth AZ) as
# "AWS APIs" and nothing else of the VPC.

subnet "endpoints_a" {
  vpc         = vpc.hub
  az          = "use1-az1"
  cidr        = "10.50.128.0/24"
  route_table = route_table.endpoints
}

subnet "endpoints_b" {
  vpc         = vpc.hub
  az          = "use1-az2"
  cidr        = "10.50.129.0/24"
  route_table = route_table.endpoints
}

subnet "endpoints_c" {
  vpc         = vpc.hub
  az          = "use1-az4"
  cidr        = "10.50.130.0/24"
  route_table = route_table.endpoints
}

# ---------------------------------------------------------------------------
# Security group for the interface endpoints: HTTPS from the VPC and from
# both on-premises networks, nothing else.
# ---------------------------------------------------------------------------

security_group "endpoints" {
  vpc = vpc.hub

  ingress {
    description = "HTTPS from workloads in the VPC"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.hub.cidr]
  }

  ingress {
    description = "HTTPS from the data centre over Direct Connect"
    protocol    = "tcp"
    ports       = 443
    cidrs       = var.datacenter_cidrs
  }

  ingress {
    description = "HTTPS from the branch offices over VPN"
    protocol    = "tcp"
    ports       = 443
    cidrs       = var.branch_cidrs
  }

  tags = {
    Name = "hybrid-hub-sg-endpoints"
  }
}
