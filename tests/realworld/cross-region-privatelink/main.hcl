# Cross-region PrivateLink: a service behind an internal network load balancer
# in us-east-1, published as an endpoint service that supports ap-southeast-1,
# consumed by an interface endpoint in a VPC in ap-southeast-1 (service_region).
# Translated from shashimal/terraform-privatelink-cross-region-connectivity
# (see SOURCE.md).

region = "us-east-1"

# ---------------------------------------------------------------------------
# Service provider, us-east-1 (service_provider.tf, modules/vpc)
# ---------------------------------------------------------------------------

vpc "provider" {
  cidr          = "20.0.0.0/16"
  dns_support   = true
  dns_hostnames = true
  tags = {
    Name = "private-app-service"
  }
}

internet_gateway "provider" {
  vpc = vpc.provider
}

route_table "provider_public" {
  vpc = vpc.provider
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.provider
  }
}

# The vpc module makes one subnet per AZ of `azs` (`count`), with the CIDRs of
# `public_subnets` / `private_subnets`: here one block per tier, for each AZ.
subnet "provider_public" {
  for_each = {
    "use1-az1" = "20.0.64.0/19"
    "use1-az2" = "20.0.96.0/19"
  }
  vpc         = vpc.provider
  az          = each.key
  cidr        = each.value
  route_table = route_table.provider_public
}

# single_nat_gateway = true: one NAT gateway, in the first public subnet.
nat_gateway "provider" {
  subnet = subnet.provider_public["use1-az1"]
}

route_table "provider_private" {
  vpc = vpc.provider
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.provider
  }
}

subnet "provider_private" {
  for_each = {
    "use1-az1" = "20.0.0.0/19"
    "use1-az2" = "20.0.32.0/19"
  }
  vpc         = vpc.provider
  az          = each.key
  cidr        = each.value
  route_table = route_table.provider_private
}

# modules/service_provider/nlb.tf: internal NLB in the private subnets.
load_balancer "app" {
  type    = "network"
  subnets = [subnet.provider_private["use1-az1"], subnet.provider_private["use1-az2"]]
  tags = {
    Name = "app-service-nlb"
  }
  # listeners "ex-one": TCP 80 to the app instance (an instance target in the
  # source; its private address, made up, is the IP target here).
  listener {
    port     = 80
    protocol = "TCP"
    targets  = ["20.0.0.10"]
  }
}

# modules/service_provider/vpce.tf
endpoint_service "app" {
  load_balancers      = [load_balancer.app]
  acceptance_required = false
  supported_regions   = ["ap-southeast-1", "us-east-1"]
}

# modules/service_provider/outputs.tf: what the consumer's endpoint names.
output "endpoint_service_name" {
  description = "Endpoint service name"
  value       = endpoint_service.app.service_name
}
