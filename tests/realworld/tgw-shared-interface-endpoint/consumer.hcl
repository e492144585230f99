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

subnet "consumer_public_1" {
  vpc         = vpc.consumer
  az          = "apse1-az1"
  cidr        = "20.0.1.0/24"
  route_table = route_table.consumer_public
}

subnet "consumer_public_2" {
  vpc         = vpc.consumer
  az          = "apse1-az2"
  cidr        = "20.0.2.0/24"
  route_table = route_table.consumer_public
}

# single_nat_gateway = true
nat_gateway "consumer" {
  subnet = subnet.consumer_public_1
}

route_table "consumer_private" {
  vpc = vpc.consumer
  route {
    destination = "0.0.0.0/0"
    target      = nat_gateway.consumer
  }
}

subnet "consumer_private_1" {
  vpc         = vpc.consumer
  az          = "apse1-az1"
  cidr        = "20.0.11.0/24"
  route_table = route_table.consumer_private
}

subnet "consumer_private_2" {
  vpc         = vpc.consumer
  az          = "apse1-az2"
  cidr        = "20.0.12.0/24"
  route_table = route_table.consumer_private
}
