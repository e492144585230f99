# ---------------------------------------------------------------------------
# VPC
# ---------------------------------------------------------------------------

# Private DNS on interface endpoints needs both VPC DNS attributes. DNS support
# is on by default; hostnames are off by default for non-default VPCs, so it is
# switched on here. Both are written out so nobody has to remember the defaults.
vpc "main" {
  cidr          = local.vpc_cidr
  dns_support   = true
  dns_hostnames = true
  tags = {
    Name = "${var.env}-platform-vpc"
  }
}

# ---------------------------------------------------------------------------
# Route tables
# ---------------------------------------------------------------------------
# Neither table has a default route: there is no internet gateway or NAT in
# this VPC. Besides the implicit local route, each one gets the S3 prefix-list
# route from the gateway endpoint in endpoints.hcl.

# Application subnets, all three AZs.
route_table "app" {
  vpc = vpc.main
  tags = {
    Name = "${var.env}-platform-rt-app"
  }
}

# Endpoint subnets. Endpoint ENIs only answer traffic, but the table still
# carries the S3 route so that every subnet of the VPC reaches S3 the same way.
route_table "endpoints" {
  vpc = vpc.main
  tags = {
    Name = "${var.env}-platform-rt-endpoints"
  }
}

# ---------------------------------------------------------------------------
# Application subnets: one /20 per AZ (4,091 usable addresses each)
# ---------------------------------------------------------------------------
# AZs are given by AZ ID, not by name: eu-west-1a is a different physical zone
# in each account, euw1-az1 is the same one everywhere.

subnet "app_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.20.0.0/20"
  route_table = route_table.app
  tags = {
    Name = "${var.env}-platform-app-euw1-az1"
  }
}

subnet "app_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.20.16.0/20"
  route_table = route_table.app
  tags = {
    Name = "${var.env}-platform-app-euw1-az2"
  }
}

subnet "app_c" {
  vpc         = vpc.main
  az          = "euw1-az3"
  cidr        = "10.20.32.0/20"
  route_table = route_table.app
  tags = {
    Name = "${var.env}-platform-app-euw1-az3"
  }
}

# ---------------------------------------------------------------------------
# Endpoint subnets: one /24 per AZ (251 usable addresses each)
# ---------------------------------------------------------------------------
# Interface endpoints get subnets of their own so their ENIs never compete
# with workloads for addresses. Each endpoint below puts one ENI in each of
# these subnets: 9 ENIs per subnet today, room for many more services.

subnet "endpoints_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.20.128.0/24"
  route_table = route_table.endpoints
  tags = {
    Name = "${var.env}-platform-endpoints-euw1-az1"
  }
}

subnet "endpoints_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.20.129.0/24"
  route_table = route_table.endpoints
  tags = {
    Name = "${var.env}-platform-endpoints-euw1-az2"
  }
}

subnet "endpoints_c" {
  vpc         = vpc.main
  az          = "euw1-az3"
  cidr        = "10.20.130.0/24"
  route_table = route_table.endpoints
  tags = {
    Name = "${var.env}-platform-endpoints-euw1-az3"
  }
}

# ---------------------------------------------------------------------------
# Security group for the interface endpoints
# ---------------------------------------------------------------------------
# AWS APIs are HTTPS only, so the endpoints admit TCP 443 from anywhere in the
# VPC and nothing else. Egress keeps the default (all traffic): endpoint ENIs
# only reply, and replies are allowed by connection tracking anyway.
security_group "endpoints" {
  vpc = vpc.main
  ingress {
    description = "HTTPS to AWS APIs from the whole VPC"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.main.cidr]
  }

  tags = {
    Name = "${var.env}-platform-sg-endpoints"
  }
}
