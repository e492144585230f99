# ---------------------------------------------------------------------------
# S3, two ways
# ---------------------------------------------------------------------------
# In the VPC: the gateway endpoint (free, no ENIs, no per-GB charge).
# From on-premises: the interface endpoint (gateway endpoints cannot serve
# traffic that enters the VPC over VPN or Direct Connect).
#
# `private_dns_only_for_inbound_resolver = true` splits DNS between the two:
# queries arriving through a Route 53 Resolver inbound endpoint (on-premises)
# get the interface endpoint's private addresses, while queries from inside
# the VPC keep resolving to S3's public addresses, which the gateway endpoint
# route then carries privately. AWS only accepts the flag when the VPC has a
# gateway endpoint for S3, which it has.

endpoint "s3_gateway" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.hub
  route_tables = [route_table.app, route_table.endpoints]
  tags = {
    Name = "hybrid-hub-vpce-s3-gateway"
  }
}

endpoint "s3_interface" {
  type                                  = "interface"
  service                               = "s3"
  vpc                                   = vpc.hub
  subnets                               = [subnet.endpoints_a, subnet.endpoints_b, subnet.endpoints_c]
  security_groups                       = [security_group.endpoints]
  private_dns                           = true
  private_dns_only_for_inbound_resolver = true
  tags = {
    Name = "hybrid-hub-vpce-s3-interface"
  }
}

# ---------------------------------------------------------------------------
# Other AWS APIs used from on-premises and from the VPC
# ---------------------------------------------------------------------------
# One ENI per AZ in the endpoint subnets, TCP 443 from the VPC and on-premises,
# private DNS on so the standard service names resolve to the endpoints.

# Systems Manager for hybrid-activated on-premises servers: the ssm,
# ssmmessages and ec2messages trio (registration, Session Manager, Run Command).
endpoint "ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.hub
  subnets         = [subnet.endpoints_a, subnet.endpoints_b, subnet.endpoints_c]
  security_groups = [security_group.endpoints]
  private_dns     = true
  tags = {
    Name = "hybrid-hub-vpce-ssm"
  }
}

endpoint "ssmmessages" {
  type            = "interface"
  service         = "ssmmessages"
  vpc             = vpc.hub
  subnets         = [subnet.endpoints_a, subnet.endpoints_b, subnet.endpoints_c]
  security_groups = [security_group.endpoints]
  private_dns     = true
  tags = {
    Name = "hybrid-hub-vpce-ssmmessages"
  }
}

endpoint "ec2messages" {
  type            = "interface"
  service         = "ec2messages"
  vpc             = vpc.hub
  subnets         = [subnet.endpoints_a, subnet.endpoints_b, subnet.endpoints_c]
  security_groups = [security_group.endpoints]
  private_dns     = true
  tags = {
    Name = "hybrid-hub-vpce-ec2messages"
  }
}

endpoint "secretsmanager" {
  type            = "interface"
  service         = "secretsmanager"
  vpc             = vpc.hub
  subnets         = [subnet.endpoints_a, subnet.endpoints_b, subnet.endpoints_c]
  security_groups = [security_group.endpoints]
  private_dns     = true
  tags = {
    Name = "hybrid-hub-vpce-secretsmanager"
  }
}

# Regional STS, for on-premises jobs that assume IAM roles (CI runners,
# batch scripts) without going over the internet.
endpoint "sts" {
  type            = "interface"
  service         = "sts"
  vpc             = vpc.hub
  subnets         = [subnet.endpoints_a, subnet.endpoints_b, subnet.endpoints_c]
  security_groups = [security_group.endpoints]
  private_dns     = true
  tags = {
    Name = "hybrid-hub-vpce-sts"
  }
}
