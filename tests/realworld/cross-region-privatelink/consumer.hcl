# ---------------------------------------------------------------------------
# Service consumer, ap-southeast-1 (service_consumer.tf, sg.tf)
# ---------------------------------------------------------------------------

vpc "consumer" {
  region        = "ap-southeast-1"
  cidr          = "30.0.0.0/16"
  dns_support   = true
  dns_hostnames = true
  tags = {
    Name = "consumer-app"
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

subnet "consumer_public" {
  for_each = {
    "apse1-az1" = "30.0.64.0/19"
    "apse1-az2" = "30.0.96.0/19"
  }
  vpc         = vpc.consumer
  az          = each.key
  cidr        = each.value
  route_table = route_table.consumer_public
}

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
    "apse1-az1" = "30.0.0.0/19"
    "apse1-az2" = "30.0.32.0/19"
  }
  vpc         = vpc.consumer
  az          = each.key
  cidr        = each.value
  route_table = route_table.consumer_private
}

# module "vpc_endpoint_sg": HTTP from the consumer VPC.
security_group "vpc_endpoint" {
  vpc = vpc.consumer
  ingress {
    description = "HTTP from the consumer VPC"
    protocol    = "tcp"
    ports       = 80
    cidrs       = [vpc.consumer.cidr]
  }
}

# The endpoint service lives in us-east-1: a cross-region interface endpoint.
endpoint "app" {
  type            = "interface"
  service         = endpoint_service.app
  service_region  = "us-east-1"
  vpc             = vpc.consumer
  subnets         = [subnet.consumer_private["apse1-az1"], subnet.consumer_private["apse1-az2"]]
  security_groups = [security_group.vpc_endpoint]
}

# The Lambda function in the consumer's private subnets calls the service
# through the endpoint.
expect "consumer_a_reaches_app_privately" {
  from    = subnet.consumer_private["apse1-az1"]
  to      = endpoint_service.app
  private = true
}

expect "consumer_b_reaches_app_privately" {
  from    = subnet.consumer_private["apse1-az2"]
  to      = endpoint_service.app
  private = true
}

# The test Lambda function's VPC_ENDPOINT_DNS: the endpoint's DNS names (the function
# takes the first, the regional name).
output "vpc_endpoint_dns" {
  description = "DNS names of the consumer's endpoint to the service"
  value       = endpoint.app.dns_names
}
