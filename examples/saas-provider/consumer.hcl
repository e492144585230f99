# ---------------------------------------------------------------------------
# Consumer VPC
# ---------------------------------------------------------------------------
# Private only: no internet gateway, no NAT. The API is reached through an
# interface endpoint with one ENI in each of the three AZs the provider's load
# balancer serves. (The CIDRs could even overlap the provider's: PrivateLink
# does not route between the two VPCs, it only exposes the endpoint ENIs.)

# DNS hostnames on, so the endpoint can take private DNS for api.example.com.
vpc "consumer" {
  cidr          = "10.40.0.0/16"
  dns_support   = true
  dns_hostnames = true
  tags = {
    Name = "saas-consumer"
  }
}

route_table "private" {
  vpc = vpc.consumer
  tags = {
    Name = "saas-consumer-rt-private"
  }
}

# Application subnets, one /20 per AZ.

subnet "app_a" {
  vpc         = vpc.consumer
  az          = "euc1-az1"
  cidr        = "10.40.0.0/20"
  route_table = route_table.private
}

subnet "app_b" {
  vpc         = vpc.consumer
  az          = "euc1-az2"
  cidr        = "10.40.16.0/20"
  route_table = route_table.private
}

subnet "app_c" {
  vpc         = vpc.consumer
  az          = "euc1-az3"
  cidr        = "10.40.32.0/20"
  route_table = route_table.private
}

# Endpoint subnets, one /24 per AZ, in the same AZ IDs as the provider's
# load balancer.

subnet "endpoints_a" {
  vpc         = vpc.consumer
  az          = "euc1-az1"
  cidr        = "10.40.128.0/24"
  route_table = route_table.private
}

subnet "endpoints_b" {
  vpc         = vpc.consumer
  az          = "euc1-az2"
  cidr        = "10.40.129.0/24"
  route_table = route_table.private
}

subnet "endpoints_c" {
  vpc         = vpc.consumer
  az          = "euc1-az3"
  cidr        = "10.40.130.0/24"
  route_table = route_table.private
}

# The API is served on 443; admit it from the whole consumer VPC.
security_group "api_endpoint" {
  vpc = vpc.consumer
  ingress {
    description = "HTTPS to the SaaS API from the consumer VPC"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.consumer.cidr]
  }

  tags = {
    Name = "saas-consumer-sg-api-endpoint"
  }
}

# Interface endpoint to the local endpoint service. Private DNS is off by
# default for non-AWS services; it is switched on so api.example.com resolves
# to the endpoint's ENIs inside this VPC.
endpoint "api" {
  type            = "interface"
  service         = endpoint_service.api
  vpc             = vpc.consumer
  subnets         = [subnet.endpoints_a, subnet.endpoints_b, subnet.endpoints_c]
  security_groups = [security_group.api_endpoint]
  private_dns     = true
  tags = {
    Name = "saas-consumer-vpce-api"
  }
}
