# catalogue.hcl with every value written out by hand: both build the same templates.
region = "eu-west-1"

vpc "main" {
  cidr          = "10.0.0.0/16"
  dns_hostnames = true
  tags = {
    team = "PLATFORM"
    tier = "ENDPOINTS"
  }
}

route_table "private" { vpc = vpc.main }

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

subnet "app_c" {
  vpc         = vpc.main
  az          = "euw1-az3"
  cidr        = "10.0.3.0/24"
  route_table = route_table.private
}

security_group "endpoints" {
  vpc = vpc.main
  ingress {
    protocol    = "tcp"
    ports       = 443
    cidrs       = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
    description = "HTTPS from 3 subnets"
  }
}

endpoint "ec2messages" {
  type            = "interface"
  service         = "ec2messages"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b, subnet.app_c]
  security_groups = [security_group.endpoints]
  private_dns     = true
}

endpoint "ssm" {
  type            = "interface"
  service         = "ssm"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b, subnet.app_c]
  security_groups = [security_group.endpoints]
  private_dns     = true
}

endpoint "ssmmessages" {
  type            = "interface"
  service         = "ssmmessages"
  vpc             = vpc.main
  subnets         = [subnet.app_a, subnet.app_b, subnet.app_c]
  security_groups = [security_group.endpoints]
}

endpoint "s3" {
  type         = "gateway"
  service      = "s3"
  vpc          = vpc.main
  route_tables = [route_table.private]
  policy = {
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = ["s3:GetObject", "s3:PutObject"]
      Resource = [
        "arn:aws:s3:::artifacts",
        "arn:aws:s3:::artifacts/*",
        "arn:aws:s3:::logs",
        "arn:aws:s3:::logs/*",
      ]
    }]
  }
}

load_balancer "partners" {
  type    = "network"
  subnets = [subnet.app_a, subnet.app_b, subnet.app_c]
}

endpoint_service "partners" {
  load_balancers = [load_balancer.partners]
  allowed_principals = [
    "arn:aws:iam::111111111111:root",
    "arn:aws:iam::222222222222:root",
  ]
  tags = {
    service = "partners"
    team    = "platform"
  }
}

expect "app_reaches_ssm" {
  from    = subnet.app_a
  to      = "ssm"
  private = true
}
