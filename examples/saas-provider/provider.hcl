# ---------------------------------------------------------------------------
# Provider VPC
# ---------------------------------------------------------------------------
# The API servers sit behind an internal network load balancer enabled in
# three AZs. Consumers can only place endpoint ENIs in AZs the load balancer
# serves, so it spans every AZ (by AZ ID) a customer is likely to use.

vpc "provider" {
  cidr = "10.30.0.0/16"
  tags = {
    Name = "saas-provider"
  }
}

# Subnets for the load balancer nodes and the API servers behind them. They
# stay on the VPC's main route table: local route only, the API answers
# PrivateLink traffic and needs no internet path.

subnet "api_a" {
  vpc  = vpc.provider
  az   = "euc1-az1"
  cidr = "10.30.0.0/20"
  tags = {
    Name = "saas-provider-api-euc1-az1"
  }
}

subnet "api_b" {
  vpc  = vpc.provider
  az   = "euc1-az2"
  cidr = "10.30.16.0/20"
  tags = {
    Name = "saas-provider-api-euc1-az2"
  }
}

subnet "api_c" {
  vpc  = vpc.provider
  az   = "euc1-az3"
  cidr = "10.30.32.0/20"
  tags = {
    Name = "saas-provider-api-euc1-az3"
  }
}

load_balancer "api" {
  type            = "network"
  subnets         = [subnet.api_a, subnet.api_b, subnet.api_c]
  security_groups = [security_group.api_nlb]
  tags = {
    Name = "saas-api-nlb"
  }
  # HTTPS on 443, passed through as TCP to the API servers' 8443 (they hold the
  # certificate): one server per AZ.
  listener {
    port        = 443
    protocol    = "TCP"
    target_port = 8443
    targets = [
      cidrhost(subnet.api_a.cidr, 10),
      cidrhost(subnet.api_b.cidr, 10),
      cidrhost(subnet.api_c.cidr, 10),
    ]
  }
}

# The load balancer's own group: PrivateLink traffic arrives from the load
# balancer's private addresses in the provider VPC.
security_group "api_nlb" {
  vpc         = vpc.provider
  description = "SaaS API load balancer"
  ingress {
    description = "HTTPS through the endpoint service"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.provider.cidr]
  }
}

# The endpoint service.
#   - allowed_principals: only these accounts may connect: our own (for the
#     consumer VPC below) and two customers.
#   - acceptance_required = false: their connections are accepted at once, so
#     the consumer endpoint below can have private DNS from its creation (with
#     acceptance required, private DNS must wait for the acceptance, V411).
#   - private_dns_name: consumers with private DNS on their endpoint call
#     https://api.example.com as they would on the internet. AWS publishes the
#     name only after a TXT record proves we own example.com.
endpoint_service "api" {
  load_balancers      = [load_balancer.api]
  acceptance_required = false
  allowed_principals = [
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::444455556666:root",
    "arn:aws:iam::777788889999:root",
  ]
  private_dns_name = "api.example.com"
  tags = {
    Name = "saas-api"
  }
}
