# What AWS delivers, verdict by verdict: GWLB inspection whose endpoints await
# acceptance (pending, each subnet through the endpoint its route targets), an SQS
# endpoint whose policy allows nothing (denied), an existing subnet whose route table
# is not described (unknown), and an office whose replies have no route back.
region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

internet_gateway "main" { vpc = vpc.main }

route_table "edge" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = internet_gateway.main
  }
}

route_table "app_a" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_a
  }
}

route_table "app_b" {
  vpc = vpc.main
  route {
    destination = "0.0.0.0/0"
    target      = endpoint.gwlbe_b
  }
}

subnet "inspection_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.0.0/28"
  route_table = route_table.edge
}

subnet "inspection_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.0.16/28"
  route_table = route_table.edge
}

subnet "app_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.app_a
}

subnet "app_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.2.0/24"
  route_table = route_table.app_b
}

subnet "legacy" {
  id   = "subnet-0123456789abcdef0"
  vpc  = vpc.main
  az   = "euw1-az1"
  cidr = "10.0.9.0/24"
}

load_balancer "firewall" {
  type = "gateway"
  arn  = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/gwy/firewall/0123456789abcdef"
  azs  = ["euw1-az1", "euw1-az2"]
}

endpoint_service "inspection" {
  load_balancers      = [load_balancer.firewall]
  acceptance_required = true
  allowed_principals  = ["arn:aws:iam::111122223333:root"]
}

endpoint "gwlbe_a" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.main
  subnets = [subnet.inspection_a]
}

endpoint "gwlbe_b" {
  type    = "gateway_load_balancer"
  service = endpoint_service.inspection
  vpc     = vpc.main
  subnets = [subnet.inspection_b]
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = [vpc.main.cidr, "192.168.0.0/16"]
  }
}

endpoint "sqs" {
  type            = "interface"
  service         = "sqs"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b]
  security_groups = [security_group.endpoints]
  policy = {
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "sqs:DeleteQueue"
      Resource  = "*"
    }]
  }
}

endpoint "ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b]
  security_groups = [security_group.endpoints]
}

remote_network "office" {
  vpc     = vpc.main
  via     = "vpn"
  cidrs   = ["192.168.0.0/16"]
  gateway = "vgw-0123456789abcdef0"
}

expect "app_a_reaches_internet" {
  from = subnet.app_a
  to   = "internet"
}

expect "app_b_reaches_sqs" {
  from = subnet.app_b
  to   = "sqs"
}

expect "legacy_reaches_internet" {
  from = subnet.legacy
  to   = "internet"
}

expect "office_reaches_ssm" {
  from = remote_network.office
  to   = "ssm"
}
