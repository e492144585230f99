# ---------------------------------------------------------------------------
# Provider: us-east-1
# ---------------------------------------------------------------------------

vpc "provider" {
  cidr = "10.50.0.0/16"
}

subnet "nlb_a" {
  vpc  = vpc.provider
  az   = "use1-az1"
  cidr = "10.50.0.0/24"
}

subnet "nlb_b" {
  vpc  = vpc.provider
  az   = "use1-az2"
  cidr = "10.50.1.0/24"
}

load_balancer "orders" {
  type    = "network"
  subnets = [subnet.nlb_a, subnet.nlb_b]
  # The orders API: HTTPS passed through to one server per AZ.
  listener {
    port     = 443
    protocol = "TCP"
    targets  = [cidrhost(subnet.nlb_a.cidr, 10), cidrhost(subnet.nlb_b.cidr, 10)]
  }
}

# Only this account may connect, and connections are accepted at once: the
# consumer below is ours. `supported_regions` opens the service to eu-west-1.
endpoint_service "orders" {
  load_balancers      = [load_balancer.orders]
  acceptance_required = false
  allowed_principals  = ["arn:aws:iam::111122223333:root"]
  supported_regions   = ["us-east-1", "eu-west-1"]
}
