# ---------------------------------------------------------------------------
# Appliance (security) VPC
# ---------------------------------------------------------------------------
# Hosts the firewall appliances behind a gateway load balancer. The GWLB is
# enabled in the same two AZs (by AZ ID) as the workload VPC's GWLB endpoints:
# an endpoint can only be placed in an AZ the load balancer serves.

vpc "security" {
  cidr = "10.100.0.0/16"
  tags = {
    Name = "security-appliances"
  }
}

# No routes beyond the local one: traffic arrives and leaves through the GWLB
# (GENEVE between the load balancer and the appliances), never through a
# gateway of this VPC.
route_table "appliances" {
  vpc = vpc.security
  tags = {
    Name = "security-rt-appliances"
  }
}

subnet "appliance_a" {
  vpc         = vpc.security
  az          = "euw1-az1"
  cidr        = "10.100.1.0/24"
  route_table = route_table.appliances
  tags = {
    Name = "security-appliances-euw1-az1"
  }
}

subnet "appliance_b" {
  vpc         = vpc.security
  az          = "euw1-az2"
  cidr        = "10.100.2.0/24"
  route_table = route_table.appliances
  tags = {
    Name = "security-appliances-euw1-az2"
  }
}

# The gateway load balancer: one node per AZ, in the appliance subnets.
load_balancer "firewall" {
  type    = "gateway"
  subnets = [subnet.appliance_a, subnet.appliance_b]
  tags = {
    Name = "firewall-gwlb"
  }
  # Its one listener: GENEVE on 6081 to the appliances, one per AZ.
  listener {
    targets = [
      cidrhost(subnet.appliance_a.cidr, 10),
      cidrhost(subnet.appliance_b.cidr, 10),
    ]
  }
}

# The endpoint service that workload VPCs connect to with GWLB endpoints.
# Only the listed accounts may connect. Connections are accepted automatically:
# both sides are in this configuration, and no CloudFormation resource can
# accept a pending connection, so with `acceptance_required = true` the
# endpoints would stay `pendingAcceptance` and carry nothing (V607) until the
# owner ran `aws ec2 accept-vpc-endpoint-connections`. No private DNS name:
# that is for network load balancer services only; GWLB endpoints are route
# targets, not DNS names.
endpoint_service "inspection" {
  load_balancers      = [load_balancer.firewall]
  acceptance_required = false
  allowed_principals  = ["arn:aws:iam::111122223333:root"]
  tags = {
    Name = "firewall-inspection"
  }
}
