# ---------------------------------------------------------------------------
# Consumer account (consumer-vpc.tf)
# ---------------------------------------------------------------------------

vpc "consumer" {
  cidr          = "20.0.0.0/16"
  dns_support   = true
  dns_hostnames = true
  tags = {
    Name = "counsumer-app-vpc"
  }
}

internet_gateway "consumer" {
  vpc = vpc.consumer
}

route_table "consumer_public" {
  vpc = vpc.consumer
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.consumer
  }
}

# The vpc module makes one subnet per AZ (`count` over `azs`) with the CIDRs of
# `local.counsumer_vpc_public_subnets` / `_private_subnets`: one block per tier, for each AZ.
subnet "consumer_public" {
  for_each = {
    "apse1-az1" = "20.0.1.0/24"
    "apse1-az2" = "20.0.2.0/24"
  }
  vpc         = vpc.consumer
  az          = each.key
  cidr        = each.value
  route_table = route_table.consumer_public
}

# single_nat_gateway = true
nat_gateway "consumer" {
  subnet = subnet.consumer_public["apse1-az1"]
}

route_table "consumer_private" {
  vpc = vpc.consumer
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.consumer
  }
}

subnet "consumer_private" {
  for_each = {
    "apse1-az1" = "20.0.11.0/24"
    "apse1-az2" = "20.0.12.0/24"
  }
  vpc         = vpc.consumer
  az          = each.key
  cidr        = each.value
  route_table = route_table.consumer_private
}

