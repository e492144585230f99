# A consumer, as the architecture diagram shows one (not part of the templates):
# an interface endpoint in its own VPC, with the service's private DNS name, in
# the AZs the provider's load balancer serves.

vpc "consumer" {
  cidr          = "10.20.0.0/16"
  dns_hostnames = true
}

route_table "consumer" {
  vpc = vpc.consumer
}

subnet "consumer_a" {
  vpc         = vpc.consumer
  az          = "use1-az1"
  cidr        = "10.20.1.0/24"
  route_table = route_table.consumer
}

subnet "consumer_b" {
  vpc         = vpc.consumer
  az          = "use1-az2"
  cidr        = "10.20.2.0/24"
  route_table = route_table.consumer
}

security_group "saas_endpoint" {
  vpc = vpc.consumer
  ingress {
    description = "HTTPS to the SaaS from the consumer VPC"
    protocol    = "tcp"
    ports       = 443
    cidrs       = [vpc.consumer.cidr]
  }
}

endpoint "saas" {
  type            = "interface"
  service         = endpoint_service.saas
  vpc             = vpc.consumer
  subnets         = [subnet.consumer_a, subnet.consumer_b]
  security_groups = [security_group.saas_endpoint]
  private_dns     = true
}

expect "consumer_a_reaches_saas_privately" {
  from    = subnet.consumer_a
  to      = endpoint_service.saas
  private = true
}

expect "consumer_b_reaches_saas_privately" {
  from    = subnet.consumer_b
  to      = endpoint_service.saas
  private = true
}

expect "consumer_has_no_internet" {
  from      = subnet.consumer_a
  to        = "internet"
  reachable = false
}
