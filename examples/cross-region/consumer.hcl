# ---------------------------------------------------------------------------
# Consumer: eu-west-1
# ---------------------------------------------------------------------------
# Private only: no internet gateway, no NAT.

vpc "consumer" {
  region        = "eu-west-1"
  cidr          = "10.60.0.0/16"
  dns_hostnames = true
}

route_table "private" {
  vpc = vpc.consumer
}

subnet "app_a" {
  vpc         = vpc.consumer
  az          = "euw1-az1"
  cidr        = "10.60.0.0/24"
  route_table = route_table.private
}

subnet "app_b" {
  vpc         = vpc.consumer
  az          = "euw1-az2"
  cidr        = "10.60.1.0/24"
  route_table = route_table.private
}

security_group "orders_endpoint" {
  vpc = vpc.consumer
  ingress {
    description = "HTTPS to the orders API from the consumer VPC"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.consumer.cidr]
  }
}

# The endpoint lives in eu-west-1 and names the provider's Region.
endpoint "orders" {
  type            = "interface"
  service         = endpoint_service.orders
  service_region  = "us-east-1"
  vpc             = vpc.consumer
  subnets         = [subnet.app_a, subnet.app_b]
  security_groups = [security_group.orders_endpoint]
}
