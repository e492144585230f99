# Hybrid access to AWS services over private connectivity, in us-east-1.
#
# Two on-premises networks reach the VPC: the data centre over Direct Connect
# and the branch offices over Site-to-Site VPN. They use AWS services (S3,
# Systems Manager, Secrets Manager, STS) through interface endpoints in the
# VPC, never over the internet. Workloads inside the VPC reach S3 through a
# free gateway endpoint instead.
#
# On-premises DNS: forward *.amazonaws.com to a Route 53 Resolver inbound
# endpoint in this VPC (not declared here) so that on-premises clients get the
# interface endpoints' private addresses.

region = "us-east-1"

default_tags = {
  Project   = "hybrid-connectivity"
  ManagedBy = "vpce"
}

# ---------------------------------------------------------------------------
# On-premises address space. Kept in variables so the remote networks and the
# security group rules below can never disagree.
# ---------------------------------------------------------------------------

variable "datacenter_cidrs" {
  type        = list(string)
  default     = ["172.20.0.0/16"]
  description = "Data centre ranges, reaching the VPC over Direct Connect"
}

variable "branch_cidrs" {
  type        = list(string)
  default     = ["192.168.0.0/20", "192.168.16.0/20"]
  description = "Branch office ranges, reaching the VPC over Site-to-Site VPN"
}

locals {
  vpc_cidr = "10.50.0.0/16"
}

# ---------------------------------------------------------------------------
# VPC
# ---------------------------------------------------------------------------

# DNS support and hostnames, both required for private DNS on the endpoints.
vpc "hub" {
  cidr          = local.vpc_cidr
  dns_support   = true
  dns_hostnames = true
  tags = {
    Name = "hybrid-hub"
  }
}

# ---------------------------------------------------------------------------
# Traffic arriving from outside the VPC
# ---------------------------------------------------------------------------
# Gateway endpoints cannot serve these networks (their prefix-list routes only
# apply to traffic that starts inside the VPC), so everything they use goes
# through interface endpoints.

#
# Both arrive through the hub's existing virtual private gateway (the Direct
# Connect private virtual interface and the VPN connections attach to it).
# Replies from the endpoints go back through it: the endpoint subnets' route
# table has a route to each remote network (network.hcl), which vpce writes
# with the gateway's id.

remote_network "datacenter" {
  vpc     = vpc.hub
  via     = "direct_connect"
  cidrs   = var.datacenter_cidrs
  gateway = "vgw-0a1b2c3d4e5f67890"
}

remote_network "branches" {
  vpc     = vpc.hub
  via     = "vpn"
  cidrs   = var.branch_cidrs
  gateway = "vgw-0a1b2c3d4e5f67890"
}
