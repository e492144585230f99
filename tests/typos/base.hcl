region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
}

route_table "private" {
  vpc = vpc.main
}

subnet "app_a" {
  vpc         = vpc.main
  az          = "euw1-az1"
  cidr        = "10.0.1.0/24"
  route_table = route_table.private
}

subnet "app_b" {
  vpc         = vpc.main
  az          = "euw1-az2"
  cidr        = "10.0.2.0/24"
  route_table = route_table.private
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol = "tcp"
    ports    = 443
    cidrs    = [vpc.main.cidr]
  }
}

endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
}

endpoint "ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b]
  security_groups = [security_group.endpoints]
}

expect "s3" {
  from    = subnet.app_a
  to      = "s3"
  private = true
}

expect "ssm" {
  from    = subnet.app_b
  to      = "ssm"
  private = true
}
