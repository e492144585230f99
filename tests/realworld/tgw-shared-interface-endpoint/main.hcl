# A service shared across accounts through one interface endpoint: the central
# account publishes an internal network load balancer as an endpoint service,
# creates an interface endpoint to it (private DNS off) in its own VPC, and
# other accounts' VPCs reach that endpoint over a transit gateway, resolving
# the service's name through Route 53 Resolver. Translated from
# shashimal/centralized-vpc-endpoints (see SOURCE.md).

region = "ap-southeast-1"

# ---------------------------------------------------------------------------
# Central (service provider) account (service-provider-*.tf)
# ---------------------------------------------------------------------------

vpc "central" {
  cidr          = "10.0.0.0/16"
  dns_support   = true
  dns_hostnames = true
  tags = {
    Name = "service-provider-app-vpc"
  }
}

internet_gateway "central" {
  vpc = vpc.central
}

route_table "central_public" {
  vpc = vpc.central
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.central
  }
}

# The vpc module makes one subnet per AZ (`count` over `azs`) with the CIDRs of
# `local.service_provider_vpc_public_subnets` / `_private_subnets`: one block per tier, for each AZ.
subnet "central_public" {
  for_each = {
    "apse1-az1" = "10.0.1.0/24"
    "apse1-az2" = "10.0.2.0/24"
  }
  vpc         = vpc.central
  az          = each.key
  cidr        = each.value
  route_table = route_table.central_public
}

# single_nat_gateway = true
nat_gateway "central" {
  subnet = subnet.central_public["apse1-az1"]
}

route_table "central_private" {
  vpc = vpc.central
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.central
  }
  # aws_route "service_provider_to_consumer": the way back to the consumer VPC.
  route {
    destination = "20.0.0.0/16"
    target      = remote_network.consumer
  }
}

subnet "central_private" {
  for_each = {
    "apse1-az1" = "10.0.11.0/24"
    "apse1-az2" = "10.0.12.0/24"
  }
  vpc         = vpc.central
  az          = each.key
  cidr        = each.value
  route_table = route_table.central_private
}

# module "app_sg": HTTP and HTTPS from the central and consumer VPCs.
security_group "app" {
  vpc = vpc.central
  ingress {
    description = "HTTP from the central and consumer VPCs"
    protocol    = "tcp"
    ports       = 80
    cidrs       = [vpc.central.cidr, "20.0.0.0/16"]
  }
  ingress {
    description = "HTTPS from the central and consumer VPCs"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.central.cidr, "20.0.0.0/16"]
  }
}

load_balancer "app" {
  type    = "network"
  subnets = [subnet.central_private["apse1-az1"], subnet.central_private["apse1-az2"]]
  tags = {
    Name = "service-provider-app-nlb"
  }
  security_groups = [security_group.app]
  # listeners http_80 and https_443 (TLS, with the ACM certificate; its ARN is made
  # up), both to the nginx instance on 80: an IP target here (made-up address).
  listener {
    port     = 80
    protocol = "TCP"
    targets  = ["10.0.11.10"]
  }
  listener {
    port            = 443
    protocol        = "TLS"
    certificate_arn = "arn:aws:acm:ap-southeast-1:111122223333:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
    targets         = ["10.0.11.10"]
    target_port     = 80
  }
}

endpoint_service "app" {
  load_balancers      = [load_balancer.app]
  acceptance_required = false
  supported_regions   = ["ap-southeast-1"]
}

# The one interface endpoint every consumer account uses; private DNS off (the
# name is served by a private hosted zone shared through Route 53 profiles).
endpoint "shared" {
  type            = "interface"
  service         = endpoint_service.app
  vpc             = vpc.central
  subnets         = [subnet.central_private["apse1-az1"], subnet.central_private["apse1-az2"]]
  security_groups = [security_group.app]
  private_dns     = false
  tags = {
    Name = "Shared interface endpoint"
  }
}

# The consumer VPC, as the central VPC sees it: traffic arriving over the
# transit gateway.
remote_network "consumer" {
  vpc     = vpc.central
  via     = "transit_gateway"
  cidrs   = ["20.0.0.0/16"]
  gateway = "tgw-0123456789abcdef0"
}

# The design's intent: the consumer account reaches the service privately
# through the shared endpoint.
expect "consumer_reaches_app_privately" {
  from    = remote_network.consumer
  to      = endpoint_service.app
  private = true
}
